"""Bad inputs made on the spot, one function per kind, each from a sample plan or from nothing.

Every function writes one file to `target` and returns its path. The files stand for what a
folder of plans downloaded from municipal web sites holds besides good PDFs: an encrypted PDF,
a scan without a text layer, a download cut short, an empty file, a text file named .pdf, and
a PDF that is prose only (no goals).
"""

from __future__ import annotations

import io
from pathlib import Path

PASSWORD = "hemmelig"
# Resolution of the scanned page: enough to look like a scan, small enough to stay fast.
SCAN_DPI = 72


def encrypted_pdf(sample: Path, target: Path, password: str = PASSWORD) -> Path:
    """The sample, encrypted with a user password (RC4-128: needs no crypto library)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(sample).pages:
        writer.add_page(page)
    writer.encrypt(user_password=password, owner_password=password, algorithm="RC4-128")
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def scanned_pdf(sample: Path, target: Path, pages: int = 1) -> Path:
    """The first pages of the sample rendered to images and put into a PDF: no text layer."""
    import pypdfium2
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    document = pypdfium2.PdfDocument(str(sample))
    try:
        width, height = document[0].get_size()
        pdf = canvas.Canvas(str(target), pagesize=(width, height))
        for index in range(min(pages, len(document))):
            image = document[index].render(scale=SCAN_DPI / 72).to_pil()
            buffer = io.BytesIO()
            image.convert("L").save(buffer, format="PNG")
            buffer.seek(0)
            pdf.drawImage(ImageReader(buffer), 0, 0, width=width, height=height)
            pdf.showPage()
        pdf.save()
    finally:
        document.close()
    return target


def truncated_pdf(sample: Path, target: Path, keep: float = 0.5) -> Path:
    """The first part of the sample's bytes, as a download cut short leaves it."""
    data = sample.read_bytes()
    target.write_bytes(data[: int(len(data) * keep)])
    return target


def empty_file(target: Path) -> Path:
    target.write_bytes(b"")
    return target


def text_named_pdf(target: Path) -> Path:
    """An HTML error page saved under a .pdf name (what a failed download often is)."""
    target.write_text(
        "<html><body><h1>404 Not Found</h1><p>Siden findes ikke.</p></body></html>\n",
        encoding="utf-8",
    )
    return target


def prose_pdf(target: Path) -> Path:
    """A well-formed PDF with a title and prose but no goals (no Mål / Dokumentation)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(target), pagesize=A4)
    pdf.setTitle("Nyhedsbrev")
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(72, 760, "Nyhedsbrev fra Kultur og Fritid")
    pdf.setFont("Helvetica", 10)
    prose = [
        "Sommeren har budt på mange arrangementer i kommunens parker og på biblioteket.",
        "Vi takker alle frivillige for deres store indsats i løbet af sæsonen.",
        "Til efteråret åbner den nye sal i kulturhuset, og programmet følger snart.",
    ]
    for row, sentence in enumerate(prose):
        pdf.drawString(72, 720 - 16 * row, sentence)
    pdf.showPage()
    pdf.save()
    return target


def corrupted_pdf(sample: Path, target: Path) -> Path:
    """The sample with one byte changed: a stream dictionary's '/Filter/FlateDecode' loses its
    second slash (a bit flip in transfer), so the object cannot be parsed."""
    data = sample.read_bytes()
    assert b"/Filter/FlateDecode" in data
    target.write_bytes(data.replace(b"/Filter/FlateDecode", b"/Filter\x0eFlateDecode", 1))
    return target
