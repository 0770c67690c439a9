"""`maalspor verdict` through click's CliRunner: text in, JSON Lines out, bad records named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from maalspor.cli import main
from maalspor.verdicts.classifier import classify_text
from tests.test_schemas import assert_valid
from tests.test_verdict_corpus import CORPUS


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _records(output: str) -> list[dict]:
    records = [json.loads(line) for line in output.splitlines()]
    for record in records:
        assert_valid(record, "verdict")
    return records


def test_text_option_gives_one_record_per_text(runner: CliRunner) -> None:
    result = runner.invoke(
        main,
        ["verdict", "--text", "Tre ud af fire delmål er opfyldt.", "--text", "Status: Rød"],
    )
    assert result.exit_code == 0, result.output
    first, second = _records(result.stdout)
    assert first == {
        "schema_version": first["schema_version"],
        "id": None,
        "line": None,
        "status": "partially_achieved",
        "continued": None,
        "status_evidence": ["Tre ud af fire delmål er opfyldt"],
        "confidence": classify_text("Tre ud af fire delmål er opfyldt.").confidence,
    }
    assert (second["status"], second["status_evidence"]) == ("not_achieved", ["Rød"])


def test_stdin_records_keep_ids_and_order(runner: CliRunner) -> None:
    lines = [
        {"id": "a-1", "text": "Målet er ikke nået og tages op igen i næste planperiode."},
        {"id": 7, "text": "Indsatsen er gennemført og afsluttes hermed.", "goal": "Færre klager"},
        {"text": "Der er afholdt tre møder."},
    ]
    stdin = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    result = runner.invoke(main, ["verdict"], input=stdin)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    records = _records(result.stdout)
    assert [(r["id"], r["line"]) for r in records] == [("a-1", 1), (7, 2), (None, 3)]
    assert [(r["status"], r["continued"]) for r in records] == [
        ("not_achieved", True),
        ("achieved", False),
        ("unknown", None),
    ]


def test_bad_records_are_named_and_the_good_ones_answered(runner: CliRunner) -> None:
    stdin = "\n".join(
        [
            '{"id": 1, "text": "Målet er nået."}',
            "not json",
            "",  # blank lines are skipped, but still counted
            "[1, 2]",
            '{"id": 2}',
            '{"id": 3, "text": 42}',
            '{"id": true, "text": "Målet er nået."}',
            '{"id": 4, "text": "Målet er delvist nået.", "goal": ["x"]}',
            '{"id": 5, "text": "Resultatmålet er ikke opfyldt."}',
        ]
    )
    result = runner.invoke(main, ["verdict", "-"], input=stdin)
    assert result.exit_code == 4
    assert [(r["id"], r["status"]) for r in _records(result.stdout)] == [
        (1, "achieved"),
        (5, "not_achieved"),
    ]
    assert result.stderr.splitlines() == [
        "maalspor: <stdin>: line 2: not JSON (Expecting value at column 1)",
        "maalspor: <stdin>: line 4: not a JSON object but an array",
        'maalspor: <stdin>: line 5: no "text"',
        'maalspor: <stdin>: line 6: "text" is not a string',
        'maalspor: <stdin>: line 7: "id" is not a string or a whole number',
        'maalspor: <stdin>: line 8: "goal" is not a string',
    ]


def test_bad_utf8_line_is_a_bad_record(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    path.write_bytes(b'{"text": "M\xe5let er n\xe5et"}\n{"text": "M\xc3\xa5let er n\xc3\xa5et"}\n')
    result = runner.invoke(main, ["verdict", str(path)])
    assert result.exit_code == 4
    assert result.stderr == f"maalspor: {path}: line 1: not UTF-8\n"
    assert [r["line"] for r in _records(result.stdout)] == [2]


def test_file_in_file_out_matches_the_classifier(runner: CliRunner, tmp_path: Path) -> None:
    source = CORPUS / "dev_split.jsonl"  # extra fields (voice, status) are ignored
    out = tmp_path / "verdicts.jsonl"
    result = runner.invoke(main, ["verdict", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    records = _records(out.read_text(encoding="utf-8"))
    entries = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(entries)
    for record, entry in zip(records, entries, strict=True):
        verdict = classify_text(entry["text"])
        assert record["id"] == entry["id"]
        assert (record["status"], record["continued"]) == (verdict.status, verdict.continued)
        assert record["status_evidence"] == verdict.evidence
        assert all(words in entry["text"] for words in record["status_evidence"])


def test_missing_file_and_both_inputs(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "nope.jsonl"
    result = runner.invoke(main, ["verdict", str(missing)])
    assert result.exit_code == 3
    assert result.stderr == f"maalspor: {missing}: no such file\n"
    result = runner.invoke(main, ["verdict", str(missing), "--text", "Målet er nået."])
    assert result.exit_code == 2
    assert "not both" in result.stderr


def test_empty_input_gives_no_records(runner: CliRunner) -> None:
    result = runner.invoke(main, ["verdict"], input="\n\n")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_schema_command_prints_the_verdict_schema(runner: CliRunner) -> None:
    result = runner.invoke(main, ["schema", "verdict"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["$id"].startswith("maalspor/verdict/")
