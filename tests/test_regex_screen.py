"""pipeline/verdicts/screen.py: a pattern is passed over only where it cannot match.

The screen must never drop a pattern that matches: the tests check the case fold against the
regex engine itself over every character, the literals against the rules' own patterns on the
verdict corpus (every split) in many spellings, and that the verdicts are the same as when
every pattern is searched.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maalspor.verdicts import classifier as classify
from maalspor.verdicts.phrasebook import verdict_rules
from maalspor.verdicts.screen import PatternScreen, fold, required_literal

CORPUS = Path(__file__).parent / "verdict_corpus"
TEXTS = [
    json.loads(line)["text"]
    for path in sorted(CORPUS.glob("*_split.jsonl"))
    for line in path.read_text(encoding="utf-8").splitlines()
    if line
]


def _rule_patterns() -> list[re.Pattern[str]]:
    rules = verdict_rules()
    pairs = [*rules.literal_status, *rules.continued]
    singles = [
        *rules.open_markers,
        *rules.achieved,
        *rules.in_progress,
        *rules.delivered,
        *rules.future_lead_ins,
    ]
    return [*singles, *(p for _, p in pairs)]


@pytest.mark.parametrize(
    ("pattern", "literal"),
    [
        (r"\bviderefør(?:es|t|e)\b", "viderefør"),
        (r"\bdet\s+(?:er\s+)?(?:\S+\s+){0,2}?lykke(?:des|s)\b", "lykke"),
        (r"\b(?:uvist|usikkert)\b", None),  # only inside an alternation
        (r"\bom\s+hvorvidt", "hvorvidt"),
        (r"ab\s+c", None),  # too short to screen
        (r"(?i)MÅLET er", "målet er"),
        (r"x?MÅLET", "MÅLET"),  # case-sensitive: kept as written
    ],
)
def test_required_literal(pattern: str, literal: str | None):
    assert required_literal(re.compile(pattern)) == literal


def test_the_fold_is_the_regex_engines_case_insensitivity():
    """For every character the rules' literals hold, every character of Unicode that a
    case-insensitive pattern takes for it folds to the same."""
    literal_chars = {c for p in _rule_patterns() if (lit := required_literal(p)) for c in lit}
    assert {"å", "ø", "æ", "i", "s", "k"} <= literal_chars | {"i", "s", "k"}
    everything = "".join(
        chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF
    )
    for char in sorted(literal_chars | set("abcdefghijklmnopqrstuvwxyzæøå")):
        matched = set(re.compile(re.escape(char), re.IGNORECASE).findall(everything))
        assert matched, char
        assert {fold(m) for m in matched} == {fold(char)}, char
    assert fold("ſtatus İ K Å") == "status i k å"  # long s, dotted I, Kelvin, Ångström


def _spellings(text: str) -> list[str]:
    return [text, text.upper(), text.title(), text.swapcase(), text.replace("s", "ſ")]


def test_every_pattern_that_matches_a_corpus_text_is_searched():
    patterns = _rule_patterns()
    screen = PatternScreen(patterns)
    for text in TEXTS:
        for spelling in _spellings(text):
            present = screen.present(spelling)
            searched = set(map(id, screen.searched(patterns, present)))
            for pattern in patterns:
                if pattern.search(spelling):
                    assert id(pattern) in searched, (pattern.pattern, spelling)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(sorted({w for t in TEXTS for w in t.split()})), max_size=25),
    st.sampled_from([str, str.upper, str.title, str.swapcase]),
)
def test_texts_made_of_corpus_words_lose_no_match(words: list[str], case) -> None:
    text = case(" ".join(words))
    patterns = _rule_patterns()
    screen = PatternScreen(patterns)
    searched = set(map(id, screen.searched(patterns, screen.present(text))))
    assert all(id(p) in searched for p in patterns if p.search(text))


def test_verdicts_are_those_of_searching_every_pattern(monkeypatch):
    screened = [classify.classify_text(text) for text in TEXTS]
    monkeypatch.setattr(PatternScreen, "searched", lambda self, patterns, present: list(patterns))
    monkeypatch.setattr(PatternScreen, "searched_pairs", lambda self, pairs, present: list(pairs))
    assert [classify.classify_text(text) for text in TEXTS] == screened
