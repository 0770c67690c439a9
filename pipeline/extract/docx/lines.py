"""A Word paragraph's runs → printed lines: words with the typography segmentation reads.

A paragraph's text is cut into lines only where it breaks itself (a line break, `w:br`): Word
wraps the rest when it lays out pages, which the document does not record. Within a line,
words are what spaces separate (a tab is kept as a tab: a label in the margin, a leader to a
page number in a typed table of contents); a word is bold when all its characters are, and its
size is that of its first character, as a PDF's words are measured. Soft hyphens are dropped
(they show only where a line wraps); non-breaking spaces stay inside their word.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from maalspor.extract.docx.styles import RunProps
from maalspor.models.page import Line, LocatorTuple

_SOFT_HYPHEN = "\u00ad"
_SEPARATORS = " \t\r\n"
_WORDS = re.compile(r"([ \t\r\n]+)")


Piece = tuple[str, bool, float]  # text, bold, size: a run's text on one line


@dataclass
class RunText:
    """The text of one paragraph as its runs give it: lines of pieces with their properties,
    and whether a page break stands before or after its text."""

    lines: list[list[Piece]] = field(default_factory=lambda: [[]])
    break_before: bool = False
    break_after: bool = False
    has_text: bool = False

    def text(self, text: str, props: RunProps) -> None:
        if _SOFT_HYPHEN in text:
            text = text.replace(_SOFT_HYPHEN, "")
        if not text:
            return
        if props.caps:
            text = text.upper()
        self.lines[-1].append((text, props.bold, props.size))
        if not self.has_text and text.strip(_SEPARATORS):
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
        self.lines[0][:0] = [(label + separator, props.bold, props.size)]

    def join(self, following: RunText) -> RunText:
        """This paragraph run on into the next (its paragraph mark deleted, and accepted)."""
        return RunText(
            lines=[*self.lines[:-1], self.lines[-1] + following.lines[0], *following.lines[1:]],
            break_before=self.break_before or following.break_before,
            break_after=following.break_after,
            has_text=self.has_text or following.has_text,
        )


def printed_lines(
    text: RunText, outline_level: int | None, locator: LocatorTuple | None
) -> list[Line]:
    """The paragraph's lines (empty ones left out), the first marked as starting it."""
    lines: list[Line] = []
    for pieces in text.lines:
        line = _line(pieces, not lines, outline_level, locator)
        if line is not None:
            lines.append(line)
    return lines


def _line(
    pieces: list[Piece], start: bool, outline_level: int | None, locator: LocatorTuple | None
) -> Line | None:
    if not pieces:
        return None
    bold, size = pieces[0][1], pieces[0][2]
    if all(piece[1] == bold and piece[2] == size for piece in pieces):
        # One typeface (most lines): the words need not be weighed one by one.
        text = "".join(piece[0] for piece in pieces).strip(_SEPARATORS)
        if not text:
            return None
        return Line(
            text=_gaps(text),
            size=round(size, 2),
            bold=bold,
            paragraph_start=start,
            outline_level=outline_level,
            locator=locator,
        )
    words: list[list] = []  # [text, bold, size]: a word's size is its first character's
    separators: list[str] = []
    gap = ""
    for text, bold, size in pieces:
        for part in _WORDS.split(text):
            if not part:
                continue
            if part[0] in _SEPARATORS:
                gap += part
            elif words and not gap:  # the word goes on in this run
                words[-1][0] += part
                words[-1][1] = words[-1][1] and bold
            else:
                if words:
                    separators.append("\t" if "\t" in gap else " ")
                words.append([part, bold, size])
                gap = ""
    if not words:
        return None
    parts = [words[0][0]]
    for separator, word in zip(separators, words[1:], strict=True):
        parts.append(separator)
        parts.append(word[0])
    prefix = 0
    while prefix < len(words) and words[prefix][1]:
        prefix += 1
    return Line(
        text="".join(parts),
        size=round(statistics.median(word[2] for word in words), 2),
        bold=prefix == len(words),
        bold_prefix=" ".join(w[0] for w in words[:prefix]) if 0 < prefix < len(words) else None,
        paragraph_start=start,
        outline_level=outline_level,
        locator=locator,
    )


def _gaps(text: str) -> str:
    """Each run of spaces, tabs and breaks between words as one space, or a tab when it holds
    one (most lines have neither tab nor double space: they are returned as they are)."""
    if "\t" in text:
        return _WORDS.sub(_separator, text)
    if "  " in text or "\n" in text or "\r" in text:
        return _WORDS.sub(" ", text)
    return text


def _separator(gap: re.Match) -> str:
    """What a run of spaces and tabs between two words prints as: a tab, or one space."""
    return "\t" if "\t" in gap.group(0) else " "
