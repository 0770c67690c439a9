"""Batch parsing on a Dask cluster, and inputs given as URLs (the optional `dask` extra).

`DaskExecutor` is an `Executor` for `run_batch`: each input becomes one task on a
dask.distributed cluster (one started here, a `LocalCluster`, or one at `--scheduler`). On the
worker the task runs the same `ProcessExecutor` as `maalspor batch --executor local`, with one
job: the parse runs in a forked child under the same time and memory limits, so a hung, greedy
or crashing input fails with the same kind (timeout, memory, crashed) and the worker goes on.
A worker that dies mid-task (killed, lost) has its tasks run again on another worker by the
scheduler; one that keeps dying fails the input as crashed. Only the client writes OUTDIR.

Inputs given as URLs are found and fetched by `maalspor.batch.discovery` (the fetch runs on the
worker, inside the child, so `--timeout` covers the download too).

Nothing here imports dask until it is used: maalspor without the extra works, and asking for
it without the extra is one line and exit code 2 (`MissingExtraError`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from maalspor.batch.discovery import (  # noqa: F401 - URL inputs, named here as before
    EXTRA_HINT,
    MissingExtraError,
    RemotePath,
    discover_url,
    fetched,
    is_url,
)
from maalspor.errors import SchedulerError
from maalspor.version import __version__

# --- the executor -----------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkerSettings:
    """What every task carries besides its input: limits, and what the client parses with."""

    timeout: float | None
    max_memory_mb: int | None
    rules_text: str | None  # the user's rules file (--rules, MAALSPOR_RULES), if any
    rules_sha256: str  # the merged rules the client records in the manifest
    version: str = __version__


def _user_rules_text() -> str | None:
    """The text of the rules file this process parses with besides ours (None: only ours)."""
    from maalspor import rules

    extra = rules._active_extra
    if extra is None:
        extra = os.environ.get(rules.ENV_VARIABLE) or None
    if not extra:
        return None
    with open(extra, encoding="utf-8") as handle:
        return handle.read()


class DaskExecutor:
    """Runs each task on a dask.distributed cluster; see the module's docstring.

    `scheduler`: a scheduler address (`tcp://host:8786`), or None to start a `LocalCluster` of
    `jobs` worker processes with one thread each. The cluster is started (or connected to) on
    the first `run`, so a run with nothing to parse starts none; `close` (or `with`) ends it.
    """

    def __init__(
        self,
        jobs: int = 1,
        *,
        scheduler: str | None = None,
        timeout: float | None = None,
        max_memory_mb: int | None = None,
        connect_timeout: float = 30.0,
    ) -> None:
        require_dask()
        self.jobs = max(1, jobs)
        self.scheduler = scheduler
        self.timeout = timeout or None
        self.max_memory_mb = max_memory_mb or None
        self.connect_timeout = connect_timeout
        self._cluster = None
        self._client = None

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def client(self):
        """The dask client, connecting (or starting the LocalCluster) on first use."""
        if self._client is not None:
            return self._client
        import logging

        from distributed import Client, LocalCluster

        if self.scheduler:
            try:
                self._client = Client(
                    self.scheduler, timeout=self.connect_timeout, set_as_default=False
                )
            except (OSError, TimeoutError, ValueError) as error:
                raise SchedulerError(
                    f"cannot reach the Dask scheduler at {self.scheduler} ({error})"
                ) from error
        else:
            self._cluster = LocalCluster(
                n_workers=self.jobs,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",  # loopback only, no fixed port
                silence_logs=logging.ERROR,
            )
            self._client = Client(self._cluster, set_as_default=False)
        return self._client

    def close(self) -> None:
        client, cluster = self._client, self._cluster
        self._client = self._cluster = None
        with contextlib.suppress(Exception):
            if client is not None:
                client.close()
        with contextlib.suppress(Exception):
            if cluster is not None:
                cluster.close()

    def run(self, tasks: Sequence):
        from distributed import as_completed

        from maalspor.batch.run import rules_sha256

        client = self.client()
        settings = WorkerSettings(
            timeout=self.timeout,
            max_memory_mb=self.max_memory_mb,
            rules_text=_user_rules_text(),
            rules_sha256=rules_sha256(),
        )
        run_id = uuid.uuid4().hex[:12]
        futures = {}
        for index, task in enumerate(tasks):
            future = client.submit(
                parse_on_worker, task, settings, key=f"maalspor-parse-{run_id}-{index}", pure=False
            )
            futures[future] = index
        pending = set(futures)
        try:
            for future in as_completed(list(futures), loop=client.loop):
                pending.discard(future)
                index = futures[future]
                yield index, _result_of(future)
                future.release()
        finally:
            if pending:
                with contextlib.suppress(Exception):
                    client.cancel(list(pending))


def require_dask() -> None:
    """Raise MissingExtraError (one line, exit code 2) unless dask.distributed imports."""
    try:
        import distributed  # noqa: F401
    except ImportError as error:
        raise MissingExtraError(f"--executor dask needs dask.distributed: {EXTRA_HINT}") from error


def _result_of(future):
    """The task's TaskResult; a task dask itself gave up on is a failed one."""
    from distributed import KilledWorker

    from maalspor.batch.run import failure

    try:
        return future.result()
    except KilledWorker:
        return failure(
            "crashed",
            "the Dask workers parsing it died each time it was tried "
            "(out of memory? see the workers' logs)",
        )
    except Exception as error:
        detail = " ".join(str(error).split())
        return failure(
            "error",
            f"the Dask task failed ({type(error).__name__}: {detail}); "
            "is the same maalspor installed on every worker?",
        )


# --- on the worker ----------------------------------------------------------------------------

_prepared = threading.Lock()
_is_prepared = False


class _RulesGate:
    """One rules set at a time in a worker process: tasks with the same rules run together, a
    task with other rules waits until those are done (rules are process-wide)."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._active: str | None = None
        self._users = 0

    @contextlib.contextmanager
    def use(self, text: str | None) -> Iterator[None]:
        from maalspor.rules import use_rules_file

        key = text or ""
        with self._condition:
            while self._users and self._active != key:
                self._condition.wait()
            if self._active != key:
                use_rules_file(_rules_file(key))
                self._active = key
            self._users += 1
        try:
            yield
        finally:
            with self._condition:
                self._users -= 1
                self._condition.notify_all()


_rules_gate = _RulesGate()


def _rules_file(text: str) -> str:
    """A file with the rules text (empty: only ours, whatever MAALSPOR_RULES the worker has)."""
    import hashlib

    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    path = os.path.join(tempfile.gettempdir(), f"maalspor-rules-{os.getpid()}-{digest}.toml")
    if not os.path.exists(path):
        partial = f"{path}.{uuid.uuid4().hex}.tmp"
        with open(partial, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(partial, path)
    return path


def _prepare_worker() -> None:
    """Once per worker process: allow children, kill them with it, load spaCy and the rules."""
    global _is_prepared
    with _prepared:
        if _is_prepared:
            return
        import multiprocessing

        # Dask starts workers as daemonic processes, which multiprocessing forbids to have
        # children; the parse's child is itself daemonic and killed when the worker exits.
        multiprocessing.current_process()._config["daemon"] = False  # type: ignore[attr-defined]
        worker = os.getpid()
        os.register_at_fork(after_in_child=lambda: _die_with_parent(worker))
        from maalspor.batch.run import prepare_workers

        prepare_workers()
        import maalspor.outputs.emit  # noqa: F401 - imported before forking, not in each child

        _is_prepared = True


def _die_with_parent(worker: int) -> None:
    """In a child forked by a worker: SIGKILL it when the worker thread that forked it dies, so
    a worker killed mid-parse leaves no orphan parse behind (Linux; elsewhere a no-op)."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != worker:  # the worker died before prctl took effect
            os._exit(70)


def parse_on_worker(task, settings: WorkerSettings):
    """The dask task: one input parsed in a child of this worker, as the local executor would."""
    from maalspor.batch.run import ProcessExecutor, failure, rules_sha256, run_task

    if settings.version != __version__:
        return failure(
            "error",
            f"the Dask worker runs maalspor {__version__}, the client {settings.version}: "
            "install the same version on every worker",
        )
    _prepare_worker()
    with _rules_gate.use(settings.rules_text):
        if rules_sha256() != settings.rules_sha256:
            return failure(
                "error",
                "the Dask worker's rules differ from the client's: install the same maalspor "
                "on every worker",
            )
        executor = ProcessExecutor(
            1, run_task=run_task, timeout=settings.timeout, max_memory_mb=settings.max_memory_mb
        )
        [(_, result)] = list(executor.run([task]))
    return result
