"""`maalspor batch --executor dask`: the same outputs, limits and failures as the local executor.

One LocalCluster of two worker processes serves the module. Misbehaving parses on the workers
come from a worker plugin (`ParseHook`) that wraps `maalspor.batch.run.parse_one` in every worker
process, restarted ones included, and reads what to do from a control file the tests write.
URL inputs (fsspec) are tested with `file://` on the cluster and `memory://` with the local
executor (its forked workers see the parent's memory file system; dask's spawned ones do not).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from maalspor.batch.run import discover, run_batch
from maalspor.models.manifest import Manifest
from tests.conftest import ROOT, SAMPLE_2015, TEXT_2015
from tests.test_batch import (
    BAD_KINDS,
    by_name,
    make_mixed_folder,
    output_bytes,
    read_manifest,
    run_cli,
)

try:
    import distributed
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # the optional extra is not installed
    distributed = None
    WorkerPlugin = object

needs_dask = pytest.mark.skipif(
    distributed is None,
    reason="dask.distributed is not installed; pip install -e '.[dask]' runs these tests",
)

# --- the cluster and the parse hook -----------------------------------------------------------


def _hooked_parse(path, *, original, control, **options):
    """parse_one on a worker, misbehaving as the control file says for this input's name."""
    name = Path(path).name
    try:
        rules = json.loads(Path(control).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        rules = {}
    action = rules.get(name)
    if action == "hang":
        time.sleep(60)
    elif action == "crash":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif action == "hog":
        bytearray(8 << 30)
    elif action == "hang_once":  # the first attempt sleeps and tells who runs it; later ones parse
        marker = Path(rules["marker"])
        try:
            with marker.open("x", encoding="utf-8") as handle:
                handle.write(f"{os.getppid()} {os.getpid()}")
        except FileExistsError:
            pass
        else:
            time.sleep(60)
    return original(path, **options)


class ParseHook(WorkerPlugin):
    """A worker plugin: wraps parse_one in the worker process (so in the children it forks)."""

    name = "maalspor-test-parse-hook"

    def __init__(self, control: str) -> None:
        self.control = control

    def setup(self, worker) -> None:
        import functools

        import maalspor.batch.run as worker_batch

        original = getattr(worker_batch.parse_one, "original", worker_batch.parse_one)
        hooked = functools.partial(_hooked_parse, original=original, control=self.control)
        hooked.original = original  # type: ignore[attr-defined]
        worker_batch.parse_one = hooked

    def teardown(self, worker) -> None:
        pass


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """(scheduler address, client, control file) of a two-worker LocalCluster."""
    if distributed is None:
        pytest.skip("dask.distributed is not installed")
    control = tmp_path_factory.mktemp("control") / "control.json"
    control.write_text("{}", encoding="utf-8")
    local = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",  # loopback only, no fixed port
        silence_logs=logging.CRITICAL,
    )
    client = distributed.Client(local, set_as_default=False)
    try:
        client.register_plugin(ParseHook(str(control)))
        yield local.scheduler_address, client, control
    finally:
        client.close()
        local.close()


@pytest.fixture
def control(cluster):
    """Write the hook's rules for one test; cleared afterwards."""
    path = cluster[2]

    def write(rules: dict) -> None:
        path.write_text(json.dumps(rules), encoding="utf-8")

    yield write
    write({})


def dask_cli(cluster, *args: str) -> tuple[int, str, str]:
    return run_cli(*args, "--executor", "dask", "--scheduler", cluster[0])


def _timeless(manifest: Manifest) -> dict:
    """The manifest without its times (seconds per input and in the summary)."""
    data = manifest.model_dump(mode="json")
    for record in data["inputs"]:
        record["seconds"] = 0
    if data["summary"]:
        data["summary"]["seconds"] = 0
    return data


def _all_outputs(outdir: Path) -> dict[str, bytes]:
    """plans/, lineage/, reports/, goals.csv and report.html, byte for byte."""
    found = output_bytes(outdir)
    found.update(
        {f"reports/{p.name}": p.read_bytes() for p in sorted((outdir / "reports").glob("*"))}
    )
    for name in ("goals.csv", "report.html"):
        if (outdir / name).exists():
            found[name] = (outdir / name).read_bytes()
    return found


# --- same outputs as the local executor -------------------------------------------------------


@needs_dask
def test_mixed_folder_gives_the_local_executors_outputs_and_manifest(cluster, tmp_path):
    inputs = make_mixed_folder(tmp_path / "inputs")
    local, remote = tmp_path / "local", tmp_path / "dask"
    code, _, local_err = run_cli(
        "batch", str(inputs), "-o", str(local), "-j", "2", "--ocr", "never"
    )
    assert code == 8, local_err
    code, stdout, stderr = dask_cli(
        cluster, "batch", str(inputs), "-o", str(remote), "--ocr", "never"
    )
    assert code == 8, stderr
    assert stdout == "" and "Traceback" not in stderr
    assert _all_outputs(remote) == _all_outputs(local)
    assert {"goals.csv", "report.html"} <= set(_all_outputs(remote))
    manifest = read_manifest(remote)
    assert _timeless(manifest) == _timeless(read_manifest(local))
    records = by_name(manifest)
    assert {name: records[name].error.kind for name in BAD_KINDS} == BAD_KINDS
    for name in BAD_KINDS:  # one line per bad file, as with the local executor
        assert sum(records[name].path in line for line in stderr.splitlines()) == 1

    # Incremental: a second run keeps every good input and starts nothing on the cluster for
    # them; the failed ones are tried again.
    code, _, stderr = dask_cli(cluster, "batch", str(inputs), "-o", str(remote), "--ocr", "never")
    assert code == 8
    again = read_manifest(remote)
    assert again.summary is not None and again.summary.reused == 4
    assert _all_outputs(remote) == _all_outputs(local)


@needs_dask
def test_nothing_to_parse_connects_to_no_cluster(cluster, two_texts, tmp_path):
    from maalspor.batch.dask_executor import DaskExecutor

    out = tmp_path / "out"
    with DaskExecutor(scheduler=cluster[0]) as executor:
        first = run_batch([two_texts], out, executor=executor)
        assert executor._client is not None
    with DaskExecutor(scheduler="tcp://127.0.0.1:9") as executor:  # nothing listens there
        second = run_batch([two_texts], out, executor=executor)
        assert executor._client is None
    assert first.summary is not None and first.summary.failed == 0
    assert second.summary is not None and second.summary.reused == 2


@needs_dask
def test_user_rules_travel_to_the_workers(cluster, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "plan.txt").write_text(
        "Virksomhedsplan for Kultur 2020\n\nRoskilde Kommune\n\n1. Drift\n\n"
        "Ambition: Sikre god drift af kulturområdet.\n\nDokumentation: Målinger.\n",
        encoding="utf-8",
    )
    rules = tmp_path / "rules.toml"
    rules.write_text('[labels]\ngoal = ["Ambition"]\n', encoding="utf-8")
    local, remote = tmp_path / "local", tmp_path / "dask"
    assert run_cli("--rules", str(rules), "batch", str(folder), "-o", str(local))[0] == 0
    code, _, stderr = dask_cli(
        cluster, "--rules", str(rules), "batch", str(folder), "-o", str(remote)
    )
    assert code == 0, stderr
    [plan_file] = (remote / "plans").iterdir()
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    assert [g["text"] for g in plan["goals"]] == ["Sikre god drift af kulturområdet."]
    assert _all_outputs(remote) == _all_outputs(local)
    assert read_manifest(remote).rules_sha256 == read_manifest(local).rules_sha256


# --- limits and failures behave as with the local executor ------------------------------------


@needs_dask
def test_hanging_input_times_out_and_the_others_go_on(cluster, control, two_texts, tmp_path):
    control({"okonomi-2015.txt": "hang"})
    started = time.monotonic()
    code, _, stderr = dask_cli(
        cluster, "batch", str(two_texts), "-o", str(tmp_path / "out"), "--timeout", "5"
    )
    assert time.monotonic() - started < 40
    assert code == 8 and "Traceback" not in stderr
    records = by_name(read_manifest(tmp_path / "out"))
    hung = records["okonomi-2015.txt"]
    assert hung.status == "failed" and hung.error.kind == "timeout"
    assert hung.error.message == "stopped after 5 s (--timeout)"
    assert 5 <= hung.seconds < 25  # the good file may take seconds on a loaded machine
    assert records["okonomi-2016-2017.txt"].status == "ok"


@needs_dask
@pytest.mark.parametrize(
    ("action", "kind", "words", "options"),
    [
        ("crash", "crashed", "SIGSEGV", ()),
        ("hog", "memory", "--max-memory-mb", ("--max-memory-mb", "256")),
    ],
)
def test_crash_and_memory_hog_fail_like_local(
    cluster, control, two_texts, tmp_path, action, kind, words, options
):
    control({"okonomi-2015.txt": action})
    code, _, stderr = dask_cli(
        cluster, "batch", str(two_texts), "-o", str(tmp_path / "o"), *options
    )
    assert code == 8 and "Traceback" not in stderr
    records = by_name(read_manifest(tmp_path / "o"))
    assert records["okonomi-2015.txt"].error.kind == kind
    assert words in records["okonomi-2015.txt"].error.message
    assert records["okonomi-2016-2017.txt"].status == "ok"


# --- inputs as URLs ---------------------------------------------------------------------------


def test_url_folder_is_discovered_like_a_local_folder(tmp_path):
    pytest.importorskip("fsspec", reason="fsspec is not installed (the 'dask' extra)")
    inputs = make_mixed_folder(tmp_path / "inputs")
    files, skipped = discover([inputs])
    url = inputs.as_uri()
    remote, remote_skipped = discover([url])
    assert [f.source for f in remote] == [f.source for f in files]
    assert [f.display for f in remote] == [f"{url}/{f.source}" for f in files]
    assert [s.path for s in remote_skipped] == [f"{url}/bad/notes.doc"]
    assert len(skipped) == 1
    [single], _ = discover([f"{url}/{SAMPLE_2015.name}"])
    assert (single.source, single.path.name) == (SAMPLE_2015.name, SAMPLE_2015.name)


def test_memory_urls_with_the_local_executor(two_texts, tmp_path):
    fsspec = pytest.importorskip("fsspec", reason="fsspec is not installed (the 'dask' extra)")
    memory = fsspec.filesystem("memory")
    for path in two_texts.iterdir():
        memory.pipe(f"/plans/{path.name}", path.read_bytes())
    memory.pipe("/plans/empty.pdf", b"")
    try:
        local, remote = tmp_path / "local", tmp_path / "remote"
        (two_texts / "empty.pdf").write_bytes(b"")
        run_batch([two_texts], local)
        manifest = run_batch(["memory://plans"], remote)
    finally:
        memory.rm("/plans", recursive=True)
    assert output_bytes(remote) == output_bytes(local)
    records = by_name(manifest)
    assert records["empty.pdf"].error.kind == "empty"
    assert (
        records["empty.pdf"].error.message
        == by_name(read_manifest(local))["empty.pdf"].error.message
    )
    assert records["okonomi-2015.txt"].path == "memory://plans/okonomi-2015.txt"
    assert (
        records["okonomi-2015.txt"].sha256
        == by_name(read_manifest(local))["okonomi-2015.txt"].sha256
    )
    # Unchanged bytes behind the same URL are kept on the next run.
    for path in two_texts.iterdir():
        memory.pipe(f"/plans/{path.name}", path.read_bytes())
    try:
        again = run_batch(["memory://plans"], remote)
    finally:
        memory.rm("/plans", recursive=True)
    assert again.summary is not None and again.summary.reused == 2


def test_missing_url_is_input_not_found(tmp_path):
    pytest.importorskip("fsspec", reason="fsspec is not installed (the 'dask' extra)")
    missing = (tmp_path / "nothing-here").as_uri()
    code, _, stderr = run_cli("batch", missing, "-o", str(tmp_path / "o"))
    assert code == 8 and f"{missing} (0.0 s): no such file or folder [not_found]" in stderr


@needs_dask
def test_file_urls_on_the_cluster(cluster, two_texts, tmp_path):
    local = tmp_path / "local"
    assert run_cli("batch", str(two_texts), "-o", str(local))[0] == 0
    code, _, stderr = dask_cli(cluster, "batch", two_texts.as_uri(), "-o", str(tmp_path / "url"))
    assert code == 0, stderr
    assert output_bytes(tmp_path / "url") == output_bytes(local)


# --- without the extra ------------------------------------------------------------------------


def test_dask_executor_without_dask_is_one_line_and_exit_2(two_texts, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import now raises ImportError
    code, stdout, stderr = run_cli(
        "batch", str(two_texts), "-o", str(tmp_path / "o"), "--executor", "dask"
    )
    assert code == 2 and stdout == ""
    assert stderr.count("\n") == 1 and "pip install 'maalspor[dask]'" in stderr
    assert not (tmp_path / "o").exists()  # failed before any work


def test_scheduler_needs_the_dask_executor(two_texts, tmp_path):
    code, _, stderr = run_cli(
        "batch", str(two_texts), "-o", str(tmp_path / "o"), "--scheduler", "tcp://127.0.0.1:9"
    )
    assert code == 2 and "--scheduler applies to --executor dask only" in stderr


def test_plain_maalspor_does_not_import_dask():
    code = (
        "import sys, maalspor.batch.run, maalspor.cli, maalspor.batch.dask_executor\n"
        "assert not any(m.split('.')[0] in ('dask', 'distributed', 'fsspec')"
        " for m in sys.modules), sorted(sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# --- a worker killed mid-run (last: the cluster restarts a worker) ----------------------------


@needs_dask
def test_worker_killed_mid_run_loses_no_input(cluster, control, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for year in range(2015, 2019):  # four quick plans and one bad file around the slow one
        (inputs / f"kultur-{year}.txt").write_text(
            f"Virksomhedsplan for Kultur {year}\n\nRoskilde Kommune\n\n1. Drift\n\n"
            f"Mål: Sikre god drift i {year}.\n\nDokumentation: Målinger.\n",
            encoding="utf-8",
        )
    shutil.copy(TEXT_2015, inputs / "okonomi-2015.txt")
    (inputs / "empty.pdf").write_bytes(b"")
    marker = tmp_path / "running"
    control({"okonomi-2015.txt": "hang_once", "marker": str(marker)})
    out = tmp_path / "out"
    command = [
        *(sys.executable, "-m", "maalspor", "batch", str(inputs), "-o", str(out)),
        *("--executor", "dask", "--scheduler", cluster[0]),
    ]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not (marker.exists() and marker.read_text(encoding="utf-8")):
            assert time.monotonic() < deadline, "the slow input never started"
            assert process.poll() is None, process.stderr.read().decode()
            time.sleep(0.05)
        worker_pid, child_pid = map(int, marker.read_text(encoding="utf-8").split())
        os.kill(worker_pid, signal.SIGKILL)  # the dask worker running the slow parse
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 8, stderr.decode()
    manifest = read_manifest(out)
    records = by_name(manifest)
    assert manifest.complete and len(records) == 6
    assert records["empty.pdf"].error.kind == "empty"
    assert all(r.status == "ok" for name, r in records.items() if name != "empty.pdf")
    assert (out / records["okonomi-2015.txt"].outputs[0]).is_file()
    # The parse that was running in the killed worker's child did not outlive it.
    deadline = time.monotonic() + 10
    while _alive(child_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(child_pid)
    # The cluster is whole again for whoever comes next.
    cluster[1].wait_for_workers(2, timeout=60)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False
