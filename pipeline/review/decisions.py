"""A decision as the page (or a script) posts it, checked against the lineage under review.

    {"action": "confirm" | "reject" | "add" | "fate" | "undo",
     "from": GOAL, "to": GOAL, "fate": FATE, "note": TEXT}

Goal ids are the lineage's (`<plan id>/<goal id>`). confirm, reject and add name a link
(`from` in an earlier plan than `to`); fate names one goal (`from`) and a fate, or "" (or null)
to clear the person's fate; undo names a link (`from` and `to`) or a goal's fate (`from`).
`note` goes with confirm, reject, add and fate: absent keeps the note there is, a string (""
too) replaces it. Whatever cannot be decided is a `DecisionError` with a one-line message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal, get_args

from maalspor.errors import DecisionError
from maalspor.models.lineage import Fate, LineageDocument, LineageGoal
from maalspor.settings import ReviewSettings

Action = Literal["confirm", "reject", "add", "fate", "undo"]
FIELDS = ("action", "from", "to", "fate", "note")
LINK_ACTIONS = ("confirm", "reject", "add")


@dataclass(frozen=True)
class Decision:
    action: Action
    from_: str
    to: str | None = None
    fate: Fate | None = None  # action "fate": None clears the person's fate
    note: str | None = None  # None: keep the note there is

    @property
    def on_link(self) -> bool:
        return self.to is not None

    def describe(self) -> str:
        return f"{self.from_} → {self.to}" if self.to else self.from_


def read_decision(body: bytes, lineage: LineageDocument, settings: ReviewSettings) -> Decision:
    """The decision a request's body holds, checked against the lineage as it is now."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise DecisionError("the request's body is not UTF-8 text") from error
    except json.JSONDecodeError as error:
        where = f"{error.msg}, at character {error.pos}"
        raise DecisionError(f"the request's body is not JSON ({where})") from error
    if not isinstance(payload, dict):
        raise DecisionError('a decision is a JSON object: {"action": ..., "from": ..., ...}')
    unknown = sorted(set(payload) - set(FIELDS))
    if unknown:
        raise DecisionError(f"unknown field {unknown[0]!r} (known: {', '.join(FIELDS)})")
    for key, value in payload.items():
        if value is not None and not isinstance(value, str):
            raise DecisionError(f"{key} must be a string, not {type(value).__name__}")
    action = payload.get("action")
    if action not in get_args(Action):
        raise DecisionError(f"action must be one of {', '.join(get_args(Action))}, not {action!r}")
    goals = {goal.id: goal for goal in lineage.goals}
    source = _goal(payload, "from", goals)
    target = _goal(payload, "to", goals) if payload.get("to") else None
    if action in LINK_ACTIONS and target is None:
        raise DecisionError(f"{action} names a link: give 'from' and 'to'")
    if action == "fate" and target is not None:
        raise DecisionError("a fate is a goal's: give 'from' only, not 'to'")
    if target is not None:
        order = {plan.id: index for index, plan in enumerate(lineage.plans)}
        if order[target.plan] <= order[source.plan]:
            raise DecisionError(f"{target.id} is not in a later plan than {source.id}")
    fate = payload.get("fate")
    if action == "fate":
        if fate and fate not in get_args(Fate):
            raise DecisionError(f"fate must be one of {', '.join(get_args(Fate))}, not {fate!r}")
    elif fate:
        raise DecisionError(f"fate goes with action 'fate', not {action!r}")
    note = payload.get("note")
    if note is not None:
        if len(note) > settings.max_note_chars:
            raise DecisionError(f"the note is longer than {settings.max_note_chars} characters")
        try:
            note.encode("utf-8")
        except UnicodeEncodeError as error:  # a lone surrogate from a JSON escape
            raise DecisionError("the note is not valid text (a lone surrogate)") from error
    return Decision(
        action=action,
        from_=source.id,
        to=target.id if target else None,
        fate=fate or None,
        note=note,
    )


def _goal(payload: dict, key: str, goals: dict[str, LineageGoal]) -> LineageGoal:
    value = payload.get(key)
    if not value:
        raise DecisionError(f"{key} is missing: a goal id as in the lineage, '<plan id>/<goal>'")
    goal = goals.get(value)
    if goal is None:
        raise DecisionError(f"{key}: unknown goal {value!r} (not in the lineage under review)")
    return goal


def text_start(text: str, width: int) -> str:
    """The start of a goal's text by which an entry names it: whole words, at most `width`
    characters (the report's copy buttons cut the same way)."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    cut = flat.rfind(" ", 0, width + 1)
    return flat[: cut if cut > width // 3 else width].strip()
