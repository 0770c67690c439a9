"""The learned layer of the verdicts: a linear model over what the words mean.

Where the phrase rules of verdicts.toml run out (a phrasing they have not seen falls through to
"unknown" or to a weak reading), a multinomial logistic regression decides, over features that
generalise beyond phrasings (`features.py`): the meanings of the text's lemmas and where they
stand, numbers against their targets, the rule reading itself, optionally the lemmas.

Two models, one for `status` and one for `continued`, are fitted by `tools/fit_verdicts.py` on
the training rounds of tests/verdict_corpus and shipped as `verdict_model.json` (weights, the
features' names, a temperature that calibrates the probabilities). Only numpy runs them.

The rule verdict stands when words of `VerdictSettings.trusted_rule_kinds` decided it (a verdict
phrase, a status field, a mix); otherwise the model's most probable class is taken. The
confidence is always the model's calibrated probability of the status given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from maalspor.models.plan import Status
from maalspor.settings import VerdictSettings
from maalspor.verdicts.features import (
    MET,
    MISSED,
    Features,
    texts_features,
)
from maalspor.verdicts.meaning import CLAUSE_PUNCTUATION, Meaning, meaning_lexicon
from maalspor.verdicts.verdict import Verdict

MODEL_PATH = Path(__file__).with_name("verdict_model.json")
CONTINUED_CLASSES = ("true", "false", "null")
_CONTINUED_VALUES: dict[str, bool | None] = {"true": True, "false": False, "null": None}
# Where a clause opens, for a denial before a word (`said_of_the_future`).
_CLAUSE_MARKS = (*CLAUSE_PUNCTUATION, ",")
_WORD = re.compile(r"\w+")


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
        # the texts' known features as three flat arrays, summed in one numpy call (a text has
        # some hundred features: one numpy call per feature cost more than the rest together)
        entries = [
            (i, at, value)
            for i, row in enumerate(rows)
            for name, value in row.values.items()
            if (at := self.index.get(name)) is not None
        ]
        if entries:
            texts, ats, values = zip(*entries, strict=True)
            np.add.at(
                scores, np.array(texts), self.weights[np.array(ats)] * np.array(values)[:, None]
            )
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
    rule_features: bool


@cache
def verdict_model(path: Path = MODEL_PATH) -> VerdictModel:
    """The model file, read once."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return VerdictModel(
        LinearModel.from_json(data["status"]),
        LinearModel.from_json(data["continued"]),
        data["lemma_features"] != "none",
        bool(data.get("rule_features", True)),
    )


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


# Counts that say part or none of it was done ("3 af 5", "● ● ○ ○").
_SHORT_COUNTS = frozenset({"count:some", "count:none"})
# Statuses that say how the goal ended; an expectation cannot say them.
_OUTCOMES = frozenset({"achieved", "partially_achieved", "not_achieved"})


# Meanings that say something about the goal's status.
STATUS_MEANINGS = frozenset(
    {"completion", "failure", "partial", "stop", "postpone", "change", "green", "yellow", "red"}
)


def trusted(rule: Verdict, features: Features, settings: VerdictSettings) -> bool:
    """Whether the rule verdict stands: words of a trusted kind decided it, and (with
    `doubt_rules`) the meaning reader does not contradict them: for a number, the numbers read
    with their direction (`measures.py`) do not say the opposite; a reached verdict has no
    denied completion inside its words ("afsluttet uden at have nået"), a missed verdict no
    completion that two denials leave standing ("Det kan ikke siges, at målet ikke er nået");
    a stop is no part stopped (a count short of the whole, a partial word beside it); no
    clause after a contrast or a later-marker, after the rule's words, says something of the
    status ("..., men gennemført på ny i oktober"); no sentence after the rule's words says the
    opposite outcome (`_said_otherwise_later`); the outcome is not said only as an
    expectation that a later clause overtakes (`_overtaken`); and the text is no tick form,
    whose every answer the phrase rules read ("Nået: ja ☐ nej ☒")."""
    if rule.decided_by not in settings.trusted_rule_kinds:
        return False
    if not settings.doubt_rules:
        return True
    read = features.values.keys()
    if "shape:tick_form" in read:
        return False
    if rule.decided_by == "number":
        against = MISSED if rule.status == "achieved" else MET
        if against & read:
            return False
    # a result read against its target says the opposite of the rule's words ("Opnået: 64 %"
    # of a target of 85 %), and no other target says the same
    if rule.status == "achieved" and MISSED & read and not MET & read:
        return False
    if rule.status == "not_achieved" and MET & read and not MISSED & read:
        return False
    # a shortfall the writer calls partial is partial ("6,9 (mål 7,0). Tæt på - vi regner den
    # for delvist opfyldt"): the phrase rules may not have read the words
    if rule.decided_by == "number" and rule.status == "not_achieved" and _partly_done(features):
        return False
    # a stop beside a part done is a part stopped: "Vi fik holdt 3 – den sidste blev aflyst",
    # "Samlet blev halvdelen af de planlagte hold gennemført", "status gul ... aflyst"
    if rule.status == "dropped" and (_SHORT_COUNTS & read or _partly_done(features)):
        return False
    # work going on is no verdict beside a shortfall in words, a result read against its
    # target ("Målet videreføres" after "Gennemsnittet blev 16" of a ceiling of 10) or a count
    # short of the whole ("Delmål 3: [ ] ... Videreføres: ja")
    if rule.decided_by == "activity" and (
        _verdict_elsewhere(features) or (MET | MISSED | _SHORT_COUNTS) & read
    ):
        return False
    if features.rule_span is None:
        return True
    start, end = features.rule_span
    # the clause the rule's words end in: a contrast inside it ("Målet er dog langt fra nået")
    # is no later event
    inside = [m.clause for m in features.meanings if start <= m.start < end]
    rule_clause = max(inside, default=-1)
    rule_sentence = max(
        (m.sentence for m in features.meanings if start <= m.start < end), default=-1
    )
    if rule.status in _OUTCOMES and _overtaken(features, start, end):
        return False
    for m in features.meanings:
        if m.meaning not in STATUS_MEANINGS:
            continue
        # "Der er ikke tale om, at målet er opgivet": the rules' own words denied
        denied = m.negated and (rule.status, m.meaning) in _DENIABLE
        # "Det kan ikke siges, at målet ikke er nået": the rules saw the near denial only
        undenied = (
            rule.status == "not_achieved"
            and m.meaning == "completion"
            and m.denials > 1
            and not m.negated
        )
        if (denied or undenied) and start <= m.start < end:
            return False
        # a completion or a change among the rules' own words of `continued` says where the goal
        # goes, not how it went ("Målet er ikke nået, men det afsluttes hermed", "..., men det
        # videreføres"); a stop there does ("..., og målet er opgivet")
        if m.meaning in _WHERE_IT_GOES and any(s <= m.start < e for s, e in features.rule_words):
            continue
        if (m.contrast or m.later) and not m.reason and m.start >= end and m.clause > rule_clause:
            return False
        if _said_otherwise_later(rule, m, end, rule_sentence):
            return False
    return True


# Meanings of the rules' words of `continued` that say where the goal goes, not how it went.
_WHERE_IT_GOES = frozenset({"completion", "change"})


# What a meaning says of the outcome, by its polarity: a word of a reached goal, of a missed or
# stopped one. (A colour is an answer to its own label: "Videreførelse: Nej" reads as red.)
_REACHED = frozenset({("completion", False)})
_MISSED = frozenset({("failure", False), ("stop", False), ("completion", True)})


def _said_otherwise_later(rule: Verdict, m: Meaning, end: int, rule_sentence: int) -> bool:
    """Whether a sentence after the rule's words says the opposite outcome, not hedged, not as a
    reason, not marked as an earlier state: a later event overrides an earlier one ("Den første
    prøvedrift mislykkedes. Efter udskiftning af styringen fungerer bassinet efter hensigten")."""
    if m.sentence <= rule_sentence or m.start < end or m.hedged or m.reason or m.earlier:
        return False
    if m.moved:  # "Målet er opnået. Andelen er steget fra 11 % til 68 %": a rise can be good
        return False
    if m.by_part:  # "afholdt" read as "holdt": a compound's last part is weak evidence
        return False
    said = (m.meaning, m.negated)
    if rule.status == "achieved":
        return said in _MISSED
    return rule.status in {"not_achieved", "dropped"} and said in _REACHED


# A rule status and the meaning of its words: denied where the rules read them, the rule
# verdict is doubted.
_DENIABLE = frozenset({("achieved", "completion"), ("dropped", "stop")})


def _overtaken(features: Features, start: int, end: int) -> bool:
    """Whether the rule's words (from `start` to `end`) say an outcome only as an expectation,
    and a later clause says how it went: "Vi troede længe, at det ikke ville lykkes, men ...",
    "tegnede det til, at målet ville blive nået. Ved årets udgang lå andelen på 61 % mod ...".
    An expectation alone stands ("Målet forventes ikke nået.")."""
    expected = [
        m
        for m in features.meanings
        if m.hedged and m.meaning in STATUS_MEANINGS and start <= m.start < end
    ]
    if not expected:
        return False
    last = max(expected, key=lambda m: m.end)
    return any(
        m.meaning in STATUS_MEANINGS
        and not m.hedged
        and not m.reason
        and m.start >= last.end
        and m.clause > last.clause
        for m in features.meanings
    ) or any(name in MET | MISSED and span[0] >= last.end for name, span in features.spans.items())


# Meanings that say part of the goal was reached.
_PARTLY = frozenset({"partial", "yellow"})


def _partly_done(features: Features) -> bool:
    """Whether a word that says part of the goal was reached stands in the text, not hedged,
    not denied and outside the clauses of the rule's words ("halvdelen", "status gul"; "aflyst
    for resten af perioden" is no part done)."""
    start, end = features.rule_span or (-1, -1)
    own = {m.clause for m in features.meanings if start <= m.start < end}
    return any(
        m.meaning in _PARTLY
        and not m.hedged
        and not m.negated
        and not m.reason
        and m.clause not in own
        for m in features.meanings
    )


# Meanings that say the goal fell short or stopped: beside them, work going on is no verdict.
_SHORT_OF_IT = frozenset({"failure", "partial", "stop", "red", "yellow"})


def _verdict_elsewhere(features: Features) -> bool:
    """Whether a word that says the goal fell short, not hedged, stands outside the rule's
    words: work going on ("Målet videreføres", "pågår") decides only where the rules found no
    verdict, and a shortfall they could not place ("Målet om ... blev ikke nået (21 %)")
    outranks it. A completion does not: it is often a first stage done while the work goes
    on ("Målet videreføres, og den første etape er gennemført"). A shortfall denied is none
    ("Målsætningen er ikke droppet, men udskudt")."""
    start, end = features.rule_span or (-1, -1)
    return any(
        ((m.meaning in _SHORT_OF_IT and not m.negated) or (m.meaning == "completion" and m.negated))
        and not m.hedged
        and not start <= m.start < end
        for m in features.meanings
    )


def doubted(rule: Verdict, features: Features, settings: VerdictSettings) -> bool:
    """Trusted words decided the rule verdict, but the meaning reader contradicts them."""
    return rule.decided_by in settings.trusted_rule_kinds and not trusted(rule, features, settings)


def set_aside(rule: Verdict) -> Verdict:
    """A doubted rule reading with its status set aside, as if the rules had found nothing:
    the model then reads the text on its meanings alone (its continued value is kept)."""
    return Verdict("unknown", rule.continued, [], rule.confidence, "nothing", rule.open_question)


# Features that are words of a verdict: a meaning of the lexicon or a number read. A done action
# alone ("Kommissoriet er drøftet") is none: what was done need not be the goal; denied ("er
# ikke udarbejdet"), it is.
_VERDICT_WORDS = ("m:", "num:", "count:", "pct:")
_NO_VERDICT_WORDS = ("m:done+", "m:next_period+")


def overrules(
    rule: Verdict, features: Features, probabilities: np.ndarray, settings: VerdictSettings
) -> int | None:
    """The class of the model's status if it replaces the rule verdict, else None.

    It does not when trusted rule words decided (`trusted`), when the model is less sure than
    `model_min_probability`, and where the rules found nothing (unknown): unless the text holds
    verdict words (a meaning of the lexicon, a number) and the model gives its status at least
    `model_min_probability_over_nothing` — a text that carries no verdict stays unknown. A
    question the text leaves open ("det er for tidligt at sige, om målet nås") is no verdict of
    the rules, but the model reads it (most readers take it for work in progress)."""
    if trusted(rule, features, settings):
        return None
    chosen = int(np.argmax(probabilities))
    floor = settings.model_min_probability
    if rule.decided_by == "nothing":
        if not any(
            name.startswith(_VERDICT_WORDS) and name not in _NO_VERDICT_WORDS
            for name in features.values
        ):
            return None
        floor = max(floor, settings.model_min_probability_over_nothing)
    return chosen if probabilities[chosen] >= floor else None


def said_of_the_future(text: str, features: Features) -> tuple[bool | None, list[str]]:
    """What the meanings say of the goal's future where neither the rules nor the model do: a
    going-on denied in its clause ("bliver ikke en del af den kommende plan", "optræder ikke i
    planen fremover") ends it. (A postponement does not say it goes on as a goal: the corpus's
    readers left most of them open.)"""
    negations = meaning_lexicon().classes["negations"]

    def denied_before(start: int) -> bool:
        # the denial stands before the word in its clause: "fortsat ikke etableret" says
        # "still not", not "not continued"
        opening = max(text.rfind(mark, 0, start) for mark in _CLAUSE_MARKS) + 1
        return any(word in negations for word in _WORD.findall(text[opening:start].lower()))

    said = [m for m in features.meanings if m.meaning == "goes_on" and m.negated]
    said = [m for m in said if denied_before(m.start)]
    if not said:
        return None, []
    last = max(said, key=lambda m: m.start)
    return False, [text[last.start : last.end]]


# Meanings that say something of the goal's future.
_FUTURE_WORDS = tuple(
    f"m:{m}" for m in ("goes_on", "ends", "postpone", "stop", "change", "next_period")
)


def speaks_of_the_future(features: Features) -> bool:
    """Whether the text holds a word of the goal's future (a going-on, an ending, a
    postponement, a stop, a change): where the rules say nothing of `continued`, the model's
    value is taken only then, as a status only over verdict words ("Ny plan." beside a verdict
    says nothing of the future)."""
    return any(name.startswith(_FUTURE_WORDS) for name in features.values)


def continued_over_rules(
    rule: Verdict, probabilities: np.ndarray, settings: VerdictSettings
) -> int | None:
    """The class of the model's `continued` where it replaces a value the rules found: the
    other value (true for false, false for true), at least `model_continued_over_rules`
    probable. The model never erases a value the rules' words say ("Målet er droppet" stays
    false whatever sentences stand around it)."""
    floor = settings.model_continued_over_rules
    if floor is None or rule.continued is None or rule.open_question:
        return None
    chosen = int(np.argmax(probabilities))
    value = _CONTINUED_VALUES[CONTINUED_CLASSES[chosen]]
    if value is None or value == rule.continued:
        return None
    return chosen if probabilities[chosen] >= floor else None


# (rule status, model status): the rules' reading is kept. "Ikke helt nået" is partly reached;
# the model, which weighs "ikke" and a contrast ("dog") word by word, may take it for missed.
_KEPT = {("partially_achieved", "not_achieved")}


def decide_all(
    texts: Sequence[str], rules_read: Sequence[Verdict], settings: VerdictSettings
) -> list[Verdict]:
    """The final verdicts: the rule verdict where trusted words decided it (and the meaning
    reader does not contradict them), else the model's."""
    model = verdict_model()
    rows = texts_features(texts, rules_read, settings, model.lemma_features, model.rule_features)
    status_p = model.status.probabilities(rows)
    continued_p = model.continued.probabilities(rows)
    # a doubted rule verdict: the status is read again with the rule's status set aside
    again = [
        i
        for i, (r, row) in enumerate(zip(rules_read, rows, strict=True))
        if doubted(r, row, settings)
    ]
    if again:
        aside = texts_features(
            [texts[i] for i in again],
            [set_aside(rules_read[i]) for i in again],
            settings,
            model.lemma_features,
            model.rule_features,
        )
        status_p[again] = model.status.probabilities(aside)
    read_from = list(rows)  # the rows the status was read from (for its evidence)
    for i, row in zip(again, aside if again else [], strict=True):
        read_from[i] = row
    verdicts = []
    for text, rule, row, basis, sp, cp in zip(
        texts, rules_read, rows, read_from, status_p, continued_p, strict=True
    ):
        status: Status = rule.status
        decided_by, evidence = rule.decided_by, list(rule.evidence)
        chosen = overrules(rule, row, sp, settings)
        if chosen is not None and (rule.status, model.status.classes[chosen]) in _KEPT:
            chosen = None  # a partial marker ("ikke helt", "delvist") read by the rules stands
        if chosen is not None and model.status.classes[chosen] != rule.status:
            status = model.status.classes[chosen]  # type: ignore[assignment]
            decided_by = "model"
            evidence = _evidence(text, basis, model.status, chosen)
        continued = rule.continued
        over = continued_over_rules(rule, cp, settings)
        if over is not None:
            continued = _CONTINUED_VALUES[model.continued.classes[over]]
            extra = _evidence(text, row, model.continued, over)
            evidence += [e for e in extra if e not in evidence]
        elif continued is None and not rule.open_question:
            chosen_c = int(np.argmax(cp))
            continued = _CONTINUED_VALUES[model.continued.classes[chosen_c]]
            sure = cp[chosen_c] >= settings.model_continued_min_probability
            if not (sure and speaks_of_the_future(row)):
                continued = None
            if continued is not None:
                extra = _evidence(text, row, model.continued, chosen_c)
                evidence += [e for e in extra if e not in evidence]
            else:
                continued, said = said_of_the_future(text, row)
                evidence += [e for e in said if e not in evidence]
        confidence = float(sp[model.status.classes.index(status)])
        verdicts.append(Verdict(status, continued, evidence, round(confidence, 3), decided_by))
    return verdicts
