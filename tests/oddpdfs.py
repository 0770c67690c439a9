"""Odd PDFs of issue 25, made on the spot: text a reader must not call "no text".

Each function writes one file and returns its path. They are built from a plan the layout
corpus renders (`tests/layouts.py`, reportlab), changed with pypdf, or written as raw PDF
objects (`tests/badfiles._raw_pdf`): pages turned by /Rotate or by the drawing, content inside
deeply nested forms, fonts without a usable Unicode mapping, a damaged /Widths entry, a crop
box away from the text, a page tree without pages.
"""

from __future__ import annotations

from pathlib import Path

from tests.badfiles import _raw_pdf


def empty_page_tree(target: Path, kids: bytes = b"[]") -> Path:
    """A page tree that counts one page but holds none (`kids` "[]"), or whose kid is no page."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids %s /Count 1 >>" % kids,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    target.write_bytes(_raw_pdf(objects))
    return target


def plan_pdf(target: Path, layout: str = "single_column") -> Path:
    """A plan of the layout corpus (three pages, eight goals in `single_column`)."""
    from tests import layouts as L

    return L.render(layout, L.ROSKILDE, target)


def _rewrite(source: Path, target: Path, change, pages: set[int] | None = None) -> Path:
    """`source` with `change(writer, page)` applied to its pages (numbers in `pages`; all)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for number, page in enumerate(PdfReader(str(source)).pages, start=1):
        added = writer.add_page(page)
        if pages is None or number in pages:
            change(writer, added)
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def crop_box_off_the_text(source: Path, target: Path, pages: set[int] | None = None) -> Path:
    """The pages' crop box (every page's) moved to a corner where no text stands."""
    from pypdf.generic import RectangleObject

    def crop(writer, page) -> None:
        page.cropbox = RectangleObject((0, 0, 30, 30))

    return _rewrite(source, target, crop, pages)


def rotated_by_page(source: Path, target: Path, degrees: int = 90) -> Path:
    """Every page given /Rotate `degrees` over its upright content: shown, the text runs
    sideways (a page rotated in a viewer and saved)."""

    def rotate(writer, page) -> None:
        page.rotate(degrees)

    return _rewrite(source, target, rotate)


def rotated_by_drawing(source: Path, target: Path) -> Path:
    """Every page's content drawn turned a quarter counter-clockwise onto a landscape page of no
    /Rotate: the text runs up the page (a portrait table printed sideways)."""
    from pypdf import PdfReader, PdfWriter, Transformation

    writer = PdfWriter()
    for page in PdfReader(str(source)).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        blank = writer.add_blank_page(width=height, height=width)
        blank.merge_transformed_page(page, Transformation().rotate(90).translate(tx=height))
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def nested_forms(source: Path, target: Path, depth: int = 45) -> Path:
    """Every page's content moved into a form XObject nested `depth` forms deep (PDFium reads
    forms 40 deep at most)."""
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, StreamObject

    def nest(writer, page) -> None:
        data = page.get_contents().get_data()
        resources = page.get("/Resources") or DictionaryObject()
        box = ArrayObject(FloatObject(float(v)) for v in page.mediabox)
        for level in range(depth):
            form = StreamObject()
            form.set_data(data)
            form.update(
                {
                    NameObject("/Type"): NameObject("/XObject"),
                    NameObject("/Subtype"): NameObject("/Form"),
                    NameObject("/BBox"): box,
                    NameObject("/Resources"): resources,
                }
            )
            name = NameObject(f"/F{level}")
            resources = DictionaryObject(
                {NameObject("/XObject"): DictionaryObject({name: writer._add_object(form)})}
            )
            data = f"q {name} Do Q".encode()
        page[NameObject("/Resources")] = resources
        page.replace_contents(_stream(data))

    return _rewrite(source, target, nest)


def _stream(data: bytes):
    from pypdf.generic import StreamObject

    stream = StreamObject()
    stream.set_data(data)
    return stream


# --- plans set in one embedded TrueType font, written as raw PDF objects ---------------------

# Lines per page and their spacing of a raw text plan (A4, 10 pt type).
_LINES_PER_PAGE = 56
_LEADING = 13.0


def _vera() -> tuple[bytes, list[float]]:
    """Bitstream Vera (shipped with reportlab): its program and its widths of codes 32-255 as
    Windows-1252 reads them."""
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", str(path)))
    font = pdfmetrics.getFont("Vera")
    widths = []
    for code in range(32, 256):
        char = bytes([code]).decode("cp1252", errors="replace")
        widths.append(round(font.stringWidth(char, 1000), 3) if char != "\ufffd" else 0.0)
    return path.read_bytes(), widths


def plan_lines(source: Path, count: int = 60, width: int = 95) -> list[str]:
    """The first `count` lines of a text plan, wrapped at `width` characters."""
    import textwrap

    lines: list[str] = []
    for line in source.read_text(encoding="utf-8").splitlines()[:count]:
        lines.extend(textwrap.wrap(line, width) or [""])
    return lines


def truetype_plan(
    target: Path,
    lines: list[str],
    *,
    flags: int = 32,
    encoding: bytes = b"",
    widths: dict[int, float | bytes] | None = None,
) -> Path:
    """`lines` set in Vera (embedded, simple TrueType, codes as Windows-1252, no ToUnicode), 10 pt,
    56 lines a page. `flags`: the font descriptor's (32 nonsymbolic, 4 symbolic); `encoding`:
    the font's /Encoding entry as written; `widths`: codes whose /Widths entry is changed (a
    number, or bytes written as they are)."""
    program, advances = _vera()
    if widths:
        for code, width in widths.items():
            advances[code - 32] = width
    pages = [lines[i : i + _LINES_PER_PAGE] for i in range(0, len(lines), _LINES_PER_PAGE)]
    first_page = 6
    kids = b" ".join(b"%d 0 R" % (first_page + 2 * n) for n in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages)),
        b"<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+Vera %s /FirstChar 32 "
        b"/LastChar 255 /Widths [%s] /FontDescriptor 4 0 R >>"
        % (encoding, b" ".join(w if isinstance(w, bytes) else b"%g" % w for w in advances)),
        b"<< /Type /FontDescriptor /FontName /ABCDEF+Vera /Flags %d /FontBBox [-183 -236 1287 "
        b"928] /ItalicAngle 0 /Ascent 928 /Descent -236 /CapHeight 729 /StemV 80 "
        b"/FontFile2 5 0 R >>" % flags,
        b"<< /Length %d >>\nstream\n" % len(program) + program + b"\nendstream",
    ]
    for number, page_lines in enumerate(pages):
        shown = [b"(%s) '" % _literal(line) for line in page_lines]
        if number == 0:  # the title, larger
            shown[0] = b"/F1 16 Tf %s /F1 10 Tf" % shown[0]
        content = b"BT /F1 10 Tf %g TL 60 790 Td %s ET" % (_LEADING, b" ".join(shown))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font "
            b"<< /F1 3 0 R >> >> /Contents %d 0 R >>" % (len(objects) + 2)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    target.write_bytes(_raw_pdf(objects))
    return target


def _literal(text: str) -> bytes:
    data = text.encode("cp1252", errors="replace")
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def invented_names_encoding(lines: list[str]) -> bytes:
    """An /Encoding whose /Differences give every code used a glyph name of no character
    ("/g77" for "M"), as some writers name a subset's glyphs: no Unicode can be read from it."""
    codes = sorted({b for line in lines for b in line.encode("cp1252", errors="replace")})
    names = b" ".join(b"%d /g%d" % (code, code) for code in codes)
    return b"/Encoding << /Type /Encoding /Differences [%s] >>" % names


def without_to_unicode(source: Path, target: Path) -> Path:
    """`source` with every font's /ToUnicode map removed: a reportlab TrueType subset then
    gives U+0001, U+0002 ... for its non-ASCII letters (æ, ø, å)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(source)))
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/ToUnicode" in font:
                del font["/ToUnicode"]
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def inherited_media_box(target: Path) -> Path:
    """An A4 page whose /MediaBox stands on its /Pages node only (inherited, as PyMuPDF
    writes it), with text above US Letter's height."""
    content = b"BT /F1 12 Tf 72 800 Td (M\\345l: Alle borgere skal have digital post.) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595.28 841.89] >>",
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    target.write_bytes(_raw_pdf(objects))
    return target


def unembedded_invented_names(target: Path) -> Path:
    """One page in Helvetica (not embedded) whose /Differences name every glyph used with an
    invented name: PDFium flags them unmapped, and draws nothing for them (no such glyphs)."""
    text = "Mål: Alle borgere skal have digital post."
    codes = sorted(set(text.encode("cp1252")) - {32})
    names = b" ".join(b"%d /g%d" % (code, code) for code in codes)
    content = b"BT /F1 12 Tf 72 760 Td (%s) Tj ET" % _literal(text)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R "
        b">> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
        b"/Differences [%s] >> >>" % names,
    ]
    target.write_bytes(_raw_pdf(objects))
    return target
