"""Count the background of goal texts into maalspor/match/background.json (see background.py).

    python3 tools/build_background.py                  # tools/background/*.jsonl
    python3 tools/build_background.py more/*.jsonl     # other files of the same form

Each input line is a JSON object with `goal` and `documentation` (written for the purpose:
tools/background/README.md says by whom and how). Every goal, with its documentation, is one
document; its content terms (maalspor.match.vocabulary, with the rules as they are now) are
counted once per document at each granularity. Terms used by one document only are left out
(they carry no more than a term the background lacks).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from maalspor.match.background import BACKGROUND_FILE  # noqa: E402
from maalspor.match.vocabulary import Analyzer, matching_rules  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)
    files = args.files or sorted((ROOT / "tools" / "background").glob("*.jsonl"))
    analyzer = Analyzer(matching_rules())
    counts: dict[str, dict[str, int]] = {"words": {}, "parts": {}, "stems": {}}
    documents = 0
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            terms = analyzer.terms(f"{item['goal']} {item.get('documentation', '')}")
            documents += 1
            for channel, table in counts.items():
                for term in set(getattr(terms, channel)):
                    table[term] = table.get(term, 0) + 1
    frequency = {
        channel: dict(sorted((t, n) for t, n in table.items() if n > 1))
        for channel, table in counts.items()
    }
    document = {"documents": documents, "frequency": frequency}
    BACKGROUND_FILE.write_text(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    sizes = ", ".join(f"{c} {len(t)}" for c, t in frequency.items())
    print(f"{documents} documents from {len(files)} files; terms kept: {sizes}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
