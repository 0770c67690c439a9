"""What the commands of `maalspor` share: the error-rendering group, output to a file or
standard output, the options several commands take (declared once), and messages on stderr
(warnings that -q silences, -v's log records)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, BinaryIO

import click

from maalspor import errors
from maalspor.settings import Settings

if TYPE_CHECKING:
    from maalspor.models.lineage import ExcludedPlan, OverridesRecord

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
# The PDF engines of pipeline/extract/engines (named here so that --help needs no PDF library).
engine_option = click.option(
    "--engine",
    type=click.Choice(["pdfium", "pdfplumber"]),
    default="pdfium",
    show_default=True,
    help="What reads the PDF's text: pdfium (fast, repairs damaged files) or pdfplumber.",
)

# --ocr of parse and batch (maalspor.extract.ocr.OcrMode).
ocr_option = click.option(
    "--ocr",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Read pages by OCR (Tesseract, Danish): auto = pages without a usable text layer.",
)


class Group(click.Group):
    """Turns maalspor's own errors into one line and an exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except errors.MaalsporError as error:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"maalspor: {errors.render(error)}", err=True)
            ctx.exit(error.exit_code)


def binary_stream(name: str) -> BinaryIO:
    """Standard input or output as bytes (click's `get_binary_stream` is deprecated from 8.5);
    under click's `CliRunner` these are its streams."""
    stream = sys.stdin if name == "stdin" else sys.stdout
    return getattr(stream, "buffer", stream)


def write_or_echo(text: str | bytes, output: str | None) -> None:
    """Text (or its UTF-8 bytes) to the file `output`, or to standard output ("-", None)."""
    if output in (None, "-"):
        try:
            if isinstance(text, bytes):
                stream = binary_stream("stdout")
                stream.write(text)
                stream.flush()
            else:
                click.echo(text, nl=False)
                sys.stdout.flush()
        except OSError as error:  # a full disk or a closed pipe behind standard output
            reason = error.strerror or type(error).__name__
            raise errors.OutputError(f"standard output: cannot write it ({reason})") from error
        return
    from maalspor.outputs.emit import write_bytes_atomic

    write_bytes_atomic(output, text if isinstance(text, bytes) else text.encode("utf-8"))


# Options that several commands take, declared once.
def output_option(what: str = "Write here (- : stdout)."):
    return click.option("-o", "--output", type=click.Path(dir_okay=False), help=what)


def password_option(what: str = "Password of encrypted PDFs and Word documents."):
    return click.option("--password", help=what)


def max_pages_option(what: str = "Refuse PDFs with more pages than this."):
    return click.option(
        "--max-pages", type=click.IntRange(min=1), default=2000, show_default=True, help=what
    )


def max_text_mb_option(what: str = "Refuse .txt plans larger than this many MB (0: no limit)."):
    return click.option(
        "--max-text-mb", type=click.FloatRange(min=0), default=10.0, show_default=True, help=what
    )


def with_max_text_mb(settings: Settings, max_text_mb: float) -> Settings:
    """The settings with --max-text-mb (ExtractSettings.max_text_mb)."""
    if settings.extract.max_text_mb == max_text_mb:
        return settings
    return settings.replace(extract={"max_text_mb": max_text_mb})


threshold_option = click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=None,
    help="Lowest probability (0-1) of a link; default: the link model's (cross-validated).",
)


def lang_option(what: str, default: str | None = "en"):
    return click.option(
        "--lang",
        type=click.Choice(["en", "da"]),
        default=default,
        show_default=default is not None,
        help=f"{what} (names in rules/names.toml).",
    )


def settings_of(threshold: float | None = None) -> Settings:
    """The run's settings (built once by the group), with a command's --threshold."""
    ctx = click.get_current_context()
    settings = (ctx.obj or {}).get("settings") or Settings()
    if threshold is not None:
        settings = settings.replace(matching={"threshold": threshold})
    return settings


def is_quiet(ctx: click.Context) -> bool:
    return bool(ctx.obj and ctx.obj.get("verbosity", 0) < 0)


def warn(message: str) -> None:
    """A warning on stderr, unless the global -q asked for errors only."""
    if not is_quiet(click.get_current_context()):
        click.echo(f"maalspor: warning: {message}", err=True)


def set_verbosity(verbose: int, quiet: bool) -> int:
    """-q: errors only; default: warnings; -v: what each stage did (-vv: debug records too)."""
    if verbose and quiet:
        raise click.UsageError("give -v or -q, not both")
    verbosity = -1 if quiet else verbose
    level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    logger = logging.getLogger("maalspor")
    logger.setLevel(level)
    logger.propagate = False
    if not any(isinstance(h, EchoHandler) for h in logger.handlers):
        handler = EchoHandler()
        handler.setFormatter(logging.Formatter("maalspor: %(message)s"))
        logger.addHandler(handler)
    return verbosity


class EchoHandler(logging.Handler):
    """Log records as lines on the stderr of the moment (click's, so CliRunner sees them)."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(self.format(record), err=True)


def overrides_option(function: Callable) -> Callable:
    """The --overrides option, the same on lineage, diff and report."""
    return click.option(
        "--overrides",
        "overrides_file",
        type=click.Path(dir_okay=False),
        help="A TOML file of a person's decisions on links and fates (docs/commands.md, "
        "'Correcting the lineage').",
    )(function)


def tell(excluded: Sequence[ExcludedPlan] = (), overrides: OverridesRecord | None = None) -> None:
    """One line on stderr per input left out and per override not applied as written."""
    from maalspor.match.overrides import notices

    if is_quiet(click.get_current_context()):
        return
    for plan in excluded:
        click.echo(f"maalspor: {plan.path}: left out: {plan.reason}", err=True)
    for line in notices(overrides) if overrides else ():
        warn(line)
