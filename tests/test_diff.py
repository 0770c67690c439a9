"""diff of two plans: grouping by fate, word-by-word wording changes, the JSON form."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from maalspor.cli import main
from maalspor.match.diffing import diff, word_diff
from maalspor.models.diff import DiffReport
from maalspor.outputs.diff_text import STYLES, TextStyle, render_text
from maalspor.outputs.emit import to_json
from maalspor.settings import MatchingSettings, Settings
from tests.test_golden import GOLDEN
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
    assert (
        diff(
            plan_2015, plan_2016, Settings().replace(matching={"threshold": 0.9})
        ).settings.threshold
        == 0.9
    )
    strict = diff(plan_2015, plan_2016, Settings().replace(matching={"threshold": 0.99}))
    assert len(strict.continued) < len(diff(plan_2015, plan_2016).continued)


# --- the text a person reads: width, colour, language ------------------------------------------

ESCAPE = "\x1b["


@pytest.fixture(scope="module")
def plan_files(tmp_path_factory) -> tuple[str, str]:
    """The 2015 and 2016-2017 plans as parse JSON, so the CLI runs without reading PDFs."""
    plan_2015, plan_2016, _ = series()
    folder = tmp_path_factory.mktemp("plans")
    old, new = folder / "old.json", folder / "new.json"
    old.write_text(to_json(plan_2015), encoding="utf-8")
    new.write_text(to_json(plan_2016), encoding="utf-8")
    return str(old), str(new)


@pytest.mark.parametrize("width", [40, 80, 132])
def test_text_is_wrapped_to_the_width(width: int) -> None:
    plan_2015, plan_2016, _ = series()
    text = render_text(diff(plan_2015, plan_2016), TextStyle(width=width))
    assert max(len(line) for line in text.splitlines()) <= width
    # Nothing is lost: the same characters as the text without wrapping (a word longer than a
    # line is cut).
    assert "".join(text.split()) == "".join(render_text(diff(plan_2015, plan_2016)).split())


def test_old_and_new_text_on_their_own_lines_with_the_changed_words_marked() -> None:
    plan_2015, plan_2016, _ = series()
    lines = render_text(diff(plan_2015, plan_2016)).splitlines()
    at = lines.index("    old: [-Vi vil implementere den vedtagne informationssikkerhedspolitik-]")
    assert lines[at + 1] == (
        "    new: {+Fortsætte implementeringen af informationssikkerhedspolitikken.+}"
    )
    assert lines[at - 1].startswith("- reworded, score ")


def test_colour_marks_words_by_colour_instead_of_brackets() -> None:
    plan_2015, plan_2016, _ = series()
    text = render_text(diff(plan_2015, plan_2016), TextStyle(colour=True))
    removed = click.style(
        "Vi vil implementere den vedtagne informationssikkerhedspolitik", **STYLES["removed"]
    )
    assert removed in text
    assert "[-" not in text and "{+" not in text
    assert click.style("== Dropped (udgået) (", **STYLES["dropped"])[:-4] in text
    assert click.unstyle(text).endswith("green words only in the new goal.\n")


def test_no_link_of_the_rules_lies_below_the_threshold() -> None:
    """One decision over the pair of plans: a link of the rules has the probability the
    threshold asks (a person's link, from an overrides file, may have less), but for the further
    goals of a merge, linked by the assignment's third pass from a lower floor
    (`partial_link_min`) when they supply words the merged goal's first predecessor lacks."""
    plan_2015, plan_2016, _ = series()
    report = diff(plan_2015, plan_2016)
    changes = [*report.continued, *report.split]
    assert changes and all(c.score >= report.settings.threshold for c in changes)
    floor = MatchingSettings().partial_link_min
    assert all(c.score >= floor for c in report.merged)


def test_the_order_of_the_plans_given_does_not_matter() -> None:
    plan_2015, plan_2016, _ = series()
    forward, backward = diff(plan_2015, plan_2016), diff(plan_2016, plan_2015)
    assert forward == backward
    assert render_text(forward) == render_text(backward)
    old, new = (
        str(GOLDEN / f"albertslund-okonomi-og-stab-{p}.json") for p in ("2015", "2016-2017")
    )
    results = [
        CliRunner().invoke(main, ["diff", *files, "--format", format_])
        for format_ in ("json", "text")
        for files in ((old, new), (new, old))
    ]
    assert all(r.exit_code == 0 for r in results)
    assert results[0].output == results[1].output and results[2].output == results[3].output


def test_danish_names_and_headings() -> None:
    plan_2015, plan_2016, _ = series()
    text = render_text(diff(plan_2015, plan_2016), TextStyle(lang="da"))
    assert "== Lovet videreført – mangler: intet nyt mål fundet (" in text
    assert "lovet videreført – mangler" in text  # in the summary line
    assert "vurdering: delvist opfyldt" in text
    assert "status: partially_achieved" not in text and "Continued" not in text


def test_cli_columns_80_gives_no_longer_line(plan_files) -> None:
    for color in (False, True):
        result = CliRunner().invoke(main, ["diff", *plan_files], env={"COLUMNS": "80"}, color=color)
        assert result.exit_code == 0, result.output
        lines = click.unstyle(result.stdout).splitlines()
        assert max(len(line) for line in lines) == 80


def test_cli_colour_only_on_a_terminal_and_never_with_no_color(plan_files, tmp_path) -> None:
    runner = CliRunner()
    terminal = runner.invoke(main, ["diff", *plan_files], color=True, env={"NO_COLOR": None})
    assert terminal.exit_code == 0 and ESCAPE in terminal.stdout
    piped = runner.invoke(main, ["diff", *plan_files], env={"NO_COLOR": None})
    assert piped.exit_code == 0 and ESCAPE not in piped.stdout and "[-" in piped.stdout
    no_color = runner.invoke(main, ["diff", *plan_files], color=True, env={"NO_COLOR": "1"})
    assert no_color.exit_code == 0 and ESCAPE not in no_color.stdout
    assert no_color.stdout == piped.stdout
    out = tmp_path / "diff.txt"
    to_file = runner.invoke(main, ["diff", *plan_files, "-o", str(out)], color=True)
    assert to_file.exit_code == 0 and ESCAPE not in out.read_text(encoding="utf-8")


def test_cli_lang(plan_files) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["diff", *plan_files, "--lang", "da"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Gammel plan: ")
    result = runner.invoke(main, ["diff", *plan_files, "--lang", "da", "--format", "json"])
    assert result.exit_code == 2
