"""The `maalspor` command: parses options, calls the pipeline, writes the result.

Every command is a thin wrapper over library functions of the package; errors a user can cause
are one line on stderr with a documented exit code (`maalspor.errors.EXIT_CODES`), and a
traceback only with `--debug`. What the commands share (the options declared once, output,
warnings) is in `cli_support.py`.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from maalspor import __version__, errors
from maalspor.cli_support import (
    CONTEXT_SETTINGS,
    Group,
    engine_option,
    is_quiet,
    lang_option,
    max_pages_option,
    ocr_option,
    output_option,
    overrides_option,
    password_option,
    set_verbosity,
    tell,
    threshold_option,
    warn,
    write_or_echo,
)
from maalspor.rules import RulesError, use_rules_file


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
    ctx.obj["verbosity"] = set_verbosity(verbose, quiet)
    if not debug:
        # pdfminer logs every font quirk of a PDF as a warning: noise, not the user's problem.
        logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        use_rules_file(rules_file)  # None: the built-in rules only
    except RulesError as error:
        if debug:
            raise
        click.echo(f"maalspor: {error}", err=True)
        ctx.exit(2)


@main.command()
# maalspor says what is wrong with the file (exit code 3), not click.
@click.argument("file", type=click.Path(allow_dash=True))
@output_option("Write JSON here (- : stdout).")
@password_option("Password of an encrypted PDF.")
@max_pages_option()
@click.option(
    "--max-memory-mb",
    type=click.IntRange(min=0),
    default=2048,
    show_default=True,
    help="Memory (MB) the parse may take beyond what maalspor starts with (0: no limit).",
)
@ocr_option
@engine_option
def parse(
    file: str,
    output: str | None,
    password: str | None,
    max_pages: int,
    max_memory_mb: int,
    engine: str,
    ocr: str,
) -> None:
    """Parse one yearly plan (PDF or .txt) into a JSON document of its goals.

    The document has the plan's title, organisation, unit and period, its sections, every goal
    with its documentation, and the follow-up part on last period's goals with a verdict each.
    FILE "-" reads the plan from standard input (a PDF, or text).

    \b
    Example:
        maalspor parse samples/albertslund-okonomi-og-stab-2015.pdf -o plan-2015.json
        curl -s https://example.dk/plan.pdf | maalspor parse - -o plan.json
        maalspor parse scanned-plan.pdf --ocr always -o plan.json
    """
    from maalspor import parse_plan, parse_plan_bytes
    from maalspor.emit import to_json_bytes
    from maalspor.workers import memory_cap

    with memory_cap(max_memory_mb or None, file):
        if file == "-":
            data = click.get_binary_stream("stdin").read()
            plan = parse_plan_bytes(
                data, password=password, max_pages=max_pages, engine=engine, ocr=ocr
            )
        else:
            plan = parse_plan(file, password=password, max_pages=max_pages, engine=engine, ocr=ocr)
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

    FILES are PDFs, .txt plans, or JSON written by `parse`, in any order: they are ordered by
    period. Every goal gets its verdict from the next plan's follow-up and a fate (continued,
    completed, dropped, missing_successor, ended, open); links say how goals carry on. Of two
    inputs of the same plan (a PDF and its .txt) one is linked. --overrides applies a
    person's decisions.

    \b
    Example:
        maalspor lineage samples/*2015.pdf samples/*2016-2017.pdf -o lineage.json
        maalspor lineage plan-2015.pdf plan-2016-2017.pdf --overrides overrides.toml
    """
    from maalspor import read_plan
    from maalspor.emit import to_json
    from maalspor.match import lineage as build_lineage
    from maalspor.overrides import apply_overrides, load_overrides

    if len(files) < 2:
        raise click.UsageError("lineage needs two or more plans")
    overrides = load_overrides(overrides_file) if overrides_file else None
    plans = [read_plan(f, password=password) for f in files]
    document = build_lineage(plans, threshold=threshold)
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

    from maalspor import read_plan
    from maalspor.diff import TextStyle, render_text
    from maalspor.diff import diff as build_diff
    from maalspor.emit import to_json
    from maalspor.overrides import load_overrides

    if lang != "en" and output_format != "text":
        raise click.UsageError("--lang applies to --format text only (the JSON keeps its codes)")
    overrides = load_overrides(overrides_file) if overrides_file else None
    report = build_diff(
        read_plan(old, password=password),
        read_plan(new, password=password),
        threshold=threshold,
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
    from maalspor.schemas import schema_json

    write_or_echo(schema_json(document), output)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option(
    "-o",
    "--output",
    "outdir",
    required=True,
    metavar="OUTDIR",
    type=click.Path(file_okay=False),
    help="Output folder for plans/, lineage/, reports/, goals.csv, report.html, manifest.json.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Plans parsed at once  [default: number of cores]",
)
@password_option()
@max_pages_option("Fail PDFs with more pages than this.")
@engine_option
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=120.0,
    show_default=True,
    help="Seconds one input may take before it is stopped and failed (0: no limit).",
)
@click.option(
    "--max-memory-mb",
    type=click.IntRange(min=0),
    default=2048,
    show_default=True,
    help="Memory (MB) one parse may take beyond what its worker starts with (0: no limit).",
)
@click.option(
    "--series-map",
    type=click.Path(dir_okay=False),
    help="TOML or JSON file of 'glob = series name' lines that overrides the grouping.",
)
@threshold_option
@lang_option("Language of the status and fate names in goals.csv")
@click.option(
    "--overrides",
    "overrides_file",
    type=click.Path(dir_okay=False),
    help="A TOML file of a person's decisions on links and fates; default: OUTDIR/overrides.toml "
    "when it exists.",
)
@ocr_option
@click.option("--force", is_flag=True, help="Parse every input again, even if unchanged.")
@click.option("-q", "--quiet", is_flag=True, help="No progress; only failed inputs are named.")
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where plans are parsed: worker processes here, or tasks on a Dask cluster "
    "(needs the 'dask' extra).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Dask scheduler (tcp://host:8786) for --executor dask; default: a local cluster of "
    "--jobs workers.",
)
@click.pass_context
def batch(
    ctx: click.Context,
    inputs: tuple[str, ...],
    outdir: str,
    jobs: int | None,
    password: str | None,
    max_pages: int,
    engine: str,
    timeout: float,
    max_memory_mb: int,
    series_map: str | None,
    threshold: float | None,
    lang: str,
    overrides_file: str | None,
    ocr: str,
    force: bool,
    quiet: bool,
    executor: str,
    scheduler: str | None,
) -> None:
    """Parse every plan in folders and files, and link each department's plans across years.

    INPUTS are folders (searched recursively for .pdf and .txt) and files. Writes
    OUTDIR/plans/<name>.json per input; OUTDIR/lineage/<series>.json and
    OUTDIR/reports/<series>.html per series of two or more plans (grouped by organisation and
    unit); OUTDIR/goals.csv (every goal of every lineage, for Excel) and OUTDIR/goals.db (the same
    as SQLite, for datasette or any SQL client), OUTDIR/report.html and
    OUTDIR/manifest.json. A bad input is recorded
    in the manifest and the others go on; the exit code is 8 when any input failed. Inputs
    unchanged since the last run in OUTDIR are not parsed again. With the 'dask' extra, INPUTS
    may be URLs that fsspec opens (s3://bucket/plans/, file:///srv/plans/), and --executor dask
    parses on a Dask cluster; only this command writes OUTDIR.

    Every run applies OUTDIR/overrides.toml (a person's decisions, see `lineage --overrides`)
    to the lineages, unless --overrides names another file.

    \b
    Example:
        maalspor batch samples/ -o outputs/
        maalspor batch plans/ extra.pdf -o outputs/ --jobs 4 --series-map series.toml
        maalspor batch s3://bucket/plans/ -o outputs/ --executor dask --scheduler tcp://h:8786
    """
    import contextlib

    from maalspor.batch import BatchOptions, default_jobs, load_series_map, progress, run_batch

    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler applies to --executor dask only")

    debug = bool(ctx.obj and ctx.obj.get("debug"))
    options = BatchOptions(
        jobs=jobs or default_jobs(),
        password=password,
        max_pages=max_pages,
        timeout=timeout or None,
        max_memory_mb=max_memory_mb or None,
        series_map=load_series_map(series_map) if series_map else (),
        threshold=threshold,
        lang=lang,
        overrides=overrides_file,
        force=force,
        engine=engine,
        ocr=ocr,
    )
    runner = None
    if executor == "dask":
        from maalspor.executors_dask import DaskExecutor

        runner = DaskExecutor(
            options.jobs,
            scheduler=scheduler,
            timeout=options.timeout,
            max_memory_mb=options.max_memory_mb,
        )
    with runner or contextlib.nullcontext():
        manifest = run_batch(
            inputs,
            outdir,
            options,
            executor=runner,
            reporter=progress(quiet=quiet or is_quiet(ctx), debug=debug),
        )
    summary = manifest.summary
    if summary is not None and (summary.failed or summary.lineage_failures):
        ctx.exit(8)


@main.command()
@click.argument("document", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["csv", "jsonl", "sqlite"]),
    default="csv",
    show_default=True,
)
@output_option("Write here (- : stdout; --format sqlite needs a file).")
@click.option(
    "--excel",
    is_flag=True,
    help="CSV for Danish Excel: UTF-8 with BOM, ';' as separator, CRLF line ends.",
)
@lang_option("Language of the status, fate and link kind names in CSV")
def export(document: str, output_format: str, output: str | None, excel: bool, lang: str) -> None:
    """Export a lineage (or plan) JSON as a table: one row per goal, as CSV or JSON Lines, or a
    lineage as an SQLite database (tables plans, goals, follow_ups, links, with full-text search).

    The columns are fixed and in a documented order (README, "maalspor export"); lists are
    joined with " | " in CSV. A plan JSON gives one row per goal and per follow-up entry.
    DOCUMENT "-" reads the JSON from standard input.

    \b
    Example:
        maalspor export lineage.json --format csv --excel --lang da -o goals.csv
        maalspor export lineage.json --format sqlite -o goals.db && datasette goals.db
        maalspor lineage a.pdf b.pdf | maalspor export - --format jsonl
    """
    from maalspor.emit import load_document, read_document
    from maalspor.export import to_csv, to_jsonl
    from maalspor.models import LineageDocument

    if excel and output_format != "csv":
        raise click.UsageError("--excel applies to --format csv only")
    if lang != "en" and output_format != "csv":
        raise click.UsageError("--lang applies to --format csv only (JSON and SQLite keep codes)")
    if output_format == "sqlite" and output in (None, "-"):
        raise click.UsageError("--format sqlite writes a file: give it with -o, e.g. -o goals.db")
    if document == "-":
        loaded = read_document(click.get_text_stream("stdin").read(), "<stdin>")
    else:
        loaded = load_document(document)
    if output_format == "sqlite":
        from maalspor.export_sqlite import write_goals_db

        if not isinstance(loaded, LineageDocument):
            raise click.UsageError(
                f"{document}: a plan document; --format sqlite needs a lineage "
                "(make one with `maalspor lineage`)"
            )
        write_goals_db([loaded], output)  # type: ignore[arg-type]
        return
    text = to_csv(loaded, excel=excel, lang=lang) if output_format == "csv" else to_jsonl(loaded)
    write_or_echo(text, output)


@main.command()
@click.argument("lineage_file", metavar="LINEAGE", type=click.Path(dir_okay=False))
@output_option()
@click.option(
    "--plan",
    "plan_files",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A plan of the lineage (PDF, .txt or parse JSON) to add goal notes; repeatable.",
)
@password_option("Password of encrypted PDFs given with --plan.")
@overrides_option
def report(
    lineage_file: str,
    output: str | None,
    plan_files: tuple[str, ...],
    password: str | None,
    overrides_file: str | None,
) -> None:
    """Write one self-contained HTML page that shows a lineage: plans as columns, links as bands.

    The page needs no network (open it from a USB stick): search, filters, the goals that were
    promised to go on but are missing, and a detail panel with each goal's evidence. Page
    numbers link to that page of the plan's PDF, relative to the report (keep them together).
    Buttons copy ready overrides entries; --overrides applies a person's decisions first.

    \b
    Example:
        maalspor report lineage.json -o report.html
        maalspor report lineage.json --overrides overrides.toml -o report.html
    """
    from maalspor import read_plan
    from maalspor.emit import load_document
    from maalspor.models import LineageDocument
    from maalspor.report import pdf_links, render_report

    loaded = load_document(lineage_file)
    if not isinstance(loaded, LineageDocument):
        raise errors.UnreadableDocumentError(
            f"{lineage_file}: a plan document, not a lineage (make one with `maalspor lineage`)"
        )
    if overrides_file:
        from maalspor.overrides import apply_overrides, load_overrides

        loaded = apply_overrides(loaded, load_overrides(overrides_file))
        tell(overrides=loaded.overrides)
    plans = [read_plan(f, password=password) for f in plan_files]
    # Page numbers link to the PDFs: source paths are as given to `lineage`, so relative to
    # the folder it ran in (taken to be this one) or else to the lineage file's folder.
    files: dict[str, Path] = {}
    for ref in loaded.plans:
        given = Path(ref.source.path)
        beside = Path(lineage_file).parent / given
        files[ref.source.path] = beside if not given.exists() and beside.exists() else given
    report_dir = Path(output).parent if output not in (None, "-") else Path.cwd()
    write_or_echo(render_report(loaded, plans, pdf_links(files, report_dir)), output)


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
    from maalspor.verdicts import BadRecord, input_lines, verdict_of_texts, verdict_records

    if texts and file is not None:
        raise click.UsageError("give FILE or --text, not both")
    if texts:
        records = iter(verdict_of_texts(texts))
        name = "--text"
    elif file in (None, "-"):
        records = verdict_records(click.get_binary_stream("stdin"))
        name = "<stdin>"
    else:
        records = verdict_records(input_lines(file))
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


def run() -> None:  # pragma: no cover - console entry for `python -m maalspor.cli`
    main(prog_name="maalspor")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
