"""Verdicts read from numbers in a follow-up: grades in per cent, a result against its target,
and counts of goals ("Tre ud af fire delmål er opfyldt").

The patterns and word lists are data in `pipeline/rules/verdicts.toml` (section "numbers");
`maalspor.verdicts.classifier` compiles them and calls these readers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from maalspor.models.plan import Status

# A Danish number: thousands with dots ("1.850"), decimals with a comma ("4,5") or a dot.
NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
FULL_GRADE = 100.0
_UNIT_AFTER = re.compile(r"\s*([^\W\d_]+\.?)")
_PERCENT_AFTER = re.compile(r"\s*(?:%|pct\b|procent\b)", re.IGNORECASE)
# Four digits in this range, without a unit, are a year.
YEARS = range(1990, 2100)


@dataclass(frozen=True)
class NumberRules:
    """The number readings of verdicts.toml, compiled."""

    grades: tuple[re.Pattern[str], ...]
    targets: tuple[re.Pattern[str], ...]
    amount: tuple[re.Pattern[str], ...]
    count: re.Pattern[str]
    # number word → its value
    number_words: dict[str, int]


def count_regex(number_words: Sequence[str]) -> str:
    """The {count} placeholder: digits or one of the number words."""
    words = sorted({w for entry in number_words for w in entry.split("|") if w}, key=len)
    return r"(?:\d+|" + "|".join(re.escape(w) for w in reversed(words)) + r")"


def word_values(number_words: Sequence[str]) -> dict[str, int]:
    return {w: value for value, entry in enumerate(number_words) for w in entry.split("|") if w}


def parse_number(text: str) -> float:
    """ "1.850" → 1850, "4,5" → 4.5, "4.5" → 4.5."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        text = text.replace(".", "")
    return float(text.replace(",", "."))


def _count_value(text: str, rules: NumberRules) -> int | None:
    if text.isdigit():
        return int(text)
    return rules.number_words.get(text.lower())


def grade_status(match: re.Match[str]) -> Status:
    """The status a grade in per cent gives ("Opfyldelsesgrad: 60 %" → partially achieved)."""
    grade = parse_number(match.group("grade"))
    if grade >= FULL_GRADE:
        return "achieved"
    return "not_achieved" if grade == 0 else "partially_achieved"


def target_status(
    text: str,
    match: re.Match[str],
    rules: NumberRules,
    start: int,
    lower_is_better: Callable[[str, Sequence[str], bool], bool],
) -> Status:
    """Whether a result met its target; `start` is where the result's sentence begins.
    `lower_is_better(context, units, share)` says from the words before the result, the words
    right after its number and the target's, and whether the result is a share (per cent)
    whether the measure is better low (meanings.toml's
    `lower_is_better`, `higher_is_better`, `lower_is_better_units`, as the learned layer's
    number reading has them)."""
    result, target = parse_number(match.group("result")), parse_number(match.group("target"))
    groups = match.groupdict()
    origin = groups.get("start")
    before = text[start : match.start("result")]
    if groups.get("ceiling") or groups.get("floor"):  # "(mål: under 10 %)"
        higher_is_better = bool(groups.get("floor"))
    elif origin is not None and parse_number(origin) != target:
        higher_is_better = target > parse_number(origin)
    elif target == 0:  # a target of nothing ("Fejl: 2 (mål: 0)") can only be a ceiling
        higher_is_better = False
    elif any(p.search(before) for p in rules.amount):
        higher_is_better = True
    else:
        units = [_word_after(text, match.end(name)) for name in ("result", "target")]
        share = bool(_PERCENT_AFTER.match(text, match.end("result")))
        higher_is_better = not lower_is_better(before, units, share)
    met = result >= target if higher_is_better else result <= target
    return "achieved" if met else "not_achieved"


def _word_after(text: str, at: int) -> str:
    """The word right after a number ("41 dage"); "" if a sign ("%") or nothing follows."""
    match = _UNIT_AFTER.match(text, at)
    return match.group(1) if match else ""


def whole_of_a_count(text: str, match: re.Match[str], rules: NumberRules) -> bool:
    """The result is the whole of a count (`count_pattern`: "81 af 120 stikprøver ok (mål:
    mindst 95 %)"): the result is the share, which the learned layer's number reader compares."""
    start = match.start("result")
    return any(count.start("whole") == start for count in rules.count.finditer(text))


def other_units(text: str, match: re.Match[str], is_time: Callable[[str], bool]) -> bool:
    """One of result and target is a share and the other a time: "88 % ... inden for 10 min
    (mål 95 %)" has no result in its "10 min" (a share is measured against a share)."""
    names = ("result", "target")
    share = [bool(_PERCENT_AFTER.match(text, match.end(name))) for name in names]
    time = [is_time(_word_after(text, match.end(name))) for name in names]
    return (share[0] and time[1]) or (share[1] and time[0])


def count_in(clause: str, rules: NumberRules) -> tuple[Status, re.Match[str]] | None:
    """A count of goals in a clause ("tre ud af fire") and the status it gives, if any."""
    for match in rules.count.finditer(clause):
        part = _count_value(match.group("part"), rules)
        whole = _count_value(match.group("whole"), rules)
        if part is None or whole is None or part > whole:
            continue  # "1 af 2016's mål" and the like: not a count of goals
        if part == 0:
            return "not_achieved", match
        return ("achieved" if part == whole else "partially_achieved"), match
    return None
