"""A Word plan against its PDF: how much faster `parse` reads the .docx (issue 26: ≥ 5×).

    python3 benchmarks/docx_bench.py                 # the full run (about a minute)
    python3 benchmarks/docx_bench.py --quick         # two plans, one repeat: does it work?
    python3 benchmarks/docx_bench.py --no-save       # print the table only

Inputs: the office plans of tests/fixtures/office/ (each a .docx and the PDF LibreOffice made
of it, 2-6 pages, where what every parse does once weighs most), and plans of realistic
length made from four of them (ruled goal tables, running text, key-value tables, newspaper
columns): the body of the .docx repeated `--copies` times (20: 60-120 pages), against its
PDF's pages repeated as often (pypdf). Made in benchmarks/.cache/ and reused. (Plans whose
numbering restarts per copy in the PDF but runs on in the repeated .docx are not used.)

What is timed: `maalspor.parse(path)` in one process (extract, segment, classify: the
plan as the API returns it), after one parse of each input has loaded what every parse
shares (spaCy's Danish pipeline, the rules, pdfium). Each repeat parses the PDF and the
.docx, in alternating order; the table shows the medians, and the speed-up is the median of
the ratios of the pairs parsed side by side (the machine may be shared: the load average is
recorded). Extraction alone (`maalspor.extract.extract`) is timed the same way. Every pair
must parse to the same goals, documentation and follow-ups, or the run fails.

Results: benchmarks/results/docx.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script
    sys.path.insert(0, str(ROOT))

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
RESULTS = HERE / "results" / "docx.json"
OFFICE = ROOT / "tests" / "fixtures" / "office"
LONG_SOURCES = (
    "sundhed-og-omsorg-odense-2022",  # ruled goal tables, a follow-up table
    "boern-og-familie-aalborg-2023-2024",  # running text, bullet lists
    "kultur-og-fritid-aarhus-2024",  # a key-value table per goal
    "borgerservice-og-digitalisering-kolding-2022",  # newspaper columns
)
TARGET = 5.0  # a plan of realistic length parses from its .docx this many times faster


def long_plan(name: str, copies: int, cache: Path) -> tuple[Path, Path]:
    """The office plan `name` repeated `copies` times, as a .docx and as a PDF."""
    cache.mkdir(parents=True, exist_ok=True)
    docx = cache / f"{name}-x{copies}.docx"
    pdf = cache / f"{name}-x{copies}.pdf"
    if not docx.exists():
        with zipfile.ZipFile(OFFICE / f"{name}.docx") as source:
            parts = {info.filename: source.read(info) for info in source.infolist()}
        document = parts["word/document.xml"].decode("utf-8")
        start = document.index("<w:body>") + len("<w:body>")
        end = document.rindex("<w:sectPr")  # the body's own section properties stay last
        body = document[start:end]
        parts["word/document.xml"] = (document[:start] + body * copies + document[end:]).encode()
        with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as target:
            for part, data in parts.items():
                target.writestr(part, data)
    if not pdf.exists():
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter()
        reader = PdfReader(OFFICE / f"{name}.pdf")
        for _ in range(copies):
            for page in reader.pages:
                writer.add_page(page)
        with pdf.open("wb") as handle:
            writer.write(handle)
    return docx, pdf


def _content(plan) -> tuple:
    """What must be the same whichever file a plan was read from."""
    return (
        [(g.text, g.subgoals, g.note, g.documentation) for g in plan.goals],
        [(f.text, f.documentation, f.follow_up, f.status, f.continued) for f in plan.follow_ups],
    )


def measure(docx: Path, pdf: Path, repeat: int) -> dict[str, Any]:
    """parse and extract of the pair, alternating; medians and the median paired ratio."""
    from maalspor import parse
    from maalspor.extract import extract

    plans = {kind: parse(path) for kind, path in (("pdf", pdf), ("docx", docx))}  # warm
    if _content(plans["pdf"]) != _content(plans["docx"]):
        raise SystemExit(f"{docx.name} and {pdf.name} do not parse to the same goals")
    runs: dict[str, list[float]] = {
        "parse_pdf": [],
        "parse_docx": [],
        "extract_pdf": [],
        "extract_docx": [],
    }
    for index in range(repeat):
        order = (("pdf", pdf), ("docx", docx)) if index % 2 == 0 else (("docx", docx), ("pdf", pdf))
        for step, function in (("parse", parse), ("extract", extract)):
            for kind, path in order:
                started = time.perf_counter()
                function(path)
                runs[f"{step}_{kind}"].append(time.perf_counter() - started)
    result: dict[str, Any] = {
        "docx": docx.name,
        "pdf": pdf.name,
        "pages": plans["pdf"].source.pages,
        "goals": len(plans["docx"].goals),
        "follow_ups": len(plans["docx"].follow_ups),
    }
    for key, values in runs.items():
        result[f"{key}_ms"] = round(1000 * statistics.median(values), 2)
    for step in ("parse", "extract"):
        ratios = [p / d for p, d in zip(runs[f"{step}_pdf"], runs[f"{step}_docx"], strict=True)]
        result[f"{step}_speedup"] = round(statistics.median(ratios), 2)
    return result


def run_all(
    names: list[str], long_names: list[str], copies: int, repeat: int, cache: Path
) -> dict[str, Any]:
    fixtures = [measure(OFFICE / f"{n}.docx", OFFICE / f"{n}.pdf", repeat) for n in names]
    long = [measure(*long_plan(n, copies, cache), repeat) for n in long_names]
    speedups = [item["parse_speedup"] for item in long]
    total_pdf = sum(f["parse_pdf_ms"] for f in fixtures)
    total_docx = sum(f["parse_docx_ms"] for f in fixtures)
    return {
        "meta": {
            "date": time.strftime("%Y-%m-%d %H:%M"),
            "python": platform.python_version(),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "repeat": repeat,
            "copies": copies,
        },
        "target": TARGET,
        "long": long,
        "long_speedup_median": round(statistics.median(speedups), 2),
        "long_speedup_min": min(speedups),
        "fixtures": fixtures,
        "fixtures_total": {
            "parse_pdf_ms": round(total_pdf, 2),
            "parse_docx_ms": round(total_docx, 2),
            "parse_speedup": round(total_pdf / total_docx, 2) if total_docx else None,
            "parse_speedup_min": min(f["parse_speedup"] for f in fixtures),
        },
        "met": min(speedups) >= TARGET,
    }


def render_table(results: dict[str, Any]) -> str:
    rows = [
        "| plan | pages | goals | PDF parse | .docx parse | speed-up | extract speed-up |",
        "|---|---|---|---|---|---|---|",
    ]
    long = results["long"]
    for item in [*long, *results["fixtures"]]:
        label = item["docx"].removesuffix(".docx")
        rows.append(
            f"| {label} | {item['pages']} | {item['goals']} | {item['parse_pdf_ms']:.1f} ms | "
            f"{item['parse_docx_ms']:.1f} ms | {item['parse_speedup']:.1f}× | "
            f"{item['extract_speedup']:.1f}× |"
        )
    total = results["fixtures_total"]
    rows.append(
        f"| the {len(results['fixtures'])} office plans together | | | "
        f"{total['parse_pdf_ms']:.1f} ms | {total['parse_docx_ms']:.1f} ms | "
        f"{total['parse_speedup']:.1f}× | |"
    )
    verdict = "met" if results["met"] else "NOT met"
    rows.append("")
    pages = sorted(item["pages"] for item in long)
    rows.append(
        f"Target: a plan of realistic length ({pages[0]}-{pages[-1]} pages) parses from its .docx "
        f"≥ {results['target']:.0f}× faster than from its PDF: {verdict} (slowest "
        f"{results['long_speedup_min']:.1f}×, median {results['long_speedup_median']:.1f}×)."
    )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="two plans, one repeat, 2 copies")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args(argv)
    names = sorted(p.name.removesuffix(".expected.json") for p in OFFICE.glob("*.expected.json"))
    long_names = list(LONG_SOURCES)
    if args.quick:
        names, long_names, args.repeat, args.copies = names[:2], long_names[:1], 1, 2
    results = run_all(names, long_names, args.copies, args.repeat, CACHE)
    print(render_table(results))
    if not args.no_save and not args.quick:
        RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
        print(f"\nwrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
