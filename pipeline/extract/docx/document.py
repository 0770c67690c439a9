"""Paragraphs and tables of a Word document → the `DocumentText` the PDF reader gives.

The body's paragraphs become text blocks (one per run of paragraphs between tables), each
Word paragraph one or more lines (cut at its line breaks) with the first marked as starting a
paragraph; a table becomes cell blocks, row by row, with the grid column, span and the
boundaries of the table's grid, as a ruled table of a PDF. What Word states and a PDF leaves
to be measured rides along on the lines: paragraph starts, the outline level of headings, a
header row, and where each line stands (`Locator`). A table nested in a cell is read into
that cell, its cells one after another; a table of one cell (a frame around content) is read
as the content it frames, as a PDF's single ruled box is.

A Word document has no pages until it is laid out: the "pages" here are the stretches between
sure page breaks (a page break, "page break before", a section starting on a new page), which
is what the cover and the first pages are for the plan's title and organisation. No block has
a page number (0), a box, or a flow to the next page: paragraphs never run on across them.
"""

from __future__ import annotations

from maalspor.extract.docx.body import Cell, Item, Paragraph, Table
from maalspor.models.page import Block, Line, PageText

# The page number of every block of a Word document: it has no pages (the output's page 0).
NO_PAGE = 0


class PageBuilder:
    """Collects blocks page by page as the items come in document order."""

    def __init__(self) -> None:
        self.pages: list[PageText] = []
        self.blocks: list[Block] = []
        self.text: Block | None = None  # the text block paragraphs are added to
        self.tables = 0  # tables emitted (Block.table numbers them, from 1)

    def add(self, items: list[Item]) -> None:
        for item in items:
            if isinstance(item, Paragraph):
                self._paragraph(item)
            elif _is_frame(item):
                self.add(item.rows[0].cells[0].items)
            else:
                self._table(item)

    def finish(self) -> list[PageText]:
        self._new_page()
        return self.pages

    def _paragraph(self, paragraph: Paragraph) -> None:
        if paragraph.break_before:
            self._new_page()
        if paragraph.lines:
            if self.text is None:
                self.text = Block(page=NO_PAGE)
                self.blocks.append(self.text)
            self.text.lines.extend(paragraph.lines)
        if paragraph.break_after:
            self._new_page()

    def _table(self, table: Table) -> None:
        self.text = None
        self.tables += 1
        for row_index, row in enumerate(table.rows):
            for cell in row.cells:
                lines = cell_lines(cell)
                if not lines:
                    continue
                self.blocks.append(
                    Block(
                        page=NO_PAGE,
                        kind="cell",
                        table=self.tables,
                        row=row_index,
                        col=cell.col,
                        col_span=cell.span,
                        columns=table.columns,
                        lines=lines,
                        header=row.header,
                    )
                )
        self.text = None

    def _new_page(self) -> None:
        if self.blocks:
            self.pages.append(PageText(number=len(self.pages) + 1, blocks=self.blocks))
        self.blocks = []
        self.text = None


def _is_frame(table: Table) -> bool:
    return len(table.rows) == 1 and len(table.rows[0].cells) == 1


def cell_lines(cell: Cell) -> list[Line]:
    """A cell's lines: its paragraphs, and a nested table's cells one after another."""
    lines: list[Line] = []
    for item in cell.items:
        if isinstance(item, Paragraph):
            lines.extend(item.lines)
        else:
            for row in item.rows:
                for inner in row.cells:
                    lines.extend(cell_lines(inner))
    return lines


def furniture_lines(items: list[Item]) -> list[str]:
    """The texts of a header's or footer's paragraphs (its tables' cells, one by one)."""
    texts: list[str] = []
    for item in items:
        if isinstance(item, Paragraph):
            texts.extend(line.text for line in item.lines)
        else:
            for row in item.rows:
                for cell in row.cells:
                    texts.extend(line.text for line in cell_lines(cell))
    return texts
