"""What `maalspor review` reviews: a lineage file, or a series of a batch's output folder, with
the overrides file its decisions go to and the plans' PDFs.

- OUTDIR (a folder with a batch's manifest.json): the lineage of one of its series
  (lineage/<series>.json), and OUTDIR/overrides.toml — the file every `batch` run into OUTDIR
  reads; the PDFs are the batch's inputs, found by the manifest; goal notes from OUTDIR/plans/.
- LINEAGE.json: that lineage, and overrides.toml beside it — or, for the lineage of a batch
  (OUTDIR/lineage/<series>.json), OUTDIR/overrides.toml again.

`--overrides FILE` names another file in either case. The lineage is the one on disk: the
decisions already in it are set aside (`as_the_rules_made_it`) and the overrides file's
applied, so a lineage `batch` wrote with an older overrides file shows the file as it is now.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from maalspor import errors
from maalspor.batch.records import MANIFEST, read_manifest
from maalspor.match.overrides import BATCH_FILE
from maalspor.models import LineageDocument, PlanDocument
from maalspor.models.manifest import SeriesRecord
from maalspor.outputs.emit import load_lineage, load_plan
from maalspor.outputs.sources import Sources, locate_sources
from maalspor.review.store import OverridesFile


@dataclass(frozen=True)
class ReviewTarget:
    lineage: LineageDocument
    lineage_file: Path
    overrides: OverridesFile
    sources: Sources
    plans: list[PlanDocument] = field(default_factory=list)  # for the goals' notes


def is_outdir(path: str | Path) -> bool:
    return Path(path).is_dir()


def series_in(outdir: str | Path) -> list[SeriesRecord]:
    """The series of a batch's output folder that have a lineage."""
    outdir = Path(outdir)
    manifest = read_manifest(outdir)
    if manifest is None:
        raise errors.InputNotFoundError(
            f"{outdir}: a folder without a batch's {MANIFEST}: give a lineage JSON, or the "
            "folder a batch wrote"
        )
    return [s for s in manifest.series if s.lineage and (outdir / s.lineage).is_file()]


def review_target(
    path: str | Path, overrides: str | Path | None = None, series: str | None = None
) -> ReviewTarget:
    """The lineage at `path` (a file, or a series of an OUTDIR: `series` names it where there
    are several) and where its decisions go."""
    path = Path(path)
    if not is_outdir(path):
        lineage = load_lineage(path)
        outdir = path.parent.parent
        in_batch = path.parent.name == "lineage" and (outdir / MANIFEST).is_file()
        file = _overrides_file(overrides, outdir if in_batch else path.parent, in_batch)
        known = _batch_inputs(outdir) if in_batch else {}
        return ReviewTarget(lineage, path, file, locate_sources(lineage, path, known))
    found = series_in(path)
    chosen = [s for s in found if series in (None, s.id, s.name)]
    if not chosen or (series is None and len(chosen) > 1):
        names = ", ".join(s.id for s in found) or "none"
        raise errors.InputNotFoundError(
            f"{path}: no series {series!r} with a lineage (its series: {names})"
            if series
            else f"{path}: {len(found)} series with a lineage ({names}): name one"
        )
    record = chosen[0]
    assert record.lineage is not None
    lineage_file = path / record.lineage
    lineage = load_lineage(lineage_file)
    known = _batch_inputs(path)
    return ReviewTarget(
        lineage,
        lineage_file,
        _overrides_file(overrides, path, in_batch=True),
        locate_sources(lineage, lineage_file, known),
        _batch_plans(path, {ref.source.sha256 for ref in lineage.plans}),
    )


def _overrides_file(given: str | Path | None, folder: Path, in_batch: bool) -> OverridesFile:
    if given is not None:
        return OverridesFile(Path(given), str(given))
    # As `batch` records OUTDIR/overrides.toml: by its name.
    return OverridesFile(folder / BATCH_FILE, BATCH_FILE if in_batch else None)


def _batch_inputs(outdir: Path) -> dict[str, Path]:
    """The batch's inputs by SHA-256, where they were found (relative to where it ran, taken
    to be here, or to the output folder's parent)."""
    manifest = read_manifest(outdir)
    found: dict[str, Path] = {}
    for record in manifest.inputs if manifest else []:
        if record.sha256 is None or "://" in record.path:
            continue
        for candidate in (Path(record.path), outdir.parent / record.path):
            if candidate.is_file():
                found[record.sha256] = candidate
                break
    return found


def _batch_plans(outdir: Path, hashes: set[str]) -> list[PlanDocument]:
    """The plan documents the batch wrote for the lineage's plans (their goals' notes)."""
    manifest = read_manifest(outdir)
    plans = []
    for record in manifest.inputs if manifest else []:
        if record.sha256 in hashes and record.outputs:
            try:
                plans.append(load_plan(outdir / record.outputs[0]))
            except errors.MaalsporError:
                continue  # notes are a help, not a need
    return plans
