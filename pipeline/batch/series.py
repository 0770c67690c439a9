"""The series of a batch: plans grouped into series (as parsed, or by `--series-map`), one
lineage and HTML report per series of two or more plans, and the overview over all of them
(goals.csv, goals.db, report.html).
"""

from __future__ import annotations

import fnmatch
import json
import tomllib
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from maalspor.batch.discovery import InputFile
from maalspor.batch.progress import Reporter
from maalspor.errors import SeriesMapError
from maalspor.language.naming import slug
from maalspor.match.series import one_per_period, preference
from maalspor.models.lineage import LineageDocument
from maalspor.models.manifest import ExcludedPlan, InputError, InputRecord, SeriesRecord
from maalspor.outputs.names import REPORT_LANGUAGE
from maalspor.settings import Settings

if TYPE_CHECKING:
    from maalspor.match.overrides import Overrides

LINEAGE_DIR = "lineage"
REPORTS_DIR = "reports"
GOALS_CSV = "goals.csv"
GOALS_DB = "goals.db"
REPORT = "report.html"


# --- series map -------------------------------------------------------------------------------


def load_series_map(path: str | Path) -> list[tuple[str, str]]:
    """A TOML or JSON file of `"glob" = "series name"` pairs, in the file's order."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SeriesMapError(f"{path}: cannot read the series map ({error.strerror})") from error
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(raw.decode("utf-8"))
        else:
            data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, tomllib.TOMLDecodeError) as error:
        raise SeriesMapError(f"{path}: not valid TOML or JSON ({error})") from error
    if not isinstance(data, dict):
        raise SeriesMapError(f"{path}: expected a mapping of file globs to series names")
    pairs: list[tuple[str, str]] = []
    for pattern, name in data.items():
        if not isinstance(name, str) or not name.strip() or not slug(name):
            raise SeriesMapError(f"{path}: {pattern!r} must map to a series name (a string)")
        pairs.append((pattern, name.strip()))
    return pairs


def mapped_series(item: InputFile, series_map: Sequence[tuple[str, str]]) -> str | None:
    """The first glob that matches the input's relative path, its path as found, or its name."""
    candidates = (item.source, PurePosixPath(item.display).as_posix(), item.path.name)
    for pattern, name in series_map:
        if any(fnmatch.fnmatchcase(c, pattern) for c in candidates):
            return name
    return None


def _period_order(record: InputRecord) -> tuple:
    return preference(
        record.plan.period if record.plan else None,
        record.source,
        _items(record),
        record.path,
    )


def _items(record: InputRecord) -> int:
    return record.plan.goals + record.plan.follow_ups if record.plan else 0


def group_series(
    files: Sequence[InputFile],
    records: Sequence[InputRecord],
    series_map: Sequence[tuple[str, str]] = (),
) -> list[tuple[SeriesRecord, list[InputRecord]]]:
    """Series of ok plans (sets `record.series`) with the plans to link, in period order.

    A plan joins the series its `--series-map` entry names, else the one of its organisation and
    unit as parsed, compared as slugs (case, spacing and punctuation do not count). Per period
    one plan is linked: a PDF, then a Word document, then a .txt, then the one with more goals;
    the others are listed as excluded.
    """
    members: dict[str, list[tuple[InputRecord, str | None]]] = {}
    for item, record in zip(files, records, strict=True):
        if record.status != "ok" or record.plan is None:
            continue
        name = mapped_series(item, series_map)
        if name is None:
            parts = [p.strip() for p in (record.plan.organisation, record.plan.unit) if p]
            key = slug(" ".join(parts))
        else:
            key = slug(name)
        if not key:
            continue
        record.series = key
        members.setdefault(key, []).append((record, name))
    result: list[tuple[SeriesRecord, list[InputRecord]]] = []
    for key in sorted(members):
        entries = sorted(members[key], key=lambda e: _period_order(e[0]))
        mapped = [name for _, name in entries if name is not None]
        if mapped:
            name = mapped[0]
        else:
            plan = entries[0][0].plan
            assert plan is not None
            name = " / ".join(p.strip() for p in (plan.organisation, plan.unit) if p)
        records_in = [record for record, _ in entries]
        linked, excluded = one_per_period(
            [r for r in records_in if r.plan and r.plan.period],
            period=lambda r: r.plan.period if r.plan else None,
            source=lambda r: r.source,
            items=_items,
            path=lambda r: r.path,
        )
        excluded += [
            ExcludedPlan(path=r.path, reason="no period found in it")
            for r in records_in
            if not (r.plan and r.plan.period)
        ]
        series = SeriesRecord(
            id=key,
            name=name,
            grouped_by="series_map" if mapped else "parsed",
            plans=[r.path for r in linked],
            excluded=excluded,
        )
        result.append((series, linked))
    return result


def write_overview(
    outdir: Path,
    series: Sequence[SeriesRecord],
    lineages: dict[str, LineageDocument],
    lang: str,
    report_lang: str,
) -> tuple[str | None, str | None, str | None]:
    """goals.csv and goals.db over every lineage, and report.html: an index of the series'
    reports (reports/<series>.html), one series or many, so that OUTDIR holds one report per
    series and no copy of one beside it."""
    from maalspor.outputs.emit import write_text_atomic
    from maalspor.outputs.export import write_goals_csv
    from maalspor.outputs.names import names as names_of
    from maalspor.outputs.report_html import Texts, render_index
    from maalspor.outputs.sqlite import write_goals_db

    reported = [s for s in series if s.report and s.id in lineages]
    if not reported:
        for name in (GOALS_CSV, GOALS_DB, REPORT):
            (outdir / name).unlink(missing_ok=True)
        return None, None, None
    documents, names = [lineages[s.id] for s in reported], [s.id for s in reported]
    write_goals_csv(documents, outdir / GOALS_CSV, series=names, lang=lang)
    write_goals_db(documents, outdir / GOALS_DB, series=names)
    listed = [(s.name, s.report or "", len(s.plans)) for s in reported]
    html = render_index(listed, Texts(names_of(report_lang)))
    write_text_atomic(outdir / REPORT, html)
    return GOALS_CSV, GOALS_DB, REPORT


def link_series(
    files: Sequence[InputFile],
    records: Sequence[InputRecord],
    outdir: Path,
    reporter: Reporter,
    lineages: dict[str, LineageDocument],
    *,
    series_map: Sequence[tuple[str, str]] = (),
    settings: Settings | None = None,
    overrides: Overrides | None = None,
    report_lang: str = REPORT_LANGUAGE,
) -> list[SeriesRecord]:
    """One lineage per series of two or more plans (grouped as `group_series` does), written to
    lineage/<series id>.json, with its HTML report (in `report_lang`) in
    reports/<series id>.html; the lineages are collected in `lineages`. `settings` are the
    matcher's; a person's decisions (`overrides`) are applied to each."""
    from maalspor.match.overrides import apply_overrides, notices, unmatched
    from maalspor.outputs.emit import load_plan, write_json, write_text_atomic
    from maalspor.outputs.report import pdf_links, render_report

    # The local input files by content (a plan's source.path is relative to its INPUT folder);
    # URL inputs get no links.
    input_files = {
        record.sha256: item.path
        for item, record in zip(files, records, strict=True)
        if record.sha256 and isinstance(item.path, Path) and item.path.is_file()
    }

    grouped = group_series(files, records, series_map)
    build_lineage: Callable | None = None
    unavailable: InputError | None = None
    unavailable_tb: str | None = None
    if any(len(linked) >= 2 for _, linked in grouped):
        try:
            from maalspor.match import lineage as build_lineage
        except Exception as error:
            unavailable = InputError(
                kind="unavailable",
                message="the lineage step cannot run: maalspor.match does not import "
                f"({type(error).__name__}: {error})",
            )
            unavailable_tb = traceback.format_exc()
    series: list[SeriesRecord] = []
    for record, linked in grouped:
        if len(linked) >= 2:
            tb = None
            if build_lineage is None:
                record.error, tb = unavailable, unavailable_tb
            else:
                target = f"{LINEAGE_DIR}/{record.id}.json"
                report = f"{REPORTS_DIR}/{record.id}.html"
                try:
                    plans = [load_plan(outdir / r.outputs[0]) for r in linked]
                    document = build_lineage(plans, settings)
                    if overrides is not None:
                        document = apply_overrides(document, overrides)
                        for line in notices(document.overrides, other_plans=False):
                            reporter.note(f"warning: {line}")
                    write_json(document, outdir / target)
                    record.lineage = target
                    sources = {
                        ref.source.path: input_files[ref.source.sha256]
                        for ref in document.plans
                        if ref.source.sha256 in input_files
                    }
                    links = pdf_links(sources, (outdir / report).parent)
                    html = render_report(document, plans, links, report_lang)
                    write_text_atomic(outdir / report, html)
                    record.report = report
                    lineages[record.id] = document
                except Exception as error:
                    (outdir / target).unlink(missing_ok=True)
                    (outdir / report).unlink(missing_ok=True)
                    record.error = InputError(
                        kind=getattr(error, "kind", "error"),
                        message=f"{type(error).__name__}: {error}",
                    )
                    tb = traceback.format_exc()
            reporter.linked(record, tb)
        series.append(record)
    if overrides is not None:
        plan_ids = {plan.id for document in lineages.values() for plan in document.plans}
        for line in unmatched(overrides, plan_ids):
            reporter.note(f"warning: {line}")
    return series
