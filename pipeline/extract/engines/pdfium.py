"""The pdfium engine: characters through PDFium's text page (rulings, images and fills from its
page objects, and the page's geometry: `pdfium_page`).

PDFium (pypdfium2) reads a 500-page plan's characters in a few seconds where pdfminer needs
half a minute, and it repairs what pdfminer gives up on (cross-reference offsets off by a few
bytes). Boxes are made to match pdfminer's, so both engines give the same words:
  - x0 from the character's origin; x1 the origin plus the glyph's width (times the size and
    any horizontal scaling) where the font's widths are known and the text is not skewed
    (nearly all text), else from PDFium's loose box (origin plus advance width, as pdfminer's;
    it also reaches left to the glyph's ink, as for a "j", so x0 is never taken from it);
  - top/bottom from the baseline, the font's descent and the size: pdfminer's box is one font
    size high, starting at the descent below the baseline (PDFium's own boxes are the glyph's).
Most words are read at once (four calls into PDFium for the word, see `_chars`); other
characters with two calls each (their text object and origin; a third, the box, where the
widths are unknown). What holds for a whole text object (font, size, baseline, colour,
direction) is read once for it.
"""

from __future__ import annotations

import ctypes
import itertools
import re
import struct
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from maalspor import errors
from maalspor.extract.engines.descents import DescriptorDescents, glyph_text
from maalspor.extract.engines.pdfium_objects import BARE, ObjectReader
from maalspor.extract.engines.pdfium_page import View, has_unread_form, page_objects
from maalspor.extract.engines.words import (
    X_TOLERANCE,
    Char,
    RawPage,
    text_direction,
)
from maalspor.extract.pdfguard import check_streams

# A box reaching this far (points) past the glyph's advance is the glyph's ink; less is PDFium's
# single precision, where its own box end is the closer to pdfminer's.
INK_OVERHANG = 0.01
_LINE_END_HYPHEN_CHAR = "\ufffe"
# A word read at once (see `_chars`): characters that are not white space, and the one after.
_RUN = re.compile(r"\S+\s?")
# How far (points) a word's last character may lie from where its widths put it for the
# characters between to be placed by their widths. Kerning inside a word moves characters by
# hundredths of a point; a gap that splits a word is X_TOLERANCE (3 pt), far beyond this.
RUN_TOLERANCE = 0.5
# One C call reads a whole FS_RECTF (left, top, right, bottom) or origin (x, y) out of its
# buffer, where indexing the ctypes array makes a call per number.
_RECT = struct.Struct("4f").unpack_from
_POINT = struct.Struct("2d").unpack_from


class PdfiumDocument:
    """An open PDF; pages are loaded one at a time and released when read."""

    def __init__(self, path: Path, password: str | None) -> None:
        self.path = path
        try:
            check_streams(path)  # PDFium inflates in C, beyond reach of a Python guard
        except errors.StreamTooLargeError as error:
            raise errors.StreamTooLargeError(f"{path}: {error}") from None
        try:
            self._pdf = pdfium.PdfDocument(str(path), password=password or None)
        except pdfium.PdfiumError as error:
            raise _typed_error(path, error, password) from error
        self.page_count = len(self._pdf)  # cheap: PDFium counts without loading the pages
        self.declared_page_count: int | None = self.page_count
        self._descents = DescriptorDescents(path, password)
        self._password = password
        self._other = None  # pdfminer, opened at the first page PDFium cannot read whole

    @property
    def metadata_title(self) -> str | None:
        try:
            title = self._pdf.get_metadata_value("Title")
        except Exception:
            return None
        return title.strip() or None if isinstance(title, str) else None

    def read_page(self, index: int) -> RawPage:
        page = self._pdf[index]
        try:
            read = _read(page, index, self._descents)
            too_deep = not read.chars and has_unread_form(page.raw)
        finally:
            page.close()
        if too_deep:
            # PDFium reads forms 40 deep at most: the text of a page nested deeper is read by
            # pdfminer, which reads as deep as Python's recursion goes.
            return self._read_with_pdfminer(index, read)._replace(too_deep=True)
        return read

    def page_exists(self, index: int) -> bool:
        try:
            self._pdf[index].close()
        except pdfium.PdfiumError:
            return False
        return True

    def _read_with_pdfminer(self, index: int, read: RawPage) -> RawPage:
        from maalspor.extract.engines.plumber import PlumberDocument

        try:
            if self._other is None:
                self._other = PlumberDocument(self.path, self._password)
            other = self._other.read_page(index)
        except (errors.MaalsporError, MemoryError):
            raise
        except Exception:  # RecursionError for forms nested hundreds deep; a damaged stream
            return read
        return other._replace(fallback=bool(other.chars))

    def close(self) -> None:
        self._descents.close()
        self._pdf.close()
        if self._other is not None:
            self._other.close()


def _typed_error(path: Path, error: Exception, password: str | None) -> errors.MaalsporError:
    code = getattr(error, "err_code", None)
    if code == raw.FPDF_ERR_PASSWORD:
        if password:
            return errors.WrongPasswordError(f"{path}: the password is wrong")
        return errors.EncryptedPdfError(f"{path}: the PDF is encrypted")  # the CLI adds its hint
    if code == raw.FPDF_ERR_SECURITY:
        return errors.EncryptedPdfError(
            f"{path}: the PDF uses an encryption maalspor cannot open ({error})"
        )
    if code == raw.FPDF_ERR_FILE:
        return errors.InputNotFoundError(f"{path}: cannot read the file ({error})")
    return errors.DamagedPdfError(f"{path}: damaged PDF ({error})")


def _read(page: pdfium.PdfPage, index: int, descents: DescriptorDescents) -> RawPage:
    view = View(page)
    textpage = page.get_textpage()
    metrics = lambda name: descents.metrics(index, name)  # noqa: E731
    try:
        chars = _chars(textpage, view, metrics)
        # Text that runs sideways or upside down on the displayed page (a table printed across
        # a portrait page, a page turned with /Rotate over upright content) is read again with
        # the page turned so that it runs left to right: the engine's boxes stay pdfminer's.
        turn = text_direction(chars)
        if turn:
            view = View(page, turn)
            chars = _chars(textpage, view, metrics)
    finally:
        textpage.close()
    rulings, images, fills = page_objects(page.raw, view)
    return RawPage(
        number=index + 1,
        width=view.width,
        height=view.height,
        rotation=view.rotation,
        chars=chars,
        rulings=rulings,
        image_boxes=images,
        dark_fills=fills,
        turned=turn,
    )


def _chars(textpage: pdfium.PdfTextPage, view: View, metrics_of) -> list[Char]:
    """The page's characters in content order; `metrics_of(font name)` gives pdfminer's
    metrics of a font (descent, widths), or None.

    The loop is the engine's hot path (every character of the document passes it): plain
    tuples, page-to-display coefficients instead of calls, what holds for a whole text object
    read once, and a word at a time where it can be: one `Char` for the word's characters
    (see `words.Char`), from four calls into PDFium. Elsewhere a character at a time, with two
    bare calls into PDFium (three where a font's widths are unknown).
    """
    count = raw.FPDFText_CountChars(textpage.raw)
    if count <= 0:
        return []
    units = (ctypes.c_ushort * (count + 1))()
    written = raw.FPDFText_GetText(textpage.raw, 0, count, units)
    codes = units[:count]  # one list of ints: indexing the ctypes array is a call each time
    if written != count + 1:
        # PDFium's text leaves out characters it gives no text (a C1 control code such as
        # 0x96 where the font maps no Unicode): every character after one would stand beside
        # the next one's position. Then each character's Unicode is asked for by its index.
        unicode_of = raw.FPDFText_GetUnicode
        codes = [unicode_of(textpage.raw, index) for index in range(count)]
    # PDFium marks a hyphen that ends a line (U+FFFE in its text); the PDF printed "-".
    page_text = "".join(map(chr, codes)).replace(_LINE_END_HYPHEN_CHAR, "-")
    handle = ctypes.c_void_p(ctypes.cast(textpage.raw, ctypes.c_void_p).value)
    box = (ctypes.c_float * 4)()  # FS_RECTF: left, top, right, bottom
    box_ref = ctypes.byref(box)
    text_object, loose_box, char_origin = BARE.text_object, BARE.loose_box, BARE.origin
    origin = (ctypes.c_double * 2)()
    origin_x_ref = ctypes.byref(origin)
    origin_y_ref = ctypes.byref(origin, ctypes.sizeof(ctypes.c_double))
    rect, point = _RECT, _POINT
    xa, xb, xc = view.x_coefficients()  # displayed x = xa·x + xb·y + xc
    chars: list[Char] = []
    append = chars.append
    objects = ObjectReader(textpage, view, metrics_of)
    # Words with the space after them (if any) by where they start: where they end.
    run_ends = {m.start(): m.end() for m in _RUN.finditer(page_text) if m.end() - m.start() > 1}
    indexes = iter(range(count))
    same_baseline, page_width = view.same_baseline, view.width
    drift = 0.0  # how far PDFium's rounded widths put this character left of pdfminer's
    current = None
    size = step = top = bottom = 0.0
    fontname = ""
    direction = 0
    font_metrics = None
    upright = white = unmapped = False
    dropped = advances = by_advance = None
    previous_box = None  # the last character's box, or its origin when read without a box
    box_end = 0.0  # the right edge of the last character's box (before `_advance_end`)
    for index in indexes:
        obj = text_object(handle, index)
        if obj is None:
            continue  # a space or line break PDFium generated: not in the content
        if obj != current:
            current, previous_box, drift = obj, None, 0.0
            info = objects.info(index, obj)
            size, fontname, upright, white, top, bottom = info[:6]
            unmapped, dropped, by_advance, advances, step, direction, font_metrics = info[6:]
        run_end = run_ends.get(index)
        if run_end is not None and by_advance is not None and not (unmapped or white):
            # A word at once (see `words.Char`): where its characters belong to one text object
            # of plain, visible text with known widths, and its last character lies where the
            # widths put it (no kerning, character spacing or ligature moved it by more than
            # RUN_TOLERANCE), the word is one Char, with the space after it if that is the
            # object's too (a space PDFium generated belongs to no object).
            spaced = page_text[run_end - 1].isspace()
            word_end = run_end - 1 if spaced else run_end
            last_index = word_end - 1
            with_space = spaced and text_object(handle, run_end - 1) == obj
            run = page_text[index:word_end]
            run_advances = list(map(by_advance.get, run))
            if None not in run_advances and (
                with_space or last_index == index or text_object(handle, last_index) == obj
            ):
                char_origin(handle, index, origin_x_ref, origin_y_ref)
                first = point(origin)
                if last_index == index:
                    last = first
                else:
                    char_origin(handle, last_index, origin_x_ref, origin_y_ref)
                    last = point(origin)
                x0 = xa * first[0] + xb * first[1] + xc + drift
                end_x0 = xa * last[0] + xb * last[1] + xc + drift
                lost = None if dropped is None else [dropped.get(t, 0.0) for t in run]
                if lost is not None:
                    end_x0 += sum(lost[:-1]) * step
                x1 = end_x0 + run_advances[-1] * step
                if (
                    first != previous_box
                    and same_baseline(first, last)
                    and abs(x0 + sum(run_advances[:-1]) * step - end_x0) <= RUN_TOLERANCE
                    and x0 > 0.0
                    and x1 < page_width
                ):
                    end = run_end if with_space else word_end
                    text = page_text[index:end]
                    append((text, x0, top, x1, bottom, size, fontname, True, False))
                    if lost is not None:
                        drift += sum(lost) * step
                        if with_space:
                            drift += dropped.get(text[-1], 0.0) * step
                    previous_box = last
                    if end - index > 1:  # skip the characters read above
                        next(itertools.islice(indexes, end - index - 2, None), None)
                    continue
        text = page_text[index]
        if (unmapped or not text.isprintable()) and raw.FPDFText_HasUnicodeMapError(
            textpage.raw, index
        ):
            text = glyph_text(text, codes[index], font_metrics)
        advance = None if by_advance is None else by_advance.get(text)
        if advance is not None:
            # Plain text with known widths (nearly all text): the box is pdfminer's, from the
            # origin and the advance, and PDFium's own box is not asked for.
            char_origin(handle, index, origin_x_ref, origin_y_ref)
            at = point(origin)
            if at == previous_box and not (text.isspace() or chars[-1][0][-1].isspace()):
                # A ligature ("ﬁ") is one glyph that PDFium reports once per letter (a space
                # of no width, where /Widths lacks it, shares the next letter's origin).
                last = chars[-1]
                text = last[0] + text
                whole = by_advance.get(text)
                x1 = last[3] if whole is None else last[1] + whole * step
                chars[-1] = (text, last[1], last[2], x1, *last[4:])
                continue
            previous_box = at
            x0 = xa * at[0] + xb * at[1] + xc
            if dropped is not None:
                x0 += drift
                drift += dropped.get(text, 0.0) * step
            x1 = x0 + advance * step
            # Where the font's /Widths (pdfminer's) make the glyph far narrower than PDFium
            # draws it (a damaged /Widths entry), the word would fall apart at it: PDFium's
            # own box ends the glyph (its positions are what the page shows).
            loose_box(handle, index, box_ref)
            left, top_edge, right, bottom_edge = rect(box)
            drawn = max(xa * left + xb * bottom_edge, xa * right + xb * top_edge) + xc
            if drawn > x1 + X_TOLERANCE:
                x1 = drawn
            append((text, x0, top, x1, bottom, size, fontname, True, white))
            continue
        loose_box(handle, index, box_ref)
        left, top_edge, right, bottom_edge = rect(box)
        if (
            previous_box is not None
            and (left, right, top_edge) == previous_box
            and not (text.isspace() or chars[-1][0][-1].isspace())
        ):
            # A ligature ("ti") is one glyph that PDFium reports once per letter.
            last = chars[-1]
            text = last[0] + text
            x1 = _advance_end(last[1], box_end, text, step, advances)
            chars[-1] = (text, last[1], last[2], x1, *last[4:])
            continue
        previous_box = (left, right, top_edge)
        if upright:
            # Only the advance is taken from the box: the height is pdfminer's (see above).
            char_origin(handle, index, origin_x_ref, origin_y_ref)
            origin_x, origin_y = point(origin)
            x0 = xa * origin_x + xb * origin_y + xc
            x1 = xa * left + xb * bottom_edge + xc
            other = xa * right + xb * top_edge + xc
            if other > x1:
                x1 = other
            if dropped is not None:
                lost = dropped.get(text, 0.0) * step
                x0, x1 = x0 + drift, x1 + drift + lost
                drift += lost
            box_end = x1
            x1 = _advance_end(x0, x1, text, step, advances)
            append((text, x0, top, x1, bottom, size, fontname, True, white, direction))
        else:
            x0, shown_top, x1, shown_bottom = view.box(left, bottom_edge, right, top_edge)
            append((text, x0, shown_top, x1, shown_bottom, size, fontname, False, white, direction))
    return chars


def _advance_end(x0: float, x1: float, text: str, step: float, advances) -> float:
    """The end of the glyph's advance: the ink of some glyphs (an "f" in Times) reaches past
    it, and PDFium's box with it; pdfminer's box ends at the advance."""
    if advances is not None:
        advance = advances.get(text)
        if advance is not None and x0 + advance * step < x1 - INK_OVERHANG:
            return x0 + advance * step
    return x1
