"""Readings of the verdicts' sixteenth pass (issue 23): an outcome said in words of an
expectation is overtaken by what a later clause says happened; a result read against its target
after the last verdict word is the final word; an expectation word that describes a thing ("den
planlagte ombygning") hedges nothing; a number with a unit in the genitive names what is
measured ("4 ugers svartid"); marks are a tally ("■ ■ ■ □") or a tick form ("ja ☐ nej ☑").

Every text here is made up for the test and is in none of the corpus rounds
(`test_texts_are_not_in_the_corpus`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maalspor.verdicts.classifier import rule_verdicts
from maalspor.verdicts.features import texts_features, tokenize
from maalspor.verdicts.learned import trusted
from maalspor.verdicts.meaning import meaning_lexicon, read_meanings
from tests.test_verdict_kinds import corpus_texts
from tests.test_verdict_meaning import GOAL_WORDS, SETTINGS, meanings, measures


def stands_and_features(text: str) -> tuple[bool, set[str]]:
    """(whether the rule verdict stands, the text's features)."""
    rule = rule_verdicts([text], SETTINGS)[0]
    features = texts_features([text], [rule], SETTINGS, lemma_features=False)[0]
    return trusted(rule, features, SETTINGS), set(features.values)


# --- an expectation overtaken -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # the phrase rules read "målet ville blive nået" as reached: it was only expected
        "Vi regnede længe med, at målet ville blive nået, men i december faldt to leverandører "
        "fra, og fristen blev overskredet.",
        # the result after the expectation says how it went
        "Alt tegnede til, at målet ville blive nået. Ved opgørelsen i januar var andelen 61 % mod "
        "målet på 75 %.",
    ],
)
def test_an_outcome_in_words_of_an_expectation_is_overtaken(text: str) -> None:
    stands, _ = stands_and_features(text)
    assert not stands


def test_an_expectation_alone_still_says_the_outcome() -> None:
    # nothing follows that says how it went: the rules' reading stands
    text = "Målet forventes ikke nået i indeværende periode."
    assert rule_verdicts([text], SETTINGS)[0].status == "not_achieved"
    assert stands_and_features(text)[0]


def test_a_result_after_the_last_verdict_word_is_final() -> None:
    text = (
        "Længe så det ud til, at målet ikke ville holde, men året sluttede med 96 % mod målet "
        "på 95 %."
    )
    _, features = stands_and_features(text)
    assert "final:num:met" in features
    assert not {f for f in features if f.startswith("final:") and f != "final:num:met"}


def test_a_verdict_word_after_the_result_is_final() -> None:
    text = "I juni lå vi på 88 % mod målet på 90 %, men indsatsen er nu afsluttet som planlagt."
    _, features = stands_and_features(text)
    assert "final:completion+" in features
    assert "final:num:missed" not in features


# --- an expectation word that describes a thing -------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Den planlagte ombygning af skolekøkkenet er gennemført.",
        "De forventede 40 nye pladser i dagplejen er etableret.",
    ],
)
def test_an_attributive_expectation_word_hedges_nothing(text: str) -> None:
    reading = read_meanings(tokenize([text])[0], meaning_lexicon(), SETTINGS, GOAL_WORDS)
    assert not [m for m in reading.meanings if m.meaning == "expectation"]
    assert [m for m in reading.meanings if m.meaning == "completion" and not m.hedged]


def test_a_predicative_expectation_word_still_hedges() -> None:
    text = "Ombygningen af skolekøkkenet er planlagt til at være gennemført i foråret."
    reading = read_meanings(tokenize([text])[0], meaning_lexicon(), SETTINGS, GOAL_WORDS)
    assert [m for m in reading.meanings if m.meaning == "completion" and m.hedged]


# --- a unit in the genitive ---------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["ugers", "dages", "måneders", "timers", "hverdages"])
def test_a_number_with_a_unit_in_the_genitive_is_no_value(unit: str) -> None:
    # "over 4 ugers svartid" names which cases are counted; the share is the target
    text = f"Andelen af klager med over 4 {unit} svartid skal være under 8 %. Resultat: 12 %."
    assert "num:missed" in measures(text)
    assert "num:met" not in measures(text)


# --- marks: a tally or a tick form --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Fremdrift: ■ ■ ■ □", "count:some"),
        ("Score ★★★★★", "count:all"),
        ("Trin 1: [x] Trin 2: [x] Trin 3: [ ]", "count:some"),
        ("Etape A [ ]  Etape B [ ]", "count:none"),
    ],
)
def test_a_tally_of_marks_is_a_count(text: str, count: str) -> None:
    assert count in measures(text)


_FILLED = ["■", "●", "★", "[x]", "☑"]
_EMPTY = ["□", "○", "☆", "[ ]", "☐"]


@given(
    filled=st.integers(min_value=0, max_value=5),
    empty=st.integers(min_value=0, max_value=5),
    mark=st.integers(min_value=0, max_value=len(_FILLED) - 1),
    separator=st.sampled_from([" ", "", "  ", " | "]),
)
def test_a_tally_counts_its_filled_marks(
    filled: int, empty: int, mark: int, separator: str
) -> None:
    marks = [_FILLED[mark]] * filled + [_EMPTY[mark]] * empty
    text = f"Vurdering: {separator.join(marks)}"
    found = {f for f in measures(text) if f.startswith("count:")}
    if len(marks) < 2:
        assert not found
    else:
        assert found == {"count:all" if not empty else "count:none" if not filled else "count:some"}


@pytest.mark.parametrize(
    ("text", "said", "unsaid"),
    [
        ("Opfyldt: ja ☐ delvist ☐ nej ☑", "red+", {"green+", "partial+"}),
        ("Opfyldt: ja ☒ delvist ☐ nej ☐", "green+", {"red+", "partial+"}),
        ("☐ Ja ☑ Delvist ☐ Nej", "partial+", {"green+", "red+"}),
    ],
)
def test_a_tick_form_says_only_the_ticked_answer(text: str, said: str, unsaid: set[str]) -> None:
    found = meanings(text)
    assert said in found
    assert not unsaid & found
    # the phrase rules read every answer: their reading of a tick form is not trusted
    assert not stands_and_features(text)[0]


# --- words the lexicon lacked -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Tilgængelighedskravet er efterlevet til fulde.",
        "Den fælles indgang for erhvervslivet er blevet til virkelighed.",
    ],
)
def test_completion_words(text: str) -> None:
    assert "completion+" in meanings(text)


def test_texts_are_not_in_the_corpus() -> None:
    quoted = set(re.findall(r'"([^"]+)"', Path(__file__).read_text(encoding="utf-8").lower()))
    assert not quoted & {text.lower() for text in corpus_texts()}
