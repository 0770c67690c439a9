"""Readings of the verdicts' nineteenth pass (issue 23): a harm that did not happen is a goal of
none met ("Der har ikke været et eneste overløb"); a whole denied is a part ("ikke samtlige");
a later sentence that says the opposite outcome overrides the rules' first verdict; a question
answered "Ikke helt" or "Ikke endnu" is a field and its value; "endnu ikke nået" is work going
on; "ikke længere" and the latest year of a clause that reports nothing are meanings of their
own; the rules' status span holds the words of the status only.

Every text here is made up for the test and is in none of the corpus rounds
(`test_texts_are_not_in_the_corpus`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maalspor.verdicts.classifier import classify_text, rule_verdicts
from maalspor.verdicts.features import tokenize
from maalspor.verdicts.meaning import Meaning, meaning_lexicon, read_meanings
from maalspor.verdicts.quantifiers import absent_harms
from tests.test_verdict_kinds import corpus_texts
from tests.test_verdict_meaning import GOAL_WORDS, SETTINGS


def _meanings(text: str) -> list[Meaning]:
    return read_meanings(tokenize([text])[0], meaning_lexicon(), SETTINGS, GOAL_WORDS).meanings


def _read(text: str, meaning: str) -> list[bool]:
    """The polarity (negated or not) of every `meaning` read in the text."""
    return [m.negated for m in _meanings(text) if m.meaning == meaning]


# --- a harm that did not happen ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Der har ikke i hele sæsonen været et eneste oversvømmelsestilfælde i kælderen.",
        "Ingen reklamationer fra borgerne på vintertjenesten i år.",
        "Vi har ikke registreret én eneste arbejdsulykke på genbrugspladserne.",
        "Taget blev afleveret uden anmærkninger ved 1-årsgennemgangen.",
        "Nul overtrædelser af hygiejnereglerne ved de uanmeldte tilsyn.",
    ],
)
def test_a_harm_that_did_not_happen_is_a_completion(text: str) -> None:
    assert False in _read(text, "completion")


@pytest.mark.parametrize(
    "text",
    [
        # a word of none that names the goal is no result
        "Ambitionen om nul arbejdsulykker på værkstedet holdt ikke.",
        # "i intet tilfælde" says "in no case"
        "Vi kan i intet tilfælde sige, at tilsynet gik godt.",
        # no harm: a buyer is no harm
        "Der har ikke været én eneste køber til grunden.",
    ],
)
def test_no_absent_harm_without_a_harm_or_with_a_goal_of_none(text: str) -> None:
    # only the lexicon's own "nul" may read as a completion; no absent harm adds one
    tokens = tokenize([text])[0]
    reading = read_meanings(tokens, meaning_lexicon(), SETTINGS, GOAL_WORDS)
    denials = [1 if negated else 0 for negated in reading.negated]
    found = absent_harms(tokens, reading.clause_of, denials, meaning_lexicon(), SETTINGS)
    assert found == {}


def test_a_harm_denied_twice_happened() -> None:
    # "Det passer ikke, at ..." flips the clause after it: the harm did happen
    assert _read("Det passer ikke, at der ingen klager har været over støjen.", "completion") == [
        True
    ]


_HARMS = ["overløb", "klager", "arbejdsulykker", "fejludbetalinger", "brud på fristen", "nedbrud"]
_NONE = ["Der har ikke været et eneste {}", "Ingen {}", "Der er ikke registreret nogen {}"]
_PLACES = ["", " i 2024", " i hele perioden", " på de tre anlæg"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_HARMS), st.sampled_from(_NONE), st.sampled_from(_PLACES))
def test_every_harm_in_every_frame_of_none_reads_as_a_completion(
    harm: str, frame: str, place: str
) -> None:
    text = frame.format(harm) + place + "."
    assert False in _read(text, "completion"), text


@pytest.mark.parametrize(
    "text",
    [
        "Der har i år ikke været en eneste fejlmedicinering med alvorlig følge på afsnittet.",
        "Ingen overskridelser af udledningskravet ved de månedlige prøver.",
    ],
)
def test_a_harm_that_did_not_happen_is_achieved(text: str) -> None:
    assert classify_text(text).status == "achieved"


# --- a whole denied ------------------------------------------------------------------------------


def test_a_denied_whole_is_a_part() -> None:
    text = "Vi fik ikke samtlige boligsociale partnere til at skrive under på aftalen."
    assert _read(text, "partial") == [False]
    assert _read("Alle partnere har skrevet under.", "partial") == []


# --- a later sentence overrides the first verdict ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (
            "Den første udgave af bookingmodulet mislykkedes på grund af fejl i integrationen. "
            "Efter en ny leverance i november fungerer modulet efter hensigten.",
            "achieved",
        ),
        (
            "Lægevagtens nye visitationsspor blev taget i brug i februar. "
            "Ved evalueringen i december måtte sporet dog lukkes igen, og det mislykkedes at nå "
            "de ønskede svartider.",
            "not_achieved",
        ),
    ],
)
def test_a_later_sentence_that_says_the_opposite_decides(text: str, status: str) -> None:
    assert classify_text(text).status == status


def test_a_later_sentence_that_says_the_same_leaves_the_rules_verdict() -> None:
    text = "Målet er nået. Alle fire skoler har fået den nye legeplads."
    verdict = classify_text(text)
    assert (verdict.status, verdict.decided_by) == ("achieved", "verdict")


# --- questions answered, "not yet" ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Er målet indfriet? Ikke helt.", "partially_achieved"),
        ("Lykkedes det? Ikke endnu.", "in_progress"),
        ("Er målet nået? Nej.", "not_achieved"),
        ("Er målet nået? Ja.", "achieved"),
    ],
)
def test_a_question_answered_is_a_field_and_its_value(text: str, status: str) -> None:
    assert rule_verdicts([text])[0].status == status


@pytest.mark.parametrize(
    "text",
    [
        "Målet om fælles visitation er endnu ikke indfriet.",
        "Resultatkravet om kortere svartider er ikke opfyldt endnu.",
    ],
)
def test_not_yet_reached_is_work_going_on(text: str) -> None:
    assert rule_verdicts([text])[0].status == "in_progress"


def test_not_reached_without_yet_is_missed() -> None:
    assert rule_verdicts(["Målet om fælles visitation er ikke indfriet."])[0].status == (
        "not_achieved"
    )


# --- no longer; the next period ------------------------------------------------------------------


def test_no_longer_is_a_meaning_of_its_own() -> None:
    assert _read("Der arbejdes ikke længere med den fælles vagtordning.", "no_longer") == [False]


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("Vi tager fat på opgaven igen i 2026 med en ny leverandør.", True),
        ("Leverancen af de sidste sensorer er rykket til 2. kvartal 2026.", True),
        # a clause that reports: a past auxiliary, a completion
        ("Anlægget blev afleveret i 2025.", False),
        ("Målet om nye sensorer er nået i 2025.", False),
        # the latest year only
        ("I 2024 gik det skævt, men i 2025 kom vi i mål med udskiftningen.", False),
    ],
)
def test_the_latest_year_of_a_clause_that_reports_nothing_is_the_next_period(
    text: str, read: bool
) -> None:
    assert bool(_read(text, "next_period")) is read


# --- the status span -----------------------------------------------------------------------------


def test_the_status_span_holds_the_status_words_only() -> None:
    text = "Målet er delvist nået. Indsatsen videreføres i næste plan."
    rule = rule_verdicts([text])[0]
    assert rule.status_span is not None
    start, end = rule.status_span
    assert "videreføres" not in text[start:end]
    assert "nået" in text[start:end]


def test_texts_are_not_in_the_corpus() -> None:
    quoted = set(re.findall(r'"([^"]+)"', Path(__file__).read_text(encoding="utf-8").lower()))
    assert not quoted & {text.lower() for text in corpus_texts()}
