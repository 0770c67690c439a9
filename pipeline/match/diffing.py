"""Two plans side by side: what became of every goal of the older plan, and what is new.

`diff(old, new, settings)` runs the lineage matcher on the pair and groups its result by what
a reader asks first (`DiffReport`); `maalspor.outputs.diff_text` writes it for a person.
"""

from __future__ import annotations

import difflib

from maalspor.errors import SamePlanError
from maalspor.language.text import goal_display_text
from maalspor.match.linker import lineage
from maalspor.match.overrides import Overrides, apply_overrides
from maalspor.models.diff import CandidateBrief, Change, DiffReport, GoalBrief
from maalspor.models.lineage import LineageDocument, LineageGoal, Link
from maalspor.models.plan import PlanDocument
from maalspor.settings import Settings


def word_diff(old: str, new: str) -> str:
    """`old` turned into `new` word by word: [-removed-] and {+added+}, the rest as it is."""
    old_words, new_words = old.split(), new.split()
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(old_words[a0:a1])
            continue
        if a1 > a0:
            out.append("[-" + " ".join(old_words[a0:a1]) + "-]")
        if b1 > b0:
            out.append("{+" + " ".join(new_words[b0:b1]) + "+}")
    return " ".join(out)


def _brief(goal: LineageGoal, goals: dict[str, LineageGoal] | None = None) -> GoalBrief:
    """The goal as the report shows it; with `goals`, a missing goal's candidates too."""
    candidates = []
    if goals is not None and goal.fate == "missing_successor":
        candidates = [
            CandidateBrief(
                id=c.to,
                text=goal_display_text(goals[c.to].text, goals[c.to].subgoals),
                page=goals[c.to].page,
                score=c.score,
            )
            for c in goal.candidates
            if c.to in goals
        ]
    return GoalBrief(
        id=goal.id,
        text=goal_display_text(goal.text, goal.subgoals),
        section=goal.section,
        page=goal.page,
        status=goal.status,
        follow_up=goal.follow_up,
        decided_by=goal.decided_by,
        note=goal.note,
        candidates=candidates,
    )


def _decided(group: list[Link]) -> dict:
    """Who decided a group of links: a person when a person decided any of them."""
    notes = [link.note for link in group if link.decided_by == "person" and link.note]
    person = any(link.decided_by == "person" for link in group)
    return {"decided_by": "person" if person else "rules", "note": "; ".join(notes) or None}


def _groups(links: list[Link]) -> list[list[Link]]:
    """Links joined into connected groups (a merge or split is one group), in stable order."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for link in links:
        parent[root(link.from_)] = root(link.to)
    grouped: dict[str, list[Link]] = {}
    for link in links:
        grouped.setdefault(root(link.from_), []).append(link)
    return sorted(grouped.values(), key=lambda group: (group[0].from_, group[0].to))


def report_from_lineage(document: LineageDocument) -> DiffReport:
    """Group a two-plan lineage by fate; the first plan is 'old', the last 'new'."""
    old_plan, new_plan = document.plans[0], document.plans[-1]
    goals = {goal.id: goal for goal in document.goals}
    report = DiffReport(
        old=old_plan,
        new=new_plan,
        settings=document.settings,
        overrides=document.overrides,
        counts=document.counts(old_plan.id),
    )

    def between(links: list[Link]) -> list[Link]:
        return [
            link
            for link in links
            if goals[link.from_].plan == old_plan.id and goals[link.to].plan == new_plan.id
        ]

    for link in between(document.rejected_links):
        report.rejected.append(
            Change(
                kind=link.kind,
                score=link.score,
                old=[_brief(goals[link.from_])],
                new=[_brief(goals[link.to])],
                evidence=link.evidence,
                **_decided([link]),
            )
        )
    for group in _groups(between(document.links)):
        olds = sorted({link.from_ for link in group})
        news = sorted({link.to for link in group})
        change = Change(
            kind=group[0].kind if len(group) == 1 else ("merged" if len(olds) > 1 else "split"),
            score=min(link.score for link in group),
            old=[_brief(goals[i]) for i in olds],
            new=[_brief(goals[i]) for i in news],
            word_diff=word_diff(
                goal_display_text(goals[olds[0]].text, goals[olds[0]].subgoals),
                goal_display_text(goals[news[0]].text, goals[news[0]].subgoals),
            )
            if len(group) == 1
            else None,
            evidence=[e for link in group for e in link.evidence] if len(group) == 1 else [],
            **_decided(group),
        )
        if len(olds) > 1:
            report.merged.append(change)
        elif len(news) > 1:
            report.split.append(change)
        else:
            report.continued.append(change)
    for goal in document.goals:
        if goal.plan == new_plan.id:
            if not goal.predecessors:
                report.new_goals.append(_brief(goal))
            continue
        if goal.plan != old_plan.id:
            continue
        bucket = {
            "completed": report.completed,
            "dropped": report.dropped,
            "missing_successor": report.missing_successor,
            "ended": report.ended,
        }.get(goal.fate)
        if bucket is not None:
            bucket.append(_brief(goal, goals))
    return report


def _period_key(plan: PlanDocument) -> tuple[int, int]:
    assert plan.period is not None
    return (plan.period.start, plan.period.end)


def diff(
    old: PlanDocument,
    new: PlanDocument,
    settings: Settings | None = None,
    *,
    overrides: Overrides | None = None,
) -> DiffReport:
    """What became of `old`'s goals in `new`, and which goals of `new` are new.

    The two are ordered by period first, so `diff(new, old)` says the same as `diff(old,
    new)`. Raises SamePlanError when both are the same plan (organisation, unit and period),
    e.g. a plan's PDF and its .txt: a plan chained to itself says nothing.
    """
    if old.period and new.period and _period_key(new) < _period_key(old):
        old, new = new, old
    # The old plan's own follow-up part reports on an even older plan: left out, so that no
    # stand-in plan comes between the two.
    old_alone = old.model_copy(update={"follow_ups": [], "follow_up_period": None})
    document = lineage([old_alone, new], settings)
    if document.excluded:
        names = ", ".join(p for p in (new.organisation, new.unit) if p) or "no name found"
        period = new.period.label if new.period else "?"
        raise SamePlanError(
            f"{old.source.path} and {new.source.path} are the same plan ({names}, {period}): "
            "nothing to compare; give plans of two periods"
        )
    if overrides is not None:
        document = apply_overrides(document, overrides)
    return report_from_lineage(document)
