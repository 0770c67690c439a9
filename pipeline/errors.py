"""Errors a user can cause, each with a kind (for manifests) and an exit code (for the CLI).

The errors form one hierarchy under `MaalsporError`, grouped by exit-code family: each family
class names its exit code and what it means (`meaning`), and `EXIT_CODES` is derived from the
families, so the table the CLI and the README show cannot drift from the classes. Every error
class of maalspor is in this module.

The library words each error without command-line flags ("the PDF is encrypted"); the CLI
prints `maalspor: <message>` on one line, adds what to do with its flags ("give its password
with --password"), and exits with the code; `--debug` shows the traceback. Codes and kinds are
documented in the README ("Exit codes"), and a test holds the README to this module.
"""

from __future__ import annotations

from collections.abc import Iterator


class MaalsporError(Exception):
    """An input or usage problem that is the user's to fix, not a bug.

    The message says what is wrong, in the library's words; `hint` says what to do about it in
    the command line's words (its flags), and only `render` joins the two.
    """

    kind = "error"
    exit_code = 1
    meaning = "unexpected error (a bug: please report it with the --debug output)"
    hint: str | None = None


# --- families, one per exit code ------------------------------------------------------------


class UsageError(MaalsporError):
    """A command, option or file of settings that cannot be used as given."""

    exit_code = 2
    meaning = (
        "usage error (unknown option, missing argument, unreadable rules, series map or "
        "overrides file, diff of a plan with itself)"
    )


class InputMissingError(MaalsporError):
    exit_code = 3
    meaning = "input not found or not readable"


class BadInputError(MaalsporError):
    exit_code = 4
    meaning = (
        "input is empty, not a PDF, Word document or text, damaged, or a JSON document "
        "maalspor cannot read"
    )


class LockedInputError(MaalsporError):
    exit_code = 5
    meaning = "PDF or Word document is encrypted: give --password, or the password was wrong"


class NoTextError(MaalsporError):
    exit_code = 6
    meaning = (
        "PDF has no text layer (a scan) and OCR is off (--ocr never), or its text cannot be "
        "decoded, lies outside the crop box or is nested too deep to read"
    )


class TooLargeError(MaalsporError):
    exit_code = 7
    meaning = "input too large: page limit, time limit, or a stream beyond the stream limit"


class PartialFailure(MaalsporError):
    """A batch that ran to its end with inputs that failed (their kinds: `BATCH_KINDS` and
    the other errors' kinds, in the manifest)."""

    exit_code = 8
    meaning = "batch finished, but one or more inputs failed (see manifest.json)"


class OutputError(MaalsporError):
    """An output file or folder that cannot be written (read-only, disk full, a file in the way)."""

    kind = "write_failed"
    exit_code = 9
    meaning = (
        "cannot write an output (read-only folder, disk full, a file where a folder should be)"
    )


class OutOfMemoryError(MaalsporError):
    kind = "memory"
    exit_code = 10
    meaning = "out of memory: the parse needed more than --max-memory-mb"
    hint = "raise --max-memory-mb"


class OutputLockedError(MaalsporError):
    """The output folder is in use by another running batch."""

    kind = "locked"
    exit_code = 11
    meaning = "the output folder is in use by another batch run"


class OcrUnavailableError(MaalsporError):
    """A page needs OCR, but Tesseract, its Danish model or the tesserocr binding is missing."""

    kind = "ocr_unavailable"
    exit_code = 12
    meaning = "a page needs OCR, but Tesseract with its Danish model is not installed"


# --- usage (2) ------------------------------------------------------------------------------


class RulesError(UsageError):
    """A user's rules file (--rules) cannot be read or does not fit the built-in rules."""

    kind = "bad_rules"


class SeriesMapError(UsageError):
    """A --series-map file that cannot be read or is not a mapping of globs to names."""

    kind = "bad_series_map"


class MissingExtraError(UsageError):
    """Dask or fsspec is needed (--executor dask, a URL input) but not installed."""

    kind = "missing_extra"


class SchedulerError(UsageError):
    """The Dask scheduler given with --scheduler cannot be reached."""

    kind = "scheduler"


class OverridesError(UsageError):
    """An overrides file that cannot be read, is not TOML, or has an entry that makes no sense."""

    kind = "bad_overrides"


class DecisionError(OverridesError):
    """A decision posted to `maalspor review` that cannot be made: not JSON, an unknown goal or
    field, a link that is not there (the server answers 400 with the message)."""


class SamePlanError(UsageError):
    """OLD and NEW are the same plan (organisation, unit and period): nothing to compare."""

    kind = "same_plan"


# --- the input itself (3, 4) ------------------------------------------------------------------


class InputNotFoundError(InputMissingError):
    kind = "not_found"


class UnreadableInputError(InputMissingError):
    """The input is there but cannot be read: no permission, a symbolic link loop, a folder
    that cannot be listed, or not a regular file (a pipe, a device)."""

    kind = "unreadable"


class EmptyFileError(BadInputError):
    kind = "empty"


class NotAPdfError(BadInputError):
    kind = "not_a_pdf"


class NotTextError(BadInputError):
    """A .txt input that holds binary data or bytes that fit no text encoding maalspor reads."""

    kind = "not_text"


class DamagedPdfError(BadInputError):
    kind = "damaged"


class DamagedDocxError(BadInputError):
    """A Word document (.docx, .docm) whose zip or XML is broken, or that lacks its main part."""

    kind = "damaged"


class LegacyWordError(BadInputError):
    """A Word 97-2003 document (.doc) or an RTF document: formats maalspor does not read."""

    kind = "legacy_doc"
    hint = "convert it to .docx or PDF"


class UnreadableDocumentError(BadInputError):
    """A JSON input that is not a maalspor document (or of another major schema version)."""

    kind = "bad_document"


# --- locked, no text, too large (5, 6, 7) -----------------------------------------------------


class EncryptedPdfError(LockedInputError):
    kind = "encrypted"
    hint = "give its password with --password"


class EncryptedDocxError(LockedInputError):
    """A password-protected Word document (ECMA-376 encryption: the zip inside an OLE file)."""

    kind = "encrypted"
    hint = "give its password with --password"


class WrongPasswordError(LockedInputError):
    kind = "wrong_password"


class NoTextLayerError(NoTextError):
    kind = "no_text_layer"


class TooManyPagesError(TooLargeError):
    kind = "too_many_pages"
    hint = "raise --max-pages"


class ParseTimeoutError(TooLargeError):
    kind = "timeout"


class StreamTooLargeError(TooLargeError):
    """A compressed PDF stream, or a part of a Word document's zip, that would inflate beyond
    its limit (a "zip bomb")."""

    kind = "too_large"


class TextTooLargeError(TooLargeError):
    """A plain-text plan larger than the limit (`ExtractSettings.max_text_mb`)."""

    kind = "too_large"
    hint = "raise --max-text-mb"


# --- derived tables ---------------------------------------------------------------------------

FAMILIES: tuple[type[MaalsporError], ...] = (
    MaalsporError,
    UsageError,
    InputMissingError,
    BadInputError,
    LockedInputError,
    NoTextError,
    TooLargeError,
    PartialFailure,
    OutputError,
    OutOfMemoryError,
    OutputLockedError,
    OcrUnavailableError,
)

EXIT_CODES: dict[int, str] = {0: "success"} | {
    family.exit_code: family.meaning for family in FAMILIES
}

# Kinds a batch manifest records that no exception carries: the batch itself finds them.
BATCH_KINDS = {
    "crashed": "the worker parsing the input died (killed by a signal, or exited)",
    "unavailable": "a step of the batch cannot run (a lineage when maalspor.match fails to import)",
}


def error_classes() -> list[type[MaalsporError]]:
    """Every error class with a kind of its own (the families without one left out)."""
    found: list[type[MaalsporError]] = []
    pending: list[type[MaalsporError]] = [MaalsporError]
    while pending:
        cls = pending.pop(0)
        pending.extend(cls.__subclasses__())
        if cls is MaalsporError or "kind" in cls.__dict__:
            found.append(cls)
    return found


def render(error: MaalsporError) -> str:
    """The one line the CLI prints (and a batch manifest records): message, then the hint."""
    message = " ".join(str(error).split())
    return f"{message}; {error.hint}" if error.hint else message


def caused_by(error: BaseException, *types: type[BaseException]) -> BaseException | None:
    """The first exception of `types` in the error's chain: itself, what it was raised from or
    during, and exceptions wrapped as an argument (pdfplumber's `PdfminerException(e)`)."""
    for item in _chain(error):
        if isinstance(item, types):
            return item
    return None


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    pending = [error]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.extend(a for a in current.args if isinstance(a, BaseException))
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)
