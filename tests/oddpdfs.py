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
