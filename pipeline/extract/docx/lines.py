"""A Word paragraph's runs → printed lines: words with the typography segmentation reads.

A paragraph's text is cut into lines only where it breaks itself (a line break, `w:br`): Word
wraps the rest when it lays out pages, which the document does not record. Within a line,
words are what spaces separate (a tab is kept as a tab: a label in the margin, a leader to a
page number in a typed table of contents); a word is bold when all its characters are, and its
size is that of its first character, as a PDF's words are measured. Soft hyphens are dropped
(they show only where a line wraps); non-breaking spaces stay inside their word.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from maalspor.extract.docx.styles import RunProps
from maalspor.models.common import Locator
from maalspor.models.page import Line

_SOFT_HYPHEN = "\u00ad"
_SEPARATORS = " \t\r\n"


@dataclass(slots=True)
class _Char:
    text: str
    bold: bool
    size: float


@dataclass
class RunText:
    """The text of one paragraph as its runs give it: lines of characters with properties,
    and whether a page break stands before or after its text."""

    lines: list[list[_Char]] = field(default_factory=lambda: [[]])
    break_before: bool = False
    break_after: bool = False
    has_text: bool = False

    def text(self, text: str, props: RunProps) -> None:
        if props.caps:
            text = text.upper()
        line = self.lines[-1]
        for char in text:
            if char == _SOFT_HYPHEN:
                continue
            line.append(_Char(char, props.bold, props.size))
            if char not in _SEPARATORS:
                self.has_text = True

    def line_break(self) -> None:
        self.lines.append([])

    def page_break(self) -> None:
        """A page break: before the paragraph when no text came yet, else after it (text after
        a break in the middle of a paragraph goes on on a new line of the same paragraph)."""
        if self.has_text:
            self.break_after = True
            self.line_break()
        else:
            self.break_before = True

    def prepend(self, label: str, separator: str, props: RunProps) -> None:
        """The list number before the text, as Word prints it."""
        chars = [_Char(c, props.bold, props.size) for c in label + separator]
        self.lines[0][:0] = chars

    def join(self, following: RunText) -> RunText:
        """This paragraph run on into the next (its paragraph mark deleted, and accepted)."""
        joined = RunText(
            lines=[*self.lines[:-1], self.lines[-1] + following.lines[0], *following.lines[1:]],
            break_before=self.break_before or following.break_before,
            break_after=following.break_after,
            has_text=self.has_text or following.has_text,
        )
        return joined


def printed_lines(text: RunText, outline_level: int | None, locator: Locator | None) -> list[Line]:
    """The paragraph's lines (empty ones left out), the first marked as starting it."""
    lines: list[Line] = []
    for chars in text.lines:
        line = _line(chars)
        if line is None:
            continue
        line.paragraph_start = not lines
        line.outline_level = outline_level
        line.locator = locator
        lines.append(line)
    return lines


def _line(chars: list[_Char]) -> Line | None:
    words: list[list[_Char]] = []
    separators: list[str] = []
    gap = ""
    for char in chars:
        if char.text in _SEPARATORS:
            gap += char.text
            continue
        if gap or not words:
            if words:
                separators.append("\t" if "\t" in gap else " ")
            words.append([])
            gap = ""
        words[-1].append(char)
    if not words:
        return None
    texts = ["".join(c.text for c in word) for word in words]
    bold = [all(c.bold for c in word) for word in words]
    parts = [texts[0]]
    for separator, word in zip(separators, texts[1:], strict=True):
        parts.append(separator)
        parts.append(word)
    prefix = 0
    while prefix < len(bold) and bold[prefix]:
        prefix += 1
    return Line(
        text="".join(parts),
        size=round(statistics.median(word[0].size for word in words), 2),
        bold=prefix == len(bold),
        bold_prefix=" ".join(texts[:prefix]) if 0 < prefix < len(bold) else None,
    )
