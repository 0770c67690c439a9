"""The compact lemma table (pipeline/language/lemmas.py) against the plain dict it replaces."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from maalspor.language import nlp
from maalspor.language.lemmas import LemmaTable, read_pairs

WORDS = st.text(alphabet='abcæøå-ABCÆ"\\é ', min_size=1, max_size=12)


def _table(mapping: dict[str, str], indent: int | None = 4) -> LemmaTable:
    text = json.dumps(mapping, ensure_ascii=False, indent=indent)
    return LemmaTable.from_text(text)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(WORDS, WORDS, max_size=40), st.lists(WORDS, max_size=10))
def test_the_table_answers_as_the_dict(mapping: dict[str, str], others: list[str]):
    for indent in (4, None):  # a pair per line (as spacy-lookups-data writes it), or one line
        table = _table(mapping, indent)
        for form, lemma in mapping.items():
            assert form in table and table.get(form) == lemma
            assert table.is_lemma(lemma)
            assert table.known_in_any_case(form.lower())
        for word in others:
            if word not in mapping:
                assert word not in table and table.get(word) is None and table.get(word, "x") == "x"


def test_escapes_and_ascii_escapes_are_read():
    text = '{"a\\"b": "c\\u00e6", "x": "y"}'
    assert list(read_pairs([text])) == list(json.loads(text).items())


def test_the_real_table_is_the_same_as_its_json():
    path = nlp._lemma_path()
    reference = json.loads("".join(LemmaTable.file_lines(path)))
    table = nlp._lemma_table()
    assert len(reference) > 500_000
    assert all(table.get(form) == lemma for form, lemma in reference.items())
    assert nlp.lemma("Billederne") == "billede"
    assert nlp.is_known_word("kommunen") and not nlp.is_known_word("xqzvw")
    assert nlp.is_known_in_any_case("køge") and nlp.is_known_in_any_case("KØGE")
