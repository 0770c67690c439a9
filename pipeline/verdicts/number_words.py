"""Numbers and the words around them, read alike by the number readers (`measures.py`,
`targets.py`, and the phrase rules' result against its target): a number token's value or
range, phrases that end at a word, units (and compounds of them), measures named inside a word,
and values labelled with an earlier year in brackets; and the numbers of a text as the target
reader takes them (`read_numbers`: counts, shares in words, durations in two units)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from maalspor.settings import VerdictSettings
from maalspor.verdicts.meaning import Lexicon, Token
from maalspor.verdicts.numbers import FULL_GRADE, YEARS

_NUMBER = re.compile(r"[<>≤≥]?(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?|\d{1,2}:\d{2})")
_RANGE = re.compile(r"(\d+(?:,\d+)?)[-–](\d+(?:,\d+)?)")
PERCENT_SIGNS = frozenset({"%", "pct", "pct.", "procent", "procentpoint"})
# The endings a short measure word may carry at the end of a word ("tiden", "køen").
_ENDINGS = ("", "en", "er", "erne", "et", "e")
_WORD = re.compile(r"[^\W\d_]+")


def phrase_ending(
    tokens: Sequence[Token], at: int, phrases: frozenset[tuple[str, ...]]
) -> tuple[str, ...] | None:
    """The phrase of `phrases` that ends at `at`, if any."""
    for phrase in phrases:
        start = at - len(phrase) + 1
        if start >= 0 and all(
            tokens[start + i].form == w or tokens[start + i].lemma == w
            for i, w in enumerate(phrase)
        ):
            return phrase
    return None


def year_in_brackets(tokens: Sequence[Token], at: int) -> bool:
    """A number labelled with a year inside brackets after another number ("6,1 % (2022: 8,4
    %)"): the value of an earlier year given beside the current one, never the result."""
    k = at - 1
    if k >= 0 and tokens[k].form == ":":
        k -= 1
    if k < 1 or not _is_year_form(tokens[k].form):
        return False
    opened = next(
        (j for j in range(k - 1, -1, -1) if tokens[j].form in {"(", ")", ".", "\n"}), None
    )
    if opened is None or tokens[opened].form != "(":
        return False
    for j in range(opened - 1, -1, -1):
        form = tokens[j].form
        if form in {".", "\n"}:
            return False
        if form[:1].isdigit() and not _is_year_form(form):
            return True  # the current value, before the brackets
    return False


def _is_year_form(form: str) -> bool:
    return form.isdigit() and int(form) in YEARS


def is_unit(token: Token, units: frozenset[str], settings: VerdictSettings) -> bool:
    """A word of `units`, or a compound that ends in one ("kalenderdage", "ventedage")."""
    return token.is_word(units) or is_unit_form(token.form, units, settings)


def is_unit_form(form: str, units: frozenset[str], settings: VerdictSettings) -> bool:
    """`is_unit` of a word's lower-case form alone."""
    if form in units:
        return True
    return form.isalpha() and any(
        len(unit) >= settings.min_compound_part and len(form) > len(unit) and form.endswith(unit)
        for unit in units
    )


def names_measure(form: str, measures: frozenset[str], short: int) -> bool:
    """Whether a word names one of `measures`: inside it ("sygefraværet"), or for a measure of
    at most `short` letters only at its end, inflected ("tiden"; "indkøb" holds no
    "kø")."""
    for measure in measures:
        if len(measure) > short:
            if measure in form:
                return True
        elif any(form.endswith(measure + ending) for ending in _ENDINGS):
            return True
    return False


_CLAUSE_STOPS = frozenset({".", ",", ";", ":", "!", "?", "(", ")", "|", "\n"})


def turned_by_none(way: str, tokens: Sequence[Token], at: int, lexicon: Lexicon, reach: int) -> str:
    """A bound's way ("ceiling" or "floor"), turned around by a word of none before the bound
    at `at` in its clause within `reach` words: "ingen borger skal vente mere end tre måneder"
    is a ceiling of three months, "intet barn under 2 timer" a floor."""
    none_words = lexicon.classes["none_words"]
    for k in range(at - 1, max(-1, at - 1 - reach), -1):
        if tokens[k].form in _CLAUSE_STOPS:
            return way
        if tokens[k].form.isalpha() and tokens[k].is_word(none_words):
            return "floor" if way == "ceiling" else "ceiling"
    return way


def worded(forms: Sequence[str]) -> list[str]:
    """The forms that hold a letter: words, also with digits in them ("CO2e" names a measure of
    `lower_is_better`)."""
    return [form for form in forms if _WORD.search(form)]


def names_the_measure(tokens: Sequence[Token], last: int, words: int) -> bool:
    """Whether a number ending at `last` is part of a measure's name: one to `words` words and
    a colon follow it, then a number ("Patienter med ≥ 1 bæltefiksering: 2022: 312", "Ventetid
    over 14 dage: 12 %")."""
    k, seen = last + 1, 0
    while k < len(tokens) and tokens[k].form.isalpha() and seen < words:
        k, seen = k + 1, seen + 1
    if not seen or k + 1 >= len(tokens) or tokens[k].form != ":":
        return False
    return tokens[k + 1].form.lstrip("+-−")[:1].isdigit()


def token_value(tokens: Sequence[Token], at: int) -> float | None:
    """The value of the number at `at` ("12", "1.250", "4,5", "6:40" minutes), else None."""
    form = tokens[at].form
    # "ventede 12." at the end of a text is a number; "1. halvår" is an ordinal
    if form.endswith(".") and (at + 1 == len(tokens) or tokens[at + 1].form == "\n"):
        form = form[:-1]
    match = _NUMBER.fullmatch(form)
    if not match:
        return None
    text = match.group(1)
    if ":" in text:  # 6:40 minutes
        minutes, seconds = text.split(":")
        return int(minutes) + int(seconds) / 60
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        text = text.replace(".", "")
    return float(text.replace(",", "."))


FRACTION = re.compile(r"(\d+)/(\d+)")


def fraction_count(form: str, min_whole: int) -> tuple[int, int] | None:
    """(part, whole) of a count written as a fraction ("17/24"), else None: not a date ("14/6",
    "1/4": a count's whole is at least `min_whole`) and not a period ("2016/2017", "2016/17",
    "23/24": a school year)."""
    match = FRACTION.fullmatch(form)
    if not match:
        return None
    part, whole = int(match.group(1)), int(match.group(2))
    period = part in YEARS or whole in YEARS or whole == part + 1
    return (part, whole) if whole >= min_whole and part <= whole and not period else None


def value_range(form: str) -> tuple[float, float] | None:
    """ "9-12", "8–10": a range of values (no years, the first below the second)."""
    match = _RANGE.fullmatch(form)
    if not match:
        return None
    low, high = (float(match.group(k).replace(",", ".")) for k in (1, 2))
    if low >= high or any(v.is_integer() and int(v) in YEARS for v in (low, high)):
        return None
    return low, high


def is_percent(tokens: Sequence[Token], at: int) -> bool:
    """A share: the number is followed by a per-cent sign or word ("45 %", "45 pct.")."""
    following = tokens[at + 1].form if at + 1 < len(tokens) else ""
    return following in PERCENT_SIGNS or tokens[at].form.endswith("%")


def is_points(tokens: Sequence[Token], at: int) -> bool:
    """Percentage points: a change of a share, never a relative change."""
    return at + 1 < len(tokens) and tokens[at + 1].form.startswith("procentpoint")


def measure_says_lower(
    forms: Sequence[str], lexicon: Lexicon, settings: VerdictSettings
) -> bool | None:
    """Whether the words name a measure that is better low: a word of `lower_is_better`
    (matched inside words: "sygefraværet"), unless a word of `higher_is_better` says otherwise
    ("rettidigheden" holds "tid"); None when they name neither."""
    short = settings.short_measure_letters
    if any(names_measure(form, lexicon.classes["higher_is_better"], short) for form in forms):
        return False
    if any(names_measure(form, lexicon.classes["lower_is_better"], short) for form in forms):
        return True
    return None


def lower_is_better(
    tokens: Sequence[Token],
    indices: Sequence[int],
    lexicon: Lexicon,
    settings: VerdictSettings,
    numbers: Sequence[int] = (),
) -> bool:
    """Whether the measure is better low: `measure_says_lower` of the words in the context;
    else a unit of `lower_is_better_units` right after one of the `numbers` (the target's or
    the result's: "41 dage"; "inden for 10 min." of a share is a condition, not the measure)."""
    forms = worded([tokens[k].form for k in indices])
    if any(is_percent(tokens, k) for k in numbers) and within_deadline(forms, lexicon):
        return False
    said = measure_says_lower(forms, lexicon, settings)
    if said is not None:
        return said
    units = lexicon.classes["lower_is_better_units"]
    return any(k + 1 < len(tokens) and is_unit(tokens[k + 1], units, settings) for k in numbers)


def within_deadline(forms: Sequence[str], lexicon: Lexicon) -> bool:
    """Whether the words count cases done within a deadline ("Klagesager afgjort inden 3 mdr.",
    "besvaret inden for to dage"): a share of those is better high, whatever the cases are
    (complaints, waiting lists); meanings.toml's `within`."""
    return any(form.lower() in lexicon.classes["within"] for form in forms)


def text_lower_is_better(
    context: str,
    units_after: Sequence[str],
    lexicon: Lexicon,
    settings: VerdictSettings,
    share: bool = False,
) -> bool:
    """`lower_is_better` for plain text (the phrase rules' number reading): the words of
    `context`, else the words right after the result's and the target's numbers; a `share`
    (per cent) of cases done within a deadline is better high."""
    forms = _WORD.findall(context.lower())
    if share and within_deadline(forms, lexicon):
        return False
    said = measure_says_lower(forms, lexicon, settings)
    if said is not None:
        return said
    units = lexicon.classes["lower_is_better_units"]
    return any(is_unit_form(word.lower(), units, settings) for word in units_after)


# The words between the part and the whole of a count: "2 af 9", "ni ud af de ti", "3 i alt af 5"
COUNT_WORDS = frozenset({"af", "ud", "de", "i", "alt"})


def read_counts(tokens: Sequence[Token], found: dict[int, tuple[int, float, bool, str]]) -> None:
    """ "2 af 9", "ni ud af de ti": one share from the first number to the last."""
    for at in sorted(found):
        if at not in found:
            continue
        k = at + 1
        while k < len(tokens) and tokens[k].form in COUNT_WORDS:
            k += 1
        between = {t.form for t in tokens[at + 1 : k]}
        if k == at + 1 or "af" not in between or k not in found:
            continue
        part, whole = found[at][1], found[k][1]
        if whole > 0 and part <= whole and not (whole.is_integer() and int(whole) in YEARS):
            found[at] = (k, part / whole * FULL_GRADE, True, "")
            del found[k]


def read_shares(
    tokens: Sequence[Token], lexicon: Lexicon, found: dict[int, tuple[int, float, bool, str]]
) -> None:
    """ "halvdelen", "to tredjedele", "hver fjerde": shares in words."""
    for at, token in enumerate(tokens):
        if token.form in lexicon.shares:
            first, value = at, lexicon.shares[token.form]
            if at and tokens[at - 1].form in lexicon.numbers and at - 1 not in found:
                first, value = at - 1, value * lexicon.numbers[tokens[at - 1].form]
            found[first] = (at, value, True, "")
        elif token.form == "hver" and at + 1 < len(tokens):
            nth = lexicon.ordinals.get(tokens[at + 1].form)
            if nth:
                found[at] = (at + 1, FULL_GRADE / nth, True, "")


def read_durations(
    tokens: Sequence[Token], lexicon: Lexicon, found: dict[int, tuple[int, float, bool, str]]
) -> None:
    """ "9 min. 12 sek.", "1 time og 15 min.": one number in the first unit."""
    units = lexicon.durations
    for at in sorted(found):
        if at not in found:
            continue
        last, value, percent, sign = found[at]
        unit = tokens[last + 1].form if last + 1 < len(tokens) else ""
        k = last + 2 + (last + 2 < len(tokens) and tokens[last + 2].form == "og")
        if unit not in units or k not in found or found[k][0] + 1 >= len(tokens):
            continue
        smaller = tokens[found[k][0] + 1].form
        if percent or found[k][2] or smaller not in units or units[smaller] >= units[unit]:
            continue
        part = found[k][1] * units[smaller] / units[unit]
        found[at] = (found[k][0], value + part, False, sign)
        del found[k]


# The target reader's numbers (`read_numbers`): a number with its sign ("+5,4", "≥90", "1.850")
SIGNED_NUMBER = re.compile(r"([<>≤≥+\-−]?)(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)%?")
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_DATE = re.compile(r"\d{1,2}\.\d{2}")  # "31.12", "1.10": a day and a month
# a share's signs (percentage points are a change, read apart)
_SHARE_SIGNS = frozenset({"%", "pct", "pct.", "procent"})
_REFERENCES = frozenset({"§", "§§", "nr.", "nr", "punkt", "pkt.", "kapitel", "kap."})
_DENOMINATORS = frozenset({"pr.", "pr", "per"})
# "1. halvår", "3. etape": a number with a dot before these is an ordinal (so before a month)
_ORDINAL_NOUNS = frozenset({"halvår", "kvartal", "klasse", "gang", "etape", "fase", "runde"})


def parse_signed(form: str) -> tuple[str, float] | None:
    """(sign, value) of a number with its sign ("+5,4", "≥90", "1.850", "45%"), else None."""
    match = SIGNED_NUMBER.fullmatch(form)
    if not match:
        return None
    sign, text = match.groups()
    if _THOUSANDS.fullmatch(text):
        text = text.replace(".", "")
    return sign, float(text.replace(",", "."))


def _is_share(tokens: Sequence[Token], at: int) -> bool:
    following = tokens[at + 1].form if at + 1 < len(tokens) else ""
    return following in _SHARE_SIGNS or tokens[at].form.endswith("%")


def read_numbers(
    tokens: Sequence[Token], lexicon: Lexicon, min_whole: int
) -> tuple[dict[int, tuple[int, float, bool, str]], dict[int, int]]:
    """The numbers of a text for the target reader (`targets.py`), first token → (last token,
    value, per cent, sign), and its years (a count's whole in a fraction is at least
    `min_whole`): counts, shares in words and durations in two units read as one number."""
    found: dict[int, tuple[int, float, bool, str]] = {}
    years: dict[int, int] = {}
    for at, token in enumerate(tokens):
        form = token.form[:-1] if token.form.endswith(".") else token.form
        following = tokens[at + 1].form if at + 1 < len(tokens) else ""
        if form != token.form and (following in lexicon.times or following in _ORDINAL_NOUNS):
            continue  # "1. halvår", "15. marts": an ordinal
        if FRACTION.fullmatch(form):
            # "17/24" is a count; "23/24" a school year, "14/6" a date (`fraction_count`)
            fraction = fraction_count(form, min_whole)
            if fraction:
                part, whole = fraction
                found[at] = (at, part / whole * FULL_GRADE, True, "")
            continue
        if _DATE.fullmatch(form) or (at and tokens[at - 1].form in _REFERENCES | _DENOMINATORS):
            continue
        parsed = parse_signed(form)
        if parsed is None:
            if token.form in lexicon.numbers:
                found[at] = (at, lexicon.numbers[token.form], False, "")
            continue
        sign, value = parsed
        if value.is_integer() and int(value) in YEARS and not _is_share(tokens, at):
            years[at] = int(value)
            continue
        found[at] = (at, value, _is_share(tokens, at), sign)
    read_counts(tokens, found)
    read_shares(tokens, lexicon, found)
    read_durations(tokens, lexicon, found)
    return found, years


def other_unit(tokens: Sequence[Token], target: int, k: int, units: Callable[[int], bool]) -> bool:
    """One of the two numbers is a share (per cent) and the other a time (`units(k)`: a time
    unit follows the number at k)."""
    return (is_percent(tokens, target) and units(k)) or (is_percent(tokens, k) and units(target))


def is_earlier_value(tokens: Sequence[Token], at: int, lexicon: Lexicon) -> bool:
    """A number named as an earlier value, never a result: right after a word of
    `earlier_values` ("baseline 22 %", "sidste år: 61 %") or right before one ("61 % året
    før"), past a unit and a colon; or labelled with a year in brackets after the current value
    ("6,1 % (2022: 8,4 %)")."""
    words, phrases = lexicon.classes["earlier_values"], lexicon.phrases["earlier_values"]
    if year_in_brackets(tokens, at):
        return True
    k = at - 1
    while k >= 0 and tokens[k].form in {":", "("}:
        k -= 1
    if k >= 0 and (tokens[k].is_word(words) or phrase_ending(tokens, k, phrases)):
        return True
    k = at + 1
    if k < len(tokens) and tokens[k].form in PERCENT_SIGNS:
        k += 1
    if k < len(tokens) and tokens[k].is_word(words):
        return True
    return any(
        phrase_ending(tokens, k + len(phrase) - 1, phrases) == phrase
        for phrase in phrases
        if k + len(phrase) - 1 < len(tokens)
    )


def qualifies(tokens: Sequence[Token], at: int, units: frozenset[str]) -> bool:
    """A number with a unit in the genitive names what is measured, it is no value: "sager
    med mere end 3 måneders behandlingstid", "andelen inden for 60 dages frist"."""
    if at + 1 >= len(tokens):
        return False
    following = tokens[at + 1].form
    return len(following) > 2 and following.endswith("s") and following[:-1] in units
