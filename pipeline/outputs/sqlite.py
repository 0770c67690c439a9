"""Lineages as an SQLite database, for datasette, sqlite3 and any SQL client.

Four tables, keyed by the lineage's own ids, with foreign keys between them:

- `plans`: one row per plan (`id`; `series`, `title`, `organisation`, `unit`, `period`,
  `period_start`, `period_end`, `stand_in`, `source`, `sha256`, `pages`, `position` in the
  series);
- `goals`: one row per goal (`id` '<plan>/<goal>', `plan` → plans.id; `goal`, `section`,
  `text`, `subgoals`, `documentation`, `responsible`, `page`, `status`, `continued`, `fate`);
- `follow_ups`: the next plan's follow-up of a goal (`goal` → goals.id, its key; `text`,
  `status`, `continued`, `status_evidence`, `page`, `source`: the file it is printed in);
- `links`: a goal and its successor (`from_goal`, `to_goal` → goals.id, together the key;
  `kind`, `score`, `evidence`).

Lists are JSON arrays (SQLite's `json_each` reads them), booleans 0/1, "not said" NULL. The
goals' text, subgoals and documentation, and the follow-up texts, have FTS5 full-text indexes
(`goals_fts`, `follow_ups_fts`) that keep æ, ø and å apart from a, o and a (SQLite's default
tokenizer folds å into a, which makes "mål" find "mal").

The file is written to a temporary name beside the target and renamed over it, like every
other output, so a reader never sees half a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlite_utils

from maalspor.models import LineageDocument
from maalspor.outputs.export import series_id

# Column types of each table, in their order; the keys and foreign keys follow.
PLAN_TABLE: dict[str, type] = {
    "id": str,
    "series": str,
    "position": int,
    "title": str,
    "organisation": str,
    "unit": str,
    "period": str,
    "period_start": int,
    "period_end": int,
    "stand_in": int,
    "source": str,
    "sha256": str,
    "pages": int,
}
GOAL_TABLE: dict[str, type] = {
    "id": str,
    "plan": str,
    "goal": str,
    "section": str,
    "text": str,
    "subgoals": str,
    "documentation": str,
    "responsible": str,
    "page": int,
    "status": str,
    "continued": int,
    "fate": str,
}
FOLLOW_UP_TABLE: dict[str, type] = {
    "goal": str,
    "text": str,
    "status": str,
    "continued": int,
    "status_evidence": str,
    "page": int,
    "source": str,
}
LINK_TABLE: dict[str, type] = {
    "from_goal": str,
    "to_goal": str,
    "kind": str,
    "score": float,
    "evidence": str,
}
FTS_COLUMNS = {"goals": ["text", "subgoals", "documentation"], "follow_ups": ["text"]}
# unicode61 without diacritic folding: Danish æ, ø, å are letters of their own.
FTS_TOKENIZE = "unicode61 remove_diacritics 0"


def _create_tables(db: sqlite_utils.Database) -> None:
    db["plans"].create(PLAN_TABLE, pk="id", not_null={"id", "series"})
    db["goals"].create(
        GOAL_TABLE,
        pk="id",
        not_null={"id", "plan", "text"},
        foreign_keys=[("plan", "plans", "id")],
    )
    db["follow_ups"].create(FOLLOW_UP_TABLE, pk="goal", foreign_keys=[("goal", "goals", "id")])
    db["links"].create(
        LINK_TABLE,
        pk=("from_goal", "to_goal"),
        not_null={"from_goal", "to_goal"},
        foreign_keys=[("from_goal", "goals", "id"), ("to_goal", "goals", "id")],
    )


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _rows(
    lineage: LineageDocument, series: str, taken: set[str]
) -> dict[str, list[dict[str, Any]]]:
    """The rows of one lineage; a plan id already `taken` by another series gets its series as
    a prefix ('<series>:<plan>'), so keys stay unique in a database of several series."""
    plan_key = {}
    for plan in lineage.plans:
        key = plan.id if plan.id not in taken else f"{series}:{plan.id}"
        plan_key[plan.id] = key
        taken.add(key)

    def goal_key(goal_id: str) -> str:
        plan, _, goal = goal_id.partition("/")
        return f"{plan_key.get(plan, plan)}/{goal}"

    follow_up_source = lineage.follow_up_sources()
    plans = [
        {
            "id": plan_key[plan.id],
            "series": series,
            "position": index,
            "title": plan.title,
            "organisation": plan.organisation,
            "unit": plan.unit,
            "period": plan.period.label if plan.period else None,
            "period_start": plan.period.start if plan.period else None,
            "period_end": plan.period.end if plan.period else None,
            "stand_in": int(plan.stand_in),
            "source": plan.source.path,
            "sha256": plan.source.sha256,
            "pages": plan.source.pages,
        }
        for index, plan in enumerate(lineage.plans)
    ]
    goals, follow_ups = [], []
    for goal in lineage.goals:
        goals.append(
            {
                "id": goal_key(goal.id),
                "plan": plan_key[goal.plan],
                "goal": goal.goal,
                "section": goal.section,
                "text": goal.text,
                "subgoals": goal.subgoals,
                "documentation": goal.documentation,
                "responsible": goal.responsible,
                "page": goal.page,
                "status": goal.status,
                "continued": _flag(goal.continued),
                "fate": goal.fate,
            }
        )
        if goal.follow_up is not None:
            follow_ups.append(
                {
                    "goal": goal_key(goal.id),
                    "text": goal.follow_up,
                    "status": goal.status,
                    "continued": _flag(goal.continued),
                    "status_evidence": goal.status_evidence,
                    "page": goal.follow_up_page,
                    "source": follow_up_source.get(goal.plan),
                }
            )
    links = [
        {
            "from_goal": goal_key(link.from_),
            "to_goal": goal_key(link.to),
            "kind": link.kind,
            "score": link.score,
            "evidence": [e.model_dump() for e in link.evidence],
        }
        for link in lineage.links
    ]
    return {"plans": plans, "goals": goals, "follow_ups": follow_ups, "links": links}


def fill_database(
    db: sqlite_utils.Database,
    lineages: Sequence[LineageDocument],
    series: Sequence[str] | None = None,
) -> None:
    """Create the four tables and their full-text indexes in an empty database and fill them."""
    if series is not None and len(series) != len(lineages):
        raise ValueError("give one series name per lineage")
    _create_tables(db)
    taken: set[str] = set()
    for index, lineage in enumerate(lineages):
        name = series[index] if series is not None else series_id(lineage)
        for table, rows in _rows(lineage, name, taken).items():
            db[table].insert_all(rows)
    for table, columns in FTS_COLUMNS.items():
        db[table].enable_fts(columns, tokenize=FTS_TOKENIZE)


def write_goals_db(
    lineages: Sequence[LineageDocument],
    path: str | Path,
    series: Sequence[str] | None = None,
) -> Path:
    """Every goal of one or several series in one SQLite file, written atomically.

    `series` names the lineages (batch's series ids); by default each is `series_id`.
    """
    from maalspor.outputs.emit import atomic_target

    with atomic_target(path) as temporary:
        db = sqlite_utils.Database(temporary)
        try:
            with db.conn:
                fill_database(db, lineages, series)
        finally:
            db.close()
    return Path(path)
