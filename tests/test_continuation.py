"""The one rule for text cut by a column or page break (`maalspor.segment.continuation`), for
running text and table cells alike, and that segmentation reads layout's flow links."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from maalspor.models.page import Block, FlowLink, Line
from maalspor.segment.continuation import continues, may_continue
from maalspor.segment.labels import FieldKind
from maalspor.segment.structure import Paragraph
from maalspor.settings import Settings

SETTINGS = Settings()
# A column 200 pt wide of 10 pt text, about 5 pt a character.
COLUMN = (50.0, 100.0, 250.0, 300.0)


def _paragraph(text: str, *, kind: str = "text", right: float = 150.0, **fields) -> Paragraph:
    """The last line of a block (ending at `right`) whose lines above fill its width."""
    above = Line(text="x " * 38, bbox=(50.0, 266.0, 249.0, 276.0), size=10.0)
    line = Line(text=text, bbox=(50.0, 280.0, right, 290.0), size=10.0)
    block = Block(page=1, bbox=COLUMN, kind=kind, lines=[above, line])
    return Paragraph(lines=[line], block=block, text=text, **fields)


def test_lower_case_and_open_ends_continue_everywhere():
    for kind in ("text", "cell"):
        before = _paragraph("Vi vil styrke samarbejdet med", kind=kind)
        assert continues(before, _paragraph("Foreningerne i byen"), SETTINGS)  # "med": open
        ended = _paragraph("Målet er nået.", kind=kind)
        assert continues(ended, _paragraph("og det fejres"), SETTINGS)  # lower case
        assert continues(
            _paragraph("Skoler, børnehaver,", kind=kind), _paragraph("Klubber"), SETTINGS
        )
        assert not continues(ended, _paragraph("Næste mål"), SETTINGS)


def test_a_full_last_line_continues_running_text_but_not_a_cell():
    """A line filled to the column's edge was ended by the edge: in running text the paragraph
    goes on (even after a full stop); a cell's line says nothing (the next row starts there)."""
    full = _paragraph("Målet er nået.", right=249.0)
    assert continues(full, _paragraph("Ansøgningerne kommer digitalt"), SETTINGS)
    cell = _paragraph("Målet er nået.", kind="cell", right=249.0)
    assert not continues(cell, _paragraph("Ansøgningerne kommer digitalt"), SETTINGS)
    short = _paragraph("Målet er nået.", right=120.0)
    assert not continues(short, _paragraph("Ansøgningerne kommer digitalt"), SETTINGS)


def test_labels_list_items_and_empty_paragraphs_never_continue():
    before = _paragraph("Vi vil styrke samarbejdet med")
    assert not continues(
        before, _paragraph("dokumentation", label=FieldKind.DOCUMENTATION), SETTINGS
    )
    assert not continues(before, _paragraph("flere foreninger", marker="•"), SETTINGS)
    assert not continues(before, _paragraph(""), SETTINGS)


def test_only_text_that_layout_linked_to_the_next_column_or_page_may_continue():
    block = Block(page=1, kind="text")
    assert not may_continue(block)
    for flow in FlowLink:
        block.flow = flow
        assert may_continue(block)
    assert not may_continue(Block(page=1, kind="cell", flow=FlowLink.NEXT_PAGE))


@given(st.text(alphabet="abcdefghij æøå.,", min_size=1, max_size=40))
def test_a_lower_case_start_always_continues(tail):
    before = _paragraph("Et afsnit " + tail)
    assert continues(before, _paragraph("fortsætter her"), SETTINGS) == bool(before.text.strip())
