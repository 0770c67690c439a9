"""Segmentation rules on small plans written as text (no geometry needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maalspor.extract.reader import extract
from maalspor.segment.segmenter import segment
from maalspor.verdicts.classifier import classify


def _plan(tmp_path: Path, text: str):
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    return classify(segment(extract(path)))


def test_numbered_labels_and_other_labels(tmp_path):
    plan = _plan(
        tmp_path,
        "Virksomhedsplan for Kultur 2021\n\nAarhus Kommune\n\n1. Læsning\n\n"
        "1. Mål: Flere børn læser hver dag.\n\n"
        "Aktiviteter: Læseklubber på alle biblioteker.\n\n"
        "Succeskriterier: Udlånet af børnebøger stiger med 10 pct.\n\n"
        "Ansvarlig: Biblioteksleder\n\n"
        "2. Mål: Biblioteket er åbent for alle.\n\n"
        "Dokumentation: Åbningstiderne er udvidet.\n",
    )
    assert (plan.organisation, plan.unit, plan.period.label) == ("Aarhus Kommune", "Kultur", "2021")
    assert [(g.section_number, g.text, g.note, g.documentation) for g in plan.goals] == [
        (1, "Flere børn læser hver dag.", None, ["Udlånet af børnebøger stiger med 10 pct."]),
        (1, "Biblioteket er åbent for alle.", None, ["Åbningstiderne er udvidet."]),
    ]


@pytest.mark.parametrize(
    "heading",
    [
        "Opfølgning på Kulturs mål 2020",
        "Status på målene for 2020",
        "Status på mål fra 2020",
        "Opfølgning på målsætningerne 2019/20",
        "Evaluering af indsatserne 2020",
    ],
)
def test_follow_up_headings_in_their_forms(tmp_path, heading):
    plan = _plan(
        tmp_path,
        "Virksomhedsplan for Kultur 2021\n\n1. Læsning\n\nMål: Flere børn læser.\n\n"
        f"{heading}\n\nMål: Vi vil åbne et nyt bibliotek.\n\n"
        "Opfølgning: Målet er nået.\n",
    )
    assert [g.text for g in plan.goals] == ["Flere børn læser."]
    assert [(f.text, f.follow_up, f.status) for f in plan.follow_ups] == [
        ("Vi vil åbne et nyt bibliotek.", "Målet er nået.", "achieved")
    ]
    assert plan.follow_up_period is not None and plan.follow_up_period.end in (2020,)


def test_plain_text_interleaved_table_pairs_goals_with_their_documentation(tmp_path):
    """Plain extraction of a two-column table lists the goals before their documentation."""
    plan = _plan(
        tmp_path,
        "Virksomhedsplan for Stab 2021\n\n1. Drift\n\n"
        "Mål: Første mål\n\nMål: Andet mål\n\nMål: Tredje mål\n\n"
        "Dokumentation:\n\n- Bevis for det første\n\n"
        "Dokumentation:\n\n- Bevis for det andet\n\n"
        "Dokumentation:\n\n- Bevis for det tredje\n",
    )
    assert [(g.text, g.documentation) for g in plan.goals] == [
        ("Første mål", ["Bevis for det første"]),
        ("Andet mål", ["Bevis for det andet"]),
        ("Tredje mål", ["Bevis for det tredje"]),
    ]


def test_a_lead_in_goal_keeps_its_list_as_subgoals_and_its_remark_as_note(tmp_path):
    plan = _plan(
        tmp_path,
        "Virksomhedsplan for Stab 2021\n\n1. Drift\n\nMål:\n\nVi vil:\n"
        "1. Tydeliggøre ledelsesinformationen\n2. Udvikle nøgletal\n\n"
        "Målet er koblet til strategien.\n\nDokumentation: Rapport.\n",
    )
    [goal] = plan.goals
    assert (goal.text, goal.subgoals, goal.note) == (
        "Vi vil:",
        ["Tydeliggøre ledelsesinformationen", "Udvikle nøgletal"],
        "Målet er koblet til strategien.",
    )


def test_table_of_contents_gives_no_goals_or_sections(tmp_path):
    plan = _plan(
        tmp_path,
        "Virksomhedsplan for Stab 2021\n\nIndhold\n\n1. Drift.....3\n2. Udvikling.....4\n\n"
        "1. Drift\n\nMål: Stabil drift.\n\n2. Udvikling\n\nMål: Ny udvikling.\n",
    )
    assert [(s.number, s.title) for s in plan.sections] == [(1, "Drift"), (2, "Udvikling")]
    assert [g.text for g in plan.goals] == ["Stabil drift.", "Ny udvikling."]


def test_text_laid_out_in_columns_is_read_like_the_pdf():
    """`pdftotext -layout` output of the 2016-2017 sample: columns made of runs of spaces.

    Plain text has no fonts, so this is best effort: the goal table's columns must be paired as
    in the PDF, and the goals and follow-ups found; a few texts may differ (a note joined to its
    goal where no blank line separates them).
    """
    from maalspor import parse
    from tests.conftest import SAMPLE_2016

    laid_out = parse(
        Path(__file__).parent / "data" / "albertslund-okonomi-og-stab-2016-2017-layout.txt"
    )
    pdf = parse(SAMPLE_2016)
    assert (len(laid_out.goals), len(laid_out.follow_ups)) == (25, 28)
    assert laid_out.follow_up_period.label == "2015"
    same_goals = sum(a.text == b.text for a, b in zip(laid_out.goals, pdf.goals, strict=True))
    same_docs = sum(
        a.documentation == b.documentation for a, b in zip(laid_out.goals, pdf.goals, strict=True)
    )
    same_follow_ups = sum(
        a.text == b.text for a, b in zip(laid_out.follow_ups, pdf.follow_ups, strict=True)
    )
    assert same_goals >= 23 and same_docs >= 23 and same_follow_ups >= 23


_LINE_KINDS = [
    "Mål:",
    "MÅL",
    "Mål: Flere borgere bruger selvbetjening.",
    "Dokumentation:",
    "Dokumentation: Der er gennemført en måling.",
    "Opfølgning: Målet er nået.",
    "Status: Delvist opfyldt",
    "Aktiviteter: Kurser for alle.",
    "• Der er udarbejdet en plan",
    "- Planen er vedtaget",
    "1. Understøtte ledernes arbejde",
    "2. Drift og udvikling",
    "Opfølgning på mål 2020",
    "Indhold",
    "1. Drift.....3",
    "Målet er nået, og det videreføres i 2022.",
    "Vi vil styrke den digitale dialog med borgerne og virksom-",
    "hederne i hele kommunen.",
    "",
    "\f",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_LINE_KINDS), max_size=60))
def test_any_arrangement_of_plan_lines_segments_without_error(tmp_path_factory, lines):
    """Whatever order labels, headings, lists and text come in, segmentation gives a valid
    document: no crash, no label text inside a goal's own text, ids unique and in order."""
    path = tmp_path_factory.mktemp("fuzz") / "plan.txt"
    path.write_text("Virksomhedsplan for Stab 2021\n\n" + "\n".join(lines), encoding="utf-8")
    plan = classify(segment(extract(path)))
    ids = [g.id for g in [*plan.goals, *plan.follow_ups]]
    assert len(ids) == len(set(ids))
    assert [g.id for g in plan.goals] == [f"G{i:03d}" for i in range(1, len(plan.goals) + 1)]
    for goal in [*plan.goals, *plan.follow_ups]:
        assert not goal.text.startswith(("Mål:", "Dokumentation:", "Opfølgning:"))
        assert all(item.strip() for item in goal.documentation)


def test_goals_written_as_a_list_with_labelled_items(tmp_path):
    plan = _plan(
        tmp_path,
        "Virksomhedsplan for Stab 2021\n\n1. Drift\n\n"
        "• Mål: Stabil drift af alle systemer.\n"
        "• Dokumentation: Oppetiden er over 99 pct.\n\n"
        "• Mål: Færre henvendelser til support.\n"
        "• Dokumentation: Henvendelserne falder med 10 pct.\n",
    )
    assert [(g.text, g.documentation) for g in plan.goals] == [
        ("Stabil drift af alle systemer.", ["Oppetiden er over 99 pct."]),
        ("Færre henvendelser til support.", ["Henvendelserne falder med 10 pct."]),
    ]
