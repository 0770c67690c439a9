"""The counts of a lineage, defined once: a plan's goals by fate, its links by kind, and how
many of the next plan's goals are new. `maalspor diff`, the report, the CSV and the SQLite
export all count with this, so they cannot disagree."""

from __future__ import annotations

from collections import Counter
from typing import get_args

from maalspor.models.lineage import Fate, LineageDocument, LinkKind, PlanCounts


def plan_counts(document: LineageDocument, plan: str) -> PlanCounts:
    """What became of the goals of `plan` (an id of the lineage's plans)."""
    goals = [goal for goal in document.goals if goal.plan == plan]
    ids = {goal.id for goal in goals}
    fates = Counter(goal.fate for goal in goals)
    kinds = Counter(link.kind for link in document.links if link.from_ in ids)
    order = [ref.id for ref in document.plans]
    first = bool(order) and order[0] == plan
    new = 0 if first else sum(1 for goal in goals if not goal.predecessors)
    return PlanCounts(
        plan=plan,
        goals=len(goals),
        fates={fate: fates.get(fate, 0) for fate in get_args(Fate)},
        new_goals=new,
        links={kind: kinds.get(kind, 0) for kind in get_args(LinkKind)},
    )
