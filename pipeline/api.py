"""maalspor as a library: the few calls a program needs, and the models they return.

    import maalspor

    plan = maalspor.parse("plan-2016-2017.pdf")              # → PlanDocument
    series = maalspor.lineage(["plan-2015.pdf", plan])        # → LineageDocument
    verdict = maalspor.classify_text("Målet er nået.")        # → Verdict
    maalspor.schema("plan")                                   # → the JSON Schema, a dict

Every call is a plain function over the pydantic models in `models/`, the same ones the command
line writes as JSON; errors a user can cause are `MaalsporError`s with a `kind` and an
`exit_code` (`maalspor.errors`). Thresholds are one `Settings` object (`maalspor.settings`),
passed to every call that takes `settings=`. The stages load spaCy only when first used, so
importing this module is quick.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from maalspor import errors
from maalspor.errors import MaalsporError
from maalspor.models import (
    SCHEMA_VERSION,
    FollowUp,
    Goal,
    LineageDocument,
    LineageGoal,
    Link,
    Manifest,
    PlanDocument,
)
from maalspor.models.diff import DiffReport
from maalspor.settings import Settings
from maalspor.version import __version__

if TYPE_CHECKING:
    from maalspor.verdicts import Verdict

__all__ = [
    "SCHEMA_VERSION",
    "DiffReport",
    "FollowUp",
    "Goal",
    "LineageDocument",
    "LineageGoal",
    "Link",
    "MaalsporError",
    "Manifest",
    "PlanDocument",
    "Settings",
    "__version__",
    "classify_text",
    "diff",
    "lineage",
    "load",
    "parse",
    "schema",
]

# What each stage did, at INFO (`maalspor -v`); the CLI routes it to stderr.
log = logging.getLogger("maalspor")

PlanInput = PlanDocument | str | Path


def parse(
    path: str | Path | bytes,
    *,
    password: str | None = None,
    max_pages: int | None = None,
    engine: str = "pdfium",
    ocr: str = "auto",
    settings: Settings | None = None,
    name: str = "-",
) -> PlanDocument:
    """One yearly plan → its goals, documentation and follow-ups, each follow-up with a verdict.

    `path` is a PDF, a Word document (.docx, .docm) or a .txt plan, or its bytes (`name` then
    becomes its `source.path`; "-" says it came from standard input); `password` opens an
    encrypted PDF or Word document; `max_pages` refuses
    longer PDFs (`TooManyPagesError`); `engine` reads the PDF's text ("pdfium" or
    "pdfplumber"); `ocr` is "auto" (pages without a usable text layer are read by OCR),
    "always" or "never"; `settings` holds every threshold (`maalspor.settings.Settings`).
    """
    if isinstance(path, bytes):
        return _parse_bytes(path, name, password, max_pages, engine, ocr, settings)
    from maalspor.extract import extract
    from maalspor.segment import segment
    from maalspor.verdicts import classify

    settings = Settings.resolve(settings)
    started = time.perf_counter()
    text = extract(
        path, password=password, max_pages=max_pages, engine=engine, ocr=ocr, settings=settings
    )
    seconds = time.perf_counter() - started
    log.info("%s: extracted %d pages in %.1f s", path, len(text.pages), seconds)
    plan = segment(text, settings)
    del text  # every page's lines: not needed past here, and as large as the plan itself
    plan = classify(plan, settings)
    log.info(
        "%s: %d goals, %d follow-ups, %.1f s in all",
        path,
        len(plan.goals),
        len(plan.follow_ups),
        time.perf_counter() - started,
    )
    return plan


def suggest_rules(
    path: str | Path, *, password: str | None = None, settings: Settings | None = None
) -> str:
    """The rules file (`[labels]`, TOML) a plan's discovered labels need: the words its
    structure repeats as labels that no rules in force list (`maalspor.segment.discovery`)."""
    from maalspor.extract import extract
    from maalspor.segment.discovery import discover, unknown

    settings = Settings.resolve(settings)
    found = unknown(discover(extract(path, password=password, settings=settings), settings.segment))
    name = Path(path).name
    if not found:
        return f"# {name}: no label words that the rules do not know already\n"
    return f"# Labels discovered in {name}, for --rules:\n" + found.toml()


def _parse_bytes(
    data: bytes,
    name: str,
    password: str | None,
    max_pages: int | None,
    engine: str,
    ocr: str,
    settings: Settings | None,
) -> PlanDocument:
    """A plan from its bytes (a PDF, a Word document, or text), e.g. read from standard input."""
    from maalspor.extract.reader import suffix_of

    suffix = suffix_of(data)
    with tempfile.TemporaryDirectory(prefix="maalspor-") as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        try:
            plan = parse(
                path,
                password=password,
                max_pages=max_pages,
                engine=engine,
                ocr=ocr,
                settings=settings,
            )
        except errors.MaalsporError as error:
            # The message names the temporary file; the user knows the input by `name`.
            error.args = tuple(str(a).replace(str(path), name) for a in error.args)
            raise
    return plan.model_copy(update={"source": plan.source.model_copy(update={"path": name})})


def load(path: str | Path) -> PlanDocument | LineageDocument:
    """A plan or lineage JSON that maalspor wrote, validated against the models."""
    from maalspor.outputs.emit import load_document

    return load_document(path)


def read_plan(
    item: PlanInput, *, password: str | None = None, settings: Settings | None = None
) -> PlanDocument:
    """A plan from any input maalspor takes: a `PlanDocument`, a PDF, a Word document, a .txt,
    or the JSON that `parse` wrote."""
    if isinstance(item, PlanDocument):
        return item
    if Path(item).suffix.lower() == ".json":
        from maalspor.outputs.emit import load_plan

        return load_plan(item)
    return parse(item, password=password, settings=settings)


def lineage(
    plans: Iterable[PlanInput],
    *,
    threshold: float | None = None,
    password: str | None = None,
    settings: Settings | None = None,
) -> LineageDocument:
    """Two or more plans of one department, in any order → every goal's fate and its links.

    Each item is a `PlanDocument` or a path (PDF, .docx, .txt, or a plan JSON); `threshold`
    (0-1) is
    the lowest combined score of a link (default: the calibrated one).
    """
    from maalspor.match import lineage as build_lineage

    settings = _with_threshold(Settings.resolve(settings), threshold)
    documents = [read_plan(item, password=password, settings=settings) for item in plans]
    if len(documents) < 2:
        raise ValueError("a lineage needs two or more plans")
    return build_lineage(documents, settings)


def diff(
    old: PlanInput,
    new: PlanInput,
    *,
    threshold: float | None = None,
    password: str | None = None,
    settings: Settings | None = None,
) -> DiffReport:
    """What became of `old`'s goals in `new` (continued, merged, split, new, dropped, ...)."""
    from maalspor.match import diff as build_diff

    settings = _with_threshold(Settings.resolve(settings), threshold)
    return build_diff(
        read_plan(old, password=password, settings=settings),
        read_plan(new, password=password, settings=settings),
        settings,
    )


def _with_threshold(settings: Settings, threshold: float | None) -> Settings:
    return settings if threshold is None else settings.replace(matching={"threshold": threshold})


def classify_text(text: str | None) -> Verdict:
    """The verdict of one follow-up (Opfølgning) text: `status` ('achieved', 'in_progress',
    ...), `continued` (True, False or None: not said) and `evidence` (the deciding words)."""
    from maalspor.verdicts import classify_text as classify

    return classify(text)


def schema(document: str = "plan") -> dict[str, Any]:
    """The JSON Schema of a document: 'plan', 'lineage', 'manifest', 'diff' or 'verdict'."""
    from maalspor.outputs.schemas import DOCUMENTS, schema_of

    if document not in DOCUMENTS:
        raise ValueError(f"no schema {document!r}; one of {', '.join(sorted(DOCUMENTS))}")
    return schema_of(document)


# `Verdict` (what classify_text returns) is a name of this module too, but not in __all__: it
# lives with the classifier, which loads spaCy, so it is imported when first asked for.
def __getattr__(name: str) -> Any:
    if name == "Verdict":
        from maalspor.verdicts import Verdict

        return Verdict
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
