"""Running parse tasks in worker processes: each input in its own forked process, under a time
limit (a watchdog kills a worker past `--timeout`) and a memory limit (RLIMIT_AS), so that a
plan that hangs, exhausts memory or crashes its parser fails alone and the others go on.

`memory_cap` gives a parse in the calling process (`maalspor parse`) the same memory limit.
What a worker runs on one input is the caller's: `maalspor.batch.run.run_task`.
"""

from __future__ import annotations

import contextlib
import faulthandler
import logging
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Protocol

from maalspor import errors
from maalspor.batch.lock import drop_inherited_lock
from maalspor.batch.records import rules_sha256
from maalspor.models.manifest import InputError, PlanSummary
from maalspor.settings import Settings

# A worker that has sent its result but not exited after this many seconds is killed.
_EXIT_GRACE = 5.0


@dataclass(frozen=True)
class Task:
    """One input to parse: everything a worker needs, nothing it shares."""

    path: str
    source: str
    password: str | None = None
    max_pages: int | None = None
    engine: str = "pdfium"
    ocr: str = "auto"  # maalspor.extract.ocr.OcrMode; OCR runs in the worker, within its --timeout
    settings: Settings | None = None  # None: the defaults


def _largest_first(tasks: Sequence[Task]) -> list[tuple[int, Task]]:
    """The tasks, largest file first (ties in input order): with several workers the last to
    start are the small ones, so the workers finish together instead of one parsing a large
    plan alone at the end. Results keep their input index."""

    def size(task: Task) -> int:
        try:
            return os.stat(task.path).st_size
        except OSError:
            return 0

    return sorted(enumerate(tasks), key=lambda item: -size(item[1]))


@dataclass
class TaskResult:
    status: str  # "ok" or "failed"
    document: str | None = None  # the plan's JSON text
    plan: PlanSummary | None = None
    warnings: list[str] = field(default_factory=list)
    error: InputError | None = None
    seconds: float = 0.0
    traceback: str | None = None  # shown with --debug, never stored


# What a failed input's record says when its parse ran out of memory (as `parse` says it).
OUT_OF_MEMORY = errors.render(errors.OutOfMemoryError("ran out of memory"))


def caused_by_memory(error: BaseException) -> bool:
    return errors.caused_by(error, MemoryError, errors.OutOfMemoryError) is not None


def failure(kind: str, message: str, seconds: float = 0.0, tb: str | None = None) -> TaskResult:
    return TaskResult(
        status="failed", error=InputError(kind=kind, message=message), seconds=seconds, traceback=tb
    )


class Executor(Protocol):
    """Runs tasks and yields `(index into tasks, result)` as each finishes, in any order.

    Every task yields exactly one result; a task that hangs, exhausts memory or kills its worker
    yields a failed result (kind timeout, memory, crashed) and the others go on.
    """

    def run(self, tasks: Sequence[Task]) -> Iterator[tuple[int, TaskResult]]: ...


def load_parser(lemmas: bool = True) -> None:
    """Load what every parse needs: pdfplumber, the stages, spaCy's pipeline, and (`lemmas`)
    its lemma table, which a parse seldom reads but workers forked after share."""
    import pdfplumber  # noqa: F401

    import maalspor.extract.reader
    import maalspor.segment.segmenter  # noqa: F401
    from maalspor.language import nlp

    if lemmas:
        nlp.preload()  # the pipeline and the lemma table
    else:
        nlp.danish()


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
    # under spaCy) abort the process, rather than raise, when they cannot. The lemma table is
    # plain Python (a MemoryError if it cannot be had) and a parse seldom reads it.
    load_parser(lemmas=False)
    before = resource.getrlimit(resource.RLIMIT_AS)
    _limit_memory(max_memory_mb)
    try:
        yield
    except errors.OutOfMemoryError:
        raise
    except BaseException as error:
        if isinstance(error, Exception) and caused_by_memory(error):
            prefix = f"{what}: " if what else ""
            raise errors.OutOfMemoryError(
                f"{prefix}ran out of memory (more than {max_memory_mb} MB)"
            ) from error
        raise
    finally:
        resource.setrlimit(resource.RLIMIT_AS, before)


def _worker(
    connection, run: Callable[[Task], TaskResult], task: Task, max_memory_mb: int | None
) -> None:
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
        drop_inherited_lock()
        faulthandler.disable()  # a crash is reported by the parent, in one line
        logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings are noise here
        sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives until exit
        _limit_memory(max_memory_mb)
        connection.send(run(task))
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
        self,
        jobs: int,
        *,
        run_task: Callable[[Task], TaskResult],
        timeout: float | None = None,
        max_memory_mb: int | None = None,
    ) -> None:
        self.jobs = max(1, jobs)
        self.run_task = run_task  # what a worker runs on one input, called in the forked worker
        self.timeout = timeout or None
        self.max_memory_mb = max_memory_mb or None

    def run(self, tasks: Sequence[Task]) -> Iterator[tuple[int, TaskResult]]:
        import multiprocessing
        from multiprocessing.connection import wait

        context = multiprocessing.get_context("fork")
        pending = deque(_largest_first(tasks) if self.jobs > 1 else enumerate(tasks))
        running: dict[int, _Running] = {}
        try:
            while pending or running:
                while pending and len(running) < self.jobs:
                    index, task = pending.popleft()
                    receiver, sender = context.Pipe(duplex=False)
                    process = context.Process(
                        target=_worker,
                        args=(sender, self.run_task, task, self.max_memory_mb),
                        daemon=True,
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
