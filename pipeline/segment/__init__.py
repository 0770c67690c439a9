"""Segmentation: `segment(DocumentText, settings) -> PlanDocument`.

In: a document's lines in reading order with their geometry (extraction's `DocumentText`).
Out: the plan — title, organisation, unit, period, sections, goals with their documentation,
and the follow-up part on last period's goals (verdicts are the next stage's). Layout analysis
(`layout.py`) runs first; the Danish label words and heading patterns are data in `rules/`.
"""

from maalspor.segment.labels import FieldKind
from maalspor.segment.segmenter import segment

__all__ = ["FieldKind", "segment"]
