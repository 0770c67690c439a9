"""The learned layer of the verdicts: a linear model over what the words mean.

Where the phrase rules of verdicts.toml run out (a phrasing they have not seen falls through to
"unknown" or to a weak reading), a multinomial logistic regression decides, over features that
generalise beyond phrasings:

- the meanings of the text's lemmas (`meaning.py`, lexicon `rules/meanings.toml`) with their
  polarity after negation, and where they stand: first or last clause, after a contrast ("men")
  or a later-marker ("nu"), in a field ("Status: ..."), hedged ("forventes"), next to a goal word;
- numbers (`measures.py`): a value against its target with its direction, "x af y", per cents;
- the rule reading itself (its status, the kind of words that decided it, its continued value),
  so the model learns when the rules are right;
- optionally the lemmas themselves (the fitted model says whether it uses them).

Two models, one for `status` and one for `continued`, are fitted by `tools/fit_verdicts.py` on
the training rounds of tests/verdict_corpus and shipped as `verdict_model.json` (weights, the
features' names, a temperature that calibrates the probabilities). Only numpy runs them.

The rule verdict stands when words of `VerdictSettings.trusted_rule_kinds` decided it (a verdict
phrase, a status field, a mix); otherwise the model's most probable class is taken. The
confidence is always the model's calibrated probability of the status given.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from maalspor.language.lexicon import lemma
from maalspor.language.nlp import pipe_token_spans
from maalspor.models.plan import Status
from maalspor.rules import rules
from maalspor.settings import VerdictSettings
from maalspor.verdicts.meaning import Lexicon, Token, meaning_lexicon, read_meanings
from maalspor.verdicts.measures import read_measures
from maalspor.verdicts.verdict import Verdict

MODEL_PATH = Path(__file__).with_name("verdict_model.json")
CONTINUED_CLASSES = ("true", "false", "null")
_CONTINUED_VALUES: dict[str, bool | None] = {"true": True, "false": False, "null": None}


@dataclass(frozen=True)
class Features:
    """The features of one text (all binary) and the words each rests on."""

    values: dict[str, float]
    spans: dict[str, tuple[int, int]]


@dataclass(frozen=True)
class LinearModel:
    """A fitted multinomial logistic regression."""

    classes: tuple[str, ...]
    index: dict[str, int]  # feature name → row of `weights`
    weights: np.ndarray  # features × classes
    bias: np.ndarray  # classes
    temperature: float  # probabilities are softmax(scores / temperature)

    def probabilities(self, rows: Sequence[Features]) -> np.ndarray:
        """Calibrated class probabilities, one row per text."""
        scores = np.tile(self.bias, (len(rows), 1))
        for i, row in enumerate(rows):
            for name, value in row.values.items():
                at = self.index.get(name)
                if at is not None:
                    scores[i] += value * self.weights[at]
        scores /= self.temperature
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    @classmethod
    def from_json(cls, data: dict[str, object]) -> LinearModel:
        features = list(data["features"])  # type: ignore[call-overload]
        return cls(
            tuple(data["classes"]),  # type: ignore[arg-type]
            {name: i for i, name in enumerate(features)},
            np.asarray(data["weights"], dtype=float).reshape(len(features), -1),
            np.asarray(data["bias"], dtype=float),
            float(data["temperature"]),  # type: ignore[arg-type]
        )


@dataclass(frozen=True)
class VerdictModel:
    """The shipped status and continued models and how they were fitted."""

    status: LinearModel
    continued: LinearModel
    lemma_features: bool


@cache
def verdict_model(path: Path = MODEL_PATH) -> VerdictModel:
    """The model file, read once."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return VerdictModel(
        LinearModel.from_json(data["status"]),
        LinearModel.from_json(data["continued"]),
        bool(data["lemma_features"]),
    )


def tokenize(texts: Sequence[str]) -> list[list[Token]]:
    """The tokens of many texts (one tokenizer pass), lower-cased and lemmatised."""
    tokenized = []
    for spans in pipe_token_spans(texts):
        tokens = []
        for text, start in spans:
            form = text.lower()
            tokens.append(
                Token(form, lemma(form) if form.isalpha() else form, start, start + len(text))
            )
        tokenized.append(tokens)
    return tokenized


def _goal_words() -> frozenset[str]:
    return frozenset(w.lower() for w in rules("verdicts")["goal_subjects"]) | {"mål"}


def text_features(
    tokens: list[Token],
    rule: Verdict,
    lexicon: Lexicon,
    settings: VerdictSettings,
    goal_words: frozenset[str],
    lemma_features: bool,
) -> Features:
    """The features of one text: its rule reading, meanings, numbers (and lemmas)."""
    values: dict[str, float] = {}
    spans: dict[str, tuple[int, int]] = {}

    def add(name: str, span: tuple[int, int] | None = None) -> None:
        values[name] = 1.0
        if span is not None and name not in spans:
            spans[name] = span

    add(f"rule:{rule.status}")
    add(f"rule:{rule.status}:{rule.decided_by}")
    add(f"rulec:{rule.continued}")
    if rule.open_question:
        add("rule:open")
    words = [t for t in tokens if t.form.isalpha()]
    if len(words) <= settings.terse_words:
        add("shape:terse")
    reading = read_meanings(tokens, lexicon, settings, goal_words)
    clauses = sorted({m.clause for m in reading.meanings if m.meaning != "expectation"})
    for m in reading.meanings:
        base = f"{m.meaning}{'-' if m.negated else '+'}"
        span = (m.start, m.end)
        add(f"m:{base}", span)
        places = {
            "first": clauses and m.clause == clauses[0],
            "last": clauses and m.clause == clauses[-1] and len(clauses) > 1,
            "contrast": m.contrast,
            "later": m.later,
            "field": m.field,
            "hedged": m.hedged,
            "goal": m.goal,
        }
        for place, holds in places.items():
            if holds:
                add(f"{place}:{base}", span)
    for measure in read_measures(tokens, lexicon, settings):
        add(measure.feature, (measure.start, measure.end))
    if lemma_features:
        for token in words:
            add(f"w:{token.lemma}")
    return Features(values, spans)


def texts_features(
    texts: Sequence[str],
    rules_read: Sequence[Verdict],
    settings: VerdictSettings,
    lemma_features: bool,
) -> list[Features]:
    """The features of many texts (the training tool and `decide_all` share this)."""
    lexicon = meaning_lexicon()
    goal_words = _goal_words()
    return [
        text_features(tokens, rule, lexicon, settings, goal_words, lemma_features)
        for tokens, rule in zip(tokenize(texts), rules_read, strict=True)
    ]


def _evidence(text: str, features: Features, model: LinearModel, chosen: int) -> list[str]:
    """The words of the feature that spoke most for the chosen class."""
    best, best_weight = None, 0.0
    for name, span in features.spans.items():
        at = model.index.get(name)
        if at is not None and model.weights[at, chosen] > best_weight:
            best, best_weight = span, float(model.weights[at, chosen])
    if best is None:
        return []
    words = text[best[0] : best[1]].strip()
    return [words] if words else []


_MET = frozenset({"num:met"})
_MISSED = frozenset({"num:missed", "num:close"})


def trusted(rule: Verdict, features: Features, kinds: Sequence[str]) -> bool:
    """Whether the rule verdict stands: words of a trusted kind decided it, and, for a number,
    the numbers read with their direction (`measures.py`) do not say the opposite."""
    if rule.decided_by not in kinds:
        return False
    if rule.decided_by == "number":
        against = _MISSED if rule.status == "achieved" else _MET
        return not against & features.values.keys()
    return True


# Features that are words of a verdict: a meaning of the lexicon or a number read.
_VERDICT_WORDS = ("m:", "num:", "count:", "pct:")


def overrules(
    rule: Verdict, features: Features, probabilities: np.ndarray, settings: VerdictSettings
) -> int | None:
    """The class of the model's status if it replaces the rule verdict, else None.

    It does not when trusted rule words decided (`trusted`), when the model is less sure than
    `model_min_probability`, and where the rules found nothing (unknown): unless the text holds
    verdict words (a meaning of the lexicon, a number) and the model gives its status at least
    `model_min_probability_over_nothing` — a text that carries no verdict stays unknown."""
    if trusted(rule, features, settings.trusted_rule_kinds):
        return None
    chosen = int(np.argmax(probabilities))
    floor = settings.model_min_probability
    if rule.decided_by == "nothing":
        if not any(name.startswith(_VERDICT_WORDS) for name in features.values):
            return None
        floor = max(floor, settings.model_min_probability_over_nothing)
    return chosen if probabilities[chosen] >= floor else None


def decide_all(
    texts: Sequence[str], rules_read: Sequence[Verdict], settings: VerdictSettings
) -> list[Verdict]:
    """The final verdicts: the rule verdict where trusted words decided it, else the model's."""
    model = verdict_model()
    rows = texts_features(texts, rules_read, settings, model.lemma_features)
    status_p = model.status.probabilities(rows)
    continued_p = model.continued.probabilities(rows)
    verdicts = []
    for text, rule, row, sp, cp in zip(texts, rules_read, rows, status_p, continued_p, strict=True):
        status: Status = rule.status
        decided_by, evidence = rule.decided_by, list(rule.evidence)
        chosen = overrules(rule, row, sp, settings)
        if chosen is not None and model.status.classes[chosen] != rule.status:
            status = model.status.classes[chosen]  # type: ignore[assignment]
            decided_by = "model"
            evidence = _evidence(text, row, model.status, chosen)
        continued = rule.continued
        if continued is None and not rule.open_question:
            chosen_c = int(np.argmax(cp))
            continued = _CONTINUED_VALUES[model.continued.classes[chosen_c]]
            if continued is not None:
                extra = _evidence(text, row, model.continued, chosen_c)
                evidence += [e for e in extra if e not in evidence]
        confidence = float(sp[model.status.classes.index(status)])
        verdicts.append(Verdict(status, continued, evidence, round(confidence, 3), decided_by))
    return verdicts
