"""maalspor's benchmarks: parse against pdfplumber, memory, lineage at scale, batch speed-up.

    python3 benchmarks/bench.py                  # the full run (about 10 minutes on 2 cores)
    python3 benchmarks/bench.py --quick          # small inputs, one repeat: does it all work?
    python3 benchmarks/bench.py --only parse,memory --repeat 5

Everything is measured in one run on the same inputs, each measurement in its own fresh Python
process (`--child KIND ...` of this script), so imports, caches and memory start alike:

- parse: `maalspor parse LONG.pdf` (the command, run in-process after its imports) with its
  default engine (pdfium) and with `--engine pdfplumber`, against plain pdfplumber,
  `page.extract_words(extra_attrs=["fontname", "size"])` and `page.close()` over the same
  pages. Start-up (imports; spaCy's Danish pipeline for maalspor) is reported apart from the
  work; the ratios compare the work, and also whole processes.
- memory: peak RSS of that parse (the child's `ru_maxrss` when the command returns: imports
  and the command, not what the benchmark does after it), and of a parse of a PDF twice as long.
- lineage: `maalspor.match.linker.lineage` on two synthetic plans of N goals each (goal-like Danish
  built from the sample plans' words, with documentation and follow-ups).
- cli: `maalspor lineage` and `maalspor diff` of the two sample plans' JSON, whole processes.
- batch: `maalspor.batch.run.run_batch` on 20 plans with 1 and with 2 jobs.
- verdicts: `classify_texts` (the verdict stage of `maalspor verdict` and of every plan) on 1,000
  follow-up texts of the verdict corpus's training rounds, start-up apart.

Each timing is repeated `--repeat` times, the kinds alternating within a repeat, and the median
is reported (ratios: the median of the ratios of the pairs run side by side). Results go to
benchmarks/results/latest.json and a markdown table to stdout. Generated inputs are kept in
benchmarks/.cache/ (not in git).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: `python3 benchmarks/bench.py`
    sys.path.insert(0, str(ROOT))

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
RESULTS = HERE / "results" / "latest.json"
SAMPLES = ROOT / "samples"
SAMPLE = SAMPLES / "albertslund-okonomi-og-stab-2016-2017.pdf"
SAMPLE_2015 = SAMPLES / "albertslund-okonomi-og-stab-2015.pdf"
GOLDEN = ROOT / "tests" / "golden"

TARGETS = {
    "parse_ratio": 1.2,  # maalspor parse work / pdfplumber extract_words work
    "engine_speedup": 8.0,  # parse --engine pdfplumber work / parse (pdfium) work
    "parse_peak_mb": 150.0,
    "parse_growth": 0.20,  # peak of the 2x PDF over the peak of the 1x PDF, minus 1
    "lineage_5000_s": 5.0,
    "lineage_5000_mb": 400.0,
    "cli_lineage_s": 0.6,  # `maalspor lineage` of two small plan JSONs, the whole process
    "cli_diff_s": 0.6,  # `maalspor diff` of the same, the whole process
    "batch_speedup": 1.8,
    "verdicts_1000_s": 2.0,  # verdicts of 1,000 follow-up texts after start-up (issue 23)
}
# The verdict benchmark's texts: the training rounds of the verdict corpus (never the held-out
# round R4), each numbered so that no two texts are alike.
VERDICT_TEXTS = [
    ROOT / "tests" / "verdict_corpus" / name
    for name in ("round_r1.jsonl", "round_r2.jsonl", "round_r3.jsonl", "dev_split.jsonl")
]


# ---------------------------------------------------------------------------------------------
# Inputs


def repeat_pdf(source: Path, pages: int, target: Path) -> Path:
    """`source`'s pages repeated in order up to `pages` pages (pypdf); kept if already made."""
    if target.exists():
        from pypdf import PdfReader

        if len(PdfReader(target).pages) == pages:
            return target
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(source)
    writer = PdfWriter()
    for index in range(pages):
        writer.add_page(reader.pages[index % len(reader.pages)])
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    with partial.open("wb") as handle:
        writer.write(handle)
    partial.replace(target)
    return target


def _pdf_without_page(source: Path, dropped: int, target: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(source)
    writer = PdfWriter()
    for index, page in enumerate(reader.pages):
        if index != dropped % len(reader.pages):
            writer.add_page(page)
    with target.open("wb") as handle:
        writer.write(handle)


def batch_inputs(folder: Path, count: int = 20, max_pages: int | None = None) -> list[Path]:
    """`count` small plans in a fresh `folder`: copies of the two sample PDFs (23 and 10 pages)
    and variants of the 2016-2017 plan with one page left out (22 pages), in turn; with
    `max_pages`, only the first pages of each (for the smoke test)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    made: list[Path] = []
    for index in range(count):
        kind = index % 3
        target = folder / f"plan-{index + 1:02d}.pdf"
        if kind == 0:
            shutil.copyfile(SAMPLE, target)
        elif kind == 1:
            shutil.copyfile(SAMPLE_2015, target)
        else:
            _pdf_without_page(SAMPLE, 5 + index, target)  # leave out one goal page
        if max_pages is not None:
            from pypdf import PdfReader, PdfWriter

            writer = PdfWriter()
            for page in PdfReader(target).pages[:max_pages]:
                writer.add_page(page)
            with target.open("wb") as handle:
                writer.write(handle)
        made.append(target)
    return made


_WORD = re.compile(r"[^\W\d_]{3,}")


def _vocabulary() -> dict[str, list]:
    """Goal texts, documentation items, follow-up texts (with their verdicts), section titles
    and content words of the sample plans, as parsed (tests/golden)."""
    goals: list[str] = []
    docs: list[str] = []
    notes: list[str] = []
    follow_ups: list[tuple[str, str | None, bool | None]] = []
    sections: list[str] = []
    for path in sorted(GOLDEN.glob("*.json")):
        plan = json.loads(path.read_text(encoding="utf-8"))
        sections.extend(s["title"] for s in plan["sections"])
        for item in [*plan["goals"], *plan["follow_ups"]]:
            goals.append(item["text"])
            docs.extend(item["documentation"])
            if item.get("note"):
                notes.append(item["note"])
            if item.get("follow_up"):
                follow_ups.append((item["follow_up"], item["status"], item["continued"]))
    words = sorted({w for text in goals + docs for w in _WORD.findall(text) if w.islower()})
    return {
        "goals": sorted(set(goals)),
        "docs": sorted(set(docs)),
        "notes": sorted(set(notes)),
        "follow_ups": sorted(set(follow_ups), key=lambda f: (f[0], str(f[1]), str(f[2]))),
        "sections": sorted(set(sections)),
        "words": words,
    }


def _mutate(text: str, rng: random.Random, words: Sequence[str], share: float) -> str:
    """`text` with about `share` of its longer words swapped for other words of the plans."""
    out = [
        rng.choice(words) if _WORD.fullmatch(word.strip(".,:;")) and rng.random() < share else word
        for word in text.split()
    ]
    return " ".join(out)


def synthetic_plans(goals: int, seed: int = 0):
    """Two consecutive plans of `goals` goals each (PlanDocument models): the later one carries
    on about 60 % of the earlier goals (reworded a little), has new goals for the rest, and its
    follow-up part reports on every earlier goal with a real Opfølgning text of the samples."""
    from maalspor.models import PlanDocument
    from maalspor.models.plan import FollowUp, Goal, Section

    vocabulary = _vocabulary()
    rng = random.Random(seed)
    words = vocabulary["words"]
    n_sections = max(1, goals // 25)
    section_titles = [
        f"{_mutate(rng.choice(vocabulary['sections']), rng, words, 0.3)} {number + 1}"
        for number in range(n_sections)
    ]

    def new_goal() -> dict[str, Any]:
        section = rng.randrange(n_sections)
        documentation = [
            _mutate(rng.choice(vocabulary["docs"]), rng, words, 0.35)
            for _ in range(rng.randint(1, 3))
        ]
        note = (
            _mutate(rng.choice(vocabulary["notes"]), rng, words, 0.3)
            if vocabulary["notes"] and rng.random() < 0.2
            else None
        )
        return {
            "section": section_titles[section],
            "section_number": section + 1,
            "text": _mutate(rng.choice(vocabulary["goals"]), rng, words, 0.45),
            "note": note,
            "documentation": documentation,
        }

    def goal(fields: dict[str, Any], index: int, cls=Goal, **extra) -> Goal:
        prefix = "F" if cls is FollowUp else "G"
        return cls(
            id=f"{prefix}{index + 1:04d}",
            page=2 + index // 3,
            bbox=None,
            **fields,
            **extra,
        )

    def source(label: str) -> dict[str, Any]:
        digest = hashlib.sha256(f"synthetic-{goals}-{seed}-{label}".encode()).hexdigest()
        return {"path": f"synthetic-{goals}-{label}.json", "sha256": digest, "pages": goals // 3}

    earlier_fields = [new_goal() for _ in range(goals)]
    later_fields: list[dict[str, Any]] = []
    for fields in earlier_fields:
        if rng.random() < 0.6:
            carried = dict(fields)
            carried["text"] = _mutate(fields["text"], rng, words, 0.12)
            carried["documentation"] = [
                _mutate(d, rng, words, 0.25) for d in fields["documentation"]
            ]
            later_fields.append(carried)
    while len(later_fields) < goals:
        later_fields.append(new_goal())
    rng.shuffle(later_fields)

    follow_ups = []
    for index, fields in enumerate(earlier_fields):
        text, status, continued = rng.choice(vocabulary["follow_ups"])
        follow_ups.append(
            goal(
                fields,
                index,
                FollowUp,
                follow_up=text,
                status=status,
                continued=continued,
                status_evidence=[],
            )
        )
    common = {"organisation": "Syntetisk Kommune", "unit": "Økonomi og Stab"}
    sections = [Section(number=i + 1, title=t) for i, t in enumerate(section_titles)]
    earlier = PlanDocument(
        source=source("2020"),
        title="Virksomhedsplan 2020",
        period={"label": "2020", "start": 2020, "end": 2020},
        sections=sections,
        goals=[goal(f, i) for i, f in enumerate(earlier_fields)],
        **common,
    )
    later = PlanDocument(
        source=source("2021"),
        title="Virksomhedsplan 2021",
        period={"label": "2021", "start": 2021, "end": 2021},
        sections=sections,
        goals=[goal(f, i) for i, f in enumerate(later_fields)],
        follow_up_period={"label": "2020", "start": 2020, "end": 2020},
        follow_ups=follow_ups,
        **common,
    )
    return earlier, later


# ---------------------------------------------------------------------------------------------
# Measurements, each run in a fresh process by `run_child` (or called directly by the tests)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _rss_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


def measure_extract_words(pdf: Path) -> dict[str, Any]:
    """Plain pdfplumber over every page: words with font name and size, then `page.close()`."""
    start = time.perf_counter()
    import pdfplumber

    started = time.perf_counter()
    words = 0
    with pdfplumber.open(pdf) as document:
        pages = len(document.pages)
        for page in document.pages:
            words += len(page.extract_words(extra_attrs=["fontname", "size"]))
            page.close()
    done = time.perf_counter()
    return {
        "startup_s": started - start,
        "work_s": done - started,
        "pages": pages,
        "words": words,
        "peak_mb": _peak_mb(),
    }


def measure_parse(pdf: Path, output: Path, engine: str = "pdfium") -> dict[str, Any]:
    """`maalspor parse PDF -o OUTPUT` in this process: start-up (imports), then the command
    (extract, segment, classify — building spaCy's Danish pipeline on its way — and the JSON
    written). The build of spaCy's pipeline is timed again afterwards, apart (`spacy_s`)."""
    start = time.perf_counter()
    import logging

    import pdfplumber  # noqa: F401 - imported by the first PDF opened: start-up, not work

    import maalspor.extract.reader
    import maalspor.segment.segmenter  # noqa: F401
    from maalspor.cli import main
    from maalspor.language import nlp

    started = time.perf_counter()
    main.main(["parse", str(pdf), "-o", str(output), "--engine", engine], standalone_mode=False)
    done = time.perf_counter()
    # The peak of the command (imports included), before anything the benchmark does after it
    # (a second spaCy pipeline below; the output is read by the parent, not here).
    peak_mb = _peak_mb()
    logging.shutdown()
    nlp.danish.cache_clear()
    nlp.danish()
    spacy_s = time.perf_counter() - done
    return {
        "import_s": started - start,
        "spacy_s": spacy_s,
        "startup_s": started - start,
        "work_s": done - started,
        "engine": engine,
        "peak_mb": peak_mb,
    }


def measure_lineage(goals: int, seed: int = 0) -> dict[str, Any]:
    """`lineage` on two synthetic plans of `goals` goals each (building them is not timed)."""
    start = time.perf_counter()
    from maalspor.match.linker import lineage
    from maalspor.outputs.emit import to_json

    earlier, later = synthetic_plans(goals, seed)
    built = time.perf_counter()
    before = _rss_mb()
    document = lineage([earlier, later])
    linked = time.perf_counter()
    text = to_json(document)
    written = time.perf_counter()
    kinds: dict[str, int] = {}
    for link in document.links:
        kinds[link.kind] = kinds.get(link.kind, 0) + 1
    return {
        "goals": goals,
        "build_s": built - start,
        "lineage_s": linked - built,
        "json_s": written - linked,
        "links": len(document.links),
        "kinds": dict(sorted(kinds.items())),
        "json_mb": len(text.encode()) / 1e6,
        "rss_before_mb": before,
        "peak_mb": _peak_mb(),
    }


def measure_batch(inputs: Path, outdir: Path, jobs: int) -> dict[str, Any]:
    """`run_batch([inputs], outdir)` with `jobs` workers into a fresh `outdir`, --force."""
    from maalspor.batch.run import BatchOptions, run_batch

    if outdir.exists():
        shutil.rmtree(outdir)
    started = time.perf_counter()
    manifest = run_batch([inputs], outdir, BatchOptions(jobs=jobs, force=True))
    done = time.perf_counter()
    summary = manifest.summary
    assert summary is not None
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    return {
        "jobs": jobs,
        "files": summary.inputs,
        "ok": summary.ok,
        "lineages": summary.lineages,
        "seconds": done - started,
        "files_per_s": summary.inputs / (done - started),
        "parent_peak_mb": _peak_mb(),
        "worker_peak_mb": children,
    }


def verdict_texts(count: int) -> list[str]:
    texts = [
        json.loads(line)["text"]
        for path in VERDICT_TEXTS
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return [f"{texts[i % len(texts)]} (sag {i})" for i in range(count)]


def measure_verdicts(count: int) -> dict[str, Any]:
    """`classify_texts` (what `maalspor verdict` and the plan pipeline run) on `count` texts;
    start-up (imports, spaCy, the lexicon and the model, read by a first small call) apart."""
    start = time.perf_counter()
    from maalspor.verdicts import classify_texts

    texts = verdict_texts(count)
    classify_texts(texts[:5])
    ready = time.perf_counter()
    verdicts = classify_texts(texts)
    done = time.perf_counter()
    statuses: dict[str, int] = {}
    for verdict in verdicts:
        statuses[verdict.status] = statuses.get(verdict.status, 0) + 1
    return {
        "texts": count,
        "startup_s": ready - start,
        "seconds": done - ready,
        "texts_per_s": count / (done - ready),
        "statuses": dict(sorted(statuses.items())),
        "peak_mb": _peak_mb(),
    }


def bench_verdicts(repeat: int, count: int = 1000) -> dict[str, Any]:
    runs = [run_child("verdicts", count) for _ in range(repeat)]
    return {
        "texts": count,
        "seconds": _median([r["seconds"] for r in runs]),
        "startup_s": _median([r["startup_s"] for r in runs]),
        "peak_mb": max(r["process_peak_mb"] for r in runs),
        "runs_s": [r["seconds"] for r in runs],
    }


_CHILDREN = {
    "verdicts": lambda args: measure_verdicts(int(args[0])),
    "extract_words": lambda args: measure_extract_words(Path(args[0])),
    "parse": lambda args: measure_parse(Path(args[0]), Path(args[1]), *args[2:]),
    "lineage": lambda args: measure_lineage(int(args[0]), int(args[1])),
    "batch": lambda args: measure_batch(Path(args[0]), Path(args[1]), int(args[2])),
}


def run_child(kind: str, *args: object) -> dict[str, Any]:
    """One measurement in a fresh Python process: its JSON result, plus the process's wall time
    (`process_s`, Python start-up included) and peak RSS (`process_peak_mb`, from wait4)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, *map(str, args)]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, text=True
    )
    out, err = process.stdout.read(), process.stderr.read()  # type: ignore[union-attr]
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"benchmark child {kind} {args} failed ({process.returncode}):\n{err}")
    result = json.loads(out.strip().splitlines()[-1])
    result["process_s"] = elapsed
    result["process_peak_mb"] = usage.ru_maxrss / 1024.0
    if kind == "parse":  # counted here: loading the JSON in the child would raise its peak
        plan = json.loads(Path(str(args[1])).read_text(encoding="utf-8"))
        result["pages"] = plan["source"]["pages"]
        result["goals"] = len(plan["goals"])
        result["follow_ups"] = len(plan["follow_ups"])
    return result


# ---------------------------------------------------------------------------------------------
# The run


def _median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def _round(value: Any, digits: int = 3) -> Any:
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, dict):
        return {k: _round(v, digits) for k, v in value.items()}
    if isinstance(value, list):
        return [_round(v, digits) for v in value]
    return value


def packed_pdf(source: Path, target: Path) -> Path:
    """`source` with its dictionaries in object streams, as Word and Acrobat write; kept if
    already made."""
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    from tests.repack import object_stream_pdf

    return object_stream_pdf(source, target)


def bench_parse(pdf: Path, repeat: int, work: Path) -> dict[str, Any]:
    runs: dict[str, list[dict[str, Any]]] = {
        "extract_words": [],
        "parse": [],
        "plumber": [],
        "packed": [],
    }
    packed = packed_pdf(pdf, pdf.with_name(f"{pdf.stem}-packed.pdf"))
    kinds = ["extract_words", "parse", "plumber"]
    for index in range(repeat):
        for kind in kinds[index % 3 :] + kinds[: index % 3]:  # each kind first in turn
            if kind == "extract_words":
                runs[kind].append(run_child(kind, pdf))
            else:
                engine = "pdfium" if kind == "parse" else "pdfplumber"
                runs[kind].append(run_child("parse", pdf, work / f"{kind}.json", engine))
        runs["packed"].append(run_child("parse", packed, work / "packed.json", "pdfium"))
    pages = runs["parse"][0]["pages"]
    ew, mp = runs["extract_words"], runs["parse"]
    work_ratios = [p["work_s"] / e["work_s"] for p, e in zip(mp, ew, strict=True)]
    process_ratios = [p["process_s"] / e["process_s"] for p, e in zip(mp, ew, strict=True)]
    ew_work, mp_work = _median([r["work_s"] for r in ew]), _median([r["work_s"] for r in mp])
    pl = runs["plumber"]
    pl_work = _median([r["work_s"] for r in pl])
    engine_ratios = [q["work_s"] / p["work_s"] for p, q in zip(mp, pl, strict=True)]
    return {
        "pdf": str(pdf.relative_to(ROOT)) if pdf.is_relative_to(ROOT) else str(pdf),
        "pages": pages,
        "repeat": repeat,
        "extract_words": {
            "work_s": ew_work,
            "startup_s": _median([r["startup_s"] for r in ew]),
            "process_s": _median([r["process_s"] for r in ew]),
            "pages_per_s": pages / ew_work,
            "peak_mb": max(r["process_peak_mb"] for r in ew),
            "runs_work_s": [r["work_s"] for r in ew],
        },
        "parse": {
            "work_s": mp_work,
            "startup_s": _median([r["startup_s"] for r in mp]),
            "import_s": _median([r["import_s"] for r in mp]),
            "spacy_s": _median([r["spacy_s"] for r in mp]),
            "process_s": _median([r["process_s"] for r in mp]),
            "pages_per_s": pages / mp_work,
            "peak_mb": _median([r["peak_mb"] for r in mp]),
            "goals": mp[0]["goals"],
            "follow_ups": mp[0]["follow_ups"],
            "runs_work_s": [r["work_s"] for r in mp],
        },
        "parse_pdfplumber": {
            "work_s": pl_work,
            "process_s": _median([r["process_s"] for r in pl]),
            "pages_per_s": pages / pl_work,
            "peak_mb": _median([r["peak_mb"] for r in pl]),
            "goals": pl[0]["goals"],
            "follow_ups": pl[0]["follow_ups"],
            "runs_work_s": [r["work_s"] for r in pl],
        },
        "parse_packed": {
            "pdf": packed.name,
            "work_s": _median([r["work_s"] for r in runs["packed"]]),
            "goals": runs["packed"][0]["goals"],
            "runs_work_s": [r["work_s"] for r in runs["packed"]],
        },
        "engine_speedup": _median(engine_ratios),
        "engine_speedups": engine_ratios,
        "ratio_work": _median(work_ratios),
        "ratio_process": _median(process_ratios),
        "ratios_work": work_ratios,
    }


def bench_memory(pdf: Path, pdf2: Path, peak1: float | None, work: Path) -> dict[str, Any]:
    one = peak1 if peak1 is not None else run_child("parse", pdf, work / "m1.json")["peak_mb"]
    twice = run_child("parse", pdf2, work / "m2.json")
    return {
        "pages": [twice["pages"] // 2, twice["pages"]],
        "peak_mb": one,
        "peak_2x_mb": twice["peak_mb"],
        "growth": twice["peak_mb"] / one - 1.0,
        "work_2x_s": twice["work_s"],
        "pages_per_s_2x": twice["pages"] / twice["work_s"],
    }


def bench_lineage(sizes: Sequence[int], repeat: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for size in sizes:
        runs = [run_child("lineage", size, 0) for _ in range(repeat)]
        first = runs[0]
        out[str(size)] = {
            "goals_per_plan": size,
            "lineage_s": _median([r["lineage_s"] for r in runs]),
            "json_s": _median([r["json_s"] for r in runs]),
            "build_s": _median([r["build_s"] for r in runs]),
            "peak_mb": max(r["process_peak_mb"] for r in runs),
            "rss_before_mb": first["rss_before_mb"],
            "links": first["links"],
            "kinds": first["kinds"],
            "runs_lineage_s": [r["lineage_s"] for r in runs],
        }
    return out


def bench_cli(repeat: int, work: Path) -> dict[str, Any]:
    """`maalspor lineage` and `maalspor diff` of the two sample plans' JSON, as whole processes
    (Python's start-up and every import included), after one warm-up run each (which builds
    the lexicon's cache the first time on a machine)."""
    old, new = (GOLDEN / f"albertslund-okonomi-og-stab-{p}.json" for p in ("2015", "2016-2017"))
    commands = {
        "lineage": ["lineage", str(old), str(new), "-o", str(work / "cli-lineage.json")],
        "diff": ["diff", str(old), str(new), "-o", str(work / "cli-diff.txt")],
    }
    out: dict[str, Any] = {}
    for name, arguments in commands.items():
        command = [sys.executable, "-m", "maalspor", *arguments]
        subprocess.run(command, check=True, capture_output=True)
        times = []
        for _ in range(max(repeat, 5)):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        out[name] = {"seconds": _median(times), "runs_s": times}
    return out


def bench_batch(
    files: int, repeat: int, work: Path, max_pages: int | None = None
) -> dict[str, Any]:
    from pypdf import PdfReader

    inputs = work / "batch-inputs"
    made = batch_inputs(inputs, files, max_pages)
    pages = sum(len(PdfReader(path).pages) for path in made)
    runs: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
    for index in range(repeat):
        for jobs in (1, 2) if index % 2 == 0 else (2, 1):
            runs[jobs].append(run_child("batch", inputs, work / f"batch-j{jobs}", jobs))
    speedups = [one["seconds"] / two["seconds"] for one, two in zip(runs[1], runs[2], strict=True)]
    result: dict[str, Any] = {"files": files, "pages": pages, "repeat": repeat}
    for jobs, items in runs.items():
        seconds = _median([r["seconds"] for r in items])
        result[f"jobs{jobs}"] = {
            "seconds": seconds,
            "files_per_s": files / seconds,
            "ok": items[0]["ok"],
            "lineages": items[0]["lineages"],
            "worker_peak_mb": max(r["worker_peak_mb"] for r in items),
            "runs_s": [r["seconds"] for r in items],
        }
    result["speedup"] = _median(speedups)
    result["speedups"] = speedups
    return result


def run_all(
    *,
    pages: int = 506,
    goals: Sequence[int] = (1000, 5000),
    batch_files: int = 20,
    batch_max_pages: int | None = None,
    repeat: int = 3,
    only: Sequence[str] = ("parse", "memory", "lineage", "cli", "batch", "verdicts"),
    cache: Path = CACHE,
    verdict_count: int = 1000,
) -> dict[str, Any]:
    """Every benchmark named in `only`; the results document (see benchmarks/README.md)."""
    work = cache / "work"
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"meta": _meta(repeat), "targets": TARGETS}
    pdf = (
        repeat_pdf(SAMPLE, pages, cache / f"long-{pages}.pdf")
        if set(only) - {"verdicts"}
        else SAMPLE
    )
    peak1 = None
    if "parse" in only:
        results["parse"] = bench_parse(pdf, repeat, work)
        peak1 = results["parse"]["parse"]["peak_mb"]
    if "memory" in only:
        pdf2 = repeat_pdf(SAMPLE, 2 * pages, cache / f"long-{2 * pages}.pdf")
        results["memory"] = bench_memory(pdf, pdf2, peak1, work)
    if "lineage" in only:
        results["lineage"] = bench_lineage(goals, repeat)
    if "cli" in only:
        results["cli"] = bench_cli(repeat, work)
    if "batch" in only:
        results["batch"] = bench_batch(batch_files, repeat, work, batch_max_pages)
    if "verdicts" in only:
        results["verdict_texts"] = bench_verdicts(repeat, verdict_count)
    results["verdicts"] = verdicts(results)
    return _round(results)


def _meta(repeat: int) -> dict[str, Any]:
    import pdfplumber

    from maalspor import __version__

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "maalspor": __version__,
        "commit": commit or None,
        "python": platform.python_version(),
        "pdfplumber": pdfplumber.__version__,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_average": list(os.getloadavg()),
        "repeat": repeat,
    }


def verdicts(results: dict[str, Any]) -> dict[str, bool]:
    """Which targets the results meet (only those measured)."""
    found: dict[str, bool] = {}
    if "parse" in results:
        found["parse_ratio"] = results["parse"]["ratio_work"] <= TARGETS["parse_ratio"]
        found["engine_speedup"] = results["parse"]["engine_speedup"] >= TARGETS["engine_speedup"]
    if "memory" in results:
        memory = results["memory"]
        # The target is for the long PDF (500+ pages); twice as long is the growth's target.
        found["parse_peak_mb"] = memory["peak_mb"] <= TARGETS["parse_peak_mb"]
        found["parse_growth"] = memory["growth"] < TARGETS["parse_growth"]
    if results.get("lineage"):
        largest = max(results["lineage"].values(), key=lambda r: r["goals_per_plan"])
        if largest["goals_per_plan"] >= 5000:
            found["lineage_5000_s"] = largest["lineage_s"] <= TARGETS["lineage_5000_s"]
            found["lineage_5000_mb"] = largest["peak_mb"] <= TARGETS["lineage_5000_mb"]
    if "cli" in results:
        for name in ("lineage", "diff"):
            found[f"cli_{name}_s"] = results["cli"][name]["seconds"] <= TARGETS[f"cli_{name}_s"]
    if "batch" in results:
        found["batch_speedup"] = results["batch"]["speedup"] >= TARGETS["batch_speedup"]
    if "verdict_texts" in results:
        # the target is for 1,000 texts: fewer (a quick run) are scaled up
        texts = results["verdict_texts"]
        seconds = texts["seconds"] * 1000 / texts["texts"]
        found["verdicts_1000_s"] = seconds <= TARGETS["verdicts_1000_s"]
    return found


def _mark(results: dict[str, Any], key: str) -> str:
    if key not in results.get("verdicts", {}):
        return ""
    return "met" if results["verdicts"][key] else "**not met**"


def render_table(results: dict[str, Any]) -> str:
    """The results as a markdown table (what the README shows)."""
    rows = ["| benchmark | result | target | |", "|---|---|---|---|"]
    if "parse" in results:
        p = results["parse"]
        ew, mp, pl = p["extract_words"], p["parse"], p["parse_pdfplumber"]
        rows += [
            f"| pdfplumber `extract_words` + `close`, {p['pages']} pages | "
            f"{ew['work_s']:.1f} s, {ew['pages_per_s']:.1f} pages/s "
            f"(+{ew['startup_s']:.2f} s import) | | |",
            f"| `maalspor parse`, same PDF | {mp['work_s']:.1f} s, "
            f"{mp['pages_per_s']:.1f} pages/s (+{mp['startup_s']:.2f} s imports; the work "
            f"includes building spaCy's pipeline, {mp['spacy_s']:.2f} s); "
            f"{mp['goals']} goals, {mp['follow_ups']} follow-ups | | |",
            f"| `maalspor parse --engine pdfplumber`, same PDF | {pl['work_s']:.1f} s, "
            f"{pl['pages_per_s']:.1f} pages/s; {pl['goals']} goals, {pl['follow_ups']} "
            "follow-ups | | |",
            f"| `maalspor parse`, same PDF packed in object streams (as Word writes) | "
            f"{p['parse_packed']['work_s']:.1f} s; {p['parse_packed']['goals']} goals | | |",
            f"| parse: pdfplumber engine / pdfium engine, time | {p['engine_speedup']:.1f}× | "
            f"≥ {TARGETS['engine_speedup']:.0f}× | {_mark(results, 'engine_speedup')} |",
            f"| parse / extract_words, time | {p['ratio_work']:.2f}× "
            f"(whole processes: {p['ratio_process']:.2f}×) | ≤ {TARGETS['parse_ratio']}× | "
            f"{_mark(results, 'parse_ratio')} |",
        ]
    if "memory" in results:
        m = results["memory"]
        rows += [
            f"| peak RSS of `parse`, {m['pages'][0]} / {m['pages'][1]} pages | "
            f"{m['peak_mb']:.0f} MB / {m['peak_2x_mb']:.0f} MB | ≤ {TARGETS['parse_peak_mb']:.0f}"
            f" MB ({m['pages'][0]} pages) | {_mark(results, 'parse_peak_mb')} |",
            f"| memory growth, 2× pages | {100 * m['growth']:+.0f} % | "
            f"< {100 * TARGETS['parse_growth']:.0f} % | {_mark(results, 'parse_growth')} |",
        ]
    for size, lin in results.get("lineage", {}).items():
        is_target = lin["goals_per_plan"] >= 5000
        marks = (
            f"{_mark(results, 'lineage_5000_s')}, {_mark(results, 'lineage_5000_mb')}"
            if is_target
            else ""
        )
        rows.append(
            f"| `lineage`, 2 × {int(size):,} goals | {lin['lineage_s']:.2f} s "
            f"(+{lin['json_s']:.2f} s JSON), peak {lin['peak_mb']:.0f} MB, {lin['links']:,} links"
            f" | {'≤ 5 s, ≤ 400 MB' if is_target else ''} | {marks} |"
        )
    for name, c in results.get("cli", {}).items():
        rows.append(
            f"| `maalspor {name}` of two plan JSONs, whole process | {c['seconds']:.2f} s | "
            f"≤ {TARGETS[f'cli_{name}_s']} s | {_mark(results, f'cli_{name}_s')} |"
        )
    if "batch" in results:
        b = results["batch"]
        for jobs in (1, 2):
            r = b[f"jobs{jobs}"]
            rows.append(
                f"| `batch`, {b['files']} plans ({b['pages']} pages), `--jobs {jobs}` | "
                f"{r['seconds']:.1f} s, {r['files_per_s']:.2f} files/s | | |"
            )
        rows.append(
            f"| batch speed-up, 2 jobs | {b['speedup']:.2f}× | ≥ {TARGETS['batch_speedup']}× | "
            f"{_mark(results, 'batch_speedup')} |"
        )
    if "verdict_texts" in results:
        v = results["verdict_texts"]
        rows.append(
            f"| verdicts of {v['texts']:,} follow-up texts (`classify_texts`) | {v['seconds']:.2f}"
            f" s (+{v['startup_s']:.2f} s start-up), peak {v['peak_mb']:.0f} MB | "
            f"≤ {TARGETS['verdicts_1000_s']} s | {_mark(results, 'verdicts_1000_s')} |"
        )
    meta = results.get("meta", {})
    caption = (
        f"maalspor {meta.get('maalspor', '?')} ({meta.get('commit') or 'uncommitted'}), "
        f"Python {meta.get('python', '?')}, pdfplumber {meta.get('pdfplumber', '?')}, "
        f"{meta.get('machine', '?')}, median of {meta.get('repeat', '?')} runs, "
        f"{meta.get('date', '?')}"
    )
    return "\n".join(rows) + f"\n\n{caption}\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small inputs, one repeat")
    parser.add_argument("--repeat", type=int, default=None, help="runs per timing (default 3)")
    parser.add_argument("--pages", type=int, default=None, help="pages of the long PDF (506)")
    parser.add_argument("--goals", default=None, help="goals per plan for lineage (1000,5000)")
    parser.add_argument("--batch-files", type=int, default=None, help="plans in the batch (20)")
    parser.add_argument(
        "--only", default="parse,memory,lineage,cli,batch,verdicts", help="what to run"
    )
    parser.add_argument("--output", type=Path, default=None, help=f"default {RESULTS}")
    parser.add_argument("--no-save", action="store_true", help="print only")
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        print(json.dumps(_CHILDREN[kind](rest)))
        return 0
    quick = args.quick
    goals = (
        tuple(int(g) for g in args.goals.split(","))
        if args.goals
        else ((200, 1000) if quick else (1000, 5000))
    )
    results = run_all(
        pages=args.pages or (46 if quick else 506),
        goals=goals,
        batch_files=args.batch_files or (6 if quick else 20),
        repeat=args.repeat or (1 if quick else 3),
        only=[item.strip() for item in args.only.split(",") if item.strip()],
    )
    if not args.no_save:
        output = args.output or RESULTS
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(render_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
