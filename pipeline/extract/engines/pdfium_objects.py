"""PDFium's text page at the speed of bare C calls, for the pdfium engine (`pdfium.py`).

`BARE` holds the functions of the characters' hot path bound without pypdfium2's typed wrappers
or ctypes' argument conversion; `ObjectReader` reads what holds for a whole text object (font,
size, baseline, colour, direction) once for it.
"""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import Any, NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from maalspor import errors
from maalspor.extract.engines.descents import FontMetrics
from maalspor.extract.engines.pdfium_page import View, font_name
from maalspor.extract.engines.words import is_white

_FILL_TEXT_MODES = {raw.FPDF_TEXTRENDERMODE_FILL, raw.FPDF_TEXTRENDERMODE_FILL_CLIP}


class Bare(NamedTuple):
    """PDFium's functions for the hot paths of `pdfium._chars` and `ObjectReader`, bound bare.

    pypdfium2's typed bindings wrap each returned pointer in an object, which costs more than
    the call; and ctypes' own argument conversion (`argtypes`) costs as much again. So these
    are bound without either: callers hand in ready ctypes objects (the text page and page
    objects as `c_void_p`, results by reference) and plain ints for indexes, which ctypes
    passes as C ints.
    """

    text_object: Any  # FPDFText_GetTextObject(textpage, index) -> page object or None
    loose_box: Any  # FPDFText_GetLooseCharBox(textpage, index, FS_RECTF*)
    origin: Any  # FPDFText_GetCharOrigin(textpage, index, double* x, double* y)
    matrix: Any  # FPDFText_GetMatrix(textpage, index, FS_MATRIX*)
    font_size: Any  # FPDFText_GetFontSize(textpage, index) -> double
    unmapped: Any  # FPDFText_HasUnicodeMapError(textpage, index) -> int
    font: Any  # FPDFTextObj_GetFont(text object) -> font or None
    render_mode: Any  # FPDFTextObj_GetTextRenderMode(text object) -> int
    fill_color: Any  # FPDFPageObj_GetFillColor(object, unsigned* r, g, b, a)


def _bare_functions() -> Bare:
    library = ctypes.CDLL(raw.__dict__.get("_libs_path") or _library_path())

    def bound(name: str, result):
        function = getattr(library, name)
        function.restype = result
        return function

    return Bare(
        text_object=bound("FPDFText_GetTextObject", ctypes.c_void_p),
        loose_box=bound("FPDFText_GetLooseCharBox", ctypes.c_int),
        origin=bound("FPDFText_GetCharOrigin", ctypes.c_int),
        matrix=bound("FPDFText_GetMatrix", ctypes.c_int),
        font_size=bound("FPDFText_GetFontSize", ctypes.c_double),
        unmapped=bound("FPDFText_HasUnicodeMapError", ctypes.c_int),
        font=bound("FPDFTextObj_GetFont", ctypes.c_void_p),
        render_mode=bound("FPDFTextObj_GetTextRenderMode", ctypes.c_int),
        fill_color=bound("FPDFPageObj_GetFillColor", ctypes.c_int),
    )


def _library_path() -> str:
    import pypdfium2_raw

    folder = Path(pypdfium2_raw.__file__).parent
    for name in ("libpdfium.so", "libpdfium.dylib", "pdfium.dll"):
        if (folder / name).exists():
            return str(folder / name)
    raise errors.DamagedPdfError("pdfium library not found beside pypdfium2_raw")


BARE = _bare_functions()


class ObjectReader:
    """What holds for a whole text object, read once for it (see `pdfium._chars`), with buffers that
    the bare calls write into kept from object to object."""

    def __init__(self, textpage: pdfium.PdfTextPage, view: View, metrics_of) -> None:
        self.textpage = textpage
        self.handle = ctypes.c_void_p(ctypes.cast(textpage.raw, ctypes.c_void_p).value)
        self.view = view
        self.metrics_of = metrics_of
        self.fonts: dict[int, tuple[str, FontMetrics | None]] = {}
        self.matrix = raw.FS_MATRIX()
        self.matrix_ref = ctypes.byref(self.matrix)
        self.origin = (ctypes.c_double * 2)()
        self.origin_refs = (
            ctypes.byref(self.origin),
            ctypes.byref(self.origin, ctypes.sizeof(ctypes.c_double)),
        )
        self.colour = (ctypes.c_uint * 4)()
        self.colour_refs = tuple(
            ctypes.byref(self.colour, i * ctypes.sizeof(ctypes.c_uint)) for i in range(4)
        )

    def info(self, index: int, obj: int):
        """(size, font name, upright, white, top, bottom, unmapped, dropped widths, advances if
        the boxes can be skipped, advances, what a width is multiplied by to give an advance
        on the page, the direction of its baseline as displayed, pdfminer's font metrics)
        of the characters of text object `obj`, whose first character is `index`; `unmapped`
        when its font has glyphs without Unicode (checked per character), dropped widths as
        in `descents.FontMetrics`."""
        handle, view, bare = self.handle, self.view, BARE
        pointer = ctypes.c_void_p(obj)
        matrix = self.matrix
        bare.matrix(handle, index, self.matrix_ref)
        upright, scale, stretch = view.upright_scale(matrix.a, matrix.b, matrix.c, matrix.d)
        direction = view.direction(matrix.a, matrix.b)
        # PDFium's size is the one set with Tf; pdfminer's, the size as printed (scaled by Tm).
        size = bare.font_size(handle, index) * (scale if upright else 1.0)
        font_key = bare.font(pointer) or 0
        if font_key not in self.fonts:
            font = ctypes.cast(font_key, raw.FPDF_FONT) if font_key else None
            name = font_name(font)
            self.fonts[font_key] = (name, self.metrics_of(name))
        fontname, metrics = self.fonts[font_key]
        if metrics is not None and metrics.descent is not None:
            descent = metrics.descent * size
        elif font_key:
            value = ctypes.c_float(0.0)
            raw.FPDFFont_GetDescent(
                ctypes.cast(font_key, raw.FPDF_FONT), ctypes.c_float(size), value
            )
            descent = value.value
        else:
            descent = 0.0
        bare.origin(handle, index, *self.origin_refs)
        _, baseline = view.point(self.origin[0], self.origin[1])
        bottom = baseline - descent
        white = False
        if bare.render_mode(pointer) in _FILL_TEXT_MODES:
            white = self._white(pointer)
        # Checked per character where the object's first one has no Unicode or the font names
        # glyphs without one; elsewhere, where PDFium's text is no printable character.
        unmapped = bare.unmapped(handle, index) == 1 or bool(metrics and metrics.no_unicode)
        dropped = None if metrics is None else metrics.dropped_widths
        advances = None if metrics is None else metrics.advances
        # Unskewed text of a font whose widths are known advances by them (times the size and
        # any horizontal scaling, `step`): its characters need no box from PDFium (`pdfium._chars`).
        by_advance = advances if upright and stretch is not None else None
        step = size * stretch if upright and stretch is not None else size
        top = bottom - size
        return (
            size,
            fontname,
            upright,
            white,
            top,
            bottom,
            unmapped,
            dropped,
            by_advance,
            advances,
            step,
            direction,
            metrics,
        )

    def _white(self, pointer: ctypes.c_void_p) -> bool:
        if not BARE.fill_color(pointer, *self.colour_refs):
            return False
        r, g, b, a = self.colour
        return a > 0 and is_white((r, g, b), 255)
