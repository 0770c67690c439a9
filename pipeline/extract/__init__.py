"""Extraction: `extract(path, settings) -> DocumentText`.

In: a plan file — a PDF (read by an engine in `engines/`: PDFium or pdfplumber; pages without a
usable text layer by OCR, `ocr.py`), a Word document (`.docx`, `.docm`: `docx/`, from its own
structure) or a plain `.txt` (`textfile.py`).
Out: its lines in reading order, grouped in blocks (table cells, column text), each line with
its page, box, type size and boldness (a Word document's: no page or box, but where each
paragraph starts, its heading level and its locator). Extraction reads no language rules.
"""

from maalspor.extract.files import sha256_of
from maalspor.extract.ocr import OcrMode
from maalspor.extract.reader import extract

__all__ = ["OcrMode", "extract", "sha256_of"]
