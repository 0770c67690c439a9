"""Pass 3 of segmentation: paragraphs and headings in reading order → drafts of goals.

The walk is a small state machine. Its state is a `Cursor`: which part of the plan it is in
(the plan's own goals, or the follow-up part on last period's goals), the section, and the goal
being filled with the field its next text feeds. Each kind of paragraph is one transition:

- a heading sets the section and ends the goal; the follow-up heading switches the part;
- a label opens a field: Mål opens a goal, Dokumentation / Opfølgning switch the open goal's field;
- content feeds the open field (and nothing when no goal is open);
- a table cell takes its field from its label, the table's header row or the row before it
  (`pipeline/segment/tables.py`).

`pipeline/segment/drafts.py` turns the drafts into the output's models.
"""

from __future__ import annotations

from maalspor.language.text import join_two
from maalspor.models.common import Period
from maalspor.models.page import DocumentText
from maalspor.models.plan import Section
from maalspor.segment.labels import FieldKind
from maalspor.segment.structure import Heading, Paragraph, follow_up_period, structure_patterns
from maalspor.segment.tables import TableReader
from maalspor.segment.walk import SAME_SIZE, Cursor, Draft, Outline, Part
from maalspor.settings import Settings


def assemble(
    document: DocumentText,
    paragraphs: list[Paragraph],
    headings: dict[int, Heading],
    settings: Settings,
) -> Outline:
    """Walk the paragraphs in reading order and fill goals and follow-ups."""
    walk = Assembler(document.kind == "text", settings)
    walk.tables.index_rows(paragraphs)
    for index, paragraph in enumerate(paragraphs):
        heading = headings.get(index)
        if heading is not None:
            walk.heading(heading)
        else:
            walk.paragraph(paragraph)
            walk.tables.seen(paragraph)
        walk.last_paragraph = paragraph
    return walk.outline


class Assembler:
    """The transitions of the walk, one per kind of paragraph."""

    def __init__(self, is_text_input: bool, settings: Settings) -> None:
        self.is_text = is_text_input
        self.cursor = Cursor()
        self.outline = Outline()
        self.tables = TableReader(self, settings)
        self.last_paragraph: Paragraph | None = None
        # What headings before this one said: the follow-up heading's size (a heading as large
        # ends the part) and the last section's number (text input numbers its sections).
        self.follow_up_heading_size = 0.0
        self.last_section_number = 0
        self.interleaving = False  # pairing goals listed before their documentation

    @property
    def in_follow_up(self) -> bool:
        return self.cursor.part is Part.FOLLOW_UP

    # -- goals and fields

    def open_goal(self) -> Draft:
        cursor = self.cursor
        draft = Draft(section=cursor.section)
        (self.outline.follow_ups if self.in_follow_up else self.outline.goals).append(draft)
        # The plan's sections are those that hold its own goals (not the follow-up's groups).
        sections = self.outline.sections
        in_sections = sections and sections[-1] is cursor.section
        if cursor.section is not None and not self.in_follow_up and not in_sections:
            sections.append(cursor.section)
        cursor.draft, cursor.field = draft, FieldKind.GOAL
        self.interleaving = False
        return draft

    def close_goal(self) -> None:
        self.cursor.draft = self.cursor.field = None

    def feed(self, draft: Draft, kind: FieldKind, paragraph: Paragraph) -> None:
        """Add a paragraph to a field; a continuation joins the field's last paragraph."""
        part = draft.parts[kind]
        texts = [p for p in part.paragraphs if p.text]
        if paragraph.continuation and texts:
            previous = texts[-1]
            previous.text = join_two(previous.text, paragraph.text)
            # The piece stays as a text-less paragraph: provenance of its lines on its own page.
            paragraph.text = ""
        part.paragraphs.append(paragraph)

    def start_field(self, kind: FieldKind, paragraph: Paragraph) -> None:
        """A label: Mål opens a goal; another label switches the open goal's field."""
        cursor = self.cursor
        if kind is FieldKind.GOAL or cursor.draft is None:
            if kind is not FieldKind.GOAL and cursor.draft is None:
                return  # a Dokumentation with no goal before it: nothing to attach it to
            self.open_goal()
        if kind is FieldKind.DOCUMENTATION and self.is_text:
            cursor.draft = self._interleaved_target() or cursor.draft
        cursor.field = kind
        if not paragraph.label_only:
            assert cursor.draft is not None
            self.feed(cursor.draft, kind, paragraph)

    def _interleaved_target(self) -> Draft | None:
        """Plain text of a two-column goal table lists the goals first, then their documentation
        ("Mål: A", "Mål: B", "Dokumentation: a", "Dokumentation: b"): pair them in order.

        Only for text input, and only when two or more goals in a row still lack documentation.
        """
        drafts = self.outline.follow_ups if self.in_follow_up else self.outline.goals
        run: list[Draft] = []
        for draft in reversed(drafts):
            documented = draft.parts[FieldKind.DOCUMENTATION].paragraphs
            if documented or draft.section is not self.cursor.section:
                break
            run.append(draft)
        run.reverse()
        if len(run) >= 2:
            self.interleaving = True
        return run[0] if run and self.interleaving else None

    # -- headings

    def heading(self, heading: Heading) -> None:
        is_follow_up, period = follow_up_period(heading.text)
        if is_follow_up:
            self._enter_follow_up(heading, period)
        elif heading.text.lower().rstrip(":") in structure_patterns().toc_headings:
            self.close_goal()
        else:
            if self.in_follow_up and self._ends_follow_up(heading):
                self.cursor.part = Part.PLAN
            self._section_heading(heading)

    def _enter_follow_up(self, heading: Heading, period: Period | None) -> None:
        self.close_goal()
        self.cursor.part = Part.FOLLOW_UP
        self.cursor.section = None
        self.outline.follow_up_period = period or self.outline.follow_up_period
        self.follow_up_heading_size = heading.size

    def _section_heading(self, heading: Heading) -> None:
        if heading.depth > 1:
            self.close_goal()  # a sub-section ends the goal before it, the section goes on
            return
        if self.is_text and not self.in_follow_up and not self._text_section(heading):
            return
        self.close_goal()
        if heading.number is not None and not self.in_follow_up:
            self.last_section_number = heading.number
        self.cursor.section = Section(number=heading.number, title=heading.title)

    def _text_section(self, heading: Heading) -> bool:
        """Text input has no typography: an unnumbered short line inside a goal is content, and
        a numbered line out of sequence is a list item, not a section."""
        if heading.number is None:
            return self.cursor.draft is None
        return heading.number == self.last_section_number + 1

    def _ends_follow_up(self, heading: Heading) -> bool:
        if self.is_text:
            return heading.number is not None and heading.number == self.last_section_number + 1
        size = self.follow_up_heading_size
        return bool(size) and heading.size >= size - SAME_SIZE

    # -- paragraphs

    def paragraph(self, paragraph: Paragraph) -> None:
        if paragraph.block.kind == "cell":
            self.tables.cell_paragraph(paragraph)
            return
        previous = self.last_paragraph
        if (
            previous is not None
            and previous.block.kind == "cell"
            and paragraph.label not in (FieldKind.DOCUMENTATION, FieldKind.FOLLOW_UP)
        ):
            # Text after a table ends the goal the table held, unless it carries on one of its
            # fields by label (an "Opfølgning:" row across a table drawn without lines).
            self.close_goal()
        if paragraph.label:
            self.start_field(paragraph.label, paragraph)
        elif self.cursor.draft is not None and self.cursor.field is not None:
            self.feed(self.cursor.draft, self.cursor.field, paragraph)
