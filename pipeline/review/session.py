"""The lineage under review and the decisions a person makes on it.

The lineage is kept as the rules made it (`as_the_rules_made_it`); what the page shows is that
lineage with the overrides file applied, exactly as `lineage --overrides` makes it, recomputed
whenever the file's content changes (a decision, another review, a person's editor). A
decision edits the file's one entry on its link or goal (the last one, where a person wrote
several: the last decides) or appends one, in the format `--overrides` reads.

Undo takes back this review's last decision on a link or goal: the entry is put back as it was
(or removed, where there was none). On a link or goal this review has not decided, undo removes
the person's entries on it: the rules decide again. An entry changed elsewhere since this
review's decision is not undone (409), so undo never overwrites another person's decision.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

from maalspor import errors
from maalspor.errors import DecisionError
from maalspor.match.overrides import (
    FateOverride,
    LinkOverride,
    apply_overrides,
    as_the_rules_made_it,
    resolve_entries,
)
from maalspor.models.lineage import LineageDocument
from maalspor.review.decisions import Decision, read_decision, text_start
from maalspor.review.overrides_text import Entry, append_entry, remove_entry, scan, set_values
from maalspor.review.store import OverridesFile, Snapshot
from maalspor.settings import ReviewSettings

Values = dict[str, str]  # an entry's keys and values, as in the file


@dataclass(frozen=True)
class _Change:
    """What one decision did to the entry on its link or goal: its values before and after
    (None: no entry)."""

    before: Values | None
    after: Values | None


@dataclass(frozen=True)
class _Found:
    """The entries of the file on one link or goal, in file order, with their values."""

    entries: list[Entry]
    values: list[Values]

    @property
    def last(self) -> Values | None:
        return self.values[-1] if self.values else None


class ReviewSession:
    """Decisions on one lineage, written to one overrides file."""

    def __init__(
        self, lineage: LineageDocument, file: OverridesFile, settings: ReviewSettings
    ) -> None:
        self.rules = as_the_rules_made_it(lineage)
        self.file = file
        self.settings = settings
        self._history: dict[tuple[str, ...], list[_Change]] = {}
        self._cache: tuple[str, LineageDocument] | None = None
        self._cache_lock = threading.Lock()
        with file.locked():
            file.remove_leftovers()
            self._applied(file.read())  # a file that cannot be read stops the start

    def current(self) -> LineageDocument:
        """The lineage with the file as it is now applied (`lineage --overrides` makes it)."""
        return self._applied(self.file.read())

    def decide(self, body: bytes) -> dict:
        """Make the decision a request's body holds; the answer says how its link (or goal)
        now stands. `DecisionError`: it cannot be made; `OverridesError`: the file is not in a
        state to take it (nothing is written then)."""
        with self.file.locked():
            snapshot = self.file.read()
            lineage = self._applied(snapshot)
            decision = read_decision(body, lineage, self.settings)
            text = self._edit(snapshot, lineage, decision)
            after = self._applied(self.file.write(text))
        return _answer(decision, after)

    # -----------------------------------------------------------------------------------------

    def _applied(self, snapshot: Snapshot) -> LineageDocument:
        with self._cache_lock:
            if self._cache is not None and self._cache[0] == snapshot.sha256:
                return self._cache[1]
        lineage = self.rules
        if snapshot.overrides is not None:
            lineage = apply_overrides(self.rules, snapshot.overrides)
        with self._cache_lock:
            self._cache = (snapshot.sha256, lineage)
        return lineage

    def _edit(self, snapshot: Snapshot, lineage: LineageDocument, decision: Decision) -> str:
        """The file's new text."""
        key = (decision.from_, decision.to) if decision.to else (decision.from_,)
        found = _entries_on(snapshot, self.rules, key)
        text = snapshot.text
        if decision.action == "undo":
            return self._undo(text, key, found, decision)
        pair = {(link.from_, link.to) for link in [*lineage.links, *lineage.rejected_links]}
        if decision.action in ("confirm", "reject") and key not in pair:
            raise DecisionError(
                f"{decision.describe()} is not a link of the lineage: nothing to "
                f"{decision.action}" + (" (add it)" if decision.action == "confirm" else "")
            )
        if decision.action == "fate" and decision.fate is None:
            if not found.entries:
                raise DecisionError(f"{decision.from_}: no fate set by a person to clear")
            self._record(key, found.last, None)
            return _remove_all(text, found)
        change: Values = {"fate": decision.fate} if decision.fate else {"action": decision.action}
        if decision.note is not None:
            change["note"] = decision.note
        before = found.last
        if before is not None:
            self._record(key, before, before | change)
            return _set(text, found.entries[-1], before, change)
        values = self._new_entry(lineage, decision, change)
        self._record(key, None, values)
        return append_entry(text, "link" if decision.to else "fate", values)

    def _new_entry(self, lineage: LineageDocument, decision: Decision, change: Values) -> Values:
        texts = {goal.id: goal.text for goal in lineage.goals}
        width = self.settings.entry_text_chars
        if decision.to is None:
            names = {"goal": decision.from_, "goal_text": text_start(texts[decision.from_], width)}
        else:
            names = {
                "from": decision.from_,
                "from_text": text_start(texts[decision.from_], width),
                "to": decision.to,
                "to_text": text_start(texts[decision.to], width),
            }
        return {**names, **change, "note": change.get("note", "")}

    def _record(self, key: tuple[str, ...], before: Values | None, after: Values | None) -> None:
        self._history.setdefault(key, []).append(_Change(before, after))

    def _undo(self, text: str, key: tuple[str, ...], found: _Found, decision: Decision) -> str:
        history = self._history.get(key)
        if not history:
            if not found.entries:
                raise DecisionError(f"{decision.describe()}: no decision of a person's to undo")
            return _remove_all(text, found)  # back to the rules
        change = history[-1]
        if found.last != change.after:
            raise errors.OverridesError(
                f"{self.file.shown_as}: the entry on {decision.describe()} was changed since "
                "this review decided it (by hand or by another review): not undone"
            )
        history.pop()
        if change.before is None:
            return _remove_all(text, found)
        if not found.entries:
            kind = "link" if decision.to else "fate"
            return append_entry(text, kind, change.before)
        now = found.values[-1]
        restore: dict[str, str | None] = {k: change.before.get(k) for k in now}
        return _set(text, found.entries[-1], now, restore | change.before)


def _entries_on(snapshot: Snapshot, rules: LineageDocument, key: tuple[str, ...]) -> _Found:
    """The file's entries that apply to the link (or goal) `key`, as `apply_overrides` finds
    them."""
    overrides = snapshot.overrides
    if overrides is None:
        return _Found([], [])
    scanned = scan(snapshot.text)
    by_kind = {
        "link": [e for e in scanned if e.kind == "link"],
        "fate": [e for e in scanned if e.kind == "fate"],
    }
    if len(by_kind["link"]) != len(overrides.links) or len(by_kind["fate"]) != len(overrides.fates):
        raise errors.OverridesError(
            f"{overrides.path}: its entries cannot be told apart: edit the file by hand"
        )
    resolved = resolve_entries(rules, overrides)
    entries: list[Entry] = []
    values: list[Values] = []
    scanned_in_order = [*by_kind["link"], *by_kind["fate"]]
    for entry, parsed, goals in zip(scanned_in_order, overrides.entries, resolved, strict=True):
        if goals == key:
            entries.append(entry)
            values.append(_values(parsed))
    order = sorted(range(len(entries)), key=lambda i: entries[i].start)
    return _Found([entries[i] for i in order], [values[i] for i in order])


def _values(entry: LinkOverride | FateOverride) -> Values:
    if isinstance(entry, LinkOverride):
        values = {
            "from": entry.from_.id,
            "from_text": entry.from_.text,
            "to": entry.to.id,
            "to_text": entry.to.text,
            "action": entry.action,
        }
    else:
        values = {"goal": entry.goal.id, "goal_text": entry.goal.text, "fate": entry.fate}
    if entry.note is not None:
        values["note"] = entry.note
    return values


def _set(text: str, entry: Entry, now: Values, values: dict[str, str | None]) -> str:
    """The entry's values changed where they differ (a value as it is keeps its writing)."""
    return set_values(text, entry, {k: v for k, v in values.items() if now.get(k) != v})


def _remove_all(text: str, found: _Found) -> str:
    for entry in sorted(found.entries, key=lambda e: e.start, reverse=True):
        text = remove_entry(text, entry)
    return text


def _answer(decision: Decision, lineage: LineageDocument) -> dict:
    """How the decision's link (or goal) stands now, with its goals."""
    goals = {goal.id: goal for goal in lineage.goals}

    def dump(model) -> dict | None:
        return None if model is None else json.loads(model.model_dump_json(by_alias=True))

    answer: dict = {"action": decision.action, "from": dump(goals[decision.from_])}
    if decision.to is None:
        goal = goals[decision.from_]
        answer |= {"state": "person" if goal.decided_by == "person" else "rules", "link": None}
    else:
        pair = (decision.from_, decision.to)
        link = next((x for x in lineage.links if (x.from_, x.to) == pair), None)
        rejected = next((x for x in lineage.rejected_links if (x.from_, x.to) == pair), None)
        state = "linked" if link else "rejected" if rejected else "none"
        answer |= {"state": state, "link": dump(link or rejected), "to": dump(goals[decision.to])}
    record = lineage.overrides
    answer["overrides"] = dump(record)
    return answer
