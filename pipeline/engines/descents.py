"""Font metrics as pdfminer reads them, for the pdfium engine's character boxes.

A character box is one font size high and starts at the font's descent below the baseline.
pdfminer takes the descent from the font descriptor as written (0 when the writer left it 0, as
LibreOffice does); PDFium then measures the font itself. Both are defensible, but the engines
must give the same boxes, so the pdfium engine asks here: the descriptor's /Descent, read with
pdfminer's parser (already installed with pdfplumber), once per font name and page. When the
file is too damaged for pdfminer, PDFium's own descent stands.

Likewise widths: PDFium keeps a simple font's /Widths as whole thousandths of the size, so
where a writer gives fractions (reportlab does: 773.926) its characters drift left along a line,
0.02 pt a character at 20 pt. For such fonts the fractions PDFium dropped are given here.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, NamedTuple

# Form XObjects nest at most this deep when looking for their fonts.
MAX_FORM_DEPTH = 8


def _base_name(name: Any) -> str:
    text = name.name if hasattr(name, "name") else str(name or "")
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    # A subset's name has a six-letter tag in front ("BAAAAA+Carlito"); PDFium drops it.
    return text.split("+", 1)[1] if len(text) > 7 and text[6] == "+" else text


class FontMetrics(NamedTuple):
    descent: float | None  # per point of size, negative; None: PDFium's stands
    dropped_widths: dict[str, float] | None  # text → width fraction PDFium drops (per point)


class DescriptorDescents:
    """pdfminer's font metrics by base font name, page by page."""

    def __init__(self, path: Path, password: str | None) -> None:
        self._path = Path(path)
        self._password = password or ""
        self._pages: list | None = None
        self._failed = False
        self._by_page: dict[int, dict[str, FontMetrics]] = {}
        self._handle = None

    def metrics(self, page_index: int, font_name: str) -> FontMetrics | None:
        """The metrics of the page's font of that name, if they can be read."""
        fonts = self._by_page.get(page_index)
        if fonts is None:
            fonts = self._by_page[page_index] = self._page_fonts(page_index)
        return fonts.get(font_name)

    def _page_fonts(self, page_index: int) -> dict[str, FontMetrics]:
        pages = self._load()
        if pages is None or page_index >= len(pages):
            return {}
        fonts: dict[str, FontMetrics] = {}
        try:
            _collect(pages[page_index].resources or {}, fonts, 0)
        except Exception:  # a broken resource dictionary: PDFium's values stand
            return fonts
        return fonts

    def _load(self) -> list | None:
        if self._pages is not None or self._failed:
            return self._pages
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser

        try:
            self._handle = self._path.open("rb")
            document = PDFDocument(PDFParser(self._handle), password=self._password)
            self._pages = list(PDFPage.create_pages(document))
        except Exception:  # pdfminer cannot read the file; PDFium may (that is its point)
            self._failed = True
            self.close()
        return self._pages

    def close(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self._handle.close()
            self._handle = None


def _collect(resources: Any, fonts: dict[str, FontMetrics], depth: int) -> None:
    from pdfminer.pdftypes import resolve1

    resources = resolve1(resources)
    if not isinstance(resources, dict):
        return
    for spec in (resolve1(resolve1(resources.get("Font")) or {}) or {}).values():
        spec = resolve1(spec)
        if isinstance(spec, dict):
            name = _base_name(resolve1(spec.get("BaseFont")))
            if name not in fonts:
                fonts[name] = FontMetrics(_descent(spec), _dropped_widths(spec))
    if depth >= MAX_FORM_DEPTH:
        return
    for xobject in (resolve1(resources.get("XObject")) or {}).values():
        xobject = resolve1(xobject)
        attrs = getattr(xobject, "attrs", None)
        if attrs and _name(attrs.get("Subtype")) == "Form" and "Resources" in attrs:
            _collect(attrs["Resources"], fonts, depth + 1)


def _name(value: Any) -> str:
    return value.name if hasattr(value, "name") else str(value)


def _dropped_widths(spec: dict) -> dict[str, float] | None:
    """For a simple font whose /Widths hold fractions: text → fraction per point of size."""
    from pdfminer.pdfinterp import PDFResourceManager
    from pdfminer.pdftypes import resolve1

    widths = resolve1(spec.get("Widths"))
    if not isinstance(widths, list):
        return None
    values = [resolve1(w) for w in widths]
    if all(isinstance(w, int) or float(w).is_integer() for w in values if w is not None):
        return None
    try:
        font = PDFResourceManager().get_font(None, spec)
    except Exception:
        return None
    dropped: dict[str, float] = {}
    for code, width in font.widths.items():
        fraction = float(width or 0) - int(width or 0)
        if fraction:
            with contextlib.suppress(Exception):
                dropped[font.to_unichr(code)] = fraction / 1000.0
    return dropped or None


def _descent(spec: dict) -> float | None:
    """pdfminer's `font.get_descent()` for a font dictionary (None: no descriptor to read)."""
    from pdfminer.pdftypes import resolve1

    subtype = _name(resolve1(spec.get("Subtype")))
    if subtype == "Type0":
        descendants = resolve1(spec.get("DescendantFonts")) or []
        spec = resolve1(descendants[0]) if descendants else {}
    if subtype == "Type3":
        box = resolve1(spec.get("FontBBox")) or [0, 0, 0, 0]
        matrix = resolve1(spec.get("FontMatrix")) or [0.001, 0, 0, 0.001, 0, 0]
        vscale = float(resolve1(matrix[1])) + float(resolve1(matrix[3]))  # apply_matrix_norm
        return float(resolve1(box[1])) * vscale
    descriptor = resolve1(spec.get("FontDescriptor"))
    if not isinstance(descriptor, dict):
        return None
    value = float(resolve1(descriptor.get("Descent", 0)) or 0)
    return -abs(value) / 1000.0
