"""`maalspor batch`: a folder of good and bad plans → plans/, lineage/, manifest.json.

One batch over a mixed folder (the samples, one bad file of each kind, a file that is no plan)
runs once per module; the other tests run on copies of its inputs and outputs, or on the two
plain-text plans (fast), so the file stays well under a minute and a half on two cores.
"""

from __future__ import annotations

import csv
import io
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
from maalspor.batch.discovery import output_name
from maalspor.batch.run import (
    InputFile,
    group_series,
    load_series_map,
    output_names,
    progress,
    rules_sha256,
)
from maalspor.cli import main
from maalspor.models.common import Period
from maalspor.models.manifest import InputRecord, Manifest, PlanSummary
from tests import badfiles
from tests.conftest import SAMPLE_2015, SAMPLE_2016, SEED_TEXT

SERIES = "albertslund-kommune-okonomi-og-stab"

# Bad file name → the error kind the manifest must give it.
BAD_KINDS = {
    "encrypted.pdf": "encrypted",
    "scan.pdf": "no_text_layer",
    "truncated.pdf": "damaged",
    "empty.pdf": "empty",
    "webpage.pdf": "not_a_pdf",
    "broken.docx": "damaged",
}


def make_mixed_folder(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for sample in (SAMPLE_2015, SAMPLE_2016, SEED_TEXT):
        shutil.copy(sample, folder / sample.name)
    bad = folder / "bad"
    bad.mkdir()
    badfiles.encrypted_pdf(SAMPLE_2015, bad / "encrypted.pdf")
    badfiles.scanned_pdf(SAMPLE_2015, bad / "scan.pdf")
    badfiles.truncated_pdf(SAMPLE_2016, bad / "truncated.pdf")
    badfiles.empty_file(bad / "empty.pdf")
    badfiles.text_named_pdf(bad / "webpage.pdf")
    badfiles.prose_pdf(bad / "newsletter.pdf")
    (bad / "broken.docx").write_bytes(b"PK\x03\x04 a download cut short")
    (bad / "notes.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 Word 97-2003")
    (folder / ".hidden.pdf").write_bytes(b"ignored")
    return folder


def run_cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def plan_output(source: str) -> str:
    """The plan file batch writes for an input of this path relative to its INPUT folder."""
    return f"plans/{output_name(InputFile(Path(source), source, source))}.json"


def read_manifest(outdir: Path) -> Manifest:
    return Manifest.model_validate_json((outdir / "manifest.json").read_bytes())


def output_bytes(outdir: Path) -> dict[str, bytes]:
    """Every plan and lineage file, by path relative to the output folder."""
    return {
        p.relative_to(outdir).as_posix(): p.read_bytes()
        for sub in ("plans", "lineage")
        for p in sorted((outdir / sub).glob("*"))
    }


def by_name(manifest: Manifest) -> dict[str, InputRecord]:
    return {Path(r.path).name: r for r in manifest.inputs}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """The mixed folder and one uninterrupted batch run over it (two jobs)."""
    base = tmp_path_factory.mktemp("mixed")
    inputs = make_mixed_folder(base / "inputs")
    outdir = base / "out"
    # --ocr never: the scan stands for a file that fails (OCR is tested in tests/test_ocr.py).
    code, stdout, stderr = run_cli(
        "batch", str(inputs), "-o", str(outdir), "--jobs", "2", "--ocr", "never"
    )
    return inputs, outdir, code, stdout, stderr


def test_every_batch_output_is_valid_against_the_committed_schemas(mixed):
    from tests.test_schemas import assert_valid

    _, outdir, _, _, _ = mixed
    plans = sorted((outdir / "plans").glob("*.json"))
    lineages = sorted((outdir / "lineage").glob("*.json"))
    assert plans and lineages
    for path in plans:
        assert_valid(path.read_text(encoding="utf-8"), "plan")
    for path in lineages:
        assert_valid(path.read_text(encoding="utf-8"), "lineage")
    assert_valid((outdir / "manifest.json").read_text(encoding="utf-8"), "manifest")


def test_goals_db_beside_goals_csv_and_reports_link_to_the_pdf_pages(mixed):
    import sqlite_utils

    inputs, outdir, *_ = mixed
    manifest = read_manifest(outdir)
    assert (manifest.goals_csv, manifest.goals_db) == ("goals.csv", "goals.db")
    db = sqlite_utils.Database(outdir / "goals.db")
    csv_rows = list(
        csv.DictReader(
            io.StringIO((outdir / "goals.csv").read_text(encoding="utf-8-sig")), delimiter=";"
        )
    )
    assert db["goals"].count == len(csv_rows) > 0
    assert {r["id"] for r in db["goals"].rows} == {r["id"] for r in csv_rows}
    # Page numbers link to the input PDFs, relative to where each page is.
    [series] = [s for s in manifest.series if s.report]
    pdf = "albertslund-okonomi-og-stab-2015.pdf"
    inner = (outdir / series.report).read_text(encoding="utf-8")
    folder = (outdir / series.report).parent
    href = Path(os.path.relpath(inputs / pdf, folder)).as_posix()
    assert f'href="{href}#page=4"' in inner
    assert (folder / href).is_file()
    # report.html is the index of the series' reports, not a copy of one
    top = (outdir / "report.html").read_text(encoding="utf-8")
    assert f'href="{series.report}"' in top and "#page=" not in top


def test_mixed_folder_parses_the_good_and_names_every_bad_file(mixed):
    inputs, outdir, code, stdout, stderr = mixed
    assert code == 8, stderr
    assert errors.EXIT_CODES[8].startswith("batch finished")
    assert "Traceback" not in stderr
    assert stdout == ""
    manifest = read_manifest(outdir)
    assert manifest.complete
    records = by_name(manifest)
    assert ".hidden.pdf" not in records
    assert [s.path for s in manifest.skipped] == [str(inputs / "bad" / "notes.doc")]
    assert manifest.skipped[0].reason.endswith("convert it to .docx or PDF")
    for name, kind in BAD_KINDS.items():
        record = records[name]
        assert record.status == "failed"
        assert record.error is not None and record.error.kind == kind, record
        assert record.outputs == []
        # One clear line per bad file on stderr, with its kind.
        lines = [ln for ln in stderr.splitlines() if record.path in ln]
        assert len(lines) == 1 and f"[{kind}]" in lines[0]
    assert "OCR" in records["scan.pdf"].error.message
    assert "--password" in records["encrypted.pdf"].error.message

    newsletter = records["newsletter.pdf"]
    assert newsletter.status == "ok" and newsletter.error is None
    assert any("no goals found" in w for w in newsletter.warnings)
    plan = json.loads((outdir / newsletter.outputs[0]).read_text(encoding="utf-8"))
    assert plan["goals"] == [] and plan["follow_ups"] == []

    good = {
        SAMPLE_2015.name: plan_output(SAMPLE_2015.name),
        SAMPLE_2016.name: plan_output(SAMPLE_2016.name),
        SEED_TEXT.name: plan_output(SEED_TEXT.name),
    }
    for name, output in good.items():
        record = records[name]
        assert record.status == "ok" and record.outputs == [output]
        assert record.series == SERIES
        document = json.loads((outdir / output).read_text(encoding="utf-8"))
        assert document["source"]["path"] == name  # relative to the INPUT folder
        assert document["source"]["sha256"] == record.sha256
    assert records[SAMPLE_2015.name].plan.goals == 28

    assert manifest.summary is not None
    assert (manifest.summary.inputs, manifest.summary.failed) == (10, 6)
    assert manifest.summary.skipped == 1
    # One series, linked from the two PDFs; the .txt of the same period is left out.
    [series] = manifest.series
    assert series.id == SERIES and series.grouped_by == "parsed"
    assert series.plans == [str(inputs / SAMPLE_2015.name), str(inputs / SAMPLE_2016.name)]
    assert [e.path for e in series.excluded] == [str(inputs / SEED_TEXT.name)]
    assert series.lineage == f"lineage/{SERIES}.json"
    lineage = json.loads((outdir / series.lineage).read_text(encoding="utf-8"))
    assert [p["source"]["path"] for p in lineage["plans"]] == [SAMPLE_2015.name, SAMPLE_2016.name]
    assert sorted(os.listdir(outdir / "lineage")) == [f"{SERIES}.json"]
    assert str(outdir) not in "".join(b.decode() for b in output_bytes(outdir).values())
    assert not list(outdir.rglob("*.tmp"))


def test_rerun_keeps_unchanged_inputs_and_reparses_changed_ones(mixed, tmp_path):
    inputs, outdir, *_ = mixed
    # Inputs and outputs moved elsewhere: the plans record relative paths, so they still match.
    moved_inputs = tmp_path / "elsewhere" / "plans"
    shutil.copytree(inputs, moved_inputs)
    out = tmp_path / "out"
    shutil.copytree(outdir, out)
    with (moved_inputs / SEED_TEXT.name).open("a", encoding="utf-8") as handle:
        handle.write("\nEn ny linje til sidst.\n")
    code, _, stderr = run_cli("batch", str(moved_inputs), "-o", str(out), "--ocr", "never")
    assert code == 8
    assert "3 inputs unchanged since the last run" in stderr
    records = by_name(read_manifest(out))
    reused = {name for name, r in records.items() if r.reused}
    assert reused == {SAMPLE_2015.name, SAMPLE_2016.name, "newsletter.pdf"}
    assert records[SEED_TEXT.name].status == "ok" and not records[SEED_TEXT.name].reused
    assert all(records[name].status == "failed" for name in BAD_KINDS)  # failures are retried
    before, after = output_bytes(outdir), output_bytes(out)
    changed = {k for k in before if before[k] != after.get(k)}
    assert changed == {plan_output(SEED_TEXT.name)}


def test_two_runs_give_identical_plans_and_lineages(mixed, tmp_path):
    """--force and one job, from another folder: byte-identical outputs all the same."""
    inputs, outdir, *_ = mixed
    other_inputs = tmp_path / "copy"
    shutil.copytree(inputs, other_inputs)
    out = tmp_path / "out"
    shutil.copytree(outdir, out)
    code, _, _ = run_cli(
        "batch", str(other_inputs), "-o", str(out), "--force", "--jobs", "1", "--ocr", "never"
    )
    assert code == 8
    manifest = read_manifest(out)
    assert manifest.summary is not None and manifest.summary.reused == 0
    assert output_bytes(out) == output_bytes(outdir)


_KILLABLE = """
import sys, time
import maalspor.batch.run as batch
from maalspor.cli import main

original = batch.parse_one

def slow(path, **options):
    if path.endswith("2016-2017.pdf"):
        time.sleep(60)
    return original(path, **options)

batch.parse_one = slow
main(sys.argv[1:], prog_name="maalspor")
"""


def _wait_until_gone(group: int, seconds: float = 10.0) -> None:
    """Until no process of the process group is left (signal 0 probes without killing)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)


def test_killed_batch_resumes_to_the_same_outputs(mixed, tmp_path):
    inputs, outdir, *_ = mixed
    out = tmp_path / "out"
    command = [sys.executable, "-c", _KILLABLE, "batch", str(inputs), "-o", str(out), "-j", "1"]
    command += ["--ocr", "never"]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if (out / "manifest.json").exists() and read_manifest(out).inputs:
                break
            assert process.poll() is None, process.stderr.read().decode()
            time.sleep(0.05)
        else:
            pytest.fail("no input was finished within a minute")
        # The 2015 plan is written and recorded; the 2016-2017 one is in flight (asleep).
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        process.stderr.close()
    # The in-flight worker is killed with its group but may exit a moment after the parent, and
    # until it has, its inherited copy of the output folder's lock is still held.
    _wait_until_gone(process.pid)
    interrupted = read_manifest(out)
    assert not interrupted.complete
    assert [Path(r.path).name for r in interrupted.inputs] == [SAMPLE_2015.name]
    assert not (out / plan_output(SAMPLE_2016.name)).exists()

    code, _, stderr = run_cli("batch", str(inputs), "-o", str(out), "-j", "2", "--ocr", "never")
    assert code == 8, stderr
    resumed = read_manifest(out)
    assert resumed.complete
    assert [Path(r.path).name for r in resumed.inputs if r.reused] == [SAMPLE_2015.name]
    assert output_bytes(out) == output_bytes(outdir)
    assert not list(out.rglob("*.tmp"))


# --- limits: hang, memory, crash, pages -------------------------------------------------------


def _misbehave_on(monkeypatch, name: str, action) -> None:
    original = batch.parse_one

    def parse(path, **options):
        if Path(path).name == name:
            action()
        return original(path, **options)

    monkeypatch.setattr(batch, "parse_one", parse)


def test_hanging_input_is_stopped_and_the_others_go_on(two_texts, tmp_path, monkeypatch):
    _misbehave_on(monkeypatch, "okonomi-2015.txt", lambda: time.sleep(60))
    started = time.monotonic()
    code, _, stderr = run_cli(
        "batch", str(two_texts), "-o", str(tmp_path / "out"), "--timeout", "5", "-j", "2"
    )
    assert time.monotonic() - started < 40
    assert code == 8 and "Traceback" not in stderr
    records = by_name(read_manifest(tmp_path / "out"))
    hung = records["okonomi-2015.txt"]
    assert hung.status == "failed" and hung.error.kind == "timeout"
    assert 5 <= hung.seconds < 25  # the good file may take seconds on a loaded machine
    assert records["okonomi-2016-2017.txt"].status == "ok"


def test_memory_hog_is_failed_by_the_worker_memory_cap(two_texts, tmp_path, monkeypatch):
    _misbehave_on(monkeypatch, "okonomi-2015.txt", lambda: bytearray(8 << 30))
    code, _, stderr = run_cli(
        "batch", str(two_texts), "-o", str(tmp_path / "out"), "--max-memory-mb", "256"
    )
    assert code == 8 and "Traceback" not in stderr
    records = by_name(read_manifest(tmp_path / "out"))
    assert records["okonomi-2015.txt"].error.kind == "memory"
    assert records["okonomi-2016-2017.txt"].status == "ok"


def test_crashing_worker_is_recorded(two_texts, tmp_path, monkeypatch):
    _misbehave_on(monkeypatch, "okonomi-2015.txt", lambda: os.kill(os.getpid(), signal.SIGSEGV))
    code, _, stderr = run_cli("batch", str(two_texts), "-o", str(tmp_path / "out"))
    assert code == 8 and "Traceback" not in stderr
    record = by_name(read_manifest(tmp_path / "out"))["okonomi-2015.txt"]
    assert record.error.kind == "crashed" and "SIGSEGV" in record.error.message


def test_page_limit_fails_only_that_input(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE_2015, folder / SAMPLE_2015.name)
    shutil.copy(SEED_TEXT, folder / SEED_TEXT.name)
    code, _, _ = run_cli("batch", str(folder), "-o", str(tmp_path / "out"), "--max-pages", "5")
    assert code == 8
    records = by_name(read_manifest(tmp_path / "out"))
    assert records[SAMPLE_2015.name].error.kind == "too_many_pages"
    assert records[SEED_TEXT.name].status == "ok"


def test_all_good_exits_0_and_links_the_series(two_texts, tmp_path):
    out = tmp_path / "out"
    code, _, stderr = run_cli("batch", str(two_texts), "-o", str(out))
    assert code == 0, stderr
    manifest = read_manifest(out)
    assert manifest.summary is not None and manifest.summary.failed == 0
    # "ØKONOMI OG STAB" (the .txt) and "Økonomi og Stab" are one series.
    [series] = manifest.series
    assert series.id == SERIES and len(series.plans) == 2
    assert (out / f"lineage/{SERIES}.json").is_file()
    assert stderr.splitlines()[-1].startswith("maalspor: 2 inputs: 2 ok, 0 failed; 1 lineage;")
    # The overview for people and spreadsheets: the series' report and every goal in a CSV.
    assert series.report == f"reports/{SERIES}.html"
    assert (manifest.report, manifest.goals_csv) == ("report.html", "goals.csv")
    # report.html is an index, one series or many: one report per series, no copy beside it
    index = (out / "report.html").read_text(encoding="utf-8")
    assert f'href="{series.report}"' in index and 'class="card' not in index
    report = (out / series.report).read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)=["']?https?:|url\(["']?https?:""", report)
    rows = list(
        csv.reader(io.StringIO((out / "goals.csv").read_text(encoding="utf-8-sig")), delimiter=";")
    )
    lineage = json.loads((out / f"lineage/{SERIES}.json").read_text(encoding="utf-8"))
    assert len(rows) == 1 + len(lineage["goals"])
    assert rows[0][:3] == ["series", "plan", "period"]


def test_several_series_get_an_index_report(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for year in ("2019", "2020"):
        for unit in ("Kultur", "Miljø"):
            (folder / f"{unit}-{year}.txt").write_text(
                f"Virksomhedsplan for {unit} {year}\n\nRoskilde Kommune\n\n1. Drift\n\n"
                f"Mål: Sikre god drift af {unit.lower()}området.\n\nDokumentation: Målinger.\n",
                encoding="utf-8",
            )
    out = tmp_path / "out"
    code, _, stderr = run_cli("batch", str(folder), "-o", str(out))
    assert code == 0, stderr
    manifest = read_manifest(out)
    assert sorted(s.report for s in manifest.series) == [
        "reports/roskilde-kommune-kultur.html",
        "reports/roskilde-kommune-miljo.html",
    ]
    index = (out / "report.html").read_text(encoding="utf-8")
    assert 'href="reports/roskilde-kommune-kultur.html"' in index
    assert 'href="reports/roskilde-kommune-miljo.html"' in index
    rows = list(
        csv.reader(io.StringIO((out / "goals.csv").read_text(encoding="utf-8-sig")), delimiter=";")
    )
    assert len(rows) == 1 + 4


def test_lineage_step_that_cannot_import_is_reported(two_texts, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert run_cli("batch", str(two_texts), "-o", str(out))[0] == 0
    monkeypatch.setitem(sys.modules, "maalspor.match", None)  # import now raises ImportError
    code, _, stderr = run_cli("batch", str(two_texts), "-o", str(out))
    assert code == 8
    assert f"maalspor: lineage of {SERIES}: the lineage step cannot run" in stderr
    [series] = read_manifest(out).series
    assert series.error is not None and series.error.kind == "unavailable"
    assert series.lineage is None
    assert not (out / f"lineage/{SERIES}.json").exists()  # no stale lineage left behind


def test_removed_input_loses_its_outputs(two_texts, tmp_path):
    out = tmp_path / "out"
    assert run_cli("batch", str(two_texts), "-o", str(out))[0] == 0
    (two_texts / "okonomi-2015.txt").unlink()
    code, _, _ = run_cli("batch", str(two_texts), "-o", str(out))
    assert code == 0
    kept = [f"plans/{p.name}" for p in (out / "plans").iterdir()]
    assert kept == [plan_output("okonomi-2016-2017.txt")]
    assert not list((out / "lineage").iterdir())
    assert read_manifest(out).series[0].lineage is None


def test_series_map_overrides_the_grouping(two_texts, tmp_path):
    mapping = tmp_path / "series.toml"
    mapping.write_text('"okonomi-2015.txt" = "Stab 2015"\n', encoding="utf-8")
    out = tmp_path / "out"
    code, _, _ = run_cli("batch", str(two_texts), "-o", str(out), "--series-map", str(mapping))
    assert code == 0
    series = {s.id: s for s in read_manifest(out).series}
    assert set(series) == {"stab-2015", SERIES}
    assert series["stab-2015"].grouped_by == "series_map"
    assert all(s.lineage is None for s in series.values())


def test_usage_errors(tmp_path):
    # A missing INPUT is a failed input like any other (issue 14): recorded, exit code 8.
    code, _, stderr = run_cli("batch", str(tmp_path / "missing"), "-o", str(tmp_path / "o"))
    assert (
        code == 8
        and f"{tmp_path / 'missing'} (0.0 s): no such file or folder [not_found]" in stderr
    )
    (tmp_path / "empty").mkdir()
    code, _, stderr = run_cli("batch", str(tmp_path / "empty"), "-o", str(tmp_path / "o"))
    assert code == 3 and "no .pdf, .docx or .txt files" in stderr
    bad_map = tmp_path / "map.json"
    bad_map.write_text('{"*.pdf": 3}', encoding="utf-8")
    code, _, stderr = run_cli(
        "batch", str(SEED_TEXT), "-o", str(tmp_path / "o"), "--series-map", str(bad_map)
    )
    assert code == 2 and "must map to a series name" in stderr


# --- units ------------------------------------------------------------------------------------


def _record(path: str, organisation, unit, period: tuple[int, int] | None, goals=1):
    return InputRecord(
        path=path,
        source=Path(path).name,
        sha256="0" * 64,
        status="ok",
        outputs=[f"plans/{Path(path).stem}.json"],
        seconds=0.0,
        plan=PlanSummary(
            organisation=organisation,
            unit=unit,
            title=None,
            period=Period(label=f"{period[0]}-{period[1]}", start=period[0], end=period[1])
            if period
            else None,
            goals=goals,
            follow_ups=0,
        ),
    )


def test_series_are_grouped_by_normalised_names_and_ordered_by_period():
    records = [
        _record("in/c.txt", "Albertslund Kommune", "ØKONOMI OG STAB", (2016, 2017)),
        _record("in/b.pdf", "Albertslund  Kommune", "Økonomi- og Stab", (2016, 2017)),
        _record("in/a.pdf", "Albertslund Kommune", "Økonomi og Stab", (2015, 2015)),
        _record("in/d.pdf", "Albertslund Kommune", "Kultur og Fritid", (2015, 2015)),
        _record("in/e.pdf", None, None, (2015, 2015)),
        _record("in/f.pdf", "Albertslund Kommune", "Økonomi og Stab", None),
    ]
    files = [InputFile(Path(r.path), r.path, r.source) for r in records]
    grouped = {s.id: (s, linked) for s, linked in group_series(files, records)}
    assert set(grouped) == {SERIES, "albertslund-kommune-kultur-og-fritid"}
    series, linked = grouped[SERIES]
    assert [r.path for r in linked] == ["in/a.pdf", "in/b.pdf"]
    assert {e.path: e.reason.split(" (")[0] for e in series.excluded} == {
        "in/c.txt": "same period",
        "in/f.pdf": "no period found in it",
    }
    assert records[4].series is None  # nothing to group it by

    mapped = group_series(files, records, [("e.*", "Albertslund Kommune Økonomi og Stab")])
    series, linked = next((s, lk) for s, lk in mapped if s.id == SERIES)
    assert series.grouped_by == "series_map"
    assert series.name == "Albertslund Kommune Økonomi og Stab"


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_series_map_files(tmp_path, suffix):
    path = tmp_path / f"map{suffix}"
    if suffix == ".toml":
        path.write_text('"2015/*.pdf" = "A"\n"plan.txt" = "B"\n', encoding="utf-8")
    else:
        path.write_text('{"2015/*.pdf": "A", "plan.txt": "B"}', encoding="utf-8")
    assert load_series_map(path) == [("2015/*.pdf", "A"), ("plan.txt", "B")]
    path.write_text("[[not a mapping", encoding="utf-8")
    with pytest.raises(batch.SeriesMapError):
        load_series_map(path)


def test_output_names_are_unique_and_stable():
    files = [
        InputFile(Path(p), p, p)
        for p in ["plan.pdf", "plan.txt", "a/Plan 2015.pdf", "b/plan-2015.pdf", "Æblegård.pdf"]
    ]
    names = output_names(files)
    assert [name.rsplit("-", 1)[0] for name in names] == [
        "plan",
        "plan",
        "plan-2015",
        "plan-2015",
        "aeblegaard",
    ]
    assert len(set(names)) == len(names)
    assert output_names(files[2:]) == names[2:]  # other inputs never change a name
    same = [InputFile(Path("x.pdf"), "x.pdf", "x.pdf")] * 3
    first = output_name(same[0])
    assert output_names(same) == [first, f"{first}-2", f"{first}-3"]


def test_rules_fingerprint_follows_the_users_rules(tmp_path):
    from maalspor.rules import use_rules_file

    ours = rules_sha256()
    extra = tmp_path / "rules.toml"
    extra.write_text('[matching]\nignore_words = ["kommunen"]\n', encoding="utf-8")
    try:
        use_rules_file(extra)
        assert rules_sha256() != ours
    finally:
        use_rules_file(None)
    assert rules_sha256() == ours


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_bar_on_a_terminal_lines_otherwise_and_quiet_on_request():
    ok = _record("in/a.pdf", "X", "Y", (2015, 2015))
    bad = InputRecord(
        path="in/b.pdf",
        source="b.pdf",
        sha256=None,
        status="failed",
        error={"kind": "empty", "message": "the file is empty"},
        seconds=0.01,
    )
    terminal = _Terminal()
    bar = progress(stream=terminal)
    assert isinstance(bar, batch.BarReporter)
    bar.start(2, 0)
    bar.finished(ok)
    bar.finished(bad)
    assert "\r" in terminal.getvalue()
    assert "[############------------] 1/2" in terminal.getvalue()
    assert "2/2  1 failed  in/b.pdf" in terminal.getvalue()
    assert "maalspor: in/b.pdf: the file is empty [empty]\n" in terminal.getvalue()

    lines = io.StringIO()
    reporter = progress(stream=lines)
    reporter.start(2, 0)
    reporter.finished(ok)
    reporter.finished(bad)
    assert lines.getvalue() == (
        "[1/2] ok     in/a.pdf (0.0 s)\n[2/2] failed in/b.pdf (0.0 s): the file is empty [empty]\n"
    )

    quiet = io.StringIO()
    assert not isinstance(progress(quiet=True, stream=_Terminal()), batch.BarReporter)
    reporter = progress(quiet=True, stream=quiet)
    reporter.start(2, 1)
    reporter.finished(ok)
    reporter.finished(bad)
    assert quiet.getvalue() == "maalspor: in/b.pdf: the file is empty [empty]\n"


def test_lang_da_names_statuses_and_fates_in_goals_csv_only(two_texts, tmp_path):
    out = tmp_path / "out"
    code, _, stderr = run_cli("batch", str(two_texts), "-o", str(out), "--lang", "da")
    assert code == 0, stderr
    rows = list(
        csv.DictReader(
            io.StringIO((out / "goals.csv").read_text(encoding="utf-8-sig")), delimiter=";"
        )
    )
    fates = {r["fate"] for r in rows}
    assert "ingen opfølgning endnu" in fates and "open" not in fates
    assert "opfyldt" in {r["status"] for r in rows}
    lineage = (out / f"lineage/{SERIES}.json").read_text(encoding="utf-8")
    assert '"fate": "open"' in lineage  # the JSON keeps its codes


def test_several_workers_start_the_largest_files_first_and_keep_the_input_index(tmp_path):
    from maalspor.batch.workers import Task, _largest_first

    sizes = {"a.pdf": 10, "b.pdf": 300, "c.pdf": 20, "d.pdf": 300}
    for name, size in sizes.items():
        (tmp_path / name).write_bytes(b"x" * size)
    tasks = [Task(str(tmp_path / name), name) for name in sizes]
    tasks.append(Task(str(tmp_path / "gone.pdf"), "gone.pdf"))  # unreadable: last
    order = [(index, task.source) for index, task in _largest_first(tasks)]
    assert order == [(1, "b.pdf"), (3, "d.pdf"), (2, "c.pdf"), (0, "a.pdf"), (4, "gone.pdf")]
