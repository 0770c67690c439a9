"""The record of a batch run in its output folder: the manifest, written as each input
finishes, and what of the last run's outputs this run may keep.

A plan is kept when its input's bytes (SHA-256), the tool version, the rules and the PDF engine
(`rules_sha256`) and the OCR mode are the same as when it was parsed; otherwise it is stale and
parsed again.
"""

from __future__ import annotations

import json
import os
import stat
import tomllib
from pathlib import Path

from maalspor.models.manifest import InputRecord, Manifest, SeriesRecord, SkippedFile, Summary
from maalspor.version import __version__

MANIFEST = "manifest.json"


def rules_sha256(engine: str = "pdfium") -> str:
    """SHA-256 of the merged rules (ours and a user's --rules file) that parsing reads, of the
    verdicts' model file and of the PDF engine: outputs of another engine, other rules or
    another model are stale."""
    import hashlib

    from maalspor.rules import RULE_FILES, RULES_DIR, rules
    from maalspor.verdicts.learned import MODEL_PATH

    tables: set[str] = set()
    for name in RULE_FILES:
        path = RULES_DIR / f"{name}.toml"
        if path.exists():
            with path.open("rb") as handle:
                tables.update(tomllib.load(handle))
    merged = {table: rules(table) for table in sorted(tables)}
    merged["engine"] = engine
    # the learned layer of the verdicts reads the texts too: a refitted model makes outputs stale
    merged["verdict_model"] = hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest()
    text = json.dumps(merged, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_manifest(outdir: Path) -> Manifest | None:
    """The manifest of the last run in `outdir`; None when there is none or it is unreadable."""
    path = outdir / MANIFEST
    if not path.is_file():
        return None
    try:
        return Manifest.model_validate_json(path.read_bytes())
    except (OSError, ValueError):
        return None


def file_sha256(path: Path) -> str | None:
    """The input's digest; None when it is no regular file (a pipe would block the read)."""
    from maalspor.extract.files import sha256_of

    try:
        if isinstance(path, Path) and not stat.S_ISREG(os.stat(path).st_mode):
            return None
        return sha256_of(path)
    except OSError:
        return None


class BatchRun:
    """The state of one batch run: records so far, and writing them down."""

    def __init__(
        self,
        outdir: Path,
        previous: Manifest | None,
        skipped: list[SkippedFile],
        engine: str = "pdfium",
    ):
        self.outdir = outdir
        self.previous = previous
        self.skipped = skipped
        self.rules = rules_sha256(engine)
        self.ocr: str | None = None
        self.records: dict[int, InputRecord] = {}
        # Until this run's series are known, the manifest keeps the last run's: a run killed
        # before its end still knows which lineage files the next run may have to remove.
        self.series: list[SeriesRecord] = list(previous.series) if previous else []
        self.goals_csv: str | None = previous.goals_csv if previous else None
        self.goals_db: str | None = previous.goals_db if previous else None
        self.report: str | None = previous.report if previous else None

    def manifest(self, *, complete: bool, summary: Summary | None = None) -> Manifest:
        return Manifest(
            tool_version=__version__,
            rules_sha256=self.rules,
            ocr=self.ocr,
            complete=complete,
            inputs=[self.records[i] for i in sorted(self.records)],
            skipped=self.skipped,
            series=self.series,
            goals_csv=self.goals_csv,
            goals_db=self.goals_db,
            report=self.report,
            summary=summary,
        )

    def save(self, *, complete: bool = False, summary: Summary | None = None) -> Manifest:
        from maalspor.outputs.emit import write_json

        document = self.manifest(complete=complete, summary=summary)
        write_json(document, self.outdir / MANIFEST)
        return document


def reusable_records(
    previous: Manifest | None, rules: str, ocr: str | None
) -> dict[tuple[str, str | None, str], InputRecord]:
    """The last run's ok records that this run may keep, by (source, sha256, output): none when
    the tool version, the rules (`rules_sha256`) or the OCR mode changed since."""
    reusable: dict[tuple[str, str | None, str], InputRecord] = {}
    if (
        previous is not None
        and previous.tool_version == __version__
        and previous.rules_sha256 == rules
        and previous.ocr == ocr
    ):
        for old in previous.inputs:
            if old.status == "ok" and old.sha256 and len(old.outputs) == 1:
                reusable[(old.source, old.sha256, old.outputs[0])] = old
    return reusable
