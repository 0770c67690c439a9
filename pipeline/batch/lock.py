"""The lock on a batch's output folder: one run at a time writes into an OUTDIR."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from maalspor import errors

LOCK = ".maalspor.lock"
_held_lock: int | None = None  # the lock's file descriptor while this process runs a batch


@contextlib.contextmanager
def lock_outdir(outdir: Path) -> Iterator[None]:
    """Hold OUTDIR for this run: a second run into it refuses (`OutputLockedError`).

    The lock is an flock on OUTDIR/.maalspor.lock, which holds the pid for the message. The
    kernel drops an flock when its process dies, so the lock file of a killed run is stale
    and the next run simply takes it over.
    """
    import fcntl

    global _held_lock
    path = outdir / LOCK
    while True:
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 64, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(handle)
            raise errors.OutputLockedError(
                f"{outdir}: another batch run (pid {holder}) is writing into this folder; "
                "wait for it to finish or use another output folder"
            ) from None
        # The run before may have removed the file between our open and flock: lock it anew.
        try:
            same = os.fstat(handle).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(handle)
    _held_lock = handle
    try:
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        _held_lock = None
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(handle)


def drop_inherited_lock() -> None:
    """In a forked worker: close its copy of the lock, so that a worker left running after its
    batch was killed does not keep OUTDIR locked (the parent's copy holds it while it runs)."""
    if _held_lock is not None:
        with contextlib.suppress(OSError):
            os.close(_held_lock)
