"""A person's corrections (pipeline/match/overrides.py): read, resolved by id and text, applied.

The plans are the golden parse outputs of the two sample PDFs (tests/golden), so no PDF is
parsed here; renumbering is simulated by removing a goal from a plan and numbering the rest
again, as a better parse that finds one goal more or less would.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from maalspor.cli import main
from maalspor.errors import SamePlanError
from maalspor.match.diffing import diff
from maalspor.match.linker import fate_of, lineage
from maalspor.match.overrides import (
    OverridesError,
    apply_overrides,
    load_overrides,
    parse_overrides,
)
from maalspor.models.lineage import LineageDocument
from maalspor.models.plan import PlanDocument
from maalspor.outputs.diff_text import render_text
from maalspor.outputs.emit import load_plan, to_json
from maalspor.settings import Settings
from tests.conftest import SAMPLE_2016, SEED_TEXT, TEXT_2015
from tests.test_schemas import assert_valid

GOLDEN = Path(__file__).parent / "golden"
P2015 = "albertslund-kommune-okonomi-og-stab-2015"
P2016 = "albertslund-kommune-okonomi-og-stab-2016-2017"
STRATEGY = f"{P2015}/G013"  # "Vi vil udarbejde en strategi for økonomistyring ...": missing
RULES = f"{P2016}/G009"  # "Eftersyn af de økonomiske spilleregler ..."
CASH_FREE = f"{P2015}/G004"  # "ØS vil gøre Kommunens børn kontantløse ...": missing


@pytest.fixture(scope="module")
def plans() -> tuple[PlanDocument, PlanDocument]:
    return (
        load_plan(GOLDEN / "albertslund-okonomi-og-stab-2015.json"),
        load_plan(GOLDEN / "albertslund-okonomi-og-stab-2016-2017.json"),
    )


@pytest.fixture(scope="module")
def base(plans) -> LineageDocument:
    return lineage(list(plans))


def goal(document: LineageDocument, goal_id: str):
    return next(g for g in document.goals if g.id == goal_id)


def entry(kind: str, **fields: str) -> str:
    lines = [
        f"[[{kind}]]",
        *(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in fields.items()),
    ]
    return "\n".join(lines) + "\n"


def link_entry(document, source: str, target: str, action: str, note: str = "") -> str:
    return entry(
        "link",
        **{
            "from": source,
            "from_text": goal(document, source).text[:40],
            "to": target,
            "to_text": goal(document, target).text[:40],
            "action": action,
            "note": note,
        },
    )


def fate_entry(document, goal_id: str, fate: str, note: str = "") -> str:
    return entry(
        "fate", goal=goal_id, goal_text=goal(document, goal_id).text[:40], fate=fate, note=note
    )


def applied(document: LineageDocument, text: str) -> LineageDocument:
    return apply_overrides(document, parse_overrides(tomllib.loads(text), path="o.toml"))


# ---------------------------------------------------------------------------------------------
# add, reject, confirm, fate


def test_add_links_a_missing_goal_and_makes_it_continued(base):
    assert goal(base, STRATEGY).fate == "missing_successor"
    fixed = applied(base, link_entry(base, STRATEGY, RULES, "add", "checked both PDFs"))
    link = next(link for link in fixed.links if (link.from_, link.to) == (STRATEGY, RULES))
    assert (link.decided_by, link.note) == ("person", "checked both PDFs")
    assert all(x.decided_by == "rules" for x in fixed.links if x is not link)
    assert goal(fixed, STRATEGY).fate == "continued"
    assert goal(fixed, STRATEGY).successors == [RULES]
    assert STRATEGY in goal(fixed, RULES).predecessors
    assert fixed.overrides is not None and fixed.overrides.applied == 1
    assert len(fixed.links) == len(base.links) + 1
    assert_valid(to_json(fixed), "lineage")


def test_reject_removes_a_link_and_the_fate_follows(base):
    # A goal declared continued with one successor: without it, it is promised but missing.
    link = next(
        x
        for x in base.links
        if goal(base, x.from_).continued and goal(base, x.from_).successors == [x.to]
    )
    fixed = applied(base, link_entry(base, link.from_, link.to, "reject", "not the same goal"))
    assert (link.from_, link.to) not in {(x.from_, x.to) for x in fixed.links}
    [rejected] = fixed.rejected_links
    assert (rejected.from_, rejected.to, rejected.decided_by) == (link.from_, link.to, "person")
    assert rejected.note == "not the same goal" and rejected.evidence == link.evidence
    assert goal(fixed, link.from_).fate == "missing_successor"
    assert goal(fixed, link.from_).successors == []
    assert link.from_ not in goal(fixed, link.to).predecessors
    # every fate is what the rules say of the links as they now are
    for before, after in zip(base.goals, fixed.goals, strict=True):
        last = after.plan == P2016
        assert after.fate == fate_of(after.continued, after.status, bool(after.successors), last)
        if after.id != link.from_:
            assert after.fate == before.fate
    assert_valid(to_json(fixed), "lineage")


def test_the_last_entry_on_a_pair_decides_it(base):
    """Rejected, then confirmed (a person changing their mind in `maalspor review`): the rules'
    link is back, with its kind and evidence; confirmed, then rejected: it is rejected."""
    link = base.links[0]
    text = link_entry(base, link.from_, link.to, "reject", "no")
    back = applied(base, text + link_entry(base, link.from_, link.to, "confirm", "yes after all"))
    [again] = [x for x in back.links if (x.from_, x.to) == (link.from_, link.to)]
    assert (again.kind, again.evidence, again.score) == (link.kind, link.evidence, link.score)
    assert (again.decided_by, again.note) == ("person", "yes after all")
    assert back.rejected_links == []
    text = link_entry(base, link.from_, link.to, "confirm", "yes")
    gone = applied(base, text + link_entry(base, link.from_, link.to, "reject", "no after all"))
    assert [(x.from_, x.to, x.note) for x in gone.rejected_links] == [
        (link.from_, link.to, "no after all")
    ]


def test_entries_resolve_to_the_goals_they_apply_to(base, plans):
    """`resolve_entries` names the goals each entry applies to, as `apply_overrides` finds
    them: by id and text, after a renumbering too; None for a stale entry or another plan."""
    from maalspor.match.overrides import resolve_entries

    text = (
        link_entry(base, STRATEGY, RULES, "add")
        + fate_entry(base, CASH_FREE, "dropped")
        + entry("fate", goal=f"{P2015}/G002", goal_text="no goal starts like this", fate="ended")
        + entry("fate", goal="other-plan/G001", goal_text="x", fate="ended")
    )
    overrides = parse_overrides(tomllib.loads(text))
    assert resolve_entries(base, overrides) == [(STRATEGY, RULES), (CASH_FREE,), None, None]
    # the 2015 plan without its first goal: every later goal's id is one lower
    rest = plans[0].goals[1:]
    renumbered = [g.model_copy(update={"id": f"G{i:03}"}) for i, g in enumerate(rest, start=1)]
    shifted = lineage([plans[0].model_copy(update={"goals": renumbered}), plans[1]])
    found = resolve_entries(shifted, overrides)
    assert found[0] == (f"{P2015}/G012", RULES) and found[1] == (f"{P2015}/G003",)


def test_reject_of_an_achieved_goal_makes_it_completed(base):
    link = next(
        x
        for x in base.links
        if goal(base, x.from_).status == "achieved"
        and not goal(base, x.from_).continued
        and goal(base, x.from_).successors == [x.to]
    )
    fixed = applied(base, link_entry(base, link.from_, link.to, "reject"))
    assert goal(fixed, link.from_).fate == "completed"


def test_confirm_marks_a_rules_link_and_keeps_it_when_the_rules_lose_it(base, plans):
    link = min(base.links, key=lambda x: x.score)
    fixed = applied(base, link_entry(base, link.from_, link.to, "confirm", "right"))
    confirmed = next(x for x in fixed.links if (x.from_, x.to) == (link.from_, link.to))
    assert (confirmed.decided_by, confirmed.note) == ("person", "right")
    assert (confirmed.kind, confirmed.score, confirmed.evidence) == (
        link.kind,
        link.score,
        link.evidence,
    )
    assert len(fixed.links) == len(base.links)
    # A stricter threshold drops the link; the person's confirmation keeps it.
    strict = lineage(list(plans), Settings().replace(matching={"threshold": 0.99}))
    assert (link.from_, link.to) not in {(x.from_, x.to) for x in strict.links}
    kept = applied(strict, link_entry(base, link.from_, link.to, "confirm"))
    assert (link.from_, link.to) in {(x.from_, x.to) for x in kept.links}
    assert goal(kept, link.from_).fate == "continued"


def test_fate_is_set_after_the_links(base):
    text = fate_entry(base, CASH_FREE, "dropped", "the school project ended") + link_entry(
        base, STRATEGY, RULES, "add"
    )
    fixed = applied(base, text)
    cash = goal(fixed, CASH_FREE)
    assert (cash.fate, cash.decided_by, cash.note) == (
        "dropped",
        "person",
        "the school project ended",
    )
    assert goal(fixed, STRATEGY).decided_by == "rules"  # its fate follows the person's link
    assert fixed.overrides.applied == 2
    assert_valid(to_json(fixed), "lineage")


def test_candidates_are_kept_for_goals_declared_continued(base):
    missing = [g for g in base.goals if g.fate == "missing_successor"]
    assert missing and all(g.candidates for g in missing)
    for g in base.goals:
        assert not g.candidates or g.continued
        assert all(c.to not in g.successors for c in g.candidates)
        scores = [c.score for c in g.candidates]
        assert scores == sorted(scores, reverse=True) and len(scores) <= 3
    # adding a candidate as a link takes its score, and it is no candidate any more
    strategy = goal(base, STRATEGY)
    best = strategy.candidates[0]
    fixed = applied(base, link_entry(base, STRATEGY, best.to, "add"))
    link = next(x for x in fixed.links if (x.from_, x.to) == (STRATEGY, best.to))
    assert link.score == best.score
    assert best.to not in [c.to for c in goal(fixed, STRATEGY).candidates]


def test_a_new_file_replaces_the_decisions_already_in_a_lineage(base):
    """`report --overrides` on a lineage that batch corrected: the old decisions go first."""
    target = next(
        c.to for c in goal(base, STRATEGY).candidates if not goal(base, c.to).predecessors
    )
    old = (
        link_entry(base, STRATEGY, target, "add")
        + link_entry(base, base.links[0].from_, base.links[0].to, "reject")
        + fate_entry(base, CASH_FREE, "dropped")
    )
    new = fate_entry(base, CASH_FREE, "completed", "done after all")
    twice = applied(applied(base, old), new)
    assert to_json(twice) == to_json(applied(base, new))
    assert goal(twice, STRATEGY).candidates == goal(base, STRATEGY).candidates


# ---------------------------------------------------------------------------------------------
# Stale and renumbered


def renumbered(plan: PlanDocument, drop: int) -> PlanDocument:
    """The plan without its goal number `drop` (1-based), the others numbered again."""
    kept = [g for i, g in enumerate(plan.goals, start=1) if i != drop]
    goals = [g.model_copy(update={"id": f"G{i:03}"}) for i, g in enumerate(kept, start=1)]
    return plan.model_copy(update={"goals": goals})


def test_renumbered_goals_are_found_by_their_text(base, plans):
    plan_2015, plan_2016 = plans
    shifted = lineage([plan_2015, renumbered(plan_2016, 3)])
    assert goal(shifted, RULES).text != goal(base, RULES).text
    fixed = applied(shifted, link_entry(base, STRATEGY, RULES, "add"))
    moved_to = f"{P2016}/G008"
    assert goal(fixed, moved_to).text == goal(base, RULES).text
    assert goal(fixed, STRATEGY).successors == [moved_to]
    [notice] = fixed.overrides.moved
    assert notice.entry == "link 1" and RULES in notice.message and moved_to in notice.message
    assert fixed.overrides.stale == []


def test_stale_overrides_are_reported_and_never_applied(base, plans):
    plan_2015, plan_2016 = plans
    removed = goal(base, f"{P2016}/G003")
    shifted = lineage([plan_2015, renumbered(plan_2016, 3)])
    text = (
        link_entry(base, STRATEGY, removed.id, "add")  # its goal is gone
        + fate_entry(base, CASH_FREE, "dropped").replace("ØS vil gøre", "Vi vil gøre")
        + entry("fate", goal="another-plan-2020/G001", goal_text="Noget andet", fate="dropped")
    )
    # a link whose one end moved and whose other end is gone: stale, not moved
    text += link_entry(base, STRATEGY, removed.id, "add").replace(STRATEGY, f"{P2015}/G001")
    fixed = applied(shifted, text)
    assert [n.entry for n in fixed.overrides.stale] == ["link 1", "link 2", "fate 1"]
    assert fixed.overrides.moved == []
    assert "no goal of plan" in fixed.overrides.stale[0].message
    assert fixed.overrides.applied == 0
    [other] = fixed.overrides.other_plans
    assert (other.entry, other.message) == ("fate 2", "no plan another-plan-2020 in this lineage")
    assert fixed.links == shifted.links
    assert [g.fate for g in fixed.goals] == [g.fate for g in shifted.goals]
    assert all(g.decided_by == "rules" for g in fixed.goals)


def test_ambiguous_text_is_stale(base):
    # Two goals of 2015 start with "Vi vil": a renumbered id cannot say which one is meant.
    text = entry("fate", goal=f"{P2015}/G999", goal_text="Vi vil", fate="dropped")
    fixed = applied(base, text)
    [notice] = fixed.overrides.stale
    assert "goals of its plan do" in notice.message


# ---------------------------------------------------------------------------------------------
# Reading the file


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[link]]\nfrom = "a/G1"\nfrom_text = "x"\nto = "b/G2"\nto_text "y"\n', "line 5"),
        ('[[fate]]\ngoal = "a/G1"\ngoal_text = "x"\nfate = "vanished"\n', "fate must be one of"),
        ('[[fate]]\ngoal = "a/G1"\ngoal_text = "x"\nfate = "dropped"\ncolour = "red"\n', "colour"),
        (
            '[[link]]\nfrom = "a/G1"\nfrom_text = "x"\nto = "b/G2"\nto_text = "y"\n'
            'action = "merge"\n',
            "action must be one of add, reject, confirm",
        ),
        ('[[link]]\nfrom = "a/G1"\nfrom_text = "x"\nto = "b/G2"\naction = "add"\n', "to_text"),
        ('[[fate]]\ngoal = "G1"\ngoal_text = "x"\nfate = "dropped"\n', "'<plan id>/<goal id>'"),
        ('[links]\nfrom = "a"\n', "unknown table 'links'"),
    ],
)
def test_bad_files_are_one_line_and_exit_code_2(tmp_path, text, message):
    bad = tmp_path / "overrides.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(OverridesError, match=message):
        load_overrides(bad)
    # the CLI refuses it before reading any plan
    result = CliRunner().invoke(
        main, ["lineage", "no-such.pdf", "none.pdf", "--overrides", str(bad)]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"maalspor: {bad}: ") and result.stderr.count("\n") == 1
    assert message.split("'")[0] in result.stderr


def test_missing_overrides_file_is_exit_code_3(tmp_path):
    result = CliRunner().invoke(
        main, ["lineage", "a.pdf", "b.pdf", "--overrides", str(tmp_path / "none.toml")]
    )
    assert result.exit_code == 3 and "no such overrides file" in result.stderr


# ---------------------------------------------------------------------------------------------
# Commands


@pytest.fixture(scope="module")
def plan_files(plans, tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("plans")
    paths = (folder / "2015.json", folder / "2016-2017.json")
    for plan, path in zip(plans, paths, strict=True):
        path.write_text(to_json(plan), encoding="utf-8")
    return paths


def test_lineage_and_report_commands_apply_the_file(base, plan_files, tmp_path):
    overrides = tmp_path / "overrides.toml"
    overrides.write_text(
        link_entry(base, STRATEGY, RULES, "add", "checked")
        + link_entry(base, STRATEGY, f"{P2016}/G001", "add").replace("Vi vil udarbejde", "Noget")
        + entry("fate", goal="other-2019/G001", goal_text="Noget", fate="dropped"),
        encoding="utf-8",
    )
    runner = CliRunner()
    result = runner.invoke(main, ["lineage", *map(str, plan_files), "--overrides", str(overrides)])
    assert result.exit_code == 0, result.output
    document = LineageDocument.model_validate_json(result.stdout)
    assert goal(document, STRATEGY).successors == [RULES]
    assert document.overrides.path == str(overrides)
    assert [n.entry for n in document.overrides.stale] == ["link 2"]
    assert result.stderr.splitlines() == [
        f"maalspor: warning: {overrides}: link 2: stale, not applied: no goal of plan {P2015} "
        'starts with "Noget en strategi for økonomi"',
        f"maalspor: warning: {overrides}: fate 1: not applied: no plan other-2019 in this lineage",
    ]
    # report: the lineage made without the file, corrected on the way
    lineage_json = tmp_path / "lineage.json"
    lineage_json.write_text(to_json(base), encoding="utf-8")
    result = runner.invoke(main, ["report", str(lineage_json), "--overrides", str(overrides)])
    assert result.exit_code == 0
    assert '"decided_by":"person"' in result.stdout
    assert "Rettelser fra" in result.stdout and "forældet, ikke brugt" in result.stdout


def test_diff_marks_the_persons_decisions_and_shows_candidates(base, plans, tmp_path):
    text = link_entry(base, STRATEGY, RULES, "add", "checked") + fate_entry(
        base, CASH_FREE, "dropped", "ended"
    )
    overrides = parse_overrides(tomllib.loads(text), path="o.toml")
    report = diff(*plans, overrides=overrides)
    change = next(c for c in report.continued if c.old[0].id == STRATEGY)
    assert (change.decided_by, change.note) == ("person", "checked")
    cash = next(g for g in report.dropped if g.id == CASH_FREE)
    assert (cash.decided_by, cash.note) == ("person", "ended")
    assert report.missing_successor and all(g.candidates for g in report.missing_successor)
    first = report.missing_successor[0]
    assert first.candidates[0].score == goal(base, first.id).candidates[0].score
    rendered = render_text(report)
    assert "[decided by a person: checked]" in rendered
    assert "[decided by a person: ended]" in rendered
    assert f"    candidate {first.candidates[0].score:.2f}: " in rendered
    assert "Overrides: o.toml (2 applied, 0 renumbered, 0 stale)" in rendered
    # a rejected link is listed as such
    link = base.links[0]
    rejected = diff(
        *plans,
        overrides=parse_overrides(tomllib.loads(link_entry(base, link.from_, link.to, "reject"))),
    )
    assert [(c.old[0].id, c.new[0].id) for c in rejected.rejected] == [(link.from_, link.to)]
    assert "== Links rejected by a person (1) ==" in render_text(rejected)


# ---------------------------------------------------------------------------------------------
# The same plan twice


def test_lineage_keeps_one_of_the_same_plan_twice(plans, tmp_path):
    plan_2015, plan_2016 = plans
    text_2016 = plan_2016.model_copy(
        update={"source": plan_2016.source.model_copy(update={"path": "plan-2016-2017.txt"})}
    )
    document = lineage([text_2016, plan_2015, plan_2016])
    assert [p.source.path for p in document.plans] == [
        plan_2015.source.path,
        plan_2016.source.path,
    ]
    [excluded] = document.excluded
    assert excluded.path == "plan-2016-2017.txt"
    assert "2016-2017" in excluded.reason and plan_2016.source.path in excluded.reason
    assert document.links == lineage([plan_2015, plan_2016]).links
    assert_valid(to_json(document), "lineage")


def test_lineage_command_with_a_pdf_and_its_text(tmp_path):
    result = CliRunner().invoke(main, ["lineage", str(TEXT_2015), str(SEED_TEXT), str(SAMPLE_2016)])
    assert result.exit_code == 0, result.output
    document = LineageDocument.model_validate_json(result.stdout)
    assert [p.source.path for p in document.plans] == [str(TEXT_2015), str(SAMPLE_2016)]
    assert [p.path for p in document.excluded] == [str(SEED_TEXT)]
    assert result.stderr == (f"maalspor: {SEED_TEXT}: left out: {document.excluded[0].reason}\n")


def test_diff_of_a_plan_with_itself_says_so(plans):
    _, plan_2016 = plans
    with pytest.raises(SamePlanError, match="the same plan"):
        diff(plan_2016, plan_2016)
    result = CliRunner().invoke(main, ["diff", str(SAMPLE_2016), str(SEED_TEXT)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "are the same plan (Albertslund Kommune" in result.stderr
    assert "2016-2017): nothing to compare" in result.stderr


# ---------------------------------------------------------------------------------------------
# batch


def test_batch_rerun_keeps_the_persons_decisions(two_texts, tmp_path):
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(main, ["batch", str(two_texts), "-o", str(out), "-q"]).exit_code == 0
    [path] = (out / "lineage").glob("*.json")
    first = LineageDocument.model_validate_json(path.read_bytes())
    assert first.overrides is None
    missing = next(g for g in first.goals if g.fate == "missing_successor")
    link = first.links[0]
    (out / "overrides.toml").write_text(
        fate_entry(first, missing.id, "dropped", "given up in 2016")
        + link_entry(first, link.from_, link.to, "reject")
        + entry("fate", goal="other-series-2019/G001", goal_text="x", fate="dropped"),
        encoding="utf-8",
    )
    result = runner.invoke(main, ["batch", str(two_texts), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "fate 2: not applied: no series has plan other-series-2019" in result.stderr
    again = LineageDocument.model_validate_json(path.read_bytes())
    assert goal(again, missing.id).fate == "dropped"
    assert goal(again, missing.id).decided_by == "person"
    assert (link.from_, link.to) not in {(x.from_, x.to) for x in again.links}
    assert again.overrides.path == "overrides.toml" and again.overrides.applied == 2
    assert [n.entry for n in again.overrides.other_plans] == ["fate 2"]
    assert_valid(path.read_text(encoding="utf-8"), "lineage")
    report = (out / "reports" / f"{path.stem}.html").read_text(encoding="utf-8")
    assert "Afgjort af en person" in report
    # the file's content is in the lineage: another decision, another lineage
    (out / "overrides.toml").write_text(
        fate_entry(first, missing.id, "completed"), encoding="utf-8"
    )
    assert runner.invoke(main, ["batch", str(two_texts), "-o", str(out), "-q"]).exit_code == 0
    third = LineageDocument.model_validate_json(path.read_bytes())
    assert third.overrides.sha256 != again.overrides.sha256
    assert goal(third, missing.id).fate == "completed"
    assert (link.from_, link.to) in {(x.from_, x.to) for x in third.links}
    # --overrides names another file instead
    other = tmp_path / "mine.toml"
    shutil.copy(out / "overrides.toml", other)
    (out / "overrides.toml").write_text("not toml = = =\n", encoding="utf-8")
    result = runner.invoke(
        main, ["batch", str(two_texts), "-o", str(out), "--overrides", str(other)]
    )
    assert result.exit_code == 0
    bad = runner.invoke(main, ["batch", str(two_texts), "-o", str(out)])
    assert bad.exit_code == 2 and "overrides.toml: not valid TOML" in bad.stderr
    assert "line 1" in bad.stderr
