"""Extraction details on small PDFs made here: furniture, metadata from running headers, tabs."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from maalspor import parse
from maalspor.extract.reader import extract
from maalspor.segment.layout import arrange
from maalspor.settings import ExtractSettings, Settings

WIDTH, HEIGHT = A4


def _plan_without_cover(path: Path) -> Path:
    """Three pages; the plan is named only in the running header, pages numbered in the footer."""
    canvas = Canvas(str(path), pagesize=A4)
    goals = [
        ("Styrke den digitale dialog med borgerne.", "Flere borgere bruger selvbetjening."),
        ("Nedbringe sygefraværet i afdelingen.", "Sygefraværet er under 4 pct."),
        ("Udvikle et nyt introduktionsforløb.", "Forløbet er evalueret af deltagerne."),
    ]
    for number, (goal, documentation) in enumerate(goals, start=1):
        canvas.setFont("Helvetica", 8)
        canvas.drawString(56, HEIGHT - 30, "Handleplan 2021-2022 – Kultur og Fritid")
        canvas.drawRightString(WIDTH - 56, HEIGHT - 30, "Gribskov Kommune")
        canvas.drawCentredString(WIDTH / 2, 30, f"Side {number} af 3")
        canvas.setFont("Helvetica-Bold", 14)
        canvas.drawString(56, HEIGHT - 90, f"{number}. Indsatsområde nummer {number}")
        canvas.setFont("Helvetica", 10)
        canvas.drawString(56, HEIGHT - 130, f"Mål: {goal}")
        canvas.drawString(56, HEIGHT - 150, f"Dokumentation: {documentation}")
        canvas.showPage()
    canvas.save()
    return path


@pytest.fixture(scope="module")
def plan_pdf(tmp_path_factory) -> Path:
    return _plan_without_cover(tmp_path_factory.mktemp("extract") / "plan.pdf")


def test_running_header_and_footer_are_removed_but_remembered(plan_pdf):
    document = extract(plan_pdf)
    texts = [line.text for page in document.pages for b in page.blocks for line in b.lines]
    assert not any("Side" in t or "Gribskov" in t or "Handleplan" in t for t in texts)
    # Which lines are page numbers the layout analysis knows (rules); it forgets those.
    arranged = arrange(document, Settings()).furniture
    assert arranged == ["Handleplan 2021-2022 – Kultur og Fritid\tGribskov Kommune"]


def test_title_unit_and_organisation_come_from_the_running_header(plan_pdf):
    plan = parse(plan_pdf)
    assert plan.title == "Handleplan 2021-2022 – Kultur og Fritid"
    assert (plan.unit, plan.organisation) == ("Kultur og Fritid", "Gribskov Kommune")
    assert (plan.period.start, plan.period.end) == (2021, 2022)
    assert [(g.section_number, g.text, g.documentation) for g in plan.goals] == [
        (1, "Styrke den digitale dialog med borgerne.", ["Flere borgere bruger selvbetjening."]),
        (2, "Nedbringe sygefraværet i afdelingen.", ["Sygefraværet er under 4 pct."]),
        (3, "Udvikle et nyt introduktionsforløb.", ["Forløbet er evalueret af deltagerne."]),
    ]


def test_a_page_number_that_does_not_repeat_goes_in_the_layout_analysis(tmp_path):
    """One page: "Side 1 af 1" repeats nowhere, so geometry keeps it; the layout analysis
    knows it by the rules' patterns (boilerplate_lines) and drops it."""
    path = tmp_path / "one.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont("Helvetica", 10)
    canvas.drawString(56, 700, "Mål: Skabe bedre rammer for frivillige.")
    canvas.drawCentredString(WIDTH / 2, 30, "Side 1 af 1")
    canvas.save()
    document = extract(path)

    def texts() -> list[str]:
        return [line.text for b in document.pages[0].blocks for line in b.lines]

    assert texts() == ["Mål: Skabe bedre rammer for frivillige.", "Side 1 af 1"]
    arrange(document, Settings())
    assert texts() == ["Mål: Skabe bedre rammer for frivillige."]


def test_a_wide_gap_on_a_line_is_kept_as_a_tab(tmp_path):
    path = tmp_path / "margin.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont("Helvetica", 10)
    canvas.drawString(56, 700, "Mål")
    canvas.drawString(160, 700, "Skabe bedre rammer for frivillige.")
    canvas.drawString(56, 680, "Et helt almindeligt linjeforløb med ord.")
    canvas.save()
    lines = [line.text for b in extract(path).pages[0].blocks for line in b.lines]
    assert lines == [
        "Mål\tSkabe bedre rammer for frivillige.",
        "Et helt almindeligt linjeforløb med ord.",
    ]


def test_undecodable_pages_are_named_in_a_warning(tmp_path, monkeypatch):
    """A page whose text is only "(cid:NN)" codes is read as empty, and said so."""
    import maalspor.extract.reader as extract_module

    path = _plan_without_cover(tmp_path / "plan.pdf")
    original = extract_module._read_page

    def garble_second_page(page, counter, *args, **options):
        page_text, words, counter, images = original(page, counter, *args, **options)
        if page.number == 2:
            for word in words:
                word.text = "(cid:71)(cid:72)"
        return page_text, words, counter, images

    monkeypatch.setattr(extract_module, "_read_page", garble_second_page)
    document = extract(path, ocr="never")  # by default it is read by OCR (tests/test_ocr.py)
    assert "pages whose text cannot be decoded: 2" in document.warnings
    assert not document.pages[1].blocks


def test_extraction_thresholds_are_settings(tmp_path):
    """Two newspaper columns ~20 pt apart: read as columns by default; with `min_gutter` set
    wider than that gap, the page is one column whose lines hold both columns' text."""
    path = tmp_path / "columns.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont("Helvetica", 10)
    for row in range(10):
        canvas.drawString(56, 700 - 14 * row, f"Venstre spalte linje {row} med lidt tekst")
        canvas.drawString(230, 700 - 14 * row, f"Højre spalte linje {row} med lidt tekst")
    canvas.save()

    def columns(document) -> list[list[str]]:
        return [[line.text for line in b.lines] for b in document.pages[0].blocks]

    default = columns(extract(path))
    assert len(default) == 2 and all("Venstre" in t for t in default[0])
    wide = columns(extract(path, settings=ExtractSettings(min_gutter=30.0)))
    assert len(wide) == 1 and all("Venstre" in t and "Højre" in t for t in wide[0])


def _column_rows(lefts: list[float], width: float, rows: int = 8):
    from maalspor.extract.gutters import group_rows
    from maalspor.models.page import Word

    words = [
        Word(
            text="tekst",
            x0=left,
            top=100 + 12 * k,
            x1=left + width,
            bottom=110 + 12 * k,
            size=10,
            bold=False,
        )
        for left in lefts
        for k in range(rows)
    ]
    return group_rows(words, ExtractSettings())


def test_a_regular_column_grid_implies_the_gutters_it_does_not_show():
    """A Letter page whose text fills only the 2nd and 3rd of three equal columns shows one
    gutter; its grid implies the one before them (a whole column fits left of it), none past
    the page's edge nor past a grid's most columns, and nothing when the columns differ in
    width."""
    from maalspor.extract.gutters import find_gutters, grid_gutters

    settings = ExtractSettings()
    rows = _column_rows([234.0, 396.0], 144.0)
    shown = find_gutters(rows, settings)
    assert len(shown) == 1 and shown[0][1] == pytest.approx(396, abs=1)
    implied = grid_gutters(rows, shown, 612.0, settings)
    assert len(implied) == 1 and implied[0] == pytest.approx((216, 234), abs=2)
    huge = grid_gutters(rows, shown, 1e12, settings)  # a page claiming to be wider than any press
    assert len(huge) == settings.grid_max_columns - 2
    narrow = _column_rows([300.0], 60.0) + _column_rows([396.0], 144.0)
    assert len(find_gutters(narrow, settings)) == 1
    assert grid_gutters(narrow, find_gutters(narrow, settings), 612.0, settings) == []
