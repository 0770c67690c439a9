"""Progress of a batch on stderr: one line per input, a bar on a terminal, or failures only."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import IO, Protocol

from maalspor.batch.records import MANIFEST
from maalspor.models.manifest import InputRecord, Manifest, SeriesRecord


class Reporter(Protocol):
    def start(self, total: int, reused: int) -> None: ...
    def finished(self, record: InputRecord, tb: str | None = None) -> None: ...
    def linked(self, record: SeriesRecord, tb: str | None = None) -> None: ...
    def note(self, message: str) -> None: ...
    def close(self, manifest: Manifest, outdir: Path) -> None: ...


def _describe(record: InputRecord) -> str:
    if record.error is not None:
        return f"{record.error.message} [{record.error.kind}]"
    if record.warnings:
        count = len(record.warnings)
        return f"{count} warning{'s' if count > 1 else ''}: {'; '.join(record.warnings)}"
    return ""


class LineReporter:
    """One line per finished input ('[3/20] ok      path (1.2 s)'); quiet: failures only."""

    def __init__(self, stream: IO[str], *, quiet: bool = False, debug: bool = False) -> None:
        self.stream, self.quiet, self.debug = stream, quiet, debug
        self.total = self.done = 0

    def _print(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def start(self, total: int, reused: int) -> None:
        self.total = total
        if reused and not self.quiet:
            self._print(
                f"maalspor: {reused} input{'s' if reused > 1 else ''} unchanged since the last "
                "run, kept (--force parses them again)"
            )

    def finished(self, record: InputRecord, tb: str | None = None) -> None:
        self.done += 1
        if self.quiet:
            if record.status == "failed":
                self._print(f"maalspor: {record.path}: {_describe(record)}")
        else:
            detail = _describe(record)
            self._print(
                f"[{self.done}/{self.total}] {record.status:<6} {record.path} "
                f"({record.seconds:.1f} s){': ' + detail if detail else ''}"
            )
        if self.debug and tb:
            self._print(tb.rstrip())

    def linked(self, record: SeriesRecord, tb: str | None = None) -> None:
        if record.error is not None:
            self._print(f"maalspor: lineage of {record.id}: {record.error.message}")
        elif not self.quiet and record.lineage:
            self._print(f"[lineage] {record.lineage} ({len(record.plans)} plans)")
        if self.debug and tb:
            self._print(tb.rstrip())

    def note(self, message: str) -> None:
        if not self.quiet:
            self._print(f"maalspor: {message}")

    def close(self, manifest: Manifest, outdir: Path) -> None:
        summary = manifest.summary
        if self.quiet or summary is None:
            return
        parts = [f"{summary.ok} ok"]
        if summary.with_warnings:
            parts.append(f"{summary.with_warnings} with warnings")
        parts.append(f"{summary.failed} failed")
        if summary.reused:
            parts.append(f"{summary.reused} kept from the last run")
        lineages = f"{summary.lineages} lineage{'s' if summary.lineages != 1 else ''}"
        if summary.lineage_failures:
            lineages += f" ({summary.lineage_failures} failed)"
        self._print(
            f"maalspor: {summary.inputs} inputs: {', '.join(parts)}; {lineages}; "
            f"{summary.seconds:.1f} s; see {outdir / MANIFEST}"
        )


class BarReporter(LineReporter):
    """A progress bar on a terminal: done/total, failures so far, the last file finished."""

    def __init__(self, stream: IO[str], *, debug: bool = False) -> None:
        super().__init__(stream, quiet=False, debug=debug)
        self.failed = 0
        self.current = ""

    def _clear(self) -> None:
        self.stream.write("\r\033[K")

    def _draw(self) -> None:
        width = shutil.get_terminal_size((80, 20)).columns
        total = max(self.total, 1)
        cells = 24
        filled = cells * self.done // total
        bar = "#" * filled + "-" * (cells - filled)
        failed = f"  {self.failed} failed" if self.failed else ""
        line = f"[{bar}] {self.done}/{self.total}{failed}  {self.current}"
        self._clear()
        self.stream.write(line[: max(10, width - 1)])
        self.stream.flush()

    def start(self, total: int, reused: int) -> None:
        super().start(total, reused)
        self._draw()

    def finished(self, record: InputRecord, tb: str | None = None) -> None:
        self.done += 1
        self.current = record.path
        if record.status == "failed":
            self.failed += 1
            self._clear()
            self._print(f"maalspor: {record.path}: {_describe(record)}")
            if self.debug and tb:
                self._print(tb.rstrip())
        self._draw()

    def linked(self, record: SeriesRecord, tb: str | None = None) -> None:
        self._clear()
        super().linked(record, tb)

    def note(self, message: str) -> None:
        self._clear()
        super().note(message)

    def close(self, manifest: Manifest, outdir: Path) -> None:
        self._clear()
        self.stream.flush()
        super().close(manifest, outdir)


def progress(*, quiet: bool = False, debug: bool = False, stream: IO[str] | None = None):
    """The one switch for progress on stderr: a bar on a terminal, lines otherwise, or quiet."""
    stream = stream if stream is not None else sys.stderr
    if not quiet and stream.isatty():
        return BarReporter(stream, debug=debug)
    return LineReporter(stream, quiet=quiet, debug=debug)
