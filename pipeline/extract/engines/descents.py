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
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

# Form XObjects nest at most this deep when looking for their fonts.
MAX_FORM_DEPTH = 8
# Object streams whose parsed objects are kept (see `_document`): pages and their fonts are
# usually packed together, a few streams apart.
RECENT_OBJECT_STREAMS = 4
# A simple font's character codes are one byte.
SIMPLE_FONT_CODES = 256
# Private-use code points: no character a reader can read (a symbol font's own codes).
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")


def base_name(name: Any) -> str:
    """A font's base name without its subset tag ("BAAAAA+Carlito" → "Carlito")."""
    text = name.name if hasattr(name, "name") else str(name or "")
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    # A subset's name has a six-letter tag in front ("BAAAAA+Carlito"); PDFium drops it.
    return text.split("+", 1)[1] if len(text) > 7 and text[6] == "+" else text


class FontMetrics(NamedTuple):
    descent: float | None  # per point of size, negative; None: PDFium's stands
    dropped_widths: dict[str, float] | None  # text → width fraction PDFium drops (per point)
    # text → advance width per point of size (simple fonts): where a glyph's ink reaches past
    # its advance (an "f" in Times), PDFium's box is wider than pdfminer's.
    advances: dict[str, float] | None = None
    # Codes of a simple font that have no Unicode: glyph names of its /Differences that name
    # no character ("/g12", invented by the writer), with no /ToUnicode entry for them. PDFium
    # gives such a code as its own number (37: "%"), and flags it unmapped.
    no_unicode: frozenset[int] | None = None
    # code → text as pdfminer reads it (simple fonts): for a code PDFium gives no character.
    texts: dict[int, str] | None = None


class DescriptorDescents:
    """pdfminer's font metrics by base font name, page by page."""

    def __init__(self, path: Path, password: str | None) -> None:
        self._path = Path(path)
        self._password = password or ""
        self._failed = False
        self._document = None
        self._pages = None  # the pages' /Resources, read in order as PDFium reads the pages
        self._next_index = 0
        self._current: tuple[int, dict[str, FontMetrics]] = (-1, {})
        # Font dictionaries shared by pages: (base name, metrics) by object number, so a page's
        # font known from an earlier page is not read again.
        self._by_object: dict[int, tuple[str, FontMetrics]] = {}
        # Pages that share one resource dictionary (most writers' way) share its fonts: the
        # fonts by the dictionary's object number, for the last one read.
        self._by_resources: tuple[int | None, dict[str, FontMetrics]] = (None, {})
        self._handle = None

    def metrics(self, page_index: int, font_name: str) -> FontMetrics | None:
        """The metrics of the page's font of that name, if they can be read. Only the page
        asked for last is kept (pages are read in order), so memory stays flat."""
        if self._current[0] != page_index:
            self._current = (page_index, self._page_fonts(page_index))
        return self._current[1].get(font_name)

    def _page_fonts(self, page_index: int) -> dict[str, FontMetrics]:
        resources = self._page_resources(page_index)
        key = getattr(resources, "objid", None)
        if key is not None and key == self._by_resources[0]:
            return self._by_resources[1]
        fonts: dict[str, FontMetrics] = {}
        if resources is None:
            return fonts
        try:
            _collect(resources, fonts, self._by_object, 0)
        except Exception:  # a broken resource dictionary: PDFium's values stand
            return fonts
        self._by_resources = (key, fonts)
        return fonts

    def _page_resources(self, page_index: int):
        """The page's /Resources as written (a reference or a dictionary), or None."""
        if self._failed:
            return None
        from pdfminer.pdfparser import PDFParser

        try:
            if self._document is None:
                self._handle = self._path.open("rb")
                parser = PDFParser(self._handle)
                # No object cache: the page dictionaries read for their fonts need not stay
                # (about 0.7 MB per 1,000 pages); the fonts are kept in `_by_object` instead.
                self._document = _document(parser, self._password)
            if self._pages is None or page_index < self._next_index:
                self._pages, self._next_index = _resources_by_page(self._document), 0
            resources = None
            while self._next_index <= page_index:
                resources = next(self._pages)
                self._next_index += 1
            return resources
        except StopIteration:
            return None
        except Exception:  # pdfminer cannot read the file; PDFium may (that is its point)
            self._failed = True
            self.close()
            return None

    def close(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self._handle.close()
            self._handle = None


def _document(parser, password: str):
    """pdfminer's document without its object cache, but keeping the objects of the last few
    object streams it parsed: without its cache, pdfminer parses a whole object stream again
    for each object in it, and writers that pack page dictionaries into object streams (most
    do, Word among them) made that seconds per hundred pages."""
    from pdfminer.pdfdocument import PDFDocument

    class Document(PDFDocument):
        def __init__(self) -> None:
            self._recent_streams: dict[Any, tuple[list[object], int]] = {}
            super().__init__(parser, password=password, caching=False)

        def _get_objects(self, stream):
            key = stream.objid
            found = self._recent_streams.get(key)
            if found is None:
                found = super()._get_objects(stream)
                if len(self._recent_streams) >= RECENT_OBJECT_STREAMS:
                    del self._recent_streams[next(iter(self._recent_streams))]
                self._recent_streams[key] = found
            return found

    return Document()


def _resources_by_page(document) -> Iterator[Any]:
    """Each page's /Resources as written (inherited from the page tree where the page has
    none), in page order: pdfminer's `PDFPage.create_pages` walk without building the pages,
    whose contents and boxes are not needed here. A page without resources gives None."""
    from pdfminer.pdftypes import dict_value, list_value
    from pdfminer.psparser import LIT

    page, pages = LIT("Page"), LIT("Pages")
    visited: set[int] = set()

    def walk(node: Any, inherited: Any) -> Iterator[Any]:
        objid = getattr(node, "objid", None)
        if objid is not None:
            if objid in visited:  # a page tree that loops
                return
            visited.add(objid)
        attrs = dict_value(node)
        resources = attrs.get("Resources", inherited)
        kind = attrs.get("Type") or attrs.get("type")
        if kind is pages and "Kids" in attrs:
            for kid in list_value(attrs["Kids"]):
                yield from walk(kid, resources)
        elif kind is page:
            yield resources

    catalog = document.catalog
    found = False
    if "Pages" in catalog:
        for resources in walk(catalog["Pages"], catalog.get("Resources")):
            found = True
            yield resources
    if found:
        return
    # No page tree (pdfminer's fallback, as PDFium's): the page objects in the file's order.
    for xref in document.xrefs:
        for objid in xref.get_objids():
            with contextlib.suppress(Exception):
                attrs = document.getobj(objid)
                if isinstance(attrs, dict) and attrs.get("Type") is page:
                    yield attrs.get("Resources")


def _collect(
    resources: Any,
    fonts: dict[str, FontMetrics],
    shared: dict[int, tuple[str, FontMetrics]],
    depth: int,
) -> None:
    from pdfminer.pdftypes import PDFObjRef, resolve1

    resources = resolve1(resources)
    if not isinstance(resources, dict):
        return
    for reference in (resolve1(resolve1(resources.get("Font")) or {}) or {}).values():
        key = reference.objid if isinstance(reference, PDFObjRef) else None
        known = shared.get(key) if key is not None else None
        if known is None:
            spec = resolve1(reference)
            if not isinstance(spec, dict):
                continue
            known = (base_name(resolve1(spec.get("BaseFont"))), _metrics(spec))
            if key is not None:
                shared[key] = known
        name, metrics = known
        fonts.setdefault(name, metrics)
    if depth >= MAX_FORM_DEPTH:
        return
    for xobject in (resolve1(resources.get("XObject")) or {}).values():
        xobject = resolve1(xobject)
        attrs = getattr(xobject, "attrs", None)
        if attrs and _name(attrs.get("Subtype")) == "Form" and "Resources" in attrs:
            _collect(attrs["Resources"], fonts, shared, depth + 1)


def _name(value: Any) -> str:
    return value.name if hasattr(value, "name") else str(value)


def _metrics(spec: dict) -> FontMetrics:
    """pdfminer's descent and widths of a font dictionary."""
    from pdfminer.pdfinterp import PDFResourceManager
    from pdfminer.pdftypes import resolve1

    descent = _descent(spec)
    if _name(resolve1(spec.get("Subtype"))) not in ("Type1", "MMType1", "TrueType"):
        return FontMetrics(descent, None)
    try:
        font = PDFResourceManager().get_font(None, spec)
    except Exception:
        return FontMetrics(descent, None)
    advances: dict[str, float] = {}
    dropped: dict[str, float] = {}
    texts: dict[int, str] = {}
    for code in range(SIMPLE_FONT_CODES):
        try:
            text, advance = font.to_unichr(code), font.char_width(code)
        except Exception:  # no Unicode or no width for the code
            continue
        texts[code] = text
        advances.setdefault(text, advance)
        width = font.widths.get(code)  # as written in /Widths (standard fonts: by name)
        if isinstance(width, float) and width != int(width):
            dropped.setdefault(text, (width - int(width)) / 1000.0)
    return FontMetrics(
        descent, dropped or None, advances or None, _no_unicode(spec, font), texts or None
    )


def _no_unicode(spec: dict, font: Any) -> frozenset[int] | None:
    """The codes of a simple font's /Differences whose glyph names name no character, and
    that its /ToUnicode (if any) does not map either."""
    from pdfminer.encodingdb import name2unicode
    from pdfminer.pdftypes import resolve1

    encoding = resolve1(spec.get("Encoding"))
    differences = resolve1(encoding.get("Differences")) if isinstance(encoding, dict) else None
    if not isinstance(differences, list):
        return None
    mapped = getattr(getattr(font, "unicode_map", None), "cid2unichr", None) or {}
    found: set[int] = set()
    code = 0
    for item in differences:
        item = resolve1(item)
        if isinstance(item, int):
            code = item
            continue
        name = _name(item)
        try:
            name2unicode(name)
        except (KeyError, ValueError):
            if code not in mapped:
                found.add(code)
        code += 1
    return frozenset(found) or None


def _descent(spec: dict) -> float | None:
    """pdfminer's `font.get_descent()` for a font dictionary (None: no descriptor to read)."""
    from pdfminer.pdftypes import resolve1

    subtype = _name(resolve1(spec.get("Subtype")))
    if subtype in ("Type1", "MMType1"):
        from pdfminer.fontmetrics import FONT_METRICS

        # pdfminer takes the 14 standard fonts' metrics from their AFM files, as PDFium
        # takes them from its own built-in fonts (whose descents differ).
        standard = FONT_METRICS.get(base_name(resolve1(spec.get("BaseFont"))))
        if standard is not None:
            return -abs(float(standard[0].get("Descent", 0))) / 1000.0
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


def glyph_text(text: str, code: int, metrics: FontMetrics | None) -> str:
    """A character PDFium flags as without a Unicode mapping (it then gives the glyph's code).
    Where that is a letter of the font's encoding (a damaged /ToUnicode over a font whose own
    map is whole), the letter stands; where pdfminer reads the code as a character, that one;
    a code whose glyph name names no character, or a control or private-use code without
    pdfminer's reading, is written "(cid:N)", as pdfminer writes a glyph without Unicode."""
    if metrics is not None and metrics.no_unicode and code in metrics.no_unicode:
        return f"(cid:{code})"
    if text.isprintable() and not _PRIVATE_USE.match(text):
        return text
    known = None if metrics is None or metrics.texts is None else metrics.texts.get(code)
    if known and known.isprintable() and not _PRIVATE_USE.match(known):
        return known
    return f"(cid:{code})"
