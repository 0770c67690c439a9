"""Readings of the verdicts' eighteenth pass (issue 23): "Det er ikke sådan, at ..." and "Det
passer ikke, at ..." deny the clause after them like "Det er ikke rigtigt, at ..."; a duration in
two units is one number ("9 min. 12 sek."); numbers before a target word that has a number of
its own are results ("19 hændelser, loft 10"); the whole of a count is no result ("81 af 120
... (mål: mindst 95 %)" is 67.5 %); a completion verb before a signed number or a per cent
labels a value ("opnået +5 %"); a question the text leaves open is read by the model.

Every text here is made up for the test and is in none of the corpus rounds
(`test_texts_are_not_in_the_corpus`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maalspor.verdicts.classifier import classify_text, rule_verdicts
from maalspor.verdicts.features import tokenize
from maalspor.verdicts.meaning import meaning_lexicon, read_meanings
from tests.test_verdict_kinds import corpus_texts
from tests.test_verdict_meaning import GOAL_WORDS, SETTINGS
from tests.test_verdict_targets import compared


def _completion_negated(text: str) -> list[bool]:
    reading = read_meanings(tokenize([text])[0], meaning_lexicon(), SETTINGS, GOAL_WORDS)
    return [m.negated for m in reading.meanings if m.meaning == "completion"]


# --- a denied truth: "Det er ikke sådan, at ..." ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Det er ikke sådan, at projektet ikke blev gennemført.",
        "Det passer ikke, at ombygningen ikke blev afsluttet.",
        "Det er ikke rigtigt, at puljen ikke blev udmøntet.",
    ],
)
def test_a_denied_truth_undoes_the_denial_after_it(text: str) -> None:
    assert _completion_negated(text) == [False]


@pytest.mark.parametrize(
    "text",
    [
        # "sådan" inside its clause says "like this", no truth
        "Sådan blev ombygningen ikke afsluttet.",
        "Ombygningen blev ikke afsluttet sådan, som vi havde regnet med.",
    ],
)
def test_sadan_inside_its_clause_denies_nothing(text: str) -> None:
    assert _completion_negated(text) == [True]


def test_a_denied_truth_turns_the_verdict() -> None:
    text = "Det er ikke sådan, at vi ikke nåede målet – alle seks kurser blev holdt før jul."
    assert rule_verdicts([text], SETTINGS)[0].status == "not_achieved"  # the phrase rules' reading
    assert classify_text(text).status == "achieved"


# --- numbers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a duration in two units is one number, in the first unit
        ("Gns. svartid i akuttelefonen: 4 min. 40 sek. Krav: højst 5 min.", [(5, 4.7, True)]),
        ("Behandlingstid 2 timer og 30 min. (mål: højst 2 timer)", [(2, 2.5, False)]),
        # numbers before a target word with its own number are results
        ("Driftsstop i pumpestationerne: 7, loft 12.", [(12, 7, True)]),
        ("Klagesager 31 i alt, maksimum 25.", [(25, 31, False)]),
        # ... and before a bound with its number
        ("Sagsbehandlingstid 17 dage i snit, højst 14 tilladt.", [(14, 17, False)]),
        # a number before a target word without a number of its own shares the target's role
        ("Ni ud af ti ansøgere skulle have svar samme dag. Resultat: 84 %.", [(90, 84, False)]),
    ],
)
def test_results_before_their_targets(text: str, expected: list[tuple[float, float, bool]]) -> None:
    assert compared(text) == expected


@given(
    minutes=st.integers(min_value=1, max_value=59),
    seconds=st.integers(min_value=1, max_value=59),
    ceiling=st.integers(min_value=1, max_value=60),
)
def test_a_duration_is_met_exactly_when_it_is_within_its_ceiling(
    minutes: int, seconds: int, ceiling: int
) -> None:
    text = f"Svartid: {minutes} min. {seconds} sek. Mål: højst {ceiling} min."
    [(target, result, met)] = compared(text)
    assert target == ceiling
    assert abs(result - (minutes + seconds / 60)) < 0.051  # `compared` rounds to one decimal
    assert met == (minutes + seconds / 60 <= ceiling)


def test_a_sign_bound_in_a_table_of_targets() -> None:
    text = "Fravær 2024 – Hjemmeplejen: 8,7 % (mål ≤ 8 %) · Køkkenet: 5,1 % (mål ≤ 6 %)."
    rule = rule_verdicts([text], SETTINGS)[0]
    assert (rule.status, rule.decided_by) == ("partially_achieved", "mixed")


def test_a_clearance_rate_is_better_high() -> None:
    # "cykeltyveri" names a measure better low; the clearance rate of it is better high
    assert (
        rule_verdicts(["Opklaringsprocent, cykeltyveri: 4,2 % (mål: 6 %)"], SETTINGS)[0].status
        == "not_achieved"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # two levels and a target for the change: the change is relative to the earlier level
        (
            "Affald pr. husstand: 410 kg (2023: 480 kg). Mål: mindst 10 % reduktion.",
            [(10, 14.6, True)],
        ),
        ("Restaffald 455 kg (2023: 470 kg). Mål: min. 10 % reduktion.", [(10, 3.2, False)]),
        # a rise is no reduction
        ("Spild i køkkenet: 12,4 t (2023: 11,0 t). Mål: 15 % reduktion.", [(15, -12.7, False)]),
        ("Frivillige 96 (2023: 80). Mål: en stigning på mindst 15 %.", [(15, 20, True)]),
    ],
)
def test_a_change_read_from_two_levels(
    text: str, expected: list[tuple[float, float, bool]]
) -> None:
    assert compared(text) == expected


def test_the_whole_of_a_count_is_no_result() -> None:
    text = "Korrekt udfyldte journaler: 62 af 80 stikprøver (mål: mindst 90 %)."
    # the phrase rules read 80 against 90 before; the share is 77.5 %
    assert rule_verdicts([text], SETTINGS)[0].decided_by != "number"
    assert compared(text) == [(90, 77.5, False)]


def test_a_completion_verb_before_a_signed_number_labels_a_value() -> None:
    text = "Besøgstal: mål +10 %, opnået +4 %."
    assert rule_verdicts([text], SETTINGS)[0].status == "unknown"
    assert rule_verdicts(["Målet er opnået."], SETTINGS)[0].status == "achieved"


# --- continued: a remainder done later, a going-on denied ---------------------------------------


def _goes_on(text: str) -> list[bool]:
    reading = read_meanings(tokenize([text])[0], meaning_lexicon(), SETTINGS, GOAL_WORDS)
    return [m.negated for m in reading.meanings if m.meaning == "goes_on"]


@pytest.mark.parametrize(
    ("text", "goes_on"),
    [
        ("Fire af syv lokalråd har fået ny forretningsorden. De øvrige tre får den i 2026.", True),
        ("Halvdelen af skiltene er skiftet; resten skiftes i 2026.", True),
        # done already, or later in the same year: no remainder carried on
        ("Halvdelen af skiltene blev skiftet i 2024, og resten blev skiftet i 2025.", False),
        ("Halvdelen af skiltene er skiftet; resten skiftes efter sommerferien.", False),
        # a year before the latest the text names is no later period
        ("Resten af de gamle skilte skiftes i 2024. Vi rapporterer næste gang i 2026.", False),
    ],
)
def test_a_remainder_done_in_a_later_year_goes_on(text: str, goes_on: bool) -> None:
    assert (_goes_on(text) == [False]) is goes_on


@pytest.mark.parametrize(
    ("text", "continued"),
    [
        # a going-on denied beats one before it ...
        (
            "Opgaven indgår fremover i kommunens nye klimastrategi og videreføres derfor ikke her.",
            False,
        ),
        # ... not one after it
        (
            "Målet fortsætter ikke i denne form, men arbejdet videreføres i et nyt mål om "
            "tidlig opsporing.",
            True,
        ),
    ],
)
def test_a_going_on_denied_ends_the_goal(text: str, continued: bool) -> None:
    assert rule_verdicts([text], SETTINGS)[0].continued is continued


# --- an open question ----------------------------------------------------------------------------


def test_an_open_question_is_read_by_the_model() -> None:
    text = "Vi er kommet et godt stykke, men det er for tidligt at sige, om målet holder."
    rule = rule_verdicts([text], SETTINGS)[0]
    assert rule.open_question and rule.status == "unknown"
    assert classify_text(text).status == "in_progress"


def test_texts_are_not_in_the_corpus() -> None:
    quoted = set(re.findall(r'"([^"]+)"', Path(__file__).read_text(encoding="utf-8").lower()))
    assert not quoted & {text.lower() for text in corpus_texts()}
