"""Pass 2 of segmentation: which paragraphs are headings, with their section number and depth.

A heading is set larger than the body text, or in bold or capitals at body size and short; in
plain text input, which has no typography, a short line is a heading only where the structure
says so (numbered and standing alone, or introducing goals, or named by the rules). A source
that states its headings (a Word paragraph with an outline level, such as "Heading 1" or
"Overskrift 2": `Line.outline_level`) is a heading by that alone.
"""

from __future__ import annotations

from maalspor.language.text import join_lines
from maalspor.segment.labels import FieldKind
from maalspor.segment.structure import (
    Heading,
    Paragraph,
    follow_up_period,
    structure_patterns,
)
from maalspor.settings import Settings

# Characters that end a sentence or a clause: a line ending in one is running text, no heading.
_CLAUSE_END = ".,;"


def headings_of(
    paragraphs: list[Paragraph], body_size: float, is_text_input: bool, settings: Settings
) -> dict[int, Heading]:
    """The headings among the paragraphs, by their index."""
    headings: dict[int, Heading] = {}
    for index, paragraph in enumerate(paragraphs):
        heading = heading_of(paragraph, body_size, is_text_input, settings)
        if heading is None:
            continue
        if not is_text_input or _text_heading_fits(paragraphs, index, heading):
            headings[index] = heading
    return headings


def heading_of(
    paragraph: Paragraph, body_size: float, is_text_input: bool, settings: Settings
) -> Heading | None:
    """The paragraph as a heading, or None when it reads as anything else."""
    block = paragraph.block
    lines = paragraph.lines
    if paragraph.label or (paragraph.marker is not None and not paragraph.marker.isdigit()):
        return None
    full_width = (
        block.col_span >= len(block.columns) - 1
        and len(lines) <= settings.segment.heading_max_lines
    )
    # Text input's tables are found from the text alone, headings may land in a cell: the strict
    # structure rules for text headings (_text_heading_fits) decide there.
    if block.kind == "cell" and not full_width and not is_text_input:
        return None
    text = join_lines([ln.text for ln in lines])
    if not text or structure_patterns().toc_line.search(text):
        return None
    if is_text_input:
        too_long = len(text) > settings.segment.text_heading_max_chars
        if len(lines) != 1 or too_long or text[-1] in _CLAUSE_END:
            return None
    elif lines[0].outline_level is None and not _set_as_heading(
        paragraph, text, body_size, settings
    ):
        return None
    number, title, depth = section_number(text)
    if is_text_input and depth > 1:
        return None  # "1.2 ..." alone on a line of plain text: too weak a sign of a heading
    size = max(ln.size for ln in lines)
    return Heading(
        text=text, size=size, page=paragraph.page, number=number, title=title, depth=depth
    )


def _set_as_heading(paragraph: Paragraph, text: str, body_size: float, settings: Settings) -> bool:
    """Whether the typography makes the paragraph a heading: larger, or short in bold or
    capitals (a cell's heading only in bold)."""
    lines = paragraph.lines
    limits = settings.segment
    larger = bool(body_size) and all(
        ln.size >= body_size * settings.layout.heading_size_ratio for ln in lines
    )
    short = (
        len(text) <= settings.layout.bold_heading_max_chars
        and text[-1] not in _CLAUSE_END
        and len(lines) <= settings.segment.heading_max_lines
    )
    bold = all(ln.bold for ln in lines) and short
    letters = [ch for ch in text if ch.isalpha()]
    upper = (
        len(letters) >= limits.uppercase_heading_min_letters
        and sum(ch.isupper() for ch in letters) >= limits.uppercase_heading_share * len(letters)
        and short
    )
    if not (larger or bold or upper):
        return False
    return paragraph.block.kind != "cell" or bold


def section_number(text: str) -> tuple[int | None, str, int]:
    """(number, title, depth) of a heading: "2. Læring" → (2, "Læring", 1); "2.1 X" has depth 2."""
    match = structure_patterns().section_heading.match(text)
    if match and not structure_patterns().not_section_number.match(text):  # "2016 i tal"
        parts = match.group("number").split(".")
        return int(parts[0]), match.group("title").strip(), len(parts)
    return None, text, 0


def _stands_alone(paragraphs: list[Paragraph], index: int) -> bool:
    """One line with blank lines (or its block's ends) above and below it."""
    paragraph = paragraphs[index]
    if len(paragraph.lines) != 1:
        return False
    block = paragraph.block
    position = next(i for i, line in enumerate(block.lines) if line is paragraph.lines[0])
    above = position == 0 or paragraph.lines[0].gap_before >= 1.0
    below = position == len(block.lines) - 1 or block.lines[position + 1].gap_before >= 1.0
    return above and below


def _text_heading_fits(paragraphs: list[Paragraph], index: int, heading: Heading) -> bool:
    """Text input has no typography, so a short line is a heading only where structure says so.

    A numbered heading stands alone between blank lines; an unnumbered one introduces goals
    (the next paragraph is a Mål label) or is a heading the rules name (follow-up part, TOC).
    """
    if index and paragraphs[index - 1].label_only:
        return False  # the line after "Opfølgning:" is its text ("Mål opnået"), no heading
    if follow_up_period(heading.text)[0]:
        return True  # named by the rules: no blank lines needed around it
    if not _stands_alone(paragraphs, index):
        return False
    if heading.number is not None:
        return True
    if heading.text.lower().rstrip(":") in structure_patterns().toc_headings:
        return True
    following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
    return following is not None and following.label is FieldKind.GOAL
