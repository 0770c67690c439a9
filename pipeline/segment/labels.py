"""Recognising the field labels of a goal ("Mål:", "DOKUMENTATION", "Opfølgning og status").

Shared by segmentation (which fields a paragraph opens) and extraction (which tells a table
without ruling lines from newspaper columns by labels standing side by side). The words are
data in `pipeline/rules/labels.toml`; the forms a label takes are described there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from maalspor.language.text import collapse
from maalspor.rules import compiled, rules


class FieldKind(StrEnum):
    """What a label opens: a field of the output, a goal's attribute (`RESPONSIBLE`:
    "Ansvarlig"), or another part of a goal that ends one (`OTHER`: "Aktiviteter",
    "Tidsplan")."""

    GOAL = "goal"
    DOCUMENTATION = "documentation"
    FOLLOW_UP = "follow_up"
    RESPONSIBLE = "responsible"
    OTHER = "other"


# Kinds that are no field of their own and never combine with one ("Mål og ansvarlig" is no
# label).
NOT_COMBINING = (FieldKind.RESPONSIBLE, FieldKind.OTHER)


# The kinds that are fields of a goal in the output, in their order.
FIELDS = (FieldKind.GOAL, FieldKind.DOCUMENTATION, FieldKind.FOLLOW_UP)


@dataclass(frozen=True)
class LabelPatterns:
    start: re.Pattern  # a label at the start of a line
    inline: re.Pattern  # a label after a sentence end, inside running text
    words: dict[str, FieldKind]  # lower-cased label word → field


def _alternation(words: list[str]) -> str:
    # Longest first, so "Status og opfølgning" wins over "Status"; spaces match any whitespace.
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


@cache
def _compile(rules_key: str) -> LabelPatterns:
    labels = rules("labels")
    words = {w.lower(): kind for kind in FieldKind for w in labels.get(kind.value, [])}
    number_words = _alternation(labels.get("number_words", ["nr."]))
    alternatives = _alternation(list(words))
    # Only field labels combine: "Mål og indsatser" is a heading, no label.
    field_words = _alternation([w for w, f in words.items() if f not in NOT_COMBINING])
    core = (
        rf"(?P<label>{alternatives})"
        # Combined labels name one field: "Dokumentation/succeskriterier", "Opfølgning og status".
        rf"(?:\s*(?:/|&|,|\bog\b|\beller\b)\s*(?:{field_words}))*"
        rf"(?:\s+(?:(?:{number_words})\s*)?(?P<number>\d{{1,2}}(?:\.\d{{1,2}})*)\.?)?"
        # A short qualifier before a colon: "Mål for 2016:", "Dokumentation i 2016/17:".
        rf"(?:\s+(?:for|i|på|til|fra|om)\s+[^:\n]{{1,40}}?(?=\s*:))?"
    )
    flags = re.IGNORECASE
    return LabelPatterns(
        start=re.compile(rf"^\s*{core}(?![\wæøå])\s*(?P<colon>[:.]?)\s*", flags),
        inline=re.compile(rf"(?<=[.!?])\s+{core}\s*:\s*", flags),
        words=words,
    )


def label_patterns() -> LabelPatterns:
    # Keyed on the rules' content, so a user's rules file (loaded later) gets its own compile.
    return compiled("labels", _compile)


def field_of(label: str) -> FieldKind:
    """The field a matched label word names."""
    return label_patterns().words[collapse(label).lower()]


def label_of(text: str, bold_prefix: str | None = None) -> tuple[FieldKind, str] | None:
    """(field, rest of the line) when a printed line starts with a field label, else None.

    A label counts with a colon ("Mål: Skabe"), alone ("DOKUMENTATION"), in bold before plain
    text (`bold_prefix`: "Mål" + "Skabe ..."), or before a tab ("Mål<tab>Skabe": a label in
    the margin). "Målet er nået", "Målgruppen", "Formålet er" are never labels.
    """
    match = label_patterns().start.match(text)
    if not match:
        return None
    field_name = field_of(match.group("label"))
    rest = text[match.end() :].strip()
    if bold_prefix:
        bold = collapse(bold_prefix).rstrip(":.").lower()
        if bold == collapse(match.group("label")).lower():
            return field_name, text[len(bold_prefix) :].lstrip(" :\t")
        if bold == collapse(text[: match.end()]).rstrip(":. ").lower():
            return field_name, rest
    if match.group("colon") == ":" or not rest:
        return field_name, rest
    if re.fullmatch(r"\([^()]*\)\s*:?", rest):
        return field_name, rest  # "Mål (hvad vil vi opnå?)": a label with its explanation
    after_label = text[match.end("label") :]
    if after_label.startswith("\t"):
        return field_name, after_label.strip()
    return None
