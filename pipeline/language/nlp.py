"""spaCy's Danish language data, loaded once: tokens, sentences, lemmas, known words.

Only `spacy.blank("da")` is used (nothing is downloaded): its tokenizer knows Danish
abbreviations (bl.a., f.eks., jf., mv., m.m., pt., ift. ...), the rule-based sentencizer splits
sentences, and the lemma lookup table of spacy-lookups-data gives lemmas. The table is
case-sensitive, so look-ups are lower-cased first.

The lemma table is read only when a lemma or a known word is first asked for, into a compact
`lemmas.LemmaTable` (about 25 MB against 110 MB as a dict of strings, 180 MB as spaCy's own
`Table`): parsing a plan rarely needs it; the pipeline's components (tokenizer, sentencizer)
never read lemmas.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from maalspor.language.lemmas import LemmaTable, read_pairs

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


def _lemma_path() -> Path:
    # spacy-lookups-data's entry point names the table's file (a .json.gz is beside it).
    return Path(registry.lookups.get("da")["lemma_lookup"])


@cache
def _lemma_table() -> LemmaTable:
    """Word form → lemma: the `lemma_lookup` table of spacy-lookups-data for Danish."""
    return LemmaTable.from_file(_lemma_path())


def lemma_pairs() -> Iterator[tuple[str, str]]:
    """Every (form, lemma) of the table, read afresh (for tests and tools)."""
    return read_pairs(LemmaTable.file_lines(_lemma_path()))


def preload() -> None:
    """Load the pipeline and the lemma table now (before forking workers that share them)."""
    danish()
    _lemma_table()


def is_known_word(word: str) -> bool:
    """True when the lower-cased word is a form or lemma in spaCy's Danish lookup table."""
    lower = word.lower()
    table = _lemma_table()
    return lower in table or table.is_lemma(lower)


def is_known_in_any_case(word: str) -> bool:
    """Like `is_known_word`, and also for the table's entries written with capitals (names
    such as "Køge", abbreviations such as "LANs"), whatever case the word is written in.
    Reads the table's words again at its first call (+8 MB)."""
    return _lemma_table().known_in_any_case(word.lower())


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """Lower-cased lemma of one word; the word itself (lower-cased) when the table lacks it."""
    lower = word.lower()
    return _lemma_table().get(lower, lower)


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


def stop_words() -> frozenset[str]:
    """spaCy's Danish stop words (lower-case)."""
    return frozenset(danish().Defaults.stop_words)
