"""Tick marks: a tally of filled and empty marks, or a tick form whose ticked word is the
answer.

"Vurdering: ● ● ○ ○", "⭐⭐⭐☆☆" and "Delmål 1: [x] Delmål 2: [ ]" are tallies: some of it is
done (all, none). "Nået: ja ☐ nej ☒ delvist ☐" and "☐ Ja ☐ Delvist ☒ Nej" are tick forms: every
mark stands next to the answer it ticks, and only the ticked answer is said. The marks and the
answers are data (`filled_marks`, `empty_marks`, `tick_options` in meanings.toml).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from maalspor.verdicts.wordbook import Lexicon, Token


@dataclass(frozen=True)
class Marks:
    """What a text's marks say: a tally's kind ("all", "some", "none"; None without a tally),
    where it stands, and the tokens a tick form leaves unsaid (its marks and the words of its
    unticked options)."""

    tally: str | None
    span: tuple[int, int]
    unsaid: frozenset[int]


def read_marks(tokens: Sequence[Token], lexicon: Lexicon) -> Marks:
    """A text's marks: two or more make a tally or a tick form; fewer say nothing here (a
    lone "✔" is a traffic light of the meaning lexicon)."""
    filled, empty = lexicon.classes["filled_marks"], lexicon.classes["empty_marks"]
    marks = [at for at, token in enumerate(tokens) if token.form in filled | empty]
    if len(marks) < 2:
        return Marks(None, (0, 0), frozenset())
    ticked = [at for at in marks if tokens[at].form in filled]
    span = (tokens[marks[0]].start, tokens[marks[-1]].end)
    options = lexicon.classes["tick_options"]
    for side in (-1, 1):  # the answer before its mark, or after it
        if all(0 <= at + side < len(tokens) and tokens[at + side].form in options for at in marks):
            unticked = {at + side for at in marks if tokens[at].form in empty}
            return Marks(None, span, frozenset(unticked | set(marks)))
    kind = "all" if len(ticked) == len(marks) else "none" if not ticked else "some"
    return Marks(kind, span, frozenset())
