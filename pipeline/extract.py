"""Stage 1: a plan file → its text in reading order with geometry (`DocumentText`).

For a PDF, an engine (`pipeline/engines`: PDFium by default, or pdfplumber) gives each page's
words with their position and font, and the ruling lines (`PageContent`). From them, page by
page:
  1. ruled tables (pdfplumber's table finder on the ruling lines): each cell becomes a block;
  2. the remaining words are grouped into rows, and the page's text columns are found as
     vertical gutters that no word crosses; rows that do cross a gutter (titles, full-width
     headings) separate bands, and in each band the columns are read left to right; each text
     block knows its band and column, and the last block of a column or page carries a flow
     link. A page too short to show its columns keeps the last page's gutters;
  3. running headers and footers are removed after the last page, when repetition can be seen
     (`pipeline/furniture.py`).
Extraction is geometric: it reads no labels. Which bands are tables drawn without rulings (labels
side by side) is decided by the layout analysis, `pipeline/layout.py`.
Each page is released as soon as it is read, so memory stays flat on long documents.

A plain text file (`.txt`) becomes one block per paragraph (blank-line separated), pages split
at form feeds; it has no geometry.
"""

from __future__ import annotations

import bisect
import codecs
import contextlib
import contextvars
import hashlib
import itertools
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from maalspor import errors
from maalspor.discovery import check_file
from maalspor.engines import DEFAULT_ENGINE, Engine, open_pdf, read_page_content
from maalspor.engines.tables import find_tables
from maalspor.furniture import remove_furniture
from maalspor.geometry import link_columns, mark_page_ends
from maalspor.models.common import Source
from maalspor.models.page import Block, DocumentText, Line, PageContent, PageText, Ruling
from maalspor.ocr import OcrMode, OcrSettings, check_available, ocr_page
from maalspor.pdfguard import raise_if_limit

# Words whose centres lie within this many points of each other vertically share a row. Half a
# line of 10 pt text: tighter splits sub/superscripts off, looser merges adjacent lines.
ROW_TOLERANCE_RATIO = 0.5
# A gutter between text columns is at least this wide (points). Word spaces in justified 10 pt
# text reach ~6 pt; office suites set column gaps of 12 pt (Word: 0.5 cm = 14 pt) or more.
MIN_GUTTER = 9.0
# Two words this many font sizes apart, beside a gutter, stand in two columns (cells) even when
# one reaches into the gutter; justified text rarely stretches a space this far.
CELL_GAP_RATIO = 0.8
# The gutter is the valley of the strip: where at most this share of the rows more than the
# fewest cross it (a heading or a long word may reach into a gutter's edge).
VALLEY_SLACK = 0.05
# Each side of a gutter must hold at least this share of the text width, so a bullet column or
# a hanging label ("Mål" in the margin) is never taken for a text column.
MIN_COLUMN_SHARE = 0.22
# ... and at least this many rows that lie wholly on that side.
MIN_COLUMN_ROWS = 3
# A gutter may be crossed by this share of the rows (full-width headings and titles).
MAX_GUTTER_CROSSINGS = 0.35
# A horizontal gap between two words wider than this many font sizes is no word space but a tab
# stop or a margin column ("Mål" at the margin, its text further right): it is kept as a tab.
TAB_GAP_RATIO = 2.0
# A word starting this close left of a gutter's right edge still starts the column right of it.
GUTTER_EDGE_SLACK = 1.0
# A page whose text is more than this share "(cid:NN)" codes cannot be read (no Unicode map).
UNDECODABLE_SHARE = 0.5
# Footnotes: their text and reference marks are set at most this share of the body size, under
# a rule at most this share of the text width.
FOOTNOTE_SIZE_RATIO = 0.85
FOOTNOTE_RULE_SHARE = 0.45
# A table needs this many cells to be read as a table; a single ruled box is a frame around text.
MIN_TABLE_CELLS = 2


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def extract(
    path: str | Path,
    *,
    password: str | None = None,
    max_pages: int | None = None,
    engine: Engine | str = DEFAULT_ENGINE,
    ocr: OcrMode | str = OcrMode.AUTO,
    ocr_settings: OcrSettings | None = None,
) -> DocumentText:
    """Read a plan (PDF or .txt) into lines in reading order, grouped in blocks.

    `engine` reads the PDF's characters ("pdfium", the default, or "pdfplumber"); `ocr`:
    "auto" reads pages without a usable text layer (images only, or undecodable text) by OCR,
    "always" every page, "never" none (such pages then have no text).
    """
    path = Path(path)
    size = check_file(path)  # a regular, readable file, or a typed error saying what it is
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as error:
        raise errors.UnreadableInputError(f"{path}: cannot read it ({error.strerror})") from error
    if size == 0:
        raise errors.EmptyFileError(f"{path}: the file is empty")
    if path.suffix.lower() in {".txt", ".text"}:
        return extract_text_file(path)
    if b"%PDF-" not in head:
        raise errors.NotAPdfError(f"{path}: not a PDF (no %PDF header) and not a .txt file")
    return _extract_pdf(
        path,
        password=password,
        max_pages=max_pages,
        engine=Engine(engine),
        ocr=OcrMode(ocr),
        ocr_settings=ocr_settings or OcrSettings(),
    )


# --- plain text -------------------------------------------------------------------------------


def extract_text_file(path: Path) -> DocumentText:
    """A .txt plan: paragraphs (blank-line separated) become blocks; form feeds split pages.

    Text laid out in columns with runs of spaces (what `pdftotext -layout` writes) is read by
    the same layout analysis as a PDF, with character columns and line numbers as geometry.
    """
    raw = path.read_bytes()
    text = decode_text(raw, path)
    source = Source(path=str(path), sha256=hashlib.sha256(raw).hexdigest(), pages=0)
    if _is_laid_out(text):
        pages = _laid_out_pages(text)
        return DocumentText(
            source=source.model_copy(update={"pages": len(pages)}),
            kind="text",
            pages=pages,
            furniture=remove_furniture(pages, LAYOUT_TEXT_SIZE),
        )
    pages: list[PageText] = []
    for number, page_text in enumerate(text.split("\f"), start=1):
        blocks: list[Block] = []
        current: list[Line] = []
        blank_before = 0.0
        for raw_line in page_text.splitlines():
            if not raw_line.strip():
                if current:
                    blocks.append(Block(page=number, lines=current))
                    current = []
                blank_before = 1.0
                continue
            indent = float(len(raw_line) - len(raw_line.lstrip(" ")))
            # A tab-indented line in office exports is a list item or table cell: keep its text.
            line_text = raw_line.replace("\t", " ").strip()
            current.append(Line(text=line_text, gap_before=blank_before, indent=indent))
            blank_before = 0.0
        if current:
            blocks.append(Block(page=number, lines=current))
        pages.append(PageText(number=number, blocks=blocks))
    return DocumentText(
        source=source.model_copy(update={"pages": len(pages)}), kind="text", pages=pages
    )


# Byte order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Text holds at most this share of control characters other than tab, line ends and form feed;
# binary data decoded as Windows-1252 holds about an eighth.
MAX_CONTROL_SHARE = 0.01
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text(raw: bytes, path: Path) -> str:
    """A text file's bytes as text: by its byte order mark (UTF-8/16/32), else UTF-8, else
    Windows-1252 (Danish Windows text files) when every byte is a character there; binary
    data is refused (`NotTextError`)."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                raise errors.NotTextError(
                    f"{path}: not text (a {encoding.upper()} byte order mark, then bytes that "
                    f"are not {encoding.upper()} at byte {error.start + len(bom)})"
                ) from error
            break
    else:
        if b"\x00" in raw:
            raise errors.NotTextError(f"{path}: not text (binary data: it holds NUL bytes)")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = raw.decode("cp1252")
            except UnicodeDecodeError as error:
                raise errors.NotTextError(
                    f"{path}: not text (byte {error.start} fits neither UTF-8 nor Windows-1252)"
                ) from error
    controls = len(_CONTROL.findall(text))
    if controls > MAX_CONTROL_SHARE * len(text):
        raise errors.NotTextError(f"{path}: not text (binary data: {controls} control characters)")
    return text


# Geometry given to laid-out text: a character is LAYOUT_CHAR_WIDTH wide, a line LAYOUT_LINE
# high, the type LAYOUT_TEXT_SIZE. With CELL_GAP_RATIO, one or two spaces are word spaces and
# three or more a gap between columns (pdftotext -layout keeps columns at least that far apart).
LAYOUT_CHAR_WIDTH = 5.0
LAYOUT_TEXT_SIZE = 15.0
LAYOUT_LINE = 18.0
# Text is laid out when this share of its lines holds such a gap inside it.
LAYOUT_LINE_SHARE = 0.15
_COLUMN_GAP = re.compile(r"\S {3,}\S")


def _is_laid_out(text: str) -> bool:
    lines = [line for line in text.splitlines() if line.strip()]
    wide = sum(1 for line in lines if _COLUMN_GAP.search(line))
    return len(lines) >= 10 and wide >= LAYOUT_LINE_SHARE * len(lines)


def _laid_out_pages(text: str) -> list[PageText]:
    pages: list[PageText] = []
    table_counter = 0
    for number, page_text in enumerate(text.split("\f"), start=1):
        lines = page_text.expandtabs(8).splitlines()
        words = [
            _Word(
                text=match.group(0),
                x0=match.start() * LAYOUT_CHAR_WIDTH,
                top=index * LAYOUT_LINE,
                x1=match.end() * LAYOUT_CHAR_WIDTH,
                bottom=index * LAYOUT_LINE + LAYOUT_TEXT_SIZE,
                size=LAYOUT_TEXT_SIZE,
                bold=False,
            )
            for index, line in enumerate(lines)
            for match in re.finditer(r"\S+", line)
        ]
        items, gutters = _flow_items(words)
        blocks, table_counter = _order_items(items, gutters, number, table_counter)
        width = max((len(line) for line in lines), default=0) * LAYOUT_CHAR_WIDTH
        pages.append(
            PageText(
                number=number,
                width=width,
                height=len(lines) * LAYOUT_LINE,
                blocks=blocks,
                gutters=gutters,
            )
        )
    return pages


# --- PDF --------------------------------------------------------------------------------------


@dataclass
class _Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    confidence: float | None = None  # OCR word confidence (0-100); None: from a text layer


@dataclass
class _Row:
    words: list[_Word]
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0

    def __post_init__(self) -> None:
        self.words.sort(key=lambda w: w.x0)
        self.x0 = min(w.x0 for w in self.words)
        self.x1 = max(w.x1 for w in self.words)
        self.top = min(w.top for w in self.words)
        self.bottom = max(w.bottom for w in self.words)


@dataclass
class _Item:
    """A thing placed on the page in reading order: a run of rows or a table."""

    top: float
    x0: float
    x1: float
    bottom: float
    rows: list[_Row] = field(default_factory=list)
    table_blocks: list[Block] | None = None
    spanning: bool = False  # a row of text across a gutter (a title, a full-width paragraph)


# The gutters of the page read last: a page with too little text to show its columns keeps
# them (see _flow_items). Context-local, so concurrent extractions do not share it.
_CARRIED_GUTTERS: contextvars.ContextVar[list[tuple[float, float]] | None] = contextvars.ContextVar(
    "carried_gutters", default=None
)


def _extract_pdf(
    path: Path,
    *,
    password: str | None,
    max_pages: int | None,
    engine: Engine,
    ocr: OcrMode = OcrMode.NEVER,
    ocr_settings: OcrSettings | None = None,
) -> DocumentText:
    _CARRIED_GUTTERS.set([])
    pdf = open_pdf(path, password, engine)
    warnings: list[str] = []
    pages: list[PageText] = []
    size_weights: Counter[float] = Counter()
    image_only_pages: list[int] = []
    undecodable_pages: list[int] = []
    scanner = _Scanner(path, password, ocr_settings or OcrSettings())
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
            raise errors.DamagedPdfError(
                f"{path}: damaged PDF (no page can be found: its cross-reference table or "
                "page tree is broken)"
            )
        metadata_title = pdf.metadata_title
        table_counter = 0
        for index in range(page_count):
            number = index + 1
            counter_before = table_counter
            try:
                if ocr is OcrMode.ALWAYS:  # the text layer is not read at all
                    page_text, words, has_images = PageText(number=number), [], True
                else:
                    content = read_page_content(pdf, index)  # the page is released once read
                    page_text, words, table_counter, has_images = _read_page(content, table_counter)
            except (errors.MaalsporError, MemoryError):
                raise
            except Exception as error:  # engines raise many kinds on broken content streams
                raise_if_limit(error, path)
                warnings.append(f"page {number}: unreadable ({type(error).__name__})")
                page_text, words, has_images = PageText(number=number), [], False
            undecodable = bool(words) and _undecodable(words)
            if ocr is OcrMode.ALWAYS or (
                ocr is OcrMode.AUTO and (undecodable or (not words and has_images))
            ):
                page_text, words, table_counter = scanner.read(number, counter_before)
                undecodable = has_images = False
            if undecodable:
                # Fonts without a Unicode mapping print "(cid:71)": no text can be read there.
                undecodable_pages.append(number)
                page_text, words = PageText(number=number), []
            if not words and has_images:
                image_only_pages.append(number)
            for word in words:
                size_weights[round(word.size * 2) / 2] += len(word.text)
            pages.append(page_text)
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
        if undecodable_pages:
            raise errors.NoTextLayerError(
                f"{path}: the text layer cannot be decoded (fonts without Unicode mapping) "
                "and OCR is off; read it by OCR (ocr auto or always)"
            )
        if image_only_pages:
            raise errors.NoTextLayerError(
                f"{path}: no text layer (scanned pages?) and OCR is off; read it by OCR "
                "(ocr auto, the default)"
            )
        raise errors.NoTextLayerError(f"{path}: the PDF contains no text")
    body_size = size_weights.most_common(1)[0][0]
    furniture = remove_furniture(pages, body_size)
    if image_only_pages:
        warnings.append(
            f"pages without a text layer (images only; OCR needed): {_ranges(image_only_pages)}"
        )
    if undecodable_pages:
        warnings.append(f"pages whose text cannot be decoded: {_ranges(undecodable_pages)}")
    warnings.extend(scanner.warnings())
    empty = [
        p.number
        for p in pages
        if not p.blocks and p.number not in image_only_pages and p.number not in undecodable_pages
    ]
    if empty and len(empty) < len(pages):
        warnings.append(f"pages without text: {_ranges(empty)}")
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


def _undecodable(words: list[_Word]) -> bool:
    """Whether most of a page's text is "(cid:NN)" glyph codes rather than letters."""
    cid = sum(len(w.text) for w in words if "(cid:" in w.text)
    return cid > UNDECODABLE_SHARE * sum(len(w.text) for w in words)


def _ranges(numbers: list[int]) -> str:
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)


class _Scanner:
    """OCR of the pages that need it: the PDF opened with PDFium once, at the first such page."""

    def __init__(self, path: Path, password: str | None, settings: OcrSettings) -> None:
        self.path, self.password, self.settings = path, password, settings
        self.document = None
        self.pages: list[int] = []
        self.failed: list[int] = []
        self.confidences: list[tuple[float, int]] = []  # (mean, words) per page

    def read(self, number: int, table_counter: int) -> tuple[PageText, list[_Word], int]:
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
            return PageText(number=number), [], table_counter
        finally:
            if page is not None:
                page.close()
        self.pages.append(number)
        if content.words:
            mean = statistics.fmean(w.ocr_confidence or 0.0 for w in content.words)
            self.confidences.append((mean, len(content.words)))
        text, words, table_counter, _ = _read_page(_thin_rulings(content), table_counter)
        return text, words, table_counter

    def warnings(self) -> list[str]:
        found: list[str] = []
        if self.pages:
            words = sum(n for _, n in self.confidences)
            mean = sum(m * n for m, n in self.confidences) / words if words else 0.0
            found.append(
                f"pages read by OCR: {_ranges(self.pages)} (mean word confidence {mean:.0f} of 100)"
            )
        if self.failed:
            found.append(f"pages OCR could not render: {_ranges(self.failed)}")
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


def lay_out_page(page: PageContent, table_counter: int = 0) -> tuple[PageText, int]:
    """One page's content, from a PDF engine or from OCR, → its blocks in reading order, and
    the document's table counter after the page's tables (the seam where sources plug in)."""
    text, _, table_counter, _ = _read_page(page, table_counter)
    return text, table_counter


def _read_page(page: PageContent, table_counter: int) -> tuple[PageText, list[_Word], int, bool]:
    """One page's content (from a PDF engine, or OCR) → its blocks in reading order.

    Returns the page, its words, the table counter after its tables, and whether it has images.
    """
    words = [
        _Word(w.text, w.x0, w.top, w.x1, w.bottom, w.size, w.bold, w.ocr_confidence)
        for w in page.words
        if w.text.strip()
    ]
    has_images = bool(page.image_boxes)
    number = page.number
    if not words:
        return (
            PageText(number=number, width=page.width, height=page.height),
            [],
            table_counter,
            (has_images),
        )

    items: list[_Item] = []
    in_table: set[int] = set()
    tables = find_tables(page.rulings)
    for table in tables:
        cells = [c for row in table.rows for c in row.cells if c is not None]
        if len(cells) < MIN_TABLE_CELLS:
            continue  # a frame around text is read as text
        table_counter += 1
        blocks = _table_blocks(table, words, in_table, number, table_counter)
        if blocks:
            x0, top, x1, bottom = table.bbox
            items.append(_Item(top=top, x0=x0, x1=x1, bottom=bottom, table_blocks=blocks))
    flow_words = [w for i, w in enumerate(words) if i not in in_table]
    flow_words = _without_footnotes(flow_words, page, [t.bbox for t in tables])
    flow_items, gutters = _flow_items(flow_words, _CARRIED_GUTTERS.get() or [])
    _CARRIED_GUTTERS.set(gutters)
    items.extend(flow_items)
    blocks, table_counter = _order_items(items, gutters, number, table_counter)
    return (
        PageText(
            number=number, width=page.width, height=page.height, blocks=blocks, gutters=gutters
        ),
        words,
        table_counter,
        has_images,
    )


def _without_footnotes(
    words: list[_Word], page: PageContent, table_boxes: list[tuple[float, float, float, float]]
) -> list[_Word]:
    """The words less footnotes: their reference marks (small raised digits after a word) and
    their text (smaller type under a short rule at the foot of the page). Footnotes explain a
    goal but are not its text; left in, they would join the nearest field."""
    if not words:
        return words
    sizes = sorted(w.size for w in words)
    body = sizes[len(sizes) // 2]
    rule_top = _footnote_rule(page, words, table_boxes)
    small = body * FOOTNOTE_SIZE_RATIO

    def is_mark(word: _Word) -> bool:
        return bool(_FOOTNOTE_MARK.fullmatch(word.text))

    def next_to(mark: _Word, neighbour: _Word, gap: float) -> bool:
        return (
            0 <= neighbour.x0 - mark.x1 <= gap
            and neighbour.top < mark.bottom
            and mark.top < neighbour.bottom
        )

    dropped: set[int] = set()
    for word in words:
        if rule_top is not None and word.top > rule_top:
            # Footnote text is small; its number, at any size, stands before small text.
            if word.size <= small or (
                is_mark(word)
                and any(next_to(word, other, body) and other.size <= small for other in words)
            ):
                dropped.add(id(word))
        elif (
            is_mark(word)
            and word.size <= small
            # A reference mark: small, raised above the baseline, right after a word.
            and any(
                next_to(other, word, 0.3 * other.size)
                and other.size > small
                and word.bottom < other.bottom - 0.15 * other.size
                for other in words
            )
        ):
            dropped.add(id(word))
    return [w for w in words if id(w) not in dropped]


_FOOTNOTE_MARK = re.compile(r"\d{1,3}|\*{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+")


def _footnote_rule(page: PageContent, words: list[_Word], table_boxes) -> float | None:
    """Top of the short rule that opens the footnotes at the foot of a page, if there is one."""
    left = min(w.x0 for w in words)
    right = max(w.x1 for w in words)
    for edge in page.rulings:
        if not edge.horizontal:
            continue
        width = edge.x1 - edge.x0
        if not (edge.top > page.height / 2 and 0 < width < FOOTNOTE_RULE_SHARE * (right - left)):
            continue
        if abs(edge.x0 - left) > 0.1 * (right - left):
            continue  # a footnote rule starts at the text's left margin
        if any(
            b[0] - 1 <= edge.x0 <= b[2] + 1 and b[1] - 1 <= edge.top <= b[3] + 1
            for b in table_boxes
        ):
            continue  # a border of a table
        return edge.top
    return None


def _table_blocks(
    table, words: list[_Word], taken: set[int], page: int, number: int
) -> list[Block]:
    edges = sorted(
        {round(c[0], 1) for row in table.rows for c in row.cells if c}
        | {round(c[2], 1) for row in table.rows for c in row.cells if c}
    )
    columns = _merge_close(edges, 2.0)
    cells = [
        (row_index, cell)
        for row_index, row in enumerate(table.rows)
        for cell in row.cells
        if cell is not None
    ]
    # Each word goes to the cell that holds its centre: cells sorted by top, searched from the
    # last one starting above the word, so a page of words costs words × log(cells).
    cells.sort(key=lambda item: (item[1][1], item[1][0]))
    tops = [cell[1] for _, cell in cells]
    inside: dict[int, list[int]] = {}
    x0_table, top_table, x1_table, bottom_table = table.bbox
    for index, word in enumerate(words):
        if index in taken:
            continue
        cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
        if not (x0_table - 1 <= cx <= x1_table + 1 and top_table - 1 <= cy <= bottom_table + 1):
            continue
        for position in range(bisect.bisect_right(tops, cy + 1) - 1, -1, -1):
            x0, top, x1, bottom = cells[position][1]
            if x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1:
                inside.setdefault(position, []).append(index)
                break
    blocks: list[Block] = []
    for position, (row_index, (x0, top, x1, bottom)) in sorted(
        enumerate(cells), key=lambda item: (item[1][0], item[1][1][0])
    ):
        indices = inside.get(position, [])
        taken.update(indices)
        col = _column_index(columns, x0)
        blocks.append(
            _cell_block(
                _group_rows([words[i] for i in indices]),
                page=page,
                bbox=(x0, top, x1, bottom),
                table=number,
                row=row_index,
                col=col,
                span=max(1, _column_index(columns, x1) - col),
                columns=columns,
            )
        )
    return blocks


def _cell_block(
    rows: list[_Row],
    *,
    page: int,
    bbox: tuple[float, float, float, float],
    table: int,
    row: int,
    col: int,
    span: int,
    columns: list[float],
) -> Block:
    return Block(
        page=page,
        bbox=bbox,
        kind="cell",
        table=table,
        row=row,
        col=col,
        col_span=span,
        columns=columns,
        lines=_lines(rows, bbox[0]),
    )


def _merge_close(values: list[float], tolerance: float) -> list[float]:
    merged: list[float] = []
    for value in values:
        if merged and value - merged[-1] <= tolerance:
            continue
        merged.append(value)
    return merged


def _column_index(columns: list[float], x: float) -> int:
    return min(range(len(columns)), key=lambda i: abs(columns[i] - x))


def _group_rows(words: Iterable[_Word]) -> list[_Row]:
    """Words → rows: sorted by vertical centre, a new row where the centre jumps."""
    ordered = sorted(words, key=lambda w: ((w.top + w.bottom) / 2, w.x0))
    rows: list[list[_Word]] = []
    centre = None
    for word in ordered:
        word_centre = (word.top + word.bottom) / 2
        tolerance = max(1.0, ROW_TOLERANCE_RATIO * word.size)
        if rows and centre is not None and word_centre - centre <= tolerance:
            rows[-1].append(word)
        else:
            rows.append([word])
            centre = word_centre
    return [_Row(r) for r in rows]


def _flow_items(
    words: list[_Word], carried: list[tuple[float, float]] | None = None
) -> tuple[list[_Item], list[tuple[float, float]]]:
    """Words outside tables → items (rows, cut at the gutters) and the page's gutters.

    A page with too little text to show its columns (the last lines of a column, a table's
    last row) keeps the gutters of the page before (`carried`) when its rows fit them.
    """
    if not words:
        return [], []
    rows = _group_rows(words)
    found = [_snap(g, rows, carried or []) for g in _find_gutters(rows)]
    gutters = sorted({*found, *_carried_gutters(rows, carried or [], found)})
    if not gutters:
        items = [_Item(top=r.top, x0=r.x0, x1=r.x1, bottom=r.bottom, rows=[r]) for r in rows]
        return items, []
    items: list[_Item] = []
    for row in rows:
        if any(_crosses(row, g) for g in gutters):
            items.append(
                _Item(
                    top=row.top, x0=row.x0, x1=row.x1, bottom=row.bottom, rows=[row], spanning=True
                )
            )
            continue
        # A column's text starts where its gutter ends: a word belongs to the column its left
        # edge stands in (a ragged line end reaching into a wide gutter stays left).
        starts = [float("-inf"), *(g[1] - GUTTER_EDGE_SLACK for g in gutters), float("inf")]
        for left, right in itertools.pairwise(starts):
            part = [w for w in row.words if left <= w.x0 < right]
            if part:
                sub = _Row(part)
                items.append(
                    _Item(top=sub.top, x0=sub.x0, x1=sub.x1, bottom=sub.bottom, rows=[sub])
                )
    return items, gutters


def _snap(
    gutter: tuple[float, float], rows: list[_Row], carried: list[tuple[float, float]]
) -> tuple[float, float]:
    """The last page's gutter where it overlaps one found here and no row crosses it: a short
    column (a column's last lines) shows its gutter less clearly than a full page."""
    for known in carried:
        overlaps = known[0] < gutter[1] and gutter[0] < known[1]
        if overlaps and not any(_crosses(row, known) for row in rows):
            return known
    return gutter


def _carried_gutters(
    rows: list[_Row],
    carried: list[tuple[float, float]],
    found: list[tuple[float, float]],
) -> list[tuple[float, float]]:
    """The last page's gutters that this page did not show itself but whose rows fit them: no
    row crosses one, text stands on both sides of it (a column holding only its last lines)."""
    kept = []
    for gutter in carried:
        if any(gutter[0] < g[1] and g[0] < gutter[1] for g in found):
            continue
        if any(_crosses(row, gutter) for row in rows):
            continue
        left = any(w.x1 <= gutter[0] + 0.5 for r in rows for w in r.words)
        right = any(w.x0 >= gutter[1] - 0.5 for r in rows for w in r.words)
        if left and right:
            kept.append(gutter)
    return kept


def _crosses(row: _Row, gutter: tuple[float, float]) -> bool:
    """Whether a row runs across a gutter rather than standing in the columns beside it.

    Only continuous text (words joined by ordinary spaces) that reaches past both edges of the
    gutter crosses it: a cell's or a column's long last word reaching into the gutter does not,
    nor do two cells' texts with a wide gap between them.
    """
    start = end = None
    previous_size = 0.0
    for word in row.words:
        space = CELL_GAP_RATIO * max(word.size, previous_size)
        previous_size = word.size
        if start is not None and end is not None and word.x0 <= end + space:
            end = max(end, word.x1)
            continue
        if start is not None and end is not None and start < gutter[0] and end > gutter[1]:
            return True
        start, end = word.x0, word.x1
    return start is not None and end is not None and start < gutter[0] and end > gutter[1]


def _find_gutters(rows: list[_Row]) -> list[tuple[float, float]]:
    """Vertical strips that (almost) no row crosses, with enough text on both sides."""
    if len(rows) < 2 * MIN_COLUMN_ROWS:
        return []
    left_edge = min(r.x0 for r in rows)
    right_edge = max(r.x1 for r in rows)
    width = right_edge - left_edge
    if width <= 0:
        return []
    # How many rows run through each 1-pt strip as continuous text: words and the ordinary
    # spaces between them count, a wide gap (a gutter, the space between two cells) does not.
    # Each row adds its runs to a difference array: the cost is words + width, not their product.
    cells = int(width) + 2
    delta = [0] * (cells + 1)
    for row in rows:
        start = end = None
        previous_size = 0.0
        for word in row.words:  # sorted by x0
            a = max(0, int(word.x0 - left_edge))
            b = min(cells - 1, int(word.x1 - left_edge))
            space = CELL_GAP_RATIO * max(word.size, previous_size)
            previous_size = word.size
            if start is not None and end is not None and a <= end + space:
                end = max(end, b)
                continue
            if start is not None and end is not None:
                delta[start] += 1
                delta[end + 1] -= 1
            start, end = a, b
        if start is not None and end is not None:
            delta[start] += 1
            delta[end + 1] -= 1
    row_crossing = list(itertools.accumulate(delta[:cells]))
    allowed = max(1, int(MAX_GUTTER_CROSSINGS * len(rows)))
    runs: list[tuple[int, int]] = []
    run_start = None
    for i in range(cells + 1):
        free = i < cells and row_crossing[i] <= allowed
        if free and run_start is None:
            run_start = i
        elif not free and run_start is not None:
            runs.append((run_start, i))
            run_start = None
    scored: list[tuple[float, float, int]] = []  # (x0, x1, rows crossing its valley)
    for start, end in runs:
        # The strip's valley: where the fewest rows cross. Ragged line ends beside a gutter
        # cross it now and then; the gutter itself is only crossed by full-width rows.
        lowest = min(row_crossing[start:end]) + max(1, int(VALLEY_SLACK * len(rows)))
        valley = max(
            (len(items), index) for index, items in _runs_of(row_crossing, start, end, lowest)
        )
        if valley[1] == 0 or valley[1] + valley[0] >= cells:
            continue  # a strip at the edge of the text is a margin, not a gutter
        x0 = left_edge + valley[1]
        x1 = x0 + valley[0]
        if x1 - x0 < MIN_GUTTER:
            continue
        # Text on both sides: rows with words wholly left of it and rows with words wholly right
        # (a table row holds words on both sides; a column's row on one side only).
        left_words = [w for r in rows for w in r.words if w.x1 <= x0 + 0.5]
        right_words = [w for r in rows for w in r.words if w.x0 >= x1 - 0.5]
        left_rows = sum(any(w.x1 <= x0 + 0.5 for w in r.words) for r in rows)
        right_rows = sum(any(w.x0 >= x1 - 0.5 for w in r.words) for r in rows)
        if left_rows < MIN_COLUMN_ROWS or right_rows < MIN_COLUMN_ROWS:
            continue
        left_width = x0 - min(w.x0 for w in left_words)
        right_width = max(w.x1 for w in right_words) - x1
        # Each side wide enough to be a column: a bullet column or a label in the margin is not.
        if left_width < MIN_COLUMN_SHARE * width or right_width < MIN_COLUMN_SHARE * width:
            continue
        crossings = min(row_crossing[valley[1] : valley[1] + valley[0]])
        scored.append((x0, x1, crossings))
    # Columns lie between gutters, not only between a gutter and the page's edge: of two
    # gutters closer than a column's width, keep the one fewer rows cross (then the wider one).
    scored.sort()
    index = 1
    while index < len(scored):
        previous, current = scored[index - 1], scored[index]
        if current[0] - previous[1] >= MIN_COLUMN_SHARE * width:
            index += 1
            continue
        worse = max((previous, current), key=lambda g: (g[2], -(g[1] - g[0]), g[0]))
        scored.remove(worse)
        index = max(1, index - 1)
    return [(x0, x1) for x0, x1, _ in scored]


def _runs_of(values: list[int], start: int, end: int, limit: int):
    """(start index, the run) for each maximal run of values ≤ limit in values[start:end]."""
    index = start
    for below, group in itertools.groupby(values[start:end], key=lambda v: v <= limit):
        items = list(group)
        if below:
            yield index, items
        index += len(items)


def _order_items(
    items: list[_Item], gutters: list[tuple[float, float]], page: int, table_counter: int
) -> tuple[list[Block], int]:
    """Items → blocks in reading order: bands top to bottom, columns left to right.

    The text blocks of a band carry its number and their column, and the last block of a column
    a flow link to the next: whether a band is a table drawn without ruling lines (labels side
    by side) is for the layout analysis to judge (pipeline/layout.py).
    """
    if not items:
        return [], table_counter
    items.sort(key=lambda it: (it.top, it.x0))

    def column_of(item: _Item) -> int | None:
        """Column index, or None when the item spans a gutter (it separates bands)."""
        if item.spanning:
            return None
        if item.table_blocks is not None:
            for g in gutters:
                if item.x0 < g[1] - 0.5 and item.x1 > g[0] + 0.5:
                    return None
        return sum(1 for g in gutters if item.x0 >= g[1] - GUTTER_EDGE_SLACK)

    blocks: list[Block] = []
    band: dict[int, list[_Item]] = {}
    band_number = 0

    def flush_band() -> None:
        nonlocal band_number
        if not band:
            return
        band_number += 1
        for col in sorted(band):
            for block in _items_to_blocks(band[col], page):
                if block.kind == "text" and gutters:
                    block.band, block.column = band_number, col
                blocks.append(block)
        band.clear()

    for item in items:
        col = column_of(item) if gutters else 0
        if col is None:
            flush_band()
            blocks.extend(_items_to_blocks([item], page))
        else:
            band.setdefault(col, []).append(item)
    flush_band()
    mark_page_ends(blocks)
    link_columns(blocks)
    return blocks, table_counter


def _items_to_blocks(items: list[_Item], page: int) -> list[Block]:
    """Consecutive items of one column → text blocks, with tables as their own blocks."""
    blocks: list[Block] = []
    pending: list[_Row] = []

    def flush() -> None:
        if pending:
            merged = _merge_rows(pending)
            x0 = min(r.x0 for r in merged)
            blocks.append(
                Block(
                    page=page,
                    bbox=(
                        x0,
                        min(r.top for r in merged),
                        max(r.x1 for r in merged),
                        max(r.bottom for r in merged),
                    ),
                    lines=_lines(merged, x0),
                )
            )
            pending.clear()

    for item in sorted(items, key=lambda it: (it.top, it.x0)):
        if item.table_blocks is not None:
            flush()
            blocks.extend(item.table_blocks)
        else:
            pending.extend(item.rows)
    flush()
    return blocks


def _merge_rows(rows: list[_Row]) -> list[_Row]:
    """Rows of one column that share a baseline become one row (label + text, bullet + text)."""
    merged: list[_Row] = []
    for row in sorted(rows, key=lambda r: (r.top, r.x0)):
        if merged:
            last = merged[-1]
            overlap = min(last.bottom, row.bottom) - max(last.top, row.top)
            if overlap > 0.5 * min(last.bottom - last.top, row.bottom - row.top):
                merged[-1] = _Row(last.words + row.words)
                continue
        merged.append(row)
    return merged


def _row_text(row: _Row) -> str:
    """Words joined by spaces; a wide gap (a label in the margin, a tab stop) becomes a tab."""
    parts = [row.words[0].text]
    for previous, word in itertools.pairwise(row.words):
        gap = word.x0 - previous.x1
        parts.append("\t" if gap > TAB_GAP_RATIO * max(previous.size, word.size) else " ")
        parts.append(word.text)
    return "".join(parts)


def _lines(rows: list[_Row], block_x0: float) -> list[Line]:
    lines: list[Line] = []
    previous_bottom = None
    for row in rows:
        height = max(1.0, row.bottom - row.top)
        gap = 0.0 if previous_bottom is None else max(0.0, (row.top - previous_bottom) / height)
        previous_bottom = row.bottom
        bold_flags = [w.bold for w in row.words]
        prefix_len = 0
        while prefix_len < len(bold_flags) and bold_flags[prefix_len]:
            prefix_len += 1
        confidences = [w.confidence for w in row.words if w.confidence is not None]
        lines.append(
            Line(
                text=_row_text(row),
                bbox=(row.x0, row.top, row.x1, row.bottom),
                size=round(statistics.median(w.size for w in row.words), 2),
                bold=prefix_len == len(bold_flags),
                bold_prefix=(
                    " ".join(w.text for w in row.words[:prefix_len])
                    if 0 < prefix_len < len(bold_flags)
                    else None
                ),
                gap_before=round(gap, 3),
                indent=round(row.x0 - block_x0, 2),
                ocr_confidence=(round(statistics.fmean(confidences), 1) if confidences else None),
                ocr_words=len(confidences),
            )
        )
    return lines
