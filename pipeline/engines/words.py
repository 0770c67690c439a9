"""Characters → words, the same way for every engine: pdfplumber's `extract_words` rules.

A character is a plain tuple (`Char`): engines make hundreds of thousands per document, and
tuples cost a fraction of a dict or a dataclass to build and read. The rules are pdfplumber's
defaults with `extra_attrs=["fontname", "size"]`, which the goldens were made with:
  1. consecutive characters of one direction, font and size form a group (content order);
  2. in a group, characters whose tops lie within Y_TOLERANCE of each other (chained) share a
     line; a line is read left to right;
  3. a space ends a word; so does a character that starts left of the previous one, more than
     X_TOLERANCE after its end, or more than Y_TOLERANCE above or below it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import NamedTuple

from models.page import BoxTuple, PageContent, Ruling, Word

# pdfplumber's DEFAULT_X_TOLERANCE and DEFAULT_Y_TOLERANCE (points).
X_TOLERANCE = 3.0
Y_TOLERANCE = 3.0
# pdfplumber's LIGATURES: a ligature glyph reads as its letters.
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}
# Fonts whose names say they are bold (PostScript names: "Carlito-Bold", "Arial,Bold",
# "TimesNewRomanPS-BoldMT", "Helvetica-BoldOblique", "Segoe UI Semibold") or italic.
BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|,b\b|-b$", re.IGNORECASE)
ITALIC_FONT = re.compile(r"italic|oblique|,i\b|-i$", re.IGNORECASE)
# White text (every colour channel at least this share of full) on no darker fill is hidden.
WHITE_LEVEL = 0.98


class Char(NamedTuple):
    """One glyph as an engine reads it, in page coordinates (top-left origin, crop box)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    fontname: str
    upright: bool  # reads left to right on the displayed page
    white: bool = False  # filled in white (visible only on a dark fill)


_GROUP_KEY = itemgetter(7, 6, 5)  # upright, fontname, size


def words_of(chars: Sequence[Char]) -> list[Word]:
    """Upright words of a page's characters (rotated text is not read, as before)."""
    words: list[Word] = []
    for (upright, _, _), group in itertools.groupby(chars, key=_GROUP_KEY):
        if not upright:
            continue
        group = list(group)
        for line in _lines_of(group):
            _split_words(line, words)
    return words


def _lines_of(chars: list[Char]) -> Iterable[list[Char]]:
    """Lines by chained top within Y_TOLERANCE (pdfplumber's `cluster_objects`), each by x0."""
    if len(chars) == 1:
        return [chars]
    tops = sorted({c.top for c in chars})
    cluster_of: dict[float, int] = {}
    index = 0
    last = tops[0]
    for top in tops:
        if top > last + Y_TOLERANCE:
            index += 1
        cluster_of[top] = index
        last = top
    if index == 0:
        return [sorted(chars, key=_X0)]
    ordered = sorted(chars, key=lambda c: cluster_of[c.top])
    return [
        sorted(line, key=_X0)
        for _, line in itertools.groupby(ordered, key=lambda c: cluster_of[c.top])
    ]


_X0 = itemgetter(1)


def _split_words(line: list[Char], words: list[Word]) -> None:
    current: list[Char] = []
    for char in line:
        if char.text.isspace():
            if current:
                _add_word(current, words)
                current = []
            continue
        if current:
            previous = current[-1]
            if (
                char.x0 < previous.x0
                or char.x0 > previous.x1 + X_TOLERANCE
                or abs(char.top - previous.top) > Y_TOLERANCE
            ):
                _add_word(current, words)
                current = [char]
                continue
        current.append(char)
    if current:
        _add_word(current, words)


def _add_word(chars: list[Char], words: list[Word]) -> None:
    text = "".join(LIGATURES.get(c.text, c.text) for c in chars)
    if not text.strip():
        return
    first = chars[0]
    if len(chars) == 1:
        x0, top, x1, bottom = first.x0, first.top, first.x1, first.bottom
    else:
        x0 = min(c.x0 for c in chars)
        top = min(c.top for c in chars)
        x1 = max(c.x1 for c in chars)
        bottom = max(c.bottom for c in chars)
    words.append(
        Word(
            text=text,
            x0=x0,
            top=top,
            x1=x1,
            bottom=bottom,
            size=first.size,
            bold=_is_bold(first.fontname),
            italic=_is_italic(first.fontname),
            fontname=first.fontname,
        )
    )


_bold_cache: dict[str, bool] = {}
_italic_cache: dict[str, bool] = {}


def _is_bold(fontname: str) -> bool:
    found = _bold_cache.get(fontname)
    if found is None:
        found = _bold_cache[fontname] = bool(BOLD_FONT.search(fontname))
    return found


def _is_italic(fontname: str) -> bool:
    found = _italic_cache.get(fontname)
    if found is None:
        found = _italic_cache[fontname] = bool(ITALIC_FONT.search(fontname))
    return found


def visible(chars: list[Char], width: float, height: float, dark_fills: list[BoxTuple]):
    """The characters a reader sees: on the page, and not white on white.

    Text outside the crop box (cut off by it) and white text with no darker fill under it
    (hidden keywords, leftovers of a template) is not content. White text on a coloured
    table header is.
    """
    kept: list[Char] = []
    for char in chars:
        if char.x1 <= 0 or char.x0 >= width or char.bottom <= 0 or char.top >= height:
            continue
        if char.white:
            cx, cy = (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2
            if not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in dark_fills):
                continue
        kept.append(char)
    return kept


def is_white(channels: Sequence[float], full: float = 1.0) -> bool:
    """Whether a fill colour (gray, RGB or CMYK channels, each 0..full) is white."""
    if len(channels) == 4:  # CMYK: no ink
        return all(c <= (1 - WHITE_LEVEL) * full for c in channels)
    if len(channels) in (1, 3):
        return all(c >= WHITE_LEVEL * full for c in channels)
    return False


class RawPage(NamedTuple):
    """What an engine reads from one page, before words are built."""

    number: int
    width: float
    height: float
    rotation: int
    chars: list[Char]
    rulings: list[Ruling]
    image_boxes: list[BoxTuple]
    dark_fills: list[BoxTuple]  # filled shapes in a colour other than white


def page_content(raw: RawPage) -> PageContent:
    chars = visible(raw.chars, raw.width, raw.height, raw.dark_fills)
    return PageContent(
        number=raw.number,
        width=raw.width,
        height=raw.height,
        rotation=raw.rotation,
        words=words_of(chars),
        rulings=raw.rulings,
        image_boxes=raw.image_boxes,
    )
