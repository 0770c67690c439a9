"""Word documents made by the tests: OOXML written with zipfile, part by part, as Word writes it.

`document(body)` wraps body XML (paragraphs `p(...)`, tables `table(...)`) in a package with
the styles a Word document has ("Normal" 11 pt, "Title", "heading 1-2", a style named
"Overskrift 1" as localised programs name it, "List Bullet"), the numbering definitions the
tests use, and optional headers, footers, core properties and extra parts. `ole_file(streams)`
writes an OLE compound file (what a Word 97-2003 .doc is) with the given streams.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = (
    f'xmlns:w="{W_NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps"'
)
DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_DOCUMENT_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}">
<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="22"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/>
  <w:rPr><w:sz w:val="52"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>
  <w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr>
  <w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/>
  <w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr>
  <w:rPr><w:b/><w:sz w:val="26"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Overskrift1"><w:name w:val="Overskrift 1"/>
  <w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="22"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/>
  <w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr>
  </w:style>
</w:styles>"""


def _level(ilvl: int, fmt: str, text: str, start: int = 1) -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
    )


# numId 1: bullets; 2: "1." / "1.1" / "a)" (Word's outline list); 3 and 4: "a)" lists on one
# definition, 4 restarting it; 5: upper roman.
_SYMBOL_BULLET = "\uf0b7"  # Symbol's bullet, as Word writes a bullet list's level text
NUMBERING = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{W_NS}">
<w:abstractNum w:abstractNumId="0">{_level(0, "bullet", _SYMBOL_BULLET)}{_level(1, "bullet", "o")}
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">{_level(0, "decimal", "%1.")}{_level(1, "decimal", "%1.%2")}
{_level(2, "lowerLetter", "%3)")}</w:abstractNum>
<w:abstractNum w:abstractNumId="2">{_level(0, "lowerLetter", "%1)")}</w:abstractNum>
<w:abstractNum w:abstractNumId="3">{_level(0, "upperRoman", "%1.")}</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="2"/>
  <w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
<w:num w:numId="5"><w:abstractNumId w:val="3"/></w:num>
</w:numbering>"""


# --- body XML -----------------------------------------------------------------------------


def run(text: str = "", *, bold: bool = False, props: str = "", inner: str | None = None) -> str:
    """A run: its text (with xml:space preserved), or `inner` XML as its content."""
    rpr = ("<w:b/>" if bold else "") + props
    content = inner if inner is not None else f'<w:t xml:space="preserve">{escape(text)}</w:t>'
    return f"<w:r>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}{content}</w:r>"


def p(*content: str, style: str | None = None, num: tuple[int, int] | None = None, ppr="") -> str:
    """A paragraph of runs (a plain string is one run of that text)."""
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num is not None:
        props += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    props += ppr
    runs = "".join(c if c.startswith("<") else run(c) for c in content)
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{runs}</w:p>"


def labelled(label: str, text: str, **kwargs) -> str:
    """A paragraph starting with a bold label ("Mål:") and the text after it."""
    return p(run(label, bold=True), run(f" {text}"), **kwargs)


def cell(*paragraphs: str, props: str = "") -> str:
    body = "".join(paragraphs) or "<w:p/>"
    return f"<w:tc>{f'<w:tcPr>{props}</w:tcPr>' if props else ''}{body}</w:tc>"


def row(*cells: str, props: str = "") -> str:
    return f"<w:tr>{f'<w:trPr>{props}</w:trPr>' if props else ''}{''.join(cells)}</w:tr>"


def table(*rows: str, widths: tuple[int, ...] = (4000, 4000)) -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return f"<w:tbl><w:tblPr/><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"


def field(instruction: str, result: str) -> str:
    """A complex field (begin, instruction, separate, cached result, end) in runs."""
    return (
        run(inner='<w:fldChar w:fldCharType="begin"/>')
        + run(inner=f'<w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText>')
        + run(inner='<w:fldChar w:fldCharType="separate"/>')
        + run(result)
        + run(inner='<w:fldChar w:fldCharType="end"/>')
    )


def text_box(*paragraphs: str) -> str:
    """A run holding a text box as Word 2010+ writes it: a DrawingML shape (the choice) and
    the same text as a VML shape for older programs (the fallback)."""
    content = "".join(paragraphs)
    drawing = (
        "<w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx>"
        f"<w:txbxContent>{content}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData>"
        "</a:graphic></wp:anchor></w:drawing>"
    )
    fallback = f"<w:pict><v:shape><v:textbox><w:txbxContent>{content}</w:txbxContent>"
    fallback += "</v:textbox></v:shape></w:pict>"
    return run(
        inner=f'<mc:AlternateContent><mc:Choice Requires="wps">{drawing}</mc:Choice>'
        f"<mc:Fallback>{fallback}</mc:Fallback></mc:AlternateContent>"
    )


PAGE_BREAK = p(run(inner='<w:br w:type="page"/>'))


def cover(title: str = "Virksomhedsplan 2024 for Kultur og Fritid", org="Aarhus Kommune") -> str:
    return p(title, style="Title") + p(org) + PAGE_BREAK


# --- the package ----------------------------------------------------------------------------


def document(
    body: str,
    *,
    headers: tuple[str, ...] = (),
    footers: tuple[str, ...] = (),
    title: str | None = None,
    macros: bool = False,
    extra: dict[str, bytes] | None = None,
    final_section: str = "",
) -> bytes:
    """A .docx (or .docm with `macros`) whose body is `body`; headers and footers are body XML
    of their own parts."""
    overrides = {
        "/word/document.xml": MACRO_DOCUMENT_TYPE if macros else DOCUMENT_TYPE,
        "/word/styles.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml."
        "styles+xml",
        "/word/numbering.xml": "application/vnd.openxmlformats-officedocument."
        "wordprocessingml.numbering+xml",
    }
    relations = [
        ("rIdStyles", f"{REL}/styles", "styles.xml"),
        ("rIdNumbering", f"{REL}/numbering", "numbering.xml"),
    ]
    parts: dict[str, bytes] = {
        "word/styles.xml": STYLES.encode(),
        "word/numbering.xml": NUMBERING.encode(),
    }
    references = ""
    for kind, stories in (("header", headers), ("footer", footers)):
        for index, story in enumerate(stories, start=1):
            name = f"{kind}{index}.xml"
            tag = "hdr" if kind == "header" else "ftr"
            parts[f"word/{name}"] = (
                f'<?xml version="1.0" encoding="UTF-8"?><w:{tag} {NAMESPACES}>{story}</w:{tag}>'
            ).encode()
            relations.append((f"rId{kind}{index}", f"{REL}/{kind}", name))
            references += f'<w:{kind}Reference w:type="default" r:id="rId{kind}{index}"/>'
            overrides[f"/word/{name}"] = (
                f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"
            )
    if macros:
        parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 Sub AutoOpen() Shell 'rm -rf /'"
        relations.append(
            (
                "rIdVba",
                "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
                "vbaProject.bin",
            )
        )
    section = f"<w:sectPr>{references}{final_section}</w:sectPr>"
    parts["word/document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NAMESPACES}>'
        f"<w:body>{body}{section}</w:body></w:document>"
    ).encode()
    parts["word/_rels/document.xml.rels"] = _relationships(relations)
    package_relations = [("rId1", f"{REL}/officeDocument", "word/document.xml")]
    if title is not None:
        package_relations.append(
            (
                "rId2",
                "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                "core-properties",
                "docProps/core.xml",
            )
        )
        parts["docProps/core.xml"] = (
            '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://'
            'schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{escape(title)}</dc:title>'
            "</cp:coreProperties>"
        ).encode()
    parts["_rels/.rels"] = _relationships(package_relations)
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{k}" ContentType="{v}"/>' for k, v in overrides.items())
        + "</Types>"
    ).encode()
    parts.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", parts.pop("[Content_Types].xml"))
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _relationships(relations: list[tuple[str, str, str]]) -> bytes:
    items = "".join(
        f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in relations
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        f'openxmlformats.org/package/2006/relationships">{items}</Relationships>'
    ).encode()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- an OLE compound file (a Word 97-2003 document) -------------------------------------------

_SECTOR = 512
_FREE, _END, _FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
_NO_STREAM = 0xFFFFFFFF


def ole_file(name: str = "WordDocument", size: int = 4096) -> bytes:
    """An OLE compound file (version 3, 512-byte sectors) with one stream of `size` bytes (at
    least 4096, so that it lives in ordinary sectors, not the mini stream)."""
    data_sectors = -(-size // _SECTOR)
    fat = [_FAT, _END] + [3 + i if i < data_sectors - 1 else _END for i in range(data_sectors)]
    fat += [_FREE] * (_SECTOR // 4 - len(fat))
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", _FREE) * 108
    root = _entry("Root Entry", 5, child=1, start=_END, size=0)
    stream = _entry(name, 2, child=_NO_STREAM, start=2, size=size)
    directory = root + stream + _entry("", 0, _NO_STREAM, 0, 0) * 2
    body = struct.pack(f"<{len(fat)}I", *fat) + directory + b"W" * (data_sectors * _SECTOR)
    return header + body


def _entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
    encoded = name.encode("utf-16-le") + (b"\x00\x00" if name else b"")
    entry = encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1)
    entry += struct.pack("<III", _NO_STREAM, _NO_STREAM, child) + bytes(16) + bytes(4)
    entry += bytes(16) + struct.pack("<IQ", start, size)
    return entry
