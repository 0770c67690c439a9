"""The HTML of the report page: header, summary, legend, a column of goal cards per plan, and
the index page of a batch. Every text comes from `rules/names.toml` (`Texts`), so the page is
in the language asked for (`--lang`); every value is escaped with `html.escape`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import get_args

from maalspor.language.text import goal_display_text
from maalspor.models import LineageDocument, LineageGoal, PlanRef
from maalspor.models.lineage import LinkKind
from maalspor.models.plan import Status
from maalspor.outputs.names import Names

FATE_ICONS = {
    "continued": "→",
    "completed": "✓",
    "dropped": "✕",
    "missing_successor": "⚠",
    "ended": "■",
    "open": "…",
}
# Columns of the summary, in the order a reader asks about them.
SUMMARY_FATES = ("continued", "missing_successor", "completed", "dropped", "ended")
_LINK_KINDS = get_args(LinkKind)
_STATUSES = get_args(Status)


@dataclass(frozen=True)
class Texts:
    """The report's texts in one language: `t("key", name=value)` is a fixed text with its
    values put in; the labels of fates, statuses and link kinds are tables."""

    names: Names
    ui: dict[str, str] = field(init=False)
    fates: dict[str, str] = field(init=False)
    statuses: dict[str, str] = field(init=False)
    kinds: dict[str, str] = field(init=False)
    kind_hints: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        n = self.names
        object.__setattr__(self, "ui", n.table("report"))
        object.__setattr__(self, "fates", {f: n.label("fate", f) for f in FATE_ICONS})
        object.__setattr__(self, "statuses", {s: n.label("status", s) for s in _STATUSES})
        object.__setattr__(self, "kinds", {k: n.table("report_kind")[k] for k in _LINK_KINDS})
        hints = n.table("report_kind_hint")
        object.__setattr__(self, "kind_hints", {k: hints[k] for k in _LINK_KINDS})

    def __call__(self, key: str, **values: object) -> str:
        text = self.ui[key]
        return text.format(**values) if values else text

    def number(self, value: float) -> str:
        return f"{value:.2f}".replace(".", self.ui["decimal_mark"])


def period_of(plan: PlanRef) -> str:
    return plan.period.label if plan.period else plan.id


def short_id(goal: LineageGoal) -> str:
    """A goal's number in its plan, without leading zeros (G001 → G1)."""
    return re.sub(r"^([A-Z]+)0+(?=\d)", r"\1", goal.goal)


def header(title: str, periods: str, t: Texts) -> str:
    return (
        "<header>"
        f'<h1><span class="brand">Målspor</span> {escape(title)}'
        f' <span class="periods">{escape(periods)}</span></h1>'
        '<div class="tools">'
        f'<label class="search"><span>{escape(t("search"))}</span>'
        f'<input id="q" type="search" placeholder="{escape(t("search_placeholder"))}" '
        'autocomplete="off"></label>'
        '<span id="filter-state" hidden></span>'
        f'<button id="reset" type="button" hidden>{escape(t("show_all"))}</button>'
        "</div>"
        "</header>"
    )


def summary(
    lineage: LineageDocument,
    t: Texts,
    survival: str = "",
    missing_pdfs: Sequence[str] = (),
) -> str:
    """Per plan: what became of its goals in the next plan (and, over three or more plans,
    the `survival` table beside it); then the continued and the missing ones, each clickable.
    PDFs that were not found are named first."""
    warning = ""
    if missing_pdfs:
        warning = (
            f'<p id="pdf-missing">⚠ {escape(t("pdf_missing", paths=", ".join(missing_pdfs)))}</p>'
        )
    return (
        f'<section id="summary" aria-label="{escape(t("summary"))}">{warning}'
        '<div class="tables">'
        f'<div class="fates"><h2>{escape(t("summary_heading"))}</h2>'
        f"<table>{_fate_rows(lineage, t)}</table>{_overrides(lineage, t)}</div>"
        f"{survival}</div>"
        f'<div class="lists">{_goal_lists(lineage, t)}</div>'
        "</section>"
    )


def years(lineage: LineageDocument, t: Texts) -> str:
    """Over three or more plans: a button per plan that scrolls the board to its column."""
    if len(lineage.plans) < 3:
        return ""
    buttons = "".join(
        f'<button type="button" class="year" data-plan="{escape(plan.id)}">'
        f"{escape(period_of(plan))}</button>"
        for plan in lineage.plans
    )
    label = escape(t("years"))
    return f'<nav id="years" aria-label="{label}"><span>{label}</span>{buttons}</nav>'


def review_bar(overrides: str, t: Texts) -> str:
    """The line `maalspor review` adds under the header: where the decisions go."""
    return (
        f'<div id="review-bar"><b>{escape(t("review_heading"))}</b> '
        f"<span>{escape(t('review_saved_to', path=overrides))}</span>"
        '<span id="review-status" role="status" aria-live="polite"></span></div>'
    )


def _fate_rows(lineage: LineageDocument, t: Texts) -> str:
    rows = []
    plans = lineage.plans
    for index, plan in enumerate(plans):
        counts = lineage.counts(plan.id)
        period = escape(period_of(plan))
        cells = [
            f'<th scope="row"><span class="p">{period}</span>'
            f'<span class="n">{escape(t("goals_count", n=counts.goals))}</span></th>'
        ]
        if index > 0:
            new = counts.new_goals
            previous = period_of(plans[index - 1])
            title = t("new_title", period=period_of(plan), previous=previous)
            cells.append(
                f'<td><button type="button" class="count f-new{" zero" if not new else ""}" '
                f'data-plan="{escape(plan.id)}" data-fate="new" title="{escape(title)}">'
                f"<b>{new}</b> {escape(t('new_count'))}</button></td>"
            )
        else:
            cells.append("<td></td>")
        if index + 1 < len(plans):
            title = escape(t("fate_title", period=period_of(plan)))
            for fate in SUMMARY_FATES:
                count = counts.fates[fate]
                zero = "" if count else " zero"
                cells.append(
                    f'<td><button type="button" class="count f-{fate}{zero}" '
                    f'data-plan="{escape(plan.id)}" data-fate="{fate}" title="{title}">'
                    f"<b>{count}</b> {escape(t.fates[fate].lower())}</button></td>"
                )
            following = t("in_next", period=period_of(plans[index + 1]))
            cells.append(f'<td class="next">{escape(following)}</td>')
        else:
            cells.append(
                f'<td colspan="{len(SUMMARY_FATES) + 1}" class="last">'
                f"{escape(t('latest_plan'))}</td>"
            )
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return "".join(rows)


def _goal_lists(lineage: LineageDocument, t: Texts) -> str:
    """The goals continued (with where to), and those promised but missing (with candidates)."""
    plan_period = {plan.id: period_of(plan) for plan in lineage.plans}
    short_of = {g.id: short_id(g) for g in lineage.goals}
    kind_of = {(link.from_, link.to): link.kind for link in lineage.links}

    def item(goal: LineageGoal, flow: str = "", extra: str = "") -> str:
        shown = goal_display_text(goal.text, goal.subgoals)
        return (
            f'<li><button type="button" class="goto" data-goal="{escape(goal.id)}" '
            f'title="{escape(shown)}">'
            f'<span class="mp">{escape(plan_period.get(goal.plan, goal.plan))} '
            f"{escape(short_of[goal.id])}</span>{flow} {escape(shown)}</button>{extra}</li>"
        )

    def successors(goal: LineageGoal) -> str:
        marks = (
            f"{escape(short_of.get(s, s))}{'' if kind_of.get((goal.id, s)) == 'same' else '*'}"
            for s in goal.successors
        )
        return ' <span class="fl">→ ' + ", ".join(marks) + "</span>"

    def missing_item(goal: LineageGoal) -> str:
        shown = [
            f"{escape(short_of.get(c.to, c.to))} {t.number(c.score)}"
            for c in goal.candidates
            if c.to in short_of
        ]
        if not shown:
            return item(goal)
        listed = escape(t("candidates_below", list="\0")).replace("\0", " · ".join(shown))
        return item(goal, extra=f'<span class="cand">{listed}</span>')

    continued = [g for g in lineage.goals if g.fate == "continued"]
    missing = [g for g in lineage.goals if g.fate == "missing_successor"]
    missing_label = escape(t.fates["missing_successor"])
    items = "".join(item(g, successors(g)) for g in continued)
    items = items or f"<li>{escape(t('none'))}</li>"
    blocks = [
        '<div class="list continued">'
        f"<h2>→ {escape(t.fates['continued'])} ({len(continued)}) "
        f'<span class="explain">{escape(t("continued_explain"))}</span></h2>'
        f"<ul>{items}</ul>"
        "</div>"
    ]
    if missing:
        blocks.append(
            '<div class="list missing">'
            f'<h2><span class="warn">⚠</span> {missing_label} ({len(missing)}) '
            f'<span class="explain">{escape(t("missing_explain"))}</span></h2>'
            f"<ul>{''.join(missing_item(g) for g in missing)}</ul>"
            "</div>"
        )
    else:
        blocks.append(
            f'<div class="list missing none"><h2>{missing_label}: {escape(t("none"))}</h2>'
            f"<p>{escape(t('missing_none'))}</p></div>"
        )
    return "".join(blocks)


def _overrides(lineage: LineageDocument, t: Texts) -> str:
    """What the overrides file did: counts, and each entry not applied as written."""
    record = lineage.overrides
    if record is None:
        return ""
    notes = [t("overrides_moved", entry=n.entry, message=n.message) for n in record.moved]
    notes += [t("overrides_stale", entry=n.entry, message=n.message) for n in record.stale]
    notes += [t("overrides_other", entry=n.entry, message=n.message) for n in record.other_plans]
    items = "".join(f"<li>{escape(note)}</li>" for note in notes)
    counts = t(
        "overrides_summary",
        path=record.path,
        applied=record.applied,
        moved=len(record.moved),
        stale=len(record.stale),
    )
    return (
        f'<div id="overrides">{escape(counts)}' + (f"<ul>{items}</ul>" if items else "") + "</div>"
    )


def legend(t: Texts) -> str:
    kinds = "".join(
        f'<span class="lk" title="{escape(t.kind_hints[kind])}">'
        '<svg width="26" height="10" aria-hidden="true">'
        f'<rect class="band k-{kind}" x="0" y="1" width="26" height="8" rx="2"/></svg>'
        f"{escape(t.kinds[kind])}</span>"
        for kind in t.kinds
    )
    ends = "".join(
        f'<span class="badge f-{fate}">{FATE_ICONS[fate]} {escape(t.fates[fate])}</span>'
        for fate in ("completed", "dropped", "missing_successor", "ended")
    )
    return (
        f'<div id="legend"><span class="lh">{escape(t("legend_links"))}</span>'
        f"{kinds}"
        f'<span class="lh">{escape(t("legend_ends"))}</span>{ends}'
        f'<span class="badge f-new">{escape(t("new_badge"))}</span>'
        f'<span class="badge person">{escape(t("person_mark"))}</span>'
        "</div>"
    )


def card_column(
    plan: PlanRef,
    index: int,
    lineage: LineageDocument,
    by_plan: dict[str, list[LineageGoal]],
    href: str | None,
    t: Texts,
) -> str:
    """One plan's column: its head and a card per goal, under its section headings."""
    goals = by_plan.get(plan.id, [])
    plans = lineage.plans
    following = period_of(plans[index + 1]) if index + 1 < len(plans) else t("next_plan")
    note = (
        f'<div class="standin">{escape(t("stand_in", period=following))}</div>'
        if plan.stand_in
        else ""
    )
    context = _CardContext(
        period_of={p.id: period_of(p) for p in plans},
        short_of={g.id: short_id(g) for g in lineage.goals},
        # How a card names each of its links: the kind, and ✎ when a person decided it.
        kind_of={
            (link.from_, link.to): t.kinds[link.kind].lower()
            + (" ✎" if link.decided_by == "person" else "")
            for link in lineage.links
        },
        href=href,
        texts=t,
        # Goals with a link (kept or rejected) a person decided: marked like a person's fate.
        person_links={
            end
            for link in [*lineage.links, *lineage.rejected_links]
            if link.decided_by == "person"
            for end in (link.from_, link.to)
        },
    )
    cards = []
    section: str | None = None
    for goal in goals:
        if goal.section != section:
            section = goal.section
            cards.append(f'<div class="sec">{escape(section or t("no_section"))}</div>')
        cards.append(_card(goal, index, context))
    count = escape(t("goals_count", n=len(goals)))
    return (
        f'<section class="col" data-plan="{escape(plan.id)}" data-index="{index}">'
        '<div class="colhead">'
        f'<h2>{escape(period_of(plan))}</h2><span class="cnt" data-total="{len(goals)}">'
        f"{count}</span>"
        f'<div class="ptitle">{escape(plan.title or plan.id)}</div>{note}'
        "</div>"
        f'<div class="cards">{"".join(cards)}</div>'
        "</section>"
    )


@dataclass(frozen=True)
class _CardContext:
    period_of: dict[str, str]
    short_of: dict[str, str]
    kind_of: dict[tuple[str, str], str]
    href: str | None
    texts: Texts
    person_links: set[str]


def _card(goal: LineageGoal, plan_index: int, c: _CardContext) -> str:
    t = c.texts
    fate = goal.fate
    new = plan_index > 0 and not goal.predecessors
    badges = []
    if new:
        badges.append(f'<span class="badge f-new">{escape(t("new_badge"))}</span>')
    if fate != "open":
        badges.append(
            f'<span class="badge f-{fate}">{FATE_ICONS[fate]} {escape(t.fates[fate])}</span>'
        )
    if goal.decided_by == "person" or goal.id in c.person_links:
        title = goal.note if goal.decided_by == "person" else t("person_links")
        badges.append(
            f'<span class="badge person" title="{escape(title or "")}">'
            f"{escape(t('person_mark'))}</span>"
        )
    flow = []
    if goal.predecessors:
        names = ", ".join(escape(c.short_of.get(p, p)) for p in goal.predecessors)
        flow.append(f'<span class="from">← {names}</span>')
    if goal.successors:
        targets = ", ".join(
            f"{escape(c.short_of.get(s, s))} <i>{escape(c.kind_of.get((goal.id, s), ''))}</i>"
            for s in goal.successors
        )
        next_period = escape(c.period_of.get(goal.successors[0].split("/")[0], ""))
        flow.append(f'<span class="to">→ {next_period} {targets}</span>')
    page = f'<span class="pg">{escape(_page(goal.page, t))}</span>'
    if goal.page and c.href:
        page = (
            f'<a class="pg" href="{escape(c.href, quote=True)}#page={goal.page}" '
            f'target="_blank" rel="noopener" title="{escape(t("open_page", page=goal.page))}">'
            f"{escape(_page(goal.page, t))}</a>"
        )
    return (
        f'<div class="card f-{fate}{" new" if new else ""}" tabindex="0" role="button" '
        f'data-id="{escape(goal.id)}" data-fate="{fate}"{" data-new" if new else ""}>'
        f'<div class="meta"><span class="gid">{escape(c.short_of[goal.id])}</span>'
        f"{page}{''.join(badges)}</div>"
        f'<div class="txt">{escape(goal_display_text(goal.text, goal.subgoals))}</div>'
        + (f'<div class="flow">{"".join(flow)}</div>' if flow else "")
        + "</div>"
    )


def _page(page: int, t: Texts) -> str:
    return t("page", page=page) if page else t("text_input")


def render_index(series: list[tuple[str, str, int]], t: Texts) -> str:
    """A small self-contained page linking to the report of each series (batch's report.html).

    `series`: (name, report path relative to the index, number of plans) per series.
    """
    items = "\n".join(
        f'<li><a href="{escape(path, quote=True)}">{escape(name)}</a> '
        f"<span>{escape(t('index_plans', n=count))}</span></li>"
        for name, path, count in sorted(series, key=lambda s: s[0].lower())
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(t("html_lang"))}">\n<head>\n'
        '<meta charset="utf-8">\n'
        f"<title>{escape(t('index_title'))}</title>\n"
        "<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;"
        "padding:0 1rem;color:#1d2733}li{margin:.4rem 0}span{color:#5b6775}</style>\n"
        f"</head>\n<body>\n<h1>{escape(t('index_heading'))}</h1>\n"
        f"<p>{escape(t('index_text'))}</p>\n"
        f"<ul>\n{items}\n</ul>\n</body>\n</html>\n"
    )
