"""What reading a PDF's pages noticed, page by page, and what it says about it: the plan's
warnings, and the one error of a PDF in which no text can be read.

A PDF whose pages give no words is "no text" (exit code 6) only where no page has a character
or an image worth OCR: pages that cannot be read are damaged, text that cannot be decoded, lies
outside the crop box or is nested too deep is said to be so.

`undecodable_chars` tells text that cannot be decoded: glyph codes written "(cid:71)", control
characters and private-use code points in place of letters, where a font has no Unicode
mapping (or a subset font lost its ToUnicode map: U+0001 for "æ").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from maalspor import errors
from maalspor.models.page import PageContent, Word

# Glyph codes as pdfminer writes them ("(cid:71)"), control characters (C0 but tab and line
# ends, DEL, C1), private-use code points (the BMP's and planes 15-16) and U+FFFD.
_UNDECODABLE = re.compile(
    r"\(cid:\d+\)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd"
    r"\U000f0000-\U0010ffff]"
)
_CID = re.compile(r"\(cid:\d+\)")
_LETTER = re.compile(r"[^\W\d_]")


def undecodable_chars(text: str) -> int:
    """How many characters of `text` stand for glyphs without Unicode: "(cid:N)" codes (one
    each), control characters, private-use code points and U+FFFD."""
    return len(_UNDECODABLE.findall(text))


def is_undecodable(words: list[Word], share: float) -> bool:
    """Whether more than `share` of a page's characters (a "(cid:N)" one) cannot be decoded."""
    text = "".join(w.text for w in words)
    bad = undecodable_chars(text)
    if not bad:
        return False
    cids = _CID.findall(text)
    return bad > share * (len(text) - sum(map(len, cids)) + len(cids))


def is_garbled(words: list[Word]) -> bool:
    """Whether a word of the page holds letters and, in place of others, characters that cannot
    be decoded ("B(cid:1)rn", "B\\x01rn"): a font that maps some glyphs and not others. A
    private-use bullet standing alone (Word's Symbol bullets) is no such word."""
    if not _UNDECODABLE.search(" ".join(w.text for w in words)):
        return False  # the usual page: one search in C
    return any(
        _UNDECODABLE.search(w.text) and _LETTER.search(_UNDECODABLE.sub("", w.text)) for w in words
    )


def ranges(numbers: list[int]) -> str:
    """Page numbers (ascending) as ranges: "1-3, 5"."""
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)


def pages_named(numbers: list[int]) -> str:
    """ "page 3" or "pages 1-3, 5"."""
    return f"page {numbers[0]}" if len(numbers) == 1 else f"pages {ranges(numbers)}"


@dataclass
class PageNotes:
    """Pages by what was noticed on them, in page order."""

    image_only: list[int] = field(default_factory=list)  # images and no text
    undecodable: list[int] = field(default_factory=list)  # text that cannot be decoded
    garbled: list[int] = field(default_factory=list)  # some characters cannot be decoded
    unreadable: list[int] = field(default_factory=list)  # the engine raised on the page
    missing: list[int] = field(default_factory=list)  # ... and it cannot even be loaded
    unreadable_kinds: set[str] = field(default_factory=set)
    outside: list[int] = field(default_factory=list)  # text only outside the crop box
    turned: list[int] = field(default_factory=list)  # read turned: text ran sideways
    deep: list[int] = field(default_factory=list)  # nested too deep for PDFium: pdfminer read it
    unread_deep: list[int] = field(default_factory=list)  # ... and pdfminer found none either

    def content(self, number: int, content: PageContent, has_words: bool) -> None:
        """What a page's content, as the engine read it, shows."""
        if not has_words and content.outside_chars:
            self.outside.append(number)
        if content.turned and has_words:
            self.turned.append(number)
        if content.too_deep:
            (self.deep if has_words else self.unread_deep).append(number)

    def failed(self, number: int, error: Exception, exists: bool) -> str:
        """A page the engine raised on (`exists`: it can be loaded at all); its warning."""
        self.unreadable.append(number)
        self.unreadable_kinds.add(type(error).__name__)
        if not exists:
            self.missing.append(number)
        return f"page {number}: unreadable ({type(error).__name__})"

    def explained(self) -> set[int]:
        """Pages without text whose warning says why."""
        return {*self.image_only, *self.undecodable, *self.outside, *self.unread_deep}

    def no_text_error(self, path: Path, ocr_on: bool) -> errors.MaalsporError:
        """The error of a PDF no page of which gave text: what its pages showed (`ocr_on`:
        pages without a usable text layer were given to OCR)."""
        if self.unreadable:
            return errors.DamagedPdfError(
                f"{path}: damaged PDF ({pages_named(self.unreadable)} cannot be read: "
                f"{', '.join(sorted(self.unreadable_kinds))}; no other page has text)"
            )
        if self.undecodable and ocr_on:
            return errors.NoTextLayerError(
                f"{path}: the text layer cannot be decoded (fonts without Unicode mapping), "
                f"and OCR read nothing on {pages_named(self.undecodable)}"
            )
        if self.undecodable:
            return errors.NoTextLayerError(
                f"{path}: the text layer cannot be decoded (fonts without Unicode mapping) "
                "and OCR is off; read it by OCR (ocr auto or always)"
            )
        if self.image_only:
            return errors.NoTextLayerError(
                f"{path}: no text layer (scanned pages?) and OCR is off; read it by OCR "
                "(ocr auto, the default)"
            )
        if self.unread_deep:
            return errors.NoTextLayerError(
                f"{path}: the text is nested too deep to be read (forms inside forms beyond "
                f"what PDFium reads, on {pages_named(self.unread_deep)})"
            )
        if self.outside:
            return errors.NoTextLayerError(
                f"{path}: the text lies outside the visible page (the crop box of "
                f"{pages_named(self.outside)} shows none of it)"
            )
        return errors.NoTextLayerError(f"{path}: the PDF contains no text")

    def warnings(self) -> list[str]:
        found: list[str] = []
        if self.image_only:
            found.append(
                f"pages without a text layer (images only; OCR needed): {ranges(self.image_only)}"
            )
        if self.undecodable:
            found.append(f"pages whose text cannot be decoded: {ranges(self.undecodable)}")
        if self.garbled:
            found.append(
                "pages with characters that cannot be decoded (control or private-use code "
                f"points, glyph codes, in place of letters): {ranges(self.garbled)}"
            )
        if self.deep:
            found.append(
                "pages whose text is nested in forms deeper than PDFium reads, read with "
                f"pdfminer: {ranges(self.deep)}"
            )
        if self.unread_deep:
            found.append(
                f"pages whose text is nested too deep to be read: {ranges(self.unread_deep)}"
            )
        if self.turned:
            found.append(
                "pages whose text runs sideways or upside down, read turned so that it runs "
                f"left to right: {ranges(self.turned)}"
            )
        if self.outside:
            found.append(
                f"pages whose text lies outside the visible page (crop box): {ranges(self.outside)}"
            )
        return found
