"""maalspor as a library: the few calls a program needs, and the models they return.

    import maalspor

    plan = maalspor.parse("plan-2016-2017.pdf")              # → PlanDocument
    series = maalspor.lineage(["plan-2015.pdf", plan])        # → LineageDocument
    verdict = maalspor.classify_text("Målet er nået.")        # → Verdict
    maalspor.schema("plan")                                   # → the JSON Schema, a dict

Every call is a plain function over the pydantic models in `models/`, the same ones the command
line writes as JSON; errors a user can cause are `MaalsporError`s with a `kind` and an
`exit_code` (`pipeline/errors.py`). The stages load spaCy only when first used, so importing
this module is quick.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from maalspor import __version__
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

if TYPE_CHECKING:
    from maalspor.classify import Verdict

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
    "__version__",
    "classify_text",
    "diff",
    "lineage",
    "load",
    "parse",
    "schema",
]

PlanInput = PlanDocument | str | Path


def parse(
    path: str | Path | bytes,
    *,
    password: str | None = None,
    max_pages: int | None = None,
    engine: str = "pdfium",
    ocr: str = "auto",
) -> PlanDocument:
    """One yearly plan → its goals, documentation and follow-ups, each follow-up with a verdict.

    `path` is a PDF or a .txt plan (or its bytes); `password` opens an encrypted PDF;
    `max_pages` refuses longer PDFs (`TooManyPagesError`); `engine` reads the PDF's text
    ("pdfium" or "pdfplumber"); `ocr` is "auto" (pages without a usable text layer are read
    by OCR), "always" or "never".
    """
    from maalspor import parse_plan, parse_plan_bytes

    options = {"password": password, "max_pages": max_pages, "engine": engine, "ocr": ocr}
    if isinstance(path, bytes):
        return parse_plan_bytes(path, **options)
    return parse_plan(path, **options)


def load(path: str | Path) -> PlanDocument | LineageDocument:
    """A plan or lineage JSON that maalspor wrote, validated against the models."""
    from maalspor.emit import load_document

    return load_document(path)


def _plan(item: PlanInput, password: str | None) -> PlanDocument:
    if isinstance(item, PlanDocument):
        return item
    from maalspor import read_plan

    return read_plan(item, password=password)


def lineage(
    plans: Iterable[PlanInput],
    *,
    threshold: float | None = None,
    password: str | None = None,
) -> LineageDocument:
    """Two or more plans of one department, in any order → every goal's fate and its links.

    Each item is a `PlanDocument` or a path (PDF, .txt, or a plan JSON); `threshold` (0-1) is
    the lowest combined score of a link (default: the calibrated one).
    """
    from maalspor.match import lineage as build_lineage

    documents = [_plan(item, password) for item in plans]
    if len(documents) < 2:
        raise ValueError("a lineage needs two or more plans")
    return build_lineage(documents, threshold=threshold)


def diff(
    old: PlanInput,
    new: PlanInput,
    *,
    threshold: float | None = None,
    password: str | None = None,
) -> DiffReport:
    """What became of `old`'s goals in `new` (continued, merged, split, new, dropped, ...)."""
    from maalspor.diff import diff as build_diff

    return build_diff(_plan(old, password), _plan(new, password), threshold=threshold)


def classify_text(text: str | None) -> Verdict:
    """The verdict of one follow-up (Opfølgning) text: `status` ('achieved', 'in_progress',
    ...), `continued` (True, False or None: not said) and `evidence` (the deciding words)."""
    from maalspor.classify import classify_text as classify

    return classify(text)


def schema(document: str = "plan") -> dict[str, Any]:
    """The JSON Schema of a document: 'plan', 'lineage', 'manifest' or 'diff'."""
    from maalspor.schemas import DOCUMENTS, schema_of

    if document not in DOCUMENTS:
        raise ValueError(f"no schema {document!r}; one of {', '.join(sorted(DOCUMENTS))}")
    return schema_of(document)


# `Verdict` (what classify_text returns) is a name of this module too, but not in __all__: it
# lives with the classifier, which loads spaCy, so it is imported when first asked for, and
# `from maalspor.api import *` stays quick. A package that re-exports this module takes this
# __getattr__ along to offer it.
def __getattr__(name: str) -> Any:
    if name == "Verdict":
        from maalspor.classify import Verdict

        return Verdict
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
