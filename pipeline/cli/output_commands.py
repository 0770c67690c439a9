"""Commands that write folders, tables and pages: batch, export, report."""

from __future__ import annotations

from pathlib import Path

import click

from maalspor.cli.app import main
from maalspor.cli.support import (
    binary_stream,
    engine_option,
    is_quiet,
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
from maalspor.outputs.names import REPORT_LANGUAGE


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
@max_text_mb_option("Fail .txt plans larger than this many MB (0: no limit).")
@click.option(
    "--series-map",
    type=click.Path(dir_okay=False),
    help="TOML or JSON file of 'glob = series name' lines that overrides the grouping.",
)
@threshold_option
@lang_option(
    "Language of goals.csv's status and fate names and of the reports  "
    "[default: en for goals.csv, da for the reports]",
    default=None,
)
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
    max_text_mb: float,
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

    INPUTS are folders (searched recursively for .pdf, .docx and .txt) and files. Writes
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

    from maalspor.batch.run import BatchOptions, default_jobs, load_series_map, progress, run_batch

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
        settings=with_max_text_mb(settings_of(threshold), max_text_mb),
        lang=lang or "en",
        report_lang=lang or REPORT_LANGUAGE,
        overrides=overrides_file,
        force=force,
        engine=engine,
        ocr=ocr,
    )
    runner = None
    if executor == "dask":
        from maalspor.batch.dask_executor import DaskExecutor

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

    The columns are fixed and in a documented order (docs/commands.md, "export"); lists are
    joined with " | " in CSV. A plan JSON gives one row per goal and per follow-up entry.
    DOCUMENT "-" reads the JSON from standard input.

    \b
    Example:
        maalspor export lineage.json --format csv --excel --lang da -o goals.csv
        maalspor export lineage.json --format sqlite -o goals.db && datasette goals.db
        maalspor lineage a.pdf b.pdf | maalspor export - --format jsonl
    """
    from maalspor.models import LineageDocument
    from maalspor.outputs.emit import load_document, read_document
    from maalspor.outputs.export import to_csv, to_jsonl

    if excel and output_format != "csv":
        raise click.UsageError("--excel applies to --format csv only")
    if lang != "en" and output_format != "csv":
        raise click.UsageError("--lang applies to --format csv only (JSON and SQLite keep codes)")
    if output_format == "sqlite" and output in (None, "-"):
        raise click.UsageError("--format sqlite writes a file: give it with -o, e.g. -o goals.db")
    if document == "-":
        text = binary_stream("stdin").read().decode("utf-8-sig", errors="replace")
        loaded = read_document(text, "<stdin>")
    else:
        loaded = load_document(document)
    if output_format == "sqlite":
        from maalspor.outputs.sqlite import write_goals_db

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
    help="A plan of the lineage (PDF, .docx, .txt or parse JSON) to add goal notes; repeatable.",
)
@password_option("Password of encrypted PDFs or Word documents given with --plan.")
@overrides_option
@lang_option("Language of the page", default=REPORT_LANGUAGE)
def report(
    lineage_file: str,
    output: str | None,
    plan_files: tuple[str, ...],
    password: str | None,
    overrides_file: str | None,
    lang: str,
) -> None:
    """Write one self-contained HTML page that shows a lineage: plans as columns, links as bands.

    The page needs no network (open it from a USB stick): search, filters, the goals that were
    promised to go on but are missing, and a detail panel with each goal's evidence. Page
    numbers link to that page of the plan's PDF, relative to the report (keep them together),
    found from the lineage file's folder or from here; a PDF found nowhere is named. Over three
    or more plans, a table says how long each plan's goals live on. Buttons copy ready
    overrides entries; --overrides applies a person's decisions first (`maalspor review` makes
    them in the page).

    \b
    Example:
        maalspor report lineage.json -o report.html
        maalspor report lineage.json --overrides overrides.toml -o report.html
        maalspor report lineage.json --lang en -o report-en.html
    """
    from maalspor.api import read_plan
    from maalspor.outputs.emit import load_lineage
    from maalspor.outputs.report import pdf_links, render_report
    from maalspor.outputs.sources import locate_sources

    loaded = load_lineage(lineage_file)
    if overrides_file:
        from maalspor.match.overrides import apply_overrides, load_overrides

        loaded = apply_overrides(loaded, load_overrides(overrides_file))
        tell(overrides=loaded.overrides)
    plans = [read_plan(f, password=password, settings=settings_of()) for f in plan_files]
    # Page numbers link to the PDFs, found from the lineage file's folder and from here.
    sources = locate_sources(loaded, lineage_file)
    for missing in sources.missing:
        warn(f"{missing}: PDF not found beside the lineage or from here: its pages get no links")
    report_dir = Path(output).parent if output not in (None, "-") else Path.cwd()
    page = render_report(
        loaded, plans, pdf_links(sources.found, report_dir), lang, missing_pdfs=sources.missing
    )
    write_or_echo(page, output)
