"""A per-cent target for a change, read against the change the text reports.

"en reduktion på mindst 10 %" is a target for a change: it is met by "faldt fra 212 til 184 kg"
(a fall of 13 %) or "faldt med 12 %", not by a share of 12 %. The words of decrease and increase
are the classes "decrease" and "increase" of `pipeline/rules/meanings.toml`. Used by
`maalspor.verdicts.measures`.
"""

from __future__ import annotations

from collections.abc import Sequence

from maalspor.settings import VerdictSettings
from maalspor.verdicts.meaning import Lexicon, Token
from maalspor.verdicts.number_words import (
    PERCENT_SIGNS,
    is_percent,
    is_points,
    lower_is_better,
)

# "faldt med 6 %", "et fald på 8 %": the word before a change's amount.
_AMOUNT_WORDS = frozenset({"med", "på"})


def change_word(tokens: Sequence[Token], k: int, lexicon: Lexicon) -> int:
    """-1 for a word of decrease, +1 of increase, 0 for neither."""
    if tokens[k].is_word(lexicon.classes["decrease"]):
        return -1
    return 1 if tokens[k].is_word(lexicon.classes["increase"]) else 0


def _value_after(
    tokens: Sequence[Token], at: int, values: dict[int, float], reach: int
) -> int | None:
    return next((k for k in range(at + 1, at + 2 + reach) if k in values), None)


def _names_an_amount(tokens: Sequence[Token], k: int, lexicon: Lexicon) -> bool:
    """The words right before the value at `k` make it a change's amount: "faldt med 6 %",
    "Faktisk reduktion 22 %", "Realiseret reduktion: 7,5 %"."""
    before = tokens[k - 1]
    if before.form in _AMOUNT_WORDS or change_word(tokens, k - 1, lexicon):
        return True
    return k > 1 and before.form == ":" and bool(change_word(tokens, k - 2, lexicon))


def _change_amount(
    tokens: Sequence[Token], values: dict[int, float], window: range, lexicon: Lexicon, reach: int
) -> int | None:
    """A per-cent value that is a change: a change word just before it ("faldt med 6 %", "et
    fald på 8 %"); the last such in the window of tokens."""
    found = None
    for k in window:
        before = range(max(0, k - reach), k)
        if (
            k in values
            and k > 0
            and _names_an_amount(tokens, k, lexicon)
            and is_percent(tokens, k)
            and not is_points(tokens, k)
            and any(change_word(tokens, j, lexicon) for j in before)
        ):
            found = k
    return found


def _from_to(
    tokens: Sequence[Token], values: dict[int, float], window: range, reach: int
) -> tuple[int, int] | None:
    """The start and end values of "fra A til B" (units between) in the window of tokens."""
    for k in window:
        if tokens[k].form != "fra":
            continue
        first = _value_after(tokens, k, values, reach)
        if first is None or not values[first]:
            continue
        to = next(
            (
                j
                for j in range(first + 1, min(len(tokens), first + 2 + reach))
                if tokens[j].form == "til"
            ),
            None,
        )
        last = _value_after(tokens, to, values, reach) if to is not None else None
        if last is not None:
            return first, last
    return None


def change_wanted(tokens: Sequence[Token], at: int, target: int, lexicon: Lexicon) -> int:
    """The change a per-cent target asks for: a change word between the target word and its
    number ("en reduktion på mindst 10 %") or right after the number ("Mål: 10 % fald"); -1, +1,
    or 0 for none."""
    after = target + 1
    if after < len(tokens) and tokens[after].form in PERCENT_SIGNS:
        after += 1
    words = [*range(at, target), *([after] if after < len(tokens) else [])]
    return next((w for k in words if (w := change_word(tokens, k, lexicon))), 0)


def change_against(
    tokens: Sequence[Token],
    named: tuple[int, int],
    values: dict[int, float],
    sentence: Sequence[int],
    lexicon: Lexicon,
    settings: VerdictSettings,
) -> tuple[float, float, str, int] | None:
    """(value, goal, way, result) where a per-cent target is one for a change: a change word
    between the target word and its number ("en reduktion på mindst 10 %") with a change the
    text reports ("fra A til B", "med X %"), or a reported change amount beside a per-cent
    target ("faldt med 6 % ... målet om 10 %"). The value is the change in the wanted
    direction, so that it must reach the goal. `named`: the target word and its number."""
    at, target = named
    if not is_percent(tokens, target):
        return None
    here = sentence[min(at, target)]
    # the sentence before the target's to the one after it ("Mål: en reduktion på 20 %.
    # Faktisk reduktion 22 %")
    window = range(
        next(k for k in range(len(tokens)) if sentence[k] >= here - 1),
        next((k for k in range(len(tokens)) if sentence[k] > here + 1), len(tokens)),
    )
    window_values = {k: v for k, v in values.items() if k in window and k != target}
    wanted = change_wanted(tokens, at, target, lexicon)
    reach = settings.change_reach_words
    amount = _change_amount(tokens, window_values, window, lexicon, reach)
    if amount is not None:
        way = next(
            w
            for j in range(max(0, amount - reach), amount)
            if (w := change_word(tokens, j, lexicon))
        )
        reported, result = way * values[amount], amount
    elif (
        wanted
        and (ends := _from_to(tokens, window_values, window, settings.change_value_reach_words))
        is not None
    ):
        first, last = ends
        reported, result = (values[last] - values[first]) / values[first] * 100, last
    else:
        return None
    if not wanted:
        # the measure is named by the target's sentence or the result's
        context = [k for k in window if sentence[k] in (sentence[result], sentence[target])]
        wanted = -1 if lower_is_better(tokens, context, lexicon, settings) else 1
    return wanted * reported, values[target], "floor", result
