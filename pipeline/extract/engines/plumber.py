"""The pdfplumber engine: characters and edges as pdfminer reads them.

Slower than pdfium (pdfminer decodes every glyph in Python) but pure Python, and the reference
the pdfium engine is measured against: both give the same words (boxes within 0.5 pt).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from maalspor import errors
from maalspor.extract.engines.words import Char, RawPage, is_white
from maalspor.extract.pdfguard import close_pdf, declared_page_count, guard_streams, raise_if_limit
from maalspor.models.page import BoxTuple, Ruling


class PlumberDocument:
    def __init__(self, path: Path, password: str | None) -> None:
        self.path = path
        self._pdf = _open(path, password)
        # The count the page tree declares, read without loading it (a 20,000-page tree is
        # refused at once); None where the PDF does not say.
        self.declared_page_count = declared_page_count(self._pdf)

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
            return _read(page)
        finally:
            with contextlib.suppress(Exception):
                page.close()

    def close(self) -> None:
        close_pdf(self._pdf)  # without loading the page tree, which pdfplumber's close() does


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

    chars = [
        Char(
            c["text"],
            c["x0"] - left,
            c["top"] - top,
            c["x1"] - left,
            c["bottom"] - top,
            c["size"],
            c["fontname"] or "",
            bool(c.get("upright", True)),
            is_white(_colour(c.get("non_stroking_color"))),
        )
        for c in page.chars
    ]
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
    return RawPage(
        number=page.page_number,
        width=right - left,
        height=bottom - top,
        rotation=int(page.rotation),
        chars=chars,
        rulings=rulings,
        image_boxes=images,
        dark_fills=fills,
    )
