"""spaCy's Danish lemma table (spacy-lookups-data), held compactly.

The table maps some 550,000 word forms to 81,000 lemmas. As a dict of strings it holds about
110 MB, more than the rest of a 500-page parse together. Here a form is held by its hash in an
open-addressing array, beside the number of its lemma, and only the lemmas are strings: about
25 MB, read line by line from the JSON without building the dict or holding its text. A
look-up is a probe or two of the array.

A form is found by its 64-bit hash (Python's own `hash` of the string, made in this process):
another word with the same hash as a form of the table would be taken for it, which for
550,000 forms happens about once in 30,000 billion look-ups.
"""

from __future__ import annotations

import gzip
import json
import re
from array import array
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

# The share of a hash array's slots in use at most: probes stay short (1.5 on average).
MAX_LOAD = 0.6
# The smallest hash array, and about how many bytes of the table's JSON a pair takes (a line
# such as `    "billederne": "billede",`): sizes the arrays before the table is read.
MIN_SLOTS = 1024
BYTES_PER_PAIR = 36
# One "form": "lemma" pair of the JSON object (strings may hold escapes: \" \\ \u00e6).
_PAIR = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:\s*"((?:[^"\\]|\\.)*)"')


def _unescape(literal: str) -> str:
    return json.loads(f'"{literal}"') if "\\" in literal else literal


def read_pairs(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(form, lemma) of a JSON object of strings, given as its lines, in order, without
    building it.

    spacy-lookups-data writes a pair per line (`    "form": "lemma",`): such a line is cut at
    its quotes, five times faster than a regular expression; any other line is searched."""
    for line in lines:
        parts = line.split('"')
        if len(parts) == 5 and parts[2].strip() == ":" and "\\" not in line:
            yield parts[1], parts[3]
        elif '"' in line:
            for match in _PAIR.finditer(line):
                yield _unescape(match.group(1)), _unescape(match.group(2))


class _HashSlots:
    """An open-addressing hash set of 64-bit hashes in one array (no string kept), each with a
    small number beside it (`numbers`): a word costs 12 bytes / load factor, and filling it
    makes no object per word. It doubles when MAX_LOAD of it is in use."""

    def __init__(self, expected: int) -> None:
        size = MIN_SLOTS
        while size * MAX_LOAD < expected:
            size *= 2
        self._allocate(size)

    def _allocate(self, size: int) -> None:
        self.mask = size - 1
        self.limit = int(size * MAX_LOAD)
        self.used = 0
        self.slots = array("q", bytes(8 * size))  # 0: empty
        self.numbers = array("i", bytes(4 * size))

    def add(self, word: str, number: int = 0) -> None:
        """Put the word's hash in (with `number`; a word seen before takes the new number)."""
        if self.used >= self.limit:
            self._grow()
        self._put(hash(word) or 1, number)

    def _put(self, value: int, number: int) -> None:
        slots, mask = self.slots, self.mask
        at = value & mask
        found = slots[at]
        while found != value and found != 0:
            at = (at + 1) & mask
            found = slots[at]
        if found == 0:
            self.used += 1
        slots[at] = value
        self.numbers[at] = number

    def _grow(self) -> None:
        slots, numbers = self.slots, self.numbers
        self._allocate(2 * len(slots))
        for value, number in zip(slots, numbers, strict=True):
            if value:
                self._put(value, number)

    def find(self, word: str) -> int:
        """The slot of the word's hash, -1 if it is not there."""
        value = hash(word) or 1
        slots, mask = self.slots, self.mask
        at = value & mask
        found = slots[at]
        while found != value:
            if found == 0:
                return -1
            at = (at + 1) & mask
            found = slots[at]
        return at


class LemmaTable:
    """Word form → lemma, as case-sensitive as the table (look up lower-cased words)."""

    def __init__(self, read_lines: Callable[[], Iterable[str]], expected: int = 0) -> None:
        """`read_lines()` gives the table's JSON (an object of form → lemma) line by line, so
        that no copy of the whole text is made; it is called again if `known_in_any_case` is
        asked (the table's words are not kept). `expected`: about how many pairs there are
        (the arrays then need not grow while they are read)."""
        self._read_lines = read_lines
        self._forms = forms = _HashSlots(expected)
        lemma_number: dict[str, int] = {}
        add = forms.add
        for form, lemma in read_pairs(read_lines()):
            number = lemma_number.get(lemma)
            if number is None:
                number = lemma_number[lemma] = len(lemma_number)
            add(form, number)
        self._lemmas = list(lemma_number)
        self._lemma_set = frozenset(self._lemmas)
        self._lower: _HashSlots | None = None

    @classmethod
    def from_text(cls, text: str) -> LemmaTable:
        return cls(lambda: text.splitlines(keepends=True), len(text) // BYTES_PER_PAIR)

    @classmethod
    def from_file(cls, path: str | Path) -> LemmaTable:
        """The table from spacy-lookups-data's JSON (`.json`, or `.json.gz` beside it)."""
        return cls(lambda: cls.file_lines(path), _text_size(Path(path)) // BYTES_PER_PAIR)

    @staticmethod
    def file_lines(path: str | Path) -> Iterator[str]:
        path = Path(path)
        if path.suffix != ".gz" and path.exists():
            with path.open(encoding="utf-8") as handle:
                yield from handle
            return
        packed = path if path.suffix == ".gz" else path.with_name(path.name + ".gz")
        with gzip.open(packed, "rt", encoding="utf-8") as handle:
            yield from handle

    def __contains__(self, form: object) -> bool:
        return isinstance(form, str) and self._forms.find(form) >= 0

    def get(self, form: str, default: str | None = None) -> str | None:
        at = self._forms.find(form)
        return default if at < 0 else self._lemmas[self._forms.numbers[at]]

    def is_lemma(self, word: str) -> bool:
        return word in self._lemma_set

    def known_in_any_case(self, lower: str) -> bool:
        """Whether a lower-cased word is a form or lemma of the table in some case (names such
        as "Køge", abbreviations such as "LANs"). The first call reads the table again."""
        if self._lower is None:
            words = _HashSlots(2 * self._forms.used)
            for form, lemma in read_pairs(self._read_lines()):
                words.add(form.lower())
                words.add(lemma.lower())
            self._lower = words
        return self._lower.find(lower) >= 0


def _text_size(path: Path) -> int:
    """Bytes of the table's JSON: a gzip file's last four bytes hold its size (modulo 4 GB)."""
    if path.suffix != ".gz" and path.exists():
        return path.stat().st_size
    packed = path if path.suffix == ".gz" else path.with_name(path.name + ".gz")
    with packed.open("rb") as handle:
        handle.seek(-4, 2)
        return int.from_bytes(handle.read(4), "little")
