"""Verdicts of follow-up texts from any source (`maalspor verdict`): JSON Lines in, records out.

Each input line is a JSON object with `text` and optional `id` (string or number) and `goal`
(string; read and checked, not yet used by the rules). Blank lines are skipped. A line that is
not such an object is a `BadRecord` naming its line number; the good lines are still answered,
in input order, by the same classifier as `parse` (`maalspor.verdicts.classifier`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from maalspor import errors
from maalspor.models.verdict import VerdictRecord
from maalspor.settings import Settings, VerdictSettings
from maalspor.verdicts.classifier import Verdict, classify_texts


@dataclass(frozen=True)
class BadRecord:
    """An input line that cannot be read as a follow-up record."""

    line: int
    reason: str


@dataclass(frozen=True)
class _Record:
    line: int
    id: str | int | None
    text: str


# What a JSON value that is not an object is called, for the message.
_JSON_KINDS = {list: "an array", str: "a string", int: "a number", float: "a number"}


def _checked(line: int, data: Any) -> _Record | BadRecord:
    if not isinstance(data, dict):
        kind = "null" if data is None else str(data).lower() if isinstance(data, bool) else None
        return BadRecord(line, f"not a JSON object but {kind or _JSON_KINDS[type(data)]}")
    if "text" not in data:
        return BadRecord(line, 'no "text"')
    if not isinstance(data["text"], str):
        return BadRecord(line, '"text" is not a string')
    record_id = data.get("id")
    if isinstance(record_id, bool) or not isinstance(record_id, str | int | None):
        return BadRecord(line, '"id" is not a string or a whole number')
    if not isinstance(data.get("goal"), str | None):
        return BadRecord(line, '"goal" is not a string')
    return _Record(line, record_id, data["text"])


def read_record(line: int, raw: bytes | str) -> _Record | BadRecord | None:
    """One input line as a record, a bad record, or None for a blank line."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        return BadRecord(line, "not UTF-8")
    if not text.strip():
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return BadRecord(line, f"not JSON ({error.msg} at column {error.colno})")
    return _checked(line, data)


def to_record(verdict: Verdict, record_id: str | int | None, line: int | None) -> VerdictRecord:
    return VerdictRecord(
        id=record_id,
        line=line,
        status=verdict.status,
        continued=verdict.continued,
        status_evidence=list(verdict.evidence),
        confidence=verdict.confidence,
    )


def _answer(
    pending: list[_Record | BadRecord], settings: VerdictSettings
) -> Iterator[VerdictRecord | BadRecord]:
    good = [item for item in pending if isinstance(item, _Record)]
    verdicts = iter(classify_texts([item.text for item in good], settings))
    for item in pending:
        yield item if isinstance(item, BadRecord) else to_record(next(verdicts), item.id, item.line)


def verdict_records(
    lines: Iterable[bytes | str], settings: Settings | None = None
) -> Iterator[VerdictRecord | BadRecord]:
    """A verdict record (or a bad record) for every non-blank input line, in input order;
    texts are classified `settings.verdicts.chunk_size` at a time (one spaCy pass each)."""
    verdict_settings = Settings.resolve(settings).verdicts
    chunk = verdict_settings.chunk_size
    pending: list[_Record | BadRecord] = []
    for number, raw in enumerate(lines, start=1):
        item = read_record(number, raw)
        if item is None:
            continue
        pending.append(item)
        if len(pending) >= chunk:
            yield from _answer(pending, verdict_settings)
            pending = []
    yield from _answer(pending, verdict_settings)


def verdict_of_texts(texts: Iterable[str], settings: Settings | None = None) -> list[VerdictRecord]:
    """Records for texts given directly (`--text`): no id, no line."""
    verdicts = classify_texts(list(texts), Settings.resolve(settings).verdicts)
    return [to_record(verdict, None, None) for verdict in verdicts]


def input_lines(path: str) -> Iterator[bytes]:
    """The lines of a JSON Lines file, as bytes (each line is decoded on its own)."""
    file = Path(path)
    if not file.is_file():
        raise errors.InputNotFoundError(f"{path}: no such file")
    try:
        with file.open("rb") as stream:
            yield from stream
    except OSError as error:
        raise errors.InputNotFoundError(f"{path}: cannot read ({error.strerror})") from error
