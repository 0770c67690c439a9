"""List numbers as Word shows them ("1.", "1.2", "a)", "iv.", a bullet), from word/numbering.xml.

A numbered paragraph names a list instance (`w:num`, by numId) and a level (ilvl); the instance
points at a list definition (`w:abstractNum`) whose level gives the start, the number format
(decimal, letters, roman numerals, bullet) and the text around the numbers ("%1.%2" shows the
numbers of levels 1 and 2). Numbers count per definition, in document order: a level counts on
from the last paragraph at that level, and restarts after a paragraph at a higher level; an
instance with a start override restarts its levels where it is first used (Word's "restart
numbering"). Any bullet is shown as "•", whatever font its glyph is in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from maalspor.extract.docx.styles import W, val

BULLET = "•"
_LEVELS = 9  # Word's lists have levels 0-8
_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)
_ALPHABET = 26


@dataclass(frozen=True, slots=True)
class Level:
    start: int
    format: str  # w:numFmt: decimal, lowerLetter, upperRoman, bullet, none, ...
    text: str  # w:lvlText: "%1.", "%1.%2", "(%1)"
    legal: bool  # w:isLgl: every level's number shown in decimal ("1.1" under "I.")
    restart: int | None  # w:lvlRestart (1-based level after which it restarts; 0: never)
    suffix: str  # what stands between the number and the text: tab, space or nothing
    style: str | None  # w:pStyle: the paragraph style this level belongs to
    rpr: Element | None  # the number's own run properties


@dataclass(slots=True)
class Label:
    """A paragraph's list number as shown, with the properties of its own run."""

    text: str
    separator: str  # " " (tab or space), or "" (nothing)
    rpr: Element | None


@dataclass(slots=True)
class _Instance:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)  # level → w:startOverride
    levels: dict[int, Level] = field(default_factory=dict)  # levels the instance redefines


def _level(element: Element) -> Level:
    start = val(element, "start")
    restart = val(element, "lvlRestart")
    legal = element.find(f"{W}isLgl")
    return Level(
        start=int(start) if start and start.lstrip("-").isdigit() else 0,
        format=val(element, "numFmt") or "decimal",
        text=val(element, "lvlText") or "",
        legal=legal is not None and (legal.get(f"{W}val") or "1") not in ("0", "false", "off"),
        restart=int(restart) if restart and restart.isdigit() else None,
        suffix=val(element, "suff") or "tab",
        style=val(element, "pStyle"),
        rpr=element.find(f"{W}rPr"),
    )


def _levels(element: Element) -> dict[int, Level]:
    found: dict[int, Level] = {}
    for lvl in element.findall(f"{W}lvl"):
        level = lvl.get(f"{W}ilvl") or "0"
        if level.isdigit() and int(level) < _LEVELS:
            found[int(level)] = _level(lvl)
    return found


def format_number(number: int, kind: str) -> str:
    """A number in a Word number format; formats not listed here are shown in decimal."""
    if kind in ("lowerLetter", "upperLetter") and number > 0:
        letter = chr(ord("a") + (number - 1) % _ALPHABET) * ((number - 1) // _ALPHABET + 1)
        return letter if kind == "lowerLetter" else letter.upper()
    if kind in ("lowerRoman", "upperRoman") and number > 0:
        roman = ""
        for value, numeral in _ROMAN:
            count, number = divmod(number, value)
            roman += numeral * count
        return roman if kind == "lowerRoman" else roman.upper()
    if kind == "decimalZero":
        return f"{number:02d}"
    if kind == "none":
        return ""
    return str(number)


class Numbering:
    """The numbering part read once, and the counters of the lists met so far."""

    def __init__(self, root: Element | None, style_numbering: Callable[[str], str | None]) -> None:
        self._abstract: dict[str, dict[int, Level]] = {}
        self._links: dict[str, str] = {}  # abstract id → list style it takes its levels from
        self._instances: dict[str, _Instance] = {}
        self._style_numbering = style_numbering
        if root is not None:
            for abstract in root.iter(f"{W}abstractNum"):
                key = abstract.get(f"{W}abstractNumId") or ""
                self._abstract[key] = _levels(abstract)
                link = val(abstract, "numStyleLink")
                if link:
                    self._links[key] = link
            for num in root.iter(f"{W}num"):
                instance = _Instance(abstract=val(num, "abstractNumId") or "")
                for override in num.findall(f"{W}lvlOverride"):
                    level = override.get(f"{W}ilvl") or "0"
                    if not level.isdigit():
                        continue
                    start = val(override, "startOverride")
                    if start and start.isdigit():
                        instance.starts[int(level)] = int(start)
                    redefined = override.find(f"{W}lvl")
                    if redefined is not None:
                        instance.levels[int(level)] = _level(redefined)
                self._instances[num.get(f"{W}numId") or ""] = instance
        self._counters: dict[str, dict[int, int]] = {}
        self._started: set[str] = set()

    def level_of_style(self, num_id: str, style_id: str | None) -> int:
        """The level of a list that a paragraph style is linked to (the level naming it)."""
        instance = self._instances.get(num_id)
        if instance is None or style_id is None:
            return 0
        for number, level in sorted(self._definition(instance.abstract).items()):
            if level.style == style_id:
                return number
        return 0

    def label(self, num_id: str, level: int) -> Label | None:
        """The number of the next paragraph of list `num_id` at `level` (counted), or None
        when the list or level is not defined."""
        instance = self._instances.get(num_id)
        if instance is None:
            return None
        levels = {**self._definition(instance.abstract), **instance.levels}
        definition = levels.get(level)
        if definition is None:
            return None
        counters = self._counters.setdefault(instance.abstract, {})
        if num_id not in self._started:
            self._started.add(num_id)
            for overridden, start in instance.starts.items():
                counters[overridden] = start - 1
                for deeper in [d for d in counters if d > overridden]:
                    del counters[deeper]
        counters[level] = counters.get(level, definition.start - 1) + 1
        for deeper in [d for d in counters if d > level]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart != 0 and (restart is None or restart - 1 >= level):
                del counters[deeper]
        separator = "" if definition.suffix == "nothing" else " "
        if definition.format == "bullet":
            return Label(BULLET, separator, definition.rpr)
        text = definition.text
        for number in range(_LEVELS, 0, -1):  # %10 is no placeholder: longest first anyway
            placeholder = f"%{number}"
            if placeholder not in text:
                continue
            shown = levels.get(number - 1)
            value = counters.get(number - 1, shown.start if shown else 1)
            kind = "decimal" if definition.legal else (shown.format if shown else "decimal")
            text = text.replace(placeholder, format_number(value, kind))
        return Label(text, separator, definition.rpr) if text.strip() else None

    def _definition(self, abstract: str) -> dict[int, Level]:
        """A definition's levels; one that only links to a list style takes that style's."""
        levels = self._abstract.get(abstract, {})
        link = self._links.get(abstract)
        if link and not levels:
            num_id = self._style_numbering(link)
            linked = self._instances.get(num_id or "")
            if linked is not None and linked.abstract != abstract:
                return self._abstract.get(linked.abstract, {})
        return levels
