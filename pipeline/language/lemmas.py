"""Reading spaCy's Danish lemma table (spacy-lookups-data's JSON) pair by pair.

The table maps some 550,000 word forms to 81,000 lemmas; as a dict of strings it would hold
about 110 MB. `read_pairs` reads it line by line without building the dict or holding its
text; `lexicon.py` turns the pairs into the compact, memory-mapped lexicon once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

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
