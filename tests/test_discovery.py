"""Label words nobody listed (issue 24, class 6): plans printed with made-up field labels that no
rules file holds (`tests/metamorphic.py`, `VOCABULARIES`) in several layouts give their goals,
documentation and follow-ups, with a warning naming the words taken; a plain document without
repeated labels still gives no goals; `maalspor rules suggest` prints the rules they need.
"""

from __future__ import annotations

import dataclasses

import pytest
from click.testing import CliRunner

from maalspor import parse
from maalspor.cli import main
from maalspor.extract.reader import extract
from maalspor.segment.segmenter import segment
from tests import metamorphic as M

MADE_UP = range(1, len(M.VOCABULARIES))
LAYOUTS = ("inline", "own_line", "bold", "upper", "grid", "key_value")
MIN_SHARE = 0.97


def test_the_made_up_vocabularies_are_in_no_rules_file():
    from maalspor.segment.labels import label_of

    assert len(MADE_UP) >= 5
    for index in MADE_UP:
        for word in M.VOCABULARIES[index]:
            assert label_of(f"{word.replace(' #', '')}:") is None or word.startswith("Resultat")


@pytest.mark.parametrize("labels", LAYOUTS)
@pytest.mark.parametrize("vocabulary", MADE_UP)
def test_plans_in_labels_nobody_listed_give_their_goals(vocabulary, labels, tmp_path):
    base = M.Style(labels=labels, vocabulary=vocabulary, frame_height=260.0)
    exact = total = 0
    for number, style in enumerate(M.sweep(base, 21, 12.5)[::5]):
        path = tmp_path / f"v{number}.pdf"
        M.render(style, path)
        plan = segment(extract(path))
        got, want = M.parsed(plan), M.expected(style)
        total += len(want["goals"]) + len(want["follow_ups"])
        exact += sum(g in got["goals"] for g in want["goals"])
        exact += sum(f in got["follow_ups"] for f in want["follow_ups"])
        (warning,) = [w for w in plan.warnings if "labels discovered" in w]
        goal_word = M.VOCABULARIES[vocabulary][0].replace(" #", "")
        assert f"'{goal_word}' → goal" in warning
    assert exact / total >= MIN_SHARE


def test_without_discovery_such_a_plan_gives_no_goals(tmp_path):
    path = tmp_path / "plan.pdf"
    M.render(M.Style(vocabulary=3), path)
    document = extract(path)
    from maalspor.segment.discovery import has_goal_label

    assert not has_goal_label(document)


def test_a_plain_document_still_gives_no_goals(tmp_path):
    path = tmp_path / "notat.txt"
    path.write_text(
        "Notat om budgettet 2017\n\n"
        "Kommunen har i 2016 brugt færre penge end ventet. Det skyldes især lavere udgifter "
        "til energi.\n\nBaggrund: Udvalget bad om et notat.\n\n"
        "Økonomiudvalget behandler sagen i marts. Forvaltningen anbefaler at overføre "
        "mindreforbruget.\n\nVi følger udviklingen hver måned.\n",
        "utf-8",
    )
    plan = parse(path)
    assert plan.goals == [] and plan.follow_ups == []
    assert any(w.startswith("no goals found") for w in plan.warnings)
    assert not any("labels discovered" in w for w in plan.warnings)


def test_a_plan_with_known_labels_is_read_as_before(tmp_path):
    path = tmp_path / "plan.pdf"
    M.render(M.Style(labels="grid"), path)
    plan = segment(extract(path))
    assert M.differences(M.parsed(plan), M.expected()) == []
    assert not any("labels discovered" in w for w in plan.warnings)


def test_rules_suggest_prints_a_rules_file_that_reads_the_plan(tmp_path):
    path = tmp_path / "plan.pdf"
    style = dataclasses.replace(M.Style(labels="grid", vocabulary=2))
    M.render(style, path)
    rules_file = tmp_path / "rules.toml"
    runner = CliRunner()
    result = runner.invoke(main, ["rules", "suggest", str(path), "-o", str(rules_file)])
    assert result.exit_code == 0, result.output
    text = rules_file.read_text("utf-8")
    assert text.splitlines()[1:] == [
        "[labels]",
        'goal = ["Det vil vi"]',
        'documentation = ["Tegn på succes"]',
        'follow_up = ["Resultat pr. 31.12."]',
    ]
    parsed = runner.invoke(main, ["-q", "--rules", str(rules_file), "parse", str(path)])
    assert parsed.exit_code == 0, parsed.output
    assert '"labels discovered' not in parsed.output
    assert parsed.output.count('"id": "G0') == 4


def test_rules_suggest_on_a_plan_whose_labels_are_known(tmp_path):
    path = tmp_path / "plan.pdf"
    M.render(M.Style(), path)
    result = CliRunner().invoke(main, ["rules", "suggest", str(path)])
    assert result.exit_code == 0
    assert result.output == "# plan.pdf: no label words that the rules do not know already\n"
