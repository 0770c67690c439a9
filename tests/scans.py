"""Scans made on the spot: what an office scanner makes of a printed plan.

Used by tests/test_ocr.py and benchmarks/ocr_bench.py.
"""

from __future__ import annotations

import io
from pathlib import Path

SCAN_DPI = 150
JPEG_QUALITY = 75


def scan(source: Path, target: Path, pages: set[int] | None = None) -> Path:
    """`source` as an office scanner leaves it: `pages` (1-based; None: all) rendered at 150
    dpi, grey, JPEG, one image per page; the other pages keep their text layer."""
    import pypdfium2
    from PIL import Image
    from pypdf import PdfReader, PdfWriter

    rendered = pypdfium2.PdfDocument(str(source))
    original = PdfReader(source)
    writer = PdfWriter()
    try:
        for index, page in enumerate(original.pages):
            if pages is not None and index + 1 not in pages:
                writer.add_page(page)
                continue
            image = rendered[index].render(scale=SCAN_DPI / 72).to_pil().convert("L")
            jpeg = io.BytesIO()
            image.save(jpeg, "JPEG", quality=JPEG_QUALITY)
            jpeg.seek(0)
            wrapped = io.BytesIO()
            Image.open(jpeg).save(wrapped, "PDF", resolution=SCAN_DPI)
            wrapped.seek(0)
            writer.add_page(PdfReader(wrapped).pages[0])
    finally:
        rendered.close()
    with target.open("wb") as handle:
        writer.write(handle)
    return target
