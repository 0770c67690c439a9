"""Readings of the verdicts' fifteenth pass (issue 23): one list says which way a measure is
better for both number readers; a share is never read against a time; a new clause names its
own number; the last labelled result decides; an earlier value is never a result; an entry of
several words is read across the pronouns, adverbs and denial Danish puts inside it; a stop for
a stated while ends nothing.

Every text here is made up for the test and is in none of the corpus rounds
(`test_texts_are_not_in_the_corpus`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maalspor.verdicts.classifier import rule_verdicts
from maalspor.verdicts.features import tokenize
from maalspor.verdicts.meaning import meaning_lexicon, read_meanings
from tests.test_verdict_kinds import corpus_texts
from tests.test_verdict_meaning import GOAL_WORDS, SETTINGS, meanings, measures

# --- the phrase rules' result against its target: which way is better ---------------------------


@pytest.mark.parametrize(
    ("text", "status"),
    [
        # a measure of meanings.toml's `lower_is_better` the rules' own list lacked
        ("Genbehandlingstid i snit 17 dage (mål: 12)", "not_achieved"),
        ("Antal arbejdsulykker 4 (mål: 6)", "achieved"),
        # a unit after the number says it ("41 dage"), no measure word needed
        ("Gennemsnitligt 9 hverdage mod målet på 7 hverdage", "not_achieved"),
        ("I snit 5 uger (mål: 8 uger)", "achieved"),
        # `higher_is_better` wins over a "tid" inside the word
        ("Rettidighed i udbetalingerne 91 % (mål: 97 %)", "not_achieved"),
        # a floor without any direction word stays higher-is-better
        ("Deltagere i alt 212 (mål: 180)", "achieved"),
    ],
)
def test_the_rules_read_a_measure_s_direction_from_the_one_list(text: str, status: str) -> None:
    verdict = rule_verdicts([text])[0]
    assert (verdict.status, verdict.decided_by) == (status, "number")


def test_a_share_is_not_read_against_a_time() -> None:
    # "4 min (mål 85 %)": the minutes are the condition of the share, not its result
    text = "76 % af opkaldene besvaret inden for 4 min (mål 85 %)."
    assert rule_verdicts([text])[0].decided_by != "number"


# --- the learned layer's number reading ---------------------------------------------------------


def test_a_new_clause_names_its_own_number() -> None:
    # "over målet, og årsgennemsnittet blev 96 %": the 96 is no target of the first "målet"
    text = "Efter marts lå vi over målet, og årsgennemsnittet blev 96 % mod målet på 94 %."
    assert measures(text) >= {"num:met"}
    assert not measures(text) & {"num:missed", "num:close", "num:mixed"}


@pytest.mark.parametrize(
    ("text", "feature"),
    [
        (
            "Målet var højst 4 % fejl. I marts lå vi på 3,1 %, men året endte på 4,9 %.",
            "num:missed",
        ),
        ("Målet var mindst 70 point. Status i juni: 64 point, ultimo året: 73 point.", "num:met"),
    ],
)
def test_the_last_labelled_result_decides(text: str, feature: str) -> None:
    assert feature in measures(text)


def test_an_earlier_value_after_the_target_is_no_result() -> None:
    text = (
        "Ventetid til fysioterapi – mål: under 5 uger. Ultimo 2024: 4,5 uger (ultimo 2023: 8 uger)"
    )
    assert "num:met" in measures(text)
    assert "num:missed" not in measures(text)


# --- an entry read across the middle field ------------------------------------------------------

_MIDDLE = ["det", "dog", "også", "nu", "altså", "derfor", "jo"]
_PARTED = [
    # (verb, the rest of the entry, what follows, meaning)
    ("tager", "med", "ind i næste års plan", "goes_on"),
    ("holder", "fast i", "ambitionen", "goes_on"),
    ("lader", "ligge", "for nu", "failure"),
]


@settings(max_examples=60, deadline=None)
@given(
    entry=st.sampled_from(_PARTED),
    middle=st.lists(st.sampled_from(_MIDDLE), min_size=1, max_size=3, unique=True),
    denied=st.booleans(),
)
def test_an_entry_is_read_across_the_middle_field(
    entry: tuple[str, str, str, str], middle: list[str], denied: bool
) -> None:
    verb, rest, after, meaning = entry
    words = [*middle, "ikke"] if denied else middle
    text = f"Vi {verb} {' '.join(words)} {rest} {after}."
    found = meanings(text)
    assert f"{meaning}{'-' if denied else '+'}" in found, (text, found)
    assert f"{meaning}{'+' if denied else '-'}" not in found, (text, found)


def test_a_tail_with_a_meaning_of_its_own_is_read_by_itself() -> None:
    # "arbejde videre" is progress; "arbejdes ikke videre" still ends the goal ("ikke videre")
    found = meanings("Der arbejdes ikke videre med shelterpladsen i skoven.")
    assert found & {"ends+", "goes_on-"}
    assert not {"progress+", "progress-"} & found


def test_a_parted_entry_stands_in_the_clause_of_its_last_word() -> None:
    # "blev forsinket ... gik dog i drift": the completion stands after the contrast "dog"
    text = "Systemet blev forsinket to gange. Det gik dog i drift 3. marts."
    lexicon = meaning_lexicon()
    found = read_meanings(tokenize([text])[0], lexicon, SETTINGS, GOAL_WORDS).meanings
    assert [m.contrast for m in found if m.meaning == "completion"][-1:] == [True]


# --- a stop for a stated while ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "continued"),
    [
        ("Svømmehallen var lukket i 5 uger pga. en utæt bassinkant.", None),
        ("Ordningen blev midlertidigt indstillet under ombygningen.", None),
        ("Udlånet var stoppet i en periode efter it-nedbruddet.", None),
        ("Legestuen er lukket.", False),
        ("Kampagnen er stoppet.", False),
    ],
)
def test_a_stop_for_a_while_ends_nothing(text: str, continued: bool | None) -> None:
    assert rule_verdicts([text])[0].continued is continued


def test_texts_are_not_in_the_corpus() -> None:
    quoted = set(re.findall(r'"([^"]+)"', Path(__file__).read_text(encoding="utf-8").lower()))
    assert not quoted & {text.lower() for text in corpus_texts()}
