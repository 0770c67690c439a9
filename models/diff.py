"""The document `maalspor diff` writes: what became of one plan's goals in the next plan."""

from __future__ import annotations

from pydantic import Field

from maalspor.models.common import SCHEMA_VERSION, StrictModel
from maalspor.models.lineage import (
    DecidedBy,
    Evidence,
    LinkKind,
    MatchSettings,
    OverridesRecord,
    PlanCounts,
    PlanRef,
)
from maalspor.models.plan import Status


class CandidateBrief(StrictModel):
    """A new goal the rules scored for a missing goal, too low to link."""

    id: str
    text: str
    page: int
    score: float = Field(ge=0, le=1)


class GoalBrief(StrictModel):
    """A goal as the report shows it: enough to find it in the printed plan."""

    id: str = Field(description="'<plan id>/<goal id>' as in the lineage document")
    text: str
    section: str | None = None
    page: int = Field(description="1-based page (0 for plain text input)")
    status: Status | None = Field(default=None, description="Verdict of its follow-up, if any")
    follow_up: str | None = Field(default=None, description="The follow-up text, if any")
    decided_by: DecidedBy = Field(default="rules", description="Who decided the goal's fate")
    note: str | None = Field(default=None, description="The person's note on the fate")
    candidates: list[CandidateBrief] = Field(
        default_factory=list,
        description="Declared continued but missing: the best new goals below the threshold",
    )


class Change(StrictModel):
    """Old goal(s) and the new goal(s) that carry them on."""

    kind: LinkKind
    score: float = Field(ge=0, le=1, description="Lowest link score in the group")
    old: list[GoalBrief]
    new: list[GoalBrief]
    word_diff: str | None = Field(
        default=None, description="One-to-one changes: [-removed-]{+added+} words, old → new"
    )
    evidence: list[Evidence] = Field(default_factory=list)
    decided_by: DecidedBy = Field(
        default="rules", description="person: a person added or confirmed a link of the group"
    )
    note: str | None = Field(default=None, description="The person's note(s) on the links")


class DiffReport(StrictModel):
    """Two plans compared: continued, merged, split, new, completed, dropped, missing."""

    schema_version: str = SCHEMA_VERSION
    old: PlanRef
    new: PlanRef
    settings: MatchSettings
    continued: list[Change] = Field(
        default_factory=list, description="One-to-one: same, reworded or changed"
    )
    merged: list[Change] = Field(default_factory=list)
    split: list[Change] = Field(default_factory=list)
    new_goals: list[GoalBrief] = Field(default_factory=list, description="No predecessor")
    completed: list[GoalBrief] = Field(default_factory=list, description="Achieved, no successor")
    dropped: list[GoalBrief] = Field(default_factory=list, description="Given up")
    missing_successor: list[GoalBrief] = Field(
        default_factory=list, description="Declared continued, but no successor found"
    )
    ended: list[GoalBrief] = Field(
        default_factory=list, description="No successor for another reason"
    )
    rejected: list[Change] = Field(
        default_factory=list, description="Links the rules made and a person rejected"
    )
    overrides: OverridesRecord | None = Field(
        default=None, description="The overrides file applied, if any"
    )
    counts: PlanCounts | None = Field(
        default=None,
        description="The old plan's goals by fate and its links by kind; the new plan's new "
        "goals (counted as the report and the exports count them)",
    )
