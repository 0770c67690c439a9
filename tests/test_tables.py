"""Tables in every form (issue 24): header-row grids with and without a repeated header, landscape
tables with columns that are no field, mixed orientation, cells drawn as filled boxes, and page
breaks swept through every column of a row, through a goal's numbered sub-goals and through a
documentation list (`tests/metamorphic.py`, `Style.lists`, `extra_columns`, `orientation`,
`fill`). Every variant must parse to the goals, documentation items, sub-goals and follow-ups of
the content, text for text.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests import metamorphic as M

FRAME = 260.0  # ~20 lines a page: a sweep puts a page break at every line of a table


def _sweep(style: M.Style, stride: int = 2) -> list[M.Style]:
    leading = round(style.size * 1.25, 2)
    framed = dataclasses.replace(style, frame_height=FRAME, lists=True)
    return M.sweep(framed, int(FRAME / leading) + 1, leading)[::stride]


def _differences(style: M.Style, path: Path) -> list[str]:
    M.render(style, path)
    return M.differences(M.parse(path), M.expected(style))


def _failing(styles: list[M.Style], tmp_path: Path) -> list[str]:
    out = []
    for number, style in enumerate(styles):
        problems = _differences(style, tmp_path / f"v{number}.pdf")
        if problems:
            out.append(f"{style.name}: {problems[:2]}")
    return out


def test_the_list_content_has_sub_goals_and_a_long_documentation_list():
    want = M.expected(M.Style(lists=True))
    assert sum(d.startswith("<subgoal>") for _, docs in want["goals"] for d in docs) == 3
    assert max(sum(not d.startswith("<") for d in docs) for _, docs in want["goals"]) == 4


# Class 1: a row goes on at the top of the next page inside a list (the rest of a sub-goal in
# lower case, "3." after "2.", or the whole numbered list with nothing beside it).
@pytest.mark.parametrize(
    "base",
    [
        M.Style(labels="grid"),
        M.Style(labels="grid", repeat_header=False),
        M.Style(labels="grid", ruled=False),
        M.Style(labels="key_value"),
    ],
    ids=lambda s: s.name,
)
def test_a_row_going_on_inside_a_list_belongs_to_the_row_above(base, tmp_path):
    styles = _sweep(base, stride=1)
    cut = set()
    for number, style in enumerate(styles):
        cut |= M.render(style, tmp_path / f"c{number}.pdf").page
    # The breaks fall inside the sub-goals and the documentation list (a boundary between two
    # items is cut too: the item on either side of it counts).
    assert {"g2.sub1", "g0.doc2", "g0.doc3"} <= cut
    assert _failing(styles, tmp_path) == []
