"""The verdict rules of `pipeline/rules/verdicts.toml`, compiled once per rules in force.

Phrase lists become trie-shaped regular expressions (one letter tried per position instead of
every phrase), patterns are screened by a literal they require (`screen.py`), and the number
rules are read (`numbers.py`). The reading itself is `classifier.py`.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from maalspor.errors import RulesError
from maalspor.models.plan import Status
from maalspor.rules import compiled, rules
from maalspor.verdicts.numbers import NUMBER, NumberRules, count_regex, word_values
from maalspor.verdicts.screen import PatternScreen

# Outcome lists of verdicts.toml, in the order they are matched.
_EXPLICIT_LISTS: tuple[Status, ...] = (
    "achieved",
    "partially_achieved",
    "not_achieved",
    "changed",
    "dropped",
)
_FLAGS = re.IGNORECASE

# What decided a status, for its confidence (verdicts.toml, "confidence").
CONFIDENCE_KINDS = ("verdict", "field", "number", "mixed", "activity", "delivered", "nothing")


@dataclass(frozen=True)
class VerdictRules:
    """verdicts.toml compiled once."""

    boundaries: re.Pattern[str]
    open_markers: tuple[re.Pattern[str], ...]
    achieved: tuple[re.Pattern[str], ...]
    # (status, pattern) for the lists that are taken as written
    literal_status: tuple[tuple[Status, re.Pattern[str]], ...]
    in_progress: tuple[re.Pattern[str], ...]
    delivered: tuple[re.Pattern[str], ...]
    continued: tuple[tuple[bool, re.Pattern[str]], ...]
    negation: re.Pattern[str]
    # the value of a verdict's field that answers it: a mark alone ("Gennemført: ✗", group
    # `no`) or a form's ticked option ("Mål nået: ☐ Ja ☒ Nej", group `option`)
    field_answer: re.Pattern[str]
    # a form's options by what they answer: "ja" → achieved
    form_options: dict[str, Status]
    # the question mark of a field asked as a question, before its answer: "Opfyldt? Nej"
    answered_question: re.Pattern[str]
    # a denial that reaches the verb of its clause past "eller" ("Hverken tidsplanen eller
    # effektmålet holdt"), matched in the clause before a phrase: no comma after it
    neither: re.Pattern[str]
    non_negation: re.Pattern[str]
    partial: re.Pattern[str]
    future: re.Pattern[str]
    partial_when_negated: re.Pattern[str]
    not_yet_when_negated: re.Pattern[str]
    future_lead_ins: tuple[re.Pattern[str], ...]
    conjunctions: frozenset[str]
    words_before: int
    words_after: int
    partial_words_before: int
    partial_words_after: int
    numbers: NumberRules
    confidence: dict[str, float]
    screen: PatternScreen  # of the pattern lists above that `_read_clause` searches


def _field_answer(
    no_marks: Sequence[str], ticks: Sequence[str], options: Sequence[str]
) -> re.Pattern[str]:
    """A field's value right after the verdict it labels: a mark of `no_marks` alone
    ("Gennemført: ✗"), or the option of a form that a mark of `ticks` ticks ("Mål nået: ☐ Ja
    ☒ Nej ☐ Delvist")."""
    alone = "|".join(re.escape(m) for m in no_marks) or r"(?!x)x"
    ticked = "".join(re.escape(m) for m in ticks)
    option = (
        rf"(?:\S\s*\w+\s+)*?[{ticked}]\s*(?P<option>{_phrases(options)})" if ticked else r"(?!x)x"
    )
    # a few words may finish the field's label: "Leveret til tiden: ☐"
    label_end = r"(?:\s+[\w.-]+){0,3}?"
    return re.compile(rf"{label_end}\s*[:?]\s*(?:(?P<no>{alone})(?!\s*\w)|{option})", _FLAGS)


def _phrases(words: Sequence[str]) -> str:
    """An alternation of plain phrases, longest first, words separated by any whitespace.

    Written as a trie ("mål(?:ene|et|sætning(?:en|er)?)?"): Python's regular expressions try
    the alternatives of a group one by one at every position of a text, and the phrase lists
    are long; a trie tries one letter. Longer phrases are still preferred (the optional
    continuations are greedy), so it matches what the plain alternation matched."""
    phrases = {" ".join(w.lower().split()) for w in words if w.strip()}
    if not phrases:
        return r"(?!x)x"  # an empty list matches nothing
    trie: dict[str, dict] = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}  # a phrase ends here
    return r"(?<!\w)" + _trie_regex(trie) + r"(?!\w)"


def _trie_regex(node: dict[str, dict]) -> str:
    branches = [
        (r"\s+" if char == " " else re.escape(char)) + _trie_regex(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _get(table: dict[str, Any], key: str, kind: type) -> Any:
    if key not in table:
        raise RulesError(f"verdicts.{key}: missing from the rules")
    value = table[key]
    if kind is list and not (
        isinstance(value, list) and all(isinstance(item, str) for item in value)
    ):
        raise RulesError(f"verdicts.{key}: expected a list of strings")
    if kind is str and not isinstance(value, str):
        raise RulesError(f"verdicts.{key}: expected a string")
    if kind is int and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise RulesError(f"verdicts.{key}: expected a whole number ≥ 0")
    if kind is float and (
        isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1
    ):
        raise RulesError(f"verdicts.{key}: expected a number from 0 to 1")
    return value


def _form_options(table: dict[str, Any]) -> dict[str, Status]:
    options = table.get("form_options")
    if not isinstance(options, dict) or not all(
        isinstance(k, str) and v in _EXPLICIT_LISTS for k, v in options.items()
    ):
        raise RulesError("verdicts.form_options: expected option words with their status")
    return {k.lower(): v for k, v in options.items()}


@lru_cache(maxsize=8)
def _compile(serialised: str) -> VerdictRules:
    # Keyed on the rules' content, so a changed or added rules file is compiled afresh.
    table: dict[str, Any] = json.loads(serialised)
    number_words = _get(table, "number_words", list)
    placeholders = {
        "{goal}": _phrases(_get(table, "goal_subjects", list)),
        "{verb}": _phrases(_get(table, "achieved_verbs", list)),
        "{gap}": rf"(?:\s+\S+){{0,{_get(table, 'max_gap_words', int)}}}?\s+",
        # a whole number, not the end of a time ("2:41 min") or of a longer number
        "{number}": rf"(?<!\d)(?<!\d:)(?:{NUMBER})(?!:\d)",
        "{count}": count_regex(number_words),
        # a stated while ("i 6 uger", "i en periode", "over sommeren")
        "{for_a_while}": r"\s+(?:i|for|over|under)\s+(?:\S+\s+){0,2}?"
        + _phrases(_get(table, "while_words", list)),
    }

    def patterns(key: str) -> tuple[re.Pattern[str], ...]:
        return patterns_of(_get(table, key, list), key)

    def patterns_of(sources: list[str], key: str) -> tuple[re.Pattern[str], ...]:
        compiled = []
        for source in sources:
            expanded = source
            for name, regex in placeholders.items():
                expanded = expanded.replace(name, regex)
            try:
                compiled.append(re.compile(expanded, _FLAGS))
            except re.error as error:
                raise RulesError(f"verdicts.{key}: bad pattern {source!r}: {error}") from error
        return tuple(compiled)

    boundaries = patterns("clause_boundaries")
    (count,) = patterns_of([_get(table, "count_pattern", str)], "count_pattern")
    numbers = NumberRules(
        grades=patterns("grade_patterns"),
        targets=patterns("target_patterns"),
        amount=patterns("amount_markers"),
        count=count,
        number_words=word_values(number_words),
    )
    read = {
        name: patterns(name)
        for name in ("open_markers", "achieved", "in_progress", "delivered", "future_lead_ins")
    }
    literal_status = tuple(
        (status, pattern) for status in _EXPLICIT_LISTS[1:] for pattern in patterns(status)
    )
    continued = tuple((True, p) for p in patterns("continued_true")) + tuple(
        (False, p) for p in patterns("continued_false")
    )
    form_options = _form_options(table)
    return VerdictRules(
        boundaries=re.compile(
            "|".join(f"(?:{p.pattern})" for p in boundaries) or r"(?!x)x", _FLAGS
        ),
        open_markers=read["open_markers"],
        achieved=read["achieved"],
        literal_status=literal_status,
        in_progress=read["in_progress"],
        delivered=read["delivered"],
        continued=continued,
        negation=re.compile(_phrases(_get(table, "negations", list)), _FLAGS),
        field_answer=_field_answer(
            _get(table, "no_marks", list), _get(table, "ticks", list), list(form_options)
        ),
        form_options=form_options,
        answered_question=re.compile(
            r"\?(?=[ \t]*(?:"
            + "|".join(
                [
                    _phrases(_get(table, "yes_no", list)),
                    *(re.escape(m) for m in _get(table, "no_marks", list)),
                ]
            )
            + "))",
            _FLAGS,
        ),
        neither=re.compile(_phrases(_get(table, "neither", list)) + "[^,]*$", _FLAGS),
        non_negation=re.compile(_phrases(_get(table, "non_negations", list)), _FLAGS),
        partial=re.compile(_phrases(_get(table, "partial_markers", list)), _FLAGS),
        future=re.compile(_phrases(_get(table, "future_markers", list)), _FLAGS),
        partial_when_negated=re.compile(
            _phrases(_get(table, "partial_when_negated", list)), _FLAGS
        ),
        not_yet_when_negated=re.compile(
            _phrases(_get(table, "not_yet_when_negated", list)), _FLAGS
        ),
        future_lead_ins=read["future_lead_ins"],
        conjunctions=frozenset(w.lower() for w in _get(table, "conjunctions", list)),
        words_before=_get(table, "negation_words_before", int),
        words_after=_get(table, "negation_words_after", int),
        partial_words_before=_get(table, "partial_words_before", int),
        partial_words_after=_get(table, "partial_words_after", int),
        numbers=numbers,
        confidence={k: _get(table, f"confidence_{k}", float) for k in CONFIDENCE_KINDS},
        screen=PatternScreen(
            [
                *itertools.chain.from_iterable(read.values()),
                *(p for _, p in literal_status),
                *(p for _, p in continued),
            ]
        ),
    )


def verdict_rules() -> VerdictRules:
    # Serialising the table costs more than the look-up: done once per rules in force.
    return compiled("verdicts", _compile_current)


def _compile_current(_key: str) -> VerdictRules:
    return _compile(json.dumps(rules("verdicts"), sort_keys=True, ensure_ascii=False))
