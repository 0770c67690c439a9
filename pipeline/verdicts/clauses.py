"""Sentences and clauses of follow-up texts for the phrase rules (`classifier.py`), and the
word windows around a phrase within its clause where a negation or a partial word is looked for.
The clause boundaries and the conjunctions that close a window are data in
`pipeline/rules/verdicts.toml`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from maalspor.language.nlp import pipe_sentences
from maalspor.verdicts.phrasebook import VerdictRules

_WORD = re.compile(r"\S+")
_PUNCTUATION = ".,;:!?()[]\"'«»“”"


# --- sentences and clauses ----------------------------------------------------------------------


def for_splitting(text: str, compiled: VerdictRules) -> str:
    # spaCy's abbreviation exceptions are case-sensitive: in an all-capitals text "PT." would end
    # a sentence. Such a text is split in lower case (same length, so offsets still hold).
    lowered = text.lower()
    shouting = any(c.isalpha() for c in text) and not any(c.islower() for c in text)
    prepared = lowered if shouting and len(lowered) == len(text) else text
    # a question answered yes or no is a field and its value, one sentence: "Opfyldt? Nej"
    return compiled.answered_question.sub(":", prepared)


def sentence_spans(texts: Sequence[str], compiled: VerdictRules) -> Iterator[list[tuple[int, int]]]:
    """(start, end) of every sentence of every text, from one spaCy pass over them all."""
    prepared = [for_splitting(text, compiled) for text in texts]
    for text, sentences in zip(prepared, pipe_sentences(prepared), strict=True):
        spans, cursor = [], 0
        for sentence in sentences:
            start = text.find(sentence, cursor)
            if start < 0:  # cannot happen with spaCy's slices; read the text as one sentence
                spans = [(0, len(text))] if text.strip() else []
                break
            spans.append((start, start + len(sentence)))
            cursor = start + len(sentence)
        yield spans


def clauses(text: str, span: tuple[int, int], compiled: VerdictRules) -> Iterator[tuple[int, str]]:
    """(offset, clause) pieces of one sentence, cut at the clause boundaries."""
    start, end = span
    cursor = start
    for boundary in compiled.boundaries.finditer(text, start, end):
        if boundary.start() > cursor:
            yield cursor, text[cursor : boundary.start()]
        cursor = boundary.end()
    if end > cursor:
        yield cursor, text[cursor:end]


# --- matching within a clause ---------------------------------------------------------------


def window_start(clause: str, pos: int, words: int, conjunctions: frozenset[str]) -> int:
    """Start of the `words` words before pos; a conjunction or a comma closes the window."""
    start = pos
    for word in reversed(list(_WORD.finditer(clause, 0, pos))[-words:] if words else []):
        text = word.group()
        if text.endswith(",") or text.strip(_PUNCTUATION).lower() in conjunctions:
            break
        start = word.start()
    return start


def window_end(clause: str, pos: int, words: int, conjunctions: frozenset[str]) -> int:
    """End of the `words` words after pos; a conjunction or a comma closes the window."""
    end = pos
    if clause[pos : pos + 1] == ",":  # the phrase itself ends its part of the clause
        return end
    for count, word in enumerate(_WORD.finditer(clause, pos)):
        text = word.group()
        if count >= words or text.strip(_PUNCTUATION).lower() in conjunctions:
            break
        end = word.end()
        if text.endswith(","):
            break
    return end


def first(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    return pattern.search(text[:end], start)


def masked(clause: str, compiled: VerdictRules) -> str:
    # Fixed phrases ("ikke mindst", "ikke længere relevant") are blanked: their "ikke" is theirs.
    return compiled.non_negation.sub(lambda m: " " * len(m.group()), clause)
