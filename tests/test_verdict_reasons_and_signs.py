"""Readings of the verdicts' seventeenth pass (issue 23): a clause that gives a reason or a
concession ("fordi ...", "selv om ...") is not the verdict; the rules' own words denied ("Der er
ikke tale om, at målet er opgivet") do not stand; a shortfall the writer calls partial is
partial; a stop beside a part done is a part stopped; a share of cases done within a deadline is
better high whatever the cases are; a change against a change target, both with their sign,
is read in the target's direction; a retraction ("Det var desværre forkert") is a contrast;
the model may turn the rules' continued value to the other value, never erase it.

Every text here is made up for the test and is in none of the corpus rounds
(`test_texts_are_not_in_the_corpus`)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from maalspor.verdicts.classifier import classify_text, rule_verdicts
from maalspor.verdicts.features import tokenize
from maalspor.verdicts.learned import CONTINUED_CLASSES, continued_over_rules
from maalspor.verdicts.meaning import meaning_lexicon, read_meanings
from tests.test_verdict_kinds import corpus_texts
from tests.test_verdict_meaning import GOAL_WORDS, SETTINGS, measures
from tests.test_verdict_order_and_marks import stands_and_features


def _reasons(text: str) -> set[str]:
    """meaning+ / meaning- of the meanings a reason or concession clause holds."""
    reading = read_meanings(tokenize([text])[0], meaning_lexicon(), SETTINGS, GOAL_WORDS)
    return {f"{m.meaning}{'-' if m.negated else '+'}" for m in reading.meanings if m.reason}


# --- a reason or a concession is not the verdict ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # the roll-out is the reason the plan was dropped, no goal reached
        (
            "Ideen om et fælles bookingsystem er droppet, fordi regionen nu implementerer "
            "sin egen løsning for alle sygehuse.",
            "completion+",
        ),
        # a concession: the wish to go on is no continuation
        (
            "Puljen udløber i juni, og indsatsen stopper, selv om vi gerne ville have fortsat.",
            "goes_on+",
        ),
        ("Kurset blev aflyst på grund af for få tilmeldinger.", None),
    ],
)
def test_a_reason_clause_holds_its_meanings_apart(text: str, reason: str | None) -> None:
    _, features = stands_and_features(text)
    if reason is not None:
        assert reason in _reasons(text)
        assert f"reason:{reason}" in features
        assert f"final:{reason}" not in features
        assert f"last:{reason}" not in features


def test_a_later_marker_inside_a_reason_opens_no_later_clause() -> None:
    # "nu" inside the reason says when the reason holds, not what happened to the goal
    text = "Vi har opgivet den fælles app, fordi kommunen nu udruller et nyt system til alle."
    _, features = stands_and_features(text)
    assert "later:completion+" not in features
    assert "final:stop+" in features


def test_a_main_clause_after_a_reason_is_read_as_ever() -> None:
    # the reason comes first; the main clause after the comma says the verdict
    text = "Fordi to medarbejdere var på orlov, blev målet ikke nået."
    assert _reasons(text) == set()
    assert classify_text(text).status == "not_achieved"


# --- the rules' own words denied ----------------------------------------------------------------


def test_a_denied_stop_does_not_stand() -> None:
    text = (
        "Der er ikke tale om, at indsatsen er opgivet; den er sat i bero, til den nye "
        "leverandør er på plads."
    )
    assert rule_verdicts([text], SETTINGS)[0].status == "dropped"
    stands, _ = stands_and_features(text)
    assert not stands


def _stops(text: str) -> set[str]:
    reading = read_meanings(tokenize([text])[0], meaning_lexicon(), SETTINGS, GOAL_WORDS)
    return {f"stop{'-' if m.negated else '+'}" for m in reading.meanings if m.meaning == "stop"}


def test_a_word_of_truth_denies_only_the_clause_it_leads_into() -> None:
    # "aldrig rigtig" is "never really": the stop after it stands
    assert _stops("Samarbejdet kom aldrig rigtig op at køre og er nu indstillet.") == {"stop+"}
    assert _stops("Det er ikke korrekt, at projektet er indstillet.") == {"stop-"}
    assert _stops("Vi kan ikke sige, at projektet er indstillet.") == {"stop-"}


# --- a shortfall the writer calls partial -------------------------------------------------------


def test_a_partial_verdict_after_a_missed_number_decides_in_the_rules() -> None:
    text = "Genbrugsandel: 47 % (mål 50 %). Målet er delvist opfyldt."
    assert rule_verdicts([text], SETTINGS)[0].status == "partially_achieved"


def test_a_partial_word_after_a_missed_number_doubts_the_number() -> None:
    text = "Besøg pr. uge: 38 (mål 40). Ikke helt i mål, men næsten."
    rule = rule_verdicts([text], SETTINGS)[0]
    assert (rule.status, rule.decided_by) == ("not_achieved", "number")
    stands, _ = stands_and_features(text)
    assert not stands


def test_a_missed_number_alone_still_stands() -> None:
    text = "Genbrugsandel: 41 % (mål 50 %)."
    rule = rule_verdicts([text], SETTINGS)[0]
    assert rule.status == "not_achieved"
    assert stands_and_features(text)[0]


# --- a stop beside a part done ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Vi gennemførte 4 af 6 workshops; de sidste to blev aflyst på grund af sygdom.",
        "Hovedparten af kurserne blev holdt, men forårets hold blev aflyst.",
    ],
)
def test_a_stop_beside_a_part_done_does_not_stand(text: str) -> None:
    assert rule_verdicts([text], SETTINGS)[0].status == "dropped"
    stands, _ = stands_and_features(text)
    assert not stands


def test_a_stop_alone_stands() -> None:
    text = "Forsøget med natåbent bibliotek er aflyst."
    assert rule_verdicts([text], SETTINGS)[0].status == "dropped"
    assert stands_and_features(text)[0]


# --- a share of cases done within a deadline ----------------------------------------------------


@given(
    cases=st.sampled_from(["Klagesager", "Ansøgninger", "Fejlmeldinger", "Henvendelser om skader"]),
    done=st.sampled_from(["afgjort", "behandlet", "besvaret", "lukket"]),
    within=st.sampled_from(["inden 3 mdr.", "indenfor 10 dage", "inden for fristen"]),
    share=st.integers(min_value=1, max_value=99),
    target=st.integers(min_value=1, max_value=99),
)
def test_a_share_done_within_a_deadline_is_better_high(
    cases: str, done: str, within: str, share: int, target: int
) -> None:
    # "klage", "fejl" and "skade" name measures better low; a share done in time is better high
    text = f"{cases} {done} {within}: {share} % (mål {target} %)."
    rule = rule_verdicts([text], SETTINGS)[0]
    assert rule.decided_by == "number"
    assert rule.status == ("achieved" if share >= target else "not_achieved")


def test_a_time_within_a_deadline_is_still_better_low() -> None:
    # no share: the waiting time itself is measured
    text = "Ventetid inden første samtale: 19 dage (mål 14 dage)."
    assert rule_verdicts([text], SETTINGS)[0].status == "not_achieved"


# --- signed changes -------------------------------------------------------------------------


@given(
    value=st.integers(min_value=1, max_value=40),
    target=st.integers(min_value=1, max_value=40),
    sign=st.sampled_from(["-", "−", "+"]),
    measure=st.sampled_from(["Genopkald", "Udgifter til kørsel", "Tilfredshed (NPS)", "Udlån"]),
)
def test_a_signed_change_is_read_in_the_targets_direction(
    value: int, target: int, sign: str, measure: str
) -> None:
    text = f"{measure}: {sign}{value} % (mål {sign}{target} %)"
    read = measures(text) & {"num:met", "num:missed", "num:close"}
    assert read == ({"num:met"} if value >= target else read & {"num:missed", "num:close"})
    assert read


def test_a_signed_result_against_an_unsigned_target_is_not_compared() -> None:
    # "-0,8" against "1,0" may be a fall against a fall: not read
    assert not measures("Fald i sygefravær: -0,8 (mål 1,0)") & {"num:met", "num:missed"}


@pytest.mark.parametrize("period", ["2016/2017", "2016/17", "23/24"])
def test_a_period_written_as_a_fraction_is_no_count(period: str) -> None:
    assert not {m for m in measures(f"Målet videreføres i {period}.") if m.startswith("count:")}


def test_a_fraction_is_still_a_count() -> None:
    assert "count:some" in measures("17/24 skoler har indført ordningen.")


def test_thousands_in_a_signed_change() -> None:
    assert "num:met" in measures("Udgifter: -1.250 kr. pr. sag (mål: -1.000 kr.)")
    assert measures("Udgifter: -950 kr. pr. sag (mål: -1.000 kr.)") & {"num:close", "num:missed"}


# --- words ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Den nye cykelparkering ved stationen er blevet en realitet.", "achieved"),
        ("Planerne om et fælles vagtcenter gik fløjten, da finansieringen faldt bort.", None),
        ("Forslaget om gratis parkering blev taget af listen i marts.", "dropped"),
        ("Vi har lavet målet om til et mål om kortere ventetid i stedet.", "changed"),
    ],
)
def test_new_words(text: str, status: str | None) -> None:
    verdict = classify_text(text)
    if status is not None:
        assert verdict.status == status, verdict
    else:
        assert verdict.status in {"not_achieved", "dropped"}, verdict


def test_a_retraction_is_a_contrast() -> None:
    text = (
        "I marts meldte vi, at alle vejskilte var udskiftet. Det var desværre forkert, for to "
        "bydele mangler stadig."
    )
    assert not stands_and_features(text)[0]


# --- the rules' continued value is never erased ------------------------------------------------


@pytest.mark.parametrize(
    ("said", "model_says", "kept"),
    [(False, "null", True), (True, "null", True), (False, "true", False)],
)
def test_the_model_turns_a_continued_value_but_never_erases_it(
    said: bool, model_says: str, kept: bool
) -> None:
    rule = dataclasses.replace(rule_verdicts(["Målet er droppet."], SETTINGS)[0], continued=said)
    probabilities = np.array([0.005, 0.005, 0.005])
    probabilities[CONTINUED_CLASSES.index(model_says)] = 0.99
    settings = dataclasses.replace(SETTINGS, model_continued_over_rules=0.95)
    over = continued_over_rules(rule, probabilities, settings)
    assert (over is None) == kept


def test_texts_are_not_in_the_corpus() -> None:
    quoted = set(re.findall(r'"([^"]+)"', Path(__file__).read_text(encoding="utf-8").lower()))
    assert not quoted & {text.lower() for text in corpus_texts()}
