"""Many plans at once: parse every input in parallel, group the plans into series, link each.

`run_batch(inputs, outdir)`:

1. finds the inputs: folders are searched recursively for `.pdf`, `.docx` (and `.docm`) and
   `.txt` files (other files are listed in the manifest as skipped; hidden files and folders,
   and the output folder, are ignored), files named on the command line are always parsed;
2. keeps the plan of every input whose bytes, tool version and rules are unchanged since the
   run that parsed it (read from the previous `manifest.json`), and parses the others in worker
   processes, each under a time and a memory limit; an input that fails is recorded in the
   manifest with a kind and a message, and the others go on;
3. writes each plan's JSON, then the manifest, as each input finishes, both atomically: a killed
   run loses only the inputs in flight, and the next run resumes from the manifest;
4. groups the plans into series (organisation and unit as parsed, or `--series-map`), orders
   each series by period, and writes one lineage per series of two or more plans.

Plans and lineages are byte-identical from run to run: a plan's `source.path` is the input's
path relative to the INPUT folder it was found in (the file name for a file given by name), so
neither the working folder nor the output folder leaks into them. Times are in the manifest only.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from maalspor import errors
from maalspor.batch.discovery import (  # noqa: F401
    PLAN_SUFFIXES,
    InputFile,
    discover,
    fetched,
    output_names,
)
from maalspor.batch.lock import LOCK, lock_outdir  # noqa: F401

# Names other modules and tests import from here, where they lived before the split.
from maalspor.batch.progress import (  # noqa: F401
    BarReporter,
    LineReporter,
    Reporter,
    progress,
)
from maalspor.batch.records import (  # noqa: F401
    MANIFEST,
    BatchRun,
    file_sha256,
    read_manifest,
    reusable_records,
    rules_sha256,
)
from maalspor.batch.series import (  # noqa: F401
    GOALS_CSV,
    GOALS_DB,
    LINEAGE_DIR,
    REPORT,
    REPORTS_DIR,
    SeriesMapError,
    group_series,
    link_series,
    load_series_map,
    mapped_series,
    write_overview,
)
from maalspor.batch.workers import (  # noqa: F401
    OUT_OF_MEMORY,
    Executor,
    ProcessExecutor,
    Task,
    TaskResult,
    caused_by_memory,
    failure,
    load_parser,
    memory_cap,
    prepare_workers,
)
from maalspor.models import PlanDocument
from maalspor.models.lineage import LineageDocument
from maalspor.models.manifest import InputRecord, Manifest, PlanSummary, SkippedFile, Summary
from maalspor.outputs.names import REPORT_LANGUAGE
from maalspor.settings import Settings

if TYPE_CHECKING:
    from maalspor.match.overrides import Overrides

PLANS_DIR = "plans"
DEFAULT_TIMEOUT = 120.0
DEFAULT_MAX_MEMORY_MB = 2048
DEFAULT_MAX_PAGES = 2000


def parse_one(
    path: str,
    *,
    password: str | None,
    max_pages: int | None,
    engine: str = "pdfium",
    ocr: str = "auto",
    settings: Settings | None = None,
) -> PlanDocument:
    """The parse a worker runs; tests replace it (module attribute) to simulate a hang."""
    from maalspor.api import parse

    return parse(
        path, password=password, max_pages=max_pages, engine=engine, ocr=ocr, settings=settings
    )


def _one_line(message: str, path: str) -> str:
    """The error's message without the input path in front (the record names the input)."""
    prefix = f"{path}: "
    message = message[len(prefix) :] if message.startswith(prefix) else message
    return " ".join(message.split())


def run_task(task: Task) -> TaskResult:
    """Parse one input into its JSON text; every error becomes a failed result, never raised."""
    start = time.perf_counter()
    local = task.path
    try:
        with fetched(task.path) as local:  # a URL is copied to a temporary file first
            plan = parse_one(
                local,
                password=task.password,
                max_pages=task.max_pages,
                engine=task.engine,
                ocr=task.ocr,
                settings=task.settings,
            )
        plan = plan.model_copy(
            update={"source": plan.source.model_copy(update={"path": task.source})}
        )
        from maalspor.outputs.emit import to_json

        text = to_json(plan)
    except MemoryError:
        return failure(
            "memory",
            OUT_OF_MEMORY,
            time.perf_counter() - start,
            traceback.format_exc(),
        )
    except errors.MaalsporError as error:
        if caused_by_memory(error):
            kind, message = "memory", OUT_OF_MEMORY
        else:
            kind, message = error.kind, _one_line(errors.render(error), local)
        return failure(kind, message, time.perf_counter() - start, traceback.format_exc())
    except Exception as error:
        kind = "memory" if caused_by_memory(error) else "error"
        message = (
            OUT_OF_MEMORY
            if kind == "memory"
            else f"unexpected error ({type(error).__name__}: {_one_line(str(error), local)});"
            " please report it with the --debug output"
        )
        return failure(kind, message, time.perf_counter() - start, traceback.format_exc())
    summary = PlanSummary(
        organisation=plan.organisation,
        unit=plan.unit,
        title=plan.title,
        period=plan.period,
        goals=len(plan.goals),
        follow_ups=len(plan.follow_ups),
    )
    return TaskResult(
        status="ok",
        document=text,
        plan=summary,
        warnings=list(plan.warnings),
        seconds=time.perf_counter() - start,
    )


def default_jobs() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


@dataclass
class BatchOptions:
    jobs: int = 1
    password: str | None = None
    max_pages: int | None = DEFAULT_MAX_PAGES
    timeout: float | None = DEFAULT_TIMEOUT
    max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB
    series_map: Sequence[tuple[str, str]] = ()
    settings: Settings = field(default_factory=Settings)  # thresholds of every stage
    lang: str = "en"  # names of statuses and fates in goals.csv (pipeline/rules/names.toml)
    report_lang: str = REPORT_LANGUAGE  # the language of the HTML reports
    overrides: str | Path | None = None  # None: OUTDIR/overrides.toml when it exists
    force: bool = False
    engine: str = "pdfium"
    ocr: str = "auto"  # maalspor.extract.ocr.OcrMode


def run_batch(
    inputs: Sequence[str | Path],
    outdir: str | Path,
    options: BatchOptions | None = None,
    *,
    executor: Executor | None = None,
    reporter: Reporter | None = None,
) -> Manifest:
    """Parse every plan under `inputs` into `outdir`, link each series; the final manifest.

    Per-input errors are recorded, not raised (an INPUT that does not exist is a failed input
    too). Raises only for problems with the run itself: nothing found to parse, an output
    folder that cannot be written (`OutputError`) or that another run holds (`OutputLockedError`).
    """
    options = options or BatchOptions()
    reporter = reporter or LineReporter(sys.stderr, quiet=True)
    started = time.perf_counter()
    outdir = Path(outdir)
    overrides = _overrides(outdir, options)  # read first: a bad file stops the run at once
    files, skipped = discover(inputs, exclude=outdir)
    if not files:
        raise errors.InputNotFoundError(
            f"no .pdf, .docx or .txt files in {', '.join(str(i) for i in inputs)}"
        )
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        with lock_outdir(outdir):
            return _run_locked(
                files, skipped, outdir, options, executor, reporter, started, overrides
            )
    except OSError as error:
        where = error.filename or outdir
        raise errors.OutputError(
            f"{where}: cannot write the output ({error.strerror or error})"
        ) from error


def _run_locked(
    files: list[InputFile],
    skipped: list[SkippedFile],
    outdir: Path,
    options: BatchOptions,
    executor: Executor | None,
    reporter: Reporter,
    started: float,
    overrides: Overrides | None,
) -> Manifest:
    from maalspor.outputs.emit import write_text_atomic

    names = [f"{PLANS_DIR}/{name}.json" for name in output_names(files)]
    digests = [None if item.error else file_sha256(item.path) for item in files]
    previous = read_manifest(outdir)
    if previous is None and (outdir / MANIFEST).exists():
        reporter.note(f"{outdir / MANIFEST} is unreadable: parsing every input again")
    run = BatchRun(outdir, previous, skipped, options.engine)
    run.ocr = options.ocr

    # Outputs of inputs that are gone (recorded by the last run, not made by this one).
    if previous is not None:
        current = set(names)
        for old in previous.inputs:
            for output in old.outputs:
                if output.startswith(f"{PLANS_DIR}/") and output not in current:
                    (outdir / output).unlink(missing_ok=True)

    reusable = {} if options.force else reusable_records(previous, run.rules, options.ocr)
    tasks: list[Task] = []
    task_index: list[int] = []
    for index, (item, digest, name) in enumerate(zip(files, digests, names, strict=True)):
        if item.error is not None:  # found but not parseable: a missing INPUT, a link loop
            (outdir / name).unlink(missing_ok=True)
            run.records[index] = InputRecord(
                path=item.display,
                source=item.source,
                sha256=None,
                status="failed",
                error=item.error,
                seconds=0.0,
            )
            continue
        old = reusable.get((item.source, digest, name))
        if old is not None and (outdir / name).is_file():
            run.records[index] = old.model_copy(
                update={"path": item.display, "reused": True, "seconds": 0.0, "series": None}
            )
            continue
        tasks.append(
            Task(
                path=str(item.path),
                source=item.source,
                password=options.password,
                max_pages=options.max_pages,
                engine=options.engine,
                ocr=options.ocr,
                settings=options.settings,
            )
        )
        task_index.append(index)
    unusable = [run.records[i] for i in sorted(run.records) if run.records[i].status == "failed"]
    reporter.start(len(tasks) + len(unusable), len(run.records) - len(unusable))
    run.save()
    for record in unusable:
        reporter.finished(record)

    if tasks:
        if executor is None:
            prepare_workers()
            executor = ProcessExecutor(
                options.jobs,
                run_task=run_task,
                timeout=options.timeout,
                max_memory_mb=options.max_memory_mb,
            )
        for position, result in executor.run(tasks):
            index = task_index[position]
            item, name = files[index], names[index]
            outputs: list[str] = []
            if result.status == "ok" and result.document is not None:
                write_text_atomic(outdir / name, result.document)
                outputs = [name]
            else:
                (outdir / name).unlink(missing_ok=True)
            record = InputRecord(
                path=item.display,
                source=item.source,
                sha256=digests[index],
                status="ok" if outputs else "failed",
                error=result.error,
                warnings=result.warnings,
                outputs=outputs,
                seconds=round(result.seconds, 3),
                plan=result.plan,
            )
            run.records[index] = record
            run.save()
            reporter.finished(record, result.traceback)

    records = [run.records[i] for i in range(len(files))]
    lineages: dict[str, LineageDocument] = {}
    series = link_series(
        files,
        records,
        outdir,
        reporter,
        lineages,
        series_map=options.series_map,
        settings=options.settings,
        overrides=overrides,
        report_lang=options.report_lang,
    )
    kept = {path for s in series for path in (s.lineage, s.report) if path}
    for old_series in run.series:
        for old_path in (old_series.lineage, old_series.report):
            if old_path and old_path not in kept:
                (outdir / old_path).unlink(missing_ok=True)
    run.series = series
    run.goals_csv, run.goals_db, run.report = write_overview(
        outdir, series, lineages, options.lang, options.report_lang
    )
    failed = sum(r.status == "failed" for r in records)
    summary = Summary(
        inputs=len(records),
        ok=len(records) - failed,
        failed=failed,
        with_warnings=sum(r.status == "ok" and bool(r.warnings) for r in records),
        reused=sum(r.reused for r in records),
        skipped=len(skipped),
        series=len(series),
        lineages=sum(s.lineage is not None for s in series),
        lineage_failures=sum(s.error is not None for s in series),
        seconds=round(time.perf_counter() - started, 3),
    )
    manifest = run.save(complete=True, summary=summary)
    reporter.close(manifest, outdir)
    return manifest


def _overrides(outdir: Path, options: BatchOptions) -> Overrides | None:
    """The overrides file named by --overrides, else OUTDIR/overrides.toml when there is one."""
    from maalspor.match.overrides import BATCH_FILE, load_overrides

    if options.overrides is not None:
        return load_overrides(options.overrides)
    path = outdir / BATCH_FILE
    return load_overrides(path, shown_as=BATCH_FILE) if path.is_file() else None
