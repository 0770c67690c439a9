"""Finding a batch's inputs: files and folders on disk or at URLs, and each input's output name.

`discover(inputs)` lists the plan files (`.pdf`, `.docx`, `.docm`, `.txt`) under the INPUT
arguments in a stable order (a folder's files by name, then its subfolders), the other files
as skipped (a `.doc` with what to do about it), and every entry it cannot use as a failed
input with a kind and a one-line message: an INPUT that does not exist (`not_found`), a folder
it cannot list, a symbolic link loop (`unreadable`). Nothing found there stops the search.
Links to folders are followed once (a link back up the tree is listed as skipped); hidden files
and folders and the output folder are ignored.

Inputs may also be URLs that fsspec opens (`s3://bucket/plans/x.pdf`, `file:///srv/plans/`,
`memory://...`, the optional `dask` extra): `discover_url` lists a folder URL as `discover`
lists a folder, `RemotePath` lets the client hash the bytes (for incremental runs), and
`fetched` copies one input into a local temporary file where the parse runs.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from maalspor import errors
from maalspor.errors import MissingExtraError
from maalspor.extract.files import why_unreadable
from maalspor.language.naming import slug
from maalspor.models.manifest import InputError, SkippedFile

PLAN_SUFFIXES = frozenset({".pdf", ".docx", ".docm", ".txt"})
NOT_A_PLAN = "not a .pdf, .docx or .txt file"
# Files a folder of plans often holds that maalspor cannot read, with what to do about them.
SKIP_REASONS = {
    ".doc": "a Word 97-2003 document (.doc): convert it to .docx or PDF",
    ".rtf": "an RTF document: convert it to .docx or PDF",
}
EXTRA_HINT = "install the extra: pip install 'maalspor[dask]'"
# Hex digits of the path hash in an output name: 32 bits, so two inputs of one batch share a
# name with a chance of about one in four million even with 100 inputs of the same name.
NAME_HASH_DIGITS = 8


@dataclass(frozen=True)
class InputFile:
    path: Path  # the file to open
    display: str  # as found: its INPUT argument joined with its relative path
    source: str  # relative to the INPUT folder (or the file name): the plan's source.path
    error: InputError | None = None  # set when the entry cannot be parsed at all


# --- local files ------------------------------------------------------------------------------


def discover(
    inputs: Sequence[str | Path], *, exclude: Path | None = None
) -> tuple[list[InputFile], list[SkippedFile]]:
    """The plan files under the INPUT arguments, in a stable order, and the files skipped.

    Entries that cannot be used (a missing INPUT, a folder that cannot be listed, a link loop)
    come back as InputFiles with `error` set, in their place in the order.
    """
    excluded = os.path.realpath(exclude) if exclude is not None else None
    found: list[InputFile] = []
    skipped: list[SkippedFile] = []
    seen: set[str] = set()

    def add(item: InputFile) -> None:
        key = item.display if item.error or isinstance(item.path, RemotePath) else None
        key = key or os.path.realpath(item.path)
        if key not in seen:
            seen.add(key)
            found.append(item)

    for argument in inputs:
        if is_url(argument):
            try:
                remote, remote_skipped = discover_url(str(argument))
            except MissingExtraError:
                raise  # the run cannot read any URL: a usage problem, not one input's
            except errors.MaalsporError as error:
                name = PurePosixPath(urlsplit(str(argument)).path).name
                add(_failed(Path(str(argument)), str(argument), name, error))
                continue
            for item in remote:
                add(item)
            skipped.extend(remote_skipped)
            continue
        root = Path(argument)
        if not os.path.isdir(root):
            if os.path.lexists(root):
                add(InputFile(path=root, display=str(argument), source=root.name))
            else:
                error = errors.InputNotFoundError("no such file or folder")
                add(_failed(root, str(argument), root.name, error))
            continue
        for item in _walk(root, excluded, skipped):
            add(item)
    return found, skipped


def _walk(root: Path, excluded: str | None, skipped: list[SkippedFile]):
    """The plan files under a folder, depth first as os.walk gives them, each folder once."""
    visited: set[tuple[int, int]] = set()
    pending = [root]
    while pending:
        folder = pending.pop()
        relative = folder.relative_to(root).as_posix()
        try:
            info = folder.stat()
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            message = f"cannot list the folder ({error.strerror or type(error).__name__})"
            if error.errno == errno.ELOOP:
                message = why_unreadable(error)
            yield _failed(folder, str(folder), relative, errors.UnreadableInputError(message))
            continue
        if (info.st_dev, info.st_ino) in visited:
            skipped.append(
                SkippedFile(path=str(folder), reason="a link to a folder already searched")
            )
            continue
        visited.add((info.st_dev, info.st_ino))
        subfolders: list[Path] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = folder / entry.name
            try:
                is_folder = entry.is_dir()  # follows links; False for a loop or a dangling link
            except OSError:
                is_folder = False
            if is_folder:
                if os.path.realpath(path) != excluded:
                    subfolders.append(path)
            elif path.suffix.lower() in PLAN_SUFFIXES:
                source = path.relative_to(root).as_posix()
                yield InputFile(path=path, display=str(path), source=source)
            else:
                skipped.append(SkippedFile(path=str(path), reason=skip_reason(path.name)))
        pending.extend(reversed(subfolders))


def skip_reason(name: str) -> str:
    """Why a file found in a folder is not parsed."""
    return SKIP_REASONS.get(PurePosixPath(name).suffix.lower(), NOT_A_PLAN)


def _failed(path: Path, display: str, source: str, error: errors.MaalsporError) -> InputFile:
    message = str(error)
    if message.startswith(f"{display}: "):
        message = message[len(display) + 2 :]
    return InputFile(
        path=path,
        display=display,
        source=source,
        error=InputError(kind=error.kind, message=message),
    )


# --- output names -----------------------------------------------------------------------------


def output_name(item: InputFile) -> str:
    """The input's output name (without .json), from the input alone: its stem as a slug and a
    short hash of its path relative to the INPUT folder (`source`), so adding, removing or
    renaming other inputs never renames it, nor does moving the INPUT folder."""
    digest = hashlib.sha256(item.source.encode("utf-8")).hexdigest()[:NAME_HASH_DIGITS]
    return f"{slug(PurePosixPath(item.source).stem) or 'plan'}-{digest}"


def output_names(files: Sequence[InputFile]) -> list[str]:
    """`output_name` of each input; inputs with the same relative path (found in two INPUT
    folders, or files of one name given by name) get '-2', '-3' in input order."""
    unique: list[str] = []
    taken: set[str] = set()
    for item in files:
        name = chosen = output_name(item)
        number = 2
        while chosen in taken:
            chosen = f"{name}-{number}"
            number += 1
        taken.add(chosen)
        unique.append(chosen)
    return unique


# --- inputs as URLs ---------------------------------------------------------------------------


def is_url(path: object) -> bool:
    """A `protocol://...` input (s3://, file://, memory://, https://), not a local path."""
    text = str(path)
    scheme, sep, _ = text.partition("://")
    return bool(sep) and scheme.replace("+", "").replace("-", "").isalnum()


def _fsspec():
    try:
        import fsspec
    except ImportError as error:
        raise MissingExtraError(f"URL inputs need fsspec: {EXTRA_HINT}") from error
    return fsspec


class RemotePath:
    """A URL input where `InputFile.path` holds a `Path`: its name, and its bytes via fsspec."""

    __slots__ = ("url",)

    def __init__(self, url: str) -> None:
        self.url = url

    @property
    def name(self) -> str:
        return PurePosixPath(urlsplit(self.url).path).name

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix

    def resolve(self) -> RemotePath:
        return self

    def open(self, mode: str = "rb"):
        """The file opened with fsspec; any failure to open it is an OSError."""
        fsspec = _fsspec()
        try:
            return fsspec.open(self.url, mode).open()
        except OSError:
            raise
        except Exception as error:
            raise OSError(f"{type(error).__name__}: {error}") from error

    def __str__(self) -> str:
        return self.url

    def __repr__(self) -> str:
        return f"RemotePath({self.url!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RemotePath) and other.url == self.url

    def __hash__(self) -> int:
        return hash(self.url)


def _walk_order(relative: str) -> tuple:
    """The order `discover` gives a local folder: a folder's files (sorted), then its subfolders."""
    parts = relative.split("/")
    return (*((1, part) for part in parts[:-1]), (0, parts[-1]))


def discover_url(argument: str):
    """The plan files at a URL (a file, or a folder searched recursively), and those skipped.

    Like a local folder: `.pdf`, `.docx`, `.docm` and `.txt` files are plans, other files are
    skipped, hidden
    files and folders are ignored; `display` is the URL as given joined with the relative path,
    `source` the path relative to it (the file name for a file URL).
    """
    fsspec = _fsspec()
    try:
        fs, root = fsspec.core.url_to_fs(argument)
        exists = fs.exists(root)
        is_dir = exists and fs.isdir(root)
    except ImportError as error:  # a protocol whose own package is missing (s3fs, gcsfs)
        raise MissingExtraError(f"{argument}: {error}") from error
    except Exception as error:
        raise errors.InputNotFoundError(
            f"{argument}: cannot list it ({type(error).__name__}: {error})"
        ) from error
    if not exists:
        raise errors.InputNotFoundError(f"{argument}: no such file or folder")
    if not is_dir:
        url = RemotePath(argument)
        return [InputFile(path=url, display=argument, source=url.name)], []  # type: ignore[arg-type]
    base = root.rstrip("/")
    relatives = []
    for found in fs.find(root, withdirs=False, detail=False):
        relative = found[len(base) :].lstrip("/") if found.startswith(base) else found
        if relative and not any(part.startswith(".") for part in relative.split("/")):
            relatives.append(relative)
    prefix = argument.rstrip("/")
    files, skipped = [], []
    for relative in sorted(relatives, key=_walk_order):
        display = f"{prefix}/{relative}"
        if PurePosixPath(relative).suffix.lower() in PLAN_SUFFIXES:
            remote = RemotePath(display)
            files.append(InputFile(remote, display, relative))  # type: ignore[arg-type]
        else:
            skipped.append(SkippedFile(path=display, reason=skip_reason(relative)))
    return files, skipped


@contextlib.contextmanager
def fetched(path: str) -> Iterator[str]:
    """A local file with the input's bytes: the path itself, or a URL copied to a temporary file.

    The copy keeps the URL's file name (so its suffix and name are the input's) and is removed
    afterwards. A URL that cannot be read is an InputNotFoundError (kind not_found).
    """
    if not is_url(path):
        yield path
        return
    fsspec = _fsspec()
    name = PurePosixPath(urlsplit(path).path).name or "input"
    folder = tempfile.mkdtemp(prefix="maalspor-input-")
    local = os.path.join(folder, name)
    try:
        try:
            with fsspec.open(path, "rb") as source, open(local, "wb") as target:
                shutil.copyfileobj(source, target, 1 << 20)
        except FileNotFoundError as error:
            raise errors.InputNotFoundError(f"{path}: no such file") from error
        except ImportError as error:
            raise MissingExtraError(f"{path}: {error}") from error
        except (MemoryError, errors.MaalsporError):
            raise
        except Exception as error:
            raise errors.InputNotFoundError(
                f"{path}: cannot read it ({type(error).__name__}: {error})"
            ) from error
        yield local
    finally:
        shutil.rmtree(folder, ignore_errors=True)
