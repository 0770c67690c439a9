"""spaCy's Danish language data, loaded once: tokens, sentences, lemmas, known words.

Only `spacy.blank("da")` is used (nothing is downloaded): its tokenizer knows Danish
abbreviations (bl.a., f.eks., jf., mv., m.m., pt., ift. ...), the rule-based sentencizer splits
sentences, and the lemma lookup table of spacy-lookups-data gives lemmas. The table is
case-sensitive, so look-ups are lower-cased first.

Lemmas, known words and stop words come from `lexicon.py`: spaCy's data prebuilt once into a
memory-mapped cache, looked up without loading spaCy. This module loads spaCy for what needs
its pipeline: tokens and sentences.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from maalspor.language.lemmas import read_pairs
from maalspor.language.lexicon import (  # noqa: F401  (the old home of the word look-ups)
    _table_lines,
    _table_path,
    is_known_in_any_case,
    is_known_word,
    lemma,
    lexicon,
    stop_words,
)

# Importing spaCy leaves some 90,000 objects (registries, thinc, pydantic models) that live as
# long as the process. Freezing them takes them out of the cyclic collector's generations, so
# a full collection no longer scans them: parsing a long PDF, pdfplumber's millions of short-
# lived objects trigger many, and this saves 5 % of a 500-page parse. (Garbage at this moment
# is kept, not collected: the few cycles of the imports.)
gc.freeze()

# "side 12." is one token in Danish ("12." is an ordinal), so the sentencizer never breaks after
# it. A number with a full stop followed by a capitalised word ("i 2016. Derefter") does end a
# sentence: Danish ordinals are followed by lower-case words ("1. halvår", "22. april").
_ORDINAL_WITH_STOP = re.compile(r"^\d+\.$")


@Language.component("maalspor_ordinal_boundaries")
def _ordinal_boundaries(doc: Doc) -> Doc:
    for token in doc[:-1]:
        following = doc[token.i + 1]
        if _ORDINAL_WITH_STOP.match(token.text) and following.text[:1].isupper():
            following.is_sent_start = True
    return doc


@cache
def danish() -> Language:
    """The Danish pipeline: tokenizer, sentencizer, ordinal fix (lemmas: `lemma`)."""
    nlp = spacy.blank("da")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("maalspor_ordinal_boundaries")
    nlp.initialize()
    return nlp


def lemma_pairs() -> Iterator[tuple[str, str]]:
    """Every (form, lemma) of the lemma table, read afresh from its file (for tests and tools)."""
    return read_pairs(_table_lines(_table_path()))


def preload() -> None:
    """Load the pipeline and open the lexicon now (before forking workers that share them)."""
    danish()
    lexicon()


def tokens(text: str) -> list[str]:
    """The tokens of a text as spaCy's Danish tokenizer cuts them (abbreviations kept whole)."""
    return [token.text for token in danish().tokenizer(text)]


def sentences(text: str) -> list[str]:
    """Sentences of a text, Danish abbreviations and ordinals respected."""
    doc = danish()(text)
    return [sentence.text.strip() for sentence in doc.sents if sentence.text.strip()]


def pipe_sentences(texts: Iterable[str], batch_size: int = 256) -> Iterator[list[str]]:
    """Sentences of many texts at once (one spaCy pass over them all)."""
    nlp = danish()
    for doc in nlp.pipe(texts, batch_size=batch_size):
        yield [sentence.text.strip() for sentence in doc.sents if sentence.text.strip()]


def lemmas(text: str) -> list[str]:
    """Lower-cased lemmas of the word tokens of a text (punctuation and numbers dropped)."""
    return [lemma(tok.text) for tok in danish().tokenizer(text) if tok.is_alpha]


def pipe_lemmas(texts: Iterable[str], batch_size: int = 512) -> Iterator[list[str]]:
    """Lemmas of many texts with one tokenizer pass (`tokenizer.pipe`)."""
    for doc in danish().tokenizer.pipe(texts, batch_size=batch_size):
        yield [lemma(tok.text) for tok in doc if tok.is_alpha]


def pipe_token_spans(
    texts: Iterable[str], batch_size: int = 512
) -> Iterator[list[tuple[str, int]]]:
    """(token, offset) of every token of many texts, with one tokenizer pass; spaces are left
    out, except that a line break is kept as the token "\n" (it ends a field or a bullet)."""
    for doc in danish().tokenizer.pipe(texts, batch_size=batch_size):
        yield [
            ("\n" if tok.is_space else tok.text, tok.idx)
            for tok in doc
            if not tok.is_space or "\n" in tok.text
        ]
