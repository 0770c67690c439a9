"""The verdicts' wordbook: the meaning lexicon, compiled from `pipeline/rules/meanings.toml`.

Lemmas of spaCy's Danish lookup table grouped by what they say about a goal (the MEANINGS), and
the word classes the reader needs (negations, contrast and later-markers, targets and units of
the numbers ...). A text's words are `Token`s: their form lower-cased, their lemma and where
they stand. `maalspor.verdicts.meaning` reads a text with it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from maalspor.errors import RulesError
from maalspor.language.lexicon import lemma
from maalspor.rules import compiled, rules
from maalspor.verdicts.numbers import YEARS

# The lists of meanings.toml that are meanings (the others are word classes).
MEANINGS = (
    "completion",
    "failure",
    "partial",
    "progress",
    "start",
    "stop",
    "postpone",
    "change",
    "expectation",
    "goes_on",
    "ends",
    "green",
    "yellow",
    "red",
    "not_started",
    "no_longer",
    "next_period",  # not listed: the latest year named, in a clause that reports nothing
    "activity",  # not listed: a completion word in an existential clause
    "tally",  # not listed: a completion word that labels a value ("realiseret 1,87 mio. ton")
    "done",  # not listed: a participle after an auxiliary ("er udarbejdet", "blev ikke ansat")
    "neutral",  # matched, so that its words are not read, and then left out
)
_WORD_CLASSES = (
    "negations",
    "negating_prefixes",
    "not_prefixed",
    "denied_truth",
    "truth_adjectives",
    "not_denials",
    "contrast",
    "reasons",
    "later",
    "earlier",
    "field_labels",
    "existential",
    "as_planned",
    "auxiliaries",
    "indefinite",
    "determiners",
    "targets",
    "ceiling_targets",
    "floor_targets",
    "results",
    "ceiling",
    "floor",
    "lower_is_better",
    "lower_is_better_units",
    "higher_is_better",
    "within",
    "not_targets",
    "decrease",
    "increase",
    "modal_targets",
    "aim_verbs",
    "deadline_words",
    "next_periods",
    "weak_results",
    "earlier_values",
    "strict_bounds",
    "comparatives",
    "middle_field",
    "filled_marks",
    "empty_marks",
    "tick_options",
    "remainders",
    "past_auxiliaries",
    "harms",
    "harm_prefixes",
    "none_words",
    "any_words",
    "harm_goal_words",
    "all_words",
)
# Tokens that end a sentence (for the readers of meanings and of numbers).
SENTENCE_END = frozenset(".!?;\n")
# Tokens that end a clause.
CLAUSE_PUNCTUATION = frozenset(".;:!?()–—|•●★\n")


@dataclass(frozen=True)
class Token:
    """A word of a text: its form lower-cased, its lemma and where it is."""

    form: str
    lemma: str
    start: int
    end: int

    def is_word(self, words: frozenset[str]) -> bool:
        return self.form in words or self.lemma in words


@dataclass(frozen=True)
class Lexicon:
    """meanings.toml compiled: entries as tuples of lemmas → their meanings."""

    entries: dict[tuple[str, ...], tuple[str, ...]]
    # first word → the entries that start with it
    starting: dict[str, tuple[tuple[str, ...], ...]]
    longest: int
    # single-word lemmas (for compound parts), longest first
    parts: tuple[tuple[str, tuple[str, ...]], ...]
    classes: dict[str, frozenset[str]]
    phrases: dict[str, frozenset[tuple[str, ...]]]
    # numbers in words ("ni af de tolv")
    numbers: dict[str, float]
    # shares in words ("halvdelen") and ordinals after "hver" ("hver fjerde")
    shares: dict[str, float]
    ordinals: dict[str, float]
    # times of the year by their place in it ("marts" 3, "efteråret" 10, "q4" 11)
    times: dict[str, float]
    # units of time by their length in seconds ("timer" 3600, "sek." 1), to read "9 min. 12 sek."
    durations: dict[str, float]
    # the phrases of `strict_bounds` ("mindre end")
    strict_phrases: frozenset[str]
    # the single-word lemmas of `parts` of at least 3 letters by their last 3, longest first
    parts_by_end: dict[str, tuple[tuple[str, tuple[str, ...]], ...]]
    # the meanings of compound words already read (`_compound`)
    compounds: dict[tuple[str, int], tuple[str, ...]] = field(default_factory=dict, compare=False)


def _entry(words: str) -> tuple[str, ...]:
    return tuple(lemma(word) for word in words.lower().split())


def _build(serialised: str) -> Lexicon:
    table: dict[str, Any] = json.loads(serialised)
    entries: dict[tuple[str, ...], list[str]] = {}
    form_only = {w.lower() for w in table.get("form_only", [])}
    for meaning in MEANINGS:
        words = table.get(meaning, [])
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise RulesError(f"meanings.{meaning}: expected a list of strings")
        for words_of in words:
            as_written = tuple(words_of.lower().split())
            keys = {as_written} if words_of.lower() in form_only else {_entry(words_of), as_written}
            for key in keys:
                if key and meaning not in entries.setdefault(key, []):
                    entries[key].append(meaning)
    classes: dict[str, frozenset[str]] = {}
    phrases: dict[str, frozenset[tuple[str, ...]]] = {}
    for name in _WORD_CLASSES:
        words = table.get(name, [])
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise RulesError(f"meanings.{name}: expected a list of strings")
        classes[name] = frozenset(w.lower() for w in words if " " not in w)
        phrases[name] = frozenset(_entry(w) for w in words if " " in w)
    tables = {}
    for name in ("number_words", "shares", "ordinals", "times", "durations"):
        table_of = table.get(name, {})
        if not isinstance(table_of, dict) or not all(
            isinstance(v, int | float) for v in table_of.values()
        ):
            raise RulesError(f"meanings.{name}: expected a table of words and numbers")
        tables[name] = {str(word).lower(): float(value) for word, value in table_of.items()}
    parts = sorted(
        ((key[0], tuple(value)) for key, value in entries.items() if len(key) == 1),
        key=lambda item: -len(item[0]),
    )
    starting: dict[str, list[tuple[str, ...]]] = {}
    for key in entries:
        starting.setdefault(key[0], []).append(key)
    return Lexicon(
        {key: tuple(value) for key, value in entries.items()},
        {word: tuple(keys) for word, keys in starting.items()},
        max(len(key) for key in entries),
        tuple(parts),
        classes,
        phrases,
        tables["number_words"],
        tables["shares"],
        tables["ordinals"],
        tables["times"],
        tables["durations"],
        frozenset(w.lower() for w in table.get("strict_bounds", []) if " " in w),
        _by_end(parts),
    )


def _by_end(
    parts: Sequence[tuple[str, tuple[str, ...]]],
) -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    ends: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for part, meanings in parts:  # longest first, kept so
        if len(part) >= 3:
            ends.setdefault(part[-3:], []).append((part, meanings))
    return {end: tuple(found) for end, found in ends.items()}


@lru_cache(maxsize=8)
def _compile(serialised: str) -> Lexicon:
    return _build(serialised)


def meaning_lexicon() -> Lexicon:
    """The meaning lexicon of the rules in force, compiled once per rules."""
    return compiled("meanings", _compile_current)


def _compile_current(_key: str) -> Lexicon:
    return _compile(json.dumps(rules("meanings"), sort_keys=True, ensure_ascii=False))


@lru_cache(maxsize=64)
def _first_words(phrases: frozenset[tuple[str, ...]]) -> frozenset[str]:
    return frozenset(phrase[0] for phrase in phrases)


def in_phrase(tokens: Sequence[Token], at: int, phrases: frozenset[tuple[str, ...]]) -> int:
    """The length of a phrase of `phrases` that starts at `at` (by lemma or form), else 0."""
    first = _first_words(phrases)
    if tokens[at].lemma not in first and tokens[at].form not in first:
        return 0
    for phrase in phrases:
        window = tokens[at : at + len(phrase)]
        if len(window) == len(phrase) and all(
            t.lemma == p or t.form == p for t, p in zip(window, phrase, strict=True)
        ):
            return len(phrase)
    return 0


def sentence_numbers(tokens: Sequence[Token]) -> list[int]:
    """The sentence of every token (a sentence ends at . ! ? ; and a line break)."""
    numbers, current = [], 0
    for token in tokens:
        numbers.append(current)
        if token.form in SENTENCE_END:
            current += 1
    return numbers


_COUNT_AFTER = frozenset({"af", "ud"})


def labels_a_value(tokens: Sequence[Token], after: int, label_words: int) -> bool:
    """Whether the words that end before `after` label a value: a number follows at once
    ("realiseret 1,87 mio. ton"), past a colon ("Gennemført: 84 %"), or past at most
    `label_words` words and a colon ("Realiseret reduktion: 7,5 %"). A count is no value
    ("gennemført 14 af 20", "opfyldt 3/4": the count reads it), nor a date ("1. juli")."""
    k = after
    if k < len(tokens) and tokens[k].form == ":":
        k += 1
    else:
        words = 0
        while k < len(tokens) and tokens[k].form.isalpha() and words <= label_words:
            k += 1
            words += 1
        if words:
            if words > label_words or k >= len(tokens) or tokens[k].form != ":":
                return False
            k += 1
    if k >= len(tokens) or not tokens[k].form.lstrip("+-−")[:1].isdigit():
        return False
    if "/" in tokens[k].form:
        return False
    if tokens[k].form.endswith(".") and k + 1 < len(tokens) and tokens[k + 1].form.isalpha():
        return False  # an ordinal, a date: "trådte i kraft 1. juli"
    if tokens[k].form.isdigit() and int(tokens[k].form) in YEARS:
        return False  # a year: "Forventet opfyldelse: 2025", "Realiseret 2023: 93,4 %"
    return not (k + 1 < len(tokens) and tokens[k + 1].form in _COUNT_AFTER)
