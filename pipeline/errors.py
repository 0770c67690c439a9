"""Errors a user can cause, each with a kind (for manifests) and an exit code (for the CLI).

The CLI prints `maalspor: <message>` on one line and exits with the code; `--debug` shows the
traceback. Codes are documented in the README ("Exit codes").
"""

from __future__ import annotations


class MaalsporError(Exception):
    """An input or usage problem that is the user's to fix, not a bug."""

    kind = "error"
    exit_code = 1


class InputNotFoundError(MaalsporError):
    kind = "not_found"
    exit_code = 3


class EmptyFileError(MaalsporError):
    kind = "empty"
    exit_code = 4


class NotAPdfError(MaalsporError):
    kind = "not_a_pdf"
    exit_code = 4


class DamagedPdfError(MaalsporError):
    kind = "damaged"
    exit_code = 4


class EncryptedPdfError(MaalsporError):
    kind = "encrypted"
    exit_code = 5


class WrongPasswordError(MaalsporError):
    kind = "wrong_password"
    exit_code = 5


class NoTextLayerError(MaalsporError):
    kind = "no_text_layer"
    exit_code = 6


class OcrUnavailableError(MaalsporError):
    """A page needs OCR, but Tesseract, its Danish model or the tesserocr binding is missing."""

    kind = "ocr_unavailable"
    exit_code = 9


class TooManyPagesError(MaalsporError):
    kind = "too_many_pages"
    exit_code = 7


class ParseTimeoutError(MaalsporError):
    kind = "timeout"
    exit_code = 7


class OutOfMemoryError(MaalsporError):
    kind = "memory"
    exit_code = 7


class UnreadableDocumentError(MaalsporError):
    """A JSON input that is not a maalspor document (or of another major schema version)."""

    kind = "bad_document"
    exit_code = 4


EXIT_CODES = {
    0: "success",
    1: "unexpected error (a bug: please report it with the --debug output)",
    2: "usage error (unknown option, missing argument)",
    3: "input file not found or not readable",
    4: "input is empty, not a PDF, damaged, or a JSON document maalspor cannot read",
    5: "PDF is encrypted: give --password, or the password was wrong",
    6: "PDF has no text layer (a scan) and OCR is off (--ocr never)",
    7: "input too large: page limit, time limit or memory exceeded",
    8: "batch finished, but one or more inputs failed (see manifest.json)",
    9: "a page needs OCR, but Tesseract with its Danish model is not installed",
}
