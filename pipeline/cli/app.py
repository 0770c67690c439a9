"""The `maalspor` command group: global options, the settings built once, errors as one line.

Every command is a thin wrapper over library functions of the package (`plan_commands.py`:
parse, lineage, diff, verdict, schema; `output_commands.py`: batch, export, report); errors a
user can cause are one line on stderr with a documented exit code (`maalspor.errors`), and a
traceback only with `--debug`. What the commands share (options declared once, output,
warnings) is in `support.py`.
"""

from __future__ import annotations

import logging

import click

from maalspor.cli.support import (
    CONTEXT_SETTINGS,
    Group,
    set_verbosity,
)
from maalspor.rules import use_rules_file
from maalspor.settings import Settings
from maalspor.version import __version__


@click.group(cls=Group, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", prog_name="maalspor")
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
@click.option("-v", "--verbose", count=True, help="More on stderr: what each step did.")
@click.option("-q", "--quiet", is_flag=True, help="Less on stderr: errors only, no warnings.")
@click.option(
    "--rules",
    "rules_file",
    type=click.Path(dir_okay=False),
    envvar="MAALSPOR_RULES",
    help="A TOML file that extends the Danish rules (labels, headings, verdicts, matching).",
)
@click.pass_context
def main(
    ctx: click.Context, debug: bool, verbose: int, quiet: bool, rules_file: str | None
) -> None:
    """maalspor: the goals of Danish municipal yearly plans, as data, followed across years.

    \b
    Example:
        maalspor parse samples/albertslund-okonomi-og-stab-2016-2017.pdf -o plan.json
        maalspor lineage plan-2015.pdf plan-2016-2017.pdf -o lineage.json
        maalspor diff plan-2015.pdf plan-2016-2017.pdf
        maalspor batch samples/ -o outputs/

    Shell completion (bash; zsh and fish alike): eval "$(_MAALSPOR_COMPLETE=bash_source maalspor)"
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    ctx.obj["settings"] = Settings()  # the defaults: built once, passed to every stage
    ctx.obj["verbosity"] = set_verbosity(verbose, quiet)
    if not debug:
        # pdfminer logs every font quirk of a PDF as a warning: noise, not the user's problem.
        logging.getLogger("pdfminer").setLevel(logging.ERROR)
    use_rules_file(rules_file)  # None: the built-in rules only
