"""Table sweep (issue 24): every table family of `tests/metamorphic.py`, text layer and OCR'd.

Each family (a header-row grid with or without its header repeated, ruled, drawn without
rulings or as filled boxes; landscape tables with columns that are no field; landscape pages
among portrait ones; key-value tables; plans labelled in words no rules file lists) is printed
with the list content (`Style.lists`: numbered sub-goals, a four-item documentation list) and
shifted line by line, so that a page break falls through every column of every row. Each
variant is parsed from its text layer; every `--ocr-stride`th is also scanned (150 and 300 dpi,
grey, JPEG, paper noise, turned 0.4°) and read by OCR. Per family the share of goals,
documentation items and follow-ups that come out exact is reported. From the repository root:

    python3 benchmarks/table_sweep.py                 # text layer and OCR
    python3 benchmarks/table_sweep.py --no-ocr        # text layer only (a minute)

It writes `results/table_sweep.json` unless `--no-save`.
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
from tests.scans import scan  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "table_sweep.json"
FRAME_HEIGHT = 260.0  # ~20 lines a page: the shifts put a page break at every line
SCAN_DPIS = (150, 300)
SKEW = 0.4  # degrees


def _grid(**options) -> M.Style:
    return M.Style(labels="grid", lists=True, frame_height=FRAME_HEIGHT, **options)


FAMILIES: dict[str, M.Style] = {
    "grid, ruled, header repeated": _grid(),
    "grid, ruled, header not repeated": _grid(repeat_header=False),
    "grid, no rulings, header repeated": _grid(ruled=False),
    "grid, no rulings, header not repeated": _grid(ruled=False, repeat_header=False),
    "grid, filled cells, header repeated": _grid(ruled=False, fill=True),
    "grid, filled cells, header not repeated": _grid(ruled=False, fill=True, repeat_header=False),
    "landscape, 3 columns (Ansvarlig)": _grid(orientation="landscape", extra_columns=1),
    "landscape, 4 columns, filled, not repeated": _grid(
        orientation="landscape", extra_columns=2, ruled=False, fill=True, repeat_header=False
    ),
    "mixed orientation, 3 columns": _grid(orientation="mixed", extra_columns=1),
    "key-value table": M.Style(labels="key_value", lists=True, frame_height=FRAME_HEIGHT),
    "made-up labels, inline": M.Style(labels="inline", vocabulary=1, frame_height=FRAME_HEIGHT),
    "made-up labels, grid": M.Style(labels="grid", vocabulary=2, frame_height=FRAME_HEIGHT),
    "made-up labels, upper case": M.Style(labels="upper", vocabulary=4, frame_height=FRAME_HEIGHT),
    # A narrow column that is no field in a table drawn without rulings: narrower than the
    # share a text column needs, its columns come from the header row (extract/headers.py).
    "no rulings, 3 columns (Ansvarlig)": _grid(ruled=False, extra_columns=1),
    "no rulings, Ansvarlig first (12 %), not repeated": _grid(
        ruled=False, extra_columns=1, narrow_share=0.12, narrow_at=0, repeat_header=False
    ),
    "no rulings, Ansvarlig last (8 %, landscape), names wrap": _grid(
        ruled=False,
        extra_columns=1,
        narrow_share=0.08,
        narrow_at=2,
        orientation="landscape",
        long_responsible=True,
    ),
}


def _parse(path: Path) -> dict:
    from maalspor.extract.reader import extract
    from maalspor.segment.segmenter import segment

    return M.parsed(segment(extract(path)))


def _score(got: dict, want: dict, totals: dict, exact: dict) -> None:
    got_goals = {text: docs for text, docs in got["goals"]}
    for text, docs in want["goals"]:
        documentation = [d for d in docs if not d.startswith("<")]
        totals["goals"] += 1
        totals["documentation"] += len(documentation)
        if text in got_goals:
            exact["goals"] += got_goals[text] == docs
            exact["documentation"] += sum(d in got_goals[text] for d in documentation)
    got_follow = set(got["follow_ups"])
    for item in want["follow_ups"]:
        totals["follow_ups"] += 1
        exact["follow_ups"] += item in got_follow


def _shares(totals: dict, exact: dict) -> dict:
    return {k: round(exact[k] / totals[k], 4) if totals[k] else 1.0 for k in totals}


def run(ocr: bool, ocr_stride: int, workdir: Path) -> dict:
    out: dict[str, dict] = {}
    for name, base in FAMILIES.items():
        started = time.perf_counter()
        leading = round(base.size * 1.25, 2)
        styles = M.sweep(base, int(FRAME_HEIGHT / leading) + 1, leading)
        kinds = ["text layer", *(f"OCR {dpi} dpi" for dpi in SCAN_DPIS if ocr)]
        totals = {k: {"goals": 0, "documentation": 0, "follow_ups": 0} for k in kinds}
        exact = {k: {"goals": 0, "documentation": 0, "follow_ups": 0} for k in kinds}
        text_goals_on_scanned = 0
        for number, style in enumerate(styles):
            path = workdir / f"v{number}.pdf"
            M.render(style, path)
            want = M.expected(style)
            got = _parse(path)
            _score(got, want, totals["text layer"], exact["text layer"])
            if ocr and number % ocr_stride == 0:
                text_goals_on_scanned += sum(g in got["goals"] for g in want["goals"])
                for dpi in SCAN_DPIS:
                    scanned = scan(
                        path,
                        workdir / f"s{number}.pdf",
                        dpi=dpi,
                        noise=True,
                        skew=SKEW,
                        seed=number,
                    )
                    kind = f"OCR {dpi} dpi"
                    _score(_parse(scanned), want, totals[kind], exact[kind])
        family = {kind: _shares(totals[kind], exact[kind]) for kind in kinds}
        family["variants"] = len(styles)
        if ocr:
            family["scanned variants"] = len(range(0, len(styles), ocr_stride))
            for dpi in SCAN_DPIS:
                kind = f"OCR {dpi} dpi"
                family[f"{kind}: goals of the text layer's"] = round(
                    exact[kind]["goals"] / max(1, text_goals_on_scanned), 4
                )
        family["seconds"] = round(time.perf_counter() - started, 1)
        out[name] = family
        print(name, json.dumps(family, ensure_ascii=False), file=sys.stderr, flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-ocr", action="store_true", help="text layer only")
    parser.add_argument("--ocr-stride", type=int, default=7, help="scan every Nth shift")
    parser.add_argument("--family", action="append", help="only these families (repeatable)")
    parser.add_argument("--no-save", action="store_true", help="leave results/ alone")
    args = parser.parse_args(argv)
    if args.family:
        unknown = set(args.family) - set(FAMILIES)
        if unknown:
            parser.error(f"unknown family: {sorted(unknown)}")
        for name in list(FAMILIES):
            if name not in args.family:
                del FAMILIES[name]
    with tempfile.TemporaryDirectory() as tmp:
        result = run(not args.no_ocr, args.ocr_stride, Path(tmp))
    print(json.dumps(result, indent=1, ensure_ascii=False))
    if not args.no_save:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
