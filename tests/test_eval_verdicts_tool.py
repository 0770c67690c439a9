"""`python tools/eval_verdicts.py FILE.jsonl` measures a round of labelled follow-ups: the one
command that gives a new blind round's figures (docs/verdicts.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_eval_tool_prints_status_continued_and_kinds(tmp_path: Path) -> None:
    entries = [
        {
            "id": "X-1",
            "kind": "plain",
            "text": "Målet er nået.",
            "status": ["achieved"],
            "continued": [None],
        },
        {
            "id": "X-2",
            "kind": "plain",
            "text": "Målet er ikke nået.",
            "status": ["achieved"],
            "continued": [None],
        },
    ]
    path = tmp_path / "round_x.jsonl"
    path.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in entries) + "\n", "utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "eval_verdicts.py"), str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "round_x.jsonl: 2 texts, status 0.500, continued 1.000"
    assert lines[1].split() == ["plain", "2", "status", "0.50", "continued", "1.00"]
    assert "MISS" not in result.stdout  # misses only when asked (--misses)


def test_reader_agreement_scores_a_second_reader_as_the_classifier(tmp_path: Path) -> None:
    entries = [
        {"id": "Y-1", "text": "Målet er nået.", "status": ["achieved"], "continued": [None]},
        {
            "id": "Y-2",
            "text": "Målet er ikke nået.",
            "status": ["not_achieved"],
            "continued": [None],
        },
        {
            "id": "Y-3",
            "text": "Målet er opgivet.",
            "status": ["dropped"],
            "continued": [False],
        },
    ]
    # the reader misses one status (Y-2) and one continued value (Y-3)
    reader = [
        {"id": "Y-1", "status": "achieved", "continued": None},
        {"id": "Y-2", "status": "partially_achieved", "continued": None},
        {"id": "Y-3", "status": "dropped", "continued": None},
    ]
    round_path, reader_path = tmp_path / "round_y.jsonl", tmp_path / "reader_y.jsonl"
    for path, rows in ((round_path, entries), (reader_path, reader)):
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "reader_agreement.py"),
            str(round_path),
            str(reader_path),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert "second reader status 0.667, continued 0.667" in result.stdout
    assert "only for the reader 0, only for the classifier 1" in result.stdout
    # --reader-only scores the reader and prints nothing of the classifier
    alone = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "reader_agreement.py"),
            str(round_path),
            str(reader_path),
            "--reader-only",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert alone.stdout.strip() == (
        "round_y.jsonl: 3 texts; second reader status 0.667, continued 0.667"
    )
