"""The Python API (`import maalspor`; pipeline/api.py): each call on real input, and the
package namespace: installed, maalspor is the only top-level module it adds."""

from __future__ import annotations

import subprocess
import sys

import pytest
from jsonschema import Draft202012Validator

from maalspor import api
from maalspor.outputs.emit import to_json
from tests.conftest import ROOT, SAMPLE_2015, SEED_TEXT, TEXT_2015


def test_parse_a_plan_file_and_its_bytes():
    plan = api.parse(SEED_TEXT)
    assert isinstance(plan, api.PlanDocument)
    assert plan.goals and plan.follow_ups
    assert all(f.status for f in plan.follow_ups)  # classified
    from_bytes = api.parse(SEED_TEXT.read_bytes())
    assert from_bytes.source.path == "-"
    assert to_json(from_bytes.model_copy(update={"source": plan.source})) == to_json(plan)


def test_parse_options_reach_the_pdf_reader():
    with pytest.raises(api.MaalsporError) as caught:
        api.parse(SAMPLE_2015, max_pages=1)
    assert caught.value.kind == "too_many_pages"


def test_lineage_of_paths_and_documents_in_any_order():
    newer = api.parse(SEED_TEXT)
    series = api.lineage([newer, TEXT_2015])
    assert isinstance(series, api.LineageDocument)
    assert [p.period.label for p in series.plans] == ["2015", "2016-2017"]
    assert series.links and all(isinstance(link, api.Link) for link in series.links)
    strict = api.lineage([TEXT_2015, newer], threshold=0.95)
    assert len(strict.links) < len(series.links)
    with pytest.raises(ValueError, match="two or more plans"):
        api.lineage([newer])


def test_diff_and_load(tmp_path):
    older, newer = api.parse(TEXT_2015), api.parse(SEED_TEXT)
    report = api.diff(older, newer)
    assert isinstance(report, api.DiffReport)
    assert report.continued
    path = tmp_path / "plan.json"
    path.write_text(to_json(newer), encoding="utf-8")
    assert api.load(path) == newer


@pytest.mark.parametrize(
    ("text", "status", "continued"),
    [
        ("Målet er nået, og det videreføres i 2017.", "achieved", True),
        ("Målet er ikke nået.", "not_achieved", None),
        ("Arbejdet pågår.", "in_progress", None),
        ("", "unknown", None),
    ],
)
def test_classify_text(text, status, continued):
    verdict = api.classify_text(text)
    assert isinstance(verdict, api.Verdict)
    assert (verdict.status, verdict.continued) == (status, continued)


@pytest.mark.parametrize("name", ["plan", "lineage", "manifest", "diff"])
def test_schemas_are_valid_and_versioned(name):
    schema = api.schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"maalspor/{name}/{api.SCHEMA_VERSION}"


def test_unknown_schema_and_every_exported_name():
    with pytest.raises(ValueError, match="one of diff, lineage, manifest, plan"):
        api.schema("planner")
    for name in api.__all__:
        assert getattr(api, name) is not None, name


def test_importing_the_api_does_not_load_spacy():
    code = "import sys, maalspor; print('spacy' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "False"


def test_the_readme_example_runs_and_prints_what_it_says(monkeypatch, capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(ROOT)
    exec(compile(code, "README.md", "exec"), {"__name__": "readme"})
    printed = capsys.readouterr().out.splitlines()
    promised = [line.split("  # ", 1)[1] for line in code.splitlines() if "print(" in line]
    assert printed[:3] == promised[:3]
    assert printed[3].startswith('{"schema_version":')


def test_star_import_is_quick_and_verdict_still_reachable():
    code = (
        "import sys, maalspor; from maalspor import *; "
        "print('spacy' in sys.modules, 'parse' in dir(), maalspor.Verdict.__name__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.split() == ["False", "True", "Verdict"]


@pytest.mark.parametrize("name", ["pipeline", "models"])
def test_the_repository_folders_are_no_modules_of_their_own(name, tmp_path):
    """`pipeline` and `models` exist only as `maalspor` and `maalspor.models`: importing them
    fails elsewhere (nothing installed under those names) and in the repository itself."""
    for folder in (tmp_path, ROOT):
        run = subprocess.run(
            [sys.executable, "-c", f"import {name}"], capture_output=True, text=True, cwd=folder
        )
        assert run.returncode == 1 and "Error" in run.stderr.splitlines()[-1], (folder, run)


def test_the_package_is_maalspor():
    import maalspor
    import maalspor.models

    assert maalspor.parse is api.parse and maalspor.PlanDocument is maalspor.models.PlanDocument
    assert set(api.__all__) <= set(dir(maalspor))
