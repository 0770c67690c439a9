"""Files per second of `maalspor batch` with the local executor (1 and 2 jobs) and on Dask.

One folder of plans (copies of the sample PDFs and texts under distinct names, so every copy is
parsed) is run with `--force` into a fresh output folder per run, as a user would run it:

- `local -j1`, `local -j2`: `maalspor batch DIR -o OUT --jobs N`;
- `dask 2 workers, cold`: `--executor dask --jobs 2`, the command starts its own LocalCluster
  (worker start-up and spaCy loading in each worker are part of the run);
- `dask 2 workers, warm`: `--executor dask --scheduler ADDR` on a LocalCluster of 2 worker
  processes (1 thread each) started and warmed up by this script: a long-lived cluster.

Each is timed as the command's wall time (Python start-up included) and as the run's own
`summary.seconds` from the manifest; files/s is inputs / seconds. The best of `--repeat` runs
is kept (the machine may be shared). Results go to benchmarks/results/dask.json.

    python benchmarks/dask_bench.py [--copies 3] [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = [
    ROOT / "samples" / "albertslund-okonomi-og-stab-2015.pdf",
    ROOT / "samples" / "albertslund-okonomi-og-stab-2016-2017.pdf",
    ROOT / "samples" / "virksomhedsplan-okonomi-og-stab-2016-2017.txt",
    ROOT / "tests" / "data" / "albertslund-okonomi-og-stab-2015.txt",
]


def make_folder(folder: Path, copies: int) -> int:
    for copy in range(1, copies + 1):
        target = folder / f"copy-{copy}"
        target.mkdir(parents=True)
        for sample in SAMPLES:
            shutil.copy(sample, target / sample.name)
    return copies * len(SAMPLES)


def run(inputs: Path, work: Path, label: str, *options: str) -> dict:
    out = work / f"out-{label.replace(' ', '-')}"
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "maalspor", "batch", str(inputs), "-o", str(out)]
    command += ["--force", "--quiet", *options]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{label}: exit code {done.returncode}\n{done.stderr}")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    summary = manifest["summary"]
    return {
        "wall_seconds": round(wall, 2),
        "run_seconds": summary["seconds"],
        "inputs": summary["inputs"],
        "ok": summary["ok"],
        "parse_seconds_sum": round(sum(r["seconds"] for r in manifest["inputs"]), 2),
    }


def best(results: list[dict]) -> dict:
    chosen = min(results, key=lambda r: r["wall_seconds"])
    inputs = chosen["inputs"]
    return {
        **chosen,
        "files_per_second_wall": round(inputs / chosen["wall_seconds"], 3),
        "files_per_second_run": round(inputs / chosen["run_seconds"], 3),
        "runs_wall_seconds": [r["wall_seconds"] for r in results],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=3, help="copies of the 4 samples")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/dask.json")
    args = parser.parse_args()

    import dask
    from distributed import Client, LocalCluster

    load_before = os.getloadavg()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="maalspor-dask-bench-") as temp:
        work = Path(temp)
        inputs = work / "plans"
        count = make_folder(inputs, args.copies)
        configs = {
            "local -j1": ("--executor", "local", "--jobs", "1"),
            "local -j2": ("--executor", "local", "--jobs", "2"),
            "dask 2 workers, cold": ("--executor", "dask", "--jobs", "2"),
        }
        for label, options in configs.items():
            results[label] = best([run(inputs, work, label, *options) for _ in range(args.repeat)])
            print(label, results[label], flush=True)
        cluster = LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",  # loopback only, no fixed port
            silence_logs=logging.ERROR,
        )
        client = Client(cluster, set_as_default=False)
        try:
            warm = ("--executor", "dask", "--scheduler", cluster.scheduler_address)
            run(inputs, work, "warm-up", *warm)  # spaCy loaded in both workers
            label = "dask 2 workers, warm"
            results[label] = best([run(inputs, work, label, *warm) for _ in range(args.repeat)])
            print(label, results[label], flush=True)
        finally:
            client.close()
            cluster.close()
    document = {
        "benchmark": "maalspor batch --force on copies of the samples: files per second",
        "inputs": count,
        "inputs_detail": f"{args.copies} copies of 2 sample PDFs (10 and 23 pages) and 2 texts",
        "repeat": args.repeat,
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "dask": dask.__version__,
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
