"""Every PDF of a public PDF library's test suite, parsed as `batch` parses (issue 25).

The PDFs are read from a local folder given as the argument (a copy that is not committed:
e.g. the test files of pdf.js, pypdf's sample-files, or PDFium's testing/resources). Each is
parsed in a forked worker under `--timeout` and a memory cap, with `--ocr never`, and its pages
are counted as PDFium reads them: pages with characters, and characters in all. Reported:
tracebacks, hangs, exit codes, and every "no text" (exit code 6) said of a PDF where PDFium
reads characters on a page — the diagnosis issue 25 forbids; "cannot be decoded", "outside the
visible page" and "nested too deep" are named as such. Results (file names and outcomes only)
go to benchmarks/results/peer.json.

    python3 benchmarks/peer_bench.py FOLDER [--source NAME] [--out peer.json] [--timeout 60]
                                     [--jobs 2] [--no-save]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.fuzz_bench import (  # noqa: E402 - the same measures as the fuzzing
    exit_code,
    note,
    noted,
    pdfium_pages,
)

NO_TEXT = "the PDF contains no text"


def characters(path: str) -> dict | None:
    """Pages, pages with characters, and characters, as PDFium reads them (None: it cannot)."""
    pages = pdfium_pages(path)
    if pages is None:
        return None
    return {
        "pages": len(pages),
        "pages_with_chars": sum(count > 0 for count, _ in pages),
        "chars": sum(count for count, _ in pages),
    }


peer_task = noted("characters", characters)


def run(folder: Path, timeout: float, jobs: int, source: str | None = None) -> dict:
    from maalspor.batch.workers import ProcessExecutor, Task, prepare_workers

    prepare_workers()
    paths = sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())
    tasks = [Task(path=str(p), source=str(p.relative_to(folder)), ocr="never") for p in paths]
    executor = ProcessExecutor(jobs, run_task=peer_task, timeout=timeout, max_memory_mb=2048)
    started = time.perf_counter()
    rows = []
    for index, result in executor.run(tasks):
        counts = note(result, "characters")
        message = result.error.message if result.error else ""
        row = {
            "file": tasks[index].source,
            "exit_code": exit_code(result),
            "kind": result.error.kind if result.error else None,
            "message": message,
            "goals": result.plan.goals if result.plan else 0,
            "characters": counts,
            "seconds": round(result.seconds, 2),
        }
        row["false_no_text"] = bool(
            message.startswith(NO_TEXT) and counts and counts["pages_with_chars"]
        )
        rows.append(row)
    rows.sort(key=lambda r: r["file"])
    return {
        "meta": {
            "source": source or folder.name,
            "pdfs": len(rows),
            "timeout": timeout,
            "ocr": "never",
            "seconds": round(time.perf_counter() - started, 1),
            "load_average": [round(x, 1) for x in os.getloadavg()],
        },
        "tracebacks": sum(r["kind"] in ("error", "crashed") for r in rows),
        "hangs": sum(r["kind"] == "timeout" for r in rows),
        "exit_codes": dict(sorted(Counter(r["exit_code"] for r in rows).items())),
        "kinds": dict(Counter(r["kind"] or "ok" for r in rows).most_common()),
        "false_no_text": [r for r in rows if r["false_no_text"]],
        "no_text_layer": [r for r in rows if r["kind"] == "no_text_layer"],
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--source", help="where the PDFs come from (recorded in the results)")
    parser.add_argument("--out", default="peer.json", help="file name in benchmarks/results/")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    results = run(args.folder, args.timeout, args.jobs, args.source)
    summary = {k: v for k, v in results.items() if k not in ("rows", "no_text_layer")}
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    if not args.no_save:
        text = json.dumps(results, indent=1, ensure_ascii=False)
        (ROOT / "benchmarks" / "results" / args.out).write_text(text + "\n", "utf-8")


if __name__ == "__main__":
    main()
