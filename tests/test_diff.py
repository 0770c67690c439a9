"""diff of two plans: grouping by fate, word-by-word wording changes, the JSON form."""

from __future__ import annotations

from models.diff import DiffReport
from pipeline.diff import diff, render_text, word_diff
from tests.test_match import series


def test_word_diff_marks_removed_and_added_words() -> None:
    assert word_diff("Vi vil afprøve nye samarbejdsformer", "Afprøve nye samarbejdsformer") == (
        "[-Vi vil afprøve-] {+Afprøve+} nye samarbejdsformer"
    )
    assert word_diff("a b c", "a b c") == "a b c"


def test_diff_2015_to_2016_groups_goals_by_fate() -> None:
    plan_2015, plan_2016, _ = series()
    report = diff(plan_2015, plan_2016)
    old_goals = (
        sum(len(c.old) for c in report.continued + report.merged + report.split)
        + len(report.completed)
        + len(report.dropped)
        + len(report.missing_successor)
        + len(report.ended)
    )
    assert old_goals == len(plan_2015.goals)
    linked_new = {g.id for c in report.continued + report.merged + report.split for g in c.new}
    assert len(linked_new) + len(report.new_goals) == len(plan_2016.goals)
    security = next(c for c in report.continued if "informationssikkerhedspolitik" in c.old[0].text)
    assert security.word_diff is not None and "{+Fortsætte" in security.word_diff
    assert any("kontantløse" in g.text for g in report.missing_successor)
    assert any("CityWifi" in g.text for g in report.dropped)


def test_diff_shows_merges_and_splits_of_the_synthetic_plan() -> None:
    _, plan_2016, plan_2018 = series()
    report = diff(plan_2016, plan_2018)
    assert any(len(c.old) == 2 and "styringskæde" in c.new[0].text for c in report.merged)
    assert any(
        len(c.new) == 2 and c.old[0].text.startswith("Tage et socialt") for c in report.split
    )
    new_texts = [g.text for g in report.new_goals]
    assert any(t.startswith("Digital post til borgerne") for t in new_texts)


def test_render_text_is_readable_and_the_json_round_trips() -> None:
    plan_2015, plan_2016, _ = series()
    report = diff(plan_2015, plan_2016)
    text = render_text(report)
    for heading in (
        "== Continued (videreført)",
        "== Merged (samlet)",
        "== Split (delt)",
        "== New goals (nye mål)",
        "== Completed (opfyldt)",
        "== Dropped (udgået)",
        "== Declared continued (videreføres) but no successor found",
    ):
        assert heading in text
    assert "[-Vi vil implementere den vedtagne informationssikkerhedspolitik-]" in text
    assert "p. 5" in text  # pages of the printed plan
    assert DiffReport.model_validate_json(report.model_dump_json()) == report


def test_threshold_reaches_the_diff() -> None:
    plan_2015, plan_2016, _ = series()
    assert diff(plan_2015, plan_2016, threshold=0.9).settings.threshold == 0.9
    strict = diff(plan_2015, plan_2016, threshold=0.99)
    assert len(strict.continued) < len(diff(plan_2015, plan_2016).continued)
