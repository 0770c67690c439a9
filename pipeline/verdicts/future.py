"""What a follow-up says of the next period: a remainder done in it, an action planned in it.

A remainder of the goal done in the latest year the text names goes on as a goal ("Resten tages
i 2025"; `remainders`), and so, more weakly, does an action in that year with no verdict beside
it ("Vi sender opgaven i genudbud i 2025", "Leverancen er forsinket til 2. halvår 2025"): the
meaning "next_period", which the model weighs. A clause with a past auxiliary ("blev leveret i
2024") or a completion ("Målet er nået i 2024") reports, it plans nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from maalspor.verdicts.numbers import YEARS
from maalspor.verdicts.wordbook import Lexicon, Token, in_phrase

# Meanings that say a clause reports how it went, not what comes next.
_REPORTED = frozenset({"completion", "done", "activity", "failure", "partial"})


@dataclass(frozen=True)
class Timing:
    """The year each token names, the latest of them, the clauses with a past auxiliary, and
    where words name the next period ("i det nye år": first token → length)."""

    years: list[float | None]
    latest: float | None
    past: set[int]
    ahead: dict[int, int] = field(default_factory=dict)


def read_timing(tokens: Sequence[Token], ids: Sequence[int], lexicon: Lexicon) -> Timing:
    years = [year_of(t.form) for t in tokens]
    latest = max((y for y in years if y is not None), default=None)
    past = {ids[k] for k, t in enumerate(tokens) if t.is_word(lexicon.classes["past_auxiliaries"])}
    phrases = lexicon.phrases["next_periods"]
    ahead = {k: n for k in range(len(tokens)) if (n := in_phrase(tokens, k, phrases))}
    return Timing(years, latest, past, ahead)


def remainders_later(
    tokens: Sequence[Token],
    ids: Sequence[int],
    denials: Sequence[int],
    lexicon: Lexicon,
    timing: Timing,
) -> list[tuple[int, int, str]]:
    """A remainder done later goes on (`remainders`): "Resten tages i 2025", with the latest year
    the text names in its clause and no past auxiliary there. (A time of the year, "resten
    følger i foråret", is mostly read as work finishing, not a goal carried on.)"""
    years, latest, past = timing.years, timing.latest, timing.past
    timed = {ids[k] for k, year in enumerate(years) if latest is not None and year == latest}
    timed |= {ids[k] for k in timing.ahead}
    found = []
    for i, token in enumerate(tokens):
        if ids[i] not in timed or ids[i] in past or denials[i] % 2:
            continue
        length = in_phrase(tokens, i, lexicon.phrases["remainders"])
        if length or token.is_word(lexicon.classes["remainders"]):
            found.append((i, i + max(length, 1), "goes_on"))
    return found


def year_of(form: str) -> float | None:
    return float(form) if form.isdigit() and int(form) in YEARS else None


def next_period(
    tokens: Sequence[Token],
    ids: Sequence[int],
    denials: Sequence[int],
    timing: Timing,
    found: Sequence[tuple[int, int, str]],
) -> list[tuple[int, int, str]]:
    """The latest year the text names, or words that name the next period ("i det nye år"), in
    a clause that reports nothing (no past auxiliary, no word of how it went, no denial there):
    an action planned for the next period."""
    years, latest, past = timing.years, timing.latest, timing.past
    reported = {ids[first] for first, _, meaning in found if meaning in _REPORTED}
    named = [
        (i, 1) for i, year in enumerate(years) if latest is not None and year == latest
    ] + list(timing.ahead.items())  # "i det nye år" names the next period too
    return [
        (i, i + length, "next_period")
        for i, length in named
        if ids[i] not in past | reported and not denials[i] % 2
    ]
