"""One settings object reaches every stage: a threshold changed through the public API changes
the reading, and the defaults read as before."""

from __future__ import annotations

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

import maalspor
from maalspor.settings import ExtractSettings, LayoutSettings, SegmentSettings, Settings
from tests import layouts as L


@pytest.fixture(scope="module")
def borderless(tmp_path_factory):
    """A goal table without rulings: its labels stand side by side ("Mål" | "Dokumentation")."""
    return L.render("borderless_table", L.VEJLE, tmp_path_factory.mktemp("s") / "plan.pdf")


def _texts(plan) -> list[tuple[str, list[str]]]:
    return [(g.text, g.documentation) for g in plan.goals]


def test_layout_settings_passed_to_parse_change_the_reading(borderless):
    default = maalspor.parse(borderless)
    assert default.goals and all(g.documentation for g in default.goals)
    # A line set this much larger than the body text is a heading: at 0.9, every line of
    # the table is one, and no goal is left.
    headings = maalspor.parse(borderless, settings=LayoutSettings(heading_size_ratio=0.9))
    assert _texts(headings) != _texts(default)
    assert maalspor.parse(borderless, settings=Settings()).goals == default.goals


def test_extract_settings_passed_to_parse_change_the_reading(tmp_path):
    """A plan in two newspaper columns about 20 pt apart: goals read column by column by
    default; with a gutter required wider than that, each line runs across both columns."""
    path = tmp_path / "columns.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont("Helvetica", 10)
    left = [
        "Mål: Flere borgere skal",
        "bruge selvbetjening",
        "Dokumentation: Måles",
        "hvert kvartal",
        "Mål: Flere sager skal",
        "afgøres digitalt",
        "Dokumentation: Tælles",
        "hver måned",
    ]
    right = [
        "Mål: Kortere ventetid",
        "i borgerservice",
        "Dokumentation: Måles",
        "hver uge",
        "Mål: Færre klager over",
        "sagsbehandlingen",
        "Dokumentation: Opgøres",
        "hvert år",
    ]
    for row, (a, b) in enumerate(zip(left, right, strict=True)):
        canvas.drawString(56, 700 - 14 * row, a)
        canvas.drawString(200, 700 - 14 * row, b)
    canvas.save()
    default = maalspor.parse(path)
    assert [g.text for g in default.goals] == [
        "Flere borgere skal bruge selvbetjening",
        "Flere sager skal afgøres digitalt",
        "Kortere ventetid i borgerservice",
        "Færre klager over sagsbehandlingen",
    ]
    wide = maalspor.parse(path, settings=Settings(extract=ExtractSettings(min_gutter=60.0)))
    assert [g.text for g in wide.goals] != [g.text for g in default.goals]


def test_segment_settings_reach_segmentation(tmp_path):
    """A title longer than the cap is cut with a warning; the cap is a setting."""
    path = tmp_path / "plan.txt"
    path.write_text(
        "Virksomhedsplan for Økonomi og Stab 2016-2017\n\nMål: Et mål\n\nDokumentation: Noget\n",
        encoding="utf-8",
    )
    assert maalspor.parse(path).title == "Virksomhedsplan for Økonomi og Stab 2016-2017"
    capped = maalspor.parse(path, settings=SegmentSettings(max_heading_chars=20))
    assert capped.title is not None and len(capped.title) <= 21
    assert any("title cut at 20 characters" in w for w in capped.warnings)


def test_threshold_reaches_the_matcher_through_settings(plan_2015, plan_2016):
    strict = maalspor.lineage([plan_2015, plan_2016], settings={"matching": {"threshold": 0.99}})
    assert strict.settings.threshold == 0.99
    loose = maalspor.lineage([plan_2015, plan_2016], threshold=0.2)
    assert len(strict.links) < len(loose.links)
