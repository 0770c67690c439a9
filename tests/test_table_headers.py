"""Tables drawn without rulings whose narrow column only the header row shows (issue 24).

A column that is no field ("Ansvarlig") is often narrower than the share of the width the
gutter finder asks of a text column (`ExtractSettings.min_column_share`, so that a bullet
column or a margin label is never a column). Its header row shows it: the columns are taken
from the header cells and the strips without ink under them (`pipeline/extract/headers.py`).
Varied metamorphically (`tests/metamorphic.py`: `narrow_share`, `narrow_at`,
`long_responsible`): the narrow column at 8-20 % of the width, first, between the fields and
last, with the header repeated on every page or not, its cells one word or wrapping over lines;
each shifted so that page breaks fall through the rows. Every variant must parse to the
content, text for text, with each goal's `responsible` read from the narrow column.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from maalspor.extract.gutters import Row, group_rows
from maalspor.extract.headers import header_cells, header_tables
from maalspor.extract.reader import extract
from maalspor.models.page import Word
from maalspor.segment.segmenter import segment
from maalspor.settings import ExtractSettings
from tests import metamorphic as M

FRAME = 260.0  # ~20 lines a page: a sweep puts a page break at every line of a table
SHIFTS = 21


def _styles(base: M.Style, stride: int) -> list[M.Style]:
    leading = round(base.size * 1.25, 2)
    framed = dataclasses.replace(base, frame_height=FRAME, lists=True)
    return M.sweep(framed, SHIFTS, leading)[::stride]


def _problems(style: M.Style, path: Path) -> list[str]:
    M.render(style, path)
    plan = segment(extract(path))
    out = M.differences(M.parsed(plan), M.expected(style))
    names = M.LONG_RESPONSIBLE if style.long_responsible else M.RESPONSIBLE
    want = [names[k % len(names)] for k in range(len(plan.goals))]
    got = [g.responsible for g in plan.goals]
    if got != want:
        out.append(f"responsible: {got} != {want}")
    return out


def _failing(styles: list[M.Style], tmp_path: Path) -> list[str]:
    found = {s.name: _problems(s, tmp_path / f"v{k}.pdf") for k, s in enumerate(styles)}
    return [f"{name}: {problems[:2]}" for name, problems in found.items() if problems]


def _narrow(share: float, at: int, **options) -> M.Style:
    # A portrait page leaves a column of 8-10 % too narrow for the word "Ansvarlig": landscape.
    orientation = "landscape" if share < 0.12 else "portrait"
    return M.Style(
        labels="grid",
        ruled=False,
        extra_columns=1,
        narrow_share=share,
        narrow_at=at,
        orientation=orientation,
        **options,
    )


@pytest.mark.parametrize("repeat", [True, False], ids=["repeated", "not-repeated"])
@pytest.mark.parametrize("at", [0, 1, 2], ids=["first", "middle", "last"])
@pytest.mark.parametrize("share", [0.08, 0.12, 0.15, 0.20])
def test_a_narrow_column_at_every_width_and_place(share, at, repeat, tmp_path):
    base = _narrow(share, at, repeat_header=repeat)
    assert _failing(_styles(base, stride=4), tmp_path) == []


@pytest.mark.parametrize("at", [0, 1, 2], ids=["first", "middle", "last"])
@pytest.mark.parametrize("share", [0.10, 0.18])
def test_a_narrow_column_whose_cells_wrap(share, at, tmp_path):
    base = _narrow(share, at, long_responsible=True, repeat_header=at != 1)
    assert _failing(_styles(base, stride=3), tmp_path) == []


def test_the_narrow_family_of_the_table_sweep_reads_exactly(tmp_path):
    """The family `benchmarks/table_sweep.py` reported at 2 % (18 %, between the fields)."""
    base = M.Style(labels="grid", ruled=False, extra_columns=1)
    assert _failing(_styles(base, stride=2), tmp_path) == []


def test_the_global_width_rule_is_unchanged():
    assert ExtractSettings().min_column_share == 0.22


# --- the header row itself, on words -------------------------------------------------------


def _row(y: float, *cells: tuple[float, str], bold: bool = False, size: float = 10.0):
    words = []
    for x, text in cells:
        for word in text.split():
            width = 5.0 * len(word)
            words.append(Word(word, x, y, x + width, y + size, size, bold))
            x += width + 2.5
    return words


def _tables(words: list[Word]):
    settings = ExtractSettings()
    return header_tables(group_rows(words, settings), [], None, settings)[0]


def _grid_body(y0: float) -> list[Word]:
    words: list[Word] = []
    for k in range(4):
        y = y0 + 12.5 * k
        words += _row(y, (60, "tekst i målets celle her"), (190, "Chef" if k == 0 else ""))
        words += _row(y, (250, "en dokumentation"))
    return [w for w in words if w.text]


def test_a_bold_row_of_short_cells_over_columns_is_a_header():
    words = _row(40, (60, "Mål"), (190, "Ansvarlig"), (250, "Dokumentation"), bold=True)
    ((table, gutters),) = _tables(words + _grid_body(60))
    assert len(gutters) == 2 and len(table.rows) == 5
    assert 180 < gutters[0][1] <= 191 and 240 < gutters[1][1] <= 251


def test_no_header_in_body_type_nor_over_text_that_runs_across():
    plain = _row(40, (60, "Mål"), (190, "Ansvarlig"), (250, "Dokumentation"))
    assert _tables(plain + _grid_body(60)) == []
    header = _row(40, (60, "Mål"), (190, "Ansvarlig"), (250, "Dokumentation"), bold=True)
    running = [
        w
        for k in range(4)
        for w in _row(60 + 12.5 * k, (60, "en lang linje tekst der løber hen over alle kolonner"))
    ]
    assert _tables(header + running) == []


def test_a_larger_row_ends_the_table():
    header = _row(40, (60, "Mål"), (190, "Ansvarlig"), (250, "Dokumentation"), bold=True)
    heading = _row(112, (60, "2. Drift"), size=13.0)
    ((table, _),) = _tables(header + _grid_body(60) + heading)
    assert all(row.top < 110 for row in table.rows)


def test_a_row_with_a_bullet_or_a_lower_case_cell_is_no_header():
    """On an OCR'd page (no bold known) a body row of short cells is no header: a bullet column
    (the 22 % rule keeps it on its line) or a line going on in lower case."""
    settings = ExtractSettings()

    def ocr_row(*cells: tuple[float, str]) -> Row:
        return Row([dataclasses.replace(w, ocr_confidence=90.0) for w in _row(40, *cells)])

    assert (
        header_cells(ocr_row((60, "Sagsbehandling"), (250, "•"), (270, "Opgørelse")), settings)
        is None
    )
    assert header_cells(ocr_row((60, "Mål"), (190, "og videre"), (250, "Status")), settings) is None
    named = ocr_row((60, "Mål"), (190, "Ansvarlig"), (250, "Dokumentation"))
    assert header_cells(named, settings) is not None


def test_a_band_of_only_a_heading_is_split_off_by_the_documents_body_size():
    """A scan knows no bold: a band holding only "2. Drift og økonomi" at the top of a page a
    table goes on at is a heading by its size against the document's body, not the band's."""
    from maalspor.models.page import Line
    from maalspor.segment.layout import _split_at_headings
    from maalspor.settings import LayoutSettings

    heading = Line("2. Drift og økonomi", bbox=(56.0, 71.0, 174.0, 86.0), size=13.5)
    settings = LayoutSettings()
    assert _split_at_headings({0: [heading]}, settings, 10.2) == [({}, heading)]
    assert _split_at_headings({0: [heading]}, settings) == [({0: [heading]}, None)]
