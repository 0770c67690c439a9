"""Stage 1: a plan file → its text in reading order with geometry (`DocumentText`).

For a PDF, an engine (`engines/`: PDFium by default, or pdfplumber) gives each page's
words with their position and font, and the ruling lines (`PageContent`). From them, page by
page:
  1. ruled tables (pdfplumber's table finder on the ruling lines): each cell becomes a block
     (`pipeline/extract/cells.py`);
  2. footnotes are set aside, and the remaining words are grouped into rows, the page's text
     columns found as vertical gutters, and the blocks put in reading order by bands and
     columns (`pipeline/extract/columns.py`). A page is laid out once the next one is read: a page
     too short to show its columns takes the gutters of the page before or after it;
  3. running headers and footers are removed after the last page, when repetition can be seen
     (`pipeline/extract/furniture.py`).
Pages without a usable text layer are read by OCR (`ocr.py`) and laid out the same way.
Extraction is geometric: it reads no labels. Which bands are tables drawn without rulings (labels
side by side) is decided by the layout analysis, `pipeline/segment/layout.py`.
Each page is released as soon as it is read, so memory stays flat on long documents.

A plain text file (`.txt`) is read by `pipeline/extract/textfile.py`, a Word document (`.docx`,
`.docm`) by `pipeline/extract/docx/`, which gives the same blocks from the document's own
structure.
"""

from __future__ import annotations

import contextlib
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from maalspor import errors
from maalspor.extract.cells import table_blocks
from maalspor.extract.columns import Item, Word, cut_rows, order_items
from maalspor.extract.docx import extract_docx, looks_like_word
from maalspor.extract.engines import DEFAULT_ENGINE, Engine, open_pdf, read_page_content
from maalspor.extract.engines.tables import find_tables
from maalspor.extract.files import check_file, sha256_of
from maalspor.extract.footnotes import without_footnotes
from maalspor.extract.furniture import remove_furniture
from maalspor.extract.gutters import Gutter, Row, find_gutters, grid_gutters, group_rows
from maalspor.extract.headers import HeaderTable, header_tables
from maalspor.extract.notes import PageNotes, is_garbled, is_undecodable, ranges
from maalspor.extract.ocr import OcrMode, check_available, ocr_page
from maalspor.extract.pdfguard import raise_if_limit
from maalspor.extract.textfile import extract_text_file
from maalspor.models.common import Source
from maalspor.models.page import DocumentText, PageContent, PageText, Ruling
from maalspor.settings import ExtractSettings, OcrSettings, Settings

# A PDF says so in its first kilobyte ("%PDF-1.7"); anything else is read as text.
PDF_HEADER = b"%PDF-"
_PDF_HEADER_WITHIN = 1024


def extract(
    path: str | Path,
    *,
    password: str | None = None,
    max_pages: int | None = None,
    engine: Engine | str = DEFAULT_ENGINE,
    ocr: OcrMode | str = OcrMode.AUTO,
    settings: Settings | None = None,
) -> DocumentText:
    """Read a plan (PDF, Word document or .txt) into lines in reading order, grouped in blocks.

    What the file is, is read from its first bytes (a .txt by its name): a PDF, a Word document
    (a zip, or an encrypted one; `password` opens either), else an error that says what it is.
    `engine` reads the PDF's characters ("pdfium", the default, or "pdfplumber"); `ocr`:
    "auto" reads pages without a usable text layer (images only, or undecodable text) by OCR,
    "always" every page, "never" none (such pages then have no text). `settings`: its
    `extract` part holds the thresholds of the geometry, its `ocr` part how OCR reads.
    """
    settings = Settings.resolve(settings)
    path = Path(path)
    size = check_file(path)  # a regular, readable file, or a typed error saying what it is
    try:
        with path.open("rb") as handle:
            head = handle.read(_PDF_HEADER_WITHIN)
    except OSError as error:
        raise errors.UnreadableInputError(f"{path}: cannot read it ({error.strerror})") from error
    if size == 0:
        raise errors.EmptyFileError(f"{path}: the file is empty")
    if path.suffix.lower() in {".txt", ".text"}:
        return extract_text_file(path, settings.extract)
    if PDF_HEADER not in head:
        if looks_like_word(head):
            return extract_docx(path, settings.extract, password)
        if head.startswith(b"{\\rtf"):
            raise errors.LegacyWordError(
                f"{path}: an RTF document, a format maalspor does not read"
            )
        raise errors.NotAPdfError(
            f"{path}: not a PDF (no %PDF header), not a Word document and not a .txt file"
        )
    return _extract_pdf(
        path,
        password=password,
        max_pages=max_pages,
        engine=Engine(engine),
        ocr=OcrMode(ocr),
        settings=settings,
    )


def is_pdf(data: bytes) -> bool:
    """Whether bytes are a PDF: it says so in its first kilobyte ("%PDF-1.7")."""
    return PDF_HEADER in data[:_PDF_HEADER_WITHIN]


def suffix_of(data: bytes) -> str:
    """The file suffix that names what bytes are: ".pdf", ".docx" (a zip, an encrypted Word
    document or a .doc: the Word reader says which) or ".txt"."""
    if is_pdf(data):
        return ".pdf"
    return ".docx" if looks_like_word(data[:_PDF_HEADER_WITHIN]) else ".txt"


def _extract_pdf(
    path: Path,
    *,
    password: str | None,
    max_pages: int | None,
    engine: Engine,
    ocr: OcrMode,
    settings: Settings,
) -> DocumentText:
    layout = settings.extract
    pdf = open_pdf(path, password, engine)
    warnings: list[str] = []
    pages: list[PageText] = []
    size_weights: Counter[float] = Counter()
    notes = PageNotes()
    scanner = _Scanner(path, password, settings.ocr, layout)
    try:
        declared = pdf.declared_page_count  # read before the page tree is loaded
        if max_pages is not None and declared is not None and declared > max_pages:
            raise errors.TooManyPagesError(
                f"{path}: {declared} pages, more than the limit of {max_pages}"
            )
        page_count = pdf.page_count
        if max_pages is not None and page_count > max_pages:
            raise errors.TooManyPagesError(
                f"{path}: {page_count} pages, more than the limit of {max_pages}"
            )
        if page_count == 0:
            raise _no_page(path)
        metadata_title = pdf.metadata_title
        table_counter = 0
        # A page is laid out once the next one is read: a page too short to show its columns
        # takes the gutters of the page before or after it (one page held, memory stays flat).
        deferred = _DeferredLayout(pages, layout)
        for index in range(page_count):
            number = index + 1
            counter_before = table_counter
            try:
                if ocr is OcrMode.ALWAYS:  # the text layer is not read at all
                    page_read, words, has_images = _PageRead(number), [], True
                else:
                    content = read_page_content(pdf, index)  # the page is released once read
                    page_read, words, table_counter, has_images = _read_page(
                        content, table_counter, layout
                    )
                    notes.content(number, content, bool(words))
            except (errors.MaalsporError, MemoryError):
                raise
            except Exception as error:  # engines raise many kinds on broken content streams
                raise_if_limit(error, path)
                warnings.append(notes.failed(number, error, pdf.page_exists(index)))
                page_read, words, has_images = _PageRead(number), [], False
            # Fonts without a Unicode mapping give "(cid:71)", control characters or private-use
            # code points: a page of them cannot be read, a page with some has lost letters.
            undecodable = bool(words) and is_undecodable(words, layout.undecodable_share)
            garbled = bool(words) and not undecodable and is_garbled(words)
            if garbled:
                notes.garbled.append(number)
            if ocr is OcrMode.ALWAYS or (
                ocr is OcrMode.AUTO and (undecodable or garbled or (not words and has_images))
            ):
                text_layer = (page_read, words, table_counter)
                page_read, words, table_counter = scanner.read(number, counter_before)
                if garbled and not words:  # OCR read nothing: the text layer, as it is
                    page_read, words, table_counter = text_layer
                undecodable = undecodable and not words
                has_images = False
            if undecodable:
                notes.undecodable.append(number)
                page_read, words = _PageRead(number), []
            if not words and has_images:
                notes.image_only.append(number)
            for word in words:
                size_weights[round(word.size * 2) / 2] += len(word.text)
            deferred.add(page_read)
        deferred.finish()
        if len(notes.missing) == page_count:
            # A page tree that names pages PDFium cannot load (no /Kids, or kids that are no
            # pages): pdfminer finds no page there. One diagnosis under both engines.
            raise _no_page(path)
    except errors.StreamTooLargeError as error:
        raise_if_limit(error, path)
        raise
    except errors.MaalsporError:
        raise
    except Exception as error:  # MemoryError too, bare or wrapped
        raise_if_limit(error, path)
        raise errors.DamagedPdfError(
            f"{path}: damaged PDF ({type(error).__name__}: {error})"
        ) from error
    finally:
        pdf.close()
        scanner.close()
    if not size_weights:
        raise notes.no_text_error(path, ocr is not OcrMode.NEVER)
    body_size = size_weights.most_common(1)[0][0]
    furniture = remove_furniture(pages, body_size, layout)
    warnings.extend(notes.warnings())
    warnings.extend(scanner.warnings())
    explained = notes.explained()
    empty = [p.number for p in pages if not p.blocks and p.number not in explained]
    if empty and len(empty) < len(pages):
        warnings.append(f"pages without text: {ranges(empty)}")
    source = Source(path=str(path), sha256=sha256_of(path), pages=len(pages))
    return DocumentText(
        source=source,
        kind="pdf",
        metadata_title=metadata_title,
        body_size=body_size,
        pages=pages,
        furniture=furniture,
        warnings=warnings,
    )


def _no_page(path: Path) -> errors.DamagedPdfError:
    return errors.DamagedPdfError(
        f"{path}: damaged PDF (no page can be found: its cross-reference table or page tree "
        "is broken)"
    )


class _Scanner:
    """OCR of the pages that need it: the PDF opened with PDFium once, at the first such page."""

    def __init__(
        self, path: Path, password: str | None, settings: OcrSettings, layout: ExtractSettings
    ) -> None:
        self.path, self.password, self.settings, self.layout = path, password, settings, layout
        self.document = None
        self.pages: list[int] = []
        self.failed: list[int] = []
        self.confidences: list[tuple[float, int]] = []  # (mean, words) per page

    def read(self, number: int, table_counter: int) -> tuple[_PageRead, list[Word], int]:
        """Page `number` (1-based) by OCR, laid out by the same code as a text layer's words."""
        check_available(self.settings)  # first: a missing engine is one clear line
        page = None
        try:
            if self.document is None:
                import pypdfium2

                self.document = pypdfium2.PdfDocument(str(self.path), password=self.password)
            page = self.document[number - 1]
            content = ocr_page(page, number, self.settings)
        except (errors.MaalsporError, MemoryError):
            raise
        except Exception:  # a page PDFium cannot open or render: like an unreadable text layer
            self.failed.append(number)
            return _PageRead(number), [], table_counter
        finally:
            if page is not None:
                page.close()
        self.pages.append(number)
        if content.words:
            mean = statistics.fmean(w.ocr_confidence or 0.0 for w in content.words)
            self.confidences.append((mean, len(content.words)))
        text, words, table_counter, _ = _read_page(
            _thin_rulings(content), table_counter, self.layout
        )
        return text, words, table_counter

    def warnings(self) -> list[str]:
        found: list[str] = []
        if self.pages:
            words = sum(n for _, n in self.confidences)
            mean = sum(m * n for m, n in self.confidences) / words if words else 0.0
            found.append(
                f"pages read by OCR: {ranges(self.pages)} (mean word confidence {mean:.0f} of 100)"
            )
        if self.failed:
            found.append(f"pages OCR could not render: {ranges(self.failed)}")
        return found

    def close(self) -> None:
        if self.document is not None:
            with contextlib.suppress(Exception):
                self.document.close()


def _thin_rulings(content: PageContent) -> PageContent:
    """A scanned line is a few points thick: each becomes a line through its middle, as a
    PDF's rulings are, so that the same table finder reads it."""
    thin = []
    for r in content.rulings:
        if r.x1 - r.x0 > r.bottom - r.top:
            middle = (r.top + r.bottom) / 2
            thin.append(Ruling(r.x0, middle, r.x1, middle))
        else:
            middle = (r.x0 + r.x1) / 2
            thin.append(Ruling(middle, r.top, middle, r.bottom))
    content.rulings = thin
    return content


@dataclass
class _PageRead:
    """A page read but not yet laid out: its tables as items, its other words as rows, and the
    gutters those rows show themselves."""

    number: int
    width: float | None = None
    height: float | None = None
    tables: list[Item] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    gutters: list[Gutter] = field(default_factory=list)

    def lay_out(
        self,
        carried: list[Gutter],
        settings: ExtractSettings,
        implied: list[Gutter] | None = None,
        open_table: HeaderTable | None = None,
    ) -> tuple[PageText, list[Gutter], HeaderTable | None]:
        """The page's blocks in reading order, the gutters its columns have, and the table
        under a header row it ends in; `carried` are the neighbouring pages' gutters,
        `implied` those their column grids imply (see `cut_rows`), `open_table` the table
        under a header row the page before ended in (see `headers.py`)."""
        regions, open_table = header_tables(self.rows, self.gutters, open_table, settings)
        cuts = [(table.rows, own) for table, own in regions]
        text_items, gutters = cut_rows(self.rows, self.gutters, carried, settings, implied, cuts)
        items = [*self.tables, *text_items]
        blocks, _ = order_items(items, gutters, self.number, 0, settings)
        shown = list(gutters)  # with the tables' own: layout reads their cells by them
        for _, own in regions:
            shown += [g for g in own if not any(g[0] < k[1] and k[0] < g[1] for k in shown)]
        page = PageText(
            number=self.number,
            width=self.width,
            height=self.height,
            blocks=blocks,
            gutters=sorted(shown),
        )
        return page, gutters, open_table


class _DeferredLayout:
    """Lays out each page read when the next is read, with the gutters of both neighbours."""

    def __init__(self, pages: list[PageText], settings: ExtractSettings) -> None:
        self.pages, self.settings = pages, settings
        self.pending: _PageRead | None = None
        # The gutters of the last page with text, and those its column grid implies.
        self.before: tuple[list[Gutter], list[Gutter]] = ([], [])
        self.open_table: HeaderTable | None = None  # the header-row table it ended in

    def add(self, page: _PageRead) -> None:
        self._lay_out((page.gutters, self._grid(page, page.gutters)))
        self.pending = page

    def finish(self) -> None:
        self._lay_out(([], []))

    def _lay_out(self, after: tuple[list[Gutter], list[Gutter]]) -> None:
        if self.pending is None:
            return
        (seen, implied), (next_seen, next_implied) = self.before, after
        text, gutters, open_table = self.pending.lay_out(
            [*seen, *next_seen], self.settings, [*implied, *next_implied], self.open_table
        )
        if self.pending.rows:
            self.before = (gutters, self._grid(self.pending, gutters))
            self.open_table = open_table
        self.pages.append(text)
        self.pending = None

    def _grid(self, page: _PageRead, gutters: list[Gutter]) -> list[Gutter]:
        return grid_gutters(page.rows, gutters, page.width, self.settings)


def _read_page(
    page: PageContent, table_counter: int, settings: ExtractSettings
) -> tuple[_PageRead, list[Word], int, bool]:
    """One page's content (from a PDF engine, or OCR) → its tables and rows, to be laid out.

    Returns the page read, its words, the table counter after its tables, and whether it has
    images.
    """
    words = [w for w in page.words if w.text.strip()]  # the source's words, not copies
    has_images = bool(page.image_boxes)
    read = _PageRead(page.number, width=page.width, height=page.height)
    if not words:
        return read, [], table_counter, has_images
    in_table: set[int] = set()
    tables = find_tables(page.rulings)
    for table in tables:
        cells = [c for row in table.rows for c in row.cells if c is not None]
        if len(cells) < settings.min_table_cells:
            continue  # a frame around text is read as text
        table_counter += 1
        blocks = table_blocks(table, words, in_table, page.number, table_counter, settings)
        if blocks:
            x0, top, x1, bottom = table.bbox
            read.tables.append(Item(top=top, x0=x0, x1=x1, bottom=bottom, table_blocks=blocks))
    flow_words = [w for i, w in enumerate(words) if i not in in_table]
    flow_words = without_footnotes(flow_words, page, [t.bbox for t in tables], settings)
    read.rows = group_rows(flow_words, settings)
    read.gutters = find_gutters(read.rows, settings)
    return read, words, table_counter, has_images
