"""The command that serves a lineage for a person to review: review."""

from __future__ import annotations

import sys

import click

from maalspor.cli.app import main
from maalspor.cli.support import is_quiet, lang_option, overrides_option, settings_of, warn
from maalspor.outputs.names import REPORT_LANGUAGE


@main.command()
@click.argument("target", metavar="LINEAGE.json|OUTDIR", type=click.Path())
@overrides_option
@click.option(
    "--series",
    help="With an OUTDIR of several series: the one to review (its id, as in lineage/<id>.json).",
)
@click.option(
    "--plan",
    "plan_files",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A plan of the lineage (PDF, .txt or parse JSON) to add goal notes; repeatable.",
)
@click.option("--host", help="Listen here  [default: 127.0.0.1, this machine only]")
@click.option(
    "--port", type=click.IntRange(0, 65535), help="Listen on this port  [default: any free one]"
)
@click.option("--no-browser", is_flag=True, help="Print the URL only; open no browser.")
@lang_option("Language of the page", default=REPORT_LANGUAGE)
def review(
    target: str,
    overrides_file: str | None,
    series: str | None,
    plan_files: tuple[str, ...],
    host: str | None,
    port: int | None,
    no_browser: bool,
    lang: str,
) -> None:
    """Review a lineage in the browser: confirm, reject and add links, set fates, with a note
    on each; every decision is written at once to the overrides file.

    Serves the report's view on this machine (127.0.0.1) until Ctrl-C; the first line on
    stdout is its URL, with a token for this run. With an OUTDIR of `batch`, decisions go to
    OUTDIR/overrides.toml, which every batch run applies; with a LINEAGE.json, to
    overrides.toml beside it; --overrides names another file. `lineage --overrides` (and
    `batch`) then give the lineage the page showed.

    \b
    Example:
        maalspor review outputs/
        maalspor review lineage.json --overrides decisions.toml --port 8765 --no-browser
    """
    import signal
    import webbrowser

    from maalspor.api import read_plan
    from maalspor.review.app import review_app
    from maalspor.review.server import ReviewServer
    from maalspor.review.target import is_outdir, review_target, series_in

    settings = settings_of().review
    if is_outdir(target) and series is None and len(found := series_in(target)) > 1:
        names = ", ".join(s.id for s in found)
        raise click.UsageError(
            f"{target} holds {len(found)} series ({names}): choose one with --series"
        )
    chosen = review_target(target, overrides_file, series)
    for missing in chosen.sources.missing:
        warn(f"{missing}: PDF not found beside the lineage or from here: its pages get no links")
    plans = [read_plan(f, settings=settings_of()) for f in plan_files]
    app = review_app(chosen, settings, plans, lang)
    host = host or settings.host
    if host in ("0.0.0.0", "::", ""):
        # Requests must name the server's own host (DNS rebinding): a wildcard names none.
        raise click.UsageError("--host: give the address the page is reached at, not a wildcard")
    try:
        server = ReviewServer(app, host, settings.port if port is None else port)
    except OSError as error:
        raise click.UsageError(
            f"cannot listen on {host}:{port or settings.port} ({error.strerror or error})"
        ) from error
    click.echo(server.url)  # the first line of stdout: scripts read it
    sys.stdout.flush()
    if host not in ("127.0.0.1", "localhost", "::1"):
        warn(f"listening on {host}: other machines can reach the page (with the token)")
    if not is_quiet(click.get_current_context()):
        click.echo(f"maalspor: decisions go to {chosen.overrides.path}; Ctrl-C stops", err=True)
    if not no_browser:
        webbrowser.open(server.url)
    # SIGTERM stops it as Ctrl-C does. A decision being written then is lost or written whole:
    # the file is only ever replaced by a renamed complete copy.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
