"""Small geometric helpers shared by extraction and layout analysis (no language rules)."""

from __future__ import annotations

import itertools
from typing import NamedTuple

from maalspor.models.page import Block, FlowLink


class Box(NamedTuple):
    """A box on a page in PDF points, origin top-left (pdfplumber's convention)."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def union(self, *others: tuple[float, float, float, float]) -> Box:
        boxes = [self, *others]
        return Box(
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )

    def overlaps(self, other: tuple[float, float, float, float]) -> bool:
        """Whether the two boxes share an area (touching edges do not)."""
        return (
            self.x0 < other[2]
            and other[0] < self.x1
            and self.top < other[3]
            and other[1] < self.bottom
        )

    def overlaps_vertically(self, other: tuple[float, float, float, float]) -> bool:
        return self.top < other[3] and other[1] < self.bottom


def union(boxes: list[tuple[float, float, float, float]]) -> Box:
    first, *rest = boxes
    return Box(*first).union(*rest)


def mark_page_ends(blocks: list[Block]) -> None:
    """Mark the blocks that open and close a page (all cells of a table row that does), and
    link the page's last text block to the next page."""
    if not blocks:
        return
    first, last = blocks[0], blocks[-1]
    for block in blocks:
        block.first_on_page = block.last_on_page = False
        if block.kind == "cell" and first.kind == "cell" and block.table == first.table:
            block.first_on_page = block.row == first.row
        if block.kind == "cell" and last.kind == "cell" and block.table == last.table:
            block.last_on_page = block.row == last.row
    first.first_on_page = True
    last.last_on_page = True
    if last.kind == "text":
        last.flow = FlowLink.NEXT_PAGE


def link_columns(blocks: list[Block]) -> None:
    """Link the last block of each text column of a band to the first block of the next."""
    for block, following in itertools.pairwise(blocks):
        if (
            block.kind == "text"
            and block.band is not None
            and following.band == block.band
            and following.column is not None
            and block.column is not None
            and following.column > block.column
        ):
            block.flow = FlowLink.NEXT_COLUMN
