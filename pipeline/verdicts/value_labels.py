"""Words before a value or a count, which the phrase rules read as no verdict about the goal.

A completion word that labels the value after it is no verdict ("mål 2,0 mio. ton, realiseret
1,87 mio. ton", "Realiseret reduktion: 7,5 %"): the numbers read the value. A stop after a bare
count is said of the things counted ("Realiseret 18 (7 aflyst pga. vejr)"). The rule reader's
forms of `wordbook.labels_a_value` and of the meaning reader's count before a word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

# A bare count right before a phrase, opening its clause or bracket (not a year, not a number
# that names a thing: "linje 22 udgår"): "(7 aflyst pga. vejr)" is said of seven things.
COUNT_BEFORE = re.compile(r"(?:^|[(,;:–-]|\bog)\s*(?!(?:19|20)\d\d\s*$)\d+\s*$")


@lru_cache(maxsize=4)
def _value_after(words: int) -> re.Pattern[str]:
    """A value right after a phrase: a number at once, past a colon, or past at most `words`
    words and a colon; not a count ("gennemført 14 af 20", "3/4") nor a date ("trådte i kraft 1.
    juli", "Forventet opfyldelse: 2025")."""
    return re.compile(
        rf"\s*(?:(?:[^\W\d_]+\s*){{1,{words}}}:|:)?\s*[-+−]?\d(?:[\d.,]*\d)?+"
        r"(?<!(?<![\d.,])\d{4})(?!\.\s*[^\W\d_]|\s*(?:ud\s+)?af\b|/\d)"
    )


def value_labeller(auxiliaries: Iterable[str], words: int) -> Callable[[str, int, int], bool]:
    """`labels_value(clause, start, end)`: whether the phrase at start..end labels the value
    after it. An auxiliary in the phrase or in its two words before makes it the goal's verb
    ("er realiseret 3 måneder før tid", "er vi nået 100 %")."""
    label = _value_after(words)
    auxiliary = re.compile(
        r"\b(?:" + "|".join(map(re.escape, sorted(auxiliaries))) + r")\b", re.IGNORECASE
    )

    def labels_value(clause: str, start: int, end: int) -> bool:
        before = clause[:start].split()[-2:]
        verb = auxiliary.search(clause, start, end) or any(
            auxiliary.fullmatch(word) for word in before
        )
        return not verb and label.match(clause, end) is not None

    return labels_value
