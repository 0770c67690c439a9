"""A result against its target: which number of a follow-up is the target, which the result.

A text is cut into segments (a sentence, a table cell between "|", a part in brackets or after
a dash). Walking each segment left to right, words set the role of the numbers after them:

- a **target** word ("mål", "krav", "målsætning", a compound ending in one: "budgetmålet"), a
  modal verb ("skulle", "må", "ville") or a bound right before the number ("mindst", "højst",
  "under", "≥") makes it a target; the bound also says the better direction;
- a **result** word ("Resultat", "Opnået", "endte", "landede", "gennemsnit") or a year label
  ("2023: 63,5 %", "I 2023 var ...") makes it a result; a weak one ("var", "blev", "lå") only
  where no target word came before it in the segment ("Målet var, at ni ud af ti ...");
- a number before any such word takes the role of the first one after it in its segment
  ("Mindst 85 % af kvinderne skulle ..."), but is a result before a target word or a bound
  that has a number of its own ("19 hændelser, loft 10");
- a **change** ("et fald på 3 procentpoint", "+5,4", "1,1 procentpoint lavere end") and an
  **earlier** value ("fra 9,1 til ...", "61 % året før", a year before the latest the text
  names) are never the result.

Counts are shares ("112 ud af 224", "ni ud af ti", "17/24", "halvdelen", "hver fjerde") and are
compared as per cents; a duration in two units is one number ("9 min. 12 sek."). Each target
takes the first result after it (before the next target; of several labelled by years, the
latest year's), else the nearest before it, else an unlabelled number: the first after it in
its sentence, the nearest before it there, the first in a later sentence. A per-cent target
takes a per-cent result, any other target one that is not. A per-cent target for a change ("en
reduktion på mindst 10 %") takes a change, or, where the text gives none, the change from an
earlier level to the result ("410 kg (2023: 480 kg)").
The direction: a bound, a ceiling or floor target word, "fra A til B", a decrease or increase
word ("halvere", "nedbringe"), a measure where less is better ("ventetid", "sygefraværet") or a
unit of time after the numbers; else more is better. "Under" and "over" are strict.

The word classes are data in `pipeline/rules/meanings.toml`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from maalspor.settings import VerdictSettings
from maalspor.verdicts.bounds import BOUNDARIES, bound, is_change, planned_change
from maalspor.verdicts.meaning import Lexicon, Token
from maalspor.verdicts.number_words import (
    is_unit,
    measure_says_lower,
    names_the_measure,
    phrase_ending,
    read_numbers,
    within_deadline,
    worded,
    year_in_brackets,
)
from maalspor.verdicts.numbers import FULL_GRADE

_SENTENCE_ENDS = frozenset({".", "!", "?", "\n"})
# "min." does not end a segment
_ABBREVIATIONS = frozenset(
    {"min", "maks", "max", "gns", "ca", "pct", "mio", "mia", "mdr", "kr", "nr", "pr", "jf", "bl"}
)


@dataclass(frozen=True)
class Quantity:
    """A number of a follow-up with its role."""

    first: int  # its tokens
    last: int
    value: float
    percent: bool  # a per cent or a share
    role: str  # "target", "result", "change", "earlier", "other"
    year: int | None = None  # the year that labels a result ("2023: 63,5 %")
    way: str | None = None  # a bound's direction: "ceiling" or "floor"
    strict: bool = False  # "under 14": 14 misses it


@dataclass(frozen=True)
class Comparison:
    """A target, the result compared with it, and whether it was met."""

    target: Quantity
    result: Quantity
    met: bool
    miss: float  # how far the result falls short, as a share of the target (0 when met)


def _segments(tokens: Sequence[Token]) -> tuple[list[int], list[int]]:
    """The segment and the sentence of every token."""
    segments, sentences, segment, sentence = [], [], 0, 0
    for at, token in enumerate(tokens):
        segments.append(segment)
        sentences.append(sentence)
        if token.form in BOUNDARIES:
            if token.form == "." and at and tokens[at - 1].form in _ABBREVIATIONS:
                continue
            segment += 1
            sentence += token.form in _SENTENCE_ENDS
    return segments, sentences


def _ends_in(token: Token, words: frozenset[str], lexicon: Lexicon) -> bool:
    """A word of `words`, or a compound ending in one of at least 3 letters ("budgetmålet")."""
    if token.is_word(lexicon.classes["not_targets"]):
        return False
    if token.is_word(words):
        return True
    form = token.form
    return form.isalpha() and any(len(form) > len(w) + 2 and form.endswith(w) for w in words)


def _cue(tokens: Sequence[Token], at: int, lexicon: Lexicon) -> str | None:
    """ "target", "result", "weak" (a weak result word) or None."""
    token = tokens[at]
    if not token.form.isalpha():
        return None
    classes = lexicon.classes
    if token.is_word(classes["modal_targets"]):
        return "target"
    if at and tokens[at - 1].form == "at" and token.form in classes["aim_verbs"]:
        return "target"  # "for at nå en score på 4,0": the infinitive of reaching aims
    targets = classes["targets"] | classes["ceiling_targets"] | classes["floor_targets"]
    if _ends_in(token, targets, lexicon):
        return "target"
    if _ends_in(token, classes["results"], lexicon):
        return "result"
    return "weak" if token.is_word(classes["weak_results"]) else None


def read_quantities(
    tokens: Sequence[Token], lexicon: Lexicon, settings: VerdictSettings
) -> list[Quantity]:
    """The numbers of a text with their roles (see the module's docstring)."""
    return _quantities(tokens, lexicon, settings, _segments(tokens)[0])


def _quantities(
    tokens: Sequence[Token], lexicon: Lexicon, settings: VerdictSettings, segment_of: list[int]
) -> list[Quantity]:
    numbers, years = read_numbers(tokens, lexicon, settings.fraction_min_whole)
    latest = max(years.values(), default=None)
    earlier_words = lexicon.classes["earlier_values"]
    earlier_phrases = lexicon.phrases["earlier_values"]
    quantities: list[Quantity] = []
    pending: list[Quantity] = []
    role: str | None = None
    seen_target = False
    year: int | None = None
    segment = -1

    def settle(with_role: str) -> None:
        quantities.extend(replace(q, role=with_role) for q in pending)
        pending.clear()

    def earlier_after(q_last: int) -> bool:
        for k in range(q_last + 1, min(len(tokens), q_last + 1 + settings.earlier_reach_words)):
            if k in numbers or segment_of[k] != segment_of[q_last]:
                return False
            if tokens[k].is_word(earlier_words) or phrase_ending(tokens, k, earlier_phrases):
                return True
        return False

    def own_number(cue_at: int) -> bool:
        for k in range(cue_at + 1, min(len(tokens), cue_at + 2 + settings.bound_reach_words)):
            if k in numbers:
                return segment_of[k] == segment_of[cue_at]
        return False

    skip_to = -1
    for at in range(len(tokens)):
        if segment_of[at] != segment:
            settle("other")
            role, seen_target, year, segment = None, False, None, segment_of[at]
        if at <= skip_to:
            continue
        if at in years:
            year = years[at]
            if role is None:
                role = "result"
                settle("result")
            continue
        cue = _cue(tokens, at, lexicon)
        if cue == "target":
            # "19 hændelser, loft 10": numbers before a target word with a number of its own
            # are results; "Ni ud af ti elever skulle ..." shares the target's role
            settle("result" if own_number(at) else "target")
            role, seen_target = "target", True
        elif cue == "result" and seen_target and at + 1 in years:
            pass  # a result word before a year dates the target: "skal ultimo 2023 være nedbragt"
        elif cue == "result" or (cue == "weak" and not seen_target):
            role = "result"
            settle("result")
        if at not in numbers:
            continue
        last, value, percent, sign = numbers[at]
        skip_to = last
        if names_the_measure(tokens, last, settings.measure_name_words):
            continue  # "Patienter med ≥ 1 bæltefiksering: ..." names what is counted
        quantity = Quantity(at, last, value, percent, "other", year)
        before = tokens[max(0, at - settings.change_value_reach_words) : at]
        to_follows = any(
            t.form == "til" for t in tokens[last + 1 : last + 2 + settings.change_value_reach_words]
        )
        if is_change(tokens, at, sign, lexicon, settings):
            planned = role == "target" and planned_change(tokens, at, lexicon, settings)
            quantities.append(replace(quantity, role="target" if planned else "change"))
        elif (
            (any(t.form == "fra" for t in before) and to_follows)
            or earlier_after(last)
            or (role == "result" and year is not None and latest is not None and year < latest)
            or year_in_brackets(tokens, at)
        ):
            quantities.append(replace(quantity, role="earlier"))
        elif (
            not percent
            and role == "target"
            and (last_read := max(quantities, key=lambda q: q.first, default=None)) is not None
            and last_read.role == "target"
            and last_read.percent
            and segment_of[last_read.first] == segment_of[at]
            and (
                bound(tokens, at, lexicon, settings) is not None
                or within_deadline([t.form for t in before[-2:]], lexicon)
            )
        ):
            # "80 % af eleverne skulle opnå mindst 02", "90 % af sagerne afgøres inden for 60
            # dage": the bound or the deadline says which of them count; no target of its own
            quantities.append(replace(quantity, role="other"))
        elif (found := bound(tokens, at, lexicon, settings)) is not None and role != "result":
            way, strict = found
            quantities.append(replace(quantity, role="target", way=way, strict=strict))
            role, seen_target = "target", True
            settle("result")  # "leveringstid 9 dage i snit, max 10 tilladt"
        elif role is None:
            pending.append(quantity)
        else:
            quantities.append(replace(quantity, role=role))
    settle("other")
    return sorted(quantities, key=lambda q: q.first)


def _way(
    target: Quantity,
    quantities: Sequence[Quantity],
    tokens: Sequence[Token],
    lexicon: Lexicon,
    sentence_of: Sequence[int],
    result: Quantity,
    settings: VerdictSettings,
) -> tuple[str, bool]:
    """The better direction of a target and whether its bound is strict."""
    if target.way is not None:
        return target.way, target.strict
    classes = lexicon.classes
    sentence = [t for k, t in enumerate(tokens) if sentence_of[k] == sentence_of[target.first]]
    if any(t.is_word(classes["ceiling_targets"]) for t in sentence):
        return "ceiling", False
    if any(t.is_word(classes["floor_targets"]) for t in sentence):
        return "floor", False
    origin = next(
        (q for q in quantities if q.role == "earlier" and 0 < target.first - q.last <= 4), None
    )
    if origin is not None and origin.value != target.value:
        return ("ceiling" if target.value < origin.value else "floor"), False
    before = [t for t in sentence if t.start < tokens[target.first].start]
    if any(t.is_word(classes["decrease"]) for t in before):
        return "ceiling", False
    if any(t.is_word(classes["increase"]) for t in before):
        return "floor", False
    # the target's sentence, else the result's up to its first comma after it (not the reasons
    # told after it: "Det blev til 48.300, hvilket skyldes ... vandskaden")
    comma = next(
        (k for k in range(result.last + 1, len(tokens)) if tokens[k].form == ","), len(tokens)
    )
    said_of_result = [
        t for k, t in enumerate(tokens[:comma]) if sentence_of[k] == sentence_of[result.first]
    ]
    for words in (sentence, said_of_result):
        said = measure_says_lower(worded([t.form for t in words]), lexicon, settings)
        if said is not None:
            return ("ceiling" if said else "floor"), False
    units = classes["lower_is_better_units"]
    for q in (target, result):
        if q.last + 1 < len(tokens) and is_unit(tokens[q.last + 1], units, settings):
            return "ceiling", False
    return "floor", False


def _change_target(
    target: Quantity,
    tokens: Sequence[Token],
    lexicon: Lexicon,
    sentence_of: Sequence[int],
    settings: VerdictSettings,
) -> bool:
    """A per-cent target for a change: a change word in its sentence before it."""
    if not target.percent:
        return False
    reach = settings.change_value_reach_words + 1
    if any(t.form == "til" for t in tokens[max(0, target.first - reach) : target.first]):
        return False  # "reducere fraværet til 6 %": a level
    changes = lexicon.classes["decrease"] | lexicon.classes["increase"]
    here = sentence_of[target.first]
    after = target.last + 1  # "Mål: 10 % fald": the change word right after the number
    if after < len(tokens) and tokens[after].is_word(changes):
        return True
    return any(
        tokens[k].is_word(changes)
        for k in range(target.first)
        if sentence_of[k] in (here, here - 1)
    )


def _derived_change(
    target: Quantity,
    quantities: Sequence[Quantity],
    tokens: Sequence[Token],
    lexicon: Lexicon,
    sentence_of: Sequence[int],
    settings: VerdictSettings,
) -> Quantity | None:
    """A per-cent target for a change where the text gives two levels and no change: "Madspild:
    11,2 t (2023: 14,8 t). Mål: min. 20 % reduktion" is a reduction of 24 %. The change word
    (a decrease or an increase) stands in the target's sentence; the levels are the latest
    earlier value and the result (or an unlabelled number) nearest to it, neither a per cent.
    The change is relative to the earlier value, positive in the target's direction."""
    if not target.percent:
        return None
    here = sentence_of[target.first]
    after = target.last + 2 + settings.change_value_reach_words
    words = [t for k, t in enumerate(tokens[:after]) if sentence_of[k] == here]
    if any(t.is_word(lexicon.classes["decrease"]) for t in words):
        sign = -1.0
    elif any(t.is_word(lexicon.classes["increase"]) for t in words):
        sign = 1.0
    else:
        return None
    earlier = [q for q in quantities if q.role == "earlier" and not q.percent and q.value]
    if not earlier:
        return None
    origin = earlier[-1]
    levels = [q for q in quantities if q.role in ("result", "other") and not q.percent]
    if not levels:
        return None
    level = min(levels, key=lambda q: abs(q.first - origin.first))
    value = sign * (level.value - origin.value) / origin.value * FULL_GRADE
    return replace(level, value=value, percent=True, role="change")


def _result_for(
    target: Quantity, quantities: Sequence[Quantity], change: bool, sentence_of: Sequence[int]
) -> Quantity | None:
    # a target of the other kind between does not take the result ("Mindst 90 % ... inden for
    # 60 dage. Realiseret: 93,4 %")
    targets = [q for q in quantities if q.role == "target" and q.percent == target.percent]
    following = next((q.first for q in targets if q.first > target.first), None)
    preceding = max((q.last for q in targets if q.first < target.first), default=-1)
    roles = ("change",) if change else ("result",)
    fitting = [q for q in quantities if q.role in roles and q.percent == target.percent]
    after = [
        q for q in fitting if q.first > target.last and (following is None or q.first < following)
    ]
    if after:
        labelled = [q for q in after if q.year is not None]
        if labelled:
            latest = max(q.year for q in labelled if q.year is not None)
            return next(q for q in labelled if q.year == latest)
        return after[0]
    before = [q for q in fitting if preceding < q.first < target.first]
    if before:
        return before[-1]
    if change:
        return None
    others = [
        q
        for q in quantities
        if q.role == "other" and q.percent == target.percent and q.first > target.last
    ]
    # a result named before its target with no result word: "87 % (min. 85 %)", "19 % – langt
    # fra de 30 %, vi sigtede efter"
    earlier = [
        q
        for q in quantities
        if q.role == "other" and q.percent == target.percent and preceding < q.first < target.first
    ]
    # the number after the target in its own sentence, else the one before it there, else the
    # first in a later sentence ("41 (max. 50 jf. servicemål). Sidste vinter: 67.")
    here = sentence_of[target.first]
    if others and sentence_of[others[0].first] == here:
        return others[0]
    if earlier and sentence_of[earlier[-1].first] == here:
        return earlier[-1]
    return others[0] if others else earlier[-1] if earlier else None


def compare(
    tokens: Sequence[Token], lexicon: Lexicon, settings: VerdictSettings
) -> tuple[list[Comparison], list[Quantity]]:
    """Every target of a text with the result it is compared with; and all its quantities."""
    segment_of, sentence_of = _segments(tokens)
    quantities = _quantities(tokens, lexicon, settings, segment_of)
    comparisons = []
    for target in (q for q in quantities if q.role == "target"):
        change = _change_target(target, tokens, lexicon, sentence_of, settings)
        result = _result_for(target, quantities, change, sentence_of)
        derived = None
        if result is None:
            derived = _derived_change(target, quantities, tokens, lexicon, sentence_of, settings)
        if derived is not None:
            change, result = True, derived
        if result is None and change:
            change, result = False, _result_for(target, quantities, False, sentence_of)
        if result is None:
            continue
        # a change read from two levels keeps its sign: a rise is no reduction
        value = (
            result.value if derived is not None else abs(result.value) if change else result.value
        )
        way, strict = (
            ("floor", False)
            if change
            else _way(target, quantities, tokens, lexicon, sentence_of, result, settings)
        )
        goal = target.value
        if way == "ceiling":
            met = value < goal if strict else value <= goal
        else:
            met = value > goal if strict else value >= goal
        miss = 0.0 if met else (abs(value - goal) / abs(goal) if goal else 1.0)
        comparisons.append(Comparison(target, result, met, miss))
    return comparisons, quantities
