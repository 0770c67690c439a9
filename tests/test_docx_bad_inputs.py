"""Word files that cannot be read as they are: one line on stderr and a documented exit code
(a damaged zip, a zip bomb, an XML bomb, a password, a Word 97-2003 .doc), and a Word plan
given to `parse` on standard input and to `batch` beside its PDF."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import maalspor
from maalspor import errors
from maalspor.cli import main
from maalspor.models.manifest import Manifest
from tests import docxfiles as D

PASSWORD = "hemmelig"
PLAN = D.cover() + D.p("1. Biblioteker", style="Heading1") + D.labelled("Mål:", "Flere læser.")
VEJLE = Path(__file__).parent / "fixtures" / "office" / "job-og-uddannelse-vejle-2023"


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _with_part(name: str, data: bytes) -> bytes:
    """The test plan with one part replaced."""
    with zipfile.ZipFile(io.BytesIO(D.document(PLAN))) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts[name] = data
    return _zip(parts)


def _encrypted(password: str = PASSWORD) -> bytes:
    """The Vejle plan with a password (ECMA-376 agile encryption, as Word 2010+ writes it).
    msoffcrypto-tool's own encryption of a package under 4 KB cannot be decrypted: a plan
    that size is no real Word document anyway."""
    from msoffcrypto.format.ooxml import OOXMLFile

    output = io.BytesIO()
    OOXMLFile(io.BytesIO(VEJLE.with_suffix(".docx").read_bytes())).encrypt(password, output)
    return output.getvalue()


@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bad-docx")
    good = D.document(PLAN)
    bomb = b"<w:document/>" + b" " * (65 * 1024 * 1024)  # 65 MB of one part, ~65 KB zipped
    entities = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<w:document><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
    )
    files = {
        "truncated.docx": good[: len(good) // 2],
        "spreadsheet.docx": _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"}),
        "bomb.docx": _with_part("word/document.xml", bomb),
        "entities.docx": _with_part("word/document.xml", entities),
        "encrypted.docx": _encrypted(),
        "old.doc": D.ole_file(),
        "old-named-new.docx": D.ole_file(),
        "letter.rtf": b"{\\rtf1\\ansi Virksomhedsplan}",
    }
    return {name: D.write(folder / name, data) for name, data in files.items()}


# bad file → (exit code, error class, words the message must hold)
CASES = {
    "truncated.docx": (4, errors.DamagedDocxError, "damaged Word document"),
    "spreadsheet.docx": (4, errors.NotAPdfError, "not a Word document"),
    "bomb.docx": (7, errors.StreamTooLargeError, "inflates to more than 64 MB"),
    "entities.docx": (4, errors.DamagedDocxError, "DOCTYPE"),
    "encrypted.docx": (5, errors.EncryptedDocxError, "--password"),
    "old.doc": (4, errors.LegacyWordError, "convert it to .docx or PDF"),
    "old-named-new.docx": (4, errors.LegacyWordError, "Word 97-2003"),
    "letter.rtf": (4, errors.LegacyWordError, "convert it to .docx or PDF"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_word_file_is_one_line_and_a_documented_exit_code(bad, name):
    code, error_class, words = CASES[name]
    result = CliRunner().invoke(main, ["parse", str(bad[name])])
    assert result.exit_code == code == error_class.exit_code, result.output
    assert result.stdout == ""
    assert result.stderr.startswith(f"maalspor: {bad[name]}: ")
    assert result.stderr.count("\n") == 1 and words in result.stderr
    assert "Traceback" not in result.output
    with pytest.raises(error_class) as raised:
        maalspor.parse(bad[name])
    assert raised.value.kind in {"damaged", "not_a_pdf", "too_large", "encrypted", "legacy_doc"}


def test_encrypted_word_file_opens_with_its_password(bad):
    result = CliRunner().invoke(main, ["parse", str(bad["encrypted.docx"]), "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["goals"]) == 4
    wrong = CliRunner().invoke(main, ["parse", str(bad["encrypted.docx"]), "--password", "forkert"])
    assert wrong.exit_code == 5 and "the password is wrong" in wrong.stderr
    with pytest.raises(errors.WrongPasswordError):
        maalspor.parse(bad["encrypted.docx"], password="forkert")


def test_zip_limits_are_settings(tmp_path):
    path = D.write(tmp_path / "plan.docx", D.document(PLAN))
    assert maalspor.parse(path).goals
    with pytest.raises(errors.StreamTooLargeError, match=r"\(word/.*\.xml\).*1,000 bytes"):
        maalspor.parse(path, settings={"extract": {"docx_max_part_bytes": 1000}})
    with pytest.raises(errors.StreamTooLargeError, match=r"2,000 bytes in all"):
        maalspor.parse(path, settings={"extract": {"docx_max_total_bytes": 2000}})
    with pytest.raises(errors.DamagedDocxError, match="entries"):
        maalspor.parse(path, settings={"extract": {"docx_max_entries": 3}})
    nested = D.cover()
    for _ in range(5):
        nested = D.table(D.row(D.cell(nested), D.cell(D.p("x"))))
    deep = D.write(tmp_path / "deep.docx", D.document(nested))
    assert maalspor.parse(deep)
    with pytest.raises(errors.DamagedDocxError, match="nested more than 3 deep"):
        maalspor.parse(deep, settings={"extract": {"docx_max_depth": 3}})


def test_a_zip_whose_sizes_lie_is_damaged_not_inflated(tmp_path):
    """A part whose header declares a small size but whose data inflates further: zipfile
    stops at the declared size, and the CRC says the part is broken."""
    data = bytearray(D.document(PLAN))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    small = (10).to_bytes(4, "little")
    # The declared size: at offset 22 of the part's local header, and at offset 24 of its entry
    # in the central directory (which names the part last in the file).
    data[info.header_offset + 22 : info.header_offset + 26] = small
    entry = bytes(data).rfind(b"PK\x01\x02", 0, bytes(data).rfind(b"word/document.xml"))
    data[entry + 24 : entry + 28] = small
    path = D.write(tmp_path / "liar.docx", bytes(data))
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 4 and "damaged Word document" in result.stderr


def test_a_word_plan_on_standard_input(tmp_path):
    data = (VEJLE.with_suffix(".docx")).read_bytes()
    result = CliRunner().invoke(main, ["parse", "-"], input=data)
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["source"]["path"] == "-" and len(plan["goals"]) == 4
    assert maalspor.parse(data, name="vejle.docx").source.path == "vejle.docx"


def test_batch_takes_docx_beside_pdfs_and_links_the_plan_once(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for suffix in (".pdf", ".docx"):
        shutil.copy(VEJLE.with_suffix(suffix), folder / f"vejle-2023{suffix}")
    (folder / "gammel.doc").write_bytes(D.ole_file())
    outdir = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(folder), "-o", str(outdir), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    manifest = Manifest.model_validate_json((outdir / "manifest.json").read_bytes())
    assert sorted(Path(r.path).name for r in manifest.inputs if r.status == "ok") == [
        "vejle-2023.docx",
        "vejle-2023.pdf",
    ]
    [series] = manifest.series
    assert [Path(p).name for p in series.plans] == ["vejle-2023.pdf"]
    assert [(Path(e.path).name, e.reason.split(" (")[0]) for e in series.excluded] == [
        ("vejle-2023.docx", "same period")
    ]
    [skipped] = manifest.skipped
    assert Path(skipped.path).name == "gammel.doc" and "convert it" in skipped.reason


def test_a_zip_without_package_relationships_reads_its_document_part(tmp_path):
    with zipfile.ZipFile(io.BytesIO(D.document(PLAN))) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    del parts["_rels/.rels"]
    path = D.write(tmp_path / "norels.docx", _zip(parts))
    assert [g.text for g in maalspor.parse(path).goals] == ["Flere læser."]
    del parts["word/document.xml"]
    with pytest.raises(errors.DamagedDocxError, match="no main document part"):
        maalspor.parse(D.write(tmp_path / "nodocument.docx", _zip(parts)))


def test_wrappers_nested_thousands_deep_are_refused_not_a_crash(tmp_path):
    run = D.run("Mål: Dybt.")
    nested = "<w:customXml>" * 5000 + run + "</w:customXml>" * 5000
    path = D.write(tmp_path / "deep.docx", D.document(D.cover() + f"<w:p>{nested}</w:p>"))
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 4 and "nested too deep" in result.stderr
