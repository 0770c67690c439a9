"""The state of the walk of pass 3, and what it fills: drafts of goals and the outline.

`Cursor` is where the walk stands; `Walk` is what a part of the walk (the table reader) may ask
of the walker: open a goal, start a field, feed a field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from maalspor.models.common import Period
from maalspor.models.plan import Section
from maalspor.segment.labels import FieldKind
from maalspor.segment.structure import Paragraph

# Type sizes (points) this close are one size: sizes are medians of rounded character sizes.
SAME_SIZE = 0.1


class Part(StrEnum):
    """The part of the plan the walk is in."""

    PLAN = "plan"  # the plan's own goals
    FOLLOW_UP = "follow_up"  # the follow-up part on the previous period's goals


@dataclass
class FieldText:
    """Paragraphs of one field of one goal, with where they stand."""

    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass
class Draft:
    """A goal (or follow-up) being filled: its section and the paragraphs of each field."""

    section: Section | None
    parts: dict[FieldKind, FieldText] = field(
        default_factory=lambda: {k: FieldText() for k in FieldKind}
    )


@dataclass
class Cursor:
    """Where the walk stands: its part, its section, the open goal and the field it feeds."""

    part: Part = Part.PLAN
    section: Section | None = None
    draft: Draft | None = None
    field: FieldKind | None = None


@dataclass
class Outline:
    """What the walk found."""

    goals: list[Draft] = field(default_factory=list)
    follow_ups: list[Draft] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)  # those that hold the plan's goals
    follow_up_period: Period | None = None


class Walk(Protocol):
    """The walker as the table reader uses it."""

    cursor: Cursor

    def open_goal(self) -> Draft: ...

    def start_field(self, kind: FieldKind, paragraph: Paragraph) -> None: ...

    def feed(self, draft: Draft, kind: FieldKind, paragraph: Paragraph) -> None: ...
