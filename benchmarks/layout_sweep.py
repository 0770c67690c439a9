"""Layout sweep: one plan's content in many layouts and page-break positions, parsed, compared.

Every variant of `tests/metamorphic.py` (label style × newspaper columns × ruled/unruled tables
× page size × type size × a shift of the content by 0..N lines) must parse to the same goals,
documentation items and follow-ups. The sweep reports how many variants differ and the share of
goals, documentation items and follow-ups that come out exact. From the repository root:

    python3 benchmarks/layout_sweep.py            # the full sweep (a few thousand PDFs)
    python3 benchmarks/layout_sweep.py --quick    # a few hundred
    python3 benchmarks/layout_sweep.py --show 5   # print the first differences

It writes `results/layout_sweep.json` unless `--no-save`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests import metamorphic as M  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "layout_sweep.json"
# A text frame this high (points) holds ~20 lines: a shift of 0..FRAME_LINES lines puts a page
# break (and a column break) at every line of the plan, with small PDFs.
FRAME_HEIGHT = 260.0


def bases(quick: bool) -> list[M.Style]:
    """The layouts swept (each then shifted line by line)."""
    out: list[M.Style] = []
    sizes = [(10.0, "A4", 56.0)] if quick else [(10.0, "A4", 56.0), (9.0, "Letter", 72.0)]
    for size, page, margin in sizes:
        common = {"size": size, "page": page, "margin": margin, "frame_height": FRAME_HEIGHT}
        for labels in M.FLOW_LABELS:
            for columns in (1, 2, 3):
                out.append(M.Style(labels=labels, columns=columns, **common))
        for ruled in (True, False):
            for repeat in (True, False):
                out.append(M.Style(labels="grid", ruled=ruled, repeat_header=repeat, **common))
            out.append(M.Style(labels="key_value", ruled=ruled, **common))
    return out


def variants(quick: bool = False, steps: int | None = None, stride: int = 1) -> list[M.Style]:
    out: list[M.Style] = []
    for base in bases(quick):
        leading = round(base.size * 1.25, 2)
        count = steps if steps is not None else int(FRAME_HEIGHT / leading) + 1
        out.extend(M.sweep(base, count, leading)[::stride])
    return out


def run(styles: list[M.Style], workdir: Path, show: int = 0) -> dict:
    want = M.expected()
    totals = {"goals": 0, "documentation": 0, "follow_ups": 0}
    exact = {"goals": 0, "documentation": 0, "follow_ups": 0}
    differing: list[str] = []
    cut_page: set[str] = set()
    cut_column: set[str] = set()
    started = time.perf_counter()
    for number, style in enumerate(styles):
        path = workdir / f"v{number}.pdf"
        cuts = M.render(style, path)
        cut_page |= cuts.page
        cut_column |= cuts.column
        got = M.parse(path)
        path.unlink()
        got_goals = {text: docs for text, docs in got["goals"]}
        for text, docs in want["goals"]:
            totals["goals"] += 1
            totals["documentation"] += len(docs)
            if text in got_goals:
                exact["goals"] += 1
                exact["documentation"] += sum(d in got_goals[text] for d in docs)
        got_follow = set(got["follow_ups"])
        for item in want["follow_ups"]:
            totals["follow_ups"] += 1
            exact["follow_ups"] += item in got_follow
        problems = M.differences(got, want)
        if problems:
            differing.append(style.name)
            if len(differing) <= show:
                print(style.name, *problems[:4], sep="\n    ", file=sys.stderr)
    seconds = time.perf_counter() - started
    return {
        "variants": len(styles),
        "differing": len(differing),
        "exact_share": {k: round(exact[k] / totals[k], 4) if totals[k] else 1.0 for k in totals},
        "owners_cut_by_page_break": f"{len(cut_page & M.owners())}/{len(M.owners())}",
        "owners_cut_by_column_break": f"{len(cut_column & M.owners())}/{len(M.owners())}",
        "seconds": round(seconds, 1),
        "differing_variants": differing,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer layouts, every 2nd shift")
    parser.add_argument("--show", type=int, default=0, help="print the first N differences")
    parser.add_argument("--no-save", action="store_true", help="leave results/ alone")
    args = parser.parse_args(argv)
    styles = variants(quick=args.quick, stride=2 if args.quick else 1)
    with tempfile.TemporaryDirectory() as tmp:
        result = run(styles, Path(tmp), show=args.show)
    summary = {k: v for k, v in result.items() if k != "differing_variants"}
    print(json.dumps(summary, indent=1))
    if not args.no_save:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
