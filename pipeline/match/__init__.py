"""Matching: `lineage([PlanDocument, ...], settings) -> LineageDocument`.

In: two or more plans of one department, in any order. Out: every goal of the series with its
follow-up's verdict, its links to the goals of the next plan that carry it on, and its fate
(continued, completed, dropped, missing_successor, ended, open). `diff(old, new, settings) ->
DiffReport` groups the lineage of two plans as a reader asks; `overrides.py` applies a person's
decisions. The words and weights are data in `rules/matching.toml`.
"""

from maalspor.match.diffing import diff
from maalspor.match.linker import lineage

__all__ = ["diff", "lineage"]
