"""Errors a user can cause, each with a kind (for manifests) and an exit code (for the CLI).

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
    hint: str | None = None


class InputNotFoundError(MaalsporError):
    kind = "not_found"
    exit_code = 3


class UnreadableInputError(MaalsporError):
    """The input is there but cannot be read: no permission, a symbolic link loop, a folder
    that cannot be listed, or not a regular file (a pipe, a device)."""

    kind = "unreadable"
    exit_code = 3


class EmptyFileError(MaalsporError):
    kind = "empty"
    exit_code = 4


class NotAPdfError(MaalsporError):
    kind = "not_a_pdf"
    exit_code = 4


class NotTextError(MaalsporError):
    """A .txt input that holds binary data or bytes that fit no text encoding maalspor reads."""

    kind = "not_text"
    exit_code = 4


class DamagedPdfError(MaalsporError):
    kind = "damaged"
    exit_code = 4


class EncryptedPdfError(MaalsporError):
    kind = "encrypted"
    exit_code = 5
    hint = "give its password with --password"


class WrongPasswordError(MaalsporError):
    kind = "wrong_password"
    exit_code = 5


class NoTextLayerError(MaalsporError):
    kind = "no_text_layer"
    exit_code = 6


class OcrUnavailableError(MaalsporError):
    """A page needs OCR, but Tesseract, its Danish model or the tesserocr binding is missing."""

    kind = "ocr_unavailable"
    exit_code = 12


class TooManyPagesError(MaalsporError):
    kind = "too_many_pages"
    exit_code = 7
    hint = "raise --max-pages"


class ParseTimeoutError(MaalsporError):
    kind = "timeout"
    exit_code = 7


class StreamTooLargeError(MaalsporError):
    """A compressed PDF stream that would inflate beyond the stream limit (a "zip bomb")."""

    kind = "too_large"
    exit_code = 7


class UnreadableDocumentError(MaalsporError):
    """A JSON input that is not a maalspor document (or of another major schema version)."""

    kind = "bad_document"
    exit_code = 4


class OutputError(MaalsporError):
    """An output file or folder that cannot be written (read-only, disk full, a file in the way)."""

    kind = "write_failed"
    exit_code = 9


class OutOfMemoryError(MaalsporError):
    kind = "memory"
    exit_code = 10
    hint = "raise --max-memory-mb"


class OutputLockedError(MaalsporError):
    """The output folder is in use by another running batch."""

    kind = "locked"
    exit_code = 11


EXIT_CODES = {
    0: "success",
    1: "unexpected error (a bug: please report it with the --debug output)",
    2: "usage error (unknown option, missing argument, unreadable rules or series map file)",
    3: "input not found or not readable",
    4: "input is empty, not a PDF, not text, damaged, or a JSON document maalspor cannot read",
    5: "PDF is encrypted: give --password, or the password was wrong",
    6: "PDF has no text layer (a scan) and OCR is off (--ocr never)",
    7: "input too large: page limit, time limit, or a stream beyond the stream limit",
    8: "batch finished, but one or more inputs failed (see manifest.json)",
    9: "cannot write an output (read-only folder, disk full, a file where a folder should be)",
    10: "out of memory: the parse needed more than --max-memory-mb",
    11: "the output folder is in use by another batch run",
    12: "a page needs OCR, but Tesseract with its Danish model is not installed",
}

# Kinds a batch manifest records that no exception carries: the batch itself finds them.
BATCH_KINDS = {
    "crashed": "the worker parsing the input died (killed by a signal, or exited)",
    "unavailable": "a step of the batch cannot run (a lineage when maalspor.match fails to import)",
}


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
