"""The `maalspor` command: parses options, calls the pipeline, writes the result.

Every command is a thin wrapper over library functions in `pipeline`; errors a user can cause
are one line on stderr with a documented exit code (`pipeline.errors.EXIT_CODES`), and a
traceback only with `--debug`.
"""

from __future__ import annotations

import logging
import sys

import click

from pipeline import __version__, errors
from pipeline.rules import RulesError, use_rules_file

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
# --ocr of parse and batch (pipeline.ocr.OcrMode).
ocr_option = click.option(
    "--ocr",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Read pages by OCR (Tesseract, Danish): auto = pages without a usable text layer.",
)


class _Group(click.Group):
    """Turns maalspor's own errors into one line and an exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (errors.MaalsporError, RulesError) as error:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"maalspor: {error}", err=True)
            code = error.exit_code if isinstance(error, errors.MaalsporError) else 2
            ctx.exit(code)


def _write_or_echo(text: str, output: str | None) -> None:
    if output in (None, "-"):
        click.echo(text, nl=False)
        return
    from pipeline.emit import write_text_atomic

    write_text_atomic(output, text)


@click.group(cls=_Group, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", prog_name="maalspor")
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
@click.option(
    "--rules",
    "rules_file",
    type=click.Path(dir_okay=False),
    envvar="MAALSPOR_RULES",
    help="A TOML file that extends the Danish rules (labels, headings, verdicts, matching).",
)
@click.pass_context
def main(ctx: click.Context, debug: bool, rules_file: str | None) -> None:
    """maalspor: the goals of Danish municipal yearly plans, as data, followed across years.

    \b
    Example:
        maalspor parse samples/albertslund-okonomi-og-stab-2016-2017.pdf -o plan.json
        maalspor lineage plan-2015.pdf plan-2016-2017.pdf -o lineage.json
        maalspor diff plan-2015.pdf plan-2016-2017.pdf
        maalspor batch samples/ -o outputs/
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
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
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write JSON here (- : stdout)."
)
@click.option("--password", help="Password of an encrypted PDF.")
@click.option(
    "--max-pages",
    type=click.IntRange(min=1),
    default=2000,
    show_default=True,
    help="Refuse PDFs with more pages than this.",
)
@ocr_option
def parse(file: str, output: str | None, password: str | None, max_pages: int, ocr: str) -> None:
    """Parse one yearly plan (PDF or .txt) into a JSON document of its goals.

    The document has the plan's title, organisation, unit and period, its sections, every goal
    with its documentation, and the follow-up part on last period's goals with a verdict each.

    \b
    Example:
        maalspor parse samples/albertslund-okonomi-og-stab-2015.pdf -o plan-2015.json
        maalspor parse scanned-plan.pdf --ocr always -o plan.json
    """
    from pipeline import parse_plan
    from pipeline.emit import to_json

    plan = parse_plan(file, password=password, max_pages=max_pages, ocr=ocr)
    for warning in plan.warnings:
        click.echo(f"maalspor: warning: {file}: {warning}", err=True)
    _write_or_echo(to_json(plan), output)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write JSON here (- : stdout)."
)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=None,
    help="Lowest combined score (0-1) for a link; default: the calibrated one.",
)
@click.option("--password", help="Password of encrypted PDFs.")
def lineage(
    files: tuple[str, ...], output: str | None, threshold: float | None, password: str | None
) -> None:
    """Link the goals of two or more plans of one department across years.

    FILES are PDFs, .txt plans, or JSON written by `parse`, in any order: they are ordered by
    period. Every goal gets its verdict from the next plan's follow-up and a fate (continued,
    completed, dropped, missing_successor, ended, open); links say how goals carry on.

    \b
    Example:
        maalspor lineage samples/*2015.pdf samples/*2016-2017.pdf -o lineage.json
    """
    from pipeline import read_plan
    from pipeline.emit import to_json
    from pipeline.match import lineage as build_lineage

    if len(files) < 2:
        raise click.UsageError("lineage needs two or more plans")
    plans = [read_plan(f, password=password) for f in files]
    _write_or_echo(to_json(build_lineage(plans, threshold=threshold)), output)


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
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here (- : stdout).")
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=None,
    help="Lowest combined score (0-1) for a link; default: the calibrated one.",
)
@click.option("--password", help="Password of encrypted PDFs.")
def diff(
    old: str,
    new: str,
    output_format: str,
    output: str | None,
    threshold: float | None,
    password: str | None,
) -> None:
    """Show what became of the goals of OLD in NEW: continued, merged, new, dropped, missing.

    \b
    Example:
        maalspor diff samples/albertslund-okonomi-og-stab-2015.pdf \\
                      samples/albertslund-okonomi-og-stab-2016-2017.pdf
    """
    from pipeline import read_plan
    from pipeline.diff import diff as build_diff
    from pipeline.diff import render_text
    from pipeline.emit import to_json

    report = build_diff(
        read_plan(old, password=password), read_plan(new, password=password), threshold=threshold
    )
    text = render_text(report) if output_format == "text" else to_json(report)
    _write_or_echo(text, output)


@main.command()
@click.argument("document", type=click.Choice(["plan", "lineage", "manifest"]), default="plan")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here (- : stdout).")
def schema(document: str, output: str | None) -> None:
    """Print the JSON Schema of a plan, lineage or batch manifest document.

    \b
    Example:
        maalspor schema lineage -o lineage.schema.json
    """
    from pipeline.schemas import schema_json

    _write_or_echo(schema_json(document), output)


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
@click.option("--password", help="Password of encrypted PDFs.")
@click.option(
    "--max-pages",
    type=click.IntRange(min=1),
    default=2000,
    show_default=True,
    help="Fail PDFs with more pages than this.",
)
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
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=None,
    help="Lowest combined score (0-1) for a link; default: the calibrated one.",
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
    timeout: float,
    max_memory_mb: int,
    series_map: str | None,
    threshold: float | None,
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
    unit); OUTDIR/goals.csv (every goal of every lineage, for Excel), OUTDIR/report.html and
    OUTDIR/manifest.json. A bad input is recorded
    in the manifest and the others go on; the exit code is 8 when any input failed. Inputs
    unchanged since the last run in OUTDIR are not parsed again. With the 'dask' extra, INPUTS
    may be URLs that fsspec opens (s3://bucket/plans/, file:///srv/plans/), and --executor dask
    parses on a Dask cluster; only this command writes OUTDIR.

    \b
    Example:
        maalspor batch samples/ -o outputs/
        maalspor batch plans/ extra.pdf -o outputs/ --jobs 4 --series-map series.toml
        maalspor batch s3://bucket/plans/ -o outputs/ --executor dask --scheduler tcp://h:8786
    """
    import contextlib

    from pipeline.batch import BatchOptions, default_jobs, load_series_map, progress, run_batch

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
        force=force,
        ocr=ocr,
    )
    runner = None
    if executor == "dask":
        from pipeline.executors_dask import DaskExecutor

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
            reporter=progress(quiet=quiet, debug=debug),
        )
    summary = manifest.summary
    if summary is not None and (summary.failed or summary.lineage_failures):
        ctx.exit(8)


@main.command()
@click.argument("document", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["csv", "jsonl"]),
    default="csv",
    show_default=True,
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here (- : stdout).")
@click.option(
    "--excel",
    is_flag=True,
    help="CSV for Danish Excel: UTF-8 with BOM, ';' as separator, CRLF line ends.",
)
def export(document: str, output_format: str, output: str | None, excel: bool) -> None:
    """Export a lineage (or plan) JSON as a table: one row per goal, as CSV or JSON Lines.

    The columns are fixed and in a documented order (README, "maalspor export"); lists are
    joined with " | " in CSV. A plan JSON gives one row per goal and per follow-up entry.

    \b
    Example:
        maalspor export lineage.json --format csv --excel -o goals.csv
    """
    from pipeline.emit import load_document
    from pipeline.export import to_csv, to_jsonl

    if excel and output_format != "csv":
        raise click.UsageError("--excel applies to --format csv only")
    loaded = load_document(document)
    text = to_csv(loaded, excel=excel) if output_format == "csv" else to_jsonl(loaded)
    _write_or_echo(text, output)


@main.command()
@click.argument("lineage_file", metavar="LINEAGE", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here (- : stdout).")
@click.option(
    "--plan",
    "plan_files",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A plan of the lineage (PDF, .txt or parse JSON) to add goal notes; repeatable.",
)
@click.option("--password", help="Password of encrypted PDFs given with --plan.")
def report(
    lineage_file: str, output: str | None, plan_files: tuple[str, ...], password: str | None
) -> None:
    """Write one self-contained HTML page that shows a lineage: plans as columns, links as bands.

    The page needs no network (open it from a USB stick): search, filters, the goals that were
    promised to go on but are missing, and a detail panel with each goal's evidence.

    \b
    Example:
        maalspor report lineage.json -o report.html
    """
    from models import LineageDocument
    from pipeline import read_plan
    from pipeline.emit import load_document
    from pipeline.report import render_report

    loaded = load_document(lineage_file)
    if not isinstance(loaded, LineageDocument):
        raise errors.UnreadableDocumentError(
            f"{lineage_file}: a plan document, not a lineage (make one with `maalspor lineage`)"
        )
    plans = [read_plan(f, password=password) for f in plan_files]
    _write_or_echo(render_report(loaded, plans), output)


def run() -> None:  # pragma: no cover - console entry for `python -m pipeline.cli`
    main(prog_name="maalspor")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
