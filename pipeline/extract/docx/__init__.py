"""Word documents (.docx, .docm) → `DocumentText`, the same record the PDF reader gives.

The OOXML is read directly, with the standard library (zipfile, ElementTree): Word states its
structure — paragraphs, styles, list numbering, table cells — and reading it needs no layout;
every part is inflated under a limit (`package.py`). Styles (`styles.py`) and list numbering
(`numbering.py`) say how a paragraph prints; the body is walked in document order
(`body.py`), its runs become lines (`lines.py`), and paragraphs and tables become blocks
(`document.py`), so segmentation, verdicts and matching are the PDF's. What is read and what is
not: docs/docx.md.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from maalspor import errors
from maalspor.extract.docx.body import EMBEDDED, TRACKED, BodyReader
from maalspor.extract.docx.document import PageBuilder, furniture_lines
from maalspor.extract.docx.numbering import Numbering
from maalspor.extract.docx.package import (
    Package,
    looks_like_word,
    open_package,
    parse_xml,
    refuse_doctype,
)
from maalspor.extract.docx.styles import StyleIndex, Styles
from maalspor.extract.files import sha256_of
from maalspor.models.common import Source
from maalspor.models.page import DocumentText
from maalspor.settings import ExtractSettings

__all__ = ["extract_docx", "looks_like_word"]

_STYLES = "/styles"
_NUMBERING = "/numbering"
_FURNITURE = ("/header", "/footer")
_BODY = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}body"


def extract_docx(
    path: Path, settings: ExtractSettings, password: str | None = None
) -> DocumentText:
    """A Word document's text in reading order, as blocks of lines (`DocumentText`, kind
    "docx"); `password` opens an encrypted one."""
    package = open_package(path, password, settings)
    try:
        return _read(package, path, settings)
    except RecursionError as error:
        # Wrappers (content controls, hyperlinks, custom XML) nested thousands deep: a file
        # made to exhaust the reader, not a plan (tables and text boxes have their own limit).
        raise errors.DamagedDocxError(
            f"{path}: damaged Word document (its elements are nested too deep to read)"
        ) from error
    finally:
        package.close()


def _read(package: Package, path: Path, settings: ExtractSettings) -> DocumentText:
    relationships = package.relationships(package.main).values()
    parts = {kind: name for kind, name in relationships}
    styles_part = _part(parts, _STYLES)
    styles_data = package.read(styles_part)
    if styles_data is not None:
        refuse_doctype(styles_data, path, styles_part)
    styles = Styles(StyleIndex(styles_data, lambda data: parse_xml(data, path, styles_part)))
    numbering = Numbering(package.xml(_part(parts, _NUMBERING)), styles.numbering_of)
    data = package.read(package.main) or b""
    root = parse_xml(data, path, package.main)
    body = root.find(_BODY)
    if body is None:
        raise errors.DamagedDocxError(f"{path}: damaged Word document (its body is missing)")
    reader = BodyReader(body, styles, numbering, settings.docx_max_depth, path)
    builder = PageBuilder()
    builder.add(reader.blocks(body))
    pages = builder.finish()
    furniture: list[str] = []
    for kind, name in relationships:
        if not kind.endswith(_FURNITURE):
            continue
        story = package.xml(name)
        if story is None:
            continue
        # Headers and footers are stories of their own (their fields, their numbering state).
        for text in furniture_lines(
            BodyReader(story, styles, numbering, settings.docx_max_depth, path).blocks(story)
        ):
            if text not in furniture:
                furniture.append(text)
    warnings: list[str] = []
    if TRACKED.search(data):
        warnings.append(
            "the document has tracked changes that are not accepted: read as if all were "
            "accepted (insertions in, deletions out)"
        )
    if reader.fields:
        warnings.append("a field is not closed (its end is missing): the text after it is lost")
    if EMBEDDED.search(data):
        warnings.append("an embedded document (altChunk) is not read")
    sizes: Counter[float] = Counter()
    for page in pages:
        for block in page.blocks:
            for line in block.lines:
                sizes[round(line.size * 2) / 2] += len(line.text)
    return DocumentText(
        source=Source(path=str(path), sha256=sha256_of(path), pages=0),
        kind="docx",
        metadata_title=package.metadata_title(),
        body_size=sizes.most_common(1)[0][0] if sizes else 0.0,
        pages=pages,
        furniture=furniture,
        warnings=warnings,
        arranged=True,  # tables are explicit: no label bands to turn into tables
    )


def _part(parts: dict[str, str], suffix: str) -> str:
    return next((name for kind, name in parts.items() if kind.endswith(suffix)), "")
