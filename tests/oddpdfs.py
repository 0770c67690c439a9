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
