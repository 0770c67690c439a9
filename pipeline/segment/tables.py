"""Table cells in the walk of pass 3: which goal and field each cell feeds.

A cell feeds the field its label opens ("Mål" | text), else the field its column's header names
(a header row of bare labels), else — in the first row of a page — the field of the same column
in the row the previous page ended with, when the row carries that one on (the rule in
`pipeline/segment/continuation.py`). A column headed "Ansvarlig" feeds the goal's `responsible`
attribute; a column whose header names no field ("Nr.", "Tidsplan") feeds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from maalspor.models.page import Block
from maalspor.segment.continuation import continues, row_continues
from maalspor.segment.labels import FieldKind
from maalspor.segment.structure import Paragraph
from maalspor.segment.walk import Draft, Walk
from maalspor.settings import Settings

Target = tuple[Draft, FieldKind]  # the goal and field a cell feeds


@dataclass
class _TableState:
    columns: list[float]
    header: dict[int, FieldKind] = field(default_factory=dict)  # column → field, from a header row
    previous_row: dict[int, Target] = field(default_factory=dict)
    this_row: dict[int, Target] = field(default_factory=dict)
    row_key: tuple[int, int] | None = None  # (page, row) of this_row
    row_continues: bool = False  # this row carries on the row the previous page ended with


@dataclass
class _CellRow:
    """The first paragraph of each cell of one table row, by column."""

    cells: dict[int, Paragraph] = field(default_factory=dict)
    label_only: dict[int, bool] = field(default_factory=dict)
    header: bool = False  # read as the table's header row: its cells are no content


class TableReader:
    """The tables met in the walk, and what their rows and columns feed."""

    def __init__(self, walk: Walk, settings: Settings) -> None:
        self.walk = walk
        self.settings = settings
        self.tables: dict[int, _TableState] = {}
        self.last_table: _TableState | None = None
        self.last_content: Paragraph | None = None  # a (repeated) header row is no content
        self.rows: dict[tuple, _CellRow] = {}

    def index_rows(self, paragraphs: list[Paragraph]) -> None:
        """Note each table row's cells before the walk: a row is judged as a whole."""
        cell_paragraphs: dict[int, list[Paragraph]] = {}
        for paragraph in paragraphs:
            if paragraph.block.kind == "cell":
                cell_paragraphs.setdefault(id(paragraph.block), []).append(paragraph)
        for group in cell_paragraphs.values():
            block = group[0].block
            row = self.rows.setdefault((block.table, block.page, block.row), _CellRow())
            row.cells[block.col or 0] = group[0]
            row.label_only[block.col or 0] = all(p.label_only for p in group)

    def seen(self, paragraph: Paragraph) -> None:
        block = paragraph.block
        if block.kind != "cell" or not self._row(block).header:
            self.last_content = paragraph

    def _row(self, block: Block) -> _CellRow:
        return self.rows[(block.table, block.page, block.row)]

    def cell_paragraph(self, paragraph: Paragraph) -> None:
        block = paragraph.block
        assert block.table is not None and block.col is not None
        state = self.tables.get(block.table)
        if state is None:
            state = self.tables[block.table] = self._table_state(block)
        self.last_table = state
        row = self._row(block)
        if row.header or not self._enter_row(state, block, row):
            return  # a header row: its cells name the columns' fields, they are no content
        walk = self.walk
        if paragraph.label:
            walk.start_field(paragraph.label, paragraph)
            if walk.cursor.draft is not None and walk.cursor.field is not None:
                state.this_row[block.col] = (walk.cursor.draft, walk.cursor.field)
            return
        first_of_cell = row.cells.get(block.col) is paragraph
        target = state.this_row.get(block.col)
        if first_of_cell and target is None:
            target = self._cell_target(state, block)
        if target is None:
            return
        state.this_row[block.col] = target
        if first_of_cell and state.row_continues:
            texts = [p for p in target[0].parts[target[1]].paragraphs if p.text]
            paragraph.continuation = bool(texts) and continues(texts[-1], paragraph, self.settings)
        walk.feed(*target, paragraph)

    def _enter_row(self, state: _TableState, block: Block, row: _CellRow) -> bool:
        """Move the table to the cell's row; False when the row is the table's header."""
        row_key = (block.page, block.row or 0)
        if state.row_key == row_key:
            return True
        state.row_key = row_key
        if self._is_header_row(block, row):
            row.header = True
            for col, cell in row.cells.items():
                if cell.label:
                    state.header[col] = FieldKind(cell.label)
            unnamed = [c for c in range(len(block.columns) - 1) if c not in row.cells]
            if FieldKind.GOAL not in state.header.values() and len(unnamed) == 1:
                state.header[unnamed[0]] = FieldKind.GOAL
            state.this_row = {}
            return False
        if state.this_row:
            state.previous_row = state.this_row
        state.this_row = {}
        state.row_continues = self._row_continues(state, block, row)
        return True

    def _cell_target(self, state: _TableState, block: Block) -> Target | None:
        """Which goal and field an unlabelled cell feeds."""
        assert block.col is not None
        walk, cursor = self.walk, self.walk.cursor
        if state.row_continues and block.col in state.previous_row:
            return state.previous_row[block.col]
        header_field = state.header.get(block.col)
        if header_field is not None and header_field is not FieldKind.OTHER:
            row_goal = next(
                (t[0] for t in state.this_row.values() if t[1] is not FieldKind.OTHER), None
            )
            # A goal's row opens it at its goal cell, or at a "responsible" cell left of it.
            opens = header_field in (FieldKind.GOAL, FieldKind.RESPONSIBLE)
            if opens and row_goal is None and self._goal_column_right_of(state, block.col):
                walk.open_goal()
            if cursor.draft is None:
                return None
            cursor.field = header_field
            return (cursor.draft, header_field)
        if state.header:
            return None  # a column the header names no field for ("Nr.", "Ansvarlig")
        if cursor.draft is not None and cursor.field is not None and state.this_row:
            return (cursor.draft, cursor.field)  # "Mål" | text: a label cell, then its content
        row = self._row(block)
        if block.col in state.previous_row and not any(col < block.col for col in row.cells):
            # The label cell beside it is merged down over this row: its field goes on.
            return state.previous_row[block.col]
        return None

    @staticmethod
    def _goal_column_right_of(state: _TableState, col: int) -> bool:
        """Whether the table's goal column is this column or one right of it."""
        return any(f is FieldKind.GOAL and c >= col for c, f in state.header.items())

    def _row_continues(self, state: _TableState, block: Block, row: _CellRow) -> bool:
        """Whether a table row at the top of a page carries on the row the last page ended with."""
        if not state.previous_row or not self._first_content_on_page(block):
            return False
        previous = self.last_content
        if previous is None or previous.block.kind != "cell" or previous.page >= block.page:
            return False
        if any(cell.label for cell in row.cells.values()):
            return False
        if not state.header:
            return True  # rows of this table carry labels: one without is a continuation
        goal_columns = [c for c, f in state.header.items() if f is FieldKind.GOAL]
        goal_cell = next((row.cells[c] for c in goal_columns if c in row.cells), None)
        if goal_cell is None:
            return True  # the goal column is empty: only the other cells ran over the page
        target = state.previous_row.get(goal_cell.block.col or 0)
        if target is None:
            return False
        alone = not any(cell.text for cell in row.cells.values() if cell is not goal_cell)
        previous = target[0].parts[target[1]].paragraphs
        return row_continues(previous, goal_cell, alone, self.settings)

    def _first_content_on_page(self, block: Block) -> bool:
        return self.last_content is None or self.last_content.page < block.page

    def _is_header_row(self, block: Block, row: _CellRow) -> bool:
        """A row of bare labels at the top of a table (not at the foot of a page) is a header;
        so is a row the source marks as one (Word's "repeat as header row") when no cell of it
        holds a label with content (a goal row marked by mistake stays a goal row)."""
        if block.header:
            return not any(
                cell.label and not row.label_only.get(c, False) for c, cell in row.cells.items()
            )
        if block.last_on_page and not block.first_on_page:
            return False  # bare labels at the foot of a page: a goal row split by the break
        labels = sum(row.label_only.get(c, False) for c in row.cells)
        # Other header cells ("Nr.", "Ansvarlig", "Frist") are short words, not content.
        limit = self.settings.segment.header_cell_max_chars
        others_short = all(
            len(cell.text) <= limit and len(cell.lines) == 1
            for c, cell in row.cells.items()
            if not row.label_only.get(c, False)
        )
        if labels >= 2 and others_short:
            return True
        # A header cell that OCR lost (empty) beside a bare field label, in the table's first
        # row: the other cells name their fields, the empty one is the goal's (`_enter_row`).
        columns = max(0, len(block.columns) - 1)
        empty = columns - len(row.cells)
        named = {cell.label for cell in row.cells.values() if cell.label}
        return (
            block.row == 0
            and labels == 1
            and empty == 1
            and columns > 1
            and others_short
            and FieldKind.GOAL not in named
        )

    def _table_state(self, block: Block) -> _TableState:
        # A table that starts a page with the columns of the last table goes on from it.
        last = self.last_table
        if block.first_on_page and last is not None and self._same_columns(last.columns, block):
            previous_row = last.this_row or last.previous_row
            return _TableState(
                columns=block.columns, header=dict(last.header), previous_row=dict(previous_row)
            )
        return _TableState(columns=block.columns)

    def _same_columns(self, a: list[float], block: Block) -> bool:
        """Whether two tables have the same columns: the same count, the boundaries inside the
        table close (a table without rulings is measured from its text, which moves a little)."""
        b = block.columns
        if len(a) != len(b) or len(a) < 2:
            return False
        share = self.settings.segment.same_column_share
        tolerance = max(self.settings.segment.min_column_tolerance, share * (a[-1] - a[0]))
        return all(abs(x - y) <= tolerance for x, y in zip(a[1:-1], b[1:-1], strict=True))
