"""Score maalspor's lineage on the lineage corpus: AER, precision and sure-recall per pair.

python3 tools/eval_lineage.py                 # the training split (A-C, E-L; in-sample)
python3 tools/eval_lineage.py --split test    # the frozen test split (D): once, at the end
python3 tools/eval_lineage.py --split fresh   # the second fresh round (G, H; trained on now)
python3 tools/eval_lineage.py --split blind   # the third fresh round (I, J; trained on now)
python3 tools/eval_lineage.py --split last    # the fourth fresh round (K, L; trained on now)
python3 tools/eval_lineage.py --split headline  # the fifth (M, N): blind, the headline
python3 tools/eval_lineage.py --split sixth   # the sixth (O, P): blind, beside the headline
python3 tools/eval_lineage.py --split seventh # the seventh (Q, R): blind, beside the headline
python3 tools/eval_lineage.py --pairs A1 B2 --show   # the misses and wrong links of pairs
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from maalspor.match import lineage  # noqa: E402
from tests import lineage_gold as gold  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--split",
        choices=list(gold.SPLITS),
        default="train",
    )
    parser.add_argument("--pairs", nargs="*", help="these pairs instead of a split")
    parser.add_argument("--show", action="store_true", help="print misses and wrong links")
    args = parser.parse_args(argv)
    names = args.pairs or gold.SPLITS[args.split]
    scores = []
    for name in names:
        pair = gold.load_pair(name)
        document = lineage([pair.earlier, pair.later])
        found = gold.predicted_links(document, pair)
        result = gold.score(found, pair.sure, pair.possible)
        scores.append(result)
        print(
            f"{name}: AER {result.aer:.3f}  precision {result.precision:.3f}  "
            f"sure-recall {result.sure_recall:.3f}  ({result.links} links, {result.sure} sure)"
        )
        if args.show:
            texts = {g.id: g.text for g in (*pair.earlier.goals, *pair.later.goals)}
            for a, b in sorted(pair.sure - found):
                print(
                    f"   MISSED {pair.difficulty.get((a, b))} {a} {texts[a][:70]!r}\n"
                    f"                 → {b} {texts[b][:70]!r}"
                )
            for a, b in sorted(found - pair.possible):
                trap = " TRAP" if (a, b) in pair.traps else ""
                print(
                    f"   WRONG{trap} {a} {texts[a][:70]!r}\n              → {b} {texts[b][:70]!r}"
                )
    all_ = gold.total(scores)
    print(
        f"ALL: AER {all_.aer:.3f}  precision {all_.precision:.3f}  "
        f"sure-recall {all_.sure_recall:.3f}  ({all_.links} links, {all_.sure} sure)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
