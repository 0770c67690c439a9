"""Trust the text layer (issue 25): never "no text" where there is text, never a silent loss.

One test (or a few) per class of the issue, numbered as there; every PDF is made by the tests
(`tests/oddpdfs.py`).
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from maalspor import errors, parse
from maalspor.cli import main
from maalspor.settings import ExtractSettings, Settings
from tests import badfiles, oddpdfs
from tests.conftest import SAMPLE_2015, TEXT_2015

ENGINES = ["pdfium", "pdfplumber"]


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


# --- 7. text files over a documented size ------------------------------------------------------


def test_7_a_text_file_over_the_limit_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.txt"
    line = "Mål: at alle medarbejdere kender kommunens strategi for digitalisering. " * 20
    with big.open("w", encoding="utf-8") as handle:
        for _ in range(int(10.5 * 2**20 / len(line.encode())) + 1):
            handle.write(line + "\n")
    result = invoke("parse", str(big))
    assert result.exit_code == errors.TextTooLargeError.exit_code == 7, result.output
    assert result.stderr == (
        f"maalspor: {big}: a text file of 10.5 MB, more than the limit of 10 MB; "
        "raise --max-text-mb\n"
    )
    assert errors.TextTooLargeError.kind == "too_large"


def test_7_the_limit_is_a_setting_and_an_option():
    small = Settings().replace(extract={"max_text_mb": 0.001})
    with pytest.raises(errors.TextTooLargeError):
        parse(TEXT_2015, settings=small)
    assert ExtractSettings().max_text_mb == 10.0
    assert parse(TEXT_2015, settings=Settings().replace(extract={"max_text_mb": 0})).goals
    result = invoke("parse", "--max-text-mb", "0.001", str(TEXT_2015))
    assert result.exit_code == 7 and "raise --max-text-mb" in result.stderr


# --- 8. the password hint once ------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_8_the_password_hint_is_said_once(tmp_path, engine):
    locked = badfiles.encrypted_pdf(SAMPLE_2015, tmp_path / "locked.pdf")
    result = invoke("parse", "--engine", engine, str(locked))
    assert result.exit_code == 5
    assert result.stderr == (
        f"maalspor: {locked}: the PDF is encrypted; give its password with --password\n"
    )


# --- 9. one diagnosis of a page tree without pages ---------------------------------------------


@pytest.mark.parametrize("kids", [b"[]", b"[3 0 R]"], ids=["no-kids", "kid-not-a-page"])
def test_9_a_page_tree_without_pages_is_damaged_under_both_engines(tmp_path, kids):
    path = oddpdfs.empty_page_tree(tmp_path / "empty-tree.pdf", kids)
    messages = set()
    for engine in ENGINES:
        with pytest.raises(errors.DamagedPdfError) as raised:
            parse(path, engine=engine)
        messages.add(str(raised.value))
    assert messages == {
        f"{path}: damaged PDF (no page can be found: its cross-reference table or page tree "
        "is broken)"
    }


# --- 6. a crop box away from the text ------------------------------------------------------------


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    return oddpdfs.plan_pdf(tmp_path_factory.mktemp("plan") / "plan.pdf")


@pytest.mark.parametrize("engine", ENGINES)
def test_6_text_outside_the_crop_box_is_said_to_be_outside(plan, tmp_path, engine):
    path = oddpdfs.crop_box_off_the_text(plan, tmp_path / "cropped.pdf")
    with pytest.raises(errors.NoTextLayerError) as raised:
        parse(path, engine=engine)
    assert str(raised.value) == (
        f"{path}: the text lies outside the visible page (the crop box of pages 1-3 shows "
        "none of it)"
    )


def test_6_a_page_whose_text_is_outside_its_crop_box_is_a_warning(plan, tmp_path):
    path = oddpdfs.crop_box_off_the_text(plan, tmp_path / "cropped.pdf", pages={2})
    warnings = parse(path).warnings
    assert "pages whose text lies outside the visible page (crop box): 2" in warnings
    assert not any(w.startswith("pages without text") for w in warnings)


# --- 1. text that runs sideways ----------------------------------------------------------------

TURNED = "pages whose text runs sideways or upside down, read turned so that it runs left to right"


@pytest.fixture(scope="module")
def reference(plan):
    return parse(plan, engine="pdfplumber")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("how", ["rotate-90", "rotate-270", "rotate-180", "drawn"])
def test_1_sideways_text_is_read_turned(plan, reference, tmp_path, engine, how):
    if how == "drawn":
        path = oddpdfs.rotated_by_drawing(plan, tmp_path / "drawn.pdf")
    else:
        degrees = int(how.split("-")[1])
        path = oddpdfs.rotated_by_page(plan, tmp_path / f"{how}.pdf", degrees)
    read = parse(path, engine=engine)
    assert [g.model_dump() for g in read.goals] == [g.model_dump() for g in reference.goals]
    assert f"{TURNED}: 1-3" in read.warnings


def test_1_the_engines_agree_on_turned_pages(plan, tmp_path):
    import json

    from maalspor.outputs.emit import to_json
    from tests.jsondiff import json_differences

    path = oddpdfs.rotated_by_drawing(plan, tmp_path / "drawn.pdf")
    pdfium, plumber = (json.loads(to_json(parse(path, engine=e))) for e in ENGINES)
    assert not json_differences(pdfium, plumber, box_tolerance=0.5)


# --- 2. content in forms nested deeper than PDFium reads ---------------------------------------


@pytest.mark.parametrize("depth", [41, 50])
def test_2_text_nested_deeper_than_pdfium_reads_is_read_by_pdfminer(
    plan, reference, tmp_path, depth
):
    path = oddpdfs.nested_forms(plan, tmp_path / "nested.pdf", depth)
    read = parse(path)  # pdfium, the default
    assert [g.model_dump() for g in read.goals] == [g.model_dump() for g in reference.goals]
    assert (
        "pages whose text is nested in forms deeper than PDFium reads, read with pdfminer: 1-3"
        in read.warnings
    )
    assert [g.text for g in parse(path, engine="pdfplumber").goals] == [
        g.text for g in reference.goals
    ]


def test_2_forms_nested_beyond_both_engines_are_said_to_be_too_deep(plan, tmp_path):
    path = oddpdfs.nested_forms(plan, tmp_path / "nested.pdf", 400)  # past Python's recursion
    with pytest.raises(errors.NoTextLayerError, match="the text is nested too deep to be read"):
        parse(path)
    with pytest.raises(errors.DamagedPdfError, match="pages 1-3 cannot be read"):
        parse(path, engine="pdfplumber")


# --- 3. fonts without a usable Unicode mapping -------------------------------------------------

GARBLED = (
    "pages with characters that cannot be decoded (control or private-use code points, glyph "
    "codes, in place of letters)"
)


@pytest.fixture(scope="module")
def lines():
    return oddpdfs.plan_lines(TEXT_2015)


def test_3_invented_glyph_names_cannot_be_decoded_never_no_text(lines, tmp_path):
    encoding = oddpdfs.invented_names_encoding(lines)
    path = oddpdfs.truetype_plan(tmp_path / "invented.pdf", lines, encoding=encoding)
    for engine in ENGINES:  # pdfminer read the base encoding's letters for them: "%" for 37
        with pytest.raises(errors.NoTextLayerError) as raised:
            parse(path, engine=engine, ocr="never")
        assert "the text layer cannot be decoded" in str(raised.value)
    # Under --ocr auto the pages are read by OCR (their glyphs are drawn as boxes here: the font
    # has no glyphs of those names, so OCR finds no goals, but it is asked).
    read = parse(path)
    assert any(w.startswith("pages read by OCR: 1-2") for w in read.warnings)


@pytest.fixture(scope="module")
def subset_without_map(tmp_path_factory):
    folder = tmp_path_factory.mktemp("subset")
    plan = oddpdfs.plan_pdf(folder / "vera.pdf", layout="two_columns")  # Vera subsets
    return plan, oddpdfs.without_to_unicode(plan, folder / "no-tounicode.pdf")


@pytest.mark.parametrize("engine", ENGINES)
def test_3_a_subset_without_its_unicode_map_is_a_warning_not_silent(subset_without_map, engine):
    _, path = subset_without_map
    read = parse(path, engine=engine, ocr="never")
    assert f"{GARBLED}: 1-3" in read.warnings
    assert not any("\x01" in g.text or "\x02" in g.text for g in read.goals)


def test_3_a_subset_without_its_unicode_map_is_read_by_ocr(subset_without_map):
    plan, path = subset_without_map
    read = parse(path)  # --ocr auto
    assert f"{GARBLED}: 1-3" in read.warnings
    assert any(w.startswith("pages read by OCR: 1-3") for w in read.warnings)
    assert len(read.goals) == len(parse(plan).goals) == 8
    assert any("Mål" in g.text or "ø" in g.text or "å" in g.text for g in read.goals)


# --- 5. characters PDFium flags as unmapped whose Unicode it does give ---------------------------


def test_5_unmapped_characters_with_a_letter_keep_it(lines, tmp_path):
    # Vera as a nonsymbolic TrueType without /Encoding: PDFium reads it by the standard
    # encoding, which has no "å", "æ" or "–" (0x96), flags those unmapped and gives their codes,
    # which are the letters (and no text for 0x96, where pdfminer reads "–").
    text = [line.replace("ø", "oe") for line in lines]  # 0xF8 is "ł" in the standard encoding
    path = oddpdfs.truetype_plan(tmp_path / "flagged.pdf", text)
    pdfium, plumber = parse(path), parse(path, engine="pdfplumber")
    assert pdfium.warnings == plumber.warnings == []  # no page read by OCR, nothing undecodable
    assert len(pdfium.goals) == 6
    assert [g.model_dump() for g in pdfium.goals] == [g.model_dump() for g in plumber.goals]
    assert "kontantloese – og" in pdfium.goals[3].text


# --- the benchmarks of issue 25 run on tiny inputs ----------------------------------------------


def test_the_fuzz_benchmark_is_seeded_and_runs():
    fuzz = pytest.importorskip("benchmarks.fuzz_bench")
    first = [(m, data) for m, data in fuzz.mutants(6, seed=3)]
    assert first == fuzz.mutants(6, seed=3)  # the same mutants every run
    assert {m.operation for m, _ in fuzz.mutants(30, seed=3)} == set(fuzz.OPERATIONS)
    results = fuzz.run(4, seed=3, timeout=120, jobs=1)
    assert len(results["rows"]) == 4 and sum(results["exit_codes"].values()) == 4
    assert results["tracebacks"] == results["hangs"] == 0
    for row in results["rows"]:
        assert row["flagged"] == (row["labels_in_place"] and row["goals"] < row["goals_before"] - 1)
        assert row["labels_survive"] or not row["labels_in_place"]


def test_the_fuzz_benchmark_tells_labels_in_place_from_labels_drawn_again(tmp_path):
    """Mutant 246: 7 bytes overwritten in page 4's compressed stream; the inflater's
    back-references draw the page's first labels again, so as many labels as before stand in
    its text, but the last two goals' labels (and text) are gone from their places."""
    fuzz = pytest.importorskip("benchmarks.fuzz_bench")
    mutant, data = fuzz.mutants(247, seed=25)[246]
    assert (mutant.operation, mutant.at, mutant.length) == ("overwrite", 4322, 7)
    original = fuzz.label_survey(str(fuzz.ROOT / "samples" / mutant.sample))
    path = tmp_path / "mutant.pdf"
    path.write_bytes(data)
    survey = fuzz.label_survey(str(path))
    assert survey["counts"] == original["counts"]
    assert not fuzz.labels_in_place(survey["places"], original["places"])
    assert fuzz.labels_in_place(original["places"], original["places"])


def test_the_peer_benchmark_finds_a_false_no_text(tmp_path, plan):
    peer = pytest.importorskip("benchmarks.peer_bench")
    folder = tmp_path / "peer"
    folder.mkdir()
    oddpdfs.crop_box_off_the_text(plan, folder / "cropped.pdf")
    (folder / "plan.pdf").write_bytes(plan.read_bytes())
    results = peer.run(folder, timeout=120, jobs=1)
    rows = {r["file"]: r for r in results["rows"]}
    assert rows["plan.pdf"]["exit_code"] == 0 and rows["plan.pdf"]["goals"] == 8
    assert rows["cropped.pdf"]["exit_code"] == 6 and not rows["cropped.pdf"]["false_no_text"]
    assert rows["cropped.pdf"]["characters"]["pages_with_chars"] == 3
    assert results["false_no_text"] == []


# --- 4. a damaged /Widths ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "damage", ["space-width-0", "first-char-64"], ids=["widths-entry", "widths-shifted"]
)
def test_4_a_damaged_widths_array_does_not_scramble_words(lines, tmp_path, damage):
    # A space of no width shares the next letter's origin (PDFium reported it merged with the
    # letter, as a ligature, and the letter was lost with the space); /Widths read from code
    # 64 on gives pdfminer's widths to the wrong codes, and the space none.
    widths = {32: 0} if damage == "space-width-0" else None
    path = oddpdfs.truetype_plan(
        tmp_path / "widths.pdf", lines, encoding=b"/Encoding /WinAnsiEncoding", widths=widths
    )
    if damage == "first-char-64":
        path.write_bytes(path.read_bytes().replace(b"/FirstChar 32", b"/FirstChar 64", 1))
    pdfium, plumber = parse(path, ocr="never"), parse(path, engine="pdfplumber", ocr="never")
    assert len(pdfium.goals) == len(plumber.goals) == 6
    assert pdfium.goals[0].text.startswith("Vi vil medvirke til at udvikle en effektiv")
    if damage == "space-width-0":
        assert [g.text for g in pdfium.goals] == [g.text for g in plumber.goals]


def test_4_widths_far_narrower_than_the_glyphs_drawn_do_not_split_words(tmp_path):
    # A chunk duplicated inside the 2016-2017 sample makes pdfminer read another object as the
    # bold font (its widths a fraction of Carlito-Bold's), while PDFium reads the right one:
    # the bold headings and labels fell apart letter by letter ("E n p a r t n e r").
    from tests.conftest import SAMPLE_2016

    data = SAMPLE_2016.read_bytes()
    at, source, length = 73496, 91193, 3967  # mutant 951 of benchmarks/fuzz_bench.py
    mutant = tmp_path / "duplicated.pdf"
    mutant.write_bytes(data[:at] + data[source : source + length] + data[at:])
    read = parse(mutant, ocr="never")
    assert len(read.goals) >= len(parse(SAMPLE_2016, ocr="never").goals) - 1


def test_6_a_media_box_that_is_no_box_shows_the_page_in_pdfium_s_box(plan, tmp_path):
    # Fuzz mutant 544: bytes overwritten in a page's /MediaBox make it no numbers; PDFium draws
    # the page in US Letter, and the page's text is read there, not called outside the page.
    data = plan.read_bytes()
    box = b"/MediaBox [ 0 0 595.2756 841.8898 ]"
    assert data.count(box) == 3
    damaged = data.replace(box, b"/MediaBox [ 0 /hZk?0.2756 841.8898 ]", 1)
    path = tmp_path / "mediabox.pdf"
    path.write_bytes(damaged)
    read = parse(path, ocr="never")
    assert len(read.goals) == 8 and not any("outside" in w for w in read.warnings)


@pytest.mark.parametrize("engine", ENGINES)
def test_6_a_media_box_inherited_from_the_page_tree_is_the_page_s(tmp_path, engine):
    # py-pdf/sample-files 020-xmp: PyMuPDF puts /MediaBox on /Pages; PDFium's own box of the
    # page inherits it, and the text near the top of the A4 page is on the page.
    from maalspor.extract import extract

    path = oddpdfs.inherited_media_box(tmp_path / "inherited.pdf")
    text = extract(path, engine=engine, ocr="never")
    assert text.pages[0].height == pytest.approx(841.89, abs=0.01)
    lines = [line.text for block in text.pages[0].blocks for line in block.lines]
    assert lines == ["Mål: Alle borgere skal have digital post."]


def test_3_undecodable_text_that_ocr_reads_nothing_on_is_still_undecodable(tmp_path):
    # Before: OCR read the blank page, found nothing, and the PDF "contains no text".
    path = oddpdfs.unembedded_invented_names(tmp_path / "invented.pdf")
    with pytest.raises(errors.NoTextLayerError) as raised:
        parse(path)
    assert str(raised.value) == (
        f"{path}: the text layer cannot be decoded (fonts without Unicode mapping), and OCR "
        "read nothing on page 1"
    )
