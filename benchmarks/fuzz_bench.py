"""Byte-mutated copies of the sample plans, each parsed under a time limit (issue 25).

Each mutant is one sample PDF with one seeded change: bytes overwritten (1-8 random bytes at a
random place), the file truncated (cut somewhere past its first tenth), or a chunk duplicated
(16-4,096 bytes copied to another place). Each is parsed as `batch` parses an input: in a forked
worker (maalspor.batch.workers.ProcessExecutor) under `--timeout` and a memory cap, with
`--ocr never` (what the text layer gives; OCR would take minutes per mutant on this machine).

Counted: tracebacks (an unexpected error: kind `error`, or a worker that died), hangs (past
`--timeout`), exit codes (as `maalspor parse` would exit), and goals kept against the original.
A mutant is flagged when its text layer, as PDFium reads it, still holds every "Mål" and
"Dokumentation" label of the original at its place (the same page, within `PLACE_TOLERANCE`
points), but its parse lost more than one goal: the parse dropped what the text still says.
Counting labels alone is not enough: bytes overwritten inside a compressed content stream make
the inflater's back-references copy earlier operators, so a page can hold as many labels as
before, drawn again over the page's first goals, while its last goals are gone from the text
(`labels_survive` counts, `labels_in_place` places; only the latter flags).
Results go to benchmarks/results/fuzz.json.

    python3 benchmarks/fuzz_bench.py [-n 1000] [--seed 25] [--timeout 60] [--jobs 2]
                                     [--keep DIR] [--no-save]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.pdf"))
LABELS = ("Mål", "Dokumentation")
OPERATIONS = ("overwrite", "truncate", "duplicate")
PLACE_TOLERANCE = 2.0  # points: a label "at its place" starts this close to where it stood
# Exit codes of kinds no exception class carries (the batch finds them).
_BATCH_CODES = {"error": 1, "timeout": 7, "memory": 10, "crashed": 8}


@dataclass(frozen=True)
class Mutant:
    number: int
    sample: str
    operation: str
    at: int
    length: int

    def apply(self, data: bytes, rng: random.Random) -> bytes:
        if self.operation == "overwrite":
            noise = bytes(rng.randrange(256) for _ in range(self.length))
            return data[: self.at] + noise + data[self.at + self.length :]
        if self.operation == "truncate":
            return data[: self.at]
        source = rng.randrange(max(1, len(data) - self.length))
        return data[: self.at] + data[source : source + self.length] + data[self.at :]


def mutants(count: int, seed: int) -> list[tuple[Mutant, bytes]]:
    """`count` mutants of the samples in turn, each made by one seeded change."""
    rng = random.Random(seed)
    originals = {path.name: path.read_bytes() for path in SAMPLES}
    made = []
    for number in range(count):
        name = SAMPLES[number % len(SAMPLES)].name
        data = originals[name]
        operation = OPERATIONS[rng.randrange(len(OPERATIONS))]
        if operation == "overwrite":
            at, length = rng.randrange(len(data)), rng.randint(1, 8)
        elif operation == "truncate":
            at, length = rng.randrange(len(data) // 10, len(data)), 0
        else:
            at, length = rng.randrange(len(data)), rng.randint(16, 4096)
        mutant = Mutant(number, name, operation, at, length)
        made.append((mutant, mutant.apply(data, rng)))
    return made


def pdfium_pages(path: str) -> list[tuple[int, str]] | None:
    """(characters, text) of each page as PDFium reads it; None where it cannot open the file
    (a page it cannot load counts as empty)."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(path)
    except Exception:
        return None
    pages = []
    try:
        for index in range(len(document)):
            try:
                page = document[index]
                textpage = page.get_textpage()
                pages.append((max(textpage.count_chars(), 0), textpage.get_text_range()))
                textpage.close()
                page.close()
            except Exception:
                pages.append((0, ""))
    finally:
        document.close()
    return pages


def label_counts(path: str) -> dict[str, int] | None:
    """How often each label stands in the PDF's text as PDFium reads it (None: unreadable)."""
    pages = pdfium_pages(path)
    if pages is None:
        return None
    return {label: sum(text.count(label) for _, text in pages) for label in LABELS}


def label_places(path: str) -> dict[str, list[list[float]]] | None:
    """Where each label stands as PDFium reads it: [page, left, bottom] of its first letter
    (None: unreadable; a page it cannot load holds none)."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(path)
    except Exception:
        return None
    places: dict[str, list[list[float]]] = {label: [] for label in LABELS}
    try:
        for index in range(len(document)):
            try:
                textpage = document[index].get_textpage()
                for label in LABELS:
                    searcher = textpage.search(label, match_case=True)
                    while found := searcher.get_next():
                        left, bottom, _, _ = textpage.get_charbox(found[0])
                        places[label].append([index, round(left, 1), round(bottom, 1)])
                    searcher.close()
                textpage.close()
            except Exception:
                continue
    finally:
        document.close()
    return places


def labels_in_place(places: dict | None, before: dict) -> bool:
    """Every label of the original still stands at its place in the mutant."""
    if places is None:
        return False
    for label in LABELS:
        found = places[label]
        for page, left, bottom in before[label]:
            if not any(
                p == page
                and abs(x - left) <= PLACE_TOLERANCE
                and abs(y - bottom) <= PLACE_TOLERANCE
                for p, x, y in found
            ):
                return False
    return True


def label_survey(path: str) -> dict | None:
    """The labels' counts and places (None: PDFium cannot open the file)."""
    counts = label_counts(path)
    return None if counts is None else {"counts": counts, "places": label_places(path)}


def noted(key: str, measure):
    """A worker's task: `measure(path)` noted as JSON in the first warning, then the parse
    (`batch`'s `run_task`); `note(result, key)` reads it back."""

    def task(task):
        from maalspor.batch.run import run_task

        value = measure(task.path)
        result = run_task(task)
        result.warnings = [json.dumps({key: value}), *result.warnings]
        return result

    return task


def note(result, key: str):
    prefix = json.dumps({key: None})[:-6]  # '{"key": '
    if result.warnings and result.warnings[0].startswith(prefix):
        return json.loads(result.warnings[0])[key]
    return None


fuzz_task = noted("labels", label_survey)


def exit_code(result) -> int:
    """The code `maalspor parse` exits with for a worker's result."""
    from maalspor import errors

    if result.status == "ok":
        return 0
    kind = result.error.kind
    if kind in _BATCH_CODES:
        return _BATCH_CODES[kind]
    codes = {cls.kind: cls.exit_code for cls in errors.error_classes()}
    return codes.get(kind, 1)


def run(count: int, seed: int, timeout: float, jobs: int, keep: Path | None = None) -> dict:
    from maalspor.batch.workers import ProcessExecutor, Task, prepare_workers

    prepare_workers()
    with tempfile.TemporaryDirectory(prefix="maalspor-fuzz-") as folder:
        originals = {}
        for path in SAMPLES:
            task = Task(path=str(path), source=str(path), ocr="never")
            result = fuzz_task(task)
            originals[path.name] = (result.plan.goals, note(result, "labels"))
        made = mutants(count, seed)
        tasks = []
        for mutant, data in made:
            path = Path(folder) / f"mutant-{mutant.number:04d}.pdf"
            path.write_bytes(data)
            tasks.append(Task(path=str(path), source=path.name, ocr="never"))
        executor = ProcessExecutor(jobs, run_task=fuzz_task, timeout=timeout, max_memory_mb=2048)
        started = time.perf_counter()
        rows = []
        for index, result in executor.run(tasks):
            mutant = made[index][0]
            goals_before, labels_before = originals[mutant.sample]
            survey = note(result, "labels")
            labels = survey["counts"] if survey else None
            goals = result.plan.goals if result.plan else 0
            survived = labels is not None and all(
                labels[label] >= labels_before["counts"][label] for label in LABELS
            )
            in_place = survey is not None and labels_in_place(
                survey["places"], labels_before["places"]
            )
            row = {
                **mutant.__dict__,
                "exit_code": exit_code(result),
                "kind": result.error.kind if result.error else None,
                "goals": goals,
                "goals_before": goals_before,
                "labels": labels,
                "labels_survive": survived,
                "labels_in_place": in_place,
                "flagged": in_place and goals < goals_before - 1,
                "seconds": round(result.seconds, 2),
            }
            if result.error and row["kind"] in ("error", "crashed", "timeout"):
                row["message"] = result.error.message
            rows.append(row)
            if keep and (row["flagged"] or row["kind"] in ("error", "crashed", "timeout")):
                keep.mkdir(parents=True, exist_ok=True)
                (keep / f"mutant-{mutant.number:04d}.pdf").write_bytes(made[index][1])
        seconds = time.perf_counter() - started
    rows.sort(key=lambda r: r["number"])
    kept = sum(r["goals"] for r in rows)
    before = sum(r["goals_before"] for r in rows)
    return {
        "meta": {
            "mutants": count,
            "seed": seed,
            "timeout": timeout,
            "jobs": jobs,
            "ocr": "never",
            "samples": [p.name for p in SAMPLES],
            "seconds": round(seconds, 1),
            "load_average": [round(x, 1) for x in os.getloadavg()],
        },
        "tracebacks": sum(r["kind"] in ("error", "crashed") for r in rows),
        "hangs": sum(r["kind"] == "timeout" for r in rows),
        "exit_codes": dict(sorted(Counter(r["exit_code"] for r in rows).items())),
        "operations": dict(Counter(r["operation"] for r in rows)),
        "goals_kept": f"{kept} of {before} ({kept / before:.1%})" if before else "0",
        "labels_survive": sum(r["labels_survive"] for r in rows),
        "labels_survive_all_goals": sum(
            r["labels_survive"] and r["goals"] >= r["goals_before"] for r in rows
        ),
        "labels_in_place": sum(r["labels_in_place"] for r in rows),
        "labels_in_place_all_goals": sum(
            r["labels_in_place"] and r["goals"] >= r["goals_before"] for r in rows
        ),
        "flagged": [r for r in rows if r["flagged"]],
        # labels as many as before but not all at their places, and goals lost: the text lost
        # them too (see the module's docstring); listed, not flagged
        "labels_counted_not_in_place_goals_lost": [
            r["number"]
            for r in rows
            if r["labels_survive"]
            and not r["labels_in_place"]
            and r["goals"] < r["goals_before"] - 1
        ],
        "failures": [r for r in rows if r["kind"] in ("error", "crashed", "timeout")],
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--mutants", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=25)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="keep flagged and failed mutants here")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    results = run(args.mutants, args.seed, args.timeout, args.jobs, args.keep)
    summary = {k: v for k, v in results.items() if k != "rows"}
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    if not args.no_save:
        (ROOT / "benchmarks" / "results" / "fuzz.json").write_text(dumps(results), "utf-8")


def dumps(results: dict) -> str:
    """The results as JSON: the summary indented, each mutant's row on one line."""
    summary = json.dumps({**results, "rows": []}, indent=2, ensure_ascii=False)
    rows = ",\n    ".join(json.dumps(row, ensure_ascii=False) for row in results["rows"])
    return summary.replace('"rows": []', f'"rows": [\n    {rows}\n  ]') + "\n"


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
