"""Commands over plans: parse, lineage, diff, verdict, schema."""

from __future__ import annotations

import sys

import click

from maalspor import errors
from maalspor.cli.app import main
from maalspor.cli.support import (
    binary_stream,
    engine_option,
    lang_option,
    max_pages_option,
    max_text_mb_option,
    ocr_option,
    output_option,
    overrides_option,
    password_option,
    settings_of,
    tell,
    threshold_option,
    warn,
    with_max_text_mb,
    write_or_echo,
)


@main.command()
# maalspor says what is wrong with the file (exit code 3), not click.
@click.argument("file", type=click.Path(allow_dash=True))
@output_option("Write JSON here (- : stdout).")
@password_option("Password of an encrypted PDF or Word document.")
@max_pages_option()
@click.option(
    "--max-memory-mb",
    type=click.IntRange(min=0),
    default=2048,
    show_default=True,
    help="Memory (MB) the parse may take beyond what maalspor starts with (0: no limit).",
)
@max_text_mb_option()
@ocr_option
@engine_option
def parse(
    file: str,
    output: str | None,
    password: str | None,
    max_pages: int,
    max_memory_mb: int,
    max_text_mb: float,
    engine: str,
    ocr: str,
) -> None:
    """Parse one yearly plan (PDF, Word .docx or .txt) into a JSON document of its goals.

    The document has the plan's title, organisation, unit and period, its sections, every goal
    with its documentation, and the follow-up part on last period's goals with a verdict each.
    FILE "-" reads the plan from standard input (a PDF, a .docx, or text).

    \b
    Example:
        maalspor parse samples/albertslund-okonomi-og-stab-2015.pdf -o plan-2015.json
        curl -s https://example.dk/plan.pdf | maalspor parse - -o plan.json
        maalspor parse scanned-plan.pdf --ocr always -o plan.json
    """
    from maalspor.api import parse as parse_plan
    from maalspor.batch.workers import memory_cap
    from maalspor.outputs.emit import to_json_bytes

    source = binary_stream("stdin").read() if file == "-" else file
    with memory_cap(max_memory_mb or None, file):
        plan = parse_plan(
            source,
            password=password,
            max_pages=max_pages,
            engine=engine,
            ocr=ocr,
            settings=with_max_text_mb(settings_of(), max_text_mb),
        )
    for warning in plan.warnings:
        warn(f"{file}: {warning}")
    write_or_echo(to_json_bytes(plan), output)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@output_option("Write JSON here (- : stdout).")
@threshold_option
@password_option()
@overrides_option
def lineage(
    files: tuple[str, ...],
    output: str | None,
    threshold: float | None,
    password: str | None,
    overrides_file: str | None,
) -> None:
    """Link the goals of two or more plans of one department across years.

    FILES are PDFs, Word documents, .txt plans, or JSON written by `parse`, in any order: they
    are ordered by period. Every goal gets its verdict from the next plan's follow-up and a fate
    (continued, completed, dropped, missing_successor, ended, open); links say how goals carry
    on. Of two inputs of the same plan (a PDF and its .docx or .txt) one is linked. --overrides
    applies a person's decisions.

    \b
    Example:
        maalspor lineage samples/*2015.pdf samples/*2016-2017.pdf -o lineage.json
        maalspor lineage plan-2015.pdf plan-2016-2017.pdf --overrides overrides.toml
    """
    from maalspor.api import read_plan
    from maalspor.match import lineage as build_lineage
    from maalspor.match.overrides import apply_overrides, load_overrides
    from maalspor.outputs.emit import to_json

    if len(files) < 2:
        raise click.UsageError("lineage needs two or more plans")
    settings = settings_of(threshold)
    overrides = load_overrides(overrides_file) if overrides_file else None
    plans = [read_plan(f, password=password, settings=settings) for f in files]
    document = build_lineage(plans, settings)
    if overrides is not None:
        document = apply_overrides(document, overrides)
    tell(document.excluded, document.overrides)
    write_or_echo(to_json(document), output)


@main.command()
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@output_option()
@threshold_option
@password_option()
@lang_option("Language of the status and fate names and the headings of the text")
@overrides_option
def diff(
    old: str,
    new: str,
    output_format: str,
    output: str | None,
    threshold: float | None,
    password: str | None,
    lang: str,
    overrides_file: str | None,
) -> None:
    """Show what became of the goals of OLD in NEW: continued, merged, new, dropped, missing.

    On a terminal the text is wrapped to its width (COLUMNS) and changed words are in colour
    (none when NO_COLOR is set); otherwise changes are marked [-removed-] {+added+}.
    A person's decisions (--overrides) are marked; goals declared continued but missing show
    their best candidates. OLD and NEW must be plans of two periods (exit code 2 otherwise).

    \b
    Example:
        maalspor diff samples/albertslund-okonomi-og-stab-2015.pdf \\
                      samples/albertslund-okonomi-og-stab-2016-2017.pdf
        maalspor diff plan-2015.json plan-2016-2017.json --lang da | less -R
    """
    import os
    import shutil

    from maalspor.api import read_plan
    from maalspor.match import diff as build_diff
    from maalspor.match.overrides import load_overrides
    from maalspor.outputs.diff_text import TextStyle, render_text
    from maalspor.outputs.emit import to_json

    if lang != "en" and output_format != "text":
        raise click.UsageError("--lang applies to --format text only (the JSON keeps its codes)")
    settings = settings_of(threshold)
    overrides = load_overrides(overrides_file) if overrides_file else None
    report = build_diff(
        read_plan(old, password=password, settings=settings),
        read_plan(new, password=password, settings=settings),
        settings,
        overrides=overrides,
    )
    tell(overrides=report.overrides)
    if output_format == "json":
        write_or_echo(to_json(report), output)
        return
    to_stdout = output in (None, "-")
    style = TextStyle(
        lang=lang,
        width=shutil.get_terminal_size().columns if to_stdout else None,
        # click decides whether stdout is a terminal (and CliRunner's color= stands in for one)
        colour=to_stdout
        and not os.environ.get("NO_COLOR")
        and not click.utils.should_strip_ansi(sys.stdout),
    )
    write_or_echo(render_text(report, style), output)


@main.command()
@click.argument(
    "document",
    type=click.Choice(["plan", "lineage", "manifest", "diff", "verdict"]),
    default="plan",
)
@output_option()
def schema(document: str, output: str | None) -> None:
    """Print the JSON Schema of a plan, lineage, batch manifest, `diff --format json` document
    or `verdict` record.

    \b
    Example:
        maalspor schema lineage -o lineage.schema.json
    """
    from maalspor.outputs.schemas import schema_json

    write_or_echo(schema_json(document), output)


@main.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--text",
    "texts",
    multiple=True,
    help="A follow-up text to judge instead of FILE; repeatable.",
)
@output_option()
@click.pass_context
def verdict(ctx: click.Context, file: str | None, texts: tuple[str, ...], output: str | None):
    """Judge follow-up texts from any source: status, continued, evidence and confidence.

    FILE (or stdin, also as -) is JSON Lines: one object per line with "text" and optional "id"
    and "goal". Writes JSON Lines, one record per input line, in input order, with the same
    classifier as `parse`. A bad line (not JSON, not an object, no "text") is named on stderr
    by its line number, the other lines are still answered, and the exit code is 4.

    \b
    Example:
        maalspor verdict --text "Tre ud af fire delmål er opfyldt, resten udskydes til 2018."
        maalspor verdict followups.jsonl -o verdicts.jsonl
        cat followups.jsonl | maalspor verdict > verdicts.jsonl
    """
    from maalspor.verdicts.records import BadRecord, input_lines, verdict_of_texts, verdict_records

    if texts and file is not None:
        raise click.UsageError("give FILE or --text, not both")
    if texts:
        records = iter(verdict_of_texts(texts, settings_of()))
        name = "--text"
    elif file in (None, "-"):
        records = verdict_records(binary_stream("stdin"), settings_of())
        name = "<stdin>"
    else:
        records = verdict_records(input_lines(file), settings_of())
        name = file
    bad = 0
    lines = []
    for record in records:
        if isinstance(record, BadRecord):
            bad += 1
            click.echo(f"maalspor: {name}: line {record.line}: {record.reason}", err=True)
            continue
        line = record.model_dump_json() + "\n"
        if output in (None, "-"):
            click.echo(line, nl=False)  # streamed: a long input shows results as it goes
        else:
            lines.append(line)
    if output not in (None, "-"):
        write_or_echo("".join(lines), output)
    if bad:
        ctx.exit(errors.UnreadableDocumentError.exit_code)


@main.group()
def rules() -> None:
    """Work with the Danish rules (`--rules` files).

    \b
    Example:
        maalspor rules suggest plan.pdf > my-rules.toml
    """


@rules.command()
@click.argument("plan", type=click.Path(dir_okay=False, exists=True))
@password_option()
@output_option("Write the TOML here (- : stdout).")
def suggest(plan: str, password: str | None, output: str | None) -> None:
    """Print the labels.toml entries a plan's own labels need, ready for --rules.

    The label words are discovered from the plan's structure: the same short words opening
    block after block (bold, capitals, before a colon, numbered, or as column headers); the
    one that opens each block is the goal label, the one that follows it the documentation
    label, the one the follow-up part adds the follow-up label. Words the rules know are left
    out.

    \b
    Example:
        maalspor rules suggest plan.pdf -o plan-rules.toml
        maalspor --rules plan-rules.toml parse plan.pdf -o plan.json
    """
    from maalspor.api import suggest_rules

    write_or_echo(suggest_rules(plan, password=password, settings=settings_of()), output)
