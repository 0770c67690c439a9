"""OCR speed and accuracy: scanned plans parsed with `--ocr auto`, pages per second.

Two generated plans (tests/layouts.py: a ruled table and a table without rulings) are scanned
as an office scanner does (150 dpi, grey JPEG; tests/scans.py) and parsed with OCR at each
`--dpi` (the page is rendered at that resolution for Tesseract). Timed: `maalspor.parse` on the
scan, after one warm-up parse that loads Tesseract's Danish model and the lemma table (once per
process in a batch worker too); wall time, and the process's CPU time (Tesseract runs
in-process on one thread: CPU time is what a page costs on an idle core). Also reported: the
share of goals and follow-ups read exactly as from the text-layer PDF. From the repository root:

    python3 benchmarks/ocr_bench.py                  # 300 and 200 dpi, results/ocr.json
    python3 benchmarks/ocr_bench.py --dpi 300 --no-save
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python3 benchmarks/ocr_bench.py`
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "results" / "ocr.json"
PLANS = (("inline_table", "ROSKILDE"), ("borderless_table", "VEJLE"))


def _items(plan) -> list[tuple]:
    return [(g.text, tuple(g.subgoals), g.note, tuple(g.documentation)) for g in plan.goals] + [
        (f.text, tuple(f.documentation), f.follow_up, f.status) for f in plan.follow_ups
    ]


def _exact(expected, got) -> int:
    remaining = _items(got)
    exact = 0
    for item in _items(expected):
        if item in remaining:
            remaining.remove(item)
            exact += 1
    return exact


def run(dpis: list[int], folder: Path) -> dict:
    import tesserocr

    from maalspor import __version__, parse
    from maalspor.settings import OcrSettings, Settings
    from tests import layouts as L
    from tests.scans import SCAN_DPI, scan

    inputs = []
    for layout, spec_name in PLANS:
        source = L.render(layout, getattr(L, spec_name), folder / f"{layout}.pdf")
        inputs.append((layout, source, scan(source, folder / f"{layout}-scan.pdf")))
    parse(inputs[0][2], settings=Settings(ocr=OcrSettings(dpi=min(dpis))))  # warm-up, not timed
    results: dict = {"runs": {}}
    for dpi in dpis:
        pages = seconds = cpu = items = exact = 0
        per_plan = {}
        for layout, source, scanned in inputs:
            expected = parse(source)
            start, start_cpu = time.perf_counter(), time.process_time()
            plan = parse(scanned, settings=Settings(ocr=OcrSettings(dpi=dpi)))
            elapsed = time.perf_counter() - start
            used = time.process_time() - start_cpu
            found = _exact(expected, plan)
            per_plan[layout] = {
                "pages": plan.source.pages,
                "seconds": round(elapsed, 2),
                "cpu_seconds": round(used, 2),
                "exact": found,
                "items": len(_items(expected)),
            }
            pages += plan.source.pages
            seconds += elapsed
            cpu += used
            items += len(_items(expected))
            exact += found
        results["runs"][str(dpi)] = {
            "pages": pages,
            "seconds": round(seconds, 2),
            "pages_per_s": round(pages / seconds, 3),
            "s_per_page": round(seconds / pages, 2),
            "cpu_s_per_page": round(cpu / pages, 2),
            "pages_per_cpu_s": round(pages / cpu, 3),
            "exact_share": round(exact / items, 3),
            "plans": per_plan,
        }
    results["meta"] = {
        "maalspor": __version__,
        "tesseract": tesserocr.tesseract_version().splitlines()[0],
        "tesserocr": tesserocr.__version__,
        "python": platform.python_version(),
        "cores": os.cpu_count(),
        "scan_dpi": SCAN_DPI,
        "load_average": [round(v, 2) for v in os.getloadavg()],
        "when": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
    }
    return results


def table(results: dict) -> str:
    lines = [
        "| render dpi | pages | wall s | pages/s | CPU s/page | pages/CPU s | exact items |",
        "|---|---|---|---|---|---|---|",
    ]
    for dpi, r in results["runs"].items():
        lines.append(
            f"| {dpi} | {r['pages']} | {r['seconds']} | {r['pages_per_s']} | "
            f"{r['cpu_s_per_page']} | {r['pages_per_cpu_s']} | {r['exact_share']:.0%} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", type=int, action="append", help="render dpi (repeatable)")
    parser.add_argument("--no-save", action="store_true", help="leave results/ocr.json alone")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        results = run(args.dpi or [300, 200], Path(folder))
    print(table(results))
    print(json.dumps(results["meta"]))
    if not args.no_save:
        RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
