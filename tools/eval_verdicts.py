"""Measure the verdict classifier on labelled follow-up texts (JSON Lines, the corpus format of
tests/verdict_corpus/README.md: `text`, `status` and `continued` as lists of acceptable values,
optionally `kind`).

    python tools/eval_verdicts.py tests/verdict_corpus/round_r1.jsonl [MORE.jsonl ...] [--misses]

prints, per file, status and continued accuracy, and the same per `kind` (when the texts have
one). `--misses` lists the texts read wrongly (do not use it on a held-out round).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from maalspor.verdicts import classify_texts


def load(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def evaluate(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Status and continued accuracy, overall and per kind, and the misses."""
    verdicts = classify_texts([entry["text"] for entry in entries])
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    status_right = continued_right = 0
    misses = []
    for entry, verdict in zip(entries, verdicts, strict=True):
        status_ok = verdict.status in entry["status"]
        continued_ok = verdict.continued in entry["continued"]
        status_right += status_ok
        continued_right += continued_ok
        counts = per_kind[entry.get("kind", "-")]
        counts[0] += 1
        counts[1] += status_ok
        counts[2] += continued_ok
        if not (status_ok and continued_ok):
            misses.append(
                f"{entry.get('id', '?')} [{entry.get('kind', '-')}]: "
                f"{verdict.status}/{verdict.continued} ({verdict.confidence:.2f}) "
                f"want {entry['status']}/{entry['continued']} | {entry['text']}"
            )
    total = len(entries)
    return {
        "texts": total,
        "status": status_right / total if total else 0.0,
        "continued": continued_right / total if total else 0.0,
        "kinds": {kind: tuple(counts) for kind, counts in sorted(per_kind.items())},
        "misses": misses,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help="JSON Lines files of labelled texts")
    parser.add_argument("--misses", action="store_true", help="list the texts read wrongly")
    args = parser.parse_args(argv)
    for path in args.files:
        result = evaluate(load(path))
        print(
            f"{path.name}: {result['texts']} texts, status {result['status']:.3f}, "
            f"continued {result['continued']:.3f}"
        )
        for kind, (total, status, continued) in result["kinds"].items():
            print(
                f"  {kind:<11} {total:>4}  status {status / total:.2f}  "
                f"continued {continued / total:.2f}"
            )
        if args.misses:
            for miss in result["misses"]:
                print("  MISS", miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
