"""Stage classify: the verdict of every follow-up (Opfølgning) — its status and whether it goes on.

All Danish is data in `pipeline/rules/verdicts.toml`; that file documents the reading in full.
In short: a text is cut into sentences (spaCy) and clauses (comma + conjunction, "men", "og
det"); the patterns of each outcome are matched per clause, so negation and open questions
never reach across a clause. Status precedence:

1. explicit verdicts (achieved — after negation and "delvis" are applied — partially achieved,
   not achieved, changed, dropped): the first one in the text wins, except that achieved mixed
   with not/partially achieved gives partially_achieved, and so does a missed target that words
   after it call partial;
   numbers take part too: a grade in per cent ("Opfyldelsesgrad: 60 %") and a result against
   its target ("steg fra 48 til 52 % mod et mål på 55 %"), see `maalspor.verdicts.numbers`;
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

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from maalspor.models.plan import PlanDocument, Status
from maalspor.rules import pinned
from maalspor.settings import Settings, VerdictSettings
from maalspor.verdicts.clauses import clauses as _clauses
from maalspor.verdicts.clauses import first as _first
from maalspor.verdicts.clauses import masked as _masked
from maalspor.verdicts.clauses import sentence_spans as _sentence_spans
from maalspor.verdicts.clauses import window_end as _window_end
from maalspor.verdicts.clauses import window_start as _window_start
from maalspor.verdicts.learned import decide_all
from maalspor.verdicts.number_words import is_unit_form, text_lower_is_better
from maalspor.verdicts.numbers import (
    YEARS,
    count_in,
    grade_status,
    other_units,
    target_status,
    whole_of_a_count,
)
from maalspor.verdicts.phrasebook import VerdictRules, verdict_rules
from maalspor.verdicts.value_labels import COUNT_BEFORE, value_labeller
from maalspor.verdicts.verdict import Verdict
from maalspor.verdicts.wordbook import meaning_lexicon

_HAS_WORD = re.compile(r"\w")
# Outcomes whose phrases a negation takes back ("ikke opgivet", "ikke ændret").
_DENIABLE = frozenset({"changed", "dropped"})


@dataclass(frozen=True)
class _Hit:
    start: int  # offsets in the whole text, so hits of all clauses can be ordered
    end: int
    value: Status | bool
    explicit: bool = False
    kind: str = "verdict"  # one of CONFIDENCE_KINDS
    denied: bool = False  # a continued hit: a going-on denied ("videreføres ikke")


def _read_achieved(
    clause: str, match: re.Match[str], compiled: VerdictRules
) -> tuple[Status, int, int]:
    """The status an achieved phrase has in its context, and the span of the deciding words."""
    start, end = match.span()
    answer = compiled.field_answer.match(clause, end)
    if answer:  # "Gennemført: ✗", "Mål nået: ☐ Ja ☒ Nej ☐ Delvist": the field's value decides
        option = answer.group("option")
        status = compiled.form_options[option.lower()] if option else "not_achieved"
        return status, start, answer.end()
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
    # a verdict word that opens its clause is denied anywhere in it: "Nået blev det i hvert
    # fald ikke" (the subject and adverbs come between); a tick or a colour is no verb
    fronted = not _HAS_WORD.search(clause, 0, start) and match.group().lstrip()[:1].isalpha()
    after = _window_end(clause, end, len(clause) if fronted else compiled.words_after, conj)
    negation = _first(compiled.negation, masked, before, after) or compiled.neither.search(
        clause[:start]
    )
    if negation:
        whole = _first(compiled.partial_when_negated, masked, before, after)
        if whole:  # "ikke nået fuldt ud": only part is missing
            return "partially_achieved", min(start, negation.start()), max(end, whole.end())
        not_yet = _first(compiled.not_yet_when_negated, masked, before, after)
        if not_yet:  # "endnu ikke nået": the work goes on
            return (
                "in_progress",
                min(start, negation.start(), not_yet.start()),
                max(end, negation.end(), not_yet.end()),
            )
        return "not_achieved", min(start, negation.start()), max(end, negation.end())
    future = _first(compiled.future, clause, start, after)
    if future:  # "Målet forventes nået": not yet
        return "in_progress", start, max(end, future.end())
    lead_ins = [m for p in compiled.future_lead_ins if (m := _first(p, clause, 0, start))]
    if lead_ins:  # "Det forventes, at målet nås i 2017"
        return "in_progress", min(m.start() for m in lead_ins), end
    return "achieved", start, end


def _negated(clause: str, start: int, end: int, compiled: VerdictRules) -> re.Match[str] | None:
    """A negation in, or in the words around, a phrase within its clause."""
    conj = compiled.conjunctions
    return _first(
        compiled.negation,
        _masked(clause, compiled),
        _window_start(clause, start, compiled.words_before, conj),
        _window_end(clause, end, compiled.words_after, conj),
    ) or compiled.neither.search(clause[:start])


def _kind(pattern: re.Pattern[str]) -> str:
    # A pattern anchored at the clause start reads a status cell or a field value.
    return "field" if pattern.pattern.startswith("^") else "verdict"


def _foreseen(clause: str, start: int, compiled: VerdictRules) -> bool:
    """A future marker or lead-in in the words just before a phrase ("forventes afsluttet",
    "forventet afsluttet")."""
    before = _window_start(clause, start, compiled.words_before, compiled.conjunctions)
    markers = (compiled.future, *compiled.future_lead_ins)
    return any(_first(p, clause, before, start) is not None for p in markers)


def _is_year(number: str) -> bool:
    return number.isdigit() and int(number) in YEARS


def _read_numbers(
    text: str,
    sentences: list[tuple[int, int]],
    compiled: VerdictRules,
    lower_is_better: Callable[[str, Sequence[str], bool], bool],
    is_time: Callable[[str], bool],
) -> list[_Hit]:
    """Grades in per cent and results against their targets, anywhere in the text."""
    numbers = compiled.numbers
    hits = []
    for pattern in numbers.grades:
        for match in pattern.finditer(text):
            hits.append(_Hit(*match.span(), grade_status(match), True, "number"))
    for pattern in numbers.targets:
        for match in pattern.finditer(text):
            if any(_is_year(match.group(name)) for name in ("result", "target")):
                continue  # "På 2015. Målet er nået i 2015": years, no result and target
            if other_units(text, match, is_time) or whole_of_a_count(text, match, numbers):
                continue
            # the measure is named in the result's own sentence ("Sygefraværet faldt ...")
            start = max((s for s, _ in sentences if s <= match.start()), default=0)
            status = target_status(text, match, numbers, start, lower_is_better)
            hits.append(_Hit(*match.span(), status, True, "number"))
    return hits


@dataclass
class _Reading:
    status_hits: list[_Hit]
    continued_hits: list[_Hit]
    open_hits: list[_Hit]  # open markers that discarded a continued phrase
    opened: bool = False  # an open marker ("det overvejes om") is in the text


def _read_clause(
    offset: int,
    clause: str,
    compiled: VerdictRules,
    reading: _Reading,
    labels_value: Callable[[str, int, int], bool],
) -> None:
    """`labels_value(clause, start, end)`: the words at start..end label the value after them
    ("realiseret 1,87 mio. ton"): no verdict."""
    # Only patterns whose required words the clause holds are searched (`regex_screen`).
    screen = compiled.screen
    present = screen.present(clause)

    def searched(patterns: Iterable[re.Pattern[str]]) -> list[re.Pattern[str]]:
        return screen.searched(patterns, present)

    def searched_pairs(pairs: Iterable[tuple[Any, re.Pattern[str]]]) -> list[tuple[Any, Any]]:
        return screen.searched_pairs(pairs, present)

    # An open question ("overvejes om") discards every hit from where it starts.
    opened = [m for p in searched(compiled.open_markers) if (m := p.search(clause))]
    reading.opened = reading.opened or bool(opened)
    cut = min((m.start() for m in opened), default=len(clause) + 1)

    def keep(match: re.Match[str]) -> bool:
        return match.start() < cut

    for pattern in searched(compiled.achieved):
        for match in pattern.finditer(clause):
            if keep(match) and not labels_value(clause, *match.span()):
                status, start, end = _read_achieved(clause, match, compiled)
                kind = _kind(pattern)
                reading.status_hits.append(_Hit(offset + start, offset + end, status, True, kind))
    for pattern in searched(compiled.delivered):
        for match in pattern.finditer(clause):
            if keep(match) and not labels_value(clause, *match.span()):
                status, start, end = _read_achieved(clause, match, compiled)
                reading.status_hits.append(
                    _Hit(offset + start, offset + end, status, kind="delivered")
                )
    for status, pattern in searched_pairs(compiled.literal_status):
        for match in pattern.finditer(clause):
            denied = status in _DENIABLE and _negated(clause, *match.span(), compiled)
            # "Realiseret 18 (7 aflyst pga. vejr)": a count's things were cancelled, not the goal
            counted = status in _DENIABLE and COUNT_BEFORE.search(clause, 0, match.start())
            if keep(match) and not denied and not counted:  # "Målet er ikke opgivet": no drop
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
            if not value and COUNT_BEFORE.search(clause, 0, start):
                continue  # "(7 aflyst pga. vejr)": seven things end, not the goal
            negation = _negated(clause, start, end, compiled)
            if negation:  # "videreføres ikke", "ikke afsluttet"
                value_here = not value
                start, end = min(start, negation.start()), max(end, negation.end())
            else:
                value_here = value
            # a going-on denied ends the goal however else it goes on ("indgår fremover i den
            # nye strategi og videreføres derfor ikke i denne plan")
            denied = bool(negation) and value
            reading.continued_hits.append(
                _Hit(offset + start, offset + end, value_here, denied=denied)
            )
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
        # a shortfall the writer calls partial is partial: "Udlån pr. indbygger: 6,9 (mål
        # 7,0). Tæt på - vi regner den for delvist opfyldt"
        first = explicit[0]
        if first.kind == "number" and first.value == "not_achieved":
            called = [h for h in explicit if h.kind != "number" and h.value == "partially_achieved"]
            if called:
                return "partially_achieved", [first, called[0]], called[0].kind
        return explicit[0].value, [explicit[0]], explicit[0].kind  # type: ignore[return-value]
    going_on = _in_order(h for h in hits if h.value == "in_progress")
    if going_on:
        return "in_progress", [going_on[0]], "activity"
    delivered = _in_order(h for h in hits if h.kind == "delivered")
    if delivered:
        return delivered[0].value, [delivered[0]], "delivered"  # type: ignore[return-value]
    return "unknown", [], "nothing"


def _decide_continued(reading: _Reading) -> tuple[bool | None, list[_Hit]]:
    # a going-on denied beats one before it ("indgår fremover i den nye strategi og videreføres
    # derfor ikke i denne plan"), not one after it ("fortsætter ikke i sin nuværende form, men
    # arbejdet videreføres i et nyt mål")
    denied = [h for h in reading.continued_hits if h.denied]
    last_denied = max((h.start for h in denied), default=-1)
    if denied and not any(
        h.value is True and h.start > last_denied for h in reading.continued_hits
    ):
        return False, _in_order(denied)
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


def _verdict(
    text: str,
    sentences: list[tuple[int, int]],
    compiled: VerdictRules,
    number_sense: tuple[Callable[[str, Sequence[str], bool], bool], Callable[[str], bool]],
    labels_value: Callable[[str, int, int], bool],
) -> Verdict:
    """`number_sense`: whether a measure is better low, and whether a word is a time unit
    (meanings.toml's lists, read alike by the learned layer); `labels_value`: see
    `_read_clause`."""
    reading = _Reading(_read_numbers(text, sentences, compiled, *number_sense), [], [])
    for span in sentences:
        for offset, clause in _clauses(text, span, compiled):
            _read_clause(offset, clause, compiled, reading, labels_value)
    status, status_hits, kind = _decide_status(reading.status_hits)
    continued, continued_hits = _decide_continued(reading)
    evidence = _evidence(text, [*status_hits, *continued_hits])
    span = (
        (min(h.start for h in status_hits), max(h.end for h in status_hits))
        if status_hits
        else None
    )
    return Verdict(
        status, continued, evidence, compiled.confidence[kind], kind, reading.opened, span
    )


def classify_text(text: str | None, settings: VerdictSettings | None = None) -> Verdict:
    """The verdict of one Opfølgning text.

    None or blank: unknown, not said, no evidence, and confidence 1 (nothing is certainly said).
    """
    return classify_texts([text], settings)[0]


def rule_verdicts(
    texts: Sequence[str | None], settings: VerdictSettings | None = None
) -> list[Verdict]:
    """The verdicts of the phrase rules alone (verdicts.toml), from one spaCy pass."""
    compiled = verdict_rules()
    lexicon, settings = meaning_lexicon(), settings or VerdictSettings()

    def lower_is_better(context: str, units: Sequence[str], share: bool) -> bool:
        return text_lower_is_better(context, units, lexicon, settings, share)

    def is_time(word: str) -> bool:
        return is_unit_form(word.lower(), lexicon.classes["lower_is_better_units"], settings)

    labels_value = value_labeller(lexicon.classes["auxiliaries"], settings.value_label_words)

    prepared = [text or "" for text in texts]
    return [
        _verdict(text, spans, compiled, (lower_is_better, is_time), labels_value)
        if text.strip()
        else Verdict("unknown", None, [], 1.0)
        for text, spans in zip(prepared, _sentence_spans(prepared, compiled), strict=True)
    ]


def classify_texts(
    texts: Sequence[str | None], settings: VerdictSettings | None = None
) -> list[Verdict]:
    """The verdicts of many texts: the phrase rules, then the learned layer (`learned.py`)
    where the rules' words are not trusted. `maalspor verdict` and `classify` both come here."""
    settings = settings or VerdictSettings()
    read = rule_verdicts(texts, settings)
    if not settings.learned:
        return read
    filled = [i for i, text in enumerate(texts) if text and text.strip()]
    decided = decide_all([texts[i] or "" for i in filled], [read[i] for i in filled], settings)
    for i, verdict in zip(filled, decided, strict=True):
        read[i] = verdict
    return read


@pinned
def classify(plan: PlanDocument, settings: Settings | None = None) -> PlanDocument:
    """A copy of the plan whose follow-ups carry status, continued and status_evidence.

    The verdict rules are data (`rules/verdicts.toml`, `rules/meanings.toml`); `settings.verdicts`
    holds the thresholds of the learned layer. One plan's texts are read in one pass."""
    verdicts = classify_texts(
        [follow_up.follow_up for follow_up in plan.follow_ups],
        (settings or Settings()).verdicts,
    )
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
