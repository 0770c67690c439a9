"""Bounds and changes at a number of a follow-up, as the target reader (`targets.py`) reads
them: a bound right before a number ("højst", "under", "≥ 90"; a phrase first, so that "må ikke
overstige" and "ikke falde under" turn their last word around, and a word of none before the
bound turns it too: "ingen ... mere end tre"), a number that is a change, not a level ("+5,4",
"3 procentpoint", "et fald på 3", "Realiseret reduktion: 7,5 %"), and a change said as the
target in the s-passive of the present ("Energiforbruget reduceres med 10 %").

The word classes are data in `pipeline/rules/meanings.toml`.
"""

from __future__ import annotations

from collections.abc import Sequence

from maalspor.settings import VerdictSettings
from maalspor.verdicts.meaning import Lexicon, Token
from maalspor.verdicts.number_words import (
    SIGNED_NUMBER,
    parse_signed,
    phrase_ending,
    turned_by_none,
)

# Where a segment of a text ends (a sentence, a table cell, a part in brackets or after a dash).
BOUNDARIES = frozenset({".", "!", "?", "\n", ";", "|", "(", ")", "[", "]", "–", "—", "•"})
_POINTS = ("procentpoint", "pct.-point", "pct-point", "point")
_SIGNS = {"<": ("ceiling", True), "≤": ("ceiling", False), ">": ("floor", True)}
_SIGNS |= {"≥": ("floor", False)}
_CHANGE_SIGNS = frozenset({"+", "-", "−"})


def bound(
    tokens: Sequence[Token], at: int, lexicon: Lexicon, settings: VerdictSettings
) -> tuple[str, bool] | None:
    """(way, strict) of a bound right before the number at `at` ("højst", "under", "≥ 90")."""
    match = SIGNED_NUMBER.fullmatch(tokens[at].form)
    if match and match.group(1) in _SIGNS:
        return _SIGNS[match.group(1)]
    strict = lexicon.classes["strict_bounds"]
    for k in range(at - 1, max(-1, at - 1 - settings.bound_reach_words), -1):
        token = tokens[k]
        if token.form in BOUNDARIES - {"."} or parse_signed(token.form):
            break
        if token.form in _SIGNS:
            return _SIGNS[token.form]
        # a phrase first: "må ikke overstige", "ikke falde under" turn their last word around
        for way in ("ceiling", "floor"):
            phrase = phrase_ending(tokens, k, lexicon.phrases[way])
            if phrase is not None:
                first = k - len(phrase) + 1
                return (
                    turned_by_none(way, tokens, first, lexicon, settings.none_bound_words),
                    " ".join(phrase) in lexicon.strict_phrases,
                )
        for way in ("ceiling", "floor"):
            if token.is_word(lexicon.classes[way]):
                return (
                    turned_by_none(way, tokens, k, lexicon, settings.none_bound_words),
                    token.form in strict,
                )
    return None


def is_change(
    tokens: Sequence[Token], at: int, sign: str, lexicon: Lexicon, settings: VerdictSettings
) -> bool:
    """A change, not a level: "+5,4", "3 procentpoint", "et fald på 3", "1,1 ... lavere end"."""
    following = tokens[at + 1].form if at + 1 < len(tokens) else ""
    if sign in _CHANGE_SIGNS or following.startswith(_POINTS):
        return True
    changes = lexicon.classes["decrease"] | lexicon.classes["increase"]
    if (
        at
        and tokens[at - 1].form in {"med", "på"}
        and any(t.is_word(changes) for t in tokens[max(0, at - settings.change_reach_words) : at])
    ):
        return True
    if at > 1 and tokens[at - 1].form == ":" and tokens[at - 2].is_word(changes):
        return True  # "Realiseret reduktion: 7,5 %"
    after = tokens[at + 1 : at + 4]
    return any(t.form == "end" for t in after) and any(
        t.is_word(lexicon.classes["comparatives"]) for t in after
    )


def planned_change(
    tokens: Sequence[Token], at: int, lexicon: Lexicon, settings: VerdictSettings
) -> bool:
    """A change said in the s-passive of the present ("Måltal: Energiforbruget reduceres med 10
    %", "skal øges med 5 %") after a target word: the change is the target, not a result."""
    changes = lexicon.classes["decrease"] | lexicon.classes["increase"]
    return any(
        t.is_word(changes) and t.form == t.lemma + "s"
        for t in tokens[max(0, at - settings.change_reach_words) : at]
    )
