"""The pdfplumber engine: characters and edges as pdfminer reads them.

Slower than pdfium (pdfminer decodes every glyph in Python) but pure Python, and the reference
the pdfium engine is measured against: both give the same words (boxes within 0.5 pt).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from maalspor import errors
from maalspor.extract.engines.descents import DescriptorDescents, base_name
from maalspor.extract.engines.words import (
    Char,
    RawPage,
    direction_of,
    is_white,
    text_direction,
    turn_page,
)
from maalspor.extract.pdfguard import close_pdf, declared_page_count, guard_streams, raise_if_limit
from maalspor.models.page import BoxTuple, Ruling

# pdfminer gives a sideways character the width of its box as its size, through a matrix that
# may hold 6e-17 for 0: rounded to this many decimals, a run's characters share one size (and
# so one word group). PDF writers set sizes to at most 3-4 decimals.
SIZE_DECIMALS = 4


class PlumberDocument:
    def __init__(self, path: Path, password: str | None) -> None:
        self.path = path
        self._pdf = _open(path, password)
        # The count the page tree declares, read without loading it (a 20,000-page tree is
        # refused at once); None where the PDF does not say.
        self.declared_page_count = declared_page_count(self._pdf)
        # The fonts' Unicode as pdfminer's font dictionaries give it, page by page: codes whose
        # glyph names name no character (see `_undecoded`).
        self._fonts = DescriptorDescents(path, password)

    @property
    def page_count(self) -> int:
        try:
            return len(self._pdf.pages)  # loads the whole page tree
        except Exception as error:
            raise_if_limit(error, self.path)
            raise errors.DamagedPdfError(f"{self.path}: damaged PDF ({error})") from error

    @property
    def metadata_title(self) -> str | None:
        try:
            title = self._pdf.metadata.get("Title")
        except Exception:
            return None
        if isinstance(title, bytes):
            title = title.decode("utf-8", errors="replace")
        return title.strip() if isinstance(title, str) and title.strip() else None

    def read_page(self, index: int) -> RawPage:
        page = self._pdf.pages[index]
        try:
            read = _read(page)
        finally:
            with contextlib.suppress(Exception):
                page.close()
        return read._replace(chars=_undecoded(read.chars, lambda n: self._fonts.metrics(index, n)))

    def page_exists(self, index: int) -> bool:
        return True  # pdfminer counts only the pages it finds

    def close(self) -> None:
        self._fonts.close()
        close_pdf(self._pdf)  # without loading the page tree, which pdfplumber's close() does


def _undecoded(chars: list[Char], metrics_of) -> list[Char]:
    """Characters of codes whose glyph names (a font's /Differences) name no character, and
    that no /ToUnicode maps, as "(cid:N)": pdfminer reads them as its base encoding's letters
    ("%" for code 37), where the pdfium engine writes "(cid:37)" (`descents.glyph_text`)."""
    invented: dict[str, dict[str, int] | None] = {}
    for char in chars:
        if char[6] not in invented:
            metrics = metrics_of(base_name(char[6]))
            codes = None if metrics is None else metrics.no_unicode
            texts = None if metrics is None else metrics.texts
            invented[char[6]] = (
                {texts[c]: c for c in codes if c in texts} if codes and texts else None
            ) or None
    if not any(invented.values()):
        return chars  # the usual page: no such font
    found = []
    for char in chars:
        by_text = invented[char[6]]
        if by_text and char[0] in by_text:
            char = char._replace(text=f"(cid:{by_text[char[0]]})")
        found.append(char)
    return found


def _open(path: Path, password: str | None):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    guard_streams()
    try:
        return pdfplumber.open(path, password=password or "")
    except PdfminerException as wrapped:
        raise_if_limit(wrapped, path)
        cause = wrapped.args[0] if wrapped.args else wrapped
        if isinstance(cause, PDFPasswordIncorrect):
            if password:
                raise errors.WrongPasswordError(f"{path}: the password is wrong") from wrapped
            raise errors.EncryptedPdfError(f"{path}: the PDF is encrypted") from wrapped
        if isinstance(cause, PDFEncryptionError):
            raise errors.EncryptedPdfError(
                f"{path}: the PDF uses an encryption maalspor cannot open ({cause})"
            ) from wrapped
        raise errors.DamagedPdfError(f"{path}: damaged PDF ({cause})") from wrapped
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
        raise errors.DamagedPdfError(f"{path}: damaged PDF ({error})") from error


def _colour(value) -> tuple[float, ...]:
    if isinstance(value, (int, float)):
        return (float(value),)
    if isinstance(value, (list, tuple)) and all(isinstance(v, (int, float)) for v in value):
        return tuple(float(v) for v in value)
    return ()  # a pattern or no colour: not white


def _read(page) -> RawPage:
    # pdfplumber keeps media-box coordinates; the page shown is the crop box.
    mx0, mtop, mx1, mbottom = page.mediabox
    cx0, ctop, cx1, cbottom = page.cropbox
    left, top = max(cx0, mx0), max(ctop, mtop)
    right, bottom = min(cx1, mx1), min(cbottom, mbottom)

    def shift(x0: float, t: float, x1: float, b: float) -> BoxTuple:
        return x0 - left, t - top, x1 - left, b - top

    chars = [_char(c, left, top) for c in page.chars]
    rulings = [
        Ruling(*shift(e["x0"], e["top"], e["x1"], e["bottom"]))
        for e in page.edges
        if (e["x0"] == e["x1"] or e["top"] == e["bottom"])
        and (e["x0"], e["top"])
        != (
            e["x1"],
            e["bottom"],
        )
    ]
    images = [shift(i["x0"], i["top"], i["x1"], i["bottom"]) for i in page.images]
    fills = [
        shift(r["x0"], r["top"], r["x1"], r["bottom"])
        for r in (*page.rects, *page.curves)
        if r.get("fill") and not is_white(_colour(r.get("non_stroking_color")))
    ]
    raw = RawPage(
        number=page.page_number,
        width=right - left,
        height=bottom - top,
        rotation=int(page.rotation),
        chars=chars,
        rulings=rulings,
        image_boxes=images,
        dark_fills=fills,
    )
    # Text that runs sideways (a table printed across a portrait page, a page turned with
    # /Rotate over upright content) is read with the page turned so that it runs left to right.
    return turn_page(raw, text_direction(chars))


def _char(c: dict, left: float, top: float) -> Char:
    """pdfminer's character on the displayed page (crop box at the origin), with the direction
    its matrix gives: pdfminer's `upright` takes a quarter turn written with cos and sin
    (6e-17 for 0) for upright, and its `size` of such a character is its advance."""
    matrix = c.get("matrix") or (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    direction = direction_of(matrix[0], matrix[1])
    sideways = direction in (90, 270)
    return Char(
        c["text"],
        c["x0"] - left,
        c["top"] - top,
        c["x1"] - left,
        c["bottom"] - top,
        round(c["x1"] - c["x0"], SIZE_DECIMALS) if sideways else c["size"],
        c["fontname"] or "",
        bool(c.get("upright", True)) and not sideways,
        is_white(_colour(c.get("non_stroking_color"))),
        direction,
    )
