"""How often a second reader's verdicts are among a round's acceptable labels: the figure a
careful person reaches on the same texts, beside the classifier's.

    python tools/reader_agreement.py tests/verdict_corpus/round_r36.jsonl \\
        tests/verdict_corpus/second_reader/round_r36.jsonl

The second reader's file has one JSON object a line, `id`, `status` (one status) and
`continued` (true, false or null), read from the texts alone (the labels unseen). Status and
continued are scored as the classifier's are (`tools/eval_verdicts.py`): right when among the
round's acceptable values. Prints the reader's figures, the classifier's, and how many texts
each reads right that the other does not. With `--reader-only` the classifier is not run: a
blind round whose headline is still to be measured can have its reader scored without its
classifier figures being seen.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from eval_verdicts import load  # the corpus reader of tools/eval_verdicts.py (this folder)

from maalspor.verdicts import classify_texts


def reader_agreement(
    round_entries: list[dict[str, Any]], reader: list[dict[str, Any]]
) -> dict[str, float]:
    """The reader's status and continued accuracy on the round (the classifier not run)."""
    read = _by_id(round_entries, reader)
    total = len(round_entries)
    return {
        "texts": total,
        "reader_status": sum(read[e["id"]]["status"] in e["status"] for e in round_entries) / total,
        "reader_continued": sum(read[e["id"]]["continued"] in e["continued"] for e in round_entries)
        / total,
    }


def _by_id(
    round_entries: list[dict[str, Any]], reader: list[dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    read = {entry["id"]: entry for entry in reader}
    missing = [entry["id"] for entry in round_entries if entry["id"] not in read]
    if missing:
        raise ValueError(
            f"the second reader has no verdict for {len(missing)} texts: {missing[:3]}"
        )
    return read


def agreement(round_entries: list[dict[str, Any]], reader: list[dict[str, Any]]) -> dict[str, Any]:
    """The reader's and the classifier's status and continued accuracy on the round."""
    figures: dict[str, Any] = {
        **reader_agreement(round_entries, reader),
        "reader_only": 0,
        "classifier_only": 0,
    }
    read = _by_id(round_entries, reader)
    verdicts = classify_texts([entry["text"] for entry in round_entries])
    sums = {"status": 0, "continued": 0}
    for entry, verdict in zip(round_entries, verdicts, strict=True):
        reader_ok = read[entry["id"]]["status"] in entry["status"]
        classifier_ok = verdict.status in entry["status"]
        sums["status"] += classifier_ok
        sums["continued"] += verdict.continued in entry["continued"]
        figures["reader_only"] += reader_ok and not classifier_ok
        figures["classifier_only"] += classifier_ok and not reader_ok
    figures.update({name: count / len(round_entries) for name, count in sums.items()})
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("round", type=Path, help="a labelled round (JSON Lines)")
    parser.add_argument("reader", type=Path, help="the second reader's verdicts (JSON Lines)")
    parser.add_argument(
        "--reader-only",
        action="store_true",
        help="score the reader only; do not run the classifier (a headline not yet measured)",
    )
    args = parser.parse_args(argv)
    if args.reader_only:
        r = reader_agreement(load(args.round), load(args.reader))
        print(
            f"{args.round.name}: {r['texts']} texts; second reader status "
            f"{r['reader_status']:.3f}, continued {r['reader_continued']:.3f}"
        )
        return 0
    f = agreement(load(args.round), load(args.reader))
    print(
        f"{args.round.name}: {f['texts']} texts; second reader status {f['reader_status']:.3f}, "
        f"continued {f['reader_continued']:.3f}; classifier status {f['status']:.3f}, continued "
        f"{f['continued']:.3f}; status right only for the reader {f['reader_only']}, only for "
        f"the classifier {f['classifier_only']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
