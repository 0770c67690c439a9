"""One self-contained HTML page that shows a lineage: plans as columns, links as bands.

The page must open offline from a USB stick, so everything is inline: the CSS and the script
come from `pipeline/outputs/report_assets/`, the data is the lineage document itself (plus notes and
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
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from urllib.parse import quote

from maalspor.models import LineageDocument, LineageGoal, PlanDocument
from maalspor.outputs.names import REPORT_LANGUAGE, names
from maalspor.outputs.report_html import (
    Texts,
    card_column,
    header,
    legend,
    period_of,
    review_bar,
    summary,
    years,
)
from maalspor.outputs.survival import reach, survival_table
from maalspor.version import __version__

ASSETS = Path(__file__).resolve().parent / "report_assets"

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
    lang: str = REPORT_LANGUAGE,
    *,
    missing_pdfs: Sequence[str] = (),
    review: str | None = None,
) -> str:
    """The whole HTML page of a lineage; `plans` (optional) add goal notes and names; `files`
    (optional, from `pdf_links`) link every page number to that page of its PDF, and
    `missing_pdfs` names the PDFs that were not found; `lang`: the language of its texts
    (`rules/names.toml`). `review`: the page `maalspor review` serves, with the tools that
    write decisions to the overrides file it names."""
    t = Texts(names(lang))
    documents = _documents_by_ref(lineage, plans or [])
    files = dict(files or {})
    reached = reach(lineage)
    data = {
        "files": files,
        "lineage": json.loads(lineage.model_dump_json(by_alias=True)),
        "notes": _notes(lineage, documents),
        "followUpSource": lineage.follow_up_sources(),
        "reach": {goal: list(end) for goal, end in reached.items()},
        "review": {"overrides": review} if review is not None else None,
        "labels": {
            "fate": t.fates,
            "kind": t.kinds,
            "kindHint": t.kind_hints,
            "status": t.statuses,
            "ui": t.ui,
        },
    }
    title = _title(lineage, documents)
    periods = " → ".join(period_of(plan) for plan in lineage.plans)
    by_plan = _goals_by_plan(lineage)
    dense = max((len(goals) for goals in by_plan.values()), default=0) > 60
    body_class = [c for c, on in (("dense", dense), ("review", review is not None)) if on]
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(t("html_lang"))}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="maalspor {escape(__version__)}">',
        f"<title>{escape(title)} · {escape(periods)} – Målspor</title>",
        f"<style>\n{_asset('report.css', 'style')}</style>",
        f"<style>\n{_asset('review.css', 'style')}</style>" if review is not None else "",
        "</head>",
        f'<body class="{" ".join(body_class)}">',
        header(title, periods, t),
        review_bar(review, t) if review is not None else "",
        summary(lineage, t, survival_table(lineage, reached, t), missing_pdfs),
        legend(t),
        years(lineage, t),
        '<main id="main">',
        '<div id="board">',
        '<svg id="bands" aria-hidden="true"></svg>',
        *(
            card_column(plan, index, lineage, by_plan, files.get(plan.source.path), t)
            for index, plan in enumerate(lineage.plans)
        ),
        "</div>",
        '<aside id="detail" aria-live="polite">',
        '<div class="placeholder">',
        f"<h2>{escape(t('placeholder_heading'))}</h2>",
        f"<p>{escape(t('placeholder_text'))}</p>",
        f"<p>{escape(t('placeholder_search'))}</p>",
        "</div>",
        "</aside>",
        "</main>",
        f'<script type="application/json" id="data">{_script_json(data)}</script>',
        f"<script>\n{_asset('report.js', 'script')}</script>",
        f"<script>\n{_asset('review.js', 'script')}</script>" if review is not None else "",
        "</body>",
        "</html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


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


def _title(lineage: LineageDocument, documents: dict[str, PlanDocument]) -> str:
    for document in documents.values():
        if document.unit:
            return ", ".join(p for p in (document.unit, document.organisation) if p)
    for plan in lineage.plans:
        if plan.title:
            return _TRAILING_PERIOD.sub("", plan.title) or plan.title
    return "Målspor"
