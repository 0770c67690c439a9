"""Limits on what a PDF may make the reader do, whatever the file says about itself.

- `guard_streams`: pdfminer inflates compressed streams with `zlib.decompress`, whole; here it
  inflates them in bounded steps, so a stream beyond `MAX_STREAM_BYTES` is refused
  (`StreamTooLargeError`) before it is inflated whole.
- `check_streams`: the same limit for engines that inflate streams in C (PDFium): every
  compressed stream of the file is inflated once, in bounded steps and without keeping the
  output, before the engine opens it.
- `raise_if_limit`: pdfplumber wraps what pdfminer raises in its own exception, and maalspor
  turns an unreadable page into a warning; running out of memory or past the stream limit is
  unwrapped here and raised as itself, never taken for a page without text.
- `declared_page_count`: the count the page tree declares, read before the tree is loaded, so
  a page limit refuses a 20,000-page file at once; `close_pdf` closes it without loading the
  tree (pdfplumber's `close` loads every page to close it).
"""

from __future__ import annotations

import contextlib
import mmap
import re
import zlib
from pathlib import Path

from maalspor import errors

# A compressed stream may inflate to at most this many bytes. Content streams of real plans
# are well under 1 MB a page and embedded fonts under 30 MB (CJK fonts); image data is not
# inflated by the text reader. A "zip bomb" of 1.5 MB inflates to 1.5 GB.
MAX_STREAM_BYTES = 128 * 1024 * 1024


# Where a stream's data starts ("stream" then CR LF or LF; not the "stream" of "endstream").
_STREAM_START = re.compile(rb"(?<!end)stream\r?\n")
# Bytes fed to the inflater at a time, and most bytes it may hand back from one step.
_FEED = 64 * 1024
_STEP = 4 * 1024 * 1024


def check_streams(path: Path) -> None:
    """Raise StreamTooLargeError when a compressed stream of the file inflates past
    MAX_STREAM_BYTES. Reads the raw bytes (no PDF parser: a damaged file is checked too);
    data that is not zlib (images, fonts in other filters) is passed over at its first bytes."""
    with open(path, "rb") as file:
        try:
            data = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file: nothing to inflate
            return
        with data:
            for match in _STREAM_START.finditer(data):
                _check_stream(data, match.end())


def _check_stream(data: mmap.mmap, start: int) -> None:
    inflater = zlib.decompressobj()
    inflated = 0
    position = start
    while position < len(data) and not inflater.eof:
        pending = data[position : position + _FEED]
        position += len(pending)
        while pending:
            try:
                out = inflater.decompress(pending, _STEP)
            except zlib.error:
                return  # not zlib data, or corrupt: the engine decides what to do with it
            inflated += len(out)
            if inflated > MAX_STREAM_BYTES:
                raise errors.StreamTooLargeError(
                    f"a compressed stream inflates to more than {MAX_STREAM_BYTES >> 20} MB"
                )
            pending = inflater.unconsumed_tail
            if inflater.eof or not out:
                break


class _BoundedInflater:
    """zlib's decompress object that refuses to inflate past MAX_STREAM_BYTES in all."""

    def __init__(self) -> None:
        self._inflater = zlib.decompressobj()
        self._left = MAX_STREAM_BYTES

    @property
    def eof(self) -> bool:
        return self._inflater.eof

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        cap = self._left + 1 if not max_length else min(max_length, self._left + 1)
        out = self._inflater.decompress(data, cap)
        self._left -= len(out)
        if self._left < 0:
            raise errors.StreamTooLargeError(
                f"a compressed stream inflates to more than {MAX_STREAM_BYTES >> 20} MB"
            )
        return out

    def flush(self, *args: int) -> bytes:
        return self._inflater.flush(*args)


class _BoundedZlib:
    """What pdfminer sees as `zlib`: streams are inflated in bounded steps, so one beyond
    MAX_STREAM_BYTES is refused before it is inflated whole (pdfminer calls zlib.decompress)."""

    error = zlib.error

    @staticmethod
    def decompressobj(*args: int) -> _BoundedInflater:
        return _BoundedInflater()

    @staticmethod
    def decompress(data: bytes, *args: int) -> bytes:
        inflater = _BoundedInflater()
        out = inflater.decompress(data)
        if not inflater.eof:  # as zlib.decompress: pdfminer then salvages what it can
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out


def guard_streams() -> None:
    import pdfminer.pdftypes

    pdfminer.pdftypes.zlib = _BoundedZlib  # type: ignore[assignment]


def raise_if_limit(error: BaseException, path: Path) -> None:
    """Out of memory or a stream past the limit, however pdfplumber wrapped it, is that error."""
    found = errors.caused_by(error, MemoryError, errors.StreamTooLargeError)
    if isinstance(found, MemoryError):
        raise errors.OutOfMemoryError(f"{path}: ran out of memory while reading it") from error
    if found is not None:
        message = str(found)
        raise errors.StreamTooLargeError(
            message if message.startswith(f"{path}: ") else f"{path}: {message}"
        ) from error


def declared_page_count(pdf) -> int | None:
    """The page count the PDF's page tree declares (/Pages /Count), read without loading the
    tree; None when it is missing or not a count."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"])
    except Exception:
        return None
    return count if isinstance(count, int) and count >= 0 else None


def close_pdf(pdf) -> None:
    """Close a pdfplumber PDF; its page tree is not loaded to do so."""
    with contextlib.suppress(Exception):  # closing a broken file may raise again
        if hasattr(pdf, "_pages"):
            pdf.close()
        elif not pdf.stream_is_external:
            pdf.stream.close()
