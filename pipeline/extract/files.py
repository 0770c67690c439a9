"""The input file itself: a regular file this process can open, and its hash.

`check_file(path)` is what every parse asks first: a regular file that can be opened, or a
typed error that says which of those it is not (never "no such file" for a link loop).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

from maalspor import errors

# Files are hashed in chunks of this many bytes (memory stays flat on large files).
_HASH_CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    """SHA-256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_HASH_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_file(path: str | Path) -> int:
    """The size of a regular file this process can open; a typed error for anything else."""
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError as error:
        if os.path.islink(path):
            raise errors.InputNotFoundError(
                f"{path}: a symbolic link to a missing file ({os.readlink(path)})"
            ) from error
        raise errors.InputNotFoundError(f"{path}: no such file") from error
    except OSError as error:
        raise errors.UnreadableInputError(f"{path}: {why_unreadable(error)}") from error
    if stat.S_ISDIR(info.st_mode):
        raise errors.UnreadableInputError(f"{path}: a folder, not a plan file")
    if not stat.S_ISREG(info.st_mode):
        raise errors.UnreadableInputError(
            f"{path}: not a regular file (a pipe, a device or a socket)"
        )
    try:
        os.close(os.open(path, os.O_RDONLY))
    except OSError as error:
        raise errors.UnreadableInputError(f"{path}: {why_unreadable(error)}") from error
    return info.st_size


def why_unreadable(error: OSError) -> str:
    """What keeps a file or folder from being read, in words."""
    if error.errno == errno.ELOOP:
        return "a symbolic link loop (the link points back at itself)"
    return f"cannot read it ({error.strerror or type(error).__name__})"
