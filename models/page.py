"""What extraction hands to segmentation: a document's text in reading order, with geometry.

Extraction turns a PDF (or a plain text file, or a Word document) into blocks of printed lines:
a block is one table cell or one run of text in a column, in the order a person reads them.
Segmentation never sees words or glyphs, only these lines with the typography it needs (size,
bold). A Word document has no geometry but says what a PDF leaves to be measured: where each
paragraph starts, which paragraphs are headings, which table row is a header; its lines carry
that (`paragraph_start`, `outline_level`, `Block.header`) and where they stand (`locator`).

These records are internal (never written as JSON), and a long plan has tens of thousands of
lines: they are slotted dataclasses, a quarter of the memory of validated models (about 300
against 1,300 bytes a line), so memory stays flat on long documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from maalspor.models.common import Source

BoxTuple = tuple[float, float, float, float]  # [x0, top, x1, bottom], points, origin top-left
# Where a line stands in a document without pages, as `models.common.Locator` says it:
# (paragraph, table, row, cell), the last three None outside tables. A tuple: one per line.
LocatorTuple = tuple[int, int | None, int | None, int | None]


@dataclass(slots=True)
class Line:
    """One printed line (inside one block), its words joined with single spaces (a wide gap,
    such as a label in the margin, as a tab)."""

    text: str
    bbox: BoxTuple | None = None
    size: float = 0.0  # median font size of its characters (0: unknown)
    bold: bool = False  # every word of the line is set in bold
    bold_prefix: str | None = None  # leading bold words when the rest of the line is not bold
    gap_before: float = 0.0  # vertical space above the line, in units of its own height
    indent: float = 0.0  # x0 of the line minus x0 of its block
    ocr_confidence: float | None = None  # mean OCR word confidence (0-100); None: text layer
    ocr_words: int = 0  # how many OCR words that mean is over
    # Structure a source states (Word), where a PDF's is measured: whether the line starts a
    # paragraph (None: unknown, the geometry decides), and the outline level of a heading
    # paragraph (0 for "Heading 1"; None: not a heading by its style).
    paragraph_start: bool | None = None
    outline_level: int | None = None
    locator: LocatorTuple | None = None  # where it stands in a document without pages


class FlowLink(StrEnum):
    """Where the text of a block may go on: it ends at the foot of its column (the next column
    of its band follows) or of its page. Geometry only: whether the words do go on is for the
    layout analysis to judge (an unfinished sentence, a word that did not fit on the line)."""

    NEXT_COLUMN = "next_column"
    NEXT_PAGE = "next_page"


@dataclass(slots=True)
class Block:
    """A run of lines that belong together: a table cell, or text of one column region."""

    page: int  # 1-based page number
    bbox: BoxTuple | None = None
    kind: Literal["text", "cell"] = "text"
    table: int | None = None  # document-wide table number (cells only)
    row: int | None = None  # row index within the table on this page
    col: int | None = None  # column index of the cell (leftmost: 0)
    col_span: int = 1  # how many columns the cell spans
    columns: list[float] = field(default_factory=list)  # x boundaries of the table's columns
    first_on_page: bool = False  # nothing but furniture stands above it
    last_on_page: bool = False  # nothing but furniture stands below it
    lines: list[Line] = field(default_factory=list)
    # Text blocks in newspaper columns: the band (page-local number of a run of rows between
    # full-width rows) and the column in it (leftmost: 0). None outside columns.
    band: int | None = None
    column: int | None = None
    flow: FlowLink | None = None  # where its text may go on (see FlowLink)
    header: bool = False  # a cell of a row the source marks as the table's header (Word)


@dataclass(slots=True)
class PageText:
    """One page in reading order."""

    number: int
    width: float = 0.0
    height: float = 0.0
    blocks: list[Block] = field(default_factory=list)
    # x ranges of the gutters between the page's text columns (empty: one column). A page with
    # too little text to show its columns takes those of the page before or after it.
    gutters: list[tuple[float, float]] = field(default_factory=list)
    # Lines removed as running furniture, with the block they stood in (kept, maybe empty, in
    # `blocks`): furniture is told by geometry; the layout analysis puts back a field label
    # that opened several pages at one place.
    set_aside: list[tuple[Block, Line]] = field(default_factory=list)


@dataclass(slots=True)
class DocumentText:
    """A whole document as extraction leaves it."""

    source: Source
    kind: Literal["pdf", "text", "docx"]
    metadata_title: str | None = None
    body_size: float = 0.0  # most common font size (0: unknown)
    pages: list[PageText] = field(default_factory=list)
    # Running header and footer lines removed from the pages (first seen first): not content,
    # but they often name the plan, the unit and the municipality.
    furniture: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Set by the layout analysis (maalspor/segment/layout.py) once it has turned bands of
    # columns that hold labels side by side into tables: running it again changes nothing. A
    # Word document comes arranged: its tables are explicit.
    arranged: bool = False


# --- the page-content seam: what a page source (PDF engine, OCR) hands to layout analysis ----


@dataclass(slots=True)
class Word:
    """A printed word: characters of one font and size, no space or wide gap between them.

    Coordinates in PDF points, top-left origin, on the visible (crop) box after page rotation.
    """

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # font size of its first character (points)
    bold: bool
    italic: bool = False
    fontname: str = ""
    ocr_confidence: float | None = None  # Tesseract's word confidence (0-100); None: text layer


@dataclass(slots=True)
class Ruling:
    """A horizontal (top == bottom) or vertical (x0 == x1) ruling segment: a drawn line or one
    side of a rectangle (filled or stroked), as table and footnote finding use them."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return self.top == self.bottom


@dataclass(slots=True)
class PageContent:
    """One page as a source reads it, before any layout analysis."""

    number: int  # 1-based
    width: float
    height: float
    rotation: int = 0  # degrees clockwise, as displayed (already applied to the coordinates)
    words: list[Word] = field(default_factory=list)
    rulings: list[Ruling] = field(default_factory=list)
    image_boxes: list[BoxTuple] = field(default_factory=list)
    ocr: bool = False  # words read from a page image
    # Characters (not spaces) the page's content draws outside its visible area (the crop box)
    # when none is inside it: text a viewer does not show, counted so that it is not taken for
    # a page without text.
    outside_chars: int = 0
    # Degrees the page was turned counter-clockwise (beyond `rotation` as displayed) so that its
    # text, which ran sideways or upside down, runs left to right (0: not turned).
    turned: int = 0
    # Forms nested deeper than PDFium reads hold its content (`too_deep`); read by pdfminer
    # instead (`fallback`).
    too_deep: bool = False
    fallback: bool = False
