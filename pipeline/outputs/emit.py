"""Stage 5: models → JSON text and files, and back.

Output is deterministic (same model, same bytes: fixed key order from the models, two-space
indent, UTF-8 with æøå as they are, a final newline) and every file is written atomically: to a
temporary file in the same folder, flushed to disk, then renamed over the target, so a reader
or a killed run never sees half a file.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ValidationError

from maalspor import errors
from maalspor.models import LineageDocument, PlanDocument


def to_json(document: BaseModel) -> str:
    """The JSON text of a document: validated fields, aliases ("from"), stable formatting."""
    return document.model_dump_json(by_alias=True, indent=2) + "\n"


def to_json_bytes(document: BaseModel) -> bytes:
    """`to_json` encoded as UTF-8, made without the text in between (a long plan's JSON is
    megabytes: one copy fewer at the peak of a parse)."""
    return document.__pydantic_serializer__.to_json(document, by_alias=True, indent=2) + b"\n"


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write text to a file so that the file is either the old one or the whole new one."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """As `write_text_atomic`; a file that cannot be written is an `OutputError` (one line),
    and no temporary file is left behind."""
    with atomic_target(path) as temporary, temporary.open("wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    return Path(path)


@contextlib.contextmanager
def atomic_target(path: str | Path) -> Iterator[Path]:
    """A temporary file beside `path` to write (by any means: a database too); renamed over
    `path` when the block ends, removed when it fails. A file that cannot be written is an
    `OutputError` (one line)."""
    try:
        with _atomic_target(Path(path)) as temporary:
            yield temporary
    except OSError as error:
        reason = error.strerror or type(error).__name__
        if isinstance(error, (FileExistsError, NotADirectoryError)):
            reason = f"{reason}: a file stands where a folder of the path should be"
        raise errors.OutputError(f"{path}: cannot write it ({reason})") from error


@contextlib.contextmanager
def _atomic_target(path: Path) -> Iterator[Path]:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        # mkstemp makes the file private (0600); outputs are for sharing, as open() would make them.
        os.fchmod(handle, 0o666 & ~_umask())
        os.close(handle)
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_json(document: BaseModel, path: str | Path) -> Path:
    return write_text_atomic(path, to_json(document))


def load_document(
    path: str | Path, expected: str = "a JSON document"
) -> PlanDocument | LineageDocument:
    """Read a JSON document maalspor wrote (a plan or a lineage), validating it; `expected`
    names what was asked for in the error when the file is something else."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as error:
        raise errors.InputNotFoundError(f"{path}: no such file") from error
    except OSError as error:
        raise errors.UnreadableDocumentError(f"{path}: not {expected} ({error})") from error
    if b"%PDF-" in raw[:1024]:  # where PDF readers look for the header
        raise errors.UnreadableDocumentError(f"{path}: a PDF, not {expected}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = f"byte {error.start} is 0x{raw[error.start]:02x}"
        raise errors.UnreadableDocumentError(
            f"{path}: not {expected} (not UTF-8 text: {byte})"
        ) from error
    return read_document(text, str(path))


def load_lineage(path: str | Path) -> LineageDocument:
    """Read a lineage document (`report`, `review`): a plan or a PDF is named as such."""
    document = load_document(path, "a lineage JSON (make one with `maalspor lineage`)")
    if not isinstance(document, LineageDocument):
        raise errors.UnreadableDocumentError(
            f"{path}: a plan document, not a lineage (make one with `maalspor lineage`)"
        )
    return document


def read_document(text: str, where: str) -> PlanDocument | LineageDocument:
    """A plan or lineage from its JSON text (`where` names it in errors, e.g. '<stdin>')."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise errors.UnreadableDocumentError(f"{where}: not a JSON document ({error})") from error
    model: type[PlanDocument] | type[LineageDocument]
    model = LineageDocument if isinstance(data, dict) and "links" in data else PlanDocument
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        at = ".".join(str(p) for p in first["loc"]) or "document"
        raise errors.UnreadableDocumentError(
            f"{where}: not a maalspor {model.__name__} ({at}: {first['msg']})"
        ) from error


def load_plan(path: str | Path) -> PlanDocument:
    document = load_document(path)
    if not isinstance(document, PlanDocument):
        raise errors.UnreadableDocumentError(f"{path}: a lineage document, not a plan")
    return document
