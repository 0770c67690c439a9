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
from collections import Counter
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import NamedTuple

from maalspor.models.page import BoxTuple, PageContent, Ruling, Word

# pdfplumber's DEFAULT_X_TOLERANCE and DEFAULT_Y_TOLERANCE (points).
X_TOLERANCE = 3.0
Y_TOLERANCE = 3.0
# pdfplumber's LIGATURES: a ligature glyph reads as its letters.
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}
_LIGATURE_TABLE = str.maketrans(LIGATURES)
# Fonts whose names say they are bold (PostScript names: "Carlito-Bold", "Arial,Bold",
# "TimesNewRomanPS-BoldMT", "Helvetica-BoldOblique", "Segoe UI Semibold") or italic.
BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|,b\b|-b$", re.IGNORECASE)
ITALIC_FONT = re.compile(r"italic|oblique|,i\b|-i$", re.IGNORECASE)
# White text (every colour channel at least this share of full) on no darker fill is hidden.
WHITE_LEVEL = 0.98
# A baseline within this share of its length of an axis runs along it: a quarter turn written
# with cos and sin leaves 6e-17 where 0 is meant (pypdf, reportlab).
AXIS_TOLERANCE = 1e-6


class Char(NamedTuple):
    """One glyph as an engine reads it, in page coordinates (top-left origin, crop box).

    It may also be a run of a word's characters that lie one after the other as their widths
    put them (one text object, upright, not white, on the page), possibly followed by the
    space after the word; the box is the characters' (not the space's). Each rule below then
    gives for the run what it gives for its characters: none of them can split it (the
    characters abut), nothing else lies between them, and the space ends the word. The pdfium
    engine reads most words so, which spares a tuple per character here and in the engine.
    """

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    fontname: str
    upright: bool  # reads left to right on the displayed page
    white: bool = False  # filled in white (visible only on a dark fill)
    # Which way its baseline runs on the displayed page (`direction_of`): 0 left to right,
    # 90 down, 180 upside down, 270 up, -1 askew. Engines may leave it off (0) where it is 0.
    direction: int = 0


_GROUP_KEY = itemgetter(7, 6, 5)  # upright, fontname, size
_X0 = itemgetter(1)
_TOP = itemgetter(2)
_X1 = itemgetter(3)
_BOTTOM = itemgetter(4)
_WHITE = itemgetter(8)


def direction_of(a: float, b: float) -> int:
    """Which way a baseline runs whose direction is (a, b) on the displayed page, y up (a text
    matrix's first row): 0 left to right, 90 down, 180 right to left (upside down), 270 up, -1
    askew."""
    if abs(b) <= AXIS_TOLERANCE * abs(a) and a:
        return 0 if a > 0 else 180
    if abs(a) <= AXIS_TOLERANCE * abs(b) and b:
        return 90 if b < 0 else 270
    return -1


def text_direction(chars: Sequence[Char]) -> int:
    """The direction (`direction_of`) the page's text runs in: 0, unless more of its characters
    run in one other direction (90, 180, 270) than left to right."""
    counts: Counter[int] = Counter()
    for char in chars:
        if len(char) > 9 and char[9]:
            counts[char[9]] += len(char[0])
    if not counts:
        return 0
    turn, sideways = max(counts.items(), key=itemgetter(1))
    if turn < 0:
        return 0
    upright = sum(len(c[0]) for c in chars if len(c) <= 9 or not c[9])
    return turn if sideways > upright else 0


def turn_page(raw: RawPage, turn: int) -> RawPage:
    """The page turned `turn` degrees counter-clockwise (90, 180, 270), so that text whose
    baseline ran in direction `turn` runs left to right: every box, the page's size and its
    rotation follow; the characters of that direction become upright, the others not."""
    if not turn:
        return raw
    width, height = raw.width, raw.height
    if turn == 90:  # text ran down: the page's left edge becomes its top

        def box(x0: float, top: float, x1: float, bottom: float) -> BoxTuple:
            return top, width - x1, bottom, width - x0

        size = (height, width)
    elif turn == 270:  # text ran up: the page's left edge becomes its bottom

        def box(x0: float, top: float, x1: float, bottom: float) -> BoxTuple:
            return height - bottom, x0, height - top, x1

        size = (height, width)
    else:

        def box(x0: float, top: float, x1: float, bottom: float) -> BoxTuple:
            return width - x1, height - bottom, width - x0, height - top

        size = (width, height)
    chars = []
    for char in raw.chars:
        direction = char[9] if len(char) > 9 else 0
        direction = (direction - turn) % 360 if direction >= 0 else -1
        chars.append(
            Char(char[0], *box(*char[1:5]), *char[5:7], direction == 0, char[8], direction)
        )
    rulings = [Ruling(*box(r.x0, r.top, r.x1, r.bottom)) for r in raw.rulings]
    return raw._replace(
        width=size[0],
        height=size[1],
        rotation=(raw.rotation - turn) % 360,
        chars=chars,
        rulings=rulings,
        image_boxes=[box(*b) for b in raw.image_boxes],
        dark_fills=[box(*b) for b in raw.dark_fills],
        turned=turn,
    )


def words_of(chars: Sequence[Char]) -> list[Word]:
    """Upright words of a page's characters (rotated text is not read, as before).

    Characters are read by position (`Char` fields in order), so engines may hand in plain
    tuples of the same shape.
    """
    words: list[Word] = []
    for (upright, _, _), group in itertools.groupby(chars, key=_GROUP_KEY):
        if not upright:
            continue
        for line in _lines_of(list(group)):
            _split_words(line, words)
    return words


def _lines_of(chars: list[Char]) -> Iterable[list[Char]]:
    """Lines by chained top within Y_TOLERANCE (pdfplumber's `cluster_objects`), each by x0."""
    if len(chars) == 1:
        return [chars]
    tops = sorted({c[2] for c in chars})
    if tops[-1] - tops[0] <= Y_TOLERANCE:
        return [sorted(chars, key=_X0)]  # one line (the usual case: a text object per line)
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
    # Each line keeps its characters in content order before the sort by x0 (as a stable sort
    # by line would), whatever order the lines come in.
    lines: dict[int, list[Char]] = {}
    # Runs of one top (a text object's characters share theirs) go to their line whole.
    for top, run in itertools.groupby(chars, key=_TOP):
        line = cluster_of[top]
        found = lines.get(line)
        if found is None:
            lines[line] = list(run)
        else:
            found.extend(run)
    return [sorted(lines[line], key=_X0) for line in sorted(lines)]


def _split_words(line: list[Char], words: list[Word]) -> None:
    current: list[Char] = []
    previous = None
    for char in line:
        text = char[0]
        if text[0].isspace():
            if current:
                _add_word(current, words)
                current = []
            continue
        if current and (
            char[1] < previous[1]
            or char[1] > previous[3] + X_TOLERANCE
            or abs(char[2] - previous[2]) > Y_TOLERANCE
        ):
            _add_word(current, words)
            current = [char]
        else:
            current.append(char)
        previous = char
        if text[-1].isspace():  # a run of a word's characters and the space after it
            _add_word(current, words)
            current = []
    if current:
        _add_word(current, words)


def _add_word(chars: list[Char], words: list[Word]) -> None:
    first = chars[0]
    if len(chars) == 1:
        text = first[0]
        x0, top, x1, bottom = first[1], first[2], first[3], first[4]
    else:
        text = "".join([c[0] for c in chars])
        x0, top, x1, bottom = first[1], first[2], first[3], first[4]
        for c in chars:
            if c[1] < x0:
                x0 = c[1]
            if c[2] < top:
                top = c[2]
            if c[3] > x1:
                x1 = c[3]
            if c[4] > bottom:
                bottom = c[4]
    if not text.isascii():  # ligature glyphs are not ASCII (the check is the cheaper)
        text = text.translate(_LIGATURE_TABLE)
    if text[-1:].isspace():
        text = text.rstrip()  # the space after a run (see `Char`)
    if not text.strip():
        return
    fontname = first[6]
    words.append(
        Word(
            text, x0, top, x1, bottom, first[5], _is_bold(fontname), _is_italic(fontname), fontname
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
    table header or on an image is.
    """
    if not chars:
        return []
    if not any(map(_WHITE, chars)):  # the usual page: only the page's edges to check
        if (
            min(map(_X1, chars)) > 0
            and max(map(_X0, chars)) < width
            and min(map(_BOTTOM, chars)) > 0
            and max(map(_TOP, chars)) < height
        ):
            return chars  # all on the page (the loops above run in C)
        return [c for c in chars if c[3] > 0 and c[1] < width and c[4] > 0 and c[2] < height]
    kept: list[Char] = []
    for char in chars:
        if char[3] <= 0 or char[1] >= width or char[4] <= 0 or char[2] >= height:
            continue
        if char[8]:
            cx, cy = (char[1] + char[3]) / 2, (char[2] + char[4]) / 2
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
    # Degrees the page was turned counter-clockwise so that its text runs left to right
    # (`turn_page`; 0: its text ran so as displayed).
    turned: int = 0
    # The page holds forms nested deeper than PDFium reads (`too_deep`), and its characters
    # were read by the other engine (`fallback`, pdfminer).
    too_deep: bool = False
    fallback: bool = False


def page_content(raw: RawPage) -> PageContent:
    # White text on a photo (a cover's title) is read like white text on a coloured fill.
    chars = visible(raw.chars, raw.width, raw.height, [*raw.dark_fills, *raw.image_boxes])
    words = words_of(chars)
    outside = 0
    if not words and raw.chars:
        outside = sum(
            1
            for c in raw.chars
            if c[0].strip()
            and not (c[3] > 0 and c[1] < raw.width and c[4] > 0 and c[2] < raw.height)
        )
    return PageContent(
        number=raw.number,
        width=raw.width,
        height=raw.height,
        rotation=raw.rotation,
        words=words,
        rulings=raw.rulings,
        image_boxes=raw.image_boxes,
        outside_chars=outside,
        turned=raw.turned,
        too_deep=raw.too_deep,
        fallback=raw.fallback,
    )
