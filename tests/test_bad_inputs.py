"""`maalspor parse` on bad inputs: one line on stderr, a documented exit code, no traceback.

Each bad file is made from a sample plan by `tests/badfiles.py`. With `--debug` the error is
raised instead (the traceback shows); one test runs the real console script to see the text.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from maalspor import errors
from maalspor.cli import main
from tests import badfiles
from tests.conftest import SAMPLE_2015, SAMPLE_2016


@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bad")
    return {
        "encrypted": badfiles.encrypted_pdf(SAMPLE_2015, folder / "encrypted.pdf"),
        "scan": badfiles.scanned_pdf(SAMPLE_2015, folder / "scan.pdf"),
        "truncated": badfiles.truncated_pdf(SAMPLE_2016, folder / "truncated.pdf"),
        "truncated_tail": badfiles.truncated_pdf(SAMPLE_2015, folder / "tail.pdf", keep=0.99),
        "empty": badfiles.empty_file(folder / "empty.pdf"),
        "webpage": badfiles.text_named_pdf(folder / "webpage.pdf"),
        "prose": badfiles.prose_pdf(folder / "newsletter.pdf"),
        "corrupted": badfiles.corrupted_pdf(SAMPLE_2015, folder / "corrupted.pdf"),
    }


# bad file → (exit code, error class, words the message must hold)
CASES = {
    "encrypted": (5, errors.EncryptedPdfError, "--password"),
    "scan": (6, errors.NoTextLayerError, "OCR"),
    "truncated": (4, errors.DamagedPdfError, "damaged PDF"),
    "truncated_tail": (4, errors.DamagedPdfError, "damaged PDF"),
    "empty": (4, errors.EmptyFileError, "empty"),
    "webpage": (4, errors.NotAPdfError, "not a PDF"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_one_line_and_a_documented_exit_code(bad, name):
    code, error_class, words = CASES[name]
    # A scan is read by OCR unless --ocr never (tests/test_ocr.py); here it stands for the error.
    options = ["--ocr", "never"] if name == "scan" else []
    result = CliRunner().invoke(main, ["parse", str(bad[name]), *options])
    assert result.exit_code == code == error_class.exit_code
    assert code in errors.EXIT_CODES
    assert result.stdout == ""
    assert result.stderr.startswith(f"maalspor: {bad[name]}: ")
    assert result.stderr.count("\n") == 1 and words in result.stderr
    assert "Traceback" not in result.output

    debug = CliRunner().invoke(main, ["--debug", "parse", str(bad[name]), *options])
    assert isinstance(debug.exception, error_class)  # raised, so Python prints the traceback


def test_corrupted_object_is_reported_as_damaged(bad):
    result = CliRunner().invoke(main, ["parse", "--engine", "pdfplumber", str(bad["corrupted"])])
    assert result.exit_code == 4, result.exception
    assert "damaged PDF" in result.stderr


def test_corrupted_object_is_repaired_by_pdfium(bad):
    """PDFium reads past the broken stream: the page that held it is said to have no text."""
    result = CliRunner().invoke(main, ["parse", "--engine", "pdfium", str(bad["corrupted"])])
    assert result.exit_code == 0, result.exception
    assert "warning" in result.stderr and "pages without text: 1" in result.stderr
    assert json.loads(result.stdout)["goals"]


def test_encrypted_pdf_opens_with_its_password(bad):
    result = CliRunner().invoke(
        main, ["parse", str(bad["encrypted"]), "--password", badfiles.PASSWORD]
    )
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)["goals"]) == 28
    wrong = CliRunner().invoke(main, ["parse", str(bad["encrypted"]), "--password", "forkert"])
    assert wrong.exit_code == errors.WrongPasswordError.exit_code == 5
    assert wrong.stderr == f"maalspor: {bad['encrypted']}: the password is wrong\n"


def test_too_many_pages():
    result = CliRunner().invoke(main, ["parse", str(SAMPLE_2015), "--max-pages", "3"])
    assert result.exit_code == 7
    assert result.stderr == (
        f"maalspor: {SAMPLE_2015}: 10 pages, more than the limit of 3; raise --max-pages\n"
    )


def test_pdf_without_goals_is_a_warning_and_empty_lists(bad):
    result = CliRunner().invoke(main, ["parse", str(bad["prose"])])
    assert result.exit_code == 0
    assert result.stderr.startswith(f"maalspor: warning: {bad['prose']}: no goals found")
    document = json.loads(result.stdout)
    assert document["goals"] == [] and document["follow_ups"] == []


def test_console_shows_a_traceback_only_with_debug(bad):
    command = [sys.executable, "-m", "maalspor"]
    plain = subprocess.run([*command, "parse", str(bad["empty"])], capture_output=True, text=True)
    assert plain.returncode == 4
    assert plain.stderr == f"maalspor: {bad['empty']}: the file is empty\n"
    debug = subprocess.run(
        [*command, "--debug", "parse", str(bad["empty"])], capture_output=True, text=True
    )
    assert debug.returncode == 1
    assert "Traceback" in debug.stderr and "EmptyFileError" in debug.stderr
