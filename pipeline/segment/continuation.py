"""One rule for text that a column or page break cut: does a paragraph carry on the one before?

Layout marks where text may go on (`Block.flow`: the foot of a column, or of a page) and which
table rows stand at a page's foot and top; this module judges the words on either side of the
break, for running text and table cells alike:

- the paragraph starts in lower case ("... og" / "kommunerne"), or
- the text before the break ends open: a comma, a hyphen, or a word a sentence does not end on
  (`continuing_words` in `pipeline/rules/text.toml`), or
- in running text, the last line before the break was ended by the column's edge, not by the
  end of its paragraph: the next word would not have fitted after it (a sentence may end
  there, its paragraph goes on).

A labelled paragraph, a list item or an empty one never carries on anything as text. A table
row at the top of a page carries on the row the page before ended with (`row_continues`, the
one rule for ruled, unruled, filled and OCR'd tables) when its first cell in the goal column has
no label and starts in lower case or ends an open text, or continues a numbering: its list
number follows the last one above ("2." → "3."), or it opens a numbered list ("1.") with
nothing beside it in the row (the rest of a goal's sub-goals, the other cells done).
"""

from __future__ import annotations

from functools import cache

from maalspor.models.page import Block, FlowLink
from maalspor.rules import rules
from maalspor.segment.structure import Paragraph
from maalspor.settings import Settings

# Marks after which a sentence goes on.
_OPEN_ENDS = ",-–"


def may_continue(block: Block) -> bool:
    """Whether the text of a block may go on in the next block: layout linked it to the next
    column or page."""
    return block.kind == "text" and block.flow in (FlowLink.NEXT_COLUMN, FlowLink.NEXT_PAGE)


def continues(previous: Paragraph, paragraph: Paragraph, settings: Settings) -> bool:
    """Whether `paragraph`, first after a break, reads as the rest of `previous`."""
    if paragraph.label or paragraph.marker is not None or not paragraph.text:
        return False
    if paragraph.text[:1].islower():
        return True
    tail = previous.text.rstrip()
    if not tail:
        return False
    if tail[-1] in _OPEN_ENDS or tail.split()[-1].lower() in _continuing_words():
        return True
    # A line filled to a table cell's edge says nothing: the next row begins at a page's top
    # as often as the row goes on there.
    return previous.block.kind == "text" and wrapped(previous, paragraph, settings)


def row_continues(
    previous: list[Paragraph], first: Paragraph, alone: bool, settings: Settings
) -> bool:
    """Whether a table cell at the top of a page (`first`, its first paragraph) carries on the
    field above it (`previous`, that field's paragraphs); `alone`: the other cells of its row
    are empty."""
    texts = [p for p in previous if p.text]
    if first.label or not first.text or not texts:
        return False
    number = _list_number(first.marker)
    if number is not None:
        numbers = [n for n in (_list_number(p.marker) for p in texts) if n is not None]
        follows = numbers[-1] + 1 if numbers else 1
        return number == follows and (bool(numbers) or alone)
    return continues(texts[-1], first, settings)


def _list_number(marker: str | None) -> int | None:
    """The number of a numbered list item ("3" → 3), else None."""
    return int(marker) if marker and marker.isdigit() else None


def wrapped(previous: Paragraph, paragraph: Paragraph, settings: Settings) -> bool:
    """Whether the last line of `previous` was ended by the column's edge, not by the end of
    its paragraph: the first word of `paragraph` would not have fitted after it."""
    last, first = previous.lines[-1], paragraph.lines[0]
    if last.bbox is None or first.bbox is None or previous.block.bbox is None:
        return False
    block = previous.block.bbox
    width = max((ln.bbox[2] for ln in previous.block.lines if ln.bbox), default=block[2]) - block[0]
    if width <= 0 or not first.text.strip():
        return False
    char = (first.bbox[2] - first.bbox[0]) / max(1, len(first.text))
    word = len(first.text.split()[0]) * char
    return last.bbox[2] + char + word > block[0] + width + settings.segment.wrap_slack * char


@cache
def _continuing_words_of(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


def _continuing_words() -> frozenset[str]:
    return _continuing_words_of(tuple(rules("text").get("continuing_words", ())))
