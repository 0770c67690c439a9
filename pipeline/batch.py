"""Many plans at once: parse every input in parallel, group the plans into series, link each.

`run_batch(inputs, outdir)`:

1. finds the inputs: folders are searched recursively for `.pdf` and `.txt` files (other files
   are listed in the manifest as skipped; hidden files and folders, and the output folder, are
   ignored), files named on the command line are always parsed;
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

import contextlib
import faulthandler
import fnmatch
import json
import logging
import os
import shutil
import signal
import stat
import sys
import time
import tomllib
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Protocol

from maalspor import __version__, errors
from maalspor.discovery import (  # noqa: F401 - InputFile, output_names named here as before
    PLAN_SUFFIXES,
    InputFile,
    discover,
    fetched,
    output_names,
)
from maalspor.models import PlanDocument
from maalspor.models.lineage import LineageDocument
from maalspor.models.manifest import (
    ExcludedPlan,
    InputError,
    InputRecord,
    Manifest,
    PlanSummary,
    SeriesRecord,
    SkippedFile,
    Summary,
)
from maalspor.naming import slug
from maalspor.series import one_per_period, preference

if TYPE_CHECKING:
    from maalspor.overrides import Overrides

MANIFEST = "manifest.json"
PLANS_DIR = "plans"
LINEAGE_DIR = "lineage"
REPORTS_DIR = "reports"
GOALS_CSV = "goals.csv"
GOALS_DB = "goals.db"
REPORT = "report.html"
DEFAULT_TIMEOUT = 120.0
DEFAULT_MAX_MEMORY_MB = 2048
DEFAULT_MAX_PAGES = 2000
# A worker that has sent its result but not exited after this many seconds is killed.
_EXIT_GRACE = 5.0


class SeriesMapError(errors.MaalsporError):
    """A --series-map file that cannot be read or is not a mapping of globs to names."""

    kind = "bad_series_map"
    exit_code = 2


# --- series map -------------------------------------------------------------------------------


def load_series_map(path: str | Path) -> list[tuple[str, str]]:
    """A TOML or JSON file of `"glob" = "series name"` pairs, in the file's order."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SeriesMapError(f"{path}: cannot read the series map ({error.strerror})") from error
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(raw.decode("utf-8"))
        else:
            data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, tomllib.TOMLDecodeError) as error:
        raise SeriesMapError(f"{path}: not valid TOML or JSON ({error})") from error
    if not isinstance(data, dict):
        raise SeriesMapError(f"{path}: expected a mapping of file globs to series names")
    pairs: list[tuple[str, str]] = []
    for pattern, name in data.items():
        if not isinstance(name, str) or not name.strip() or not slug(name):
            raise SeriesMapError(f"{path}: {pattern!r} must map to a series name (a string)")
        pairs.append((pattern, name.strip()))
    return pairs


def mapped_series(item: InputFile, series_map: Sequence[tuple[str, str]]) -> str | None:
    """The first glob that matches the input's relative path, its path as found, or its name."""
    candidates = (item.source, PurePosixPath(item.display).as_posix(), item.path.name)
    for pattern, name in series_map:
        if any(fnmatch.fnmatchcase(c, pattern) for c in candidates):
            return name
    return None


# --- one input --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    """One input to parse: everything a worker needs, nothing it shares."""

    path: str
    source: str
    password: str | None = None
    max_pages: int | None = None
    engine: str = "pdfium"
    ocr: str = "auto"  # maalspor.ocr.OcrMode; OCR runs in the worker, within its --timeout


@dataclass
class TaskResult:
    status: str  # "ok" or "failed"
    document: str | None = None  # the plan's JSON text
    plan: PlanSummary | None = None
    warnings: list[str] = field(default_factory=list)
    error: InputError | None = None
    seconds: float = 0.0
    traceback: str | None = None  # shown with --debug, never stored


def parse_one(
    path: str,
    *,
    password: str | None,
    max_pages: int | None,
    engine: str = "pdfium",
    ocr: str = "auto",
) -> PlanDocument:
    """The parse a worker runs; tests replace it (module attribute) to simulate a hang."""
    from maalspor import parse_plan

    return parse_plan(path, password=password, max_pages=max_pages, engine=engine, ocr=ocr)


# What a failed input's record says when its parse ran out of memory (as `parse` says it).
_OUT_OF_MEMORY = errors.render(errors.OutOfMemoryError("ran out of memory"))


def _caused_by_memory(error: BaseException) -> bool:
    return errors.caused_by(error, MemoryError, errors.OutOfMemoryError) is not None


def _one_line(message: str, path: str) -> str:
    """The error's message without the input path in front (the record names the input)."""
    prefix = f"{path}: "
    message = message[len(prefix) :] if message.startswith(prefix) else message
    return " ".join(message.split())


def failure(kind: str, message: str, seconds: float = 0.0, tb: str | None = None) -> TaskResult:
    return TaskResult(
        status="failed", error=InputError(kind=kind, message=message), seconds=seconds, traceback=tb
    )


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
            )
        plan = plan.model_copy(
            update={"source": plan.source.model_copy(update={"path": task.source})}
        )
        from maalspor.emit import to_json

        text = to_json(plan)
    except MemoryError:
        return failure(
            "memory",
            _OUT_OF_MEMORY,
            time.perf_counter() - start,
            traceback.format_exc(),
        )
    except errors.MaalsporError as error:
        if _caused_by_memory(error):
            kind, message = "memory", _OUT_OF_MEMORY
        else:
            kind, message = error.kind, _one_line(errors.render(error), local)
        return failure(kind, message, time.perf_counter() - start, traceback.format_exc())
    except Exception as error:
        kind = "memory" if _caused_by_memory(error) else "error"
        message = (
            _OUT_OF_MEMORY
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


# --- executors --------------------------------------------------------------------------------


class Executor(Protocol):
    """Runs tasks and yields `(index into tasks, result)` as each finishes, in any order.

    Every task yields exactly one result; a task that hangs, exhausts memory or kills its worker
    yields a failed result (kind timeout, memory, crashed) and the others go on.
    """

    def run(self, tasks: Sequence[Task]) -> Iterator[tuple[int, TaskResult]]: ...


def load_parser() -> None:
    """Load what every parse needs: pdfplumber, the stages, spaCy and its lemma table."""
    import pdfplumber  # noqa: F401

    import maalspor.extract
    import maalspor.segment
    from maalspor import nlp

    with contextlib.suppress(ImportError):
        import maalspor.classify  # noqa: F401
    nlp.preload()  # the pipeline and the lemma table


def prepare_workers() -> None:
    """Load what every parse needs once, in the parent, so forked workers share it."""
    load_parser()
    import gc

    gc.freeze()  # what workers inherit is never scanned by their collector (nor copied for it)
    rules_sha256()


def _address_space() -> int:
    """Bytes of address space this process holds now (VmSize), 0 when unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _limit_memory(max_memory_mb: int | None) -> None:
    """Cap the worker's address space at what it holds at start plus `max_memory_mb`.

    The start (the shared spaCy, pdfplumber, Python) is counted out, so the limit is the memory
    one parse may take whatever the parent had loaded.
    """
    if not max_memory_mb:
        return
    import resource

    limit = _address_space() + max_memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


@contextlib.contextmanager
def memory_cap(max_memory_mb: int | None, what: str | Path = "") -> Iterator[None]:
    """This process's address space capped as in `_limit_memory` while the block runs, then
    restored: for a parse in the calling process (`maalspor parse`). A MemoryError there is
    an `OutOfMemoryError` (pdfplumber wraps it in its own exception: it is unwrapped)."""
    import resource

    # Loaded before the cap: libraries that reserve address space when they load (OpenBLAS
    # under spaCy) abort the process, rather than raise, when they cannot.
    load_parser()
    before = resource.getrlimit(resource.RLIMIT_AS)
    _limit_memory(max_memory_mb)
    try:
        yield
    except errors.OutOfMemoryError:
        raise
    except BaseException as error:
        if isinstance(error, Exception) and _caused_by_memory(error):
            prefix = f"{what}: " if what else ""
            raise errors.OutOfMemoryError(
                f"{prefix}ran out of memory (more than {max_memory_mb} MB)"
            ) from error
        raise
    finally:
        resource.setrlimit(resource.RLIMIT_AS, before)


def _worker(connection, task: Task, max_memory_mb: int | None) -> None:
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
        _drop_inherited_lock()
        faulthandler.disable()  # a crash is reported by the parent, in one line
        logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings are noise here
        sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives until exit
        _limit_memory(max_memory_mb)
        connection.send(run_task(task))
        connection.close()
    except BaseException:
        os._exit(70)  # no traceback on the terminal: the parent reports a crashed worker


@dataclass
class _Running:
    process: BaseProcess
    connection: Connection
    started: float
    deadline: float | None


class ProcessExecutor:
    """At most `jobs` forked workers, one per input; a watchdog kills one past its timeout.

    Workers are forked (Linux) after `prepare_workers`, so spaCy and the rules are loaded once
    and shared copy-on-write. Each worker's address space is capped (RLIMIT_AS).
    """

    def __init__(
        self, jobs: int, *, timeout: float | None = None, max_memory_mb: int | None = None
    ) -> None:
        self.jobs = max(1, jobs)
        self.timeout = timeout or None
        self.max_memory_mb = max_memory_mb or None

    def run(self, tasks: Sequence[Task]) -> Iterator[tuple[int, TaskResult]]:
        import multiprocessing
        from multiprocessing.connection import wait

        context = multiprocessing.get_context("fork")
        pending = deque(enumerate(tasks))
        running: dict[int, _Running] = {}
        try:
            while pending or running:
                while pending and len(running) < self.jobs:
                    index, task = pending.popleft()
                    receiver, sender = context.Pipe(duplex=False)
                    process = context.Process(
                        target=_worker, args=(sender, task, self.max_memory_mb), daemon=True
                    )
                    process.start()
                    sender.close()
                    now = time.monotonic()
                    deadline = now + self.timeout if self.timeout else None
                    running[index] = _Running(process, receiver, now, deadline)
                deadlines = [r.deadline for r in running.values() if r.deadline is not None]
                wait_for = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
                handles = [h for r in running.values() for h in (r.connection, r.process.sentinel)]
                ready = set(wait(handles, timeout=wait_for))
                for index, item in list(running.items()):
                    result = self._collect(item, ready)
                    if result is not None:
                        del running[index]
                        yield index, result
        finally:
            for item in running.values():
                self._stop(item)

    def _collect(self, item: _Running, ready: set) -> TaskResult | None:
        """The worker's result if it is done (finished, died, or past its deadline)."""
        elapsed = time.monotonic() - item.started
        if item.connection in ready or item.process.sentinel in ready:
            result: TaskResult | None = None
            if item.connection.poll():
                with contextlib.suppress(EOFError, OSError):
                    result = item.connection.recv()
            item.process.join(_EXIT_GRACE)
            code = item.process.exitcode
            self._stop(item)
            if result is None:
                return failure("crashed", _crash_message(code), elapsed)
            result.seconds = elapsed
            return result
        if item.deadline is not None and time.monotonic() >= item.deadline:
            self._stop(item)
            return failure("timeout", f"stopped after {self.timeout:g} s (--timeout)", elapsed)
        return None

    @staticmethod
    def _stop(item: _Running) -> None:
        if item.process.is_alive():
            item.process.kill()
        item.process.join()
        item.connection.close()
        item.process.close()


def _crash_message(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = " (out of memory? raise --max-memory-mb)" if -code == signal.SIGKILL else ""
        return f"the worker parsing it was killed by {name}{hint}"
    return f"the worker parsing it stopped without a result (exit code {code})"


# --- rules fingerprint ------------------------------------------------------------------------


def rules_sha256(engine: str = "pdfium") -> str:
    """SHA-256 of the merged rules (ours and a user's --rules file) that parsing reads, and of
    the PDF engine: outputs of another engine or other rules are stale."""
    import hashlib

    from maalspor.rules import RULE_FILES, RULES_DIR, rules

    tables: set[str] = set()
    for name in RULE_FILES:
        path = RULES_DIR / f"{name}.toml"
        if path.exists():
            with path.open("rb") as handle:
                tables.update(tomllib.load(handle))
    merged = {table: rules(table) for table in sorted(tables)}
    merged["engine"] = engine
    text = json.dumps(merged, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- progress ---------------------------------------------------------------------------------


class Reporter(Protocol):
    def start(self, total: int, reused: int) -> None: ...
    def finished(self, record: InputRecord, tb: str | None = None) -> None: ...
    def linked(self, record: SeriesRecord, tb: str | None = None) -> None: ...
    def note(self, message: str) -> None: ...
    def close(self, manifest: Manifest, outdir: Path) -> None: ...


def _describe(record: InputRecord) -> str:
    if record.error is not None:
        return f"{record.error.message} [{record.error.kind}]"
    if record.warnings:
        count = len(record.warnings)
        return f"{count} warning{'s' if count > 1 else ''}: {'; '.join(record.warnings)}"
    return ""


class LineReporter:
    """One line per finished input ('[3/20] ok      path (1.2 s)'); quiet: failures only."""

    def __init__(self, stream: IO[str], *, quiet: bool = False, debug: bool = False) -> None:
        self.stream, self.quiet, self.debug = stream, quiet, debug
        self.total = self.done = 0

    def _print(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def start(self, total: int, reused: int) -> None:
        self.total = total
        if reused and not self.quiet:
            self._print(
                f"maalspor: {reused} input{'s' if reused > 1 else ''} unchanged since the last "
                "run, kept (--force parses them again)"
            )

    def finished(self, record: InputRecord, tb: str | None = None) -> None:
        self.done += 1
        if self.quiet:
            if record.status == "failed":
                self._print(f"maalspor: {record.path}: {_describe(record)}")
        else:
            detail = _describe(record)
            self._print(
                f"[{self.done}/{self.total}] {record.status:<6} {record.path} "
                f"({record.seconds:.1f} s){': ' + detail if detail else ''}"
            )
        if self.debug and tb:
            self._print(tb.rstrip())

    def linked(self, record: SeriesRecord, tb: str | None = None) -> None:
        if record.error is not None:
            self._print(f"maalspor: lineage of {record.id}: {record.error.message}")
        elif not self.quiet and record.lineage:
            self._print(f"[lineage] {record.lineage} ({len(record.plans)} plans)")
        if self.debug and tb:
            self._print(tb.rstrip())

    def note(self, message: str) -> None:
        if not self.quiet:
            self._print(f"maalspor: {message}")

    def close(self, manifest: Manifest, outdir: Path) -> None:
        summary = manifest.summary
        if self.quiet or summary is None:
            return
        parts = [f"{summary.ok} ok"]
        if summary.with_warnings:
            parts.append(f"{summary.with_warnings} with warnings")
        parts.append(f"{summary.failed} failed")
        if summary.reused:
            parts.append(f"{summary.reused} kept from the last run")
        lineages = f"{summary.lineages} lineage{'s' if summary.lineages != 1 else ''}"
        if summary.lineage_failures:
            lineages += f" ({summary.lineage_failures} failed)"
        self._print(
            f"maalspor: {summary.inputs} inputs: {', '.join(parts)}; {lineages}; "
            f"{summary.seconds:.1f} s; see {outdir / MANIFEST}"
        )


class BarReporter(LineReporter):
    """A progress bar on a terminal: done/total, failures so far, the last file finished."""

    def __init__(self, stream: IO[str], *, debug: bool = False) -> None:
        super().__init__(stream, quiet=False, debug=debug)
        self.failed = 0
        self.current = ""

    def _clear(self) -> None:
        self.stream.write("\r\033[K")

    def _draw(self) -> None:
        width = shutil.get_terminal_size((80, 20)).columns
        total = max(self.total, 1)
        cells = 24
        filled = cells * self.done // total
        bar = "#" * filled + "-" * (cells - filled)
        failed = f"  {self.failed} failed" if self.failed else ""
        line = f"[{bar}] {self.done}/{self.total}{failed}  {self.current}"
        self._clear()
        self.stream.write(line[: max(10, width - 1)])
        self.stream.flush()

    def start(self, total: int, reused: int) -> None:
        super().start(total, reused)
        self._draw()

    def finished(self, record: InputRecord, tb: str | None = None) -> None:
        self.done += 1
        self.current = record.path
        if record.status == "failed":
            self.failed += 1
            self._clear()
            self._print(f"maalspor: {record.path}: {_describe(record)}")
            if self.debug and tb:
                self._print(tb.rstrip())
        self._draw()

    def linked(self, record: SeriesRecord, tb: str | None = None) -> None:
        self._clear()
        super().linked(record, tb)

    def note(self, message: str) -> None:
        self._clear()
        super().note(message)

    def close(self, manifest: Manifest, outdir: Path) -> None:
        self._clear()
        self.stream.flush()
        super().close(manifest, outdir)


def progress(*, quiet: bool = False, debug: bool = False, stream: IO[str] | None = None):
    """The one switch for progress on stderr: a bar on a terminal, lines otherwise, or quiet."""
    stream = stream if stream is not None else sys.stderr
    if not quiet and stream.isatty():
        return BarReporter(stream, debug=debug)
    return LineReporter(stream, quiet=quiet, debug=debug)


# --- the batch --------------------------------------------------------------------------------


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
    threshold: float | None = None
    lang: str = "en"  # names of statuses and fates in goals.csv (pipeline/rules/names.toml)
    overrides: str | Path | None = None  # None: OUTDIR/overrides.toml when it exists
    force: bool = False
    engine: str = "pdfium"
    ocr: str = "auto"  # maalspor.ocr.OcrMode


def read_manifest(outdir: Path) -> Manifest | None:
    """The manifest of the last run in `outdir`; None when there is none or it is unreadable."""
    path = outdir / MANIFEST
    if not path.is_file():
        return None
    try:
        return Manifest.model_validate_json(path.read_bytes())
    except (OSError, ValueError):
        return None


def _sha256(path: Path) -> str | None:
    """The input's digest; None when it is no regular file (a pipe would block the read)."""
    from maalspor.extract import sha256_of

    try:
        if isinstance(path, Path) and not stat.S_ISREG(os.stat(path).st_mode):
            return None
        return sha256_of(path)
    except OSError:
        return None


def _period_order(record: InputRecord) -> tuple:
    return preference(
        record.plan.period if record.plan else None,
        record.source,
        _items(record),
        record.path,
    )


def _items(record: InputRecord) -> int:
    return record.plan.goals + record.plan.follow_ups if record.plan else 0


def group_series(
    files: Sequence[InputFile],
    records: Sequence[InputRecord],
    series_map: Sequence[tuple[str, str]] = (),
) -> list[tuple[SeriesRecord, list[InputRecord]]]:
    """Series of ok plans (sets `record.series`) with the plans to link, in period order.

    A plan joins the series its `--series-map` entry names, else the one of its organisation and
    unit as parsed, compared as slugs (case, spacing and punctuation do not count). Per period
    one plan is linked: a PDF before a .txt, then the one with more goals; the others are
    listed as excluded.
    """
    members: dict[str, list[tuple[InputRecord, str | None]]] = {}
    for item, record in zip(files, records, strict=True):
        if record.status != "ok" or record.plan is None:
            continue
        name = mapped_series(item, series_map)
        if name is None:
            parts = [p.strip() for p in (record.plan.organisation, record.plan.unit) if p]
            key = slug(" ".join(parts))
        else:
            key = slug(name)
        if not key:
            continue
        record.series = key
        members.setdefault(key, []).append((record, name))
    result: list[tuple[SeriesRecord, list[InputRecord]]] = []
    for key in sorted(members):
        entries = sorted(members[key], key=lambda e: _period_order(e[0]))
        mapped = [name for _, name in entries if name is not None]
        if mapped:
            name = mapped[0]
        else:
            plan = entries[0][0].plan
            assert plan is not None
            name = " / ".join(p.strip() for p in (plan.organisation, plan.unit) if p)
        records_in = [record for record, _ in entries]
        linked, excluded = one_per_period(
            [r for r in records_in if r.plan and r.plan.period],
            period=lambda r: r.plan.period if r.plan else None,
            source=lambda r: r.source,
            items=_items,
            path=lambda r: r.path,
        )
        excluded += [
            ExcludedPlan(path=r.path, reason="no period found in it")
            for r in records_in
            if not (r.plan and r.plan.period)
        ]
        series = SeriesRecord(
            id=key,
            name=name,
            grouped_by="series_map" if mapped else "parsed",
            plans=[r.path for r in linked],
            excluded=excluded,
        )
        result.append((series, linked))
    return result


class _Run:
    """The state of one batch run: records so far, and writing them down."""

    def __init__(
        self,
        outdir: Path,
        previous: Manifest | None,
        skipped: list[SkippedFile],
        engine: str = "pdfium",
    ):
        self.outdir = outdir
        self.previous = previous
        self.skipped = skipped
        self.rules = rules_sha256(engine)
        self.ocr: str | None = None
        self.records: dict[int, InputRecord] = {}
        # Until this run's series are known, the manifest keeps the last run's: a run killed
        # before its end still knows which lineage files the next run may have to remove.
        self.series: list[SeriesRecord] = list(previous.series) if previous else []
        self.goals_csv: str | None = previous.goals_csv if previous else None
        self.goals_db: str | None = previous.goals_db if previous else None
        self.report: str | None = previous.report if previous else None

    def manifest(self, *, complete: bool, summary: Summary | None = None) -> Manifest:
        return Manifest(
            tool_version=__version__,
            rules_sha256=self.rules,
            ocr=self.ocr,
            complete=complete,
            inputs=[self.records[i] for i in sorted(self.records)],
            skipped=self.skipped,
            series=self.series,
            goals_csv=self.goals_csv,
            goals_db=self.goals_db,
            report=self.report,
            summary=summary,
        )

    def save(self, *, complete: bool = False, summary: Summary | None = None) -> Manifest:
        from maalspor.emit import write_json

        document = self.manifest(complete=complete, summary=summary)
        write_json(document, self.outdir / MANIFEST)
        return document


LOCK = ".maalspor.lock"
_held_lock: int | None = None  # the lock's file descriptor while this process runs a batch


@contextlib.contextmanager
def lock_outdir(outdir: Path) -> Iterator[None]:
    """Hold OUTDIR for this run: a second run into it refuses (`OutputLockedError`).

    The lock is an flock on OUTDIR/.maalspor.lock, which holds the pid for the message. The
    kernel drops an flock when its process dies, so the lock file of a killed run is stale
    and the next run simply takes it over.
    """
    import fcntl

    global _held_lock
    path = outdir / LOCK
    while True:
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 64, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(handle)
            raise errors.OutputLockedError(
                f"{outdir}: another batch run (pid {holder}) is writing into this folder; "
                "wait for it to finish or use another output folder"
            ) from None
        # The run before may have removed the file between our open and flock: lock it anew.
        try:
            same = os.fstat(handle).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(handle)
    _held_lock = handle
    try:
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        _held_lock = None
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(handle)


def _drop_inherited_lock() -> None:
    """In a forked worker: close its copy of the lock, so that a worker left running after its
    batch was killed does not keep OUTDIR locked (the parent's copy holds it while it runs)."""
    if _held_lock is not None:
        with contextlib.suppress(OSError):
            os.close(_held_lock)


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
            f"no .pdf or .txt files in {', '.join(str(i) for i in inputs)}"
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
    from maalspor.emit import write_text_atomic

    names = [f"{PLANS_DIR}/{name}.json" for name in output_names(files)]
    digests = [None if item.error else _sha256(item.path) for item in files]
    previous = read_manifest(outdir)
    if previous is None and (outdir / MANIFEST).exists():
        reporter.note(f"{outdir / MANIFEST} is unreadable: parsing every input again")
    run = _Run(outdir, previous, skipped, options.engine)
    run.ocr = options.ocr

    # Outputs of inputs that are gone (recorded by the last run, not made by this one).
    if previous is not None:
        current = set(names)
        for old in previous.inputs:
            for output in old.outputs:
                if output.startswith(f"{PLANS_DIR}/") and output not in current:
                    (outdir / output).unlink(missing_ok=True)

    reusable: dict[tuple[str, str | None, str], InputRecord] = {}
    if (
        previous is not None
        and not options.force
        and previous.tool_version == __version__
        and previous.rules_sha256 == run.rules
        and previous.ocr == options.ocr
    ):
        for old in previous.inputs:
            if old.status == "ok" and old.sha256 and len(old.outputs) == 1:
                reusable[(old.source, old.sha256, old.outputs[0])] = old
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
                options.jobs, timeout=options.timeout, max_memory_mb=options.max_memory_mb
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
    reports: dict[str, Callable[[Path], str]] = {}
    series = _link_series(files, records, outdir, options, reporter, lineages, reports, overrides)
    kept = {path for s in series for path in (s.lineage, s.report) if path}
    for old_series in run.series:
        for old_path in (old_series.lineage, old_series.report):
            if old_path and old_path not in kept:
                (outdir / old_path).unlink(missing_ok=True)
    run.series = series
    run.goals_csv, run.goals_db, run.report = _write_overview(
        outdir, series, lineages, reports, options.lang
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
    from maalspor.overrides import BATCH_FILE, load_overrides

    if options.overrides is not None:
        return load_overrides(options.overrides)
    path = outdir / BATCH_FILE
    return load_overrides(path, shown_as=BATCH_FILE) if path.is_file() else None


def _write_overview(
    outdir: Path,
    series: Sequence[SeriesRecord],
    lineages: dict[str, LineageDocument],
    reports: dict[str, Callable[[Path], str]],
    lang: str,
) -> tuple[str | None, str | None, str | None]:
    """goals.csv and goals.db over every lineage, and report.html: the one report (its links
    to the PDFs made from the output folder), or an index of them."""
    from maalspor.emit import write_text_atomic
    from maalspor.export import write_goals_csv
    from maalspor.export_sqlite import write_goals_db
    from maalspor.report import render_index

    reported = [s for s in series if s.report and s.id in lineages]
    if not reported:
        for name in (GOALS_CSV, GOALS_DB, REPORT):
            (outdir / name).unlink(missing_ok=True)
        return None, None, None
    documents, names = [lineages[s.id] for s in reported], [s.id for s in reported]
    write_goals_csv(documents, outdir / GOALS_CSV, series=names, lang=lang)
    write_goals_db(documents, outdir / GOALS_DB, series=names)
    if len(reported) == 1:
        html = reports[reported[0].id](outdir)
    else:
        html = render_index([(s.name, s.report or "", len(s.plans)) for s in reported])
    write_text_atomic(outdir / REPORT, html)
    return GOALS_CSV, GOALS_DB, REPORT


def _link_series(
    files: Sequence[InputFile],
    records: Sequence[InputRecord],
    outdir: Path,
    options: BatchOptions,
    reporter: Reporter,
    lineages: dict[str, LineageDocument],
    reports: dict[str, Callable[[Path], str]],
    overrides: Overrides | None = None,
) -> list[SeriesRecord]:
    """One lineage per series of two or more plans, written to lineage/<series id>.json, with
    its HTML report in reports/<series id>.html; the lineages are collected in `lineages`, and
    in `reports` a function that renders the report for a page in another folder. A person's
    decisions (`overrides`) are applied to each."""
    from maalspor.emit import load_plan, write_json, write_text_atomic
    from maalspor.overrides import apply_overrides, notices, unmatched
    from maalspor.report import pdf_links, render_report

    # The local input files by content (a plan's source.path is relative to its INPUT folder);
    # URL inputs get no links.
    input_files = {
        record.sha256: item.path
        for item, record in zip(files, records, strict=True)
        if record.sha256 and isinstance(item.path, Path) and item.path.is_file()
    }

    grouped = group_series(files, records, options.series_map)
    build_lineage: Callable | None = None
    unavailable: InputError | None = None
    unavailable_tb: str | None = None
    if any(len(linked) >= 2 for _, linked in grouped):
        try:
            from maalspor.match import lineage as build_lineage
        except Exception as error:
            unavailable = InputError(
                kind="unavailable",
                message="the lineage step cannot run: maalspor.match does not import "
                f"({type(error).__name__}: {error})",
            )
            unavailable_tb = traceback.format_exc()
    series: list[SeriesRecord] = []
    for record, linked in grouped:
        if len(linked) >= 2:
            tb = None
            if build_lineage is None:
                record.error, tb = unavailable, unavailable_tb
            else:
                target = f"{LINEAGE_DIR}/{record.id}.json"
                report = f"{REPORTS_DIR}/{record.id}.html"
                try:
                    plans = [load_plan(outdir / r.outputs[0]) for r in linked]
                    document = build_lineage(plans, threshold=options.threshold)
                    if overrides is not None:
                        document = apply_overrides(document, overrides)
                        for line in notices(document.overrides, other_plans=False):
                            reporter.note(f"warning: {line}")
                    write_json(document, outdir / target)
                    record.lineage = target
                    sources = {
                        ref.source.path: input_files[ref.source.sha256]
                        for ref in document.plans
                        if ref.source.sha256 in input_files
                    }

                    def render(folder: Path, document=document, plans=plans, sources=sources):
                        return render_report(document, plans, pdf_links(sources, folder))

                    write_text_atomic(outdir / report, render((outdir / report).parent))
                    reports[record.id] = render
                    record.report = report
                    lineages[record.id] = document
                except Exception as error:
                    (outdir / target).unlink(missing_ok=True)
                    (outdir / report).unlink(missing_ok=True)
                    record.error = InputError(
                        kind=getattr(error, "kind", "error"),
                        message=f"{type(error).__name__}: {error}",
                    )
                    tb = traceback.format_exc()
            reporter.linked(record, tb)
        series.append(record)
    if overrides is not None:
        plan_ids = {plan.id for document in lineages.values() for plan in document.plans}
        for line in unmatched(overrides, plan_ids):
            reporter.note(f"warning: {line}")
    return series
