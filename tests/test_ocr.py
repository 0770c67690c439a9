"""OCR of scanned plans (pipeline/extract/ocr.py): scans read against the text layer they were
made from.

A scan here is what an office scanner makes of a printed plan: each page rendered at 150 dpi,
grey, stored as a JPEG and wrapped back into a PDF (no text layer). Its goals and follow-ups
must come out as the text-layer PDF's do, in two generated layouts (a ruled table, and a table
without rulings); a PDF with text pages and one scanned page must give all its goals.

These tests need Tesseract's Danish model (docs/ocr.md); without it they fail with
the install command. Each scan is OCR'd once per session (a page takes a few seconds).
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from maalspor import errors, parse
from maalspor.cli import main
from maalspor.extract.ocr import check_available, find_rulings
from maalspor.extract.ocr_words import fix_word
from maalspor.settings import OcrSettings, Settings
from tests import layouts as L
from tests.scans import scan

MIN_EXACT = 0.9
# (layout, plan): a ruled table, and a table drawn without rulings.
SCANNED = [("inline_table", L.ROSKILDE), ("borderless_table", L.VEJLE)]
# The mixed PDF: the ruled-table plan with this page (goals 1-3) scanned.
MIXED_LAYOUT, MIXED_SPEC, MIXED_PAGE = "inline_table", L.ROSKILDE, 3


@pytest.fixture(scope="session", autouse=True)
def ocr_engine():
    """Fail (not skip) without Tesseract's Danish model: CI installs it (.ci/run)."""
    try:
        check_available()
    except errors.OcrUnavailableError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def scans(tmp_path_factory) -> dict[str, tuple]:
    """layout → (text-layer plan, the scan's plan), each parsed once."""
    root = tmp_path_factory.mktemp("scans")
    result = {}
    for layout, spec in SCANNED:
        source = L.render(layout, spec, root / f"{layout}.pdf")
        scanned = scan(source, root / f"{layout}-scan.pdf")
        result[layout] = (parse(source), parse(scanned), scanned)
    return result


def _items(plan) -> list[tuple]:
    """Each goal and follow-up as everything read from it (the verdict included)."""
    goals = [(g.text, tuple(g.subgoals), g.note, tuple(g.documentation)) for g in plan.goals]
    follow_ups = [
        (f.text, tuple(f.subgoals), f.note, tuple(f.documentation), f.follow_up, f.status)
        for f in plan.follow_ups
    ]
    return goals + follow_ups


def _exact_share(expected, got) -> float:
    items, remaining = _items(expected), _items(got)
    exact = 0
    for item in items:
        if item in remaining:
            remaining.remove(item)
            exact += 1
    return exact / len(items)


@pytest.mark.parametrize("layout", [layout for layout, _ in SCANNED])
def test_scan_gives_the_text_layers_goals_and_follow_ups(scans, layout):
    text_layer, scanned, _ = scans[layout]
    assert len(scanned.goals) == len(text_layer.goals) > 0
    assert len(scanned.follow_ups) == len(text_layer.follow_ups) > 0
    assert _exact_share(text_layer, scanned) >= MIN_EXACT
    assert (scanned.title, scanned.period, scanned.follow_up_period) == (
        text_layer.title,
        text_layer.period,
        text_layer.follow_up_period,
    )


@pytest.mark.parametrize("layout", [layout for layout, _ in SCANNED])
def test_every_item_read_by_ocr_says_so(scans, layout):
    text_layer, scanned, path = scans[layout]
    pages = L.layout_info(path.with_name(f"{layout}.pdf"))["pages"]
    assert f"pages read by OCR: 1-{pages} (mean word confidence" in " ".join(scanned.warnings)
    for item in [*scanned.goals, *scanned.follow_ups]:
        assert item.ocr and 50 < item.ocr_confidence <= 100, item
        assert item.regions and all(r.ocr and r.ocr_confidence for r in item.regions), item
    for item in [*text_layer.goals, *text_layer.follow_ups]:
        assert not item.ocr and item.ocr_confidence is None
        assert not any(r.ocr or r.ocr_confidence is not None for r in item.regions)
    assert not any("OCR" in w for w in text_layer.warnings)


def test_mixed_pdf_gives_all_its_goals(tmp_path):
    source = L.render(MIXED_LAYOUT, MIXED_SPEC, tmp_path / "plan.pdf")
    mixed = scan(source, tmp_path / "mixed.pdf", pages={MIXED_PAGE})
    result = CliRunner().invoke(main, ["parse", str(mixed)])  # --ocr auto, the default
    assert result.exit_code == 0, result.stderr
    assert f"pages read by OCR: {MIXED_PAGE} (mean word confidence" in result.stderr
    plan = json.loads(result.stdout)
    text_layer = parse(source)
    assert [g["text"] for g in plan["goals"]] == [g.text for g in text_layer.goals]
    assert [f["text"] for f in plan["follow_ups"]] == [f.text for f in text_layer.follow_ups]
    for goal in plan["goals"]:
        assert goal["ocr"] == (goal["page"] == MIXED_PAGE), goal
        regions = [r for r in goal["regions"] if r["page"] == MIXED_PAGE]
        assert all(r["ocr"] and r["ocr_confidence"] > 50 for r in regions)
    assert any(g["ocr"] for g in plan["goals"]) and not all(g["ocr"] for g in plan["goals"])


def test_ocr_never_keeps_the_no_text_layer_error(scans):
    _, _, scanned = scans["borderless_table"]
    result = CliRunner().invoke(main, ["parse", str(scanned), "--ocr", "never"])
    assert result.exit_code == errors.NoTextLayerError.exit_code == 6
    assert result.stderr.count("\n") == 1 and "no text layer" in result.stderr


def test_ocr_always_reads_a_text_page_by_ocr(tmp_path):
    from pypdf import PdfReader, PdfWriter

    from maalspor.extract.reader import extract

    source = L.render("single_column", L.VEJLE, tmp_path / "plan.pdf")
    writer = PdfWriter()
    writer.add_page(PdfReader(source).pages[0])  # one page is enough
    writer.write(tmp_path / "first.pdf")
    document = extract(
        tmp_path / "first.pdf", ocr="always", settings=Settings(ocr=OcrSettings(dpi=200))
    )
    lines = [ln for p in document.pages for b in p.blocks for ln in b.lines]
    assert lines and all(ln.ocr_confidence is not None and ln.ocr_words for ln in lines)
    assert any(w.startswith("pages read by OCR: 1 ") for w in document.warnings)


def test_an_undecodable_page_is_read_by_ocr(tmp_path, monkeypatch):
    """A page whose text layer is "(cid:NN)" codes (fonts without a Unicode map) is OCR'd."""
    import maalspor.extract.reader as extract_module
    from maalspor.extract.reader import extract

    source = L.render("single_column", L.VEJLE, tmp_path / "plan.pdf")
    original = extract_module._read_page

    def garble_second_page(page, counter, *args, **options):
        page_text, words, counter, images = original(page, counter, *args, **options)
        if page.number == 2 and not page.ocr:  # the text layer's page, not its OCR
            for word in words:
                word.text = "(cid:71)(cid:72)"
        return page_text, words, counter, images

    monkeypatch.setattr(extract_module, "_read_page", garble_second_page)
    document = extract(source, settings=Settings(ocr=OcrSettings(dpi=200)))
    assert any(w.startswith("pages read by OCR: 2 ") for w in document.warnings)
    assert not any("cannot be decoded" in w for w in document.warnings)
    second = [ln for b in document.pages[1].blocks for ln in b.lines]
    assert second and all(ln.ocr_confidence is not None for ln in second)
    assert all(ln.ocr_confidence is None for b in document.pages[0].blocks for ln in b.lines)


def test_missing_engine_is_one_line_with_the_install_command(scans, monkeypatch):
    import maalspor.extract.ocr

    monkeypatch.setattr(maalspor.extract.ocr, "TESSDATA_DIRS", ())
    monkeypatch.setattr(maalspor.extract.ocr.shutil, "which", lambda _name: None)
    monkeypatch.delenv("TESSDATA_PREFIX", raising=False)
    _, _, scanned = scans["borderless_table"]
    result = CliRunner().invoke(main, ["parse", str(scanned)])
    assert result.exit_code == errors.OcrUnavailableError.exit_code == 12
    assert 9 in errors.EXIT_CODES
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert "apt-get install tesseract-ocr tesseract-ocr-dan" in result.stderr
    assert result.stdout == ""


def test_ocr_mode_is_part_of_the_batch_staleness_key(two_texts, tmp_path):
    from maalspor.batch.run import BatchOptions, run_batch

    out = tmp_path / "out"
    first = run_batch([two_texts], out, BatchOptions(ocr="auto"))
    assert first.ocr == "auto" and first.summary.ok == 2
    again = run_batch([two_texts], out, BatchOptions(ocr="auto"))
    assert again.summary.reused == 2
    other = run_batch([two_texts], out, BatchOptions(ocr="never"))
    assert other.ocr == "never" and other.summary.reused == 0


# --- rulings found in the image ---------------------------------------------------------------


def test_rulings_are_long_thin_runs_of_ink():
    import numpy as np

    ocr = OcrSettings(dpi=300)
    page = np.full((1200, 1000), 255, dtype=np.uint8)
    page[100:103, 50:950] = 40  # a table's top border, 3 px
    page[100:900, 50:52] = 60  # its left border
    page[400, 300:700] = 90  # a thin grey line with a hole
    page[400, 500] = 255
    page[600:700, 200:800] = 0  # a black picture: too thick to be a ruling
    for x in range(100, 900, 40):  # letters: short strokes
        page[1000:1040, x : x + 5] = 0
        page[1020:1024, x : x + 30] = 0
    found = sorted(find_rulings(page, ocr))
    assert found == [(50, 100, 52, 900), (50, 100, 950, 103), (300, 400, 700, 401)]


def test_a_run_through_the_letters_of_a_bold_word_is_no_ruling():
    """At 150 dpi the crossbars of a bold word ("Dokumentation") blur into one run as long as a
    short ruling; painted out, it cut the header word to "Dokum" and the column lost its
    field. Letters stand above and below such a run; a ruling, also a double one, has paper
    on at least one side."""
    import numpy as np

    ocr = OcrSettings(dpi=300)
    page = np.full((600, 1000), 255, dtype=np.uint8)
    for x in range(100, 260, 12):  # bold letters 40 px tall, 8 px strokes, one crossbar row
        page[100:140, x : x + 8] = 0
    page[120:123, 100:260] = 0  # the crossbars, 160 px (38 pt) long
    page[300:303, 100:500] = 0  # a double ruling: ink on one side of each line
    page[308:311, 100:500] = 0
    found = sorted(find_rulings(page, ocr))
    assert found == [(100, 300, 500, 303), (100, 308, 500, 311)]


def test_the_edges_of_filled_boxes_are_rulings():
    """A designed table of grey boxes with a white gap between them: to OCR the fill is paper
    and the gap no ruling, so the rows ran together; the boxes' edges are its rulings. A black
    picture's edge and text on paper give none."""
    import numpy as np

    from maalspor.extract.ocr_image import fill_edges

    ocr = OcrSettings(dpi=300)
    page = np.full((1000, 1000), 255, dtype=np.uint8)
    page[100:300, 100:500] = 225  # two rows of two boxes, 10 px apart
    page[100:300, 510:900] = 225
    page[310:420, 100:500] = 225
    page[310:420, 510:900] = 225
    page[150:180, 130:400] = 20  # text in a box
    page[600:800, 100:900] = 0  # a black picture
    page[900:930, 100:400] = 30  # a line of text on paper
    edges = fill_edges(page, ocr)
    horizontal = sorted(e for e in edges if e[2] - e[0] > e[3] - e[1])
    vertical = sorted(e for e in edges if e[2] - e[0] <= e[3] - e[1])
    tops = sorted({e[1] for e in horizontal})
    assert tops == [100, 299, 310, 419]  # each box's top and bottom, nothing below 420
    assert {(e[0], e[2]) for e in horizontal} == {(100, 500), (510, 900)}
    assert sorted({e[0] for e in vertical}) == [100, 499, 510, 899]


def test_a_scanned_landscape_table_of_filled_boxes_keeps_its_rows(tmp_path):
    """Four filled columns on landscape pages, two of them no field, the header not repeated,
    scanned at 150 dpi: its rows ran together (no rulings), a bold header word was cut by a
    false ruling, and a re-read word box Tesseract left empty lost a whole page ("pages OCR
    could not render")."""
    from tests import metamorphic as M

    style = M.Style(
        labels="grid",
        lists=True,
        frame_height=260.0,
        orientation="landscape",
        extra_columns=2,
        ruled=False,
        fill=True,
        repeat_header=False,
    )
    source = tmp_path / "landscape.pdf"
    M.render(style, source)
    scanned = scan(source, tmp_path / "landscape-scan.pdf", dpi=150, noise=True, skew=0.4, seed=0)
    plan = parse(scanned)
    assert not any("could not render" in w for w in plan.warnings)
    got, want = M.parsed(plan), M.expected(style)
    assert got["goals"] == want["goals"]
    assert set(got["follow_ups"]) == set(want["follow_ups"])


# --- ink no word covers, read again -----------------------------------------------------------


def test_missed_ink_is_text_sized_ink_that_no_word_covers():
    import numpy as np

    from maalspor.extract.ocr_image import missed_ink

    ocr = OcrSettings(dpi=300)
    ink = np.zeros((1200, 1000), dtype=bool)

    def word(x0: int, top: int, letters: int) -> tuple[int, int, int, int]:
        for i in range(letters):  # letters 30 px tall (7 pt), 14 px wide, 6 px apart
            ink[top : top + 30, x0 + 20 * i : x0 + 20 * i + 4] = True
            ink[top + 13 : top + 17, x0 + 20 * i : x0 + 20 * i + 14] = True
        return x0, top, x0 + 20 * letters - 6, top + 30

    read = word(100, 100, 8)  # read by Tesseract: covered
    lone = word(100, 300, 3)  # left out of every block
    ink[600:603, 500:503] = True  # a speck of paper noise
    ink[800:1100, 300:900] = True  # a picture: far taller than text
    found = missed_ink(ink, [read], ocr)
    assert found == [lone]
    assert missed_ink(ink, [read, lone, (300, 800, 900, 1100)], ocr) == []


def test_a_header_label_tesseract_leaves_out_is_read_again(tmp_path):
    """A filled header row scanned at 150 dpi: Tesseract's automatic layout analysis leaves
    the lone bold "Mål" on its grey fill out of every block (the goals under it were lost with
    it); the ink no word covers is read again, and the label and its goals come out."""
    import pypdfium2

    from maalspor.extract.ocr import ocr_page
    from tests import metamorphic as M

    style = M.Style(labels="grid", lists=True, frame_height=260.0, ruled=False, fill=True)
    leading = round(style.size * 1.25, 2)
    shifted = M.sweep(style, int(260.0 / leading) + 1, leading)[14]
    source = tmp_path / "filled.pdf"
    M.render(shifted, source)
    scanned = scan(source, tmp_path / "filled-scan.pdf", dpi=150, noise=True, skew=0.4, seed=14)
    document = pypdfium2.PdfDocument(scanned)
    words = ocr_page(document[2], 3, OcrSettings()).words
    document.close()
    headers = sorted((w.top, w.x0, w.text) for w in words if w.text in ("Mål", "Dokumentation"))
    assert {text for _, _, text in headers[:2]} == {"Mål", "Dokumentation"}
    assert abs(headers[0][0] - headers[1][0]) < 3  # side by side in one header row
    # ... and the rows under that header row, whose labels OCR set a point apart, are rows.
    want = [text for text, _ in M.expected(shifted)["goals"]]
    assert [text for text, _ in M.parsed(parse(scanned))["goals"]] == want


# --- Danish OCR confusions --------------------------------------------------------------------


def _danish_words() -> list[str]:
    from maalspor.language.nlp import lemma_pairs

    words = sorted({w for pair in lemma_pairs() for w in pair if w.isalpha() and len(w) >= 3})
    return words[::7]  # every seventh: all letters and lengths, a quicker draw


DANISH_WORDS = _danish_words()
ALPHABET = "abcdefghijklmnopqrstuvwxyzæøå"


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(DANISH_WORDS), st.sampled_from(["", ".", ",", ":", ")"]))
def test_fixes_never_change_a_danish_word(word, punctuation):
    for form in (word, word.capitalize(), word.upper()):
        assert fix_word(form + punctuation) == form + punctuation


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=14))
def test_a_fix_gives_danish_words_from_a_word_that_is_none(word):
    from maalspor.language.nlp import is_known_in_any_case

    fixed = fix_word(word)
    if fixed != word:
        assert not is_known_in_any_case(word)
        assert all(is_known_in_any_case(part) for part in fixed.split(" "))


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("rnål", "mål"),
        ("Opfolgning", "Opfølgning"),
        ("vaerdi", "værdi"),
        ("uclvikling", "udvikling"),
        ("Derer", "Der er"),
        ("såvikanse", "så vi kan se"),  # more than two short words run together
        ("digitali¬", "digitali-"),
        ("ﬁnansiering.", "finansiering."),
        ("2016", "2016"),
        ("It-strategien", "It-strategien"),
    ],
)
def test_known_confusions_are_undone(read, meant):
    assert fix_word(read) == meant


def test_a_one_letter_word_read_into_the_next_is_its_own_again():
    """Tesseract read "i de" as "ide" (a Danish word, so no spelling fix may touch it) and left
    the "i" out of the word's box: the lone letter's ink between the two words gives it back."""
    import numpy as np

    from maalspor.extract.ocr import _swallowed_letter
    from maalspor.models.page import Word

    ocr = OcrSettings(dpi=300)
    scale = 300 / 72

    def word(text: str, x0: float, x1: float) -> Word:
        return Word(text=text, x0=x0, top=100.0, x1=x1, bottom=111.0, size=10.0, bold=False)

    ink = np.zeros((1000, 1000), dtype=bool)
    before, read = word("Energiforbruget", 50.0, 118.0), word("ide", 126.0, 137.0)
    ink[round(102 * scale) : round(110 * scale), round(121 * scale) : round(122 * scale)] = True
    letter = _swallowed_letter(before, read, ink, scale, ocr)
    assert letter is not None and letter.text == "i"
    assert 120.5 < letter.x0 < letter.x1 < 122.5
    # no ink between the words: the word stays as read
    assert _swallowed_letter(before, read, np.zeros_like(ink), scale, ocr) is None
    # a wide blob is no lone letter, and a rest that is no word is no split
    ink[round(102 * scale) : round(110 * scale), round(119 * scale) : round(125 * scale)] = True
    assert _swallowed_letter(before, read, ink, scale, ocr) is None
    assert _swallowed_letter(before, word("ixqz", 126.0, 137.0), ink, scale, ocr) is None


def test_a_bullet_read_as_a_word_of_its_own_is_not_given_a_second_time():
    """Tesseract read a bullet as a run of its own; the next run's first word then looked for
    a lost bullet left of it, found the same dot and gave the item "• • Den nationale ..."."""
    from maalspor.extract.ocr import _covered
    from maalspor.models.page import Word

    def word(text: str, x0: float, x1: float) -> Word:
        return Word(text=text, x0=x0, top=100.0, x1=x1, bottom=111.0, size=10.0, bold=False)

    read = [word("•", 60.0, 63.5), word("Den", 70.0, 88.0)]
    assert _covered(word("•", 60.2, 63.3), read)
    assert not _covered(word("•", 50.0, 53.5), read)
