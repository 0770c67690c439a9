"""maalspor's pipeline: extract → segment → classify → match → emit, one module per stage.

`parse_plan` runs the stages that turn one plan file into a `PlanDocument`.
"""

from __future__ import annotations

if __name__ != "maalspor":  # imported from the repository folder, not as the installed package
    raise ImportError("maalspor's pipeline/ folder is the package `maalspor`: import maalspor")

import logging
import time
from pathlib import Path

from maalspor.models import PlanDocument

__version__ = "0.1.0"
# What each stage did, at INFO (`maalspor -v`); the CLI routes it to stderr.
log = logging.getLogger("maalspor")
# A PDF says so in its first kilobyte ("%PDF-1.7"); anything else is read as text.
_PDF_MARK = b"%PDF-"
_PDF_MARK_WITHIN = 1024


def parse_plan(
    path: str | Path,
    *,
    password: str | None = None,
    max_pages: int | None = None,
    engine: str = "pdfium",
    ocr: str = "auto",
    ocr_settings=None,
) -> PlanDocument:
    """One yearly plan (PDF or .txt) → its goals, documentation and follow-ups, classified.

    `engine` reads a PDF's text ("pdfium" or "pdfplumber", see pipeline/engines); `ocr`:
    "auto" (pages without a usable text layer are OCR'd), "always" or "never";
    `ocr_settings`: a `maalspor.ocr.OcrSettings` (dpi, language, confidence), or the defaults.
    """
    from maalspor.extract import extract
    from maalspor.segment import segment

    started = time.perf_counter()
    text = extract(
        path,
        password=password,
        max_pages=max_pages,
        engine=engine,
        ocr=ocr,
        ocr_settings=ocr_settings,
    )
    log.info(
        "%s: extracted %d pages in %.1f s", path, len(text.pages), time.perf_counter() - started
    )
    plan = segment(text)
    del text  # every page's lines: not needed past here, and as large as the plan itself
    from maalspor.classify import classify

    plan = classify(plan)
    log.info(
        "%s: %d goals, %d follow-ups, %.1f s in all",
        path,
        len(plan.goals),
        len(plan.follow_ups),
        time.perf_counter() - started,
    )
    return plan


def parse_plan_bytes(
    data: bytes,
    *,
    name: str = "-",
    password: str | None = None,
    max_pages: int | None = None,
    engine: str = "pdfium",
    ocr: str = "auto",
) -> PlanDocument:
    """A plan from its bytes (a PDF, or text), e.g. read from standard input.

    `name` becomes the plan's `source.path`; "-" says it came from standard input.
    """
    import tempfile

    from maalspor import errors

    suffix = ".pdf" if _PDF_MARK in data[:_PDF_MARK_WITHIN] else ".txt"
    with tempfile.TemporaryDirectory(prefix="maalspor-") as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        try:
            plan = parse_plan(path, password=password, max_pages=max_pages, engine=engine, ocr=ocr)
        except errors.MaalsporError as error:
            # The message names the temporary file; the user knows the input by `name`.
            error.args = tuple(str(a).replace(str(path), name) for a in error.args)
            raise
    return plan.model_copy(update={"source": plan.source.model_copy(update={"path": name})})


def read_plan(
    path: str | Path, *, password: str | None = None, max_pages: int | None = None
) -> PlanDocument:
    """A plan from any input maalspor takes: a PDF, a .txt, or the JSON that `parse` wrote."""
    if Path(path).suffix.lower() == ".json":
        from maalspor.emit import load_plan

        return load_plan(path)
    return parse_plan(path, password=password, max_pages=max_pages)


# The documented API (README, "Python API"): `import maalspor` gives these names; `Verdict` is
# reached lazily, so that importing maalspor does not load spaCy.
from maalspor.api import *  # noqa: E402, F403
from maalspor.api import __all__, __getattr__  # noqa: E402, F401
