"""What a word's place says of it, for the meaning reader (`meaning.py`): an inflected word
after a determiner, a number or a word of all describes the thing after it ("de forventede 30
aftaler", "samtlige 40 planlagte audits"); a word after a bare count that opens its clause is
said of the things counted ("(7 aflyst pga. vejr)"); a completion word before a value labels the
value ("realiseret 1,87 mio. ton").
"""

from __future__ import annotations

from collections.abc import Sequence

from maalspor.verdicts.numbers import YEARS
from maalspor.verdicts.wordbook import Lexicon, Token, labels_a_value

# Meanings that a count of things before them says of those things, not of the goal
# ("Realiseret 18 (7 aflyst pga. vejr)", "12 gennemført, 2 udskudt"); a completion stays: "alle 40
# gennemført" is the goal's.
COUNTED_MEANINGS = frozenset({"stop", "postpone", "failure"})
_COUNT_OPENERS = frozenset({"(", ",", ";", ":", "–", "-", "og", "\n", "."})


def attributive(tokens: Sequence[Token], at: int, length: int, lexicon: Lexicon) -> bool:
    """An inflected word of one token right after a determiner, a number or a word of all: it
    describes the thing that follows ("den planlagte opnormering", "de forventede 30 aftaler",
    "samtlige 40 planlagte audits")."""
    token = tokens[at]
    before = tokens[at - 1] if at else None
    return (
        length <= 1
        and before is not None
        and (
            before.form in lexicon.classes["determiners"]
            or before.form.isdigit()
            or before.is_word(lexicon.classes["all_words"])
        )
        and token.form != token.lemma
        and token.form.endswith("e")
    )


def said_of_a_count(tokens: Sequence[Token], at: int) -> bool:
    """A bare count right before the word, opening its clause or bracket: "(7 aflyst pga.
    vejr)" says it of seven things ("linje 22 udgår" names a thing by its number)."""
    if not at:
        return False
    form = tokens[at - 1].form
    opens = at < 2 or tokens[at - 2].form in _COUNT_OPENERS
    return opens and form.isdigit() and int(form) not in YEARS


def labels_value(
    tokens: Sequence[Token], at: int, after: int, lexicon: Lexicon, words: int
) -> bool:
    """A completion word that labels the value after it ("realiseret 1,87 mio. ton"), not a
    verb of the goal ("er realiseret 3 måneder før tid", "er vi nået 12 %": an auxiliary
    before it)."""
    # within the two words before it: "er realiseret", "er vi nået 12 %"
    auxiliary = any(t.is_word(lexicon.classes["auxiliaries"]) for t in tokens[max(0, at - 2) : at])
    return not auxiliary and labels_a_value(tokens, after, words)
