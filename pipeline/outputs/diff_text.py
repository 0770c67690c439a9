"""A diff as text for a person: old and new text each on its own line, the changed words in
colour (a terminal) or marked [-removed-] {+added+} (anything else), wrapped to a width,
headings and names in a language of `rules/names.toml` (`--lang`)."""

from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass

import click

from maalspor.models.diff import Change, DiffReport, GoalBrief
from maalspor.models.lineage import PlanRef
from maalspor.outputs.names import DEFAULT_LANGUAGE, Names
from maalspor.outputs.names import names as lang_names

# Narrower than this and the hanging indents leave no room for words: wrap at this instead.
MIN_WIDTH = 40
# Style of each kind of span on a colour terminal (click.style arguments).
STYLES: dict[str, dict[str, object]] = {
    "removed": {"fg": "red", "strikethrough": True},
    "added": {"fg": "green", "bold": True},
    "heading": {"bold": True},
    "continued": {"fg": "green"},
    "merged": {"fg": "green"},
    "split": {"fg": "green"},
    "new_goals": {"fg": "cyan"},
    "completed": {"fg": "blue"},
    "dropped": {"fg": "red"},
    "missing_successor": {"fg": "yellow", "bold": True},
    "ended": {"fg": "magenta"},
    "note": {"dim": True},
    "person": {"fg": "magenta", "bold": True},
    "rejected": {"fg": "red"},
}

Span = tuple[str, str | None]  # a word and its style (None: plain)


@dataclass(frozen=True)
class TextStyle:
    """How `render_text` writes: language of names and headings, width, colour."""

    lang: str = DEFAULT_LANGUAGE
    width: int | None = None  # None: no wrapping
    colour: bool = False  # ANSI colours (only for a terminal); False: [-removed-] {+added+}


def _changed_words(old: str, new: str, colour: bool) -> tuple[list[Span], list[Span]]:
    """The old and the new text as words, with the removed and the added ones styled (colour)
    or marked [-...-] / {+...+} (no colour)."""
    old_words, new_words = old.split(), new.split()
    old_spans: list[Span] = []
    new_spans: list[Span] = []

    def add(spans: list[Span], words: list[str], kind: str, marks: tuple[str, str]) -> None:
        if not words:
            return
        if colour:
            spans.extend((word, kind) for word in words)
            return
        marked = list(words)
        marked[0] = marks[0] + marked[0]
        marked[-1] = marked[-1] + marks[1]
        spans.extend((word, None) for word in marked)

    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            old_spans.extend((w, None) for w in old_words[a0:a1])
            new_spans.extend((w, None) for w in new_words[b0:b1])
            continue
        add(old_spans, old_words[a0:a1], "removed", ("[-", "-]"))
        add(new_spans, new_words[b0:b1], "added", ("{+", "+}"))
    return old_spans, new_spans


def _plain(text: str, kind: str | None = None) -> list[Span]:
    return [(word, kind) for word in text.split()]


class _Writer:
    """Lines of spans, wrapped at word boundaries with a hanging indent, styled at the end."""

    def __init__(self, style: TextStyle) -> None:
        self.width = max(style.width, MIN_WIDTH) if style.width else None
        self.colour = style.colour
        self.lines: list[str] = []

    def _flush(self, prefix: str, spans: list[Span]) -> None:
        """One line: runs of words of one style are styled as a whole, spaces included."""
        parts: list[str] = []
        for kind, run in itertools.groupby(spans, key=lambda span: span[1]):
            text = " ".join(word for word, _ in run)
            parts.append(click.style(text, **STYLES[kind]) if self.colour and kind else text)
        self.lines.append((prefix + " ".join(parts)).rstrip())

    def blank(self) -> None:
        self.lines.append("")

    def add(self, spans: list[Span], first: str = "", rest: str | None = None) -> None:
        """One paragraph: `first` before its first line, `rest` (default: spaces as wide as
        `first`) before the others; a word longer than a whole line is cut."""
        rest = " " * len(first) if rest is None else rest
        prefix, line, length = first, [], len(first)
        for word, kind in spans:
            if self.width:
                while len(rest) + len(word) > self.width:  # longer than a whole line: cut
                    if line:
                        self._flush(prefix, line)
                        prefix, line, length = rest, [], len(rest)
                    room = self.width - len(prefix)
                    self._flush(prefix, [(word[:room], kind)])
                    prefix, word = rest, word[room:]
                    length = len(rest)
                if line and length + 1 + len(word) > self.width:
                    self._flush(prefix, line)
                    prefix, line, length = rest, [], len(rest)
            length += len(word) + (1 if line else 0)
            line.append((word, kind))
        self._flush(prefix, line)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def summary_line(report: DiffReport, names: Names) -> str:
    """The old plan's goals by fate, then the new plan's new goals: the counts of the lineage
    (`maalspor.match.counts`), as the report and the exports count them."""
    counts = report.counts
    if counts is None:  # a report written before the counts were recorded
        fates = {
            "continued": sum(
                len(c.old) for c in (*report.continued, *report.merged, *report.split)
            ),
            "completed": len(report.completed),
            "dropped": len(report.dropped),
            "missing_successor": len(report.missing_successor),
            "ended": len(report.ended),
        }
    else:
        fates = dict(counts.fates)
    shown = ("continued", "completed", "dropped", "missing_successor", "ended")
    parts = [f"{fates.get(fate, 0)} {names.name('fate', fate)}" for fate in shown]
    parts.append(f"{len(report.new_goals)} {names.text('new_goals_count')}")
    return ", ".join(parts)


def render_text(report: DiffReport, style: TextStyle | None = None) -> str:
    """The report as a person reads it: what became of every old goal, the plans' own words."""
    style = style or TextStyle()
    names = lang_names(style.lang)
    out = _Writer(style)

    def where(goal: GoalBrief) -> str:
        return f"{names.text('page')} {goal.page}" if goal.page else names.text("text_input")

    def plan_label(plan: PlanRef) -> str:
        period = plan.period.label if plan.period else "?"
        stand_in = f" ({names.text('stand_in')})" if plan.stand_in else ""
        return f"{plan.title or plan.id} [{period}]{stand_in}"

    def heading(key: str, count: int) -> None:
        out.blank()
        out.add(_plain(f"== {names.text(key)} ({count}) ==", key))

    def person(decided_by: str, note: str | None) -> list[Span]:
        """The mark of a person's decision, with the note."""
        if decided_by != "person":
            return []
        return _plain(
            "[" + names.text("decided_by_person") + (f": {note}" if note else "") + "]", "person"
        )

    def goal_item(goal: GoalBrief, first: str, rest: str | None = None) -> None:
        status = names.name("status", goal.status)
        tail = f"({where(goal)})" + (f" — {names.text('status')}: {status}" if status else "")
        spans = [*_plain(goal.text), *_plain(tail, "note"), *person(goal.decided_by, goal.note)]
        out.add(spans, first, rest)

    def change_head(change: Change) -> str:
        kind = names.name("kind", change.kind)
        return f"- {kind}, {names.text('score')} {change.score:.2f}"

    threshold = report.settings.threshold
    out.add(_plain(plan_label(report.old)), f"{names.text('old_plan')}: ")
    out.add(_plain(plan_label(report.new)), f"{names.text('new_plan')}: ")
    out.add(_plain(f"{threshold:.2f}"), f"{names.text('threshold')}: ")
    if report.overrides is not None:
        record = report.overrides
        counts_text = names.text("overrides_counts").format(
            applied=record.applied, moved=len(record.moved), stale=len(record.stale)
        )
        out.add(_plain(f"{record.path} ({counts_text})"), f"{names.text('overrides')}: ")
    out.blank()
    out.add(_plain(summary_line(report, names)), f"{names.text('summary')}: ")

    old_label, new_label = f"    {names.text('old')}: ", f"    {names.text('new')}: "
    label_width = max(len(old_label), len(new_label))
    old_label, new_label = old_label.ljust(label_width), new_label.ljust(label_width)
    heading("continued", len(report.continued))
    for change in report.continued:
        old, new = change.old[0], change.new[0]
        head = f"{change_head(change)}: {where(old)} → {where(new)}"
        out.add([*_plain(head), *person(change.decided_by, change.note)], "", "  ")
        old_spans, new_spans = _changed_words(old.text, new.text, style.colour)
        out.add(old_spans, old_label)
        out.add(new_spans, new_label)
    for key, changes in (("merged", report.merged), ("split", report.split)):
        heading(key, len(changes))
        for change in changes:
            out.add(
                [*_plain(change_head(change)), *person(change.decided_by, change.note)], "", "  "
            )
            for goal in change.old:
                goal_item(goal, old_label)
            for goal in change.new:
                goal_item(goal, new_label)
    for key, goals in (
        ("new_goals", report.new_goals),
        ("completed", report.completed),
        ("dropped", report.dropped),
        ("missing_successor", report.missing_successor),
        ("ended", report.ended),
    ):
        heading(key, len(goals))
        for goal in goals:
            goal_item(goal, "- ", "  ")
            for candidate in goal.candidates:
                where_ = f"({where(candidate)})"
                out.add(
                    _plain(f"{candidate.id.rsplit('/', 1)[-1]} {candidate.text} {where_}"),
                    f"    {names.text('candidate')} {candidate.score:.2f}: ",
                )
    if report.rejected:
        heading("rejected", len(report.rejected))
        for change in report.rejected:
            head = f"- {names.text('score')} {change.score:.2f}"
            out.add([*_plain(head), *person(change.decided_by, change.note)], "", "  ")
            for goal in change.old:
                goal_item(goal, old_label)
            for goal in change.new:
                goal_item(goal, new_label)
    out.blank()
    out.add(_plain(names.text("legend_colour" if style.colour else "legend_marks")))
    return out.text()
