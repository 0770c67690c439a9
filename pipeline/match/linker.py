"""Follow every goal from one yearly plan to the next.

`lineage(plans, settings)` orders the plans by period, pairs each plan's follow-up entries with
the goals of the plan before it (or lets them stand in for that plan when it is not given),
links every goal to the goal(s) of the next plan that carry it on, and says what became of each
goal. The parts of the matcher: `vocabulary.py` (goal texts as content terms), `features.py`
(what is known of a pair of goals), `model.py` (a pair's probability of being linked, fitted on
the lineage corpus), `assign.py` (one decision over a pair of plans), `links.py` (links, kinds,
evidence), `follow_ups.py` (follow-ups paired with the earlier plan's goals). The words and
limits are data: `pipeline/rules/matching.toml`.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from maalspor.language.naming import slug
from maalspor.match.features import GoalView
from maalspor.match.follow_ups import pair_follow_ups
from maalspor.match.links import link_pair
from maalspor.match.model import link_model
from maalspor.match.series import one_per_period
from maalspor.match.vocabulary import MatchRules, matching_rules, with_own_names
from maalspor.models.common import Period, Source
from maalspor.models.lineage import (
    Candidate,
    ExcludedPlan,
    Fate,
    LineageDocument,
    LineageGoal,
    Link,
    MatchSettings,
    PlanRef,
)
from maalspor.models.plan import FollowUp, Goal, PlanDocument, Status
from maalspor.rules import pinned
from maalspor.settings import Settings

# Imported from here by the other stages and the tests.
__all__ = ["fate_of", "lineage", "naive_match", "one_plan_per_period"]


# ---------------------------------------------------------------------------------------------
# Plans of the series


@dataclass
class _PlanNode:
    """A plan of the series: a given plan, or one stood in for by the next plan's follow-ups."""

    ref: PlanRef
    goals: list[GoalView]
    document: PlanDocument | None  # None for a stand-in


def _period_key(period: Period | None) -> tuple[int, int]:
    return (period.start, period.end) if period else (10**6, 10**6)


def _plan_slug(plan: PlanDocument, period: Period | None) -> str:
    parts = [plan.organisation or "", plan.unit or "", period.label if period else ""]
    return slug(" ".join(p for p in parts if p))


def _unique_ids(candidates: list[tuple[str, str]]) -> list[str]:
    """Preferred id per plan, the file-name slug on a clash, a counter as the last resort."""
    preferred = [c[0] for c in candidates]
    ids: list[str] = []
    for index, (first, fallback) in enumerate(candidates):
        chosen = first if first and preferred.count(first) == 1 else fallback
        base, number = chosen, 2
        while chosen in ids or (chosen != first and chosen in preferred[index + 1 :]):
            chosen = f"{base}-{number}"
            number += 1
        ids.append(chosen)
    return ids


def _build_nodes(plans: Sequence[PlanDocument]) -> list[_PlanNode]:
    ordered = sorted(plans, key=lambda p: (*_period_key(p.period), p.source.path))
    # Each given plan, preceded by a stand-in when its follow-up part covers a plan not given.
    entries: list[tuple[PlanDocument, bool]] = []
    given_periods = {_period_key(p.period) for p in ordered if p.period}
    for plan in ordered:
        period = plan.follow_up_period
        if plan.follow_ups and period and _period_key(period) not in given_periods:
            entries.append((plan, True))
        entries.append((plan, False))
    candidates: list[tuple[str, str]] = []
    for plan, stand_in in entries:
        period = plan.follow_up_period if stand_in else plan.period
        file_slug = slug(Path(plan.source.path).stem)
        preferred = _plan_slug(plan, period) if (plan.unit or plan.organisation) and period else ""
        fallback = (
            f"{file_slug}-{slug(period.label)}-stand-in" if stand_in and period else file_slug
        )
        candidates.append((preferred, fallback))
    ids = _unique_ids(candidates)
    nodes: list[_PlanNode] = []
    for (plan, stand_in), plan_id in zip(entries, ids, strict=True):
        items: Sequence[Goal] = plan.follow_ups if stand_in else plan.goals
        ref = PlanRef(
            id=plan_id,
            title=plan.title,
            organisation=plan.organisation,
            unit=plan.unit,
            period=plan.follow_up_period if stand_in else plan.period,
            source=Source.model_validate(plan.source.model_dump()),
            stand_in=stand_in,
        )
        views = [
            GoalView(
                id=f"{plan_id}/{item.id}",
                plan=plan_id,
                goal=item,
                follow_up=item if isinstance(item, FollowUp) and stand_in else None,
                number=number,
            )
            for item, number in zip(items, _goal_numbers(items), strict=True)
        ]
        nodes.append(_PlanNode(ref=ref, goals=views, document=None if stand_in else plan))
    return nodes


def _goal_numbers(goals: Sequence[Goal]) -> list[str]:
    """How a follow-up may name each goal: its section's number and its place in the section
    ("3.2"), or its place in the plan ("12") where sections are not numbered."""
    numbers: list[str] = []
    place: dict[int | None, int] = {}
    for index, goal in enumerate(goals, start=1):
        section = goal.section_number
        place[section] = place.get(section, 0) + 1
        numbers.append(f"{section}.{place[section]}" if section is not None else str(index))
    return numbers


def _attach_follow_ups(earlier: _PlanNode, later: _PlanNode, r: MatchRules) -> None:
    """Give each goal of `earlier` the entry of `later`'s follow-up part that reports on it."""
    if later.document is None or earlier.document is None or not later.document.follow_ups:
        return  # a stand-in is its own follow-up; a stand-in's successor has none
    follow_ups = later.document.follow_ups
    pairs = pair_follow_ups([g.goal for g in earlier.goals], follow_ups, r)
    for goal_index, follow_up_index in pairs.items():
        earlier.goals[goal_index].follow_up = follow_ups[follow_up_index]


# ---------------------------------------------------------------------------------------------
# Fates


def fate_of(
    continued: bool | None, status: Status | None, has_successor: bool, is_last: bool
) -> Fate:
    """What became of a goal, from its links and its follow-up's verdict (no follow-up: both
    None). The overrides stage recomputes fates with it after a person's link decisions."""
    if is_last:
        return "open"
    if has_successor:
        return "continued"
    if continued:
        return "missing_successor"
    if status == "achieved":
        return "completed"
    if status == "dropped":
        return "dropped"
    return "ended"


def _fate(goal: GoalView, has_successor: bool, is_last: bool) -> Fate:
    follow_up = goal.follow_up
    continued = follow_up.continued if follow_up else None
    return fate_of(continued, follow_up.status if follow_up else None, has_successor, is_last)


def _lineage_goal(view: GoalView, fate: Fate) -> LineageGoal:
    goal, follow_up = view.goal, view.follow_up
    return LineageGoal(
        id=view.id,
        plan=view.plan,
        goal=goal.id,
        section=goal.section,
        text=goal.text,
        subgoals=list(goal.subgoals),
        documentation=list(goal.documentation),
        responsible=goal.responsible,
        page=goal.page,
        status=follow_up.status if follow_up else None,
        continued=follow_up.continued if follow_up else None,
        status_evidence=list(follow_up.status_evidence) if follow_up else [],
        follow_up=follow_up.follow_up if follow_up else None,
        follow_up_page=follow_up.page if follow_up else None,
        fate=fate,
    )


def one_plan_per_period(
    plans: Sequence[PlanDocument],
) -> tuple[list[PlanDocument], list[ExcludedPlan]]:
    """Per organisation and unit (compared as slugs), one plan per period: the same plan given
    twice (its PDF and its .docx or .txt) would be linked to itself. `maalspor.match.series`
    decides which."""
    groups: dict[str, list[PlanDocument]] = {}
    for plan in plans:
        groups.setdefault(slug(f"{plan.organisation or ''} {plan.unit or ''}"), []).append(plan)
    kept: list[PlanDocument] = []
    excluded: list[ExcludedPlan] = []
    for group in groups.values():
        chosen, left_out = one_per_period(
            group,
            period=lambda p: p.period,
            source=lambda p: p.source.path,
            items=lambda p: len(p.goals) + len(p.follow_ups),
        )
        kept.extend(chosen)
        excluded.extend(left_out)
    return kept, excluded


def series_nodes(plans: Sequence[PlanDocument], r: MatchRules) -> list[_PlanNode]:
    """The plans of a series in period order (stand-ins where a follow-up part covers a plan
    not given), each earlier goal with the next plan's follow-up entry on it."""
    nodes = _build_nodes(plans)
    for earlier, later in itertools.pairwise(nodes):
        _attach_follow_ups(earlier, later, r)
    return nodes


@pinned
def lineage(plans: list[PlanDocument], settings: Settings | None = None) -> LineageDocument:
    """The goals of a series of plans, each linked to its successors in the next plan.

    Of inputs that are the same plan (organisation, unit and period) one is linked, the others
    listed in `excluded`. `settings.matching.threshold` overrides the calibrated threshold.
    """
    settings = Settings.resolve(settings)
    plans, excluded = one_plan_per_period(plans)
    r = with_own_names(matching_rules(), plans)
    model = link_model()
    threshold = settings.matching.threshold
    cutoff = model.link if threshold is None else threshold
    if not 0.0 <= cutoff <= 1.0:
        raise ValueError(f"threshold must lie in 0..1, not {cutoff}")
    matching = dataclasses.replace(settings.matching, threshold=cutoff)
    nodes = series_nodes(plans, r)

    links: list[Link] = []
    candidates: dict[str, list[Candidate]] = {}
    for earlier, later in itertools.pairwise(nodes):
        found, kept = link_pair(earlier.goals, later.goals, matching, r, model)
        links.extend(found)
        candidates.update(kept)

    successors: dict[str, list[str]] = {}
    predecessors: dict[str, list[str]] = {}
    for link in links:
        successors.setdefault(link.from_, []).append(link.to)
        predecessors.setdefault(link.to, []).append(link.from_)

    goals: list[LineageGoal] = []
    for index, node in enumerate(nodes):
        is_last = index == len(nodes) - 1
        for view in node.goals:
            item = _lineage_goal(view, _fate(view, view.id in successors, is_last))
            item.successors = sorted(successors.get(view.id, []))
            item.predecessors = sorted(predecessors.get(view.id, []))
            item.candidates = candidates.get(view.id, [])
            goals.append(item)
    return LineageDocument(
        plans=[node.ref for node in nodes],
        goals=goals,
        links=sorted(links, key=lambda link: (link.from_, link.to)),
        settings=MatchSettings(threshold=cutoff, method=model.method),
        excluded=excluded,
    )


# ---------------------------------------------------------------------------------------------
# Baseline


def naive_match(
    earlier: dict[str, str], later: dict[str, str], *, cutoff: float = 60.0
) -> list[tuple[str, str, float]]:
    """The NAIVE baseline the signals are measured against: raw goal texts, `fuzz.ratio`, each
    earlier goal to its single best later goal at `cutoff` (0-100) or more. Not used by
    `lineage`; kept to show what the signals add.
    """
    found: list[tuple[str, str, float]] = []
    for earlier_id, text in sorted(earlier.items()):
        best = process.extractOne(
            text, later, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff
        )
        if best is not None:
            _, score, later_id = best
            found.append((earlier_id, later_id, score / 100.0))
    return found
