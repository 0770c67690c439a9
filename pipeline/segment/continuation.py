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

A labelled paragraph, a list item or an empty one never carries on anything.
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
