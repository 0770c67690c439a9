"""The document `maalspor lineage` writes: the goals of a series of plans and how they connect."""

from __future__ import annotations

from collections import Counter
from typing import Literal, get_args

from pydantic import ConfigDict, Field, field_validator

from maalspor.models.common import SCHEMA_VERSION, Period, Source, StrictModel, check_schema_version
from maalspor.models.plan import Status

Fate = Literal["continued", "completed", "dropped", "missing_successor", "ended", "open"]
LinkKind = Literal["same", "reworded", "merged", "split", "changed"]
# Who made a link or a fate: the matcher's rules, or a person through an overrides file.
DecidedBy = Literal["rules", "person"]


class ExcludedPlan(StrictModel):
    """A plan of a series left out of its lineage, and why."""

    path: str
    reason: str


class PlanRef(StrictModel):
    """One plan of the series, in time order."""

    id: str = Field(description="Id of the plan, unique in the document")
    title: str | None
    organisation: str | None = Field(default=None, description="As read from the plan")
    unit: str | None = Field(default=None, description="Department, as read from the plan")
    period: Period | None
    source: Source
    stand_in: bool = Field(
        default=False,
        description="True when the plan was not given and its goals are taken from the "
        "next plan's follow-up part",
    )


class Candidate(StrictModel):
    """A later goal the rules scored for a goal but did not link to it."""

    to: str = Field(description="Id of the later goal")
    score: float = Field(ge=0, le=1, description="Combined score 0-1 the pair got")


class LineageGoal(StrictModel):
    """A goal of one plan of the series, with what became of it."""

    id: str = Field(description="Unique across plans: '<plan id>/<goal id>'")
    plan: str = Field(description="Id of the plan the goal belongs to")
    goal: str = Field(description="The goal's id within its plan document")
    section: str | None
    text: str
    subgoals: list[str] = Field(default_factory=list)
    documentation: list[str] = Field(default_factory=list)
    responsible: str | None = Field(
        default=None,
        description="Who is responsible for the goal, as its plan names it",
        exclude_if=lambda value: value is None,
    )
    page: int
    status: Status | None = Field(
        default=None, description="Verdict of the next plan's follow-up of this goal"
    )
    continued: bool | None = Field(
        default=None, description="Whether that follow-up says the goal goes on"
    )
    status_evidence: list[str] = Field(default_factory=list)
    follow_up: str | None = Field(default=None, description="The next plan's Opfølgning text")
    follow_up_page: int | None = Field(default=None, description="Page of that follow-up")
    fate: Fate
    decided_by: DecidedBy = Field(
        default="rules", description="Who decided the fate: the rules, or a person (overrides)"
    )
    note: str | None = Field(
        default=None, description="The person's note on the fate, from the overrides file"
    )
    candidates: list[Candidate] = Field(
        default_factory=list,
        description="For a goal declared continued: the best later goals it is not linked to, "
        "best first, for a person to check",
    )
    predecessors: list[str] = Field(default_factory=list, description="Ids of linked earlier goals")
    successors: list[str] = Field(default_factory=list, description="Ids of linked later goals")


class Evidence(StrictModel):
    """One signal behind a link, with its strength."""

    signal: str = Field(description="e.g. text, documentation, reference, continued, section")
    score: float | None = Field(default=None, description="0-1 strength of the signal, if graded")
    detail: str = Field(description="What was seen, in words")


class Link(StrictModel):
    """A goal and its successor in the next plan."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: str = Field(alias="from", description="Id of the earlier goal")
    to: str = Field(description="Id of the later goal")
    kind: LinkKind
    score: float = Field(ge=0, le=1, description="Combined confidence 0-1")
    evidence: list[Evidence] = Field(default_factory=list)
    decided_by: DecidedBy = Field(
        default="rules", description="Who decided the link: the rules, or a person (overrides)"
    )
    note: str | None = Field(
        default=None, description="The person's note on the link, from the overrides file"
    )


class OverrideNotice(StrictModel):
    """An entry of the overrides file that was not applied as written, and why."""

    entry: str = Field(description="Which entry: 'link 2' is the file's second [[link]]")
    message: str


class OverridesRecord(StrictModel):
    """The overrides file applied to the lineage, and what came of its entries."""

    path: str = Field(description="The file as given (relative to OUTDIR for batch)")
    sha256: str = Field(description="SHA-256 of the file's bytes")
    applied: int = Field(description="Entries applied")
    moved: list[OverrideNotice] = Field(
        default_factory=list,
        description="Applied to another goal of the same plan: the id's text no longer matches "
        "(the goals were renumbered), the goal with that text was used",
    )
    stale: list[OverrideNotice] = Field(
        default_factory=list, description="Not applied: no goal of the plan matches it"
    )
    other_plans: list[OverrideNotice] = Field(
        default_factory=list,
        description="Not applied: entries about plans that are not in this lineage",
    )


class MatchSettings(StrictModel):
    """The settings the links were made with, so a result can be reproduced."""

    threshold: float
    method: str


class PlanCounts(StrictModel):
    """What became of one plan's goals in the next plan, counted one way for every output
    (diff, report, CSV and SQLite agree because they all count with this)."""

    plan: str = Field(description="Id of the plan whose goals are counted")
    goals: int = Field(description="Goals of the plan")
    fates: dict[Fate, int] = Field(description="Goals of the plan by fate (every fate listed)")
    new_goals: int = Field(
        description="Goals of the plan that carry on no goal of the plan before it (0 for "
        "the first plan)"
    )
    links: dict[LinkKind, int] = Field(
        description="Links from this plan's goals to the next plan's, by kind (every kind listed)"
    )


class LineageDocument(StrictModel):
    """A series of plans of one department, and the lineage of every goal."""

    schema_version: str = SCHEMA_VERSION
    plans: list[PlanRef]
    goals: list[LineageGoal] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    rejected_links: list[Link] = Field(
        default_factory=list, description="Links the rules made and a person rejected"
    )
    settings: MatchSettings
    excluded: list[ExcludedPlan] = Field(
        default_factory=list,
        description="Inputs left out: the same organisation, unit and period as a plan that "
        "is linked (a PDF goes before a .txt)",
    )
    overrides: OverridesRecord | None = Field(
        default=None, description="The overrides file applied, if any"
    )

    _check_version = field_validator("schema_version")(check_schema_version)

    def counts(self, plan: str) -> PlanCounts:
        """What became of the goals of `plan` (an id of the plans): the lineage's counts,
        defined once here for `maalspor diff`, the report and the exports alike."""
        goals = [goal for goal in self.goals if goal.plan == plan]
        ids = {goal.id for goal in goals}
        fates = Counter(goal.fate for goal in goals)
        kinds = Counter(link.kind for link in self.links if link.from_ in ids)
        first = bool(self.plans) and self.plans[0].id == plan
        return PlanCounts(
            plan=plan,
            goals=len(goals),
            fates={fate: fates.get(fate, 0) for fate in get_args(Fate)},
            new_goals=0 if first else sum(1 for goal in goals if not goal.predecessors),
            links={kind: kinds.get(kind, 0) for kind in get_args(LinkKind)},
        )

    def follow_up_sources(self) -> dict[str, str]:
        """Per plan id, the file where its goals' follow-up is printed: the next plan's (a
        stand-in plan's goals are read from their follow-up, so its own file)."""
        sources: dict[str, str] = {}
        for index, ref in enumerate(self.plans):
            if ref.stand_in:
                sources[ref.id] = ref.source.path
            elif index + 1 < len(self.plans):
                sources[ref.id] = self.plans[index + 1].source.path
        return sources
