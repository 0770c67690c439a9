"""`maalspor export` and maalspor.outputs.export: one row per goal as CSV, Excel CSV, JSON Lines."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from maalspor.cli import main
from maalspor.outputs.emit import to_json
from maalspor.outputs.export import (
    LINEAGE_COLUMNS,
    PLAN_COLUMNS,
    export_rows,
    series_id,
    to_csv,
    to_jsonl,
    write_goals_csv,
)
from tests.test_schemas import assert_valid

BOM = b"\xef\xbb\xbf"


def read_csv(text: str, delimiter: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def test_csv_has_the_documented_columns_and_one_row_per_goal(two):
    text = to_csv(two)
    assert not text.startswith("\ufeff")
    header = next(csv.reader(io.StringIO(text, newline="")))
    assert tuple(header) == LINEAGE_COLUMNS
    assert header[:5] == ["series", "plan", "period", "stand_in", "section"]
    rows = read_csv(text, ",")
    assert len(rows) == len(two.goals) == 53
    assert [r["id"] for r in rows] == [g.id for g in two.goals]
    # RFC 4180: every record ends in CRLF (a line break inside a quoted cell stays as it is)
    assert text.count("\r\n") == len(rows) + 1
    assert text.endswith("\r\n")


def test_csv_values_round_trip(two):
    rows = {r["id"]: r for r in read_csv(to_csv(two), ",")}
    for goal in two.goals:
        row = rows[goal.id]
        assert row["text"] == goal.text
        assert row["documentation"] == " | ".join(goal.documentation)
        assert row["fate"] == goal.fate
        assert row["status"] == (goal.status or "")
        assert row["continued"] == {True: "true", False: "false", None: ""}[goal.continued]
        assert row["successors"] == " | ".join(goal.successors)
        assert row["predecessors"] == " | ".join(goal.predecessors)
        assert row["page"] == str(goal.page)
        assert row["follow_up"] == (goal.follow_up or "")
    first = rows["albertslund-kommune-okonomi-og-stab-2015/G001"]
    assert first["period"] == "2015"
    assert first["fate"] == "missing_successor"
    assert first["source"].endswith("samples/albertslund-okonomi-og-stab-2015.pdf")
    assert first["series"] == "albertslund-kommune-okonomi-og-stab"
    # a link's kind stands beside its successor
    for row in rows.values():
        kinds = row["successor_kinds"].split(" | ") if row["successor_kinds"] else []
        assert len(kinds) == len(row["successors"].split(" | ") if row["successors"] else [])
        assert set(kinds) <= {"same", "reworded", "merged", "split", "changed"}
    assert any(row["successor_kinds"] for row in rows.values())


def test_excel_csv_is_bom_semicolon_crlf_with_danish_letters(two):
    text = to_csv(two, excel=True)
    data = text.encode("utf-8")
    assert data.startswith(BOM)
    assert data.count(BOM) == 1
    assert data.endswith(b"\r\n")
    assert data.count(b"\r\n") == len(two.goals) + 1  # CRLF after each record, none elsewhere
    decoded = data.decode("utf-8-sig")
    header = decoded.split("\r\n", 1)[0]
    assert header == ";".join(LINEAGE_COLUMNS)
    rows = read_csv(decoded, ";")
    assert len(rows) == len(two.goals)
    # same content as the standard dialect
    assert rows == read_csv(to_csv(two), ",")
    assert [r["text"] for r in rows] == [g.text for g in two.goals]
    joined = "".join(r["text"] + r["documentation"] + r["follow_up"] + r["section"] for r in rows)
    for letter in "æøåØ":  # the samples have no Æ or Å
        assert letter in joined, letter
    # read as Excel would on a Danish Windows without the BOM, this would be mojibake:
    assert "Ã¸" not in decoded


def test_excel_csv_keeps_formulas_out(two):
    goal = two.goals[0]
    crafted = two.model_copy(
        update={
            "goals": [
                goal.model_copy(update={"text": '=HYPERLINK("x")', "documentation": ["-5 %"]}),
                *two.goals[1:],
            ]
        }
    )
    excel = read_csv(to_csv(crafted, excel=True).removeprefix("\ufeff"), ";")[0]
    plain = read_csv(to_csv(crafted), ",")[0]
    assert excel["text"] == '\'=HYPERLINK("x")'
    assert excel["documentation"] == "'-5 %"
    assert plain["text"] == '=HYPERLINK("x")'  # other tools get the text as it is
    assert excel["page"] == plain["page"] == str(goal.page)


def test_jsonl_is_one_object_per_goal_with_types_kept(two):
    lines = to_jsonl(two).splitlines()
    assert len(lines) == len(two.goals)
    for line, goal in zip(lines, two.goals, strict=True):
        row = json.loads(line)
        assert tuple(row) == LINEAGE_COLUMNS
        assert row["documentation"] == goal.documentation
        assert row["continued"] is goal.continued
        assert row["page"] == goal.page
    assert "ø" in to_jsonl(two)  # not \u00f8: readable


def test_three_plans(three):
    rows = export_rows(three)
    assert len(rows) == len(three.goals) == 64
    assert not any(r["stand_in"] for r in rows)
    assert [p.period.label for p in three.plans] == ["2015", "2016-2017", "2018-2019"]
    assert (
        {r["series"] for r in rows} == {series_id(three)} == {"albertslund-kommune-okonomi-og-stab"}
    )


def test_a_stand_in_plan_is_marked(stand_in):
    rows = export_rows(stand_in)
    stood_in = [r for r in rows if r["stand_in"]]
    assert stood_in and all(r["period"] == "2016-2017" for r in stood_in)
    assert len(rows) == len(stand_in.goals)


def test_plan_json_gives_goals_and_follow_ups(plan_2016):
    rows = read_csv(to_csv(plan_2016), ",")
    assert tuple(rows[0]) == PLAN_COLUMNS
    assert len(rows) == len(plan_2016.goals) + len(plan_2016.follow_ups)
    goals = [r for r in rows if r["part"] == "goal"]
    follow_ups = [r for r in rows if r["part"] == "follow_up"]
    assert [r["goal"] for r in goals] == [g.id for g in plan_2016.goals]
    assert {r["period"] for r in goals} == {"2016-2017"}
    assert {r["period"] for r in follow_ups} == {"2015"}
    assert all(r["follow_up"] for r in follow_ups)
    assert all(r["status"] for r in follow_ups)
    assert len(to_jsonl(plan_2016).splitlines()) == len(rows)


def test_write_goals_csv_puts_several_series_in_one_file(two, three, tmp_path):
    path = write_goals_csv([two, three], tmp_path / "goals.csv", series=["to", "tre"])
    data = path.read_bytes()
    assert data.startswith(BOM)
    rows = read_csv(data.decode("utf-8-sig"), ";")
    assert len(rows) == len(two.goals) + len(three.goals)
    assert [r["series"] for r in rows] == ["to"] * len(two.goals) + ["tre"] * len(three.goals)
    plain = write_goals_csv([two], tmp_path / "plain.csv", excel=False)
    assert read_csv(plain.read_text(encoding="utf-8"), ",")[0]["series"] == series_id(two)
    with pytest.raises(ValueError, match="one series name per lineage"):
        write_goals_csv([two, three], tmp_path / "x.csv", series=["to"])


def test_cli_export(two, plan_2016, tmp_path):
    runner = CliRunner()
    lineage_json = tmp_path / "lineage.json"
    lineage_json.write_text(to_json(two), encoding="utf-8")
    assert_valid(lineage_json.read_text(encoding="utf-8"), "lineage")

    out = tmp_path / "goals.csv"
    result = runner.invoke(main, ["export", str(lineage_json), "--excel", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == to_csv(two, excel=True).encode("utf-8")

    result = runner.invoke(main, ["export", str(lineage_json), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == to_jsonl(two).encode("utf-8")

    plan_json = tmp_path / "plan.json"
    plan_json.write_text(to_json(plan_2016), encoding="utf-8")
    assert_valid(plan_json.read_text(encoding="utf-8"), "plan")
    result = runner.invoke(main, ["export", str(plan_json)])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == to_csv(plan_2016).encode("utf-8")

    result = runner.invoke(main, ["export", str(lineage_json), "--format", "jsonl", "--excel"])
    assert result.exit_code == 2
    result = runner.invoke(main, ["export", str(tmp_path / "missing.json")])
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1


def test_csv_has_organisation_period_years_and_the_successors(two):
    rows = {r["id"]: r for r in read_csv(to_csv(two), ",")}
    links = {(link.from_, link.to): link for link in two.links}
    texts = {goal.id: goal.text for goal in two.goals}
    assert LINEAGE_COLUMNS[-6:] == (
        "organisation",
        "unit",
        "period_start",
        "period_end",
        "successor_scores",
        "successor_texts",
    )
    for goal in two.goals:
        row = rows[goal.id]
        assert (row["organisation"], row["unit"]) == ("Albertslund Kommune", "Økonomi og Stab")
        start = "2015" if goal.plan == two.plans[0].id else "2016"
        assert row["period_start"] == start
        assert row["successor_scores"] == " | ".join(
            str(links[(goal.id, s)].score) for s in goal.successors
        )
        assert row["successor_texts"] == " | ".join(texts[s] for s in goal.successors)
    assert any(r["successor_texts"] for r in rows.values())
    assert rows[two.goals[-1].id]["period_end"] == "2017"


def test_danish_names_in_csv_only(two, two_json):
    english = read_csv(to_csv(two), ",")
    danish = read_csv(to_csv(two, lang="da"), ",")
    names = {
        ("status", "achieved"): "opfyldt",
        ("status", "partially_achieved"): "delvist opfyldt",
        ("fate", "missing_successor"): "lovet videreført – mangler",
        ("fate", "completed"): "opfyldt",
    }
    seen = set()
    for en, da in zip(english, danish, strict=True):
        for (column, code), name in names.items():
            if en[column] == code:
                assert da[column] == name
                seen.add((column, code))
        assert da["text"] == en["text"]
    assert seen == set(names)
    # JSON Lines keeps the codes; the CLI says so instead of ignoring --lang.
    assert '"missing_successor"' in to_jsonl(two)
    runner = CliRunner()
    result = runner.invoke(main, ["export", str(two_json), "--lang", "da"])
    assert result.exit_code == 0 and "lovet videreført – mangler" in result.stdout
    result = runner.invoke(main, ["export", str(two_json), "--lang", "da", "--format", "jsonl"])
    assert result.exit_code == 2


def test_export_reads_standard_input(two):
    result = CliRunner().invoke(main, ["export", "-", "--format", "jsonl"], input=to_json(two))
    assert result.exit_code == 0, result.output
    assert result.stdout == to_jsonl(two)
    result = CliRunner().invoke(main, ["export", "-"], input="not json")
    assert result.exit_code == 4
    assert result.stderr.startswith("maalspor: <stdin>: not a JSON document")
