"""The features of a follow-up text for the learned layer of the verdicts (`learned.py`).

A text is tokenised once (spaCy's tokenizer, lower-cased, lemmatised; a bound written with a full
stop and a tick box are one token each) and read for:

- the meanings of its lemmas (`meaning.py`, lexicon `rules/meanings.toml`) with their polarity
  after negation, and where they stand: first or last clause, after a contrast ("men") or a
  later-marker ("nu"), in a field ("Status: ..."), hedged ("forventes"), next to a goal word,
  or in a clause that gives a reason or a concession (`reason:`: "fordi ...", "selv om ...");
  the last word that says something of the status (`final:`, never a reason's), which may be
  a result read against its target;
- numbers (`measures.py`): a value against its target with its direction, "x af y", per cents,
  a tally of marks;
- the rule reading itself (its status, the kind of words that decided it, its continued value),
  so the model learns when the rules are right;
- optionally the lemmas themselves and pairs of lemmas next to each other in a clause ("wb:gå_
  fløjten"; the fitted model says which it uses).

All features are binary; each keeps the words it rests on (the evidence of a verdict).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from maalspor.language.lexicon import lemma
from maalspor.language.nlp import pipe_token_spans
from maalspor.rules import rules
from maalspor.settings import VerdictSettings
from maalspor.verdicts.meaning import (
    Lexicon,
    Meaning,
    Token,
    meaning_lexicon,
    read_meanings,
)
from maalspor.verdicts.measures import read_measures
from maalspor.verdicts.verdict import Verdict

# A result read against its target: met, or missed (by a little or more).
MET = frozenset({"num:met"})
MISSED = frozenset({"num:missed", "num:close"})
# Meanings whose last one in a text is a feature of its own (`final:`).
_ORDER_MEANINGS = frozenset(
    {"completion", "failure", "partial", "progress", "start", "stop", "postpone", "change"}
    | {"green", "yellow", "red", "not_started"}
)


@dataclass(frozen=True)
class Features:
    """The features of one text (all binary) and the words each rests on."""

    values: dict[str, float]
    spans: dict[str, tuple[int, int]]
    # the meanings read, and where the rule verdict's words stand (for `trusted`)
    meanings: tuple[Meaning, ...] = ()
    rule_span: tuple[int, int] | None = None
    # where each of the rule verdict's words stands (of its status and of `continued`)
    rule_words: tuple[tuple[int, int], ...] = ()


def tokenize(texts: Sequence[str]) -> list[list[Token]]:
    """The tokens of many texts (one tokenizer pass), lower-cased and lemmatised. A bound
    written with a full stop ("max. 22 GWh", "min. 4,3") is one token: its stop ends no
    sentence."""
    classes = meaning_lexicon().classes
    abbreviations = {w for w in classes["ceiling"] | classes["floor"] if w.endswith(".")}
    tokenized = []
    for whole, spans in zip(texts, pipe_token_spans(texts), strict=True):
        tokens: list[Token] = []
        boxes = _boxes(whole)
        for text, start in spans:
            form = text.lower()
            if boxes and _in_box(boxes, start, start + len(text), tokens):
                continue
            if form == "." and tokens and tokens[-1].end == start:
                last = tokens[-1]
                if last.form + "." in abbreviations:
                    tokens[-1] = Token(last.form + ".", last.form + ".", last.start, start + 1)
                    continue
            tokens.append(
                Token(form, lemma(form) if form.isalpha() else form, start, start + len(text))
            )
        tokenized.append(tokens)
    return tokenized


# A box ticked or not: "[x]", "[X]", "[ ]", "[]". Read as one mark each, "[x]" and "[]".
_BOX = re.compile(r"\[\s*([xX]?)\s*\]")


def _boxes(text: str | None) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), "[x]" if m.group(1) else "[]") for m in _BOX.finditer(text or "")]


def _in_box(boxes: list[tuple[int, int, str]], start: int, end: int, tokens: list[Token]) -> bool:
    """Whether a token lies in boxes ("[", "x", "]", or "x][x" across two); each box's mark is
    added once, with the first token in it."""
    inside = [box for box in boxes if box[0] < end and start < box[1]]
    for first, after, mark in inside:
        if not any(token.start == first for token in tokens[-len(inside) - 1 :]):
            tokens.append(Token(mark, mark, first, after))
    return bool(inside)


def _goal_words() -> frozenset[str]:
    return frozenset(w.lower() for w in rules("verdicts")["goal_subjects"]) | {"mål"}


def _rule_span(rule: Verdict, words: tuple[tuple[int, int], ...]) -> tuple[int, int] | None:
    """Where the rule verdict's words stand in the text (first to last): the words of its
    status, else all its `words`."""
    if rule.status_span is not None:
        return rule.status_span
    return (min(s for s, _ in words), max(e for _, e in words)) if words else None


def _rule_words(text: str, rule: Verdict) -> tuple[tuple[int, int], ...]:
    """Where each of the rule verdict's words stands in the text."""
    return tuple((at, at + len(words)) for words in rule.evidence if (at := text.find(words)) >= 0)


def text_features(
    text: str,
    tokens: list[Token],
    rule: Verdict,
    lexicon: Lexicon,
    settings: VerdictSettings,
    goal_words: frozenset[str],
    lemma_features: bool,
    rule_features: bool = True,
) -> Features:
    """The features of one text: its rule reading, meanings, numbers (and lemmas)."""
    values: dict[str, float] = {}
    spans: dict[str, tuple[int, int]] = {}

    def add(name: str, span: tuple[int, int] | None = None) -> None:
        values[name] = 1.0
        if span is not None and name not in spans:
            spans[name] = span

    if rule_features:
        add(f"rule:{rule.status}")
        add(f"rule:{rule.status}:{rule.decided_by}")
        add(f"rulec:{rule.continued}")
        if rule.open_question:
            add("rule:open")
    words = [t for t in tokens if t.form.isalpha()]
    if len(words) <= settings.terse_words:
        add("shape:terse")
    reading = read_meanings(tokens, lexicon, settings, goal_words)
    if reading.unsaid:
        add("shape:tick_form")  # only the ticked word is said: the rules read every option
    clauses = sorted(
        {m.clause for m in reading.meanings if m.meaning != "expectation" and not m.reason}
    )
    for m in reading.meanings:
        base = f"{m.meaning}{'-' if m.negated else '+'}"
        span = (m.start, m.end)
        add(f"m:{base}", span)
        if m.reason:  # a reason or a concession says why, not how it went
            add(f"reason:{base}", span)
            continue
        places = {
            "first": clauses and m.clause == clauses[0],
            "last": clauses and m.clause == clauses[-1] and len(clauses) > 1,
            "contrast": m.contrast,
            "later": m.later,
            "field": m.field,
            "hedged": m.hedged,
            "goal": m.goal,
            "earlier": m.earlier,
        }
        for place, holds in places.items():
            if holds:
                add(f"{place}:{base}", span)
    # the last word of the text that says something of the status: a later event decides,
    # and a result read against its target is such a word ("..., men efter leverandørskiftet
    # endte årets måling på 91 %" of a target of 90 %)
    # a reason is the last word only where no other clause says anything of the status
    # ("Kravet videreføres, idet det er opfyldt")
    final = [m for m in reading.meanings if m.meaning in _ORDER_MEANINGS and not m.earlier]
    final = [m for m in final if not m.reason] or final
    measures = read_measures(tokens, lexicon, settings)
    results = [r for r in measures if r.feature in MET | MISSED]
    last_result = max(results, key=lambda r: r.start, default=None)
    last_meaning = max(final, key=lambda m: m.start, default=None)
    if last_result is not None and (last_meaning is None or last_result.start > last_meaning.start):
        add(f"final:{last_result.feature}", (last_result.start, last_result.end))
    elif last_meaning is not None:
        m = last_meaning
        add(f"final:{m.meaning}{'-' if m.negated else '+'}", (m.start, m.end))
    for measure in measures:
        add(measure.feature, (measure.start, measure.end))
    if lemma_features:
        # the lemmas; again where denied ("wn:"), and those of the last clause ("wl:"); and
        # pairs of lemmas next to each other in a clause ("wb:"), which say what single words do
        # not ("gå_fløjten", "tage_af", "ikke_rigtig")
        last = reading.clause_of[-1] if reading.clause_of else 0
        previous: tuple[str, int] | None = None
        for token, clause, denied in zip(tokens, reading.clause_of, reading.negated, strict=True):
            if not token.form.isalpha():
                previous = None
                continue
            if previous is not None and previous[1] == clause:
                add(f"wb:{previous[0]}_{token.lemma}")
            previous = (token.lemma, clause)
            add(f"w:{token.lemma}")
            if denied:
                add(f"wn:{token.lemma}")
            if clause == last:
                add(f"wl:{token.lemma}")
    words = _rule_words(text, rule)
    return Features(values, spans, tuple(reading.meanings), _rule_span(rule, words), words)


def texts_features(
    texts: Sequence[str],
    rules_read: Sequence[Verdict],
    settings: VerdictSettings,
    lemma_features: bool,
    rule_features: bool = True,
) -> list[Features]:
    """The features of many texts (the training tool and `decide_all` share this)."""
    lexicon = meaning_lexicon()
    goal_words = _goal_words()
    return [
        text_features(
            text, tokens, rule, lexicon, settings, goal_words, lemma_features, rule_features
        )
        for text, tokens, rule in zip(texts, tokenize(texts), rules_read, strict=True)
    ]
