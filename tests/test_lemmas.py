"""The prebuilt lexicon (maalspor.language.lexicon) against the plain dict it stands for."""

from __future__ import annotations

import json
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from maalspor.language import lexicon as L
from maalspor.language import nlp
from maalspor.language.lemmas import read_pairs

WORDS = st.text(alphabet='abcæøå-ABCÆ"\\é ', min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(WORDS, WORDS, max_size=40), st.lists(WORDS, max_size=10))
def test_the_lexicon_answers_as_the_dict(tmp_path_factory, mapping, others):
    folder = tmp_path_factory.mktemp("lexicon")
    text = json.dumps(mapping, ensure_ascii=False, indent=4)
    L.build(read_pairs(text.splitlines(keepends=True)), ["og", "i"], folder)
    table = L.Lexicon(folder)
    for form, lemma in mapping.items():
        assert form in table and table.get(form) == lemma
        assert table.is_lemma(lemma)
        assert table.known_in_any_case(form.lower())
    for word in others:
        if word not in mapping:
            assert word not in table and table.get(word) is None and table.get(word, "x") == "x"
    assert table.stop_words == {"og", "i"}


def test_escapes_and_ascii_escapes_are_read():
    text = '{"a\\"b": "c\\u00e6", "x": "y"}'
    assert list(read_pairs([text])) == list(json.loads(text).items())


def test_the_real_lexicon_is_the_same_as_its_json():
    reference = dict(nlp.lemma_pairs())
    table = L.lexicon()
    assert len(reference) > 500_000
    assert all(table.get(form) == lemma for form, lemma in reference.items())
    assert nlp.lemma("Billederne") == "billede"
    assert nlp.is_known_word("kommunen") and not nlp.is_known_word("xqzvw")
    assert nlp.is_known_in_any_case("køge") and nlp.is_known_in_any_case("KØGE")
    assert L.stop_words() == L.spacy_stop_words() and "og" in L.stop_words()


def test_the_hash_is_the_same_in_every_process():
    code = "from maalspor.language.lexicon import word_hash; print(word_hash('målspor'))"
    runs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    }
    assert runs == {f"{L.word_hash('målspor')}\n"}


def test_a_cache_that_cannot_be_written_still_gives_a_lexicon(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    code = "from maalspor.language.lexicon import lexicon; print(lexicon().get('skolerne'), 1)"
    env = {
        "MAALSPOR_CACHE_DIR": str(blocked / "cache"),
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
    }
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("skole ")
