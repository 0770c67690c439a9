"""The overrides file under review: read, changed and written under a lock, atomically.

Every decision is a read-change-write of the whole file while a lock is held: a lock of this
process's threads (the server answers requests in threads) and an flock on the file's folder
(another `maalspor review` of the same file, in another process, waits for it). The file is
read anew under the lock each time, so two reviews of one file, or a person's edit in an
editor between two decisions, are merged, never overwritten: no decision is lost. The lock is
taken on the folder, not on the file, because an atomic write replaces the file (a lock on
the old file would not hold the new one), and so that nothing but the file is ever written.

The new text is checked as `lineage --overrides` reads it (tomllib, `parse_overrides`) before
it is written; it is written beside the file and renamed over it (`emit.write_text_atomic`),
so a killed server leaves the old file or the new one, never half of one. A temporary file a
killed server left behind is removed at the next start, under the lock.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from maalspor import errors
from maalspor.match.overrides import Overrides, parse_overrides
from maalspor.outputs.emit import write_text_atomic


@dataclass(frozen=True)
class Snapshot:
    """The file's text as read (empty when there is no file yet) and its checked entries."""

    text: str
    overrides: Overrides | None  # None: no file yet

    @property
    def sha256(self) -> str:
        return self.overrides.sha256 if self.overrides else ""


class OverridesFile:
    """One overrides file: `path` where it is, `shown_as` how the lineage records it (the path
    as given, or "overrides.toml" in an OUTDIR, as `batch` records it)."""

    def __init__(self, path: str | Path, shown_as: str | None = None) -> None:
        self.path = Path(path)
        self.shown_as = shown_as or str(path)
        self._threads = threading.Lock()

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Held while a decision reads, changes and writes the file."""
        import fcntl

        with self._threads:
            folder = self.path.parent
            try:
                handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            except OSError as error:
                raise errors.OutputError(
                    f"{folder}: cannot use the folder of the overrides file ({error.strerror})"
                ) from error
            try:
                fcntl.flock(handle, fcntl.LOCK_EX)
                yield
            finally:
                os.close(handle)  # closing drops the flock

    def read(self) -> Snapshot:
        """The file as it is now (an `OverridesError` when it is not valid: a person's edit)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return Snapshot("", None)
        except OSError as error:
            raise errors.UnreadableInputError(
                f"{self.shown_as}: cannot read it ({error.strerror})"
            ) from error
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise errors.OverridesError(f"{self.shown_as}: not UTF-8 text") from error
        return self._checked(text)

    def write(self, text: str) -> Snapshot:
        """Check the text as `--overrides` reads it, then write it atomically."""
        snapshot = self._checked(text)
        write_text_atomic(self.path, text)
        return snapshot

    def _checked(self, text: str) -> Snapshot:
        """The text's entries, checked as `load_overrides` checks a file."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise errors.OverridesError(f"{self.shown_as}: not valid TOML: {error}") from error
        sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return Snapshot(text, parse_overrides(data, path=self.shown_as, sha256=sha256))

    def remove_leftovers(self) -> list[Path]:
        """Temporary files of this file that a killed writer left (the lock must be held)."""
        removed = []
        for leftover in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            with contextlib.suppress(OSError):
                leftover.unlink()
                removed.append(leftover)
        return removed
