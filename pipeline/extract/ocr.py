"""OCR for pages without a usable text layer: the page's image read by Tesseract in Danish.

A page is rendered with PDFium (pypdfium2) at `OcrSettings.dpi`, its ruling lines are found in
the image (long thin runs of dark pixels: the borders of a scanned table) and painted out, and
Tesseract (through tesserocr, in-process) reads the rest with its Danish model. The result is a
`PageContent` like a text layer gives: words with boxes in points (top-left origin, on the
visible page), the rulings, `ocr=True`, so the same layout analysis (tables, columns, rows)
reads scanned and born-digital pages alike.

What OCR cannot see is estimated or left out: a word's font size comes from its ink's height
(`_measure`), and bold is unknown (False). Danish OCR confusions ("rn" for "m", "a" for "å")
are undone by the `[ocr]` rules (`ocr_words.py`, pipeline/rules/ocr.toml), only where the
printed reading is no Danish word and the corrected one is.
"""

from __future__ import annotations

import os
import shutil
import statistics
from enum import StrEnum
from functools import cache
from pathlib import Path

from maalspor import errors
from maalspor.extract.ocr_image import deskewed, fill_edges, find_rulings, missed_ink, with_halo
from maalspor.extract.ocr_words import EDGE_PUNCTUATION, fix_word, ocr_rules
from maalspor.models.page import PageContent, Ruling, Word
from maalspor.settings import GlyphProportions, OcrSettings

# Where Debian's and Ubuntu's tesseract-ocr-dan (and Homebrew's, Fedora's tesseract-langpack-dan)
# put the models; TESSDATA_PREFIX or OcrSettings.tessdata come first.
TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)
INSTALL_HINT = (
    "install Tesseract with its Danish model and the OCR extra: "
    "sudo apt-get install tesseract-ocr tesseract-ocr-dan && pip install tesserocr"
)
_ASCENDING = set("bdfhijklt0123456789!?/()[]{}%&#$@|'\"åæøéèüöäÆØ")
_DESCENDING = set("gjpqy,;()[]{}|")
_ABOVE_CAPS = set("ÅÉÈÜÖÄ")
BULLET = "•"


class OcrMode(StrEnum):
    """Which pages OCR reads (`--ocr`)."""

    AUTO = "auto"  # pages without a usable text layer: images only, or undecodable text
    ALWAYS = "always"  # every page, its text layer ignored
    NEVER = "never"  # none: such pages have no text (a plan of only such pages fails)


def tessdata_dir(settings: OcrSettings) -> str:
    """The folder with the language models, or OcrUnavailableError saying how to install them."""
    candidates = [settings.tessdata, os.environ.get("TESSDATA_PREFIX"), *TESSDATA_DIRS]
    binary = shutil.which("tesseract")
    if binary:  # /usr/bin/tesseract -> /usr/share/tesseract-ocr/*/tessdata beside its prefix
        share = Path(binary).resolve().parent.parent / "share"
        candidates.extend(str(p) for p in sorted(share.glob("tesseract-ocr/*/tessdata")))
    languages = settings.language.split("+")
    for folder in candidates:
        if folder and all((Path(folder) / f"{lang}.traineddata").is_file() for lang in languages):
            return str(folder)
    raise errors.OcrUnavailableError(
        f"OCR needs Tesseract's '{settings.language}' model, which is not installed; "
        + INSTALL_HINT
    )


@cache
def _engine(tessdata: str, language: str, page_segmentation: int):
    """One Tesseract per process and settings: loading the Danish model takes ~0.3 s."""
    # Tesseract's own threads would fight batch's worker processes for the same cores.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        import tesserocr
    except ImportError as error:
        raise errors.OcrUnavailableError(
            f"OCR needs the tesserocr package; {INSTALL_HINT}"
        ) from error
    try:
        api = tesserocr.PyTessBaseAPI(path=tessdata + "/", lang=language, psm=page_segmentation)
    except RuntimeError as error:
        raise errors.OcrUnavailableError(
            f"Tesseract cannot load '{language}' from {tessdata} ({error}); {INSTALL_HINT}"
        ) from error
    return api


def check_available(settings: OcrSettings | None = None) -> None:
    """Raise OcrUnavailableError (one line with the install command) unless OCR can run."""
    settings = settings or OcrSettings()
    _engine(tessdata_dir(settings), settings.language, settings.page_segmentation)


def ocr_page(pdfium_page, number: int, settings: OcrSettings | None = None) -> PageContent:
    """One page (a pypdfium2 `PdfPage`) read by Tesseract: its words and rulings in points."""
    import numpy as np
    from PIL import Image

    settings = settings or OcrSettings()
    api = _engine(tessdata_dir(settings), settings.language, settings.page_segmentation)
    scale = settings.dpi / 72.0
    bitmap = pdfium_page.render(scale=scale, grayscale=True)
    pixels = np.array(bitmap.to_pil().convert("L"))
    bitmap.close()
    pixels = deskewed(pixels, settings)
    height_px, width_px = pixels.shape
    ruling_boxes = find_rulings(pixels, settings)
    for x0, top, x1, bottom in with_halo(pixels, ruling_boxes, settings):
        pixels[top:bottom, x0:x1] = 255  # painted out: Tesseract reads borders as "|", "_"
    if settings.fill_edges:  # the boxes' edges are the table's rulings, the fills paper
        ruling_boxes.extend(fill_edges(pixels, settings))
    # Filled cells (a designed table's grey boxes) as paper: text on a dark fill is lost to
    # Tesseract's own threshold now and then.
    pixels[pixels >= settings.fill_level] = 255
    api.SetImage(Image.fromarray(pixels))
    api.SetSourceResolution(settings.dpi)
    api.Recognize()
    ink = pixels < settings.dark_level
    words = _words(api, ink, scale, settings)
    api.Clear()
    words.extend(_missed_words(pixels, ink, words, settings))
    return PageContent(
        number=number,
        width=width_px / scale,
        height=height_px / scale,
        rotation=pdfium_page.get_rotation(),
        words=words,
        rulings=[
            Ruling(x0 / scale, t / scale, x1 / scale, b / scale) for x0, t, x1, b in ruling_boxes
        ],
        image_boxes=[],
        ocr=True,
    )


def _words(api, ink, scale: float, settings: OcrSettings) -> list[Word]:
    """Tesseract's words in points, boxed like a text layer boxes them.

    A text layer's word box runs from the font's ascent to its descent whatever the letters,
    so the lines of a paragraph are evenly spaced; an OCR box hugs the ink ("om" is lower than
    "Mål"), and Tesseract's own box is often taller than the ink. So each word's size and
    baseline are measured from its ink (`ink`: a boolean image, `_measure`), and the words of a
    run (a Tesseract line, cut at gaps wider than `OcrSettings.run_gap`: the cells of a table
    row stand on different baselines) get the run's median size and a box from its median baseline:
    paragraph gaps then mean what they mean in a text layer.
    """
    from tesserocr import RIL, iterate_level

    runs: list[list[tuple[Word, float | None]]] = []  # (word, its baseline) per run
    bullets = ocr_rules().bullets
    for item in iterate_level(api.GetIterator(), RIL.WORD):
        try:
            text = (item.GetUTF8Text(RIL.WORD) or "").strip()
        except RuntimeError:  # tesserocr's "No text returned": a word box Tesseract left empty
            text = ""
        box = item.BoundingBox(RIL.WORD)
        confidence = item.Confidence(RIL.WORD)
        if item.IsAtBeginningOf(RIL.TEXTLINE) or not runs:
            runs.append([])
        if not text or box is None or confidence < settings.min_confidence:
            continue
        x0, top, x1, bottom = (value / scale for value in box)
        size, baseline = _measure(
            text, ink[box[1] : box[3], box[0] : box[2]], scale, settings.glyphs
        )
        previous = runs[-1][-1][0] if runs[-1] else None
        gap = (x0 - previous.x1) / max(previous.size, size or 0.0, 1.0) if previous else None
        if gap is not None and gap > settings.run_gap:
            runs.append([])
        if text in bullets and (gap is None or gap > settings.bullet_gap):
            text, baseline = BULLET, None  # a bullet read as a sign or a lone letter
        elif confidence < settings.min_sign_confidence and not any(c.isalnum() for c in text):
            continue
        word = Word(
            text=fix_word(text),
            x0=x0,
            top=top,
            x1=x1,
            bottom=bottom,
            size=size or 0.0,
            bold=False,
            ocr_confidence=round(confidence, 1),
        )
        runs[-1].append((word, None if baseline is None else top + baseline))
    # A speck of the paper read as "i" or "l": one letter, alone, read with little confidence.
    runs = [
        run
        for run in runs
        if not (
            len(run) == 1
            and len(run[0][0].text) == 1
            and (run[0][0].ocr_confidence or 0.0) < settings.min_letter_confidence
        )
    ]
    for run in runs:
        sizes = [w.size for w, base in run if base is not None]
        if not sizes:
            continue  # a bullet or signs alone: left as read
        size = round(statistics.median(sizes), 1)
        for word, _ in run:
            word.size = size
    _snap_sizes(runs, settings)
    read = [word for run in runs for word, _ in run]
    for run in runs:
        bullet = _lost_bullet(run[0][0], ink, scale, settings) if run else None
        if bullet is not None and run[0][0].text != BULLET and not _covered(bullet, read):
            run.insert(0, (bullet, None))
    for run in runs:
        for k in range(len(run) - 1, 0, -1):  # from the end: an insert leaves earlier k's alone
            (previous, _), (word, base) = run[k - 1], run[k]
            letter = _swallowed_letter(previous, word, ink, scale, settings)
            if letter is not None:
                word.text, word.x0 = word.text[1:], max(word.x0, letter.x1)
                run.insert(k, (letter, base))
    words = [word for run in runs for word, _ in run]
    for run in runs:
        baselines = [base for _, base in run if base is not None]
        if baselines and run[0][0].size:
            base = statistics.median(baselines)
            for word, _ in run:
                glyphs = settings.glyphs
                word.top = base - glyphs.box_ascent * word.size
                word.bottom = base + glyphs.box_descent * word.size
    return words


def _missed_words(pixels, ink, words: list[Word], settings: OcrSettings) -> list[Word]:
    """Words in the ink that no word read covers (`ocr_image.missed_ink`), each region read
    again on its own as a block of text; only words read with confidence count."""
    from PIL import Image

    scale = settings.dpi / 72.0
    covered = [
        (int(w.x0 * scale), int(w.top * scale), int(w.x1 * scale) + 1, int(w.bottom * scale) + 1)
        for w in words
    ]
    regions = missed_ink(ink, covered, settings)
    if not regions:
        return []
    api = _engine(tessdata_dir(settings), settings.language, settings.missed_page_segmentation)
    api.SetImage(Image.fromarray(pixels))
    api.SetSourceResolution(settings.dpi)
    margin = round(settings.missed_pad * scale)
    height, width = pixels.shape
    found: list[Word] = []
    for x0, top, x1, bottom in regions:
        left, upper = max(0, x0 - margin), max(0, top - margin)
        api.SetRectangle(
            left, upper, min(width, x1 + margin) - left, min(height, bottom + margin) - upper
        )
        api.Recognize()
        found.extend(
            word
            for word in _words(api, ink, scale, settings)
            if (word.ocr_confidence or 0.0) >= settings.missed_min_confidence
            and any(c.isalnum() for c in word.text)
        )
    api.Clear()
    # A lone word's size is measured from its own ink only: near the page's body size, it is it.
    sizes = [w.size for w in words if w.size]
    if sizes:
        body = statistics.median(sizes)
        for word in found:
            if abs(word.size - body) <= settings.lone_word_size_snap * body:
                word.size = round(body, 1)
    return found


def _covered(found: Word, words: list[Word]) -> bool:
    """Whether a word read already stands where `found` is (a bullet Tesseract read as a run
    of its own is not lost: the next run's first word must not get it a second time)."""
    return any(
        w.x0 < found.x1 and found.x0 < w.x1 and w.top < found.bottom and found.top < w.bottom
        for w in words
    )


def _lost_bullet(first: Word, ink, scale: float, settings: OcrSettings) -> Word | None:
    """A bullet Tesseract left out: a lone round dot of ink just left of a line's first word
    (a filled disc fills most of its box; a letter's "o" or "e" does not)."""
    size = first.size or (first.bottom - first.top)
    if size <= 0:
        return None
    height, width = ink.shape
    left = max(0, round((first.x0 - settings.bullet_reach * size) * scale))
    right = max(0, round((first.x0 - settings.bullet_gap * size / 4) * scale))
    top, bottom = max(0, round(first.top * scale)), min(height, round(first.bottom * scale))
    if right - left < 2 or bottom - top < 2 or right > width:
        return None
    region = ink[top:bottom, left:right]
    rows, columns = region.nonzero()
    if not len(rows) or columns.min() == 0:
        return None  # nothing there, or ink running in from the left: no lone dot
    box_w = (columns.max() - columns.min() + 1) / scale
    box_h = (rows.max() - rows.min() + 1) / scale
    glyphs = settings.glyphs
    if not (
        glyphs.bullet_min * size
        <= min(box_w, box_h)
        <= max(box_w, box_h)
        <= glyphs.bullet_max * size
    ):
        return None
    if len(rows) / ((box_w * scale) * (box_h * scale)) < glyphs.bullet_fill:
        return None
    x0 = (left + columns.min()) / scale
    return Word(
        text=BULLET,
        x0=x0,
        top=first.top,
        x1=x0 + box_w,
        bottom=first.bottom,
        size=first.size,
        bold=False,
        ocr_confidence=first.ocr_confidence,
    )


def _swallowed_letter(
    previous: Word, word: Word, ink, scale: float, settings: OcrSettings
) -> Word | None:
    """A one-letter word ("i") that Tesseract read into the next word's text but left out of
    its box ("i de" read "ide", a Danish word of its own): the word starts with a letter of
    `one_letter_words`, the rest is a Danish word, and between the word before and this word's
    box stands one narrow blob of ink with paper on both sides of it."""
    import numpy as np

    from maalspor.language.lexicon import is_known_in_any_case as is_known

    one_letter = ocr_rules().one_letter_words
    text = word.text
    if len(text) < 3 or text[0].lower() not in one_letter or not text[1].isalpha():
        return None
    if not is_known(text[1:].rstrip(EDGE_PUNCTUATION)):
        return None
    size = word.size or (word.bottom - word.top)
    height, width = ink.shape
    left, right = round(previous.x1 * scale), round(word.x0 * scale)
    top, bottom = max(0, round(word.top * scale)), min(height, round(word.bottom * scale))
    if size <= 0 or right - left < 3 or bottom - top < 2 or right > width:
        return None
    columns = ink[top:bottom, left:right].any(axis=0)
    # runs of inked columns; one that touches either end is the edge of a neighbour's ink
    edges = np.flatnonzero(np.diff(np.concatenate(([0], columns.astype(np.int8), [0]))))
    blobs = [
        (start, end)
        for start, end in zip(edges[::2], edges[1::2], strict=True)
        if start > 0 and end < len(columns)
    ]
    if len(blobs) != 1:
        return None  # nothing there, or more than one letter's ink
    start, end = blobs[0]
    if (end - start) / scale > settings.glyphs.lone_letter_width * size:
        return None
    return Word(
        text=text[0],
        x0=(left + start) / scale,
        top=word.top,
        x1=(left + end) / scale,
        bottom=word.bottom,
        size=word.size,
        bold=word.bold,
        ocr_confidence=word.ocr_confidence,
    )


def _measure(
    text: str, ink, scale: float, glyphs: GlyphProportions
) -> tuple[float | None, float | None]:
    """A word's font size and baseline (points below its box's top), from its ink.

    Tesseract's box is often taller than the ink, so it is shrunk to the inked rows; the ink
    ends on the baseline unless the word has a descender, and its height is the x-height plus
    what its letters add above (capitals, ascenders, accents) and below (descenders).
    """
    if not any(c.isalnum() for c in text) or not ink.size:
        return None, None
    rows = ink.any(axis=1).nonzero()[0]
    if not rows.size:
        return None, None
    height = (rows[-1] + 1 - rows[0]) / scale
    letters = set(text)
    ems = glyphs.x_height
    if letters & _ABOVE_CAPS:
        ems = glyphs.cap_ring
    elif letters & _ASCENDING or any(c.isupper() for c in text):
        ems = glyphs.ascender
    descends = bool(letters & _DESCENDING)
    size = float(height / (ems + (glyphs.descender if descends else 0.0)))
    baseline = float((rows[-1] + 1) / scale - (glyphs.descender * size if descends else 0.0))
    return size, baseline


def _snap_sizes(runs: list[list[tuple[Word, float | None]]], settings: OcrSettings) -> None:
    """Sizes near the page's body size become it: estimates jitter by a few per cent from line
    to line (a lone word more: a tail of the line above may reach into its box), where a text
    layer gives every body line the same size. Signs alone (a bullet) get it too."""
    sizes = [w.size for run in runs for w, _ in run if w.size]
    if not sizes:
        return
    body = statistics.median(sizes)
    for run in runs:
        snap = settings.size_snap if len(run) > 1 else settings.lone_word_size_snap
        tolerance = snap * body
        for word, _ in run:
            if not word.size or abs(word.size - body) <= tolerance:
                word.size = round(body, 1)
