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


def broken_xref_pdf(sample: Path, target: Path) -> Path:
    """The sample with every cross-reference offset shifted (a file rewritten by a tool that
    did not update its xref table): pdfminer then finds no pages at all."""
    import re

    data = sample.read_bytes()
    start = data.rindex(b"\nxref")

    def shift(match: re.Match) -> bytes:
        return b"%010d 00000 n" % (int(match.group(1)) + 7)

    target.write_bytes(data[:start] + re.sub(rb"(\d{10}) 00000 n", shift, data[start:]))
    return target


def _raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (object 1 is the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe6\xf8\xe5\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def inflating_pdf(target: Path, inflated_mb: int = 200) -> Path:
    """A one-page PDF whose content stream is under a megabyte of zlib data that inflates to
    `inflated_mb` MB of spaces (a "zip bomb"); made in 1 MB steps, so making it needs no memory."""
    import zlib

    compressor = zlib.compressobj(1)  # fast to make; still about 220:1
    chunk = b" " * (1 << 20)
    body = b"".join(compressor.compress(chunk) for _ in range(inflated_mb)) + compressor.flush()
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body
    target.write_bytes(
        _raw_pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                stream + b"\nendstream",
            ]
        )
    )
    return target


def many_pages_pdf(target: Path, pages: int = 20_000, per_node: int = 500) -> Path:
    """A PDF of `pages` blank pages, each its own object, in a two-level page tree as PDF
    writers make it (nodes of `per_node` pages): about 1.5 MB."""
    nodes = -(-pages // per_node)
    first_node, first_page = 3, 3 + nodes
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = b" ".join(b"%d 0 R" % (first_node + n) for n in range(nodes))
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages))
    for node in range(nodes):
        numbers = range(node * per_node, min(pages, (node + 1) * per_node))
        kids = b" ".join(b"%d 0 R" % (first_page + n) for n in numbers)
        objects.append(
            b"<< /Type /Pages /Parent 2 0 R /Kids [%s] /Count %d >>" % (kids, len(numbers))
        )
    for page in range(pages):
        parent = first_node + page // per_node
        objects.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] >>" % parent)
    target.write_bytes(_raw_pdf(objects))
    return target


def utf16_text(source: Path, target: Path) -> Path:
    """A plain-text plan saved as UTF-16 with a byte order mark (Notepad's "Unicode")."""
    target.write_bytes(source.read_text(encoding="utf-8").encode("utf-16"))
    return target
