"""A Word file's package: the zip (or the encrypted zip inside an OLE file) and its XML parts.

A .docx (or .docm: the same with macros, which are never read, let alone run) is a zip of XML
parts found through relationships (`_rels/.rels` names the main part, its own `.rels` the
styles, numbering, headers and footers). Only the parts the reader needs are inflated, each in
bounded steps: a part that would inflate past `ExtractSettings.docx_max_part_bytes`, or parts
past `docx_max_total_bytes` in all, are refused (`StreamTooLargeError`, as a PDF stream beyond
its limit), whatever sizes the zip declares. A part is parsed by the standard library's XML
parser, whose expat refuses entity expansion bombs; a DOCTYPE (which OOXML never has) is refused
before parsing.

An encrypted document (a password set in Word) is an OLE compound file holding the zip
encrypted (ECMA-376 "agile" or "standard" encryption); it is decrypted with the password by
msoffcrypto-tool. A Word 97-2003 document (.doc) is an OLE file too, with a "WordDocument"
stream: it is refused with one line saying to convert it.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from maalspor import errors
from maalspor.settings import ExtractSettings

# Names under which a broken container is a damaged Word document (else: not a PDF).
WORD_SUFFIXES = frozenset({".docx", ".docm", ".doc", ".dotx", ".dotm"})
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOCUMENT = "/officeDocument"  # the end of the main part's relationship type
_MAIN = "word/document.xml"
_CORE_PROPERTIES = "/metadata/core-properties"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
# Bytes inflated at a time: the limits are checked between steps.
_STEP = 1 << 20


def looks_like_word(head: bytes) -> bool:
    """Whether a file's first bytes are a zip or an OLE compound file (a .docx, an encrypted
    .docx, or a .doc): the Word reader then decides which, and says so."""
    return head.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC, OLE_MAGIC))


@dataclass
class Package:
    """The opened zip; parts are read (inflated and parsed) on demand, within the limits."""

    path: Path
    archive: zipfile.ZipFile
    settings: ExtractSettings
    main: str  # name of the main document part, e.g. "word/document.xml"
    inflated: int = 0  # bytes inflated so far, over all parts read
    names: set[str] = field(default_factory=set)

    def read(self, name: str) -> bytes | None:
        """A part's bytes, inflated in bounded steps; None when the zip has no such part."""
        if name not in self.names:
            return None
        info = self.archive.getinfo(name)
        limit = self.settings.docx_max_part_bytes
        if info.file_size > limit:
            raise self._too_large(name, limit)
        chunks: list[bytes] = []
        size = 0
        try:
            with self.archive.open(info) as stream:
                while chunk := stream.read(_STEP):
                    size += len(chunk)
                    self.inflated += len(chunk)
                    if size > limit:
                        raise self._too_large(name, limit)
                    if self.inflated > self.settings.docx_max_total_bytes:
                        raise errors.StreamTooLargeError(
                            f"{self.path}: the parts of the Word document inflate to more than "
                            f"{_size(self.settings.docx_max_total_bytes)} in all"
                        )
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
            raise _damaged(self.path, f"its part {name} cannot be inflated ({error})") from error
        return b"".join(chunks)

    def xml(self, name: str) -> ElementTree.Element | None:
        """A part parsed as XML; None when the zip has no such part."""
        data = self.read(name)
        if data is None:
            return None
        return parse_xml(data, self.path, name)

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """A part's relationships: id → (type, target part name), internal targets only."""
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", f"{base}.rels"))
        found: dict[str, tuple[str, str]] = {}
        if root is None:
            return found
        for rel in root.iter(_REL):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target") or ""
            name = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            found[rel.get("Id") or ""] = (rel.get("Type") or "", name)
        return found

    def metadata_title(self) -> str | None:
        """The title in the document's properties (docProps/core.xml), if any."""
        for rel_type, name in self.relationships("").values():
            if rel_type.endswith(_CORE_PROPERTIES):
                root = self.xml(name)
                title = root.find(_DC_TITLE) if root is not None else None
                text = (title.text or "").strip() if title is not None else ""
                return text or None
        return None

    def close(self) -> None:
        self.archive.close()

    def _too_large(self, name: str, limit: int) -> errors.StreamTooLargeError:
        return errors.StreamTooLargeError(
            f"{self.path}: a part of the Word document ({name}) inflates to more than "
            f"{_size(limit)}"
        )


def open_package(path: Path, password: str | None, settings: ExtractSettings) -> Package:
    """The Word document's zip, decrypted first when it is encrypted; a typed error for a zip
    that is no Word document, a broken one, an encrypted one without (the right) password and
    a Word 97-2003 document."""
    with path.open("rb") as handle:
        head = handle.read(len(OLE_MAGIC))
    if head.startswith(OLE_MAGIC):
        source: Path | io.BytesIO = _decrypted(path, password)
    else:
        source = path
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise _broken(path, f"its zip is broken ({error})") from error
    try:
        infos = archive.infolist()
        if len(infos) > settings.docx_max_entries:
            raise _damaged(
                path, f"its zip has {len(infos):,} entries, more than {settings.docx_max_entries:,}"
            )
        package = Package(path, archive, settings, main="", names={i.filename for i in infos})
        main = next(
            (
                name
                for rel_type, name in package.relationships("").values()
                if rel_type.endswith(_OFFICE_DOCUMENT)
            ),
            None,
        )
        if (main is None or main not in package.names) and _MAIN in package.names:
            main = _MAIN  # relationships missing or broken: the part Word always names so
        if main is None or main not in package.names:
            if "xl/workbook.xml" in package.names or "ppt/presentation.xml" in package.names:
                raise errors.NotAPdfError(
                    f"{path}: a spreadsheet or presentation, not a Word document, PDF or text"
                )
            raise _damaged(path, "no main document part (word/document.xml) in its zip")
        package.main = main
        return package
    except BaseException:
        archive.close()
        raise


def refuse_doctype(data: bytes, path: Path, name: str) -> bytes:
    """A part's bytes, unless it declares a DOCTYPE or entities, which OOXML never has (they are
    how XML bombs and external references work)."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise _damaged(path, f"its part {name} declares a DOCTYPE, which Word never writes")
    return data


def parse_xml(data: bytes, path: Path, name: str) -> ElementTree.Element:
    """A part's XML: a DOCTYPE refused, the rest parsed by expat (which also limits how far
    entities may expand)."""
    refuse_doctype(data, path, name)
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise _damaged(path, f"its part {name} is not well-formed XML ({error})") from error


def _decrypted(path: Path, password: str | None) -> io.BytesIO:
    """The zip inside an encrypted Word document; a .doc or an unreadable OLE file is refused."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            encrypted = ole.exists("EncryptedPackage") and ole.exists("EncryptionInfo")
            legacy = ole.exists("WordDocument")
    except (OSError, ValueError, EOFError) as error:
        raise _broken(path, f"an OLE file that cannot be read ({error})") from error
    if not encrypted:
        if legacy:
            raise errors.LegacyWordError(
                f"{path}: a Word 97-2003 document (.doc), a format maalspor does not read"
            )
        raise errors.NotAPdfError(
            f"{path}: an OLE file (an old Office format), not a Word document, PDF or text"
        )
    if password is None:
        raise errors.EncryptedDocxError(f"{path}: the Word document is encrypted")
    import msoffcrypto
    from msoffcrypto.exceptions import DecryptionError, InvalidKeyError

    output = io.BytesIO()
    try:
        with path.open("rb") as handle:
            office = msoffcrypto.OfficeFile(handle)
            office.load_key(password=password)
            office.decrypt(output)
    except InvalidKeyError as error:
        raise errors.WrongPasswordError(f"{path}: the password is wrong") from error
    except (DecryptionError, ValueError, OSError, AssertionError) as error:
        raise errors.EncryptedDocxError(
            f"{path}: the Word document is encrypted in a way maalspor cannot decrypt ({error})"
        ) from error
    output.seek(0)
    return output


def _size(limit: int) -> str:
    return f"{limit >> 20} MB" if limit >= 1 << 20 else f"{limit:,} bytes"


def _broken(path: Path, why: str) -> errors.MaalsporError:
    """A container that cannot be opened: a damaged Word document when the file is named as
    one, else a file that is no PDF and not a Word document either (a Word-like export named
    .pdf, a download cut short)."""
    if path.suffix.lower() in WORD_SUFFIXES:
        return _damaged(path, why)
    return errors.NotAPdfError(
        f"{path}: not a PDF (no %PDF header) and not a Word document either ({why})"
    )


def _damaged(path: Path, why: str) -> errors.DamagedDocxError:
    return errors.DamagedDocxError(f"{path}: damaged Word document ({why})")
