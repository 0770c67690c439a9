"""Time and peak memory of `maalspor parse` refusing hostile PDFs (issue 14).

- `pages`: a PDF of 20,000 blank pages in a two-level page tree (1.5 MB), refused by the page
  limit (`--max-pages 2000`) from the count its tree declares, before the tree is loaded;
- `bomb`: a one-page PDF whose content stream is under a megabyte of zlib data that inflates to
  200 MB of spaces, refused at the stream limit (128 MB) while it inflates.

Each is `maalspor parse FILE` in a fresh process (`python -m maalspor`): its wall time and
peak RSS (`ru_maxrss` from `os.wait4`), the median of `--repeat` runs, with the exit code and
the line it printed. Results go to benchmarks/results/hostile.json.

    python3 benchmarks/hostile_bench.py [--repeat 3] [--no-save]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import badfiles  # noqa: E402 - the hostile files the tests use


def measure(path: Path, *options: str) -> dict:
    """`maalspor parse PATH` in its own process: seconds, peak RSS, exit code, stderr."""
    command = [sys.executable, "-m", "maalspor", "parse", str(path), *options]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stderr = process.stderr.read() if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    return {
        "seconds": round(seconds, 2),
        "peak_mb": round(usage.ru_maxrss / 1024),
        "exit_code": process.returncode,
        "stderr": stderr.strip(),
    }


def run_all(*, pages: int = 20_000, inflated_mb: int = 200, repeat: int = 3) -> dict:
    with tempfile.TemporaryDirectory(prefix="maalspor-hostile-") as folder:
        many = badfiles.many_pages_pdf(Path(folder) / "many.pdf", pages=pages)
        bomb = badfiles.inflating_pdf(Path(folder) / "bomb.pdf", inflated_mb=inflated_mb)
        results = {}
        for name, path in (("pages", many), ("bomb", bomb)):
            runs = [measure(path) for _ in range(repeat)]
            results[name] = {
                "file_mb": round(path.stat().st_size / 2**20, 2),
                "seconds": statistics.median(r["seconds"] for r in runs),
                "peak_mb": statistics.median(r["peak_mb"] for r in runs),
                "exit_code": runs[-1]["exit_code"],
                "stderr": runs[-1]["stderr"].replace(str(path), path.name),
            }
        results["meta"] = {"repeat": repeat, "load_average": os.getloadavg()}
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    results = run_all(repeat=args.repeat)
    text = json.dumps(results, indent=2, ensure_ascii=False)
    print(text)
    if not args.no_save:
        (ROOT / "benchmarks" / "results" / "hostile.json").write_text(text + "\n", "utf-8")


if __name__ == "__main__":
    main()
