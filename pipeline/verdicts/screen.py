"""A cheap test that a regular expression cannot match a text: a literal it requires is absent.

The verdict rules are some 140 regular expressions, most starting at a word boundary
(`\\bviderefør(?:es|t|e)\\b`). Such a pattern gives Python's regex engine no prefix to scan
for, so searching a clause tries it at every position: a few microseconds per pattern and
clause, most of the time `classify` takes. A pattern whose top level holds a run of plain
characters ("viderefør") cannot match a text without that run, and a substring test says so
in a tenth of a microsecond; only the patterns it lets through are searched.

The test must never say "absent" where the pattern matches. For case-insensitive patterns,
texts and literals are compared case-folded as the regex engine compares characters: each
character lower-cased (one character to one: "İ" becomes "i" as the engine has it), and the
characters that the engine also takes for one another ("ſ" and "s", "ı" and "i", "µ" and
"μ") made one. A pattern with no such run of `MIN_LITERAL` characters is always searched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeVar

try:  # the regex engine's parser and case table (Python 3.11+); without them nothing is screened
    from re import _casefix, _parser
    from re._constants import LITERAL
except ImportError:  # pragma: no cover - other Python implementations
    _casefix = _parser = None  # type: ignore[assignment]
    LITERAL = None

T = TypeVar("T")
# A literal shorter than this is in too many texts to screen any out.
MIN_LITERAL = 3


def _case_groups() -> dict[int, str]:
    """Characters the engine matches case-insensitively beyond their lower case, each mapped
    to one of its group (the smallest), so that folded texts compare equal."""
    extra = getattr(_casefix, "_EXTRA_CASES", {})
    parent: dict[int, int] = {}

    def root(code: int) -> int:
        while parent.get(code, code) != code:
            code = parent[code]
        return code

    for lower, others in extra.items():
        for other in others:
            a, b = root(lower), root(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    codes = set(parent) | set(parent.values())
    return {code: chr(root(code)) for code in codes if root(code) != code}


# str.lower() maps one character to two only for "İ" (U+0130); the engine maps it to "i".
_BEFORE_LOWER = {0x130: "i"}
_CASE_GROUPS = _case_groups()


def fold(text: str) -> str:
    """The text as a case-insensitive pattern's characters see it, one character for one."""
    return text.translate(_BEFORE_LOWER).lower().translate(_CASE_GROUPS)


def required_literal(pattern: re.Pattern[str]) -> str | None:
    """The longest run of plain characters at the top level of the pattern (folded if the
    pattern ignores case), or None: any match contains it."""
    if _parser is None or not isinstance(pattern.pattern, str):
        return None
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # a pattern the parser of this Python reads otherwise: not screened
        return None
    best, run = "", []
    for op, value in list(parsed):
        if op is LITERAL:
            run.append(chr(value))
            continue
        if len(run) > len(best):
            best = "".join(run)
        run = []
    if len(run) > len(best):
        best = "".join(run)
    if len(best) < MIN_LITERAL:
        return None
    return fold(best) if _ignores_case(pattern) else best


def _ignores_case(pattern: re.Pattern[str]) -> bool:
    return bool(pattern.flags & int(re.IGNORECASE))


class PatternScreen:
    """The required literals of a set of patterns, to pass over those a text cannot match.

    `present(text)` tells which of the literals a text holds (one substring test each, however
    many patterns share a literal); a pattern may match the text only if its literal is among
    them (`searched`). Patterns without a literal, and patterns the screen was not made with,
    are always searched.
    """

    def __init__(self, patterns: Iterable[re.Pattern[str]]) -> None:
        self._patterns = tuple(patterns)  # kept alive: they are known by their id below
        self._literal_of: dict[int, tuple[str, bool]] = {}
        for pattern in self._patterns:
            literal = required_literal(pattern)
            if literal is not None:
                self._literal_of[id(pattern)] = (literal, _ignores_case(pattern))
        self._literals = frozenset(self._literal_of.values())

    def present(self, text: str) -> set[tuple[str, bool] | None]:
        """The literals (with whether they ignore case) that `text` holds, and None."""
        folded = fold(text)
        found: set[tuple[str, bool] | None] = {
            key for key in self._literals if key[0] in (folded if key[1] else text)
        }
        found.add(None)
        return found

    def searched(
        self, patterns: Iterable[re.Pattern[str]], present: set[tuple[str, bool] | None]
    ) -> list[re.Pattern[str]]:
        """Those of `patterns` that may match the text whose literals are `present`."""
        literal_of = self._literal_of.get
        return [p for p in patterns if literal_of(id(p)) in present]

    def searched_pairs(
        self, pairs: Iterable[tuple[T, re.Pattern[str]]], present: set[tuple[str, bool] | None]
    ) -> list[tuple[T, re.Pattern[str]]]:
        """Those of `(value, pattern)` pairs whose pattern may match (as `searched`)."""
        literal_of = self._literal_of.get
        return [(v, p) for v, p in pairs if literal_of(id(p)) in present]
