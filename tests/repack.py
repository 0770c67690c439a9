"""A plan's PDF rewritten the way other writers store the same content.

`object_stream_pdf` packs every object that is not a stream into compressed object streams
behind a cross-reference stream (PDF 1.5), as Word, Acrobat and most current writers do;
LibreOffice, reportlab and pypdf, which made every other PDF in the tests, never do.
"""

from __future__ import annotations

import io
import zlib
from pathlib import Path

# Objects per object stream: writers pack some tens to a few hundred.
OBJECTS_PER_STREAM = 100
# A cross-reference stream's field widths: type (1 byte), offset or stream (4), index (2).
_WIDTHS = (1, 4, 2)


def object_stream_pdf(source: Path, target: Path, per_stream: int = OBJECTS_PER_STREAM) -> Path:
    """`source` with its dictionaries (catalog, page tree, pages, fonts) in object streams."""
    from pypdf import PdfReader
    from pypdf.generic import IndirectObject, StreamObject

    reader = PdfReader(str(source))
    size = int(reader.trailer["/Size"])
    streams: dict[int, bytes] = {}
    packed: dict[int, bytes] = {}
    for number in range(1, size):
        obj = reader.get_object(IndirectObject(number, 0, reader))
        if obj is None:
            continue
        buffer = io.BytesIO()
        obj.write_to_stream(buffer)
        (streams if isinstance(obj, StreamObject) else packed)[number] = buffer.getvalue()
    out = bytearray(b"%PDF-1.7\n%\xe6\xf8\xe5\n")
    offsets: dict[int, int] = {}
    in_stream: dict[int, tuple[int, int]] = {}
    for number, body in streams.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    stream_number = size
    numbers = sorted(packed)
    for start in range(0, len(numbers), per_stream):
        chunk = numbers[start : start + per_stream]
        header, bodies = [], bytearray()
        for index, number in enumerate(chunk):
            header.append(b"%d %d" % (number, len(bodies)))
            bodies += packed[number] + b"\n"
            in_stream[number] = (stream_number, index)
        head = b" ".join(header) + b"\n"
        data = zlib.compress(head + bytes(bodies))
        offsets[stream_number] = len(out)
        out += b"%d 0 obj\n" % stream_number
        out += b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n" % (
            len(chunk),
            len(head),
            len(data),
        )
        out += b"stream\n" + data + b"\nendstream\nendobj\n"
        stream_number += 1
    xref_number = stream_number
    offsets[xref_number] = len(out)
    rows = bytearray()
    for number in range(xref_number + 1):
        if number in offsets:
            fields = (1, offsets[number], 0)
        elif number in in_stream:
            fields = (2, *in_stream[number])
        else:
            fields = (0, 0, 65535 if number == 0 else 0)
        for value, width in zip(fields, _WIDTHS, strict=True):
            rows += value.to_bytes(width, "big")
    data = zlib.compress(bytes(rows))
    root = reader.trailer.raw_get("/Root").idnum
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [%d %d %d] /Root %d 0 R " % (
        xref_number,
        xref_number + 1,
        *_WIDTHS,
        root,
    )
    out += b"/Filter /FlateDecode /Length %d >>\nstream\n" % len(data)
    out += data + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    target.write_bytes(bytes(out))
    return target
