"""One self-contained HTML page that shows a lineage: plans as columns, links as bands.

The page must open offline from a USB stick, so everything is inline: the CSS and the script
come from `pipeline/report_assets/`, the data is the lineage document itself (plus notes and
names from the plans, when given) in a `<script type="application/json">` block, and only the
system's own fonts are used. Cards, columns and the summary are rendered here (escaped with
`html.escape`), so the page's content is readable even without its script; the script draws
the bands, filters, and fills the detail panel (with `textContent`, never HTML).

The output depends on its inputs only (no times, no random ids), so batch runs stay
byte-identical.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from html import escape
from pathlib import Path
from urllib.parse import quote

from maalspor import __version__
from maalspor.models import LineageDocument, LineageGoal, PlanDocument, PlanRef
from maalspor.text import goal_display_text

ASSETS = Path(__file__).resolve().parent / "report_assets"

FATE_LABELS = {
    "continued": "Videreført",
    "completed": "Opfyldt",
    "dropped": "Droppet",
    "missing_successor": "Lovet videreført – mangler",
    "ended": "Ikke videreført",
    "open": "Ingen opfølgning endnu",
}
KIND_LABELS = {
    "same": "Videreført",
    "reworded": "Omformuleret",
    "merged": "Sammenlagt",
    "split": "Opdelt",
    "changed": "Ændret",
}
KIND_HINTS = {
    "same": "samme ordlyd",
    "reworded": "ny ordlyd, samme mål",
    "merged": "flere mål blev til ét",
    "split": "ét mål blev til flere",
    "changed": "målet er ændret",
}
STATUS_LABELS = {
    "achieved": "Opfyldt",
    "partially_achieved": "Delvist opfyldt",
    "not_achieved": "Ikke opfyldt",
    "in_progress": "I gang",
    "changed": "Ændret",
    "dropped": "Droppet",
    "unknown": "Ukendt",
}
FATE_ICONS = {
    "continued": "→",
    "completed": "✓",
    "dropped": "✕",
    "missing_successor": "⚠",
    "ended": "■",
    "open": "…",
}
# A person's decision (overrides file), on cards and in the legend.
PERSON_MARK = "✎ Afgjort af en person"
# Columns of the summary, in the order a reader asks about them.
SUMMARY_FATES = ("continued", "missing_successor", "completed", "dropped", "ended")
_TRAILING_PERIOD = re.compile(r"\s*(?:19|20)\d\d(?:\s*[-/–]\s*(?:19|20)?\d\d)?\s*$")


def pdf_links(files: Mapping[str, Path], report_dir: str | Path) -> dict[str, str]:
    """Per source path, the URL of its PDF relative to the report's folder (so the report and
    the plans can move together, to a USB stick or a share); inputs that are not PDFs get none.

    `files`: each plan's `source.path` → where that file is now.
    """
    base = Path(os.path.abspath(report_dir))
    links: dict[str, str] = {}
    for source, path in sorted(files.items()):
        if path.suffix.lower() != ".pdf":
            continue
        target = Path(os.path.abspath(path))
        try:
            links[source] = quote(Path(os.path.relpath(target, base)).as_posix())
        except ValueError:  # another drive (Windows): no relative path
            links[source] = target.as_uri()
    return links


def render_report(
    lineage: LineageDocument,
    plans: list[PlanDocument] | None = None,
    files: Mapping[str, str] | None = None,
) -> str:
    """The whole HTML page of a lineage; `plans` (optional) add goal notes and names; `files`
    (optional, from `pdf_links`) link every page number to that page of its PDF."""
    documents = _documents_by_ref(lineage, plans or [])
    files = dict(files or {})
    data = {
        "files": files,
        "lineage": json.loads(lineage.model_dump_json(by_alias=True)),
        "notes": _notes(lineage, documents),
        "followUpSource": lineage.follow_up_sources(),
        "labels": {
            "fate": FATE_LABELS,
            "kind": KIND_LABELS,
            "kindHint": KIND_HINTS,
            "status": STATUS_LABELS,
        },
    }
    title = _title(lineage, documents)
    periods = " → ".join(_period(plan) for plan in lineage.plans)
    by_plan = _goals_by_plan(lineage)
    dense = max((len(goals) for goals in by_plan.values()), default=0) > 60
    parts = [
        "<!DOCTYPE html>",
        '<html lang="da">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="maalspor {escape(__version__)}">',
        f"<title>{escape(title)} · {escape(periods)} – Målspor</title>",
        f"<style>\n{_asset('report.css', 'style')}</style>",
        "</head>",
        f'<body class="{"dense" if dense else ""}">',
        _header(title, periods),
        _summary(lineage, by_plan),
        _legend(),
        '<main id="main">',
        '<div id="board">',
        '<svg id="bands" aria-hidden="true"></svg>',
        *(
            _column(plan, index, lineage, by_plan, files.get(plan.source.path))
            for index, plan in enumerate(lineage.plans)
        ),
        "</div>",
        '<aside id="detail" aria-live="polite">',
        '<div class="placeholder">',
        "<h2>Klik på et mål</h2>",
        "<p>så vises målets tekst, dokumentation, opfølgning, vurdering, forbindelserne til "
        "andre mål (med begrundelse) og hvor i planen det står.</p>",
        "<p>Søg i alle mål i feltet øverst; klik på tallene i oversigten for kun at se de mål.</p>",
        "</div>",
        "</aside>",
        "</main>",
        f'<script type="application/json" id="data">{_script_json(data)}</script>',
        f"<script>\n{_asset('report.js', 'script')}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------------------------------------
# Data


def _asset(name: str, tag: str) -> str:
    text = (ASSETS / name).read_text(encoding="utf-8")
    # An asset that closed its own element would cut the page short.
    if f"</{tag}" in text.lower():
        raise ValueError(f"report asset {name} contains </{tag}")
    return text


def _script_json(data: object) -> str:
    """JSON that cannot end its <script> element: <, > and & as \\u escapes (still valid JSON)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _documents_by_ref(
    lineage: LineageDocument, plans: list[PlanDocument]
) -> dict[str, PlanDocument]:
    """The plan document each plan of the lineage was read from (a stand-in: the later plan)."""
    by_hash = {plan.source.sha256: plan for plan in plans}
    return {
        ref.id: by_hash[ref.source.sha256] for ref in lineage.plans if ref.source.sha256 in by_hash
    }


def _notes(lineage: LineageDocument, documents: dict[str, PlanDocument]) -> dict[str, str]:
    notes: dict[str, str] = {}
    for ref in lineage.plans:
        document = documents.get(ref.id)
        if document is None:
            continue
        items = document.follow_ups if ref.stand_in else document.goals
        for item in items:
            if item.note:
                notes[f"{ref.id}/{item.id}"] = item.note
    return notes


def _goals_by_plan(lineage: LineageDocument) -> dict[str, list[LineageGoal]]:
    by_plan: dict[str, list[LineageGoal]] = {plan.id: [] for plan in lineage.plans}
    for goal in lineage.goals:
        by_plan.setdefault(goal.plan, []).append(goal)
    return by_plan


def _period(plan: PlanRef) -> str:
    return plan.period.label if plan.period else plan.id


def _title(lineage: LineageDocument, documents: dict[str, PlanDocument]) -> str:
    for document in documents.values():
        if document.unit:
            return ", ".join(p for p in (document.unit, document.organisation) if p)
    for plan in lineage.plans:
        if plan.title:
            return _TRAILING_PERIOD.sub("", plan.title) or plan.title
    return "Målspor"


def _short(goal: LineageGoal) -> str:
    """A goal's number in its plan, without leading zeros (G001 → G1)."""
    return re.sub(r"^([A-Z]+)0+(?=\d)", r"\1", goal.goal)


# ---------------------------------------------------------------------------------------------
# HTML


def _header(title: str, periods: str) -> str:
    return (
        "<header>"
        f'<h1><span class="brand">Målspor</span> {escape(title)}'
        f' <span class="periods">{escape(periods)}</span></h1>'
        '<div class="tools">'
        '<label class="search"><span>Søg</span>'
        '<input id="q" type="search" placeholder="Søg i mål, dokumentation, opfølgning …" '
        'autocomplete="off"></label>'
        '<span id="filter-state" hidden></span>'
        '<button id="reset" type="button" hidden>Vis alle</button>'
        "</div>"
        "</header>"
    )


def _summary(lineage: LineageDocument, by_plan: dict[str, list[LineageGoal]]) -> str:
    """Per plan: what became of its goals in the next plan; then the missing ones, clickable."""
    rows = []
    plans = lineage.plans
    for index, plan in enumerate(plans):
        goals = by_plan.get(plan.id, [])
        period = escape(_period(plan))
        cells = [
            f'<th scope="row"><span class="p">{period}</span>'
            f'<span class="n">{len(goals)} mål</span></th>'
        ]
        if index > 0:
            new = sum(1 for g in goals if not g.predecessors)
            previous = escape(_period(plans[index - 1]))
            cells.append(
                f'<td><button type="button" class="count f-new{" zero" if not new else ""}" '
                f'data-plan="{escape(plan.id)}" data-fate="new" '
                f'title="Vis kun de mål i {period}, der ikke findes i {previous}">'
                f"<b>{new}</b> nye</button></td>"
            )
        else:
            cells.append("<td></td>")
        if index + 1 < len(plans):
            following = escape(_period(plans[index + 1]))
            for fate in SUMMARY_FATES:
                count = sum(1 for g in goals if g.fate == fate)
                zero = "" if count else " zero"
                cells.append(
                    f'<td><button type="button" class="count f-{fate}{zero}" '
                    f'data-plan="{escape(plan.id)}" data-fate="{fate}" '
                    f'title="Vis kun disse mål fra {period}">'
                    f"<b>{count}</b> {escape(FATE_LABELS[fate].lower())}</button></td>"
                )
            cells.append(f'<td class="next">i {following}</td>')
        else:
            cells.append(
                f'<td colspan="{len(SUMMARY_FATES) + 1}" class="last">'
                "seneste plan – ingen opfølgning endnu</td>"
            )
        rows.append(f"<tr>{''.join(cells)}</tr>")
    plan_period = {plan.id: _period(plan) for plan in plans}
    short_of = {g.id: _short(g) for g in lineage.goals}
    kind_of = {(link.from_, link.to): link.kind for link in lineage.links}

    def item(goal: LineageGoal, flow: str = "") -> str:
        shown = goal_display_text(goal.text, goal.subgoals)
        return (
            f'<li><button type="button" class="goto" data-goal="{escape(goal.id)}" '
            f'title="{escape(shown)}">'
            f'<span class="mp">{escape(plan_period.get(goal.plan, goal.plan))} '
            f"{escape(short_of[goal.id])}</span>{flow} {escape(shown)}</button></li>"
        )

    continued = [g for g in lineage.goals if g.fate == "continued"]
    continued_items = [
        item(
            g,
            ' <span class="fl">→ '
            + ", ".join(
                f"{escape(short_of.get(s, s))}{'' if kind_of.get((g.id, s)) == 'same' else '*'}"
                for s in g.successors
            )
            + "</span>",
        )
        for g in continued
    ]
    missing = [g for g in lineage.goals if g.fate == "missing_successor"]

    def missing_item(goal: LineageGoal) -> str:
        shown = [
            f"{escape(short_of.get(c.to, c.to))} {_number(c.score)}"
            for c in goal.candidates
            if c.to in short_of
        ]
        if not shown:
            return item(goal)
        return item(goal).removesuffix("</li>") + (
            f'<span class="cand">kandidater under tærsklen: {" · ".join(shown)}</span></li>'
        )

    blocks = [
        '<div class="list continued">'
        f"<h2>→ Videreført ({len(continued)}) "
        '<span class="explain">i næste plan som … (* ændret ordlyd)</span></h2>'
        f"<ul>{''.join(continued_items) or '<li>ingen</li>'}</ul>"
        "</div>"
    ]
    if missing:
        blocks.append(
            '<div class="list missing">'
            f'<h2><span class="warn">⚠</span> Lovet videreført – mangler ({len(missing)}) '
            '<span class="explain">lovet i opfølgningen, men intet tilsvarende mål i næste '
            "plan</span></h2>"
            f"<ul>{''.join(missing_item(g) for g in missing)}</ul>"
            "</div>"
        )
    else:
        blocks.append(
            '<div class="list missing none"><h2>Lovet videreført – mangler: ingen</h2>'
            "<p>Alle mål, som opfølgningen lover videreført, findes i den næste plan.</p></div>"
        )
    return (
        '<section id="summary" aria-label="Oversigt">'
        '<div class="fates"><h2>Hvad blev der af målene?</h2>'
        f"<table>{''.join(rows)}</table>{_overrides(lineage)}</div>"
        f'<div class="lists">{"".join(blocks)}</div>'
        "</section>"
    )


def _number(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _overrides(lineage: LineageDocument) -> str:
    """What the overrides file did: counts, and each entry not applied as written."""
    record = lineage.overrides
    if record is None:
        return ""
    notes = [f"{n.entry}: flyttet: {n.message}" for n in record.moved]
    notes += [f"{n.entry}: forældet, ikke brugt: {n.message}" for n in record.stale]
    notes += [f"{n.entry}: ikke brugt: {n.message}" for n in record.other_plans]
    items = "".join(f"<li>{escape(note)}</li>" for note in notes)
    return (
        f'<div id="overrides">Rettelser fra {escape(record.path)}: {record.applied} brugt, '
        f"{len(record.moved)} flyttet, {len(record.stale)} forældede"
        + (f"<ul>{items}</ul>" if items else "")
        + "</div>"
    )


def _legend() -> str:
    kinds = "".join(
        f'<span class="lk" title="{escape(KIND_HINTS[kind])}">'
        '<svg width="26" height="10" aria-hidden="true">'
        f'<rect class="band k-{kind}" x="0" y="1" width="26" height="8" rx="2"/></svg>'
        f"{escape(KIND_LABELS[kind])}</span>"
        for kind in KIND_LABELS
    )
    ends = "".join(
        f'<span class="badge f-{fate}">{FATE_ICONS[fate]} {escape(FATE_LABELS[fate])}</span>'
        for fate in ("completed", "dropped", "missing_successor", "ended")
    )
    return (
        '<div id="legend"><span class="lh">Forbindelser:</span>'
        f"{kinds}"
        f'<span class="lh">Linjens ende:</span>{ends}'
        '<span class="badge f-new">★ Ny</span>'
        f'<span class="badge person">{PERSON_MARK}</span>'
        "</div>"
    )


def _column(
    plan: PlanRef,
    index: int,
    lineage: LineageDocument,
    by_plan: dict[str, list[LineageGoal]],
    href: str | None,
) -> str:
    goals = by_plan.get(plan.id, [])
    plans = lineage.plans
    period = escape(_period(plan))
    note = (
        '<div class="standin">Planen er ikke givet: målene er læst fra opfølgningen i '
        f"{escape(_period(plans[index + 1]) if index + 1 < len(plans) else 'næste plan')}</div>"
        if plan.stand_in
        else ""
    )
    period_of = {p.id: _period(p) for p in plans}
    short_of = {g.id: _short(g) for g in lineage.goals}
    # How a card names each of its links: the kind, and ✎ when a person decided it.
    kind_of = {
        (link.from_, link.to): KIND_LABELS[link.kind].lower()
        + (" ✎" if link.decided_by == "person" else "")
        for link in lineage.links
    }
    cards = []
    section: str | None = None
    for goal in goals:
        if goal.section != section:
            section = goal.section
            cards.append(f'<div class="sec">{escape(section or "Uden indsatsområde")}</div>')
        cards.append(_card(goal, index, period_of, short_of, kind_of, href))
    return (
        f'<section class="col" data-plan="{escape(plan.id)}" data-index="{index}">'
        '<div class="colhead">'
        f'<h2>{period}</h2><span class="cnt" data-total="{len(goals)}">{len(goals)} mål</span>'
        f'<div class="ptitle">{escape(plan.title or plan.id)}</div>{note}'
        "</div>"
        f'<div class="cards">{"".join(cards)}</div>'
        "</section>"
    )


def _card(
    goal: LineageGoal,
    plan_index: int,
    period_of: dict[str, str],
    short_of: dict[str, str],
    kind_of: dict[tuple[str, str], str],
    href: str | None,
) -> str:
    fate = goal.fate
    new = plan_index > 0 and not goal.predecessors
    badges = []
    if new:
        badges.append('<span class="badge f-new">★ Ny</span>')
    if fate != "open":
        badges.append(
            f'<span class="badge f-{fate}">{FATE_ICONS[fate]} {escape(FATE_LABELS[fate])}</span>'
        )
    if goal.decided_by == "person":
        badges.append(
            f'<span class="badge person" title="{escape(goal.note or "")}">{PERSON_MARK}</span>'
        )
    flow = []
    if goal.predecessors:
        names = ", ".join(escape(short_of.get(p, p)) for p in goal.predecessors)
        flow.append(f'<span class="from">← {names}</span>')
    if goal.successors:
        targets = ", ".join(
            f"{escape(short_of.get(s, s))} <i>{escape(kind_of.get((goal.id, s), ''))}</i>"
            for s in goal.successors
        )
        next_period = escape(period_of.get(goal.successors[0].split("/")[0], ""))
        flow.append(f'<span class="to">→ {next_period} {targets}</span>')
    page = f'<span class="pg">{"s. " + str(goal.page) if goal.page else "tekst"}</span>'
    if goal.page and href:
        page = (
            f'<a class="pg" href="{escape(href, quote=True)}#page={goal.page}" '
            f'target="_blank" rel="noopener" title="Åbn planen på side {goal.page}">'
            f"s. {goal.page}</a>"
        )
    return (
        f'<div class="card f-{fate}{" new" if new else ""}" tabindex="0" role="button" '
        f'data-id="{escape(goal.id)}" data-fate="{fate}"{" data-new" if new else ""}>'
        f'<div class="meta"><span class="gid">{escape(short_of[goal.id])}</span>'
        f"{page}{''.join(badges)}</div>"
        f'<div class="txt">{escape(goal_display_text(goal.text, goal.subgoals))}</div>'
        + (f'<div class="flow">{"".join(flow)}</div>' if flow else "")
        + "</div>"
    )


def render_index(series: list[tuple[str, str, int]]) -> str:
    """A small self-contained page linking to the report of each series (batch's report.html).

    `series`: (name, report path relative to the index, number of plans) per series.
    """
    items = "\n".join(
        f'<li><a href="{escape(path, quote=True)}">{escape(name)}</a> '
        f"<span>({count} planer)</span></li>"
        for name, path, count in sorted(series, key=lambda s: s[0].lower())
    )
    return (
        '<!DOCTYPE html>\n<html lang="da">\n<head>\n<meta charset="utf-8">\n'
        "<title>maalspor – rapporter</title>\n"
        "<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;"
        "padding:0 1rem;color:#1d2733}li{margin:.4rem 0}span{color:#5b6775}</style>\n"
        "</head>\n<body>\n<h1>Målspor – afdelinger og deres planer</h1>\n"
        "<p>Vælg en afdeling for at se, hvad der blev af dens mål fra plan til plan.</p>\n"
        f"<ul>\n{items}\n</ul>\n</body>\n</html>\n"
    )
