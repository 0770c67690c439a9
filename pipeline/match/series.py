"""One plan per period: which of several inputs of the same plan is linked, and which left out.

A department's plan often comes twice (its PDF and a `.txt` of it, or the Word document the
PDF was made from). `batch` groups inputs into series, `lineage` and `diff` are given them by
hand; all three keep one plan per period by the same preference: a PDF, then a Word document,
then a text (the PDF is what was published, and has pages to point to; a Word document is
often its draft), then the one with more goals, then the path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import PurePosixPath
from typing import TypeVar

from maalspor.models.common import Period
from maalspor.models.lineage import ExcludedPlan

T = TypeVar("T")

# Sorts after every real period: a plan without one goes last.
_NO_PERIOD = (10**6, 10**6)


def period_key(period: Period | None) -> tuple[int, int]:
    return (period.start, period.end) if period else _NO_PERIOD


# The order of inputs of one plan by kind: a PDF, a Word document, then any other (a text).
_KIND_ORDER = {".pdf": 0, ".docx": 1, ".docm": 1}


def preference(period: Period | None, source: str, items: int, path: str = "") -> tuple:
    """Sort key: by period, then a PDF before a Word document before a text, more goals
    first, then by name."""
    kind = _KIND_ORDER.get(PurePosixPath(source.lower()).suffix, len(set(_KIND_ORDER.values())))
    return (*period_key(period), kind, -items, source, path)


def one_per_period(
    entries: Sequence[T],
    *,
    period: Callable[[T], Period | None],
    source: Callable[[T], str],
    items: Callable[[T], int],
    path: Callable[[T], str] | None = None,
) -> tuple[list[T], list[ExcludedPlan]]:
    """The entries to link, in preference order, and the ones left out with the reason.

    Per period the first entry by `preference` is kept; an entry without a period is kept (the
    caller decides what a plan without a period means).
    """
    path = path or source
    ordered = sorted(entries, key=lambda e: preference(period(e), source(e), items(e), path(e)))
    kept: list[T] = []
    excluded: list[ExcludedPlan] = []
    for entry in ordered:
        label = period(entry)
        same = None
        if label is not None:
            same = next((k for k in kept if period_key(period(k)) == period_key(label)), None)
        if same is None:
            kept.append(entry)
            continue
        excluded.append(
            ExcludedPlan(
                path=path(entry),
                reason=f"same period ({label.label}) as {path(same)}, which is linked",
            )
        )
    return kept, excluded
