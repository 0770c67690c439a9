"""How long the goals of each plan live on, for a series of three or more plans.

A plan's goals are its cohort. A goal lives on k plans later when a chain of links leads from
it to a goal of a plan at least k plans later (through merges and splits alike). Its line ends
where its chain ends furthest on: the fate of the last goal there (of several there, the one a
reader asks about first: still running, promised but missing, continued, completed, dropped,
ended) — "open" when it reaches the latest plan, which has no follow-up yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from maalspor.models import LineageDocument
from maalspor.outputs.report_html import FATE_ICONS, Texts, period_of

# Which end of a line is shown, of several at the same plan, and the order of the columns.
END_ORDER = ("open", "missing_successor", "continued", "completed", "dropped", "ended")


@dataclass(frozen=True)
class Cohort:
    """The goals of one plan: how many live on 1, 2, ... plans later, and how their lines end."""

    plan: str
    index: int
    goals: int
    alive: list[int]  # alive[k - 1]: goals that live on k plans later
    ends: dict[str, int]


def reach(lineage: LineageDocument) -> dict[str, tuple[int, str]]:
    """Per goal: the index of the furthest plan its chain reaches, and how it ends there."""
    index = {plan.id: number for number, plan in enumerate(lineage.plans)}
    goals = {goal.id: goal for goal in lineage.goals}
    found: dict[str, tuple[int, str]] = {}
    # Links lead to later plans only, so the goals of later plans are done first.
    for goal in sorted(lineage.goals, key=lambda g: -index[g.plan]):
        ends = [found[s] for s in goal.successors if s in found and s in goals]
        if not ends:
            found[goal.id] = (index[goal.plan], goal.fate)
            continue
        furthest = max(number for number, _ in ends)
        fates = {fate for number, fate in ends if number == furthest}
        found[goal.id] = (furthest, min(fates, key=_end_rank))
    return found


def cohorts(lineage: LineageDocument, reached: dict[str, tuple[int, str]]) -> list[Cohort]:
    """One cohort per plan but the latest (its goals have no later plan to live on in)."""
    last = len(lineage.plans) - 1
    result = []
    for number, plan in enumerate(lineage.plans[:-1]):
        members = [reached[g.id] for g in lineage.goals if g.plan == plan.id]
        alive = [
            sum(1 for furthest, _ in members if furthest >= number + k)
            for k in range(1, last - number + 1)
        ]
        ends: dict[str, int] = {}
        for _, fate in members:
            ends[fate] = ends.get(fate, 0) + 1
        result.append(Cohort(plan.id, number, len(members), alive, ends))
    return result


def _end_label(fate: str, latest: str, t: Texts) -> str:
    return t("survival_running", period=latest) if fate == "open" else t.fates[fate]


def _end_rank(fate: str) -> int:
    return END_ORDER.index(fate) if fate in END_ORDER else len(END_ORDER)


def survival_table(lineage: LineageDocument, reached: dict[str, tuple[int, str]], t: Texts) -> str:
    """The cohorts as a table whose numbers filter the board (three or more plans)."""
    if len(lineage.plans) < 3:
        return ""
    rows = cohorts(lineage, reached)
    later = len(lineage.plans) - 1
    shown_ends = [fate for fate in END_ORDER if any(row.ends.get(fate) for row in rows)]
    latest = period_of(lineage.plans[-1])
    head = [f"<th>{escape(t('survival_cohort'))}</th>"]
    head += [
        f'<th class="k">{escape(t("survival_later", n=k) if k > 1 else t("survival_next"))}</th>'
        for k in range(1, later + 1)
    ]
    head += [f'<th class="e">{escape(_end_label(fate, latest, t))}</th>' for fate in shown_ends]
    body = []
    for row in rows:
        period = period_of(lineage.plans[row.index])
        cells = [
            f'<th scope="row"><span class="p">{escape(period)}</span> '
            f'<span class="n">{escape(t("goals_count", n=row.goals))}</span></th>'
        ]
        for k in range(1, later + 1):
            if k > len(row.alive):
                cells.append('<td class="na"></td>')
                continue
            count = row.alive[k - 1]
            share = f"{round(100 * count / row.goals)} %" if row.goals else "–"
            title = t("survival_title", period=period, n=k)
            cells.append(
                f'<td><button type="button" class="count surv{"" if count else " zero"}" '
                f'data-plan="{escape(row.plan)}" data-survive="{k}" title="{escape(title)}">'
                f"<b>{count}</b> <small>{escape(share)}</small></button></td>"
            )
        for fate in shown_ends:
            count = row.ends.get(fate, 0)
            title = t("survival_end_title", period=period)
            cells.append(
                f'<td><button type="button" class="count f-{fate}{"" if count else " zero"}" '
                f'data-plan="{escape(row.plan)}" data-end="{fate}" title="{escape(title)}">'
                f"{FATE_ICONS[fate]} <b>{count}</b></button></td>"
            )
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<div id="survival"><h2>{escape(t("survival_heading"))} '
        f'<span class="explain">{escape(t("survival_explain"))}</span></h2>'
        f"<table><thead><tr>{''.join(head)}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        "</div>"
    )
