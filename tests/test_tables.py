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


# Class 2: the kind of every cell comes from its column header, on pages where the header row
# is repeated (then it is no content) and where it is not.
@pytest.mark.parametrize("repeat", [True, False], ids=["repeated", "not-repeated"])
@pytest.mark.parametrize("fill", [False, True], ids=["ruled", "filled"])
def test_header_row_labels_name_every_cell_over_page_breaks(repeat, fill, tmp_path):
    base = M.Style(labels="grid", repeat_header=repeat, fill=fill, ruled=not fill)
    styles = _sweep(base)
    assert _failing(styles, tmp_path) == []
    # The repeated header is no content: no goal, documentation item or sub-goal reads "Mål".
    plan = M.parse(tmp_path / "v3.pdf")
    assert not any(
        text in {"Mål", "Dokumentation"} or "Dokumentation" in docs for text, docs in plan["goals"]
    )


# Class 3: columns that are no field are kept apart: "Ansvarlig" is the goal's `responsible`,
# "Tidsplan" is left out; neither is glued into the goal text or the documentation.
@pytest.mark.parametrize("extra", [1, 2])
@pytest.mark.parametrize("fill", [False, True], ids=["ruled", "filled"])
def test_columns_that_are_no_field_are_kept_apart(extra, fill, tmp_path):
    from maalspor import parse

    base = M.Style(
        labels="grid", orientation="landscape", extra_columns=extra, fill=fill, ruled=not fill
    )
    styles = _sweep(base, stride=3)
    assert _failing(styles, tmp_path) == []
    plan = parse(tmp_path / "v0.pdf")
    goals = len(plan.goals)
    assert [g.responsible for g in plan.goals] == [M.RESPONSIBLE[k] for k in range(goals)]
    assert [f.responsible for f in plan.follow_ups] == list(M.RESPONSIBLE[: len(plan.follow_ups)])
    for item in [*plan.goals, *plan.follow_ups]:
        assert any(r.field == "responsible" and r.bbox for r in item.regions)
        words = " ".join([item.text, *item.documentation, item.note or ""])
        assert not any(name in words for name in (*M.RESPONSIBLE, *M.SCHEDULE))


def test_responsible_in_the_csv_and_sqlite_exports(two, tmp_path):
    import sqlite3

    from maalspor.outputs.export import to_csv
    from maalspor.outputs.sqlite import write_goals_db

    first = two.goals[0].model_copy(update={"responsible": "Skolechef"})
    lineage = two.model_copy(update={"goals": [first, *two.goals[1:]]})
    header, row = to_csv(lineage).splitlines()[:2]
    assert "responsible" in header.split(",")
    assert "Skolechef" in row
    path = write_goals_db([lineage], tmp_path / "goals.db")
    with sqlite3.connect(path) as db:
        found = db.execute("select responsible from goals where responsible is not null").fetchall()
    assert found == [("Skolechef",)]
    assert "responsible" not in two.goals[1].model_dump(mode="json")  # left out when not named


def test_a_responsible_label_in_a_goal_block_is_no_text(tmp_path):
    from maalspor import parse

    path = tmp_path / "plan.txt"
    path.write_text(
        "Virksomhedsplan 2017\n\n1. Drift\n\nMål: Sagsbehandlingstiden skal ned.\n\n"
        "Ansvarlig: Byggechef\n\nDokumentation: Månedlig opgørelse.\n",
        "utf-8",
    )
    (goal,) = parse(path).goals
    assert (goal.text, goal.responsible, goal.documentation) == (
        "Sagsbehandlingstiden skal ned.",
        "Byggechef",
        ["Månedlig opgørelse."],
    )


# Class 4: landscape pages among portrait ones (the goal table landscape, the rest portrait).
@pytest.mark.parametrize("extra", [0, 1])
def test_landscape_pages_among_portrait_ones(extra, tmp_path):
    base = M.Style(labels="grid", orientation="mixed", extra_columns=extra)
    styles = _sweep(base)
    sizes = set()
    for number, style in enumerate(styles):
        M.render(style, tmp_path / f"s{number}.pdf")
    from pypdf import PdfReader

    for page in PdfReader(tmp_path / "s0.pdf").pages:
        sizes.add(page.mediabox.width > page.mediabox.height)
    assert sizes == {True, False}
    assert _failing(styles, tmp_path) == []


# Class 5: OCR'd tables — a scan (150 dpi, grey JPEG, paper noise, turned 0.4°) of a table
# family is read by the same table reading as its text layer. The families that fall short are
# in docs/ocr.md (benchmarks/table_sweep.py).
SCANNED_FAMILIES = [
    M.Style(labels="grid", lists=True),
    M.Style(labels="grid", lists=True, ruled=False),
    M.Style(labels="grid", lists=True, ruled=False, fill=True),
    M.Style(labels="grid", lists=True, vocabulary=2),
]


@pytest.mark.parametrize("style", SCANNED_FAMILIES, ids=lambda s: s.name)
def test_scanned_tables_give_the_goals_of_their_text_layer(style, tmp_path):
    from tests.scans import scan

    style = dataclasses.replace(style, frame_height=FRAME)
    source = tmp_path / "plan.pdf"
    M.render(style, source)
    scanned = scan(source, tmp_path / "scan.pdf", noise=True, skew=0.4)
    want, text_layer, ocr = M.expected(style), M.parse(source), M.parse(scanned)
    from_text = [g for g in want["goals"] if g in text_layer["goals"]]
    from_scan = [g for g in from_text if g in ocr["goals"]]
    assert len(from_scan) >= 0.97 * len(from_text) > 0
    assert set(want["follow_ups"]) <= set(ocr["follow_ups"])
