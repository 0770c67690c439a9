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
