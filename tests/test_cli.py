"""The command line, in-process through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from maalspor import __version__
from maalspor.cli import main
from tests.conftest import SAMPLE_2015


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_version(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"maalspor, version {__version__}\n"


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help_with_an_example(runner, command):
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
    assert main.commands[command].help, f"{command} has no docstring"


def test_short_help_flag(runner):
    assert runner.invoke(main, ["-h"]).exit_code == 0


def test_parse_to_stdout_and_to_file(runner, tmp_path):
    result = runner.invoke(main, ["parse", str(SAMPLE_2015)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert len(document["goals"]) == 28
    out = tmp_path / "plan.json"
    result = runner.invoke(main, ["parse", str(SAMPLE_2015), "-o", str(out)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8")) == document


def test_missing_file_is_one_line_and_exit_code_3(runner, tmp_path):
    result = runner.invoke(main, ["parse", str(tmp_path / "nope.pdf")])
    assert result.exit_code == 3
    assert result.stderr == f"maalspor: {tmp_path / 'nope.pdf'}: no such file\n"
    assert "Traceback" not in result.output


def test_not_a_pdf_and_debug_traceback(runner, tmp_path):
    bad = tmp_path / "plan.pdf"
    bad.write_text("dette er ikke en pdf", encoding="utf-8")
    result = runner.invoke(main, ["parse", str(bad)])
    assert result.exit_code == 4
    assert result.stderr.count("\n") == 1 and "not a PDF" in result.stderr
    debug = runner.invoke(main, ["--debug", "parse", str(bad)])
    assert debug.exit_code != 0
    assert debug.exception is not None  # the traceback is shown, not swallowed


def test_plan_without_goals_warns_and_writes_empty_lists(runner, tmp_path):
    prose = tmp_path / "note.txt"
    prose.write_text("Referat fra mødet\n\nDer blev drøftet budget.\n", encoding="utf-8")
    result = runner.invoke(main, ["parse", str(prose)])
    assert result.exit_code == 0
    assert "no goals found" in result.stderr
    document = json.loads(result.stdout)
    assert document["goals"] == [] and document["follow_ups"] == []


def test_user_rules_file_extends_labels(runner, tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text(
        "Virksomhedsplan for Kultur 2020\n\n1. Læsning\n\nAmbition: Flere børn læser.\n\n"
        "Dokumentation: Udlånstal.\n",
        encoding="utf-8",
    )
    without = json.loads(runner.invoke(main, ["parse", str(plan)]).stdout)
    assert without["goals"] == []
    rules = tmp_path / "rules.toml"
    rules.write_text('[labels]\ngoal = ["Ambition"]\n', encoding="utf-8")
    result = runner.invoke(main, ["--rules", str(rules), "parse", str(plan)])
    assert result.exit_code == 0, result.output
    goals = json.loads(result.stdout)["goals"]
    assert [(g["text"], g["documentation"]) for g in goals] == [
        ("Flere børn læser.", ["Udlånstal."])
    ]


def test_bad_rules_file_is_a_usage_error(runner, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text("[labels\n", encoding="utf-8")
    result = runner.invoke(main, ["--rules", str(rules), "parse", str(SAMPLE_2015)])
    assert result.exit_code == 2
    assert "not valid TOML" in result.stderr


def test_parse_reads_standard_input(runner):
    from tests.conftest import SEED_TEXT

    result = runner.invoke(main, ["parse", "-"], input=SEED_TEXT.read_bytes())
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    from_file = json.loads(runner.invoke(main, ["parse", str(SEED_TEXT)]).stdout)
    assert document["source"]["path"] == "-"
    assert document["goals"] == from_file["goals"]
    pdf = runner.invoke(main, ["parse", "-"], input=SAMPLE_2015.read_bytes())
    assert pdf.exit_code == 0, pdf.output
    assert len(json.loads(pdf.stdout)["goals"]) == 28
    # Errors name the input as the user gave it, not a temporary file.
    bad = runner.invoke(main, ["parse", "-"], input=b"%PDF-1.4\nbroken")
    assert bad.exit_code == 4
    assert bad.stderr.startswith("maalspor: -: ") and "tmp" not in bad.stderr


def test_verbose_and_quiet_say_more_or_less_on_stderr(runner, tmp_path):
    from tests.conftest import SEED_TEXT

    normal = runner.invoke(main, ["parse", str(SEED_TEXT)])
    verbose = runner.invoke(main, ["-v", "parse", str(SEED_TEXT)])
    assert normal.stderr == ""
    assert verbose.exit_code == 0
    assert f"maalspor: {SEED_TEXT}: extracted " in verbose.stderr
    assert " goals, " in verbose.stderr and verbose.stdout == normal.stdout
    prose = tmp_path / "note.txt"
    prose.write_text("Referat fra mødet\n\nDer blev drøftet budget.\n", encoding="utf-8")
    assert "warning" in runner.invoke(main, ["parse", str(prose)]).stderr
    quiet = runner.invoke(main, ["-q", "parse", str(prose)])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    assert runner.invoke(main, ["-q", "-v", "parse", str(prose)]).exit_code == 2
    # -q keeps errors: one line, as always.
    missing = runner.invoke(main, ["-q", "parse", str(tmp_path / "nope.pdf")])
    assert missing.exit_code == 3 and missing.stderr.count("\n") == 1


def test_shell_completion_script_and_completions(runner):
    script = runner.invoke(
        main, [], prog_name="maalspor", env={"_MAALSPOR_COMPLETE": "bash_source"}
    )
    assert script.exit_code == 0
    assert "_maalspor_completion" in script.stdout and "complete " in script.stdout
    words = runner.invoke(
        main,
        [],
        prog_name="maalspor",
        env={
            "_MAALSPOR_COMPLETE": "bash_complete",
            "COMP_WORDS": "maalspor sch",
            "COMP_CWORD": "1",
        },
    )
    assert "plain,schema" in words.stdout


def test_schema_of_every_document_including_diff(runner):
    from maalspor.outputs.schemas import DOCUMENTS, schema_json

    assert set(main.commands["schema"].params[0].type.choices) == set(DOCUMENTS)
    result = runner.invoke(main, ["schema", "diff"])
    assert result.exit_code == 0
    assert result.stdout == schema_json("diff")
    assert json.loads(result.stdout)["title"] == "DiffReport"


def test_shared_options_read_alike_in_every_command():
    """--password, -o/--output and --threshold are declared once: same help everywhere."""
    helps: dict[str, set[str]] = {}
    for command in main.commands.values():
        for param in command.params:
            if param.name in ("threshold",):
                helps.setdefault(param.name, set()).add(param.help or "")
            if param.name == "output" and "-o" in param.opts:
                assert param.type.dir_okay is False
    assert len(helps["threshold"]) == 1
