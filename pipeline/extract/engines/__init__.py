"""The bottom of extraction: a PDF's pages as characters, rulings and images (`PageContent`).

Two engines read the same things and hand them to one shared word builder (`words.py`):
  - `pdfium` (default): PDFium through pypdfium2, fast and forgiving of damaged files;
  - `pdfplumber`: pdfminer through pdfplumber, pure Python, the reference.
Everything above `PageContent` (tables, columns, reading order, furniture) is shared, and an
OCR source can hand in `PageContent` of its own.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Protocol

from maalspor.extract.engines.words import RawPage, page_content
from maalspor.models.page import PageContent


class Engine(StrEnum):
    PDFIUM = "pdfium"
    PDFPLUMBER = "pdfplumber"


DEFAULT_ENGINE = Engine.PDFIUM


class PdfSource(Protocol):
    """An open PDF. `declared_page_count` is known before the page tree is loaded (for
    --max-pages; None where the PDF does not say); `page_count` may load it."""

    declared_page_count: int | None

    @property
    def page_count(self) -> int: ...

    @property
    def metadata_title(self) -> str | None: ...

    def read_page(self, index: int) -> RawPage:
        """Load page `index` (0-based), read it, and release it."""
        ...

    def page_exists(self, index: int) -> bool:
        """Whether page `index` can be loaded at all (asked of a page that could not be read:
        a page tree may count pages it does not hold)."""
        ...

    def close(self) -> None: ...


def open_pdf(path: Path, password: str | None, engine: Engine | str = DEFAULT_ENGINE) -> PdfSource:
    """Open a PDF with an engine; raises the typed errors of `maalspor.errors` (wrong password,
    encrypted, damaged) the same way under every engine."""
    if Engine(engine) is Engine.PDFPLUMBER:
        from maalspor.extract.engines.plumber import PlumberDocument

        return PlumberDocument(path, password)
    from maalspor.extract.engines.pdfium import PdfiumDocument

    return PdfiumDocument(path, password)


def read_page_content(source: PdfSource, index: int) -> PageContent:
    return page_content(source.read_page(index))


__all__ = ["DEFAULT_ENGINE", "Engine", "PageContent", "PdfSource", "open_pdf", "read_page_content"]
