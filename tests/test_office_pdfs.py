"""Plans written in a word processor and exported to PDF by LibreOffice, against what a reader sees.

The fixtures in tests/fixtures/office/ were made with tests/fixtures/make_office_plans.py
(python-docx → `soffice --convert-to pdf`); CI only reads the committed PDFs and their
`<name>.expected.json`: title, unit, organisation, periods, sections, and every goal and
follow-up with its text, subgoals, note, documentation items, section, Opfølgning and verdict
(hyphenation undone, whitespace collapsed). Each field is its own test, so a failure names the
plan, the field and the goal.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from maalspor import parse

OFFICE = Path(__file__).parent / "fixtures" / "office"
FIXTURES = sorted(p.name.removesuffix(".expected.json") for p in OFFICE.glob("*.expected.json"))
GOAL_FIELDS = ("section", "section_number", "text", "subgoals", "note", "documentation")
FOLLOW_UP_FIELDS = (*GOAL_FIELDS, "follow_up", "status", "continued")


@cache
def _parsed(name: str):
    return parse(OFFICE / f"{name}.pdf")


def _expected(name: str) -> dict:
    return json.loads((OFFICE / f"{name}.expected.json").read_text(encoding="utf-8"))


def _period(period) -> dict | None:
    return None if period is None else period.model_dump(include={"label", "start", "end"})


def _texts(items: list[dict]) -> str:
    return "\n".join(f"  {i + 1}. {item['text'][:90]!r}" for i, item in enumerate(items))


def test_fixtures_are_there():
    assert len(FIXTURES) == 11, f"expected 11 office fixtures in {OFFICE}, found {FIXTURES}"
    for name in FIXTURES:
        assert (OFFICE / f"{name}.pdf").exists(), f"{name}.pdf is missing"


@pytest.mark.parametrize("name", FIXTURES)
@pytest.mark.parametrize("field", ["title", "unit", "organisation"])
def test_metadata(name, field):
    got = getattr(_parsed(name), field)
    expected = _expected(name)[field]
    assert got == expected, f"{name}: {field}: expected {expected!r}, got {got!r}"


@pytest.mark.parametrize("name", FIXTURES)
@pytest.mark.parametrize("field", ["period", "follow_up_period"])
def test_periods(name, field):
    got = _period(getattr(_parsed(name), field))
    expected = _expected(name)[field]
    assert got == expected, f"{name}: {field}: expected {expected}, got {got}"


@pytest.mark.parametrize("name", FIXTURES)
def test_sections(name):
    got = [{"number": s.number, "title": s.title} for s in _parsed(name).sections]
    expected = _expected(name)["sections"]
    assert got == expected, f"{name}: sections:\n expected {expected}\n got      {got}"


@pytest.mark.parametrize("name", FIXTURES)
@pytest.mark.parametrize("kind", ["goals", "follow_ups"])
def test_count(name, kind):
    got = [item.model_dump() for item in getattr(_parsed(name), kind)]
    expected = _expected(name)[kind]
    assert len(got) == len(expected), (
        f"{name}: {len(expected)} {kind} expected, {len(got)} parsed\n"
        f"expected:\n{_texts(expected)}\nparsed:\n{_texts(got)}"
    )


def _cases(kind: str, fields: tuple[str, ...]) -> list:
    cases = []
    for name in FIXTURES:
        for index, _ in enumerate(_expected(name)[kind]):
            for field in fields:
                cases.append(pytest.param(name, index, field, id=f"{name}-{index + 1}-{field}"))
    return cases


def _check(name: str, kind: str, index: int, field: str) -> None:
    expected = _expected(name)[kind][index]
    parsed = getattr(_parsed(name), kind)
    label = f"{name}: {kind}[{index}] ({expected['text'][:60]!r})"
    assert index < len(parsed), f"{label}: not parsed ({len(parsed)} {kind} in all)"
    got = getattr(parsed[index], field)
    assert got == expected[field], (
        f"{label}: {field}:\n expected {expected[field]!r}\n got      {got!r}"
    )


@pytest.mark.parametrize(("name", "index", "field"), _cases("goals", GOAL_FIELDS))
def test_goal_field(name, index, field):
    _check(name, "goals", index, field)


@pytest.mark.parametrize(("name", "index", "field"), _cases("follow_ups", FOLLOW_UP_FIELDS))
def test_follow_up_field(name, index, field):
    _check(name, "follow_ups", index, field)
