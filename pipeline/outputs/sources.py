"""Where the plans of a lineage are on disk now, so that the report's page numbers open them.

A lineage records each plan's `source.path` as it was given to `lineage` (or, in a batch,
relative to the INPUT folder): relative to a folder the lineage does not name. A report (or a
review) made elsewhere looks for it, in this order: where a batch's manifest found that file
(by its SHA-256); the path itself when absolute; from the lineage file's own folder; from the
current folder; by its name beside the lineage file. A PDF found nowhere is named, so the
command warns and the page says its page numbers are no links — rather than linking a file
that is not there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from maalspor.models import LineageDocument


@dataclass(frozen=True)
class Sources:
    """Per `source.path`, the file found for it; the PDFs found nowhere."""

    found: dict[str, Path] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def locate_sources(
    lineage: LineageDocument,
    lineage_file: str | Path | None = None,
    known: Mapping[str, Path] | None = None,
) -> Sources:
    """The plans' files: `lineage_file` is where the lineage was read from (None: from
    standard input); `known` maps a SHA-256 to a file that has it (a batch's inputs)."""
    folder = Path(lineage_file).parent if lineage_file else None
    found: dict[str, Path] = {}
    missing: list[str] = []
    for plan in lineage.plans:
        given = plan.source.path
        if given in found or given == "-":
            continue
        path = Path(given)
        candidates = [known[plan.source.sha256]] if known and plan.source.sha256 in known else []
        if path.is_absolute():
            candidates.append(path)
        else:
            if folder is not None:
                candidates.append(folder / path)
            candidates.append(path)
            if folder is not None:
                candidates.append(folder / path.name)
        file = next((c for c in candidates if c.is_file()), None)
        if file is not None:
            found[given] = file
        elif path.suffix.lower() == ".pdf":
            missing.append(given)
    return Sources(found, missing)
