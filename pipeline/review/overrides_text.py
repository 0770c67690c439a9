"""An overrides file edited as text: the entry a decision touches changes, and nothing else —
the person's comments, blank lines, order of entries and way of writing stay as they were.

Why not tomlkit: it keeps one array per table name, so [[link]] and [[fate]] entries that
alternate in a file (people paste them from the report in any order) are regrouped on writing,
and the comments between them move to other entries (tomlkit 0.13 and 0.15). The overrides
format is small — [[link]] and [[fate]] tables of string values, `parse_overrides` refuses
anything else — so `scan` reads that much TOML: where each entry starts and ends, and where
each value stands. An edit splices text there. The caller checks every result with tomllib
and `parse_overrides` before it is written (`maalspor.review.store`).

An entry is its header line, its key lines, the comment lines just above the header (no blank
line between: they describe it) and those just below its last key line that a blank line or
the end of the file closes. Removing an entry removes those lines.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field

from maalspor.errors import OverridesError

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# [[link]], [[ "fate" ]]: a table array's header, its name bare or quoted.
_HEADER = re.compile(
    r"\[\[[ \t]*(?:([A-Za-z0-9_-]+)|\"([A-Za-z0-9_-]+)\"|'([A-Za-z0-9_-]+)')[ \t]*\]\]"
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass
class Entry:
    """One [[link]] or [[fate]] of the text: where it stands, and its values' spans."""

    kind: str
    start: int  # its first comment line above the header, else the header line
    end: int  # after its last line (and that line's line break)
    values: dict[str, Span] = field(default_factory=dict)  # the value's text, quotes included
    lines: dict[str, Span] = field(default_factory=dict)  # the whole line of each key
    body_end: int = 0  # after its last key line (or its header line)


def scan(text: str) -> list[Entry]:
    """The entries of a valid overrides file (tomllib has read it), in file order."""
    entries: list[Entry] = []
    current: Entry | None = None
    comments: int | None = None  # start of the comment lines just above, while they run
    pos, n = 0, len(text)
    while pos < n:
        line_start = pos
        pos = _skip_blanks(text, pos)
        if pos >= n or text[pos] in "\r\n":  # a blank line (or the end) closes comment lines
            if comments is not None and current is not None and current.end == comments:
                current.end = line_start  # they follow the entry: its own
            comments = None
            pos = _after_line(text, pos)
            continue
        if text[pos] == "#":
            comments = line_start if comments is None else comments
            pos = _after_line(text, pos)
            continue
        header = _HEADER.match(text, pos)
        if header:
            current = Entry(
                kind=next(g for g in header.groups() if g),
                start=line_start if comments is None else comments,
                end=0,
            )
            entries.append(current)
            current.end = current.body_end = pos = _rest_of_line(text, header.end())
            comments = None
            continue
        if text[pos] == "[" or current is None:
            raise OverridesError(
                "the file holds more than [[link]] and [[fate]] entries of strings "
                f"(line {text.count(chr(10), 0, pos) + 1}): edit it by hand"
            )
        key, pos = _key(text, pos)
        pos = _skip_blanks(text, pos)
        if not text.startswith("=", pos):
            raise OverridesError(f"line {text.count(chr(10), 0, pos) + 1}: no '=' after {key}")
        pos = _skip_blanks(text, pos + 1)
        value = Span(pos, _string_end(text, pos))
        current.values[key] = value
        current.end = current.body_end = pos = _rest_of_line(text, value.end)
        current.lines[key] = Span(line_start, pos)
        comments = None
    if comments is not None and current is not None and current.end == comments:
        current.end = n
    return entries


def toml_string(value: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, but for DEL, which TOML wants escaped;
    C1 controls and the Unicode line and paragraph separators, which TOML allows raw but
    editors and line-splitting tools take for line breaks, are escaped too."""
    text = json.dumps(value, ensure_ascii=False)
    return _RAW_BREAKS.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


_RAW_BREAKS = re.compile("[\x7f-\x9f\u2028\u2029]")


def newline_of(text: str) -> str:
    """The file's line break: CRLF when its first line ends so, else LF."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def set_values(text: str, entry: Entry, values: dict[str, str | None]) -> str:
    """The text with the entry's values set (None: the key's line removed); a key the entry
    lacks gets a line after its last key line."""
    edits: list[tuple[int, int, str]] = []
    added = ""
    nl = newline_of(text)
    for key, value in values.items():
        if key in entry.values:
            if value is None:
                line = entry.lines[key]
                edits.append((line.start, line.end, ""))
            else:
                span = entry.values[key]
                edits.append((span.start, span.end, toml_string(value)))
        elif value is not None:
            added += f"{_key_text(key)} = {toml_string(value)}{nl}"
    if added:
        at = entry.body_end
        if at > 0 and text[at - 1] != "\n":
            added = nl + added
        edits.append((at, at, added))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def remove_entry(text: str, entry: Entry) -> str:
    """The text without the entry; of the blank lines around it, one is kept."""
    before, after = text[: entry.start], text[entry.end :]
    if not before or before.endswith(("\n\n", "\n\r\n")):
        blank = re.match(r"[ \t]*\r?\n", after)
        if blank:
            after = after[blank.end() :]
        elif not after.strip():  # the last entry: no blank line left at the end
            before = before[: len(before) - len(newline_of(text))]
    return before + after


def append_entry(text: str, kind: str, values: dict[str, str]) -> str:
    """The text with a new entry at its end, after a blank line."""
    nl = newline_of(text)
    lines = [f"[[{kind}]]", *(f"{_key_text(k)} = {toml_string(v)}" for k, v in values.items())]
    if text and not text.endswith("\n"):
        text += nl
    if text.strip() and not text.endswith(("\n\n", "\n\r\n")):
        text += nl
    return text + nl.join(lines) + nl


# ---------------------------------------------------------------------------------------------
# The scanner's steps; the text is valid TOML, so each only finds where a thing ends.


def _skip_blanks(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


def _after_line(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end + 1


def _rest_of_line(text: str, pos: int) -> int:
    """After the line's end: blanks, a comment, the line break."""
    pos = _skip_blanks(text, pos)
    if pos < len(text) and text[pos] not in "#\r\n":
        raise OverridesError(
            f"line {text.count(chr(10), 0, pos) + 1}: more than one value on a line: "
            "edit the file by hand"
        )
    return _after_line(text, pos)


def _key(text: str, pos: int) -> tuple[str, int]:
    if text[pos] in "\"'":
        end = _string_end(text, pos)
        key = next(iter(tomllib.loads(f"{text[pos:end]} = 0")))
    else:
        match = _BARE_KEY.match(text, pos)
        if not match:
            raise OverridesError(f"line {text.count(chr(10), 0, pos) + 1}: not a key")
        key, end = match.group(), match.end()
    if text.startswith(".", _skip_blanks(text, end)):
        raise OverridesError(
            f"line {text.count(chr(10), 0, pos) + 1}: a dotted key: edit the file by hand"
        )
    return key, end


def _key_text(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else toml_string(key)


def _string_end(text: str, pos: int) -> int:
    """After the string that starts at `pos` (any of TOML's four kinds)."""
    for quote in ('"""', "'''"):
        if text.startswith(quote, pos):
            i = pos + 3
            while not text.startswith(quote, i):
                i += 2 if quote[0] == '"' and text[i] == "\\" else 1
            end = i + 3
            while end < len(text) and text[end] == quote[0] and end - i < 5:
                end += 1  # up to two quotes of the content before the closing three
            return end
    if text.startswith('"', pos):
        i = pos + 1
        while text[i] != '"':
            i += 2 if text[i] == "\\" else 1
        return i + 1
    if text.startswith("'", pos):
        return text.index("'", pos + 1) + 1
    raise OverridesError(
        f"line {text.count(chr(10), 0, pos) + 1}: a value that is not a string: "
        "edit the file by hand"
    )
