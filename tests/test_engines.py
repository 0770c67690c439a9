"""The two PDF engines (pipeline/extract/engines) against each other, and what only PDFium can read.

Every PDF the tests know (the sample goldens, the generated layout corpus, the office-made
fixtures) must give the same JSON under `pdfium` and `pdfplumber`, except that boxes may differ
by up to BOX_TOLERANCE points: PDFium computes in single precision, pdfminer in double, so a
coordinate can land on the other side of a rounding step (0.01 pt in the JSON).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from maalspor import errors, parse
from maalspor.extract.engines import open_pdf, read_page_content
from maalspor.outputs.emit import to_json
from tests import layouts as L
from tests.conftest import SAMPLE_2015, SAMPLE_2016
from tests.jsondiff import ROUNDING_STEP, json_differences
from tests.repack import object_stream_pdf
from tests.test_layouts import CASES, IDS

BOX_TOLERANCE = 0.5
OFFICE = sorted((Path(__file__).parent / "fixtures" / "office").glob("*.pdf"))


def _json(path: Path, engine: str) -> dict:
    return json.loads(to_json(parse(path, engine=engine)))


def _assert_same(path: Path) -> None:
    pdfium, plumber = _json(path, "pdfium"), _json(path, "pdfplumber")
    differences = json_differences(pdfium, plumber, box_tolerance=BOX_TOLERANCE)
    assert not differences, f"{path.name}: " + "; ".join(differences[:10])


@pytest.mark.parametrize("path", [SAMPLE_2015, SAMPLE_2016, *OFFICE], ids=lambda p: p.name)
def test_engines_agree_on_real_pdfs(path: Path):
    _assert_same(path)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("engine-layouts")
    return {
        case_id: L.render(layout, spec, root / f"{case_id}.pdf", **options)
        for case_id, (layout, spec, options) in zip(IDS, CASES, strict=True)
    }


@pytest.mark.parametrize("case_id", IDS)
def test_engines_agree_on_the_layout_corpus(corpus, case_id: str):
    _assert_same(corpus[case_id])


@pytest.mark.parametrize("sample", [SAMPLE_2015, SAMPLE_2016], ids=lambda p: p.name)
def test_the_sample_boxes_are_the_same_to_a_rounding_step(sample: Path):
    """The goldens were made with pdfplumber; pdfium reproduces them, its boxes at most one
    rounding step (0.01 pt) off, where single precision lands on the other side of a tie
    (481.635 → 481.63 against pdfminer's 481.63500000000005 → 481.64)."""
    pdfium, plumber = _json(sample, "pdfium"), _json(sample, "pdfplumber")
    assert not json_differences(pdfium, plumber, box_tolerance=ROUNDING_STEP)


def _shifted_xref(sample: Path, target: Path, shift: int = 7) -> Path:
    """The sample with `shift` bytes inserted after its header line: `startxref` is set to find
    the cross-reference table again, but the table's entries are left as they were, so every
    object's offset is `shift` bytes short (what careless editing tools leave)."""
    data = sample.read_bytes()
    header_end = data.index(b"\n") + 1
    pad = b"%" + b" " * (shift - 2) + b"\n"
    data = data[:header_end] + pad + data[header_end:]
    start = list(re.finditer(rb"startxref\s+(\d+)", data))[-1]
    moved = str(int(start.group(1)) + len(pad)).encode()
    target.write_bytes(data[: start.start(1)] + moved + data[start.end(1) :])
    return target


@pytest.mark.parametrize("shift", [3, 7, 12])
def test_pdfium_recovers_shifted_cross_reference_offsets(tmp_path, shift):
    damaged = _shifted_xref(SAMPLE_2015, tmp_path / "shifted.pdf", shift)
    with pytest.raises(errors.DamagedPdfError, match="no page can be found"):
        parse(damaged, engine="pdfplumber")  # pdfminer finds no object where it looks
    plan = parse(damaged, engine="pdfium")
    reference = parse(SAMPLE_2015, engine="pdfium")
    assert len(plan.goals) == 28
    assert [g.model_dump() for g in plan.goals] == [g.model_dump() for g in reference.goals]


def test_page_count_is_read_before_any_page(tmp_path):
    for engine in ("pdfium", "pdfplumber"):
        with pytest.raises(errors.TooManyPagesError):
            parse(SAMPLE_2016, engine=engine, max_pages=5)


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_encrypted_and_wrong_password_are_the_same_errors(tmp_path, engine):
    path = L.render_encrypted(L.ROSKILDE, tmp_path / "locked.pdf", "hemmelig")
    with pytest.raises(errors.EncryptedPdfError):
        parse(path, engine=engine)
    with pytest.raises(errors.WrongPasswordError):
        parse(path, engine=engine, password="forkert")
    assert parse(path, engine=engine, password="hemmelig").goals


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_damaged_and_not_a_pdf_are_the_same_errors(tmp_path, engine):
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7\n" + b"\x00\x17 not a PDF body " * 40)
    with pytest.raises(errors.DamagedPdfError):
        parse(garbage, engine=engine)
    not_pdf = L.not_a_pdf(tmp_path / "word.pdf")
    with pytest.raises(errors.NotAPdfError):
        parse(not_pdf, engine=engine)


def _cropped(sample: Path, target: Path) -> Path:
    """The sample's fourth page with a crop box inside its media box."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import RectangleObject

    reader = PdfReader(str(sample))
    writer = PdfWriter()
    page = writer.add_page(reader.pages[3])
    page.cropbox = RectangleObject((40, 60, 560, 800))
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def test_engines_read_a_cropped_page_alike(tmp_path):
    """Coordinates are on the crop box (what a viewer shows) under both engines. Rotated pages
    are in the layout corpus (landscape_three_columns, rotate=True)."""
    path = _cropped(SAMPLE_2016, tmp_path / "cropped.pdf")
    pdfium, plumber = open_pdf(path, None, "pdfium"), open_pdf(path, None, "pdfplumber")
    try:
        a, b = read_page_content(pdfium, 0), read_page_content(plumber, 0)
    finally:
        pdfium.close()
        plumber.close()
    assert math.isclose(a.width, 520, abs_tol=0.01) and math.isclose(b.width, 520, abs_tol=0.01)
    assert math.isclose(a.height, 740, abs_tol=0.01) and math.isclose(b.height, 740, abs_tol=0.01)
    assert len(a.words) == len(b.words) > 100
    for x, y in zip(sorted(a.words, key=_key), sorted(b.words, key=_key), strict=True):
        assert x.text == y.text
    _assert_boxes_close(sorted(a.words, key=_key), sorted(b.words, key=_key), BOX_TOLERANCE)
    assert min(w.x0 for w in a.words) < 40  # the text's left margin (71 pt) less the 40 pt cut


def _key(word):
    return (round(word.top), round(word.x0), word.text)


def _box(word) -> tuple[float, float, float, float]:
    return (word.x0, word.top, word.x1, word.bottom)


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_one_bad_page_is_a_warning_and_memory_is_an_error(monkeypatch, engine):
    """A page the engine cannot read is a page warning, the rest parsed; running out of memory
    is never a page warning but the document's error."""
    import maalspor.extract.engines as engines

    original = engines.read_page_content

    def failing_on(index_to_fail: int, error: BaseException):
        def read(source, index):
            if index == index_to_fail:
                raise error
            return original(source, index)

        return read

    monkeypatch.setattr(
        "maalspor.extract.reader.read_page_content", failing_on(5, ValueError("broken content"))
    )
    plan = parse(SAMPLE_2016, engine=engine)
    assert "page 6: unreadable (ValueError)" in plan.warnings
    assert len(plan.goals) > 20
    monkeypatch.setattr("maalspor.extract.reader.read_page_content", failing_on(5, MemoryError()))
    with pytest.raises(errors.OutOfMemoryError):
        parse(SAMPLE_2016, engine=engine)


def _scaled_and_white(target: Path) -> Path:
    """Text sized by the matrix (Tf 1 in a 12 pt Tm; a 2× cm), white text on white (hidden),
    white text on a blue fill (a table header's) and on an image (a cover photo)."""
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(target))
    canvas.setFont("Helvetica", 10)
    canvas.drawString(50, 700, "Almindelig tekst")
    canvas.saveState()
    canvas.transform(2, 0, 0, 2, 0, 0)
    canvas.setFont("Times-Bold", 10)
    canvas.drawString(30, 300, "Skaleret tekst")
    canvas.restoreState()
    canvas.setFont("Helvetica", 1)
    canvas.drawString(0, 0, "")  # registers the font as F1 for the raw text below
    canvas._code.append("BT /F1 1 Tf 12 0 0 12 50 400 Tm (Matrixens tekst) Tj ET")
    canvas.setFont("Helvetica", 10)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.drawString(50, 200, "Skjult hvid tekst")
    canvas.setFillColorRGB(0.1, 0.2, 0.6)
    canvas.rect(40, 150, 200, 30, fill=1, stroke=0)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.drawString(50, 160, "Hvid på blå")
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    canvas.drawImage(ImageReader(Image.new("RGB", (20, 10), (30, 60, 40))), 300, 100, 200, 100)
    canvas.drawString(320, 140, "Hvid på foto")
    canvas.save()
    return target


def _words_alike(path: Path) -> tuple[dict[str, list], list[str]]:
    """The first page's words under each engine, whose texts must be the same, and the texts."""
    read = {}
    for engine in ("pdfium", "pdfplumber"):
        source = open_pdf(path, None, engine)
        try:
            read[engine] = read_page_content(source, 0).words
        finally:
            source.close()
    texts = [w.text for w in read["pdfium"]]
    assert texts == [w.text for w in read["pdfplumber"]]
    return read, texts


def _assert_boxes_close(words: list, others: list, tolerance: float) -> None:
    for x, y in zip(words, others, strict=True):
        assert all(
            math.isclose(p, q, abs_tol=tolerance) for p, q in zip(_box(x), _box(y), strict=True)
        ), (x, y)


def test_matrix_sizes_and_white_text_alike(tmp_path):
    read, texts = _words_alike(_scaled_and_white(tmp_path / "scaled.pdf"))
    assert "Skjult" not in texts and "blå" in texts and "foto" in texts
    sizes = {w.text: w.size for w in read["pdfium"]}
    assert (sizes["Skaleret"], sizes["Matrixens"], sizes["Almindelig"]) == (20, 12, 10)
    _assert_boxes_close(read["pdfium"], read["pdfplumber"], BOX_TOLERANCE)


def test_text_and_rulings_inside_a_form_xobject_alike(tmp_path):
    """A form XObject (a letterhead, a stamped box) placed scaled: its text and its lines."""
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "form.pdf"
    canvas = Canvas(str(path))
    canvas.beginForm("boks")
    canvas.setFont("Helvetica", 10)
    canvas.drawString(10, 10, "Tekst i en formular")
    canvas.line(0, 0, 200, 0)
    canvas.rect(0, 0, 200, 30)
    canvas.endForm()
    canvas.saveState()
    canvas.translate(100, 400)
    canvas.scale(1.5, 1.5)
    canvas.doForm("boks")
    canvas.restoreState()
    canvas.save()
    read = {}
    for engine in ("pdfium", "pdfplumber"):
        source = open_pdf(path, None, engine)
        try:
            read[engine] = read_page_content(source, 0)
        finally:
            source.close()
    a, b = read["pdfium"], read["pdfplumber"]
    assert (
        [w.text for w in a.words] == [w.text for w in b.words] == ["Tekst", "i", "en", "formular"]
    )
    assert all(w.size == 15 for w in a.words)
    _assert_boxes_close(a.words, b.words, 0.05)

    def rulings(content):
        return sorted(
            (round(r.x0, 2), round(r.top, 2), round(r.x1, 2), round(r.bottom, 2))
            for r in content.rulings
        )

    assert rulings(a) == rulings(b) and len(rulings(a)) == 5


def _spacing_and_kerning(target: Path) -> Path:
    """Words that the pdfium engine may read at once (see `words.Char`) beside every way a
    word's characters can leave where their widths put them."""
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(target), pagesize=(300, 400))
    canvas.setFont("Helvetica", 10)
    canvas.drawString(0, 0, "")  # registers the font as F1 for the raw text below
    lines = [
        "(Almindelige ord i en linje) Tj",
        "[(Kerne) 30 (ord) -20 (et er) 40 ( et)] TJ",  # kerned by tenths of a point: one word
        "[(Del) -400 (te ord)] TJ",  # 4 pt apart: two words
        "[(Bag) 900 (l\\346ns)] TJ",  # back over the last letter: one word, as the letters
        "2 Tc (Spredte bogstaver) Tj",  # letters 2 pt apart: one word
        "4 Tc (Vidt spredte) Tj",  # 4 pt apart: letters
        "12 Tw (Ord med luft imellem) Tj",
        "110 Tz (Strakt tekst) Tj",
        "3 Ts (H\\370jt) Tj 0 Ts (og lavt) Tj",
        "(Ud over kanten) Tj",  # cut by the page's right edge
        "(Kanten til venstre) Tj",  # and by its left one
    ]
    starts = [20] * (len(lines) - 2) + [250, -20]
    canvas._code.extend(
        f"BT /F1 10 Tf 0 Tc 0 Tw 100 Tz {x} {360 - 20 * n} Td {line} ET"
        for n, (x, line) in enumerate(zip(starts, lines, strict=True))
    )
    canvas.save()
    return target


def test_words_read_at_once_are_split_as_their_characters(tmp_path):
    path = _spacing_and_kerning(tmp_path / "spacing.pdf")
    read, texts = _words_alike(path)
    assert {"Kerneordet", "Del", "Spredte", "imellem", "Højtog", "Ud", "over"} <= set(texts)
    assert texts.count("V") == 1 and "Kanten" not in texts and "venstre" in texts
    # The engine read plain words at once, and the others a character at a time.
    from maalspor.extract.engines.pdfium import PdfiumDocument

    document = PdfiumDocument(path, None)
    try:
        runs = {c[0] for c in document.read_page(0).chars}
    finally:
        document.close()
    assert {"Almindelige ", "Kerneordet ", "Ud "} <= runs
    assert "Strakt " in runs  # scaled by Tz, read at once with the scaled widths
    assert not runs & {"Del", "Spredte ", "Vidt ", "kanten", "Kanten "}
    # Text scaled by Tz ("Strakt tekst") too: its glyphs advance by the scaled widths.
    _assert_boxes_close(read["pdfium"], read["pdfplumber"], 0.01)


def test_a_plan_packed_in_object_streams_reads_alike(tmp_path):
    """Word and Acrobat pack page and font dictionaries into object streams: both engines read
    such a plan as the one its writer left plain."""
    packed = object_stream_pdf(SAMPLE_2016, tmp_path / "packed.pdf")
    assert b"/ObjStm" in packed.read_bytes()
    pdfium, plumber = _json(packed, "pdfium"), _json(packed, "pdfplumber")
    assert not json_differences(pdfium, plumber, box_tolerance=BOX_TOLERANCE)
    plain = _json(SAMPLE_2016, "pdfium")
    assert [g["text"] for g in pdfium["goals"]] == [g["text"] for g in plain["goals"]]


def test_font_metrics_parse_each_object_stream_once(tmp_path, monkeypatch):
    """Without pdfminer's object cache (memory), each object read from an object stream used to
    parse the whole stream again: seconds per hundred pages on a Word-made plan."""
    from pdfminer.pdfdocument import PDFDocument

    from maalspor.extract.engines.descents import DescriptorDescents

    packed = object_stream_pdf(SAMPLE_2016, tmp_path / "packed.pdf", per_stream=10)
    streams = packed.read_bytes().count(b"/Type /ObjStm")
    parsed = []
    original = PDFDocument._get_objects

    def counting(self, stream):
        parsed.append(stream.objid)
        return original(self, stream)

    monkeypatch.setattr(PDFDocument, "_get_objects", counting)
    descents = DescriptorDescents(packed, None)
    try:
        names = set()
        for index in range(23):
            names |= {n for n in ("Carlito", "Carlito-Bold") if descents.metrics(index, n)}
    finally:
        descents.close()
    assert names == {"Carlito", "Carlito-Bold"}
    assert len(parsed) <= streams, (len(parsed), streams)
