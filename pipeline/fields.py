"""Pass 3 of segmentation: paragraphs and headings in reading order → drafts of goals.

A small state machine walks the paragraphs and fills goals: a Mål label opens a goal,
Dokumentation / Opfølgning labels switch its field, headings set the section and end a goal, the
follow-up heading switches to the follow-up part. Table cells without labels take their field
from the table's header row, or — in the first row of a page — continue the field of the same
column in the row the previous page ended with. The field kinds are `FieldKind`
(`pipeline/layout.py`); `pipeline/segment.py` turns the drafts into the output's models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from maalspor.layout import FieldKind
from maalspor.models.common import Period
from maalspor.models.page import Block, DocumentText
from maalspor.models.plan import Section
from maalspor.rules import rules
from maalspor.structure import Heading, Paragraph, follow_up_period, structure_patterns
from maalspor.text import join_two

# A header row's cells that are no labels ("Nr.", "Ansvarlig", "Frist") are at most this long.
HEADER_CELL_MAX_CHARS = 25
# Two tables on consecutive pages are one when their inner column boundaries differ by at most
# this share of the table's width.
SAME_COLUMN_SHARE = 0.10


@dataclass
class _Part:
    """Paragraphs of one field of one goal, with where they stand."""

    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass
class Draft:
    """A goal (or follow-up) being filled: its section and the paragraphs of each field."""

    section: Section | None
    parts: dict[FieldKind, _Part] = field(default_factory=lambda: {k: _Part() for k in FieldKind})


@dataclass
class _TableState:
    columns: list[float]
    header: dict[int, FieldKind] = field(default_factory=dict)  # column → field, from a header row
    previous_row: dict[int, tuple[Draft, FieldKind]] = field(default_factory=dict)
    this_row: dict[int, tuple[Draft, FieldKind]] = field(default_factory=dict)
    row_key: tuple[int, int] | None = None  # (page, row) of this_row
    row_continues: bool = False  # this row carries on the row the previous page ended with


@dataclass
class _CellRow:
    """The first paragraph of each cell of one table row, by column."""

    cells: dict[int, Paragraph] = field(default_factory=dict)
    label_only: dict[int, bool] = field(default_factory=dict)
    header: bool = False  # read as the table's header row: its cells are no content


class Assembler:
    """The state machine of pass 3: `run` fills `goals`, `follow_ups` and `sections`."""

    def __init__(self, document: DocumentText) -> None:
        self.document = document
        self.is_text = document.kind == "text"
        self.goals: list[Draft] = []
        self.follow_ups: list[Draft] = []
        self.sections: list[Section] = []
        self.section: Section | None = None
        self.in_follow_up = False
        self.follow_up_period: Period | None = None
        self.follow_up_heading_size = 0.0
        self.current: Draft | None = None
        self.field: FieldKind | None = None
        self.tables: dict[int, _TableState] = {}
        self.last_table: _TableState | None = None
        self.last_paragraph: Paragraph | None = None
        self.last_content: Paragraph | None = None
        self.interleaving = False  # pairing goals listed before their documentation
        self.last_section_number = 0

    # -- goals and fields

    def open_goal(self) -> Draft:
        draft = Draft(section=self.section)
        (self.follow_ups if self.in_follow_up else self.goals).append(draft)
        # The plan's sections are those that hold its own goals (not the follow-up's groups).
        in_sections = self.sections and self.sections[-1] is self.section
        if self.section is not None and not self.in_follow_up and not in_sections:
            self.sections.append(self.section)
        self.current = draft
        self.field = FieldKind.GOAL
        self.interleaving = False
        return draft

    def close_goal(self) -> None:
        self.current = None
        self.field = None

    def add(self, draft: Draft, kind: FieldKind, paragraph: Paragraph) -> None:
        part = draft.parts[kind]
        texts = [p for p in part.paragraphs if p.text]
        if paragraph.continuation and texts:
            previous = texts[-1]
            previous.text = join_two(previous.text, paragraph.text)
            # The piece stays as a text-less paragraph: provenance of its lines on its own page.
            paragraph.text = ""
        part.paragraphs.append(paragraph)

    # -- headings

    def heading(self, heading: Heading) -> None:
        is_follow_up, period = follow_up_period(heading.text)
        if is_follow_up:
            self.close_goal()
            self.in_follow_up = True
            self.follow_up_period = period or self.follow_up_period
            self.follow_up_heading_size = heading.size
            self.section = None
            return
        if heading.text.lower().rstrip(":") in structure_patterns().toc_headings:
            self.close_goal()
            return
        if self.in_follow_up and self._ends_follow_up(heading):
            self.in_follow_up = False
        if heading.depth > 1:
            self.close_goal()  # a sub-section ends the goal before it, the section goes on
            return
        if self.is_text and not self.in_follow_up:
            # Text input has no typography: an unnumbered short line inside a goal is content,
            # and a numbered line out of sequence is a list item, not a section.
            if heading.number is None and self.current is not None:
                return
            if heading.number is not None and heading.number != self.last_section_number + 1:
                return
        self.close_goal()
        if heading.number is not None and not self.in_follow_up:
            self.last_section_number = heading.number
        self.section = Section(number=heading.number, title=heading.title)

    def _ends_follow_up(self, heading: Heading) -> bool:
        if self.is_text:
            return heading.number is not None and heading.number == self.last_section_number + 1
        return (
            bool(self.follow_up_heading_size) and heading.size >= self.follow_up_heading_size - 0.1
        )

    # -- paragraphs

    def paragraph(self, paragraph: Paragraph) -> None:
        block = paragraph.block
        if block.kind == "cell":
            self.cell_paragraph(paragraph)
        else:
            previous = self.last_paragraph
            if (
                previous is not None
                and previous.block.kind == "cell"
                and (paragraph.label not in (FieldKind.DOCUMENTATION, FieldKind.FOLLOW_UP))
            ):
                # Text after a table ends the goal the table held, unless it carries on one of
                # its fields by label (an "Opfølgning:" row across a table drawn without lines).
                self.close_goal()
            self.flow_paragraph(paragraph)
        self.last_paragraph = paragraph

    def flow_paragraph(self, paragraph: Paragraph) -> None:
        if paragraph.label:
            self.start_field(paragraph.label, paragraph)
            return
        if self.current is None or self.field is None:
            return
        self.add(self.current, self.field, paragraph)

    def start_field(self, label: str, paragraph: Paragraph) -> None:
        kind = FieldKind(label)
        if kind is FieldKind.GOAL or self.current is None:
            if kind is not FieldKind.GOAL and self.current is None:
                return  # a Dokumentation with no goal before it: nothing to attach it to
            self.open_goal()
        assert self.current is not None
        if kind is FieldKind.DOCUMENTATION and self.is_text:
            self.current = self._interleaved_target() or self.current
        self.field = kind
        if not paragraph.label_only:
            self.add(self.current, kind, paragraph)

    def _interleaved_target(self) -> Draft | None:
        """Plain text of a two-column goal table lists the goals first, then their documentation
        ("Mål: A", "Mål: B", "Dokumentation: a", "Dokumentation: b"): pair them in order.

        Only for text input, and only when two or more goals in a row still lack documentation.
        """
        drafts = self.follow_ups if self.in_follow_up else self.goals
        run: list[Draft] = []
        for draft in reversed(drafts):
            if draft.parts[FieldKind.DOCUMENTATION].paragraphs or draft.section is not self.section:
                break
            run.append(draft)
        run.reverse()
        if len(run) >= 2:
            self.interleaving = True
        return run[0] if run and self.interleaving else None

    def cell_paragraph(self, paragraph: Paragraph) -> None:
        block = paragraph.block
        assert block.table is not None and block.col is not None
        state = self.tables.get(block.table)
        if state is None:
            state = self.tables[block.table] = self._table_state(block)
        self.last_table = state
        row_key = (block.page, block.row or 0)
        row = self._rows[(block.table, block.page, block.row)]
        if row.header:
            return  # the rest of a header row
        if state.row_key != row_key:
            if self._is_header_row(block, row):
                row.header = True
                for col, cell in row.cells.items():
                    if cell.label:
                        state.header[col] = FieldKind(cell.label)
                state.row_key = row_key
                state.this_row = {}
                return
            if state.this_row:
                state.previous_row = state.this_row
            state.this_row = {}
            state.row_key = row_key
            state.row_continues = self._row_continues(state, block, row)
        first_of_cell = row.cells.get(block.col) is paragraph
        if paragraph.label:
            self.start_field(paragraph.label, paragraph)
            if self.current is not None and self.field is not None:
                state.this_row[block.col] = (self.current, self.field)
            return
        target = state.this_row.get(block.col)
        if first_of_cell and target is None:
            target = self._cell_target(state, block, paragraph)
        if target is None:
            return
        state.this_row[block.col] = target
        if first_of_cell and state.row_continues:
            texts = [p for p in target[0].parts[target[1]].paragraphs if p.text]
            paragraph.continuation = bool(texts) and _looks_continued(texts[-1], paragraph)
        self.add(*target, paragraph)

    def _cell_target(
        self, state: _TableState, block: Block, paragraph: Paragraph
    ) -> tuple[Draft, FieldKind] | None:
        """Which goal and field an unlabelled cell feeds."""
        assert block.col is not None
        if state.row_continues and block.col in state.previous_row:
            return state.previous_row[block.col]
        header_field = state.header.get(block.col)
        if header_field is FieldKind.OTHER:
            return None  # a column that is no field ("Nr.", "Ansvarlig") feeds nothing
        if header_field is not None:
            row_goal = next(
                (t[0] for t in state.this_row.values() if t[1] is not FieldKind.OTHER), None
            )
            if header_field is FieldKind.GOAL and row_goal is None:
                self.open_goal()
            if self.current is None:
                return None
            self.field = header_field
            return (self.current, header_field)
        if state.header:
            return None  # a column the header names no field for ("Nr.", "Ansvarlig")
        if self.current is not None and self.field is not None and state.this_row:
            return (self.current, self.field)  # "Mål" | text: a label cell, then its content
        row = self._rows[(block.table, block.page, block.row)]
        if block.col in state.previous_row and not any(col < block.col for col in row.cells):
            # The label cell beside it is merged down over this row: its field goes on.
            return state.previous_row[block.col]
        return None

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
        texts = [p for p in target[0].parts[target[1]].paragraphs if p.text]
        return bool(texts) and _looks_continued(texts[-1], goal_cell)

    def _first_content_on_page(self, block: Block) -> bool:
        return self.last_content is None or self.last_content.page < block.page

    def _is_header_row(self, block: Block, row: _CellRow) -> bool:
        """A row of bare labels at the top of a table (not at the foot of a page) is a header."""
        if block.last_on_page and not block.first_on_page:
            return False  # bare labels at the foot of a page: a goal row split by the break
        labels = sum(row.label_only.get(c, False) for c in row.cells)
        # Other header cells ("Nr.", "Ansvarlig", "Frist") are short words, not content.
        others_short = all(
            len(cell.text) <= HEADER_CELL_MAX_CHARS and len(cell.lines) == 1
            for c, cell in row.cells.items()
            if not row.label_only.get(c, False)
        )
        return labels >= 2 and others_short

    def _table_state(self, block: Block) -> _TableState:
        # A table that starts a page with the columns of the last table goes on from it.
        last = self.last_table
        if block.first_on_page and last is not None and _same_columns(last.columns, block.columns):
            previous_row = last.this_row or last.previous_row
            return _TableState(
                columns=block.columns, header=dict(last.header), previous_row=dict(previous_row)
            )
        return _TableState(columns=block.columns)

    # -- run

    def run(self, paragraphs: list[Paragraph], headings: dict[int, Heading]) -> None:
        self._rows: dict[tuple, _CellRow] = {}
        cell_paragraphs: dict[int, list[Paragraph]] = {}
        for paragraph in paragraphs:
            if paragraph.block.kind == "cell":
                cell_paragraphs.setdefault(id(paragraph.block), []).append(paragraph)
        for group in cell_paragraphs.values():
            block = group[0].block
            row = self._rows.setdefault((block.table, block.page, block.row), _CellRow())
            row.cells[block.col or 0] = group[0]
            row.label_only[block.col or 0] = all(p.label_only for p in group)
        for index, paragraph in enumerate(paragraphs):
            heading = headings.get(index)
            if heading is not None:
                self.heading(heading)
                self.last_paragraph = paragraph
                continue
            self.paragraph(paragraph)
            block = paragraph.block
            if block.kind != "cell" or not self._rows[(block.table, block.page, block.row)].header:
                self.last_content = paragraph  # a (repeated) header row is no content


def _looks_continued(previous: Paragraph, paragraph: Paragraph) -> bool:
    """Whether `paragraph` reads as the rest of `previous` (split by a page or column break)."""
    if paragraph.label or paragraph.marker is not None or not paragraph.text:
        return False
    if paragraph.text[:1].islower():
        return True
    tail = previous.text.rstrip()
    if not tail or tail[-1] in ".!?:;)":
        return False
    last_word = tail.split()[-1].lower()
    return tail[-1] in ",-–" or last_word in _continuing_words()


@cache
def _continuing_words_of(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


def _continuing_words() -> frozenset[str]:
    """Words a sentence does not end on (rules: text.continuing_words): a text ending in one
    goes on after a page or column break."""
    return _continuing_words_of(tuple(rules("text").get("continuing_words", ())))


def _same_columns(a: list[float], b: list[float]) -> bool:
    """Whether two tables have the same columns: the same count, the boundaries inside the
    table close (a table without rulings is measured from its text, which moves a little)."""
    if len(a) != len(b) or len(a) < 2:
        return False
    tolerance = max(3.0, SAME_COLUMN_SHARE * (a[-1] - a[0]))
    return all(abs(x - y) <= tolerance for x, y in zip(a[1:-1], b[1:-1], strict=True))
