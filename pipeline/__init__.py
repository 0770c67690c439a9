"""maalspor's pipeline: extract → segment → classify → match → emit, one module per stage.

`parse_plan` runs the stages that turn one plan file into a `PlanDocument`.
"""

from __future__ import annotations

from pathlib import Path

from models import PlanDocument

__version__ = "0.1.0"


def parse_plan(
    path: str | Path,
    *,
    password: str | None = None,
    max_pages: int | None = None,
    ocr: str = "auto",
    ocr_settings=None,
) -> PlanDocument:
    """One yearly plan (PDF or .txt) → its goals, documentation and follow-ups, classified.

    `ocr`: "auto" (pages without a usable text layer are OCR'd), "always" or "never";
    `ocr_settings`: a `pipeline.ocr.OcrSettings` (dpi, language, confidence), or the defaults.
    """
    from pipeline.extract import extract
    from pipeline.segment import segment

    document = extract(
        path, password=password, max_pages=max_pages, ocr=ocr, ocr_settings=ocr_settings
    )
    plan = segment(document)
    try:
        from pipeline.classify import classify
    except ImportError:  # the classifier is optional while it is being built
        return plan
    return classify(plan)


def read_plan(
    path: str | Path, *, password: str | None = None, max_pages: int | None = None
) -> PlanDocument:
    """A plan from any input maalspor takes: a PDF, a .txt, or the JSON that `parse` wrote."""
    if Path(path).suffix.lower() == ".json":
        from pipeline.emit import load_plan

        return load_plan(path)
    return parse_plan(path, password=password, max_pages=max_pages)
