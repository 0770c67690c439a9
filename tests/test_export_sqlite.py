"""`export --format sqlite` (maalspor.outputs.sqlite): tables, keys, row counts, full text."""

from __future__ import annotations

import json
import sqlite3

import pytest
import sqlite_utils
from click.testing import CliRunner

from maalspor.cli import main
from maalspor.outputs.emit import to_json
from maalspor.outputs.sqlite import write_goals_db


def open_db(path) -> sqlite_utils.Database:
    return sqlite_utils.Database(path)


def test_tables_keys_and_row_counts(two, tmp_path):
    db = open_db(write_goals_db([two], tmp_path / "goals.db"))
    assert {"plans", "goals", "follow_ups", "links"} <= set(db.table_names())
    assert db["plans"].pks == ["id"]
    assert db["goals"].pks == ["id"]
    assert db["follow_ups"].pks == ["goal"]
    assert db["links"].pks == ["from_goal", "to_goal"]
    keys = {
        (fk.table, fk.column, fk.other_table, fk.other_column)
        for t in db.tables
        for fk in t.foreign_keys
    }
    assert keys == {
        ("goals", "plan", "plans", "id"),
        ("follow_ups", "goal", "goals", "id"),
        ("links", "from_goal", "goals", "id"),
        ("links", "to_goal", "goals", "id"),
    }
    assert db["plans"].count == len(two.plans) == 2
    assert db["goals"].count == len(two.goals) == 53
    assert db["follow_ups"].count == sum(g.follow_up is not None for g in two.goals) == 28
    assert db["links"].count == len(two.links)
    # Every foreign key points at a row (SQLite checks it when asked).
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_values_round_trip(two, tmp_path):
    db = open_db(write_goals_db([two], tmp_path / "goals.db"))
    for goal in two.goals:
        row = db["goals"].get(goal.id)
        assert row["text"] == goal.text
        assert json.loads(row["documentation"]) == goal.documentation
        assert row["fate"] == goal.fate
        assert row["continued"] == (None if goal.continued is None else int(goal.continued))
    for link in two.links:
        row = db["links"].get((link.from_, link.to))
        assert row["score"] == link.score
        assert row["kind"] == link.kind
    first = db["plans"].get(two.plans[0].id)
    assert (first["organisation"], first["unit"]) == ("Albertslund Kommune", "Økonomi og Stab")
    assert (first["period_start"], first["period_end"], first["stand_in"]) == (2015, 2015, 0)
    # The follow-up of a 2015 goal is printed in the 2016-2017 plan.
    follow_up = next(db["follow_ups"].rows)
    assert follow_up["source"] == two.plans[1].source.path


def test_full_text_search_on_goals_and_follow_ups(two, tmp_path):
    path = write_goals_db([two], tmp_path / "goals.db")
    db = open_db(path)
    found = [row["id"] for row in db["goals"].search("informationssikkerhedspolitik*")]
    expected = {g.id for g in two.goals if "informationssikkerhedspolitik" in g.text.lower()}
    assert set(found) == expected and len(expected) == 2
    # Plain SQL, as any client writes it; æ, ø, å are not folded into a, o, a.
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "select goal from follow_ups where rowid in "
            "(select rowid from follow_ups_fts where follow_ups_fts match 'videreføres')"
        ).fetchall()
        folded = connection.execute(
            "select count(*) from goals_fts where goals_fts match 'mal'"
        ).fetchone()[0]
    assert rows and all(
        "videreføres" in next(g for g in two.goals if g.id == goal).follow_up.lower()
        for (goal,) in rows
    )
    assert folded == 0
    assert db["goals"].detect_fts() == "goals_fts"


def test_several_series_in_one_database(two, three, tmp_path):
    db = open_db(write_goals_db([two, three], tmp_path / "goals.db", series=["to", "tre"]))
    # The two series share plan ids (same department): the second's are prefixed.
    assert db["goals"].count == len(two.goals) + len(three.goals)
    series = {row["id"]: row["series"] for row in db["plans"].rows}
    assert sum(s == "tre" for s in series.values()) == len(three.plans)
    shared = {p.id for p in two.plans}
    assert shared & {p.id for p in three.plans}, "the two series should share plan ids"
    assert {i for i, s in series.items() if s == "tre"} == {
        f"tre:{p.id}" if p.id in shared else p.id for p in three.plans
    }
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    with pytest.raises(ValueError, match="one series name per lineage"):
        write_goals_db([two, three], tmp_path / "x.db", series=["to"])


def test_cli_export_sqlite(two, two_json, plan_2016, tmp_path):
    runner = CliRunner()
    lineage_json = two_json
    out = tmp_path / "goals.db"
    result = runner.invoke(
        main, ["export", str(lineage_json), "--format", "sqlite", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert open_db(out)["goals"].count == len(two.goals)
    # Again over the old file: replaced, not appended to.
    result = runner.invoke(
        main, ["export", str(lineage_json), "--format", "sqlite", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert open_db(out)["goals"].count == len(two.goals)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

    result = runner.invoke(main, ["export", str(lineage_json), "--format", "sqlite"])
    assert result.exit_code == 2 and "-o" in result.stderr
    plan_json = tmp_path / "plan.json"
    plan_json.write_text(to_json(plan_2016), encoding="utf-8")
    result = runner.invoke(main, ["export", str(plan_json), "--format", "sqlite", "-o", str(out)])
    assert result.exit_code == 2 and "needs a lineage" in result.stderr
