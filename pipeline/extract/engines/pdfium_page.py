"""PDFium's page as the pdfium engine sees it: its geometry and what its objects draw.

`View` turns page space (PDF user space, y up) into the displayed page (crop box, rotation,
y down); `page_objects` reads the ruling lines, image boxes and coloured fills of a page's
objects, forms included, as pdfminer sees them.
"""

from __future__ import annotations

import ctypes
import itertools

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from maalspor.extract.engines.words import direction_of, is_white
from maalspor.models.page import BoxTuple, Ruling

# Page objects nest (forms inside forms) at most this deep; PDFium's own limit is similar.
MAX_FORM_DEPTH = 12
# A character matrix whose horizontal and vertical scales differ by less than this share is
# unscaled (no Tz): its glyphs advance by width times size, with no stretch to multiply by.
PLAIN_SCALE_TOLERANCE = 1e-6
_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class View:
    """Page space (PDF user space, y up) → displayed page (crop box, rotation, y down)."""

    def __init__(self, page: pdfium.PdfPage, turn: int = 0) -> None:
        """`turn`: degrees (90, 180, 270) the displayed page is turned counter-clockwise, so
        that text whose baseline runs in that direction (`words.direction_of`) reads left to
        right."""
        # The visible area is the crop box clipped to the media box (PDF 32000 §14.11.2), as
        # PDFium shows the page: boxes inherited from the page tree count (pypdfium2's
        # get_mediabox and get_cropbox read the page's own only, else US Letter: text of an
        # A4 page whose /MediaBox stands on /Pages fell outside), and a box that is no box (a
        # damaged one) gives way to US Letter.
        x0, y0, x1, y1 = page.get_bbox()
        self.x0, self.y0, self.x1, self.y1 = min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)
        self.rotation = (page.get_rotation() - turn) % 360
        across, up = self.x1 - self.x0, self.y1 - self.y0
        self.width, self.height = (up, across) if self.rotation in (90, 270) else (across, up)

    def x_coefficients(self) -> tuple[float, float, float]:
        """(a, b, c) with displayed x = a·x + b·y + c (see `point`)."""
        return {
            0: (1.0, 0.0, -self.x0),
            90: (0.0, 1.0, -self.y0),
            180: (-1.0, 0.0, self.x1),
        }.get(self.rotation, (0.0, -1.0, self.y1))

    def point(self, x: float, y: float) -> tuple[float, float]:
        r = self.rotation
        if r == 0:
            return x - self.x0, self.y1 - y
        if r == 90:
            return y - self.y0, x - self.x0
        if r == 180:
            return self.x1 - x, y - self.y0
        return self.y1 - y, self.x1 - x

    def same_baseline(self, a: tuple[float, float], b: tuple[float, float]) -> bool:
        """Whether two points (page space) lie on one displayed line (equal displayed y)."""
        return a[1] == b[1] if self.rotation in (0, 180) else a[0] == b[0]

    def box(self, left: float, bottom: float, right: float, top: float) -> BoxTuple:
        ax, ay = self.point(left, bottom)
        bx, by = self.point(right, top)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)

    def direction(self, a: float, b: float) -> int:
        """Which way a character matrix's baseline (a, b), page space, runs as displayed
        (`words.direction_of`)."""
        r = self.rotation
        if r == 90:
            a, b = b, -a
        elif r == 180:
            a, b = -a, -b
        elif r == 270:
            a, b = -b, a
        return direction_of(a, b)

    def upright_scale(
        self, a: float, b: float, c: float, d: float
    ) -> tuple[bool, float, float | None]:
        """pdfminer's test for upright text (a·d > 0, b·c ≤ 0) on a character matrix as
        displayed, the matrix's vertical scale (a font size times it is the text's size), and
        for text neither skewed nor mirrored the horizontal scale against the vertical (Tz:
        a glyph advances by its width times the size times this), else None."""
        r = self.rotation
        if r == 90:
            a, b, c, d = b, -a, d, -c
        elif r == 180:
            a, b, c, d = -a, -b, -c, -d
        elif r == 270:
            a, b, c, d = -b, a, -d, c
        stretch = None
        if b == 0 and c == 0 and d > 0 and a > 0:
            stretch = 1.0 if abs(a - d) <= PLAIN_SCALE_TOLERANCE * d else a / d
        # A quarter turn written with cos and sin (6e-17 for 0) passes pdfminer's test: it is
        # sideways text, not upright.
        sideways = direction_of(a, b) in (90, 270)
        return a * d > 0 and b * c <= 0 and not sideways, abs(d), stretch


def page_objects(page, view: View) -> tuple[list[Ruling], list[BoxTuple], list[BoxTuple]]:
    """(rulings, image boxes, coloured fills) of a page (its raw PDFium handle)."""
    rulings: list[Ruling] = []
    images: list[BoxTuple] = []
    fills: list[BoxTuple] = []
    _walk_objects(page, _IDENTITY, view, rulings, images, fills, depth=0)
    return rulings, images, fills


def _fill_is_white(obj) -> bool:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not raw.FPDFPageObj_GetFillColor(obj, r, g, b, a):
        return False
    return a.value > 0 and is_white((r.value, g.value, b.value), 255)


def _multiply(inner: _Matrix, outer: _Matrix) -> _Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def _object_matrix(obj) -> _Matrix:
    matrix = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, matrix):
        return _IDENTITY
    return (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)


def _walk_objects(
    container,
    outer: _Matrix,
    view: View,
    rulings: list[Ruling],
    images: list[BoxTuple],
    fills: list[BoxTuple],
    depth: int,
) -> None:
    """Rulings, image boxes and coloured fills of the page's objects, forms included."""
    in_form = depth > 0
    count = (
        raw.FPDFFormObj_CountObjects(container) if in_form else raw.FPDFPage_CountObjects(container)
    )
    for index in range(count):
        obj = (
            raw.FPDFFormObj_GetObject(container, index)
            if in_form
            else raw.FPDFPage_GetObject(container, index)
        )
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            _path_rulings(obj, _multiply(_object_matrix(obj), outer), view, rulings, fills)
        elif kind == raw.FPDF_PAGEOBJ_IMAGE:
            left, bottom, right, top = (ctypes.c_float() for _ in range(4))
            if raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
                corners = [
                    _apply(outer, x, y)
                    for x in (left.value, right.value)
                    for y in (bottom.value, top.value)
                ]
                xs, ys = [p[0] for p in corners], [p[1] for p in corners]
                images.append(view.box(min(xs), min(ys), max(xs), max(ys)))
        elif kind == raw.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH:
            matrix = _multiply(_object_matrix(obj), outer)
            _walk_objects(obj, matrix, view, rulings, images, fills, depth + 1)


def has_unread_form(page) -> bool:
    """Whether a page (its raw PDFium handle) holds a form PDFium left empty: forms nested
    deeper than PDFium reads (41 and more) come out empty, and their text with them."""
    pending = [(page, False)]
    while pending:
        container, in_form = pending.pop()
        count = (
            raw.FPDFFormObj_CountObjects(container)
            if in_form
            else raw.FPDFPage_CountObjects(container)
        )
        if in_form and count <= 0:
            return True
        for index in range(max(count, 0)):
            obj = (
                raw.FPDFFormObj_GetObject(container, index)
                if in_form
                else raw.FPDFPage_GetObject(container, index)
            )
            if raw.FPDFPageObj_GetType(obj) == raw.FPDF_PAGEOBJ_FORM:
                pending.append((obj, True))
    return False


def _apply(m: _Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _path_rulings(obj, matrix: _Matrix, view: View, rulings: list[Ruling], fills) -> None:
    """Each subpath as pdfminer sees it: a polyline through its points (curve control points
    included), closed when it is a rectangle; its horizontal and vertical sides are rulings."""
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(obj, fill_mode, stroke):
        return
    if fill_mode.value == raw.FPDF_FILLMODE_NONE and not stroke.value:
        return
    subpaths: list[list[tuple[float, float]]] = []
    closed: list[bool] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for index in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, index)
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        point = _apply(matrix, x.value, y.value)
        if raw.FPDFPathSegment_GetType(segment) == raw.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([point])
            closed.append(False)
        else:
            subpaths[-1].append(point)
        if raw.FPDFPathSegment_GetClose(segment):
            closed[-1] = True
    coloured = fill_mode.value != raw.FPDF_FILLMODE_NONE and not _fill_is_white(obj)
    for points, is_closed in zip(subpaths, closed, strict=True):
        if is_closed and len(points) == 4 and points[0] != points[-1]:
            points = [*points, points[0]]  # a rectangle's fourth side
        for (ax, ay), (bx, by) in itertools.pairwise(points):
            if ax == bx or ay == by:
                x0, top, x1, bottom = view.box(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
                if (x0, top) != (x1, bottom):
                    rulings.append(Ruling(x0, top, x1, bottom))
        if coloured and len(points) >= 3:
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            fills.append(view.box(min(xs), min(ys), max(xs), max(ys)))


def font_name(font) -> str:
    """A PDFium font's base name (its PostScript name, subset tag dropped by PDFium)."""
    if not font:
        return ""
    length = raw.FPDFFont_GetBaseFontName(font, None, 0)
    if length <= 0:
        return ""
    buffer = ctypes.create_string_buffer(length)
    raw.FPDFFont_GetBaseFontName(font, buffer, length)
    return buffer.value.decode("utf-8", errors="replace")
