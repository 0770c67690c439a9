"""Numbers in a follow-up read as evidence: a value against its target with a direction, counts
("2 af 9 gennemført"), grades in per cent.

Works on the tokens of `maalspor.verdicts.meaning` and the word classes of
`pipeline/rules/meanings.toml` ("targets", "results", "ceiling", "floor", "lower_is_better",
"decrease", "increase"). What it finds becomes features of the learned layer
(`maalspor.verdicts.learned`): `num:met`, `num:missed`, `num:close` (missed by less than
`VerdictSettings.close_miss_share` of the target), `count:all`, `count:some`, `count:none`,
`pct:full`, `pct:most`, `num:mixed` (several targets, some met and some missed). A target
for a change ("en reduktion på mindst 10 %") is compared with the change the text reports
("faldt fra 212 til 184 kg", "faldt med 6 %"). A target word may end a compound
("budgetmålet"); a number after "pr." is a denominator; counts read numbers in words ("ni af
de tolv"); a unit says the better direction only after the target's or the result's number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from maalspor.settings import VerdictSettings
from maalspor.verdicts.changes import change_against, change_wanted, change_word
from maalspor.verdicts.marks import read_marks
from maalspor.verdicts.meaning import Lexicon, Token
from maalspor.verdicts.number_words import (
    COUNT_WORDS,
    fraction_count,
    is_earlier_value,
    is_percent,
    is_unit,
    lower_is_better,
    names_the_measure,
    other_unit,
    phrase_ending,
    qualifies,
    token_value,
    turned_by_none,
    value_range,
)
from maalspor.verdicts.numbers import YEARS
from maalspor.verdicts.targets import compare
from maalspor.verdicts.wordbook import SENTENCE_END, sentence_numbers

# A comma before these begins a new clause.
_NEW_CLAUSE = frozenset({"og", "men", "mens", "så"})
# A number after these names a rule, not a result ("§ 140").
_REFERENCES = frozenset({"§", "§§", "nr.", "nr", "punkt", "pkt.", "kapitel", "mål"})
# A number after these is a denominator ("7,2 pr. 1.000 husstande"), never a result.
_DENOMINATORS = frozenset({"pr.", "pr", "per"})
_SIGNS = {"<": "ceiling", "≤": "ceiling", ">": "floor", "≥": "floor"}


@dataclass(frozen=True)
class Measure:
    """A feature read from numbers, and the words it rests on (offsets in the text)."""

    feature: str
    start: int
    end: int


def _is_year(tokens: Sequence[Token], at: int, value: float) -> bool:
    return value.is_integer() and int(value) in YEARS and not is_percent(tokens, at)


def _counts(
    tokens: Sequence[Token], values: dict[int, float], settings: VerdictSettings
) -> tuple[list[Measure], set[int]]:
    """ "2 af 9", "2 ud af 9" and "17/24": all, some or none of them."""
    found, used = [], set()
    for token in tokens:
        fraction = fraction_count(token.form, settings.fraction_min_whole)
        if fraction:
            part, whole = fraction
            kind = "all" if part == whole else "none" if part == 0 else "some"
            found.append(Measure(f"count:{kind}", token.start, token.end))
    for at, part in values.items():
        k = at + 1
        # a unit after the part ("6,2 km af 9 km")
        if k + 1 < len(tokens) and tokens[k].form.isalpha() and tokens[k + 1].form == "af":
            k += 1
        while k < len(tokens) and tokens[k].form in COUNT_WORDS:
            k += 1
        # one word that qualifies the whole ("af de ønskede 10", "af planlagte 9")
        if k + 1 < len(tokens) and k not in values and tokens[k].form.isalpha() and k + 1 in values:
            k += 1
        between = {t.form for t in tokens[at + 1 : k]}
        if k == at + 1 or "af" not in between or k not in values:
            continue
        whole = values[k]
        if whole <= 0 or part > whole or _is_year(tokens, k, whole):
            continue
        kind = "all" if part == whole else "none" if part == 0 else "some"
        found.append(Measure(f"count:{kind}", tokens[at].start, tokens[k].end))
        used.update((at, k))
    return found, used


def _direction(
    tokens: Sequence[Token],
    sentence: Sequence[int],
    between: range,
    lexicon: Lexicon,
    none_reach: int = 0,
) -> str | None:
    """The way of the first bound in `between`; turned around by a word of none before it in
    its clause within `none_reach` words ("ingen ... mere end tre måneder")."""
    found = _first_bound(tokens, between, lexicon)
    if found is None:
        return None
    way, k = found
    return turned_by_none(way, tokens, k, lexicon, none_reach) if none_reach else way


def _first_bound(
    tokens: Sequence[Token], between: range, lexicon: Lexicon
) -> tuple[str, int] | None:
    """The way of the first bound in `between` and where its first word stands."""
    for k in between:
        token = tokens[k]
        for sign, way in _SIGNS.items():
            if token.form.startswith(sign):
                return way, k
        # a phrase first: "ikke over" is a ceiling although "over" alone is a floor
        for way in ("ceiling", "floor"):
            if (phrase := phrase_ending(tokens, k, lexicon.phrases[way])) is not None:
                return way, k - len(phrase) + 1
        if token.is_word(lexicon.classes["ceiling"]):
            return "ceiling", k
        if token.is_word(lexicon.classes["floor"]):
            return "floor", k
    return None


def _is_target_word(token: Token, words: frozenset[str], lexicon: Lexicon) -> bool:
    """A target word, or a compound that ends in one of at least 3 letters ("budgetmålet",
    "kontraktmål"); a word of `not_targets` ("formål") is none."""
    if token.is_word(lexicon.classes["not_targets"]):
        return False
    if token.is_word(words):
        return True
    form = token.form
    return form.isalpha() and any(
        len(form) > len(w) + 2 and form.endswith(w) for w in lexicon.classes["targets"]
    )


def _target_at(
    tokens: Sequence[Token],
    at: int,
    values: dict[int, float],
    lexicon: Lexicon,
    settings: VerdictSettings,
) -> int | None:
    """The number that a target word at `at` names, if any, within `gap` words after it."""
    limit = at + 2 + settings.target_gap_words
    k = at + 1
    while k < min(len(tokens), limit):
        if k in values:
            return k
        if tokens[k].form in SENTENCE_END and tokens[k].form != ":":
            return None
        if tokens[k].form == "," and k + 1 < len(tokens) and tokens[k + 1].form in _NEW_CLAUSE:
            # "over målet, og årsresultatet blev 92,4 %": a new clause names its own number
            return None
        if tokens[k].is_word(lexicon.classes["results"]):
            # "andelen med miljøkrav nåede 38 procent": the number after a result word is the
            # result, not the target
            return None
        if change_word(tokens, k, lexicon):
            # "en reduktion på mindst 10 %": the change's own words do not count
            limit = max(limit, k + 2 + settings.change_reach_words)
        k += 1
    return None


def _result_for(
    tokens: Sequence[Token],
    at: int,
    target: int,
    values: dict[int, float],
    sentence: list[int],
    lexicon: Lexicon,
    reach: int,
    units: Callable[[int], bool],
    next_target: int,
) -> tuple[int, int | None] | None:
    """(result, start) indices: the number a result word labels after the target and before
    the next target word (`next_target`; "mål 2,0 mio. ton, realiseret 1,87 mio. ton. ...: mål
    45.000 TEU, realiseret 47.300 TEU"), else the nearest number before the target word in its
    sentence or the one before (with the number after a "fra" before it), else the number
    after the last result word ("Resultat: 58 %") after the target, else the last number after
    the target."""
    # a share is measured against a share, a time against a time: "mindst 90 % ... inden for 30
    # dage" has no result in its "30 dage"
    values = {k: v for k, v in values.items() if not other_unit(tokens, target, k, units)}
    results = lexicon.classes["results"]
    # a share takes a share, an amount an amount ("mål 55 %, opnået 51 %. ... højst 200 kg")
    share = is_percent(tokens, target)
    own = [
        k
        for k in values
        if target < k < next_target
        and is_percent(tokens, k) == share
        and not is_earlier_value(tokens, k, lexicon)
    ]
    marked = [
        j for j in range(target, next_target) if j < len(tokens) and tokens[j].is_word(results)
    ]
    # of several, the last result word's first number ("pr. juni 2,4 % ... året endte på 3,7 %")
    for mark in reversed(marked):
        if labelled := [k for k in own if k > mark]:
            return min(labelled), None
    before = [
        k
        for k in values
        if k < at
        and sentence[at] - 1 <= sentence[k] <= sentence[at]
        and (k == 0 or tokens[k - 1].form not in _REFERENCES | _DENOMINATORS)
        and not is_earlier_value(tokens, k, lexicon)
    ]
    if before:
        result = max(before)
        start = None
        if result >= 2 and tokens[result - 1].form == "til":
            origins = [k for k in values if k < result - 1 and tokens[k - 1].form == "fra"]
            start = max(origins) if origins else None
        return result, start
    after = [
        k
        for k in values
        if target < k <= min(target + reach, next_target - 1)
        and tokens[k - 1].form not in _DENOMINATORS
        and not is_earlier_value(tokens, k, lexicon)
    ]
    if not after:
        return None
    # of several labelled results the last one reported decides ("pr. juni lå vi på 2,4 % ...
    # året endte på 3,7 %")
    marks = [j for j in range(target, max(after)) if tokens[j].is_word(lexicon.classes["results"])]
    labelled = [k for k in after if marks and k > max(marks)]
    return (min(labelled) if labelled else max(after)), None


def _baseline_way(
    tokens: Sequence[Token], values: dict[int, float], goal: int, lexicon: Lexicon
) -> str | None:
    """The better direction from an earlier value of the same kind: a target set below its
    baseline is a ceiling ("9,8 % mod mål på 8 %; baseline 10,2 %"), above it a floor."""
    percent = is_percent(tokens, goal)
    for k, value in values.items():
        if (
            k != goal
            and is_percent(tokens, k) == percent
            and is_earlier_value(tokens, k, lexicon)
            and value != values[goal]
        ):
            return "ceiling" if values[goal] < value else "floor"
    return None


def _segment_comparisons(
    tokens: Sequence[Token], lexicon: Lexicon, settings: VerdictSettings
) -> list[Measure]:
    found = []
    for c in compare(tokens, lexicon, settings)[0]:
        first, last = min(c.target.first, c.result.first), max(c.target.last, c.result.last)
        span = (tokens[first].start, tokens[last].end)
        found.append(_outcome(c.met, c.miss, span, settings))
    return found


_SIGNED = re.compile(r"([+\-−])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)")


def _signed_value(form: str) -> float | None:
    """The value of a number written with its sign ("-6", "+18", "−0,4"), else None."""
    match = _SIGNED.fullmatch(form)
    if not match:
        return None
    sign, text = match.groups()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):  # "1.200": thousands
        text = text.replace(".", "")
    value = float(text.replace(",", "."))
    return value if sign == "+" else -value


def _signed_changes(
    tokens: Sequence[Token],
    lexicon: Lexicon,
    settings: VerdictSettings,
    target_words: frozenset[str],
    sentence: list[int],
) -> list[Measure]:
    """A change against a change target, both written with their sign ("Genopkald: -6 % (mål
    -15 %)", "NPS +18 | mål +20"): the target's sign says the better direction (a fall of at
    least 15 %, a rise of at least 20). Only where both carry a sign: "-0,8" against a target
    of "1,0" may be a fall against a fall."""
    signed = {k: v for k, t in enumerate(tokens) if (v := _signed_value(t.form)) is not None}
    found = []
    for at, token in enumerate(tokens):
        if not _is_target_word(token, target_words, lexicon):
            continue
        reach = range(at + 1, min(len(tokens), at + 2 + settings.target_gap_words))
        target = next((k for k in reach if k in signed), None)
        before = [k for k in signed if k < at and sentence[k] == sentence[at]]
        if target is None or not before:
            continue
        goal, value = signed[target], signed[max(before)]
        met = value <= goal if goal < 0 else value >= goal
        miss = 0.0 if met else abs(value - goal) / abs(goal) if goal else 1.0
        span = (tokens[max(before)].start, tokens[target].end)
        found.append(_outcome(met, miss, span, settings))
    return found


def _outcome(
    met: bool, miss: float, span: tuple[int, int], settings: VerdictSettings, hard: bool = False
) -> Measure:
    """`num:met`, else `num:close` or `num:missed` by how far the result misses (a share of the
    target). A `hard` limit has no close miss: 52 mg/l over a limit value of 50 is over it."""
    if met:
        return Measure("num:met", *span)
    close = miss <= settings.close_miss_share and not hard
    return Measure("num:close" if close else "num:missed", *span)


def read_measures(
    tokens: Sequence[Token], lexicon: Lexicon, settings: VerdictSettings
) -> list[Measure]:
    """Features read from the numbers of a text."""
    values: dict[int, float] = {}
    ranges: dict[int, tuple[float, float]] = {}  # "9-12 mdr.": a target between two values
    time_units = lexicon.classes["lower_is_better_units"]
    for at in range(len(tokens)):
        if qualifies(tokens, at, time_units):
            continue
        value = token_value(tokens, at)
        if value is not None and names_the_measure(tokens, at, settings.measure_name_words):
            continue  # "Patienter med ≥ 1 bæltefiksering: 2022: 312 ..."
        if value is not None and not _is_year(tokens, at, value):
            values[at] = value
        elif (bounds := value_range(tokens[at].form)) is not None:
            ranges[at] = bounds
            values[at] = bounds[1]
    words = lexicon.numbers
    spelled = {at: words[t.form] for at, t in enumerate(tokens) if t.form in words}
    found, used = _counts(tokens, values | spelled, settings)
    marks = read_marks(tokens, lexicon)
    if marks.tally is not None:
        found.append(Measure(f"count:{marks.tally}", *marks.span))
    free = {k: v for k, v in values.items() if k not in used}
    sentence = sentence_numbers(tokens)
    targets_seen: set[int] = set()

    def timed(k: int) -> bool:
        return k + 1 < len(tokens) and is_unit(tokens[k + 1], time_units, settings)

    target_words = (
        lexicon.classes["targets"]
        | lexicon.classes["ceiling_targets"]
        | lexicon.classes["floor_targets"]
    )
    named = {
        at: target
        for at, token in enumerate(tokens)
        if _is_target_word(token, target_words, lexicon)
        and (target := _target_at(tokens, at, free, lexicon, settings)) is not None
    }
    # a number a target word names with a bound ("mål: min. 80 %") is a target, never the
    # result of another target word ("servicemålet: 78 % (mål: min. 80 %)")
    bounded = {
        t for a, t in named.items() if _direction(tokens, sentence, range(a + 1, t + 1), lexicon)
    }
    # "80 % af eleverne skulle opnå mindst 02": a bound after a per-cent target in its sentence
    # says which of them count; it is neither a target nor a result
    conditions = {
        t
        for t in bounded
        if not is_percent(tokens, t)
        and any(
            is_percent(tokens, u) and u < t and sentence[u] == sentence[t] for u in named.values()
        )
    }
    named = {a: t for a, t in named.items() if t not in conditions}
    free = {k: v for k, v in free.items() if k not in conditions}
    results_seen: set[int] = set()  # results of a ceiling
    for at, target in named.items():
        token = tokens[at]
        if target in targets_seen:
            continue
        targets_seen.add(target)
        others = {k: v for k, v in free.items() if k != target and k not in ranges.keys() | bounded}
        # the next target word that names a number of its own
        following = min(
            (a for a, t in named.items() if a > at and t != target), default=len(tokens)
        )
        pair = _result_for(
            tokens,
            at,
            target,
            others,
            sentence,
            lexicon,
            settings.result_after_words,
            timed,
            following,
        )
        if pair is None:
            continue
        result, start = pair
        goal, value = free[target], others[result]
        change = change_against(tokens, (at, target), values, sentence, lexicon, settings)
        if (
            change is None
            and is_percent(tokens, target)
            and change_wanted(tokens, at, target, lexicon)
        ):
            continue  # a change asked for and none reported here: the segment reader derives it
        limit = change is None and token.is_word(
            lexicon.classes["ceiling_targets"] | lexicon.classes["floor_targets"]
        )
        if change is not None:
            value, goal, way, result = change
        elif token.is_word(lexicon.classes["ceiling_targets"]):
            way = "ceiling"
        elif token.is_word(lexicon.classes["floor_targets"]):
            way = "floor"
        else:
            way = _direction(
                tokens, sentence, range(at + 1, target + 1), lexicon, settings.none_bound_words
            )
        if way is None and start is not None and others[start] != goal:
            way = "ceiling" if goal < others[start] else "floor"
        if way is None:
            way = _baseline_way(tokens, free, target, lexicon)
        if way is None and goal == 0:  # nothing is the most one can want of a count: a ceiling
            way = "ceiling"
        if way is None:
            context = [k for k in range(len(tokens)) if sentence[k] == sentence[min(at, result)]]
            lower = lower_is_better(tokens, context, lexicon, settings, (target, result))
            way = "ceiling" if lower else "floor"
        if way == "ceiling":
            results_seen.add(result)  # a share under a ceiling is no grade of completion
        met = value <= goal if way == "ceiling" else value >= goal
        span = (tokens[min(result, at)].start, tokens[max(result, target)].end)
        miss = 0.0 if met else (abs(value - goal) / abs(goal) if goal else 1.0)
        if target in ranges and change is None:
            low, high = ranges[target]
            met = low <= value <= high
            miss = 0.0 if met else min(abs(value - low), abs(value - high)) / high
        found.append(_outcome(met, miss, span, settings, hard=limit))
    if not any(m.feature.startswith("num:") for m in found):
        found += _signed_changes(tokens, lexicon, settings, target_words, sentence)
    if not any(m.feature.startswith("num:") for m in found):
        # no target read next to its number: the segment reader of `targets.py` (a target in
        # one sentence, its result in the next, counts and shares in words, earlier values)
        found += _segment_comparisons(tokens, lexicon, settings)
    read = {m.feature for m in found}
    if "num:met" in read and read & {"num:missed", "num:close"}:
        # several targets, some met and some missed
        found.append(Measure("num:mixed", found[0].start, found[-1].end))
    for at, value in free.items():
        # a share read against a ceiling is no grade ("101 % mod en målsætning om højst 95 %")
        if is_percent(tokens, at) and at not in targets_seen | results_seen:
            if value >= 100:
                found.append(Measure("pct:full", tokens[at].start, tokens[at].end))
            elif value >= settings.most_share * 100:
                found.append(Measure("pct:most", tokens[at].start, tokens[at].end))
    return found
