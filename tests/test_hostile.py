"""Hostile and odd inputs (issue 14): nothing crashes, nothing is misdiagnosed, nothing is lost.

One test (or a few) per defect of the issue, numbered as there. Tests run as root here, and
root may read what permissions forbid: an unreadable file or folder is then simulated by making
`os.open` / `os.scandir` refuse it, as the kernel would for another user; a write-protected
folder likewise. Everything else is real: symbolic link loops, FIFOs, a zip-bomb PDF, a broken
cross-reference table, a 20,000-page page tree, a lock held by another open file.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import importlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import maalspor.batch.run as batch
from maalspor import errors
from maalspor.batch.discovery import InputFile, discover, output_name, output_names
from maalspor.cli import main
from maalspor.extract.textfile import decode_text
from maalspor.models.manifest import Manifest
from tests import badfiles
from tests.conftest import ROOT, SAMPLE_2015, SEED_TEXT, TEXT_2015

CONSOLE = [sys.executable, "-m", "maalspor"]


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def one_line(result, code: int, *words: str) -> str:
    """The result is exit `code` with one line on stderr holding `words`, and no traceback."""
    stderr = result.stderr
    assert result.exit_code == code, (result.exit_code, stderr, result.exception)
    assert stderr.count("\n") == 1 and stderr.startswith("maalspor: "), stderr
    assert "Traceback" not in result.output
    for word in words:
        assert word in stderr
    return stderr


def manifest_of(outdir: Path) -> Manifest:
    return Manifest.model_validate_json((outdir / "manifest.json").read_bytes())


def records(outdir: Path) -> dict[str, object]:
    return {Path(r.path).name: r for r in manifest_of(outdir).inputs}


@pytest.fixture
def folder(tmp_path) -> Path:
    """One plain-text plan in a folder: fast to parse."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(TEXT_2015, inputs / "plan.txt")
    return inputs


def refuse_open(monkeypatch, refused: Path, *, writes_only: bool = False, code=errno.EACCES):
    """`os.open` fails as for a file (or folder) this user may not read (or write)."""
    real_open = os.open
    refused = os.path.realpath(refused)

    def guarded(path, flags, *args, **kwargs):
        target = os.path.realpath(path)
        inside = target == refused or target.startswith(refused + os.sep)
        writing = flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        if inside and (writing or not writes_only):
            raise OSError(code, os.strerror(code), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)


# --- 1. a symbolic link loop in a folder ------------------------------------------------------


def test_1_symlink_loops_in_a_folder_are_failed_inputs_and_the_batch_goes_on(folder, tmp_path):
    (folder / "loop.pdf").symlink_to("loop.pdf")
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to("..")  # a folder loop: searched once
    (folder / "dangling.txt").symlink_to("gone.txt")
    out = tmp_path / "out"
    result = invoke("batch", str(folder), "-o", str(out))
    assert result.exit_code == 8 and "Traceback" not in result.output, result.output
    found = records(out)
    assert found["plan.txt"].status == "ok"
    assert found["loop.pdf"].error.kind == "unreadable"
    assert "symbolic link loop" in found["loop.pdf"].error.message
    assert found["dangling.txt"].error.kind == "not_found"
    assert "missing file" in found["dangling.txt"].error.message
    assert len(manifest_of(out).inputs) == 3  # the folder loop adds nothing twice


# --- 2. parse's memory cap, and streams refused before they are inflated whole -----------------


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    return badfiles.inflating_pdf(tmp_path_factory.mktemp("bomb") / "bomb.pdf")


def test_2_a_stream_that_inflates_past_the_limit_is_refused_before_it_is_inflated(bomb):
    assert bomb.stat().st_size < 1_000_000  # 200 MB of spaces inside
    run = subprocess.run([*CONSOLE, "parse", str(bomb)], capture_output=True, text=True)
    assert run.returncode == errors.StreamTooLargeError.exit_code == 7, run.stderr
    assert run.stderr == (f"maalspor: {bomb}: a compressed stream inflates to more than 128 MB\n")


def test_2_parse_has_a_memory_cap(bomb):
    """Under a cap lower than the stream limit, the same file runs out of memory: exit 10.
    (pdfplumber's engine: PDFium's streams are checked before it opens the file, and it aborts
    the process where an allocation fails, so the cap is shown on the Python engine.)"""
    run = subprocess.run(
        [*CONSOLE, "parse", str(bomb), "--max-memory-mb", "48", "--engine", "pdfplumber"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == errors.OutOfMemoryError.exit_code == 10, run.stderr
    assert run.stderr.startswith(f"maalspor: {bomb}: ran out of memory")
    assert run.stderr.endswith("; raise --max-memory-mb\n") and run.stderr.count("\n") == 1
    help_text = " ".join(invoke("parse", "--help").output.split())
    assert "--max-memory-mb" in help_text and "default: 2048" in help_text


# --- 3. running out of memory is `memory`, never "no text" -------------------------------------


def test_3_memory_error_wrapped_by_pdfplumber_is_kind_memory(monkeypatch):
    from pdfminer.pdfinterp import PDFPageInterpreter

    def exhausted(self, page):
        raise MemoryError

    monkeypatch.setattr(PDFPageInterpreter, "process_page", exhausted)
    result = invoke("parse", str(SAMPLE_2015), "--engine", "pdfplumber")
    one_line(result, 10, "ran out of memory", "--max-memory-mb")
    task = batch.run_task(
        batch.Task(path=str(SAMPLE_2015), source=SAMPLE_2015.name, engine="pdfplumber")
    )
    assert task.error is not None and task.error.kind == "memory"


# --- 4. a broken cross-reference table is recovered or `damaged`, never "no text" --------------


def test_4_broken_xref_is_never_no_text(tmp_path):
    broken = badfiles.broken_xref_pdf(SAMPLE_2015, tmp_path / "xref.pdf")
    result = invoke("parse", str(broken))
    assert result.exit_code != errors.NoTextLayerError.exit_code
    if result.exit_code == 0:  # recovered (an engine that rebuilds the xref)
        assert json.loads(result.stdout)["goals"]
    else:
        one_line(result, errors.DamagedPdfError.exit_code, "damaged PDF", "cross-reference")


# --- 5. write failures: one line, exit 9, nothing half-written ---------------------------------


def test_5_output_under_a_file_is_exit_9(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = invoke("parse", str(TEXT_2015), "-o", str(tmp_path / "file" / "plan.json"))
    one_line(result, errors.OutputError.exit_code, "cannot write it")


def test_5_read_only_folder_is_exit_9_and_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "ro"
    target.mkdir()
    refuse_open(monkeypatch, target, writes_only=True, code=errno.EROFS)
    result = invoke("parse", str(TEXT_2015), "-o", str(target / "plan.json"))
    one_line(result, 9, "Read-only file system")
    assert list(target.iterdir()) == []


def test_5_disk_full_keeps_the_old_file_whole(tmp_path, monkeypatch):
    target = tmp_path / "plan.json"
    target.write_text("the old plan\n", encoding="utf-8")

    def full(descriptor):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    result = invoke("parse", str(TEXT_2015), "-o", str(target))
    one_line(result, 9, "No space left on device")
    assert target.read_text(encoding="utf-8") == "the old plan\n"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]  # no temporary file left


def test_5_a_full_standard_output_is_exit_9():
    with open("/dev/full", "w", encoding="utf-8") as full:
        run = subprocess.run(
            [*CONSOLE, "parse", str(TEXT_2015)], stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert run.returncode == 9
    assert run.stderr == "maalspor: standard output: cannot write it (No space left on device)\n"


def test_5_batch_into_an_unwritable_outdir_is_exit_9(folder, tmp_path, monkeypatch):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    one_line(invoke("batch", str(folder), "-o", str(tmp_path / "file" / "out")), 9)
    out = tmp_path / "out"
    out.mkdir()
    refuse_open(monkeypatch, out, writes_only=True, code=errno.EROFS)
    one_line(invoke("batch", str(folder), "-o", str(out)), 9, "Read-only file system")
    assert list(out.iterdir()) == []


# --- 6. text encodings --------------------------------------------------------------------------


def test_6_utf16_text_with_a_byte_order_mark_reads_as_its_utf8_original(tmp_path):
    original = json.loads(invoke("parse", str(SEED_TEXT)).stdout)
    utf16 = badfiles.utf16_text(SEED_TEXT, tmp_path / "plan-utf16.txt")
    result = invoke("parse", str(utf16))
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["title"] == original["title"] and "ÿ" not in (document["title"] or "")
    assert len(document["goals"]) == len(original["goals"]) > 0


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("Mål for året".encode("utf-8-sig"), "Mål for året"),
        ("Mål for året".encode("utf-16-be").join([b"\xfe\xff", b""]), "Mål for året"),
        ("Mål for året".encode("utf-32"), "Mål for året"),
        ("Mål for året".encode(), "Mål for året"),
        ("Mål – året".encode("cp1252"), "Mål – året"),
    ],
)
def test_6_encodings_by_mark_then_utf8_then_windows_1252(data, text):
    assert decode_text(data, Path("x.txt")) == text


@pytest.mark.parametrize(
    "data",
    [
        b"\x00" * 4096,  # a file of NUL bytes
        bytes(range(1, 32)) * 100,  # control characters, no NUL
        b"Mal \x81\x8d\x8f\x90\x9d",  # bytes that are neither UTF-8 nor Windows-1252
        b"\xff\xfeM\x00\xe5\x00\x00\xd8",  # a UTF-16 mark, then a broken surrogate pair
    ],
)
def test_6_binary_data_is_not_text(tmp_path, data):
    path = tmp_path / "binary.txt"
    path.write_bytes(data)
    with pytest.raises(errors.NotTextError):
        decode_text(data, path)
    result = invoke("parse", str(path))
    one_line(result, errors.NotTextError.exit_code, "not text")


# --- 7. unreadable folders and files, and other kinds of file ----------------------------------


def test_7_an_unreadable_subfolder_is_a_failed_input(folder, tmp_path, monkeypatch):
    locked = folder / "locked"
    locked.mkdir()
    shutil.copy(SEED_TEXT, locked / "plan-2016.txt")
    real_scandir = os.scandir

    def scandir(path="."):
        if os.path.realpath(path) == os.path.realpath(locked):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    out = tmp_path / "out"
    result = invoke("batch", str(folder), "-o", str(out))
    assert result.exit_code == 8 and "Traceback" not in result.output
    record = records(out)["locked"]
    assert record.status == "failed" and record.error.kind == "unreadable"
    assert record.error.message == "cannot list the folder (Permission denied)"
    assert records(out)["plan.txt"].status == "ok"


def test_7_an_unreadable_file_is_unreadable_exit_3(folder, tmp_path, monkeypatch):
    plan = folder / "plan.txt"
    if os.geteuid() == 0:
        refuse_open(monkeypatch, plan)
    else:
        plan.chmod(0)
    one_line(invoke("parse", str(plan)), 3, "cannot read it (Permission denied)")
    out = tmp_path / "out"
    assert invoke("batch", str(folder), "-o", str(out)).exit_code == 8
    assert records(out)["plan.txt"].error.kind == "unreadable"


def test_7_a_folder_a_fifo_and_a_link_loop_given_to_parse(tmp_path):
    fifo = tmp_path / "plan.pdf"
    os.mkfifo(fifo)
    one_line(invoke("parse", str(fifo)), 3, "not a regular file")
    one_line(invoke("parse", str(tmp_path)), 3, "a folder, not a plan file")
    loop = tmp_path / "loop.pdf"
    loop.symlink_to(loop.name)
    assert "no such file" not in one_line(invoke("parse", str(loop)), 3, "symbolic link loop")


def test_7_a_fifo_in_a_folder_does_not_hang_the_batch(folder, tmp_path):
    os.mkfifo(folder / "pipe.pdf")
    out = tmp_path / "out"
    run = subprocess.run(
        [*CONSOLE, "batch", str(folder), "-o", str(out), "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,  # a read from the FIFO would block forever
    )
    assert run.returncode == 8, run.stderr
    assert records(out)["pipe.pdf"].error.kind == "unreadable"


# --- 8. output names that stay put ---------------------------------------------------------------


def test_8_adding_an_input_never_renames_an_output(tmp_path):
    inputs = tmp_path / "plans"
    (inputs / "a").mkdir(parents=True)
    shutil.copy(TEXT_2015, inputs / "a" / "plan.txt")
    out = tmp_path / "out"
    assert invoke("batch", str(inputs), "-o", str(out)).exit_code == 0
    first = records(out)["plan.txt"].outputs
    (inputs / "b").mkdir()
    shutil.copy(SEED_TEXT, inputs / "b" / "plan.txt")
    assert invoke("batch", str(inputs), "-o", str(out)).exit_code == 0
    again = {r.source: r for r in manifest_of(out).inputs}
    assert again["a/plan.txt"].outputs == first and again["a/plan.txt"].reused
    assert again["b/plan.txt"].outputs != first
    assert sorted(p.name for p in (out / "plans").iterdir()) == sorted(
        Path(r.outputs[0]).name for r in again.values()
    )


def test_8_names_come_from_the_input_alone():
    plan = InputFile(Path("x/2015/plan.pdf"), "x/2015/plan.pdf", "2015/plan.pdf")
    moved = InputFile(Path("/srv/y/2015/plan.pdf"), "/srv/y/2015/plan.pdf", "2015/plan.pdf")
    other = InputFile(Path("x/2016/plan.pdf"), "x/2016/plan.pdf", "2016/plan.pdf")
    name = output_name(plan)
    assert re.fullmatch(r"plan-[0-9a-f]{8}", name)
    assert output_name(moved) == name  # the INPUT folder moved: the same name
    assert output_names([plan]) == output_names([other, plan])[1:] == [name]
    assert output_name(other) != name
    # The one case left: one relative path found in two INPUT folders: '-2', documented.
    assert output_names([plan, moved]) == [name, f"{name}-2"]


# --- 9. exit codes as documented ----------------------------------------------------------------


def test_9_a_missing_path_on_the_batch_command_line_is_a_failed_input(folder, tmp_path):
    out = tmp_path / "out"
    missing = tmp_path / "missing.pdf"
    result = invoke("batch", str(folder), str(missing), "-o", str(out))
    assert result.exit_code == 8, result.output
    assert str(missing) in result.stderr and "no such file or folder [not_found]" in result.stderr
    found = records(out)
    assert found["missing.pdf"].error.kind == "not_found"
    assert found["plan.txt"].status == "ok"


def test_9_discovery_reports_what_it_cannot_use_in_place(folder, tmp_path):
    files, skipped = discover([tmp_path / "nope", folder])
    assert [f.error.kind if f.error else "ok" for f in files] == ["not_found", "ok"]
    assert skipped == []


# --- 10. field lengths are capped ---------------------------------------------------------------


def test_10_a_megabyte_line_is_no_megabyte_title(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("Virksomhedsplan " + "x" * 1_000_000 + "\n", encoding="utf-8")
    result = invoke("parse", str(path))
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert len(document["title"]) <= 301
    assert any(w.startswith("title cut at 300 characters") for w in document["warnings"])
    assert "title cut at 300 characters (it had 1,000,016)" in result.stderr


# --- 11. the page limit is applied before the page tree is loaded --------------------------------


def test_11_too_many_pages_is_refused_from_the_declared_count(tmp_path, monkeypatch):
    from pdfminer.pdfpage import PDFPage

    many = badfiles.many_pages_pdf(tmp_path / "many.pdf")

    loaded = []

    def create_pages(document):
        loaded.append(document)
        raise AssertionError("the whole page tree was loaded")

    monkeypatch.setattr(PDFPage, "create_pages", create_pages)
    result = invoke("parse", str(many))
    one_line(result, 7, "20000 pages, more than the limit of 2000", "--max-pages")
    assert loaded == []  # not to count the pages, nor to close the file


# --- 12. one batch at a time in an OUTDIR --------------------------------------------------------


def test_12_a_second_batch_into_a_busy_outdir_refuses(folder, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with open(out / batch.LOCK, "w", encoding="ascii") as held:
        held.write("4242\n")
        held.flush()
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running batch holds it
        result = invoke("batch", str(folder), "-o", str(out))
        one_line(result, errors.OutputLockedError.exit_code, "another batch run (pid 4242)")
    assert not (out / "manifest.json").exists()


def test_12_the_stale_lock_of_a_killed_run_is_taken_over(folder, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / batch.LOCK).write_text("999999\n", encoding="ascii")  # its process is gone
    result = invoke("batch", str(folder), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert not (out / batch.LOCK).exists()


_KILLED_PARENT = """
import sys, time
import maalspor.batch.run as batch
from maalspor.cli import main

def slow(path, **options):
    time.sleep(120)

batch.parse_one = slow
main(sys.argv[1:], prog_name="maalspor")
"""


def test_12_a_killed_run_whose_worker_lives_on_leaves_no_lock(folder, tmp_path):
    """The run is killed (SIGKILL, its process only) while its worker still parses: the next
    run takes the lock over, though the orphaned worker holds a copy of the parent's files."""
    out = tmp_path / "out"
    command = [sys.executable, "-c", _KILLED_PARENT, "batch", str(folder), "-o", str(out)]
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        while not children.read_text().split():  # until its worker is forked
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)  # the parent only: its worker sleeps on
        process.wait()
        result = invoke("batch", str(folder), "-o", str(out))
        assert result.exit_code == 0, result.output
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


# --- the README's tables ------------------------------------------------------------------------


def _readme_table(heading: str) -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(heading, 1)[1]
    rows = []
    for line in section.splitlines()[1:]:
        if line.startswith("#"):
            break
        if line.startswith("|") and not set(line) <= set("|-: "):
            rows.append([cell.strip().strip("`") for cell in line.strip("|").split("|")])
    return rows


def _error_classes() -> list[type[errors.MaalsporError]]:
    import pkgutil

    import maalspor

    # Every module of the package, so that every error class defined anywhere is seen.
    for module in pkgutil.iter_modules(maalspor.__path__, f"{maalspor.__name__}."):
        importlib.import_module(module.name)

    found, pending = [], [errors.MaalsporError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return [c for c in found if c is not errors.MaalsporError]


def test_readme_exit_codes_and_error_kinds_match_the_code():
    codes = _readme_table("## Exit codes\n")
    documented_codes = {int(row[0]) for row in codes if row[0].isdigit()}
    assert documented_codes == set(errors.EXIT_CODES)
    kinds = {row[0]: row[1] for row in _readme_table("### Error kinds\n") if row[0] != "kind"}
    expected = {cls.kind: str(cls.exit_code) for cls in _error_classes()}
    expected.update({kind: "8" for kind in errors.BATCH_KINDS})
    expected["error"] = "1"
    assert kinds == expected
    assert {int(code) for code in kinds.values()} <= set(errors.EXIT_CODES)
