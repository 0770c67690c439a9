"""Stage classify: the verdict of every follow-up (Opfølgning) — its status and whether it goes on.

All Danish is data in `pipeline/rules/verdicts.toml`; that file documents the reading in full.
In short: a text is cut into sentences (spaCy) and clauses (comma + conjunction, "men", "og
det"); the patterns of each outcome are matched per clause, so negation and open questions
never reach across a clause. Status precedence:

1. explicit verdicts (achieved — after negation and "delvis" are applied — partially achieved,
   not achieved, changed, dropped): the first one in the text wins, except that achieved mixed
   with not/partially achieved gives partially_achieved;
   numbers take part too: a grade in per cent ("Opfyldelsesgrad: 60 %") and a result against
   its target ("steg fra 48 til 52 % mod et mål på 55 %"), see `maalspor.verdict_numbers`;
2. otherwise work going on ("pågår", "er i gang", "Målet videreføres") → in_progress;
3. otherwise a thing put in place ("Appen er lanceret") → achieved (or not, if denied);
4. otherwise unknown (only activity described).

Continued: a "goes on" phrase beats an "ends" phrase; neither, or only ones left open by
"det overvejes om ...", gives None.

Confidence: the kind of words that decided the status (a verdict phrase, a status field, a
number, a mix of reached and missed, work going on, a thing put in place, nothing) maps to a
figure in verdicts.toml ("confidence_*"), measured on the splits of the verdict corpus
(tests/verdict_corpus) that no rule was tuned on.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from maalspor.models.plan import PlanDocument, Status
from maalspor.nlp import pipe_sentences
from maalspor.regex_screen import PatternScreen
from maalspor.rules import RulesError, compiled, pinned, rules
from maalspor.verdict_numbers import (
    NUMBER,
    NumberRules,
    count_in,
    count_regex,
    grade_status,
    target_status,
    word_values,
)

# Outcome lists of verdicts.toml, in the order they are matched.
_EXPLICIT_LISTS: tuple[Status, ...] = (
    "achieved",
    "partially_achieved",
    "not_achieved",
    "changed",
    "dropped",
)
_FLAGS = re.IGNORECASE
_WORD = re.compile(r"\S+")
_PUNCTUATION = ".,;:!?()[]\"'«»“”"


# What decided a status, for its confidence (verdicts.toml, "confidence").
CONFIDENCE_KINDS = ("verdict", "field", "number", "mixed", "activity", "delivered", "nothing")


@dataclass(frozen=True)
class Verdict:
    """What a follow-up text says about its goal."""

    status: Status
    continued: bool | None
    evidence: list[str]
    # How sure the status is (0..1), by the kind of words that decided it (`decided_by`, one of
    # CONFIDENCE_KINDS).
    confidence: float = 1.0
    decided_by: str = "nothing"


@dataclass(frozen=True)
class _Rules:
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
    non_negation: re.Pattern[str]
    partial: re.Pattern[str]
    future: re.Pattern[str]
    partial_when_negated: re.Pattern[str]
    future_lead_ins: tuple[re.Pattern[str], ...]
    conjunctions: frozenset[str]
    words_before: int
    words_after: int
    partial_words_before: int
    partial_words_after: int
    numbers: NumberRules
    confidence: dict[str, float]
    screen: PatternScreen  # of the pattern lists above that `_read_clause` searches


@dataclass(frozen=True)
class _Hit:
    start: int  # offsets in the whole text, so hits of all clauses can be ordered
    end: int
    value: Status | bool
    explicit: bool = False
    kind: str = "verdict"  # one of CONFIDENCE_KINDS


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


@lru_cache(maxsize=8)
def _compile(serialised: str) -> _Rules:
    # Keyed on the rules' content, so a changed or added rules file is compiled afresh.
    table: dict[str, Any] = json.loads(serialised)
    number_words = _get(table, "number_words", list)
    placeholders = {
        "{goal}": _phrases(_get(table, "goal_subjects", list)),
        "{verb}": _phrases(_get(table, "achieved_verbs", list)),
        "{gap}": rf"(?:\s+\S+){{0,{_get(table, 'max_gap_words', int)}}}?\s+",
        "{number}": rf"(?:{NUMBER})",
        "{count}": count_regex(number_words),
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
        lower_is_better=re.compile(
            "|".join(re.escape(w) for w in _get(table, "lower_is_better", list)) or r"(?!x)x",
            _FLAGS,
        ),
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
    return _Rules(
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
        non_negation=re.compile(_phrases(_get(table, "non_negations", list)), _FLAGS),
        partial=re.compile(_phrases(_get(table, "partial_markers", list)), _FLAGS),
        future=re.compile(_phrases(_get(table, "future_markers", list)), _FLAGS),
        partial_when_negated=re.compile(
            _phrases(_get(table, "partial_when_negated", list)), _FLAGS
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


def _rules() -> _Rules:
    # Serialising the table costs more than the look-up: done once per rules in force.
    return compiled("verdicts", _compile_current)


def _compile_current(_key: str) -> _Rules:
    return _compile(json.dumps(rules("verdicts"), sort_keys=True, ensure_ascii=False))


# --- sentences and clauses ----------------------------------------------------------------------


def _for_splitting(text: str) -> str:
    # spaCy's abbreviation exceptions are case-sensitive: in an all-capitals text "PT." would end
    # a sentence. Such a text is split in lower case (same length, so offsets still hold).
    lowered = text.lower()
    shouting = any(c.isalpha() for c in text) and not any(c.islower() for c in text)
    return lowered if shouting and len(lowered) == len(text) else text


def _sentence_spans(texts: Sequence[str]) -> Iterator[list[tuple[int, int]]]:
    """(start, end) of every sentence of every text, from one spaCy pass over them all."""
    prepared = [_for_splitting(text) for text in texts]
    for text, sentences in zip(prepared, pipe_sentences(prepared), strict=True):
        spans, cursor = [], 0
        for sentence in sentences:
            start = text.find(sentence, cursor)
            if start < 0:  # cannot happen with spaCy's slices; read the text as one sentence
                spans = [(0, len(text))] if text.strip() else []
                break
            spans.append((start, start + len(sentence)))
            cursor = start + len(sentence)
        yield spans


def _clauses(text: str, span: tuple[int, int], compiled: _Rules) -> Iterator[tuple[int, str]]:
    """(offset, clause) pieces of one sentence, cut at the clause boundaries."""
    start, end = span
    cursor = start
    for boundary in compiled.boundaries.finditer(text, start, end):
        if boundary.start() > cursor:
            yield cursor, text[cursor : boundary.start()]
        cursor = boundary.end()
    if end > cursor:
        yield cursor, text[cursor:end]


# --- matching within a clause ---------------------------------------------------------------


def _window_start(clause: str, pos: int, words: int, conjunctions: frozenset[str]) -> int:
    """Start of the `words` words before pos; a conjunction or a comma closes the window."""
    start = pos
    for word in reversed(list(_WORD.finditer(clause, 0, pos))[-words:] if words else []):
        text = word.group()
        if text.endswith(",") or text.strip(_PUNCTUATION).lower() in conjunctions:
            break
        start = word.start()
    return start


def _window_end(clause: str, pos: int, words: int, conjunctions: frozenset[str]) -> int:
    """End of the `words` words after pos; a conjunction or a comma closes the window."""
    end = pos
    if clause[pos : pos + 1] == ",":  # the phrase itself ends its part of the clause
        return end
    for count, word in enumerate(_WORD.finditer(clause, pos)):
        text = word.group()
        if count >= words or text.strip(_PUNCTUATION).lower() in conjunctions:
            break
        end = word.end()
        if text.endswith(","):
            break
    return end


def _first(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    return pattern.search(text[:end], start)


def _masked(clause: str, compiled: _Rules) -> str:
    # Fixed phrases ("ikke mindst", "ikke længere relevant") are blanked: their "ikke" is theirs.
    return compiled.non_negation.sub(lambda m: " " * len(m.group()), clause)


def _read_achieved(clause: str, match: re.Match[str], compiled: _Rules) -> tuple[Status, int, int]:
    """The status an achieved phrase has in its context, and the span of the deciding words."""
    start, end = match.span()
    conj = compiled.conjunctions
    masked = _masked(clause, compiled)
    partial = _first(
        compiled.partial,
        masked,
        _window_start(clause, start, compiled.partial_words_before, conj),
        _window_end(clause, end, compiled.partial_words_after, conj),
    )
    if partial:  # before negation: "ikke fuldt ud nået" is partly reached
        return "partially_achieved", min(start, partial.start()), max(end, partial.end())
    counted = count_in(masked, compiled.numbers)
    if counted:  # "Tre ud af fire delmål er opfyldt"
        status, count = counted
        return status, min(start, count.start()), max(end, count.end())
    before = _window_start(clause, start, compiled.words_before, conj)
    after = _window_end(clause, end, compiled.words_after, conj)
    negation = _first(compiled.negation, masked, before, after)
    if negation:
        whole = _first(compiled.partial_when_negated, masked, before, after)
        if whole:  # "ikke nået fuldt ud": only part is missing
            return "partially_achieved", min(start, negation.start()), max(end, whole.end())
        return "not_achieved", min(start, negation.start()), max(end, negation.end())
    future = _first(compiled.future, clause, start, after)
    if future:  # "Målet forventes nået": not yet
        return "in_progress", start, max(end, future.end())
    lead_ins = [m for p in compiled.future_lead_ins if (m := _first(p, clause, 0, start))]
    if lead_ins:  # "Det forventes, at målet nås i 2017"
        return "in_progress", min(m.start() for m in lead_ins), end
    return "achieved", start, end


def _negated(clause: str, start: int, end: int, compiled: _Rules) -> re.Match[str] | None:
    """A negation in, or in the words around, a phrase within its clause."""
    conj = compiled.conjunctions
    return _first(
        compiled.negation,
        _masked(clause, compiled),
        _window_start(clause, start, compiled.words_before, conj),
        _window_end(clause, end, compiled.words_after, conj),
    )


def _kind(pattern: re.Pattern[str]) -> str:
    # A pattern anchored at the clause start reads a status cell or a field value.
    return "field" if pattern.pattern.startswith("^") else "verdict"


def _foreseen(clause: str, start: int, compiled: _Rules) -> bool:
    """A future marker in the words just before a phrase ("forventes afsluttet")."""
    before = _window_start(clause, start, compiled.words_before, compiled.conjunctions)
    return _first(compiled.future, clause, before, start) is not None


def _read_numbers(text: str, sentences: list[tuple[int, int]], compiled: _Rules) -> list[_Hit]:
    """Grades in per cent and results against their targets, anywhere in the text."""
    numbers = compiled.numbers
    hits = []
    for pattern in numbers.grades:
        for match in pattern.finditer(text):
            hits.append(_Hit(*match.span(), grade_status(match), True, "number"))
    for pattern in numbers.targets:
        for match in pattern.finditer(text):
            # the measure is named in the result's own sentence ("Sygefraværet faldt ...")
            start = max((s for s, _ in sentences if s <= match.start()), default=0)
            status = target_status(text, match, numbers, start)
            hits.append(_Hit(*match.span(), status, True, "number"))
    return hits


@dataclass
class _Reading:
    status_hits: list[_Hit]
    continued_hits: list[_Hit]
    open_hits: list[_Hit]  # open markers that discarded a continued phrase


def _read_clause(offset: int, clause: str, compiled: _Rules, reading: _Reading) -> None:
    # Only patterns whose required words the clause holds are searched (`regex_screen`).
    screen = compiled.screen
    present = screen.present(clause)

    def searched(patterns: Iterable[re.Pattern[str]]) -> list[re.Pattern[str]]:
        return screen.searched(patterns, present)

    def searched_pairs(pairs: Iterable[tuple[Any, re.Pattern[str]]]) -> list[tuple[Any, Any]]:
        return screen.searched_pairs(pairs, present)

    # An open question ("overvejes om") discards every hit from where it starts.
    opened = [m for p in searched(compiled.open_markers) if (m := p.search(clause))]
    cut = min((m.start() for m in opened), default=len(clause) + 1)

    def keep(match: re.Match[str]) -> bool:
        return match.start() < cut

    for pattern in searched(compiled.achieved):
        for match in pattern.finditer(clause):
            if keep(match):
                status, start, end = _read_achieved(clause, match, compiled)
                kind = _kind(pattern)
                reading.status_hits.append(_Hit(offset + start, offset + end, status, True, kind))
    for pattern in searched(compiled.delivered):
        for match in pattern.finditer(clause):
            if keep(match):
                status, start, end = _read_achieved(clause, match, compiled)
                reading.status_hits.append(
                    _Hit(offset + start, offset + end, status, kind="delivered")
                )
    for status, pattern in searched_pairs(compiled.literal_status):
        for match in pattern.finditer(clause):
            if keep(match):
                reading.status_hits.append(
                    _Hit(offset + match.start(), offset + match.end(), status, True, _kind(pattern))
                )
    for pattern in searched(compiled.in_progress):
        for match in pattern.finditer(clause):
            # A denied activity ("Målet videreføres ikke") says nothing about work going on.
            if keep(match) and not _negated(clause, *match.span(), compiled):
                reading.status_hits.append(
                    _Hit(
                        offset + match.start(), offset + match.end(), "in_progress", kind="activity"
                    )
                )
    discarded = False
    for value, pattern in searched_pairs(compiled.continued):
        for match in pattern.finditer(clause):
            if not keep(match):
                discarded = True
                continue
            start, end = match.span()
            if not value and _foreseen(clause, start, compiled):
                continue  # "forventes afsluttet i 2017": the work goes on until then
            negation = _negated(clause, start, end, compiled)
            if negation:  # "videreføres ikke", "ikke afsluttet"
                value_here = not value
                start, end = min(start, negation.start()), max(end, negation.end())
            else:
                value_here = value
            reading.continued_hits.append(_Hit(offset + start, offset + end, value_here))
    if discarded:
        first = min(opened, key=lambda m: m.start())
        reading.open_hits.append(_Hit(offset + first.start(), offset + first.end(), False))


# --- deciding -----------------------------------------------------------------------------


def _in_order(hits: Iterable[_Hit]) -> list[_Hit]:
    # Text order; of hits starting together the longest first (it holds the most evidence).
    return sorted(hits, key=lambda h: (h.start, -(h.end - h.start)))


def _decide_status(hits: list[_Hit]) -> tuple[Status, list[_Hit], str]:
    """The status, the hits it rests on and the kind of words that decided it."""
    explicit = _in_order(h for h in hits if h.explicit)
    if explicit:
        reached = [h for h in explicit if h.value == "achieved"]
        missed = [h for h in explicit if h.value in ("partially_achieved", "not_achieved")]
        if reached and missed:  # part of the goal reached, part not
            return "partially_achieved", _in_order([reached[0], missed[0]]), "mixed"
        return explicit[0].value, [explicit[0]], explicit[0].kind  # type: ignore[return-value]
    going_on = _in_order(h for h in hits if h.value == "in_progress")
    if going_on:
        return "in_progress", [going_on[0]], "activity"
    delivered = _in_order(h for h in hits if h.kind == "delivered")
    if delivered:
        return delivered[0].value, [delivered[0]], "delivered"  # type: ignore[return-value]
    return "unknown", [], "nothing"


def _decide_continued(reading: _Reading) -> tuple[bool | None, list[_Hit]]:
    for value in (True, False):  # "goes on" beats "ends"
        hits = [h for h in reading.continued_hits if h.value is value]
        if hits:
            return value, _in_order(hits)
    return None, _in_order(reading.open_hits)


def _evidence(text: str, hits: Iterable[_Hit]) -> list[str]:
    """The deciding words as the text has them; a span inside an earlier one is left out."""
    spans: list[tuple[int, int]] = []
    for hit in hits:
        if not any(s <= hit.start and hit.end <= e for s, e in spans):
            spans.append((hit.start, hit.end))
    evidence: list[str] = []
    for start, end in spans:
        words = text[start:end].strip()
        if words and words not in evidence:
            evidence.append(words)
    return evidence


def _verdict(text: str, sentences: list[tuple[int, int]], compiled: _Rules) -> Verdict:
    reading = _Reading(_read_numbers(text, sentences, compiled), [], [])
    for span in sentences:
        for offset, clause in _clauses(text, span, compiled):
            _read_clause(offset, clause, compiled, reading)
    status, status_hits, kind = _decide_status(reading.status_hits)
    continued, continued_hits = _decide_continued(reading)
    evidence = _evidence(text, [*status_hits, *continued_hits])
    return Verdict(status, continued, evidence, compiled.confidence[kind], kind)


def classify_text(text: str | None) -> Verdict:
    """The verdict of one Opfølgning text.

    None or blank: unknown, not said, no evidence, and confidence 1 (nothing is certainly said).
    """
    if not text or not text.strip():
        return Verdict("unknown", None, [], 1.0)
    spans = next(_sentence_spans([text]))
    return _verdict(text, spans, _rules())


def classify_texts(texts: Sequence[str | None]) -> list[Verdict]:
    """The verdicts of many texts, from one spaCy pass over them all."""
    compiled = _rules()
    prepared = [text or "" for text in texts]
    return [
        _verdict(text, spans, compiled) if text.strip() else classify_text(text)
        for text, spans in zip(prepared, _sentence_spans(prepared), strict=True)
    ]


@pinned
def classify(plan: PlanDocument) -> PlanDocument:
    """A copy of the plan whose follow-ups carry status, continued and status_evidence."""
    verdicts = classify_texts([follow_up.follow_up for follow_up in plan.follow_ups])
    follow_ups = []
    for follow_up, verdict in zip(plan.follow_ups, verdicts, strict=True):
        follow_ups.append(
            follow_up.model_copy(
                update={
                    "status": verdict.status,
                    "continued": verdict.continued,
                    "status_evidence": list(verdict.evidence),
                }
            )
        )
    return plan.model_copy(update={"follow_ups": follow_ups})
