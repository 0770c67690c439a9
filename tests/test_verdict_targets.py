"""Which number of a follow-up is the target and which the result (`maalspor.verdicts.targets`),
and the times of the year that order a follow-up's events (`maalspor.verdicts.meaning`).

Every text here is made up for the test and is in none of the corpus rounds
(`test_texts_are_not_in_the_corpus`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from maalspor.settings import VerdictSettings
from maalspor.verdicts.features import tokenize
from maalspor.verdicts.meaning import meaning_lexicon, read_meanings
from maalspor.verdicts.targets import compare, read_quantities
from tests.test_verdict_kinds import corpus_texts

SETTINGS = VerdictSettings()


def compared(text: str) -> list[tuple[float, float, bool]]:
    comparisons, _ = compare(tokenize([text])[0], meaning_lexicon(), SETTINGS)
    return [(c.target.value, round(c.result.value, 1), c.met) for c in comparisons]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a target in one sentence, its result after a result word in the next
        ("Mindst 80 % af borgerne skulle svare. Opnået: 72 %.", [(80, 72, False)]),
        # a count in words is a share; a weak result word after a target word is none
        (
            "Målet var, at tre ud af fire ansøgninger afgøres inden fristen. Resultatet blev 81 %.",
            [(75, 81, True)],
        ),
        # the latest year's value is the result; the year before is an earlier value
        ("Ventetid højst 10 dage. 2024: 8 dage (2023: 12 dage).", [(10, 8, True)]),
        # "under" is strict: the target itself misses it
        ("Svartid: mål under 5 dage. Faktisk: 5 dage.", [(5, 5, False)]),
        # "fra A til B" in a target: B is the target and less is better
        ("Klagerne skulle halveres fra 40 til 20. Vi endte på 26.", [(20, 26, False)]),
        # a share in words against a count
        ("Målet: mindst halvdelen af skolerne. Status: 9 af 16 skoler.", [(50, 56.2, True)]),
        # a target for a change takes the change the text reports
        (
            "Udledningen skulle reduceres med mindst 10 %. Opgørelsen viser en reduktion på 12 %.",
            [(10, 12, True)],
        ),
        # a change in percentage points and a value of the year before are never the result
        (
            "Andelen skulle op på 70 %. I 2024 nåede den 66 %, "
            "2 procentpoint mere end 64 % året før.",
            [(70, 66, False)],
        ),
        # "hver fjerde" is a share
        ("Højst hver fjerde sag må overskride fristen. Opgjort: 19 %.", [(25, 19, True)]),
    ],
)
def test_a_result_is_read_against_its_target(
    text: str, expected: list[tuple[float, float, bool]]
) -> None:
    assert compared(text) == expected


def test_dates_school_years_and_references_are_no_numbers() -> None:
    text = "Pr. 31.12. var skoleåret 23/24 omfattet af § 140 i 1. halvår"
    assert read_quantities(tokenize([text])[0], meaning_lexicon(), SETTINGS) == []


def test_a_short_measure_word_names_a_measure_only_at_a_word_end() -> None:
    # "indkøb" holds "kø" (a queue: less is better), but is no queue: more is better
    assert compared("Andel af indkøb via aftaler: mål 90 %, opnået 87 %.") == [(90, 87, False)]


def test_the_latest_time_of_the_year_is_the_later_event() -> None:
    text = "Ordningen blev indført i februar. I oktober blev den stoppet igen."
    reading = read_meanings(tokenize([text])[0], meaning_lexicon(), SETTINGS, frozenset())
    stop = [m for m in reading.meanings if m.meaning == "stop"]
    done = [m for m in reading.meanings if m.meaning == "completion"]
    assert stop and all(m.later and not m.earlier for m in stop)
    assert done and all(m.earlier for m in done)


def test_one_time_of_the_year_orders_nothing() -> None:
    text = "Ordningen blev indført i februar og stoppet igen."
    reading = read_meanings(tokenize([text])[0], meaning_lexicon(), SETTINGS, frozenset())
    assert not any(m.earlier for m in reading.meanings)


def test_an_earlier_year_is_an_earlier_event() -> None:
    text = "Ambitionen blev ikke indfriet i 2021. I 2022 kom vi helt i mål med den."
    reading = read_meanings(tokenize([text])[0], meaning_lexicon(), SETTINGS, frozenset())
    missed = [m for m in reading.meanings if m.meaning == "completion" and m.negated]
    reached = [m for m in reading.meanings if m.meaning == "completion" and not m.negated]
    assert missed and all(m.earlier for m in missed)
    assert reached and not any(m.earlier for m in reached)
    # the latest year is often the coming period (an intention), so it marks no later event
    assert not any(m.later for m in reached)


def test_texts_are_not_in_the_corpus() -> None:
    source = Path(__file__).read_text(encoding="utf-8").lower()
    for text in corpus_texts():
        assert f'"{text}"' not in source
