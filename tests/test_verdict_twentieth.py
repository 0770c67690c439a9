"""Readings of the verdicts' twentieth pass (issue 23): a completion word that labels a value
is no verdict ("realiseret 1,87 mio. ton"); a count before a stop says it of things, not of the
goal ("7 aflyst"); of several targets each takes the result labelled before the next; a number
in a measure's name is no value; a bound denied turns around ("må ikke overstige"), and so does
one after a word of none ("ingen ... mere end"); "at nå" aims; a bound or a deadline after a
per-cent target says which of them count; a change asked for right after its number ("10 %
fald") is read against the change the levels make; a deadline met in the past is no hedge;
words that name the next period work as its year.

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
from maalspor.verdicts.targets import read_quantities
from tests.test_verdict_kinds import corpus_texts
from tests.test_verdict_meaning import GOAL_WORDS, SETTINGS, measures


def _meanings(text: str) -> list[Meaning]:
    return read_meanings(tokenize([text])[0], meaning_lexicon(), SETTINGS, GOAL_WORDS).meanings


def _read(text: str) -> set[str]:
    return {m.meaning for m in _meanings(text)}


def _roles(text: str) -> list[tuple[str, float]]:
    quantities = read_quantities(tokenize([text])[0], meaning_lexicon(), SETTINGS)
    return [(q.role, q.value) for q in quantities]


# --- a completion word that labels a value -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Affaldsmængde: mål 40.000 ton, realiseret 38.200 ton.",
        "Opnået reduktion: 4,5 %.",
        "Gennemført: 61 %",
        "Leveret 312 enheder mod planlagt 350.",
    ],
)
def test_a_completion_word_before_a_value_is_no_verdict(text: str) -> None:
    rule = rule_verdicts([text])[0]
    assert rule.status != "achieved"
    assert "completion" not in _read(text)


@pytest.mark.parametrize(
    "text",
    [
        # an auxiliary makes it the goal's verb
        "Målet er realiseret 2 måneder før tid.",
        "Pr. 1. oktober er vi nået 100 %.",
        # a count is read as a count, a year and a date are no values
        "Målet blev indfriet 1. december.",
        "Forventet opfyldt: 2026",
    ],
)
def test_a_completion_word_of_the_goal_or_before_a_count_or_date_stays(text: str) -> None:
    assert "tally" not in _read(text)


def test_the_labelled_value_is_a_tally_the_model_weighs() -> None:
    assert "tally" in _read("Nye cykelparkeringer | etableret 140 | mål 200")


@given(
    st.sampled_from(["realiseret", "opnået", "gennemført", "leveret", "indfriet"]),
    st.integers(min_value=2, max_value=9999),
    st.sampled_from(["ton", "stk.", "borgere", "%", "km"]),
)
@settings(max_examples=60, deadline=None)
def test_a_value_after_a_completion_word_never_makes_it_achieved(
    verb: str, value: int, unit: str
) -> None:
    for text in (f"{verb.capitalize()} {value} {unit}.", f"{verb.capitalize()}: {value} {unit}"):
        assert rule_verdicts([text])[0].status != "achieved"


# --- a count before a stop -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "dropped"),
    [
        ("Besøgsdage: mål 30, realiseret 26 (4 aflyst pga. sygdom).", False),
        ("Kurser: 11 gennemført, 2 udskudt, 1 aflyst", False),
        # a number that names a thing, and a year, are no counts
        ("Forsøget med natbussen på rute 14 aflyst efter budgetforliget.", True),
        ("I 2024 aflyst, da ingen tilmeldte sig.", True),
    ],
)
def test_a_count_before_a_stop_says_it_of_things(text: str, dropped: bool) -> None:
    assert (rule_verdicts([text])[0].status == "dropped") is dropped


# --- several targets, results labelled -----------------------------------------------------------


def test_each_target_takes_the_result_labelled_before_the_next() -> None:
    text = (
        "Genbrug: mål 55 %, opnået 51 %. Restaffald pr. husstand: mål højst 200 kg, opnået 188 kg."
    )
    # the first missed by a little, the second met: mixed, not two mismatched pairs
    assert {"num:close", "num:met", "num:mixed"} <= measures(text)


def test_a_number_after_a_result_word_is_not_taken_for_mere_end() -> None:
    # "mere end" holds "end", no result word
    text = "Mål: højst 8 % af sagerne med mere end 20 dages sagsbehandling. Resultat: 6,5 %."
    assert measures(text) & {"num:met"}
    assert not measures(text) & {"num:missed", "num:close"}


# --- a number in a measure's name ----------------------------------------------------------------


def test_a_number_in_a_measures_name_is_no_value() -> None:
    text = "Børn med over 20 dages fravær: 2022: 140 – 2023: 171. Mål: 15 % fald."
    assert ("target", 20.0) not in _roles(text)
    assert measures(text) & {"num:missed"}


@pytest.mark.parametrize(
    ("levels", "feature"),
    [(("410", "330"), "num:met"), (("410", "400"), "num:missed"), (("410", "450"), "num:missed")],
)
def test_a_change_asked_for_after_its_number_is_read_from_the_levels(
    levels: tuple[str, str], feature: str
) -> None:
    before, after = levels
    text = f"Indlæggelser af ældre: 2023: {before} – 2024: {after}. Mål: 10 % fald."
    assert feature in measures(text)


# --- bounds denied or turned ---------------------------------------------------------------------


@given(st.integers(min_value=1, max_value=40), st.integers(min_value=1, max_value=40))
@settings(max_examples=60, deadline=None)
def test_a_denied_rise_is_a_ceiling(limit: int, result: int) -> None:
    text = f"Andelen af klager må ikke overstige {limit} %. Resultat 2024: {result},5 %."
    met = result + 0.5 <= limit
    read = measures(text)
    assert ("num:met" in read) is met
    assert bool(read & {"num:missed", "num:close"}) is not met


def test_a_denied_fall_is_a_floor() -> None:
    assert "num:met" in measures("Svarprocenten må ikke falde under 60 %. Opgjort 2024: 64 %.")
    assert measures("Svarprocenten må ikke komme under 60 %. Opgjort 2024: 55 %.") & {
        "num:missed",
        "num:close",
    }


def test_a_word_of_none_turns_a_floor_into_a_ceiling() -> None:
    text = "Målet var, at ingen elev skulle have mere end 5 dages ventetid. Ved årets udgang 9."
    assert "num:met" not in measures(text)


# --- what aims and what counts -------------------------------------------------------------------


def test_an_infinitive_of_reaching_aims() -> None:
    text = "Vi havde sat os for at nå 1.200 medlemmer i klubben. Ved sæsonens slutning: 1.050."
    assert ("target", 1200.0) in _roles(text)


def test_the_result_of_reaching_stays_a_result() -> None:
    assert ("result", 1050.0) in _roles("Vi nåede 1.050 medlemmer. Målet var 1.200.")


@pytest.mark.parametrize(
    "text",
    [
        "Målet var, at 75 % af de ledige skulle have mindst 2 samtaler i kvartalet. Opnået: 71 %.",
        "Mindst 85 % af ansøgningerne afgøres inden for 30 dage. Realiseret 2024: 88 %.",
    ],
)
def test_a_bound_or_deadline_after_a_share_target_says_who_counts(text: str) -> None:
    roles = _roles(text)
    assert [value for role, value in roles if role == "target"] in ([75.0], [85.0])


def test_a_result_word_before_a_year_dates_the_target() -> None:
    text = "Ventelisten skal ultimo 2025 være nede på højst 40. Status pr. 31.12.2025: 52."
    assert ("target", 40.0) in _roles(text)


def test_a_measure_with_digits_in_its_name_says_its_direction() -> None:
    text = (
        "Reduktion af CO2e fra tjenestebilerne – mål: 25 %. Opgørelsen viser en reduktion på 28 %."
    )
    assert "num:met" in measures(text)


# --- hedges and the next period ------------------------------------------------------------------


def test_a_deadline_met_in_the_past_is_no_hedge() -> None:
    text = "Alle 12 planlagte brandøvelser blev holdt inden udgangen af november."
    assert not [m for m in _meanings(text) if m.hedged]
    assert "expectation" not in _read(text)


def test_a_deadline_ahead_stays_a_hedge() -> None:
    assert "expectation" in _read("Brandøvelserne forventes holdt inden udgangen af november.")


@pytest.mark.parametrize(
    "text",
    [
        "Tre af skolerne mangler stadig, og dem tager vi fat på i det kommende år.",
        "Den sidste del lægges ind i planen for næste år.",
    ],
)
def test_words_that_name_the_next_period_work_as_its_year(text: str) -> None:
    assert {"next_period", "goes_on"} & _read(text)


# --- words of management English -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Descopet i forbindelse med budgetrevisionen.", "dropped"),
        ("Merget ind i porteføljen for digital borgerservice.", "changed"),
    ],
)
def test_management_english_is_read(text: str, status: str) -> None:
    assert classify_text(text).status == status


def test_texts_are_not_in_the_corpus() -> None:
    quoted = set(re.findall(r'"([^"]+)"', Path(__file__).read_text(encoding="utf-8").lower()))
    assert not quoted & {text.lower() for text in corpus_texts()}
