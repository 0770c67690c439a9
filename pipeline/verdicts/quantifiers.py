"""What words of quantity say of a goal: a harm none of which happened, a whole denied.

A harm that did not happen is a goal of none met.

Many goals are goals of none: no overflows, no exceeded waiting times, no wrong-side surgery.
Their follow-up says so by denying the harm, "Der har ikke i hele 2023 været et eneste overløb",
"Ingen overskridelser af de maksimale ventetider", "ikke én eneste overskridelse registreret",
"afleveret uden mangler" — words that by themselves deny something, so that a reader of
meanings took them for a failure or for nothing. A word of `harms` (meanings.toml; by its lemma,
its form or as the last part of a compound, or a word that starts with a word of
`harm_prefixes`: "fejludbetalinger") within `VerdictSettings.harm_quantifier_words` after a
word of none (`none_words`: "ingen", "nul", "uden"; or a word of `any_words`, "eneste",
"nogen", under a denial) in its clause is read as a completion. The denial the word of none
brings is its own; a denial beyond it denies the completion ("Det passer ikke, at der ingen
overløb har været"). A word of none that names a goal ("målet om nul arbejdsulykker", after a
word of `harm_goal_words`) is no result.

A whole denied is a part: "Det lykkedes ikke at få samtlige foreninger med", "Det er ikke alle
afsnit, der er kommet i mål" say that some are (a word of `all_words` under a denial reads as
"partial"; the denied completion beside it stays, and the model weighs the two).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from maalspor.settings import VerdictSettings
from maalspor.verdicts.wordbook import Lexicon, Token


def _is_harm(token: Token, lexicon: Lexicon, settings: VerdictSettings) -> bool:
    harms = lexicon.classes["harms"]
    if token.is_word(harms):
        return True
    if any(token.form.startswith(prefix) for prefix in lexicon.classes["harm_prefixes"]):
        return True
    return _ends_in_harm(token.form, token.lemma, harms, settings.min_compound_part)


@lru_cache(maxsize=8192)
def _ends_in_harm(form: str, lemma: str, harms: frozenset[str], shortest: int) -> bool:
    """Whether a compound ends in a word of harm ("oversvømmelsestilfælde"; read once a word)."""
    return any(
        len(harm) >= shortest
        and len(form) > len(harm)
        and (form.endswith(harm) or lemma.endswith(harm))
        for harm in harms
    )


def absent_harms(
    tokens: Sequence[Token],
    ids: Sequence[int],
    denials: Sequence[int],
    lexicon: Lexicon,
    settings: VerdictSettings,
) -> dict[int, int]:
    """The harms said not to have happened: their token → the denials that reach their
    completion (the word of none's own denial taken off)."""
    none_words, any_words = lexicon.classes["none_words"], lexicon.classes["any_words"]
    negations, goal_words = lexicon.classes["negations"], lexicon.classes["harm_goal_words"]
    found: dict[int, int] = {}
    for i, token in enumerate(tokens):
        if not token.form.isalpha() or not _is_harm(token, lexicon, settings):
            continue
        first = max(0, i - settings.harm_quantifier_words)
        for k in range(i - 1, first - 1, -1):
            if ids[k] != ids[i]:
                break
            word = tokens[k]
            names_a_goal = k > 0 and ids[k - 1] == ids[i] and tokens[k - 1].is_word(goal_words)
            if word.is_word(none_words) and not names_a_goal:
                own = 1 if word.is_word(negations) else 0
                found[i] = max(0, denials[i] - own)
                break
            if word.is_word(any_words) and denials[k] % 2 == 1 and not names_a_goal:
                found[i] = max(0, denials[i] - 1)
                break
    return found


def denied_wholes(tokens: Sequence[Token], denials: Sequence[int], lexicon: Lexicon) -> list[int]:
    """The words of all under a denial ("ikke alle", "ikke ... samtlige")."""
    return [
        i
        for i, token in enumerate(tokens)
        if token.is_word(lexicon.classes["all_words"]) and denials[i] % 2 == 1
    ]
