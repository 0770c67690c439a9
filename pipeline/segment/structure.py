"""The plan-structure rules compiled once, and the units segmentation's passes hand on.

`Paragraph` (pass 1's unit: lines of one block that read as one) and `Heading` (pass 2's) are
read by the later passes (`paragraphs.py`, `headings.py`, `assembler.py`); the
follow-up part's heading and a plan period ("2016-2017", "2016/17") are parsed by the rules in
`pipeline/rules/structure.toml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from maalspor.language.text import collapse
from maalspor.models.common import Period
from maalspor.models.page import Block, Line
from maalspor.rules import compiled, rules
from maalspor.segment.labels import FieldKind


@dataclass(frozen=True)
class StructurePatterns:
    follow_up_headings: tuple[re.Pattern, ...]
    toc_headings: frozenset[str]
    toc_line: re.Pattern
    section_heading: re.Pattern
    not_section_number: re.Pattern
    title: tuple[re.Pattern, ...]
    organisation: re.Pattern
    page_numbers: tuple[re.Pattern, ...]  # boilerplate_lines: "Side 3 af 5", "- 4 -"


@cache
def _compile(structure_key: str) -> StructurePatterns:
    structure = rules("structure")
    flags = re.IGNORECASE
    return StructurePatterns(
        follow_up_headings=tuple(re.compile(p, flags) for p in structure["follow_up_headings"]),
        toc_headings=frozenset(h.lower() for h in structure["toc_headings"]),
        toc_line=re.compile(structure["toc_line"], flags),
        section_heading=re.compile(structure["section_heading"], flags),
        not_section_number=re.compile(structure["not_section_number"], flags),
        title=tuple(re.compile(p, flags) for p in structure["title_patterns"]),
        organisation=re.compile(structure["organisation_pattern"]),
        page_numbers=tuple(re.compile(p, flags) for p in structure["boilerplate_lines"]),
    )


def structure_patterns() -> StructurePatterns:
    # Keyed on the rules' content, so a user's rules file (loaded later) gets its own compile.
    return compiled("structure", _compile)


@dataclass
class Paragraph:
    """Consecutive lines of one block that read as one unit."""

    lines: list[Line]
    block: Block
    marker: str | None = None  # list marker ("•", "1") when it is a list item
    label: FieldKind | None = None  # field its first line labels, if any
    label_only: bool = False  # the paragraph is just the label
    continuation: bool = False  # continues the paragraph before it (across a page or column)
    text: str = ""

    @property
    def page(self) -> int:
        return self.block.page


@dataclass
class Heading:
    """A paragraph read as a heading: its section number and title, its size for levels."""

    text: str
    size: float
    page: int
    number: int | None
    title: str
    depth: int = 0  # 1 for "2 Læring", 2 for "2.1 Netværk"; 0 when unnumbered


def follow_up_period(text: str) -> tuple[bool, Period | None]:
    """Whether the text is the follow-up part's heading, and the period it names (if any)."""
    for pattern in structure_patterns().follow_up_headings:
        match = pattern.search(text)
        if match:
            label = match.groupdict().get("period")
            return True, parse_period(label) if label else None
    return False, None


_PERIOD = re.compile(r"(?P<start>(?:19|20)\d\d)(?:\s*[-/–]\s*(?P<end>(?:19|20)?\d\d))?")


def parse_period(text: str | None) -> Period | None:
    """'2016-2017', '2016/17', '2016 - 17', '2015' → Period; None when no year is in the text."""
    if not text:
        return None
    match = _PERIOD.search(text)
    if not match:
        return None
    start = int(match.group("start"))
    end_text = match.group("end")
    if end_text is None:
        end = start
    elif len(end_text) == 2:
        end = (start // 100) * 100 + int(end_text)
        if end < start:
            end += 100
    else:
        end = int(end_text)
    if end < start or end - start > 10:
        return Period(label=str(start), start=start, end=start)
    return Period(label=collapse(match.group(0)), start=start, end=end)
