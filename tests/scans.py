"""Scans made on the spot: what an office scanner makes of a printed plan.

Used by tests/test_ocr.py, tests/test_tables.py (scanned table families) and
benchmarks/ocr_bench.py, benchmarks/layout_sweep.py (`--ocr`).
"""

from __future__ import annotations

import io
import random
from pathlib import Path

SCAN_DPI = 150
JPEG_QUALITY = 75
# Grey levels of the paper's noise (± this much, of 255) and the share of pixels it touches.
NOISE_LEVEL = 24
NOISE_SHARE = 0.02


def scan(
    source: Path,
    target: Path,
    pages: set[int] | None = None,
    *,
    dpi: int = SCAN_DPI,
    noise: bool = False,
    skew: float = 0.0,
    seed: int = 0,
) -> Path:
    """`source` as an office scanner leaves it: `pages` (1-based; None: all) rendered at `dpi`
    (150), grey, JPEG, one image per page; the other pages keep their text layer. `noise`
    speckles the paper (a fixed `seed`: the same scan each time), `skew` turns the page by that
    many degrees (a sheet fed slightly askew)."""
    import pypdfium2
    from PIL import Image
    from pypdf import PdfReader, PdfWriter

    rendered = pypdfium2.PdfDocument(str(source))
    original = PdfReader(source)
    writer = PdfWriter()
    chance = random.Random(seed)
    try:
        for index, page in enumerate(original.pages):
            if pages is not None and index + 1 not in pages:
                writer.add_page(page)
                continue
            image = rendered[index].render(scale=dpi / 72).to_pil().convert("L")
            if skew:
                image = image.rotate(skew, resample=Image.Resampling.BILINEAR, fillcolor=255)
            if noise:
                _speckle(image, chance)
            jpeg = io.BytesIO()
            image.save(jpeg, "JPEG", quality=JPEG_QUALITY)
            jpeg.seek(0)
            wrapped = io.BytesIO()
            Image.open(jpeg).save(wrapped, "PDF", resolution=dpi)
            wrapped.seek(0)
            writer.add_page(PdfReader(wrapped).pages[0])
    finally:
        rendered.close()
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def _speckle(image, chance: random.Random) -> None:
    """Grey noise on a share of the pixels, as paper and scanner leave it."""
    width, height = image.size
    pixels = image.load()
    for _ in range(int(NOISE_SHARE * width * height)):
        x, y = chance.randrange(width), chance.randrange(height)
        pixels[x, y] = max(0, min(255, pixels[x, y] + chance.randint(-NOISE_LEVEL, NOISE_LEVEL)))
