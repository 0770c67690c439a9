"""What extraction hands to segmentation: a document's text in reading order, with geometry.

Extraction turns a PDF (or a plain text file) into blocks of printed lines: a block is one
table cell or one run of text in a column, in the order a person reads them. Segmentation never
sees words or glyphs, only these lines with the typography it needs (size, bold).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from models.common import BBox, Source, StrictModel


class Line(StrictModel):
    """One printed line (inside one block), its words joined with single spaces."""

    text: str
    bbox: BBox | None = None
    size: float = Field(default=0.0, description="Median font size of its characters (0: unknown)")
    bold: bool = Field(default=False, description="Every word of the line is set in bold")
    bold_prefix: str | None = Field(
        default=None, description="Leading bold words when the rest of the line is not bold"
    )
    gap_before: float = Field(
        default=0.0, description="Vertical space above the line, in units of its own height"
    )
    indent: float = Field(default=0.0, description="x0 of the line minus x0 of its block")


class Block(StrictModel):
    """A run of lines that belong together: a table cell, or text of one column region."""

    page: int = Field(description="1-based page number (0 for text input)")
    bbox: BBox | None = None
    kind: Literal["text", "cell"] = "text"
    table: int | None = Field(default=None, description="Document-wide table number")
    row: int | None = Field(default=None, description="Row index within the table on this page")
    col: int | None = Field(default=None, description="Column index of the cell (leftmost: 0)")
    col_span: int = Field(default=1, description="How many columns the cell spans")
    columns: list[float] = Field(
        default_factory=list, description="x boundaries of the table's columns (cells only)"
    )
    first_on_page: bool = Field(default=False, description="Nothing but furniture stands above it")
    last_on_page: bool = Field(default=False, description="Nothing but furniture stands below it")
    lines: list[Line] = Field(default_factory=list)


class PageText(StrictModel):
    """One page in reading order."""

    number: int
    width: float = 0.0
    height: float = 0.0
    blocks: list[Block] = Field(default_factory=list)


class DocumentText(StrictModel):
    """A whole document as extraction leaves it."""

    source: Source
    kind: Literal["pdf", "text"]
    metadata_title: str | None = None
    body_size: float = Field(default=0.0, description="Most common font size (0: unknown)")
    pages: list[PageText] = Field(default_factory=list)
    furniture: list[str] = Field(
        default_factory=list,
        description="Running header and footer lines removed from the pages (first seen first): "
        "not content, but they often name the plan, the unit and the municipality",
    )
    warnings: list[str] = Field(default_factory=list)
