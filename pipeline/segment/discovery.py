"""Label words nobody listed: a plan's own field labels, discovered from their repetition.

A plan that names its fields in words `rules/labels.toml` does not know ("Fokuspunkt 2.1",
"Det vil vi", "Sådan måler vi", "Vurdering") would give no goals. Its structure still shows
them: the same short words open block after block — in bold, in capitals, before a colon or a
tab, alone on their line, or as a table's column headers — in the same order, and the follow-up
part repeats them with one more. This module reads those words from the extracted lines (before
layout analysis, which needs the labels) and maps them to fields:

- the goal label is the one that opens each block: a numbered one ("Fokuspunkt 2.1") when there
  is one, else the first repeated one;
- the documentation label is the one that follows it in most blocks of the plan part;
- the follow-up label is the one the follow-up part adds (it is rare or absent before it);
- other repeated words between them are other parts of a goal block (their text is left out).

It is used only when no known goal label stands in the plan; segmentation then reads the plan
with the discovered words added to the label rules and says in a warning which words it took for
which field. `maalspor rules suggest PLAN` prints them as a rules file for `--rules`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from maalspor.models.page import DocumentText, Line
from maalspor.segment.labels import FieldKind, label_of
from maalspor.segment.structure import follow_up_period
from maalspor.settings import SegmentSettings

# A candidate label: words (letters, spaces, "pr.", dates such as "31.12.") and an optional
# number after them ("Fokuspunkt 2.1"), before a colon, a tab or the line's end.
_PHRASE = re.compile(
    r"^\s*(?P<words>[A-ZÆØÅa-zæøå][A-ZÆØÅa-zæøå.\- ]*?(?:\s+\d{1,2}\.\d{1,2}\.)?)"
    r"(?:\s+(?P<number>\d{1,2}(?:\.\d{1,2})*)\.?)?\s*(?P<end>:|\t|$)"
)


@dataclass(frozen=True)
class Occurrence:
    """A candidate label where it stands: its words as printed, their key (lower case), whether
    a number followed them, and whether it stands in the follow-up part."""

    words: str
    key: str
    numbered: bool
    follow_up: bool


@dataclass
class Discovered:
    """Discovered label words by field, in the form a rules file takes (`[labels]`)."""

    labels: dict[FieldKind, list[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.labels)

    @property
    def usable(self) -> bool:
        """A goal label and another field's: enough to read the plan by."""
        return FieldKind.GOAL in self.labels and len(self.labels) >= 2

    def rules(self) -> dict[str, dict[str, list[str]]]:
        """The `[labels]` table a rules file needs for these words."""
        return {"labels": {kind.value: words for kind, words in self.labels.items()}}

    def warning(self) -> str:
        taken = ", ".join(
            f"'{word}' → {kind.value}" for kind, words in self.labels.items() for word in words
        )
        return (
            f"no known field labels; labels discovered from their repetition: {taken} "
            "(`maalspor rules suggest` prints them for --rules)"
        )

    def toml(self) -> str:
        lines = ["[labels]"]
        for kind, words in self.labels.items():
            quoted = ", ".join(
                '"' + w.replace("\\", "\\\\").replace('"', '\\"') + '"' for w in words
            )
            lines.append(f"{kind.value} = [{quoted}]")
        return "\n".join(lines) + "\n"


def unknown(discovered: Discovered) -> Discovered:
    """The discovered words that the rules in force do not already read as that field."""
    labels: dict[FieldKind, list[str]] = {}
    for kind, words in discovered.labels.items():
        new = [w for w in words if label_of(f"{w}:") != (kind, "")]
        if new:
            labels[kind] = new
    return Discovered(labels)


def has_goal_label(document: DocumentText) -> bool:
    """Whether any line opens with a goal label the rules know."""
    for page in document.pages:
        for block in page.blocks:
            for line in block.lines:
                found = label_of(line.text, line.bold_prefix)
                if found is not None and found[0] is FieldKind.GOAL:
                    return True
        for _block, line in page.set_aside:
            found = label_of(line.text, line.bold_prefix)
            if found is not None and found[0] is FieldKind.GOAL:
                return True
    return False


def discover(document: DocumentText, settings: SegmentSettings) -> Discovered:
    """The label words of a plan whose labels the rules do not know (empty when its structure
    shows none: a plain document gives no labels, and so no invented goals)."""
    found = _occurrences(document, settings)
    counts = Counter(o.key for o in found)
    repeated = [o for o in found if counts[o.key] >= settings.discovery_min_repeats]
    if not repeated:
        return Discovered()
    numbered = [o for o in repeated if o.numbered and not o.follow_up]
    goal = (numbered or [o for o in repeated if not o.follow_up] or repeated)[0].key
    plan_blocks = [b for b in _blocks(repeated, goal) if not b[0].follow_up]
    # The follow-up part's own label need not repeat by itself: its goal label does (a follow-up
    # table's one header row names it once).
    follow_blocks = [b for b in _blocks(found, goal) if b[0].follow_up]
    if len(plan_blocks) + len(follow_blocks) < settings.discovery_min_repeats:
        return Discovered()
    shown = {o.key: o.words for o in found}
    labels: dict[FieldKind, list[str]] = {FieldKind.GOAL: [shown[goal]]}
    documentation = _most_common_next(plan_blocks, settings.discovery_min_repeats, settings)
    if documentation is not None:
        labels[FieldKind.DOCUMENTATION] = [shown[documentation]]
    plan_keys = {o.key for b in plan_blocks for o in b}
    follow_only = [[b[0], *(o for o in b[1:] if o.key not in plan_keys)] for b in follow_blocks]
    follow = _most_common_next(follow_only, 1, settings)
    if follow is not None:
        labels[FieldKind.FOLLOW_UP] = [shown[follow]]
    taken = {goal, documentation, follow}
    others = sorted({o.key for b in plan_blocks for o in b[1:]} - taken)
    if others:
        labels[FieldKind.OTHER] = [shown[k] for k in others]
    return Discovered(labels)


def _blocks(found: list[Occurrence], goal: str) -> list[list[Occurrence]]:
    """The occurrences cut into blocks, each opened by the goal label (those before the first
    goal label are left out)."""
    blocks: list[list[Occurrence]] = []
    for occurrence in found:
        if occurrence.key == goal:
            blocks.append([occurrence])
        elif blocks and occurrence.key not in {o.key for o in blocks[-1]}:
            blocks[-1].append(occurrence)
    return blocks


def _most_common_next(
    blocks: list[list[Occurrence]], least: int, settings: SegmentSettings
) -> str | None:
    """The label that follows the goal label in most blocks, when it does in enough of them
    (`least`, and the settings' share of the blocks)."""
    following = Counter(b[1].key for b in blocks if len(b) > 1)
    if not following:
        return None
    key, count = following.most_common(1)[0]
    enough = max(least, settings.discovery_block_share * len(blocks))
    return key if count >= enough else None


def _occurrences(document: DocumentText, settings: SegmentSettings) -> list[Occurrence]:
    """Every line that looks like a label (set apart by type, a colon, a tab or its line), in
    reading order, with whether the follow-up part has begun."""
    out: list[Occurrence] = []
    in_follow_up = False
    for page in document.pages:
        for block in page.blocks:
            for line in block.lines:
                if follow_up_period(line.text.strip())[0]:
                    in_follow_up = True
                    continue
                # A cell holding only its words: a header (OCR cannot see that it is bold).
                lone_cell = block.kind == "cell" and len(block.lines) == 1
                occurrence = _candidate(line, in_follow_up, lone_cell, settings)
                if occurrence is not None:
                    out.append(occurrence)
    return out


def _candidate(
    line: Line, in_follow_up: bool, lone_cell: bool, settings: SegmentSettings
) -> Occurrence | None:
    text = line.text.strip()
    match = _PHRASE.match(line.bold_prefix.strip().rstrip(":") if line.bold_prefix else text)
    if match is None:
        return None
    words = _as_printed(match.group("words"))
    if not words or len(words) > settings.discovery_max_chars:
        return None
    if len(words.split()) > settings.discovery_max_words:
        return None
    end = match.group("end")
    alone = end == "" and match.end() >= len(text)
    set_apart = (
        end in (":", "\t")
        or bool(line.bold_prefix)
        or (alone and (line.bold or lone_cell or _upper(words)))
    )
    if not set_apart:
        return None
    shown = words if not _upper(words) else words.capitalize()
    return Occurrence(
        words=shown,
        key=words.lower(),
        numbered=match.group("number") is not None,
        follow_up=in_follow_up,
    )


def _as_printed(raw: str) -> str:
    """A label's words, a full stop kept where it belongs to a date or an abbreviation inside
    the phrase ("Resultat pr. 31.12."), dropped where it ends the label ("Status.")."""
    words = " ".join(raw.split())
    last = words.split()[-1] if words else ""
    if "." in last.rstrip(".") or any(c.isdigit() for c in last):
        return words
    return words.rstrip(" .-")


def _upper(words: str) -> bool:
    letters = [c for c in words if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)
