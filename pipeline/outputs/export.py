"""Flat exports of maalspor documents: one row per goal, as CSV (also for Excel) or JSON Lines.

A lineage gives one row per goal of every plan, with its verdict, fate and links; a plan gives
one row per goal and per follow-up entry. The columns are fixed and in a documented order
(`LINEAGE_COLUMNS`, `PLAN_COLUMNS`), so spreadsheets and scripts can rely on them. In CSV,
lists are joined with " | " and booleans are `true`/`false` (empty: not said); in JSON Lines
they stay lists and booleans.

`excel=True` writes what Danish Excel opens correctly by double-click: UTF-8 with a byte order
mark (without it Excel reads the file as Windows-1252 and garbles æ, ø, å), ";" as separator
(the Danish list separator; "," is the decimal comma there), CRLF line ends. Text cells that
start with = + - @ get a leading apostrophe there, so Excel shows them instead of running them
as formulas.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from maalspor.models import LineageDocument, Link, PlanDocument
from maalspor.outputs.names import DEFAULT_LANGUAGE, CodeKind, Names, names

LIST_SEPARATOR = " | "

# One row per goal of a lineage. `id` is '<plan>/<goal>', as in the lineage's links.
LINEAGE_COLUMNS: tuple[str, ...] = (
    "series",  # the department's series: the plan id without its period
    "plan",  # id of the plan in the lineage
    "period",  # the plan's period as printed, e.g. 2016-2017
    "stand_in",  # true: plan not given, its goals read from the next plan's follow-up part
    "section",
    "goal",  # the goal's id in its plan document (G001, or F001 for a stand-in plan)
    "id",  # unique in the lineage: <plan>/<goal>
    "text",
    "subgoals",
    "documentation",
    "responsible",  # who is responsible for the goal, as the plan names it
    "status",  # verdict of the next plan's follow-up: achieved, in_progress, dropped, ...
    "continued",  # whether that follow-up says the goal goes on
    "follow_up",  # the next plan's Opfølgning text
    "fate",  # continued, completed, dropped, missing_successor, ended, open
    "predecessors",
    "successors",
    "successor_kinds",  # kind of the link to each successor, in the same order
    "page",
    "follow_up_page",  # page of the follow-up, in the next plan's file
    "source",  # the plan's file
    "organisation",  # as read from the plan
    "unit",  # the department, as read from the plan
    "period_start",  # first year of the plan's period
    "period_end",  # last year
    "successor_scores",  # combined score 0-1 of the link to each successor, in the same order
    "successor_texts",  # the successors' goal texts, in the same order
)

# One row per goal and per follow-up entry of a plan document.
PLAN_COLUMNS: tuple[str, ...] = (
    "plan",  # the plan's title
    "period",
    "part",  # goal (this period's goals) or follow_up (last period's goals, followed up)
    "section",
    "section_number",
    "goal",
    "text",
    "subgoals",
    "note",
    "documentation",
    "responsible",
    "follow_up",
    "status",
    "continued",
    "page",
    "source",
    "organisation",
    "unit",
    "period_start",
    "period_end",
)
# Columns whose values are codes (English in the JSON); CSV shows their names in `--lang`.
CODE_COLUMNS: dict[str, CodeKind] = {"status": "status", "fate": "fate", "successor_kinds": "kind"}

_PERIOD_SUFFIX = re.compile(r"(?:-(?:19|20)\d\d(?:-\d{2,4})?)?(?:-stand-in)?$")
_FORMULA_START = ("=", "+", "-", "@")


def series_id(lineage: LineageDocument) -> str:
    """A name for the lineage's series: its first plan's id without the period."""
    if not lineage.plans:
        return ""
    first = lineage.plans[0].id
    return _PERIOD_SUFFIX.sub("", first) or first


def export_rows(
    document: LineageDocument | PlanDocument, series: str | None = None
) -> list[dict[str, Any]]:
    """The rows of a lineage (one per goal) or a plan (one per goal and follow-up entry).

    Values keep their types (lists, booleans, None); `to_csv` flattens them.
    """
    if isinstance(document, PlanDocument):
        return _plan_rows(document)
    return _lineage_rows(document, series)


def _lineage_rows(lineage: LineageDocument, series: str | None) -> list[dict[str, Any]]:
    name = series if series is not None else series_id(lineage)
    plans = {plan.id: plan for plan in lineage.plans}
    links = {(link.from_, link.to): link for link in lineage.links}
    texts = {goal.id: goal.text for goal in lineage.goals}
    rows = []
    for goal in lineage.goals:
        plan = plans.get(goal.plan)
        row = {
            "series": name,
            "plan": goal.plan,
            "period": plan.period.label if plan and plan.period else None,
            "stand_in": plan.stand_in if plan else False,
            "section": goal.section,
            "goal": goal.goal,
            "id": goal.id,
            "text": goal.text,
            "subgoals": list(goal.subgoals),
            "documentation": list(goal.documentation),
            "responsible": goal.responsible,
            "status": goal.status,
            "continued": goal.continued,
            "follow_up": goal.follow_up,
            "fate": goal.fate,
            "predecessors": list(goal.predecessors),
            "successors": list(goal.successors),
            "successor_kinds": [_link_value(links, goal.id, to, "kind") for to in goal.successors],
            "page": goal.page,
            "follow_up_page": goal.follow_up_page,
            "source": plan.source.path if plan else None,
            "organisation": plan.organisation if plan else None,
            "unit": plan.unit if plan else None,
            "period_start": plan.period.start if plan and plan.period else None,
            "period_end": plan.period.end if plan and plan.period else None,
            "successor_scores": [
                _link_value(links, goal.id, to, "score") for to in goal.successors
            ],
            "successor_texts": [texts.get(to) for to in goal.successors],
        }
        rows.append(row)
    return rows


def _link_value(links: dict[tuple[str, str], Link], earlier: str, later: str, field: str) -> Any:
    link = links.get((earlier, later))
    return getattr(link, field) if link is not None else None


def _plan_rows(plan: PlanDocument) -> list[dict[str, Any]]:
    rows = []
    parts = [
        ("goal", plan.period, plan.goals),
        ("follow_up", plan.follow_up_period, plan.follow_ups),
    ]
    for part, period, items in parts:
        for item in items:
            rows.append(
                {
                    "plan": plan.title,
                    "period": period.label if period else None,
                    "part": part,
                    "section": item.section,
                    "section_number": item.section_number,
                    "goal": item.id,
                    "text": item.text,
                    "subgoals": list(item.subgoals),
                    "note": item.note,
                    "documentation": list(item.documentation),
                    "responsible": item.responsible,
                    "follow_up": getattr(item, "follow_up", None),
                    "status": getattr(item, "status", None),
                    "continued": getattr(item, "continued", None),
                    "page": item.page,
                    "source": plan.source.path,
                    "organisation": plan.organisation,
                    "unit": plan.unit,
                    "period_start": period.start if period else None,
                    "period_end": period.end if period else None,
                }
            )
    return rows


def columns_of(document: LineageDocument | PlanDocument) -> tuple[str, ...]:
    return PLAN_COLUMNS if isinstance(document, PlanDocument) else LINEAGE_COLUMNS


def _cell(value: Any, excel: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        text = LIST_SEPARATOR.join("" if v is None else str(v) for v in value)
    else:
        text = str(value)
    if excel and isinstance(value, str | list) and text.startswith(_FORMULA_START):
        text = "'" + text
    return text


def _named(row: dict[str, Any], language: Names) -> dict[str, Any]:
    """The row with its code columns (status, fate, link kinds) as names of `language`."""
    named = dict(row)
    for column, kind in CODE_COLUMNS.items():
        value = row.get(column)
        if isinstance(value, list):
            named[column] = [language.name(kind, v) for v in value]
        elif value is not None:
            named[column] = language.name(kind, value)
    return named


def _write_csv(
    stream: io.StringIO,
    columns: Sequence[str],
    rows: Sequence[dict[str, Any]],
    excel: bool,
    lang: str,
) -> None:
    # The standard dialect ("," and CRLF) is RFC 4180; Excel differs only in the separator.
    writer = csv.writer(stream, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow(columns)
    language = names(lang) if lang != DEFAULT_LANGUAGE else None
    for row in rows:
        shown = _named(row, language) if language else row
        writer.writerow([_cell(shown.get(column), excel) for column in columns])


def to_csv(
    document: LineageDocument | PlanDocument, excel: bool = False, lang: str = DEFAULT_LANGUAGE
) -> str:
    """CSV text with a header row; `excel=True`: BOM, ";" and CRLF for Danish Excel; `lang`:
    status, fate and link kinds as names of that language ('en': the codes, as in the JSON)."""
    stream = io.StringIO(newline="")
    if excel:
        stream.write("\ufeff")
    _write_csv(stream, columns_of(document), export_rows(document), excel, lang)
    return stream.getvalue()


def to_jsonl(document: LineageDocument | PlanDocument) -> str:
    """One JSON object per line, keys in column order, lists and booleans kept."""
    columns = columns_of(document)
    lines = [
        json.dumps({c: row[c] for c in columns}, ensure_ascii=False)
        for row in export_rows(document)
    ]
    return "".join(line + "\n" for line in lines)


def write_goals_csv(
    lineages: Sequence[LineageDocument],
    path: str | Path,
    excel: bool = True,
    series: Sequence[str] | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> Path:
    """Every goal of several series in one CSV file (batch's goals.csv), written atomically.

    `series` names the lineages (e.g. batch's series ids); by default each is `series_id`.
    """
    from maalspor.outputs.emit import write_text_atomic

    if series is not None and len(series) != len(lineages):
        raise ValueError("give one series name per lineage")
    rows: list[dict[str, Any]] = []
    for index, lineage in enumerate(lineages):
        rows.extend(_lineage_rows(lineage, series[index] if series is not None else None))
    stream = io.StringIO(newline="")
    if excel:
        stream.write("\ufeff")
    _write_csv(stream, LINEAGE_COLUMNS, rows, excel, lang)
    return write_text_atomic(path, stream.getvalue())
