"""The manifest `maalspor batch` writes: every input with its status, outputs and errors.

The manifest is the record of a batch run and the state that the next run in the same output
folder resumes from: an input whose bytes, tool version and rules are unchanged since the run
that parsed it successfully is not parsed again. Unlike the plan and lineage documents it holds
times, so it is not byte-identical from run to run.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from maalspor.models.common import SCHEMA_VERSION, Period, StrictModel, check_schema_version
from maalspor.models.lineage import ExcludedPlan

InputStatus = Literal["ok", "failed"]


class InputError(StrictModel):
    """Why an input failed: a kind for programs, a message for people."""

    kind: str = Field(
        description="not_found, unreadable, empty, not_a_pdf, not_text, damaged, encrypted, "
        "wrong_password, no_text_layer, too_many_pages, timeout, too_large, memory, crashed, "
        "or error (a bug); README, 'Error kinds'"
    )
    message: str = Field(description="One line, as `maalspor parse` would print it")


class PlanSummary(StrictModel):
    """What the parse found, enough to group plans into series without reading them again."""

    organisation: str | None
    unit: str | None
    title: str | None
    period: Period | None
    goals: int
    follow_ups: int


class InputRecord(StrictModel):
    """One input file and what became of it."""

    path: str = Field(description="The input as found: its INPUT argument joined with its path")
    source: str = Field(
        description="The path recorded as source.path in its plan document: relative to the "
        "INPUT folder it was found in, or the file name for a file given by name"
    )
    sha256: str | None = Field(
        description="SHA-256 of the file's bytes (null: unreadable, or not found at all)"
    )
    status: InputStatus
    error: InputError | None = None
    warnings: list[str] = Field(default_factory=list, description="What the parser noticed")
    outputs: list[str] = Field(
        default_factory=list, description="Files written for it, relative to the output folder"
    )
    seconds: float = Field(description="Time spent on it in this run (0 when reused)")
    reused: bool = Field(
        default=False, description="True when its output was kept from an earlier run"
    )
    series: str | None = Field(default=None, description="Id of the series it belongs to")
    plan: PlanSummary | None = None


class SkippedFile(StrictModel):
    """A file found in an INPUT folder that is not a plan (not .pdf or .txt), or a link to a
    folder already searched."""

    path: str
    reason: str


class SeriesRecord(StrictModel):
    """The plans of one department, in period order, and their lineage."""

    id: str = Field(description="Slug of the series name; the lineage file's name")
    name: str
    grouped_by: Literal["parsed", "series_map"] = Field(
        description="parsed: organisation and unit as read from the plans; series_map: --series-map"
    )
    plans: list[str] = Field(description="Input paths of the plans linked, in period order")
    excluded: list[ExcludedPlan] = Field(default_factory=list)
    lineage: str | None = Field(
        default=None, description="The lineage file, relative to the output folder"
    )
    report: str | None = Field(
        default=None, description="The HTML report of the lineage, relative to the output folder"
    )
    error: InputError | None = Field(default=None, description="Why the lineage failed")


class Summary(StrictModel):
    inputs: int
    ok: int
    failed: int
    with_warnings: int
    reused: int
    skipped: int
    series: int
    lineages: int
    lineage_failures: int
    seconds: float = Field(description="Wall time of the run")


class Manifest(StrictModel):
    """Everything one `maalspor batch` run did, written after every finished input."""

    schema_version: str = SCHEMA_VERSION
    tool_version: str = Field(description="maalspor.__version__ of the maalspor that wrote it")
    rules_sha256: str = Field(description="SHA-256 of the merged rules the plans were parsed with")
    ocr: str | None = Field(
        default=None,
        description="--ocr mode the plans were parsed with (auto, always, never); null: "
        "written before OCR existed",
    )
    complete: bool = Field(
        description="False while the run is going on (or when it was killed): the inputs listed "
        "are the ones finished so far"
    )
    inputs: list[InputRecord] = Field(default_factory=list)
    skipped: list[SkippedFile] = Field(default_factory=list)
    series: list[SeriesRecord] = Field(default_factory=list)
    goals_csv: str | None = Field(
        default=None, description="Every goal of every lineage, one row each (Excel dialect)"
    )
    goals_db: str | None = Field(
        default=None,
        description="The same goals as an SQLite database (plans, goals, follow_ups, links)",
    )
    report: str | None = Field(
        default=None, description="The HTML report: the one series' report, or an index of them"
    )
    summary: Summary | None = Field(default=None, description="Set when the run is complete")

    _check_version = field_validator("schema_version")(check_schema_version)
