"""Plain text input (`.txt`) → its text as blocks (`DocumentText`, kind "text").

The bytes are decoded by their byte order mark, else as UTF-8, else as Windows-1252; binary
data is refused. Paragraphs (blank-line separated) become blocks and form feeds split pages.
Text laid out in columns with runs of spaces (what `pdftotext -layout` writes) is read by the
same column finding as a PDF page (`columns.py`), character columns and line numbers
standing in for positions.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

from maalspor import errors
from maalspor.extract.columns import Word, flow_items, order_items
from maalspor.extract.furniture import remove_furniture
from maalspor.models.common import Source
from maalspor.models.page import Block, DocumentText, Line, PageText
from maalspor.settings import ExtractSettings


def extract_text_file(path: Path, settings: ExtractSettings) -> DocumentText:
    """A .txt plan: paragraphs (blank-line separated) become blocks; form feeds split pages.

    Text laid out in columns with runs of spaces (what `pdftotext -layout` writes) is read by
    the same layout analysis as a PDF, with character columns and line numbers as geometry.
    """
    limit = settings.max_text_mb * 2**20
    size = path.stat().st_size
    if limit and size > limit:
        raise errors.TextTooLargeError(
            f"{path}: a text file of {size / 2**20:.1f} MB, more than the limit of "
            f"{settings.max_text_mb:g} MB"
        )
    raw = path.read_bytes()
    text = decode_text(raw, path, settings.max_control_share)
    source = Source(path=str(path), sha256=hashlib.sha256(raw).hexdigest(), pages=0)
    if _is_laid_out(text, settings.laid_out_line_share):
        pages = _laid_out_pages(text, settings)
        return DocumentText(
            source=source.model_copy(update={"pages": len(pages)}),
            kind="text",
            pages=pages,
            furniture=remove_furniture(pages, LAYOUT_TEXT_SIZE, settings),
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
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text(
    raw: bytes, path: Path, max_control_share: float = ExtractSettings.max_control_share
) -> str:
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
    if controls > max_control_share * len(text):
        raise errors.NotTextError(f"{path}: not text (binary data: {controls} control characters)")
    return text


# Geometry given to laid-out text: a character is LAYOUT_CHAR_WIDTH wide, a line LAYOUT_LINE
# high, the type LAYOUT_TEXT_SIZE. With ExtractSettings.cell_gap_ratio, one or two spaces are word
# spaces and three or more a gap between columns (pdftotext -layout keeps columns at least that
# far apart).
LAYOUT_CHAR_WIDTH = 5.0
LAYOUT_TEXT_SIZE = 15.0
LAYOUT_LINE = 18.0
_COLUMN_GAP = re.compile(r"\S {3,}\S")


def _is_laid_out(text: str, line_share: float) -> bool:
    lines = [line for line in text.splitlines() if line.strip()]
    wide = sum(1 for line in lines if _COLUMN_GAP.search(line))
    return len(lines) >= 10 and wide >= line_share * len(lines)


def _laid_out_pages(text: str, settings: ExtractSettings) -> list[PageText]:
    pages: list[PageText] = []
    table_counter = 0
    for number, page_text in enumerate(text.split("\f"), start=1):
        lines = page_text.expandtabs(8).splitlines()
        words = [
            Word(
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
        items, gutters = flow_items(words, settings)
        blocks, table_counter = order_items(items, gutters, number, table_counter, settings)
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
