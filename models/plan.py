"""The document `maalspor parse` writes: one yearly plan, its goals and its follow-up part."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from maalspor.models.common import (
    SCHEMA_VERSION,
    BBox,
    Locator,
    Period,
    Region,
    Source,
    StrictModel,
    check_schema_version,
)

Status = Literal[
    "achieved",
    "partially_achieved",
    "not_achieved",
    "in_progress",
    "changed",
    "dropped",
    "unknown",
]


class Section(StrictModel):
    """A numbered focus area (indsatsområde) of the plan, or a titled group in the follow-up."""

    number: int | None = Field(description="The number printed before the title, if any")
    title: str


class Goal(StrictModel):
    """One goal (Mål) of the plan with how its success is shown (Dokumentation)."""

    id: str = Field(description="Stable id within the plan: same input, same id")
    section: str | None = Field(description="Title of the section the goal stands in")
    section_number: int | None = Field(default=None, description="Number of that section")
    text: str = Field(
        description="The goal as worded; for a goal that is only a list, its items joined"
    )
    subgoals: list[str] = Field(default_factory=list, description="Numbered or bulleted sub-goals")
    note: str | None = Field(
        default=None, description="Further paragraphs of the goal cell (purpose, remarks)"
    )
    documentation: list[str] = Field(
        default_factory=list, description="Each bullet one item, each prose paragraph one item"
    )
    responsible: str | None = Field(
        default=None,
        description="Who is responsible for the goal, as the plan names it (a column "
        "'Ansvarlig', or 'Ansvarlig: ...' in the goal's block); left out when not named",
        exclude_if=lambda value: value is None,
    )
    page: int = Field(
        description="1-based page where the goal starts (0 for a Word document, which has no "
        "pages: see locator)"
    )
    bbox: BBox | None = Field(description="Box of the goal text on that page")
    regions: list[Region] = Field(
        default_factory=list, description="Every box the goal's parts occupy, page by page"
    )
    ocr: bool = Field(default=False, description="Some of its text was read by OCR")
    ocr_confidence: float | None = Field(
        default=None, description="Mean OCR word confidence (0-100) of its OCR'd text"
    )
    locator: Locator | None = Field(
        default=None,
        description="Where the goal starts in a Word document: its paragraph, or table, row and "
        "cell (left out for PDF and text input, which have page and bbox)",
        exclude_if=lambda value: value is None,
    )


class FollowUp(Goal):
    """A goal of the previous period as the follow-up part reports on it."""

    follow_up: str | None = Field(description="The Opfølgning text")
    status: Status | None = Field(default=None, description="Verdict read from the Opfølgning")
    continued: bool | None = Field(
        default=None, description="True: goes on; false: ends; null: not said or left open"
    )
    status_evidence: list[str] = Field(
        default_factory=list, description="The words of the Opfølgning that decided the verdict"
    )


class PlanDocument(StrictModel):
    """Everything maalspor reads from one yearly plan."""

    schema_version: str = SCHEMA_VERSION
    source: Source
    organisation: str | None = Field(description="The municipality, e.g. 'Albertslund Kommune'")
    unit: str | None = Field(description="The department the plan is for, e.g. 'Økonomi og Stab'")
    title: str | None
    period: Period | None
    sections: list[Section] = Field(default_factory=list)
    goals: list[Goal] = Field(default_factory=list)
    follow_up_period: Period | None = None
    follow_ups: list[FollowUp] = Field(default_factory=list)
    warnings: list[str] = Field(
        default_factory=list, description="What the parser noticed but could not resolve"
    )

    _check_version = field_validator("schema_version")(check_schema_version)
