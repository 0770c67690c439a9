"""Danish spelling of OCR'd words (`maalspor.extract.ocr`): what Tesseract misreads in Danish
print, undone by the `[ocr]` rules (pipeline/rules/ocr.toml) only where the printed reading is
no Danish word and the corrected one is; short words run together split again; the rules'
bullets and one-letter words for the page reader. A text layer is never touched."""

from __future__ import annotations

import itertools
from functools import cache
from typing import NamedTuple


class OcrRules(NamedTuple):
    """rules/ocr.toml, compiled."""

    characters: dict[str, str]
    substitutions: tuple[tuple[str, str], ...]
    line_end_hyphens: tuple[str, ...]
    bullets: frozenset[str]
    glued_words: frozenset[str]
    one_letter_words: frozenset[str]


@cache
def ocr_rules() -> OcrRules:
    from maalspor.rules import rules  # Danish data, loaded when an OCR'd word is fixed

    table = rules("ocr")
    substitutions = tuple((wrong, right) for wrong, right in table["substitutions"])
    return OcrRules(
        dict(table["characters"]),
        substitutions,
        tuple(table["line_end_hyphens"]),
        frozenset(table["bullets"]),
        frozenset(word.lower() for word in table["glued_words"]),
        frozenset(word.lower() for word in table["one_letter_words"]),
    )


def fix_word(text: str) -> str:
    """One OCR'd word with Danish OCR confusions undone where that is safe.

    Characters OCR prints for others (ligatures, "¬" for a line-end hyphen) are replaced; a
    letter confusion ("rn" read for "m", "a" for "å") is undone only when the word as read is no
    Danish word and one change makes it one; short words read as one ("Derer", "såvikanse")
    are split when the word as read is no Danish word: a correct word is never changed."""
    from maalspor.language.lexicon import is_known_in_any_case as is_known

    rules = ocr_rules()
    characters, substitutions = rules.characters, rules.substitutions
    hyphens, glued = rules.line_end_hyphens, rules.glued_words
    for wrong, right in characters.items():
        text = text.replace(wrong, right)
    for hyphen in hyphens:
        if text.endswith(hyphen) and len(text) > len(hyphen):
            text = text[: -len(hyphen)] + "-"
    start = len(text) - len(text.lstrip(EDGE_PUNCTUATION))
    end = len(text.rstrip(EDGE_PUNCTUATION))
    core = text[start:end]
    mixed = any(a.islower() and b.isupper() for a, b in itertools.pairwise(core))
    if mixed and core.lower() in glued:  # "oM" for "om": a capital read in a short word
        return text[:start] + core.lower() + text[end:]
    if sum(c.isalpha() for c in core) < 3 or core.isdigit() or is_known(core):
        return text
    for candidate in _one_change(core, substitutions):
        if is_known(candidate):
            return text[:start] + candidate + text[end:]
    cuts = _glued_cuts(core.lower(), glued)
    if cuts:  # "Derer" → "Der er", "såvikanse" → "så vi kan se"
        pieces = [core[a:b] for a, b in itertools.pairwise((0, *cuts, len(core)))]
        return text[:start] + " ".join(pieces) + text[end:]
    return text


def _glued_cuts(word: str, glued: frozenset[str]) -> tuple[int, ...] | None:
    """Where to cut a word into two or more short words of `glued` (the fewest pieces), or None."""
    best: list[tuple[int, ...] | None] = [None] * (len(word) + 1)
    best[0] = ()
    for end in range(1, len(word) + 1):
        for begin in range(end):
            before = best[begin]
            if before is None or word[begin:end] not in glued:
                continue
            cuts = (*before, begin) if begin else before
            if best[end] is None or len(cuts) < len(best[end]):  # type: ignore[arg-type]
                best[end] = cuts
    found = best[len(word)]
    return found if found else None


EDGE_PUNCTUATION = "\"'()[]{}.,;:!?«»„“”‘’-–"


def _one_change(word: str, substitutions: tuple[tuple[str, str], ...]):
    """Every spelling one substitution away (capitals kept), in the rules' order."""
    lower = word.lower()
    for wrong, right in substitutions:
        index = lower.find(wrong)
        while index >= 0:
            replaced = right
            if word[index : index + len(wrong)][:1].isupper():
                replaced = right[:1].upper() + right[1:]
            yield word[:index] + replaced + word[index + len(wrong) :]
            index = lower.find(wrong, index + 1)
