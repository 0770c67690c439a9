"""A person's corrections to a lineage, kept in a TOML file and applied on every run.

`load_overrides(path)` reads and checks the file; `apply_overrides(lineage, overrides)` is the
stage: lineage + overrides → lineage. Each entry names its goals by id and by the start of
their text, so that it survives a renumbering (a better parse that finds one more goal shifts
the ids):

    [[link]]                       # add | reject | confirm a link
    from = "<plan id>/G013"
    from_text = "Vi vil udarbejde en strategi for økonomistyring"
    to = "<plan id>/G009"
    to_text = "Eftersyn af de økonomiske spilleregler"
    action = "add"
    note = "checked against both PDFs"

    [[fate]]                       # set a goal's fate
    goal = "<plan id>/G004"
    goal_text = "ØS vil gøre Kommunens børn kontantløse"
    fate = "dropped"
    note = "..."

Where the id's goal no longer starts with the text, the one goal of the same plan that does is
used, and the lineage says so (`overrides.moved`); where none does (or several), the entry is
stale: never applied to another goal, listed in `overrides.stale`. Links are applied first, then
every fate is recomputed by the rules (`maalspor.match.linker.fate_of`), then the fates are set.
"""

from __future__ import annotations

import hashlib
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

from maalspor import errors
from maalspor.errors import OverridesError
from maalspor.match.linker import fate_of
from maalspor.models.lineage import (
    Candidate,
    Fate,
    LineageDocument,
    LineageGoal,
    Link,
    LinkKind,
    OverrideNotice,
    OverridesRecord,
)

LinkAction = Literal["add", "reject", "confirm"]
LINK_KEYS = ("from", "from_text", "to", "to_text", "action", "note")
FATE_KEYS = ("goal", "goal_text", "fate", "note")
# The file every `batch` run in OUTDIR reads by itself.
BATCH_FILE = "overrides.toml"


@dataclass(frozen=True)
class GoalName:
    """A goal as an entry names it: its id, and the start of its text."""

    id: str
    text: str

    @property
    def plan(self) -> str:
        return self.id.split("/", 1)[0]


@dataclass(frozen=True)
class LinkOverride:
    entry: str  # "link 2": the file's second [[link]]
    from_: GoalName
    to: GoalName
    action: LinkAction
    note: str | None


@dataclass(frozen=True)
class FateOverride:
    entry: str
    goal: GoalName
    fate: Fate
    note: str | None


@dataclass(frozen=True)
class Overrides:
    """The entries of one overrides file, checked, in file order."""

    path: str
    sha256: str
    links: tuple[LinkOverride, ...] = ()
    fates: tuple[FateOverride, ...] = ()

    @property
    def entries(self) -> list[LinkOverride | FateOverride]:
        return [*self.links, *self.fates]


# ---------------------------------------------------------------------------------------------
# Reading


def load_overrides(path: str | Path, *, shown_as: str | None = None) -> Overrides:
    """The checked entries of an overrides file; `shown_as` is the path recorded and shown."""
    path = Path(path)
    name = shown_as or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as error:
        raise errors.InputNotFoundError(f"{name}: no such overrides file") from error
    except OSError as error:
        raise errors.InputNotFoundError(f"{name}: cannot read it ({error.strerror})") from error
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise OverridesError(f"{name}: not UTF-8 text ({error.reason})") from error
    except tomllib.TOMLDecodeError as error:
        raise OverridesError(f"{name}: not valid TOML: {error}") from error
    return parse_overrides(data, path=name, sha256=hashlib.sha256(raw).hexdigest())


def parse_overrides(data: dict, *, path: str = "overrides", sha256: str = "") -> Overrides:
    """Check the entries of a parsed overrides file; the first problem is an OverridesError."""
    unknown = sorted(set(data) - {"link", "fate"})
    if unknown:
        raise OverridesError(
            f"{path}: unknown table {unknown[0]!r} (an overrides file holds [[link]] and "
            "[[fate]] entries)"
        )
    links = tuple(
        _link_entry(item, f"link {number}", path)
        for number, item in enumerate(_tables(data, "link", path), start=1)
    )
    fates = tuple(
        _fate_entry(item, f"fate {number}", path)
        for number, item in enumerate(_tables(data, "fate", path), start=1)
    )
    return Overrides(path=path, sha256=sha256, links=links, fates=fates)


def _tables(data: dict, key: str, path: str) -> list[dict]:
    items = data.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise OverridesError(f"{path}: '{key}' must be a list of tables, written [[{key}]]")
    return items


def _checked(item: dict, entry: str, path: str, keys: Sequence[str]) -> dict[str, str]:
    for key in item:
        if key not in keys:
            raise OverridesError(f"{path}: {entry}: unknown key {key!r} (known: {', '.join(keys)})")
    for key, value in item.items():
        if not isinstance(value, str):
            raise OverridesError(f"{path}: {entry}: {key} must be a string")
    for key in keys:
        if key != "note" and not item.get(key, "").strip():
            raise OverridesError(f"{path}: {entry}: {key} is missing")
    for key in (k for k in keys if k in ("from", "to", "goal")):
        plan, _, goal = item[key].partition("/")
        if not plan or not goal:
            raise OverridesError(
                f"{path}: {entry}: {key} must be a goal id as in the lineage, "
                f"'<plan id>/<goal id>', not {item[key]!r}"
            )
    return item


def _choice(item: dict, key: str, allowed: tuple[str, ...], entry: str, path: str) -> str:
    if item[key] not in allowed:
        raise OverridesError(
            f"{path}: {entry}: {key} must be one of {', '.join(allowed)}, not {item[key]!r}"
        )
    return item[key]


def _link_entry(item: dict, entry: str, path: str) -> LinkOverride:
    item = _checked(item, entry, path, LINK_KEYS)
    return LinkOverride(
        entry=entry,
        from_=GoalName(item["from"].strip(), item["from_text"]),
        to=GoalName(item["to"].strip(), item["to_text"]),
        action=_choice(item, "action", get_args(LinkAction), entry, path),  # type: ignore[arg-type]
        note=item.get("note"),
    )


def _fate_entry(item: dict, entry: str, path: str) -> FateOverride:
    item = _checked(item, entry, path, FATE_KEYS)
    return FateOverride(
        entry=entry,
        goal=GoalName(item["goal"].strip(), item["goal_text"]),
        fate=_choice(item, "fate", get_args(Fate), entry, path),  # type: ignore[arg-type]
        note=item.get("note"),
    )


# ---------------------------------------------------------------------------------------------
# Resolving goals


def _key(text: str) -> str:
    """Text as compared: NFC, case and spacing ignored, a trailing ellipsis dropped."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = text.rstrip().removesuffix("…").removesuffix("...")
    return " ".join(text.split())


class _Stale(Exception):
    """An entry none of whose readings names a goal of the lineage."""


@dataclass
class _Resolver:
    """Finds the goal an entry means, noting where it had to look past the id."""

    lineage: LineageDocument
    moved: list[OverrideNotice] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.goals = {goal.id: goal for goal in self.lineage.goals}
        self.by_plan: dict[str, list[LineageGoal]] = {}
        for goal in self.lineage.goals:
            self.by_plan.setdefault(goal.plan, []).append(goal)

    def knows_plan(self, name: GoalName) -> bool:
        return name.plan in self.by_plan

    def goal(self, name: GoalName, entry: str) -> LineageGoal:
        if not self.knows_plan(name):
            raise _Stale(f"{name.id}: plan {name.plan} is not in this lineage")
        start = _key(name.text)
        goal = self.goals.get(name.id)
        if goal is not None and _key(goal.text).startswith(start):
            return goal
        found = [g for g in self.by_plan[name.plan] if _key(g.text).startswith(start)]
        quoted = _quote(name.text)
        if len(found) == 1:
            was = "is not in the plan" if goal is None else f"reads {_quote(goal.text)}"
            self.moved.append(
                OverrideNotice(
                    entry=entry,
                    message=f"{name.id} {was}; {found[0].id} starts with {quoted}: used it",
                )
            )
            return found[0]
        if found:
            raise _Stale(
                f"{name.id} does not start with {quoted}, and {len(found)} goals of its plan do"
            )
        raise _Stale(f"no goal of plan {name.plan} starts with {quoted}")


def _quote(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return f'"{text if len(text) <= width else text[: width - 1] + "…"}"'


# ---------------------------------------------------------------------------------------------
# Applying


def apply_overrides(lineage: LineageDocument, overrides: Overrides) -> LineageDocument:
    """The lineage with a person's decisions applied, fates recomputed, and a record of it.

    A lineage that already has a file's decisions in it (`report --overrides` on a lineage
    `batch` wrote) gets the rules' links back first: the new file replaces the old one.
    """
    lineage = as_the_rules_made_it(lineage)
    resolver = _Resolver(lineage)
    stale: list[OverrideNotice] = []
    other_plans: list[OverrideNotice] = []
    applied = 0
    links = {(link.from_, link.to): link for link in lineage.links}
    rejected: dict[tuple[str, str], Link] = {}
    candidate_scores = {(goal.id, c.to): c.score for goal in lineage.goals for c in goal.candidates}
    plan_index = {plan.id: index for index, plan in enumerate(lineage.plans)}
    fates: dict[str, FateOverride] = {}

    for entry in overrides.entries:
        names = [entry.from_, entry.to] if isinstance(entry, LinkOverride) else [entry.goal]
        if not any(resolver.knows_plan(n) for n in names):
            plans = ", ".join(sorted({n.plan for n in names}))
            other_plans.append(
                OverrideNotice(entry=entry.entry, message=f"no plan {plans} in this lineage")
            )
            continue
        moved_before = len(resolver.moved)  # an entry not applied was not moved either
        try:
            goals = [resolver.goal(n, entry.entry) for n in names]
        except _Stale as why:
            del resolver.moved[moved_before:]
            stale.append(OverrideNotice(entry=entry.entry, message=str(why)))
            continue
        if isinstance(entry, FateOverride):
            fates[goals[0].id] = entry
            applied += 1
            continue
        earlier, later = goals
        if plan_index[later.plan] <= plan_index[earlier.plan]:
            del resolver.moved[moved_before:]
            stale.append(
                OverrideNotice(
                    entry=entry.entry,
                    message=f"{later.id} is not in a later plan than {earlier.id}",
                )
            )
            continue
        pair = (earlier.id, later.id)
        decided = {"decided_by": "person", "note": entry.note}
        # The last entry on a pair decides it: a link rejected and then confirmed is the
        # rules' link again (with its evidence), not a new one.
        if entry.action == "reject":
            if pair in links:
                rejected[pair] = links.pop(pair).model_copy(update=decided)
            elif pair in rejected:
                rejected[pair] = rejected[pair].model_copy(update=decided)
        elif pair in links:
            links[pair] = links[pair].model_copy(update=decided)
        elif pair in rejected:
            links[pair] = rejected.pop(pair).model_copy(update=decided)
        else:
            score = candidate_scores.get(pair, 0.0)
            links[pair] = Link.model_validate(
                {"from": earlier.id, "to": later.id, "kind": "changed", "score": score, **decided}
            )
        applied += 1

    kept = _with_kinds(list(links.values()))
    goals = _refated(lineage, kept, fates)
    record = OverridesRecord(
        path=overrides.path,
        sha256=overrides.sha256,
        applied=applied,
        moved=resolver.moved,
        stale=stale,
        other_plans=other_plans,
    )
    return lineage.model_copy(
        update={
            "goals": goals,
            "links": sorted(kept, key=lambda link: (link.from_, link.to)),
            "rejected_links": sorted(rejected.values(), key=lambda link: (link.from_, link.to)),
            "overrides": record,
        }
    )


def as_the_rules_made_it(lineage: LineageDocument) -> LineageDocument:
    """The lineage without a person's decisions: rejected links back, added ones out (the
    rules' links always have evidence, a person's added link none; its score, if any, goes back
    to the candidates), marks cleared."""
    if lineage.overrides is None:
        return lineage
    cleared = {"decided_by": "rules", "note": None}
    links: list[Link] = []
    returned: dict[str, list[Candidate]] = {}
    for link in [*lineage.links, *lineage.rejected_links]:
        if link.decided_by == "rules" or link.evidence:
            links.append(link.model_copy(update=cleared))
        elif link.score > 0:
            returned.setdefault(link.from_, []).append(Candidate(to=link.to, score=link.score))
    goals = [
        goal.model_copy(
            update={
                "candidates": sorted(
                    [*goal.candidates, *returned.get(goal.id, [])], key=lambda c: (-c.score, c.to)
                )
            }
        )
        if goal.id in returned
        else goal
        for goal in lineage.goals
    ]
    return lineage.model_copy(
        update={"links": links, "rejected_links": [], "goals": goals, "overrides": None}
    )


def resolve_entries(lineage: LineageDocument, overrides: Overrides) -> list[tuple[str, ...] | None]:
    """Per entry of `overrides.entries`, the ids of the goals it applies to in the lineage
    (found by id and text as `apply_overrides` finds them), or None where it applies to none:
    stale, or about plans not in this lineage. `maalspor review` edits a decision's entry by it.
    """
    resolver = _Resolver(lineage)
    found: list[tuple[str, ...] | None] = []
    for entry in overrides.entries:
        names = [entry.from_, entry.to] if isinstance(entry, LinkOverride) else [entry.goal]
        try:
            found.append(tuple(resolver.goal(name, entry.entry).id for name in names))
        except _Stale:
            found.append(None)
    return found


def _with_kinds(links: list[Link]) -> list[Link]:
    """Merged and split follow the links' shape after the decisions; a link that was merged or
    split and is now one-to-one becomes 'changed' (its wording was never compared)."""
    successors: dict[str, int] = {}
    predecessors: dict[str, int] = {}
    for link in links:
        successors[link.from_] = successors.get(link.from_, 0) + 1
        predecessors[link.to] = predecessors.get(link.to, 0) + 1
    out: list[Link] = []
    for link in links:
        kind: LinkKind = link.kind
        if predecessors[link.to] > 1:
            kind = "merged"
        elif successors[link.from_] > 1:
            kind = "split"
        elif kind in ("merged", "split"):
            kind = "changed"
        out.append(link if kind == link.kind else link.model_copy(update={"kind": kind}))
    return out


def _refated(
    lineage: LineageDocument, links: list[Link], fates: dict[str, FateOverride]
) -> list[LineageGoal]:
    successors: dict[str, list[str]] = {}
    predecessors: dict[str, list[str]] = {}
    for link in links:
        successors.setdefault(link.from_, []).append(link.to)
        predecessors.setdefault(link.to, []).append(link.from_)
    last = lineage.plans[-1].id if lineage.plans else None
    goals: list[LineageGoal] = []
    for goal in lineage.goals:
        after = sorted(successors.get(goal.id, []))
        update: dict = {
            "successors": after,
            "predecessors": sorted(predecessors.get(goal.id, [])),
            "candidates": [c for c in goal.candidates if c.to not in after],
            "fate": fate_of(goal.continued, goal.status, bool(after), goal.plan == last),
            "decided_by": "rules",
            "note": None,
        }
        decision = fates.get(goal.id)
        if decision is not None:
            update |= {"fate": decision.fate, "decided_by": "person", "note": decision.note}
        goals.append(goal.model_copy(update=update))
    return goals


def notices(record: OverridesRecord, *, other_plans: bool = True) -> list[str]:
    """One line per entry not applied as written, for stderr; `other_plans=False` leaves out
    the entries about other plans (`batch` names those that fit no series, see `unmatched`)."""
    lines = [f"{record.path}: {n.entry}: renumbered: {n.message}" for n in record.moved]
    lines += [f"{record.path}: {n.entry}: stale, not applied: {n.message}" for n in record.stale]
    if other_plans:
        lines += [f"{record.path}: {n.entry}: not applied: {n.message}" for n in record.other_plans]
    return lines


def unmatched(overrides: Overrides, plan_ids: set[str]) -> list[str]:
    """One line per entry that names no plan of any of the lineages (`batch`: of any series)."""
    lines: list[str] = []
    for entry in overrides.entries:
        names = [entry.from_, entry.to] if isinstance(entry, LinkOverride) else [entry.goal]
        if not any(name.plan in plan_ids for name in names):
            plans = ", ".join(sorted({name.plan for name in names}))
            lines.append(
                f"{overrides.path}: {entry.entry}: not applied: no series has plan {plans}"
            )
    return lines
