"""maalspor.parse on generated layouts: every layout of tests/layouts.py, each with two plans.

The expected texts come from the declarative specs in tests/layouts.py (expected_goals,
expected_follow_ups, expected_sections): what a reader sees, with hyphenation undone and
whitespace collapsed. Where each goal starts is what the renderer recorded while drawing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from tests import layouts as L

# (layout, spec, options): each layout with both plans; options vary between the two.
CASES = [
    ("inline_table", L.ROSKILDE, {}),
    ("inline_table", L.VEJLE, {}),
    ("header_grid", L.ROSKILDE, {"repeat_header": True}),
    ("header_grid", L.VEJLE, {"repeat_header": False}),
    ("single_column", L.ROSKILDE, {}),
    ("single_column", L.VEJLE, {}),
    ("two_columns", L.ROSKILDE, {}),
    ("two_columns", L.VEJLE, {}),
    ("uppercase_labels", L.ROSKILDE, {"colon": True}),
    ("uppercase_labels", L.VEJLE, {"colon": False}),
    ("label_margin", L.ROSKILDE, {}),
    ("label_margin", L.VEJLE, {}),
    ("key_value_table", L.ROSKILDE, {"extra_rows": False}),
    ("key_value_table", L.VEJLE, {"extra_rows": True}),
    ("grid_extra_columns", L.ROSKILDE, {"header_style": "one_line"}),
    ("grid_extra_columns", L.VEJLE, {"header_style": "two_lines"}),
    ("borderless_table", L.ROSKILDE, {}),
    ("borderless_table", L.VEJLE, {}),
    ("numbered_goals", L.ROSKILDE, {"numbering": "dotted"}),
    ("numbered_goals", L.VEJLE, {"numbering": "global"}),
    ("landscape_three_columns", L.ROSKILDE, {"rotate": False}),
    ("landscape_three_columns", L.VEJLE, {"rotate": True}),
    ("mixed_scan", L.ROSKILDE, {"base": "inline_table", "at": "after_toc"}),
    ("mixed_scan", L.VEJLE, {"base": "label_margin", "at": "before_follow_up"}),
]


def _case_id(case) -> str:
    layout, spec, options = case
    suffix = "".join(f"-{k}={v}" for k, v in options.items())
    return f"{layout}-{spec.key.split('-')[0]}{suffix}"


IDS = [_case_id(c) for c in CASES]
LABEL_RE = re.compile(
    r"\b(?:mål(?:\s+\d+(?:\.\d+)*|\s+for\s+\d{4})?|målsætning|dokumentation|succeskriterier|"
    r"opfølgning|status)\s*:",
    re.IGNORECASE,
)
BARE_LABELS = {
    "mål",
    "målsætning",
    "dokumentation",
    "succeskriterier",
    "opfølgning",
    "status og opfølgning",
    "ansvarlig",
    "frist",
    "tidsfrist",
    "nr.",
}
PAGE_NUMBER_RE = re.compile(r"(?:\bSide \d+\b|^-\s*\d+\s*-$|\b\d+/\d+$|\bSide \d+ af \d+)")


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("layouts")
    return {
        case_id: L.render(layout, spec, root / f"{case_id}.pdf", **options)
        for case_id, (layout, spec, options) in zip(IDS, CASES, strict=True)
    }


_PARSED: dict[Path, object] = {}


def _parse(path: Path):
    """maalspor.parse once per file; a failure is remembered and raised again for every test."""
    if path not in _PARSED:
        try:
            from maalspor import parse

            _PARSED[path] = parse(path)
        except Exception as error:  # the parser may be missing or fail: every test says so
            _PARSED[path] = error
    result = _PARSED[path]
    if isinstance(result, Exception):
        pytest.fail(f"parse({path.name}) raised {type(result).__name__}: {result}")
    return result


@pytest.fixture(params=CASES, ids=IDS)
def case(request, corpus):
    layout, spec, _options = request.param
    path = corpus[_case_id(request.param)]
    return layout, spec, path


def _fields(item) -> list[tuple[str, str]]:
    out = [("text", item.text), ("note", item.note or "")]
    out += [("subgoal", s) for s in item.subgoals]
    out += [("documentation", d) for d in item.documentation]
    if hasattr(item, "follow_up"):
        out.append(("follow_up", item.follow_up or ""))
    return out


# ---------------------------------------------------------------------------------------------
# The corpus itself: the layouts really show what they claim (no parser needed)
# ---------------------------------------------------------------------------------------------


def _first_words(text: str, n: int = 2) -> str:
    return " ".join(text.split()[:n])


def test_corpus_pages_hold_the_goals(case):
    layout, spec, path = case
    info = L.layout_info(path)
    goals = L.expected_goals(spec, layout)
    follow_ups = L.expected_follow_ups(spec, layout)
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == info["pages"]
        texts = [" ".join((p.extract_text() or "").split()) for p in pdf.pages]
    for key, items in (("g", goals), ("f", follow_ups)):
        for i, item in enumerate(items):
            start = info["starts"][f"{key}{i}"]
            assert _first_words(item["text"]) in texts[start["page"] - 1], (key, i)


def test_corpus_has_its_layout_features(case):
    layout, _spec, path = case
    info = L.layout_info(path)
    ends = info["line_ends"]
    _new_layout_features(layout, info, path)
    layout = info.get("base", layout)  # mixed_scan: the layout it was made from
    if layout == "single_column":
        assert "It-" in ends and "lands-" in ends
        assert any(e.endswith("-") and e[:-1].isalpha() and e not in L.BREAK_TARGETS for e in ends)
    if layout in ("inline_table", "label_margin"):
        assert info["toc_pages"], "no table of contents"
    if layout == "header_grid":
        assert any(s["first_cell_done"] for s in info["splits"]), "no row split with empty Mål"
    if layout == "two_columns":
        spans = {k: [tuple(x) for x in v] for k, v in info["spans"].items()}
        assert any((p, 0) in v and (p, 1) in v for v in spans.values() for p, _ in v)
        assert any((p, 1) in v and (p + 1, 0) in v for v in spans.values() for p, _ in v)
    if layout == "inline_table":
        with pdfplumber.open(path) as pdf:
            toc = pdf.pages[info["toc_pages"][0] - 1].extract_text()
        assert re.search(r"\.{5,}\s*\d+\s*$", toc, re.MULTILINE), "no dot leaders"


def _goal_pages(info: dict) -> set[int]:
    return {s["page"] for s in info["starts"].values()}


def _new_layout_features(layout: str, info: dict, path: Path) -> None:
    splits = info["splits"]
    with pdfplumber.open(path) as pdf:
        pages = list(pdf.pages)
        if layout == "key_value_table":
            assert any(any(s["continues"][1:]) for s in splits), "no row split over a page"
            table = pages[info["starts"]["g0"]["page"] - 1].extract_tables()[0]
            assert [row[0] for row in table[:2]] == ["Mål", "Dokumentation"]
            assert info["options"]["extra_rows"] == bool(info["foreign"])
        if layout == "grid_extra_columns":
            assert any(s["owner"].startswith("g") and s["continues"][1] for s in splits)
            text = pages[0].extract_text() + pages[1].extract_text()
            assert "Ansvarlig" in text and "Frist" in text and "(hvad vil vi opnå?)" in text
            assert "Dokumentation/succeskriterier" in pages[-1].extract_text()
        if layout == "borderless_table":
            assert all(not p.lines and not p.rects and not p.curves for p in pages)
            starts = [s["page"] for k, s in info["starts"].items() if k.startswith("g")]
            assert max(starts.count(p) for p in starts) >= 3, "no page with several goal rows"
        if layout == "numbered_goals":
            text = " ".join(p.extract_text() for p in pages)
            assert "Succeskriterier:" in text and "Status på målene for" in text
            assert re.search(r"Mål (?:\d+\.\d+|\d+|for \d{4}):", text)
            words = pages[0].extract_words(extra_attrs=["fontname", "size"])
            heading = next(w for w in words if w["text"] == "INDLEDNING")
            assert "Bold" not in heading["fontname"] and heading["size"] == 10.0
        if layout == "landscape_three_columns":
            wide = [i + 1 for i, p in enumerate(pages) if p.width > p.height]
            assert wide and _goal_pages(info) <= set(wide) and pages[0].width < pages[0].height
            assert bool(info["rotated_pages"]) == info["options"]["rotate"]
            assert all(pages[i - 1].rotation == 90 for i in info["rotated_pages"])
            words = [w["text"] for p in pages[1:] for w in p.extract_words()]
            assert "▪" in words and "–" in words
            fonts = {c["fontname"] for p in pages for c in p.chars}
            assert "Times-Roman" in fonts and "Times-Bold" in fonts
        if layout == "mixed_scan":
            (scan,) = info["image_pages"]
            assert not pages[scan - 1].chars and pages[scan - 1].images
            assert all(p.chars for i, p in enumerate(pages, 1) if i != scan)
            assert 1 < scan < len(pages) and scan not in _goal_pages(info)


def test_image_pages_are_named_in_warnings(case):
    _layout, _spec, path = case
    info = L.layout_info(path)
    doc = _parse(path)
    for page in info.get("image_pages", []):
        assert any(re.search(rf"\bpages?\b.*\b{page}\b", w) for w in doc.warnings), doc.warnings


def test_error_files_are_generated(tmp_path):
    from pypdf import PdfReader

    scanned = L.render_scanned(L.ROSKILDE, tmp_path / "scanned.pdf", max_pages=2)
    with pdfplumber.open(scanned) as pdf:
        assert len(pdf.pages) == 2
        assert all(not p.chars for p in pdf.pages) and all(p.images for p in pdf.pages)
    encrypted = L.render_encrypted(L.VEJLE, tmp_path / "encrypted.pdf", "hemmelig")
    reader = PdfReader(encrypted)
    assert reader.is_encrypted and reader.decrypt("hemmelig")
    assert "Handleplan" in reader.pages[0].extract_text()
    cut = L.truncated(encrypted, tmp_path / "truncated.pdf")
    assert 0 < cut.stat().st_size < encrypted.stat().st_size
    assert b"%%EOF" not in cut.read_bytes()[-64:]
    assert not L.not_a_pdf(tmp_path / "not.pdf").read_bytes().startswith(b"%PDF")
    assert L.empty(tmp_path / "empty.pdf").stat().st_size == 0


# ---------------------------------------------------------------------------------------------
# maalspor.parse on every layout
# ---------------------------------------------------------------------------------------------


def test_goal_texts(case):
    layout, spec, path = case
    doc = _parse(path)
    assert [g.text for g in doc.goals] == [e["text"] for e in L.expected_goals(spec, layout)]


def test_goal_subgoals_and_notes(case):
    layout, spec, path = case
    doc = _parse(path)
    expected = L.expected_goals(spec, layout)
    assert [(g.subgoals, g.note) for g in doc.goals] == [
        (e["subgoals"], e["note"]) for e in expected
    ]


def test_goal_documentation(case):
    layout, spec, path = case
    doc = _parse(path)
    expected = L.expected_goals(spec, layout)
    assert [g.documentation for g in doc.goals] == [e["documentation"] for e in expected]


def test_goal_sections(case):
    layout, spec, path = case
    doc = _parse(path)
    expected = L.expected_goals(spec, layout)
    assert [(g.section_number, g.section) for g in doc.goals] == [
        (e["section_number"], e["section"]) for e in expected
    ]
    # The numbered focus areas; the titled groups of the follow-up part are checked through
    # follow_ups[].section (test_follow_ups).
    sections = L.expected_sections(spec, layout)
    assert [(s.number, s.title) for s in doc.sections if s.number is not None] == [
        s for s in sections if s[0] is not None
    ]


def test_follow_ups(case):
    layout, spec, path = case
    doc = _parse(path)
    got = [
        {
            "section": f.section,
            "text": f.text,
            "subgoals": f.subgoals,
            "note": f.note,
            "documentation": f.documentation,
            "follow_up": f.follow_up,
        }
        for f in doc.follow_ups
    ]
    expected = [
        {k: e[k] for k in ("section", "text", "subgoals", "note", "documentation", "follow_up")}
        for e in L.expected_follow_ups(spec, layout)
    ]
    assert got == expected


def test_periods_and_names(case):
    _, spec, path = case
    doc = _parse(path)
    p, fp = spec.period, spec.follow_up.period
    assert doc.period is not None
    assert (doc.period.label, doc.period.start, doc.period.end) == (p.label, p.start, p.end)
    assert doc.follow_up_period is not None
    assert (doc.follow_up_period.label, doc.follow_up_period.start, doc.follow_up_period.end) == (
        fp.label,
        fp.start,
        fp.end,
    )
    assert doc.organisation == spec.organisation
    assert doc.unit == spec.unit
    assert doc.title and p.label in doc.title


def test_no_print_furniture_in_fields(case):
    _, spec, path = case
    doc = _parse(path)
    furniture = {spec.title, spec.organisation, f"{spec.organisation} – {spec.unit}"}
    # Cells of columns and rows that are no fields ("Ansvarlig", "Frist").
    furniture |= set(L.layout_info(path).get("foreign", []))
    for item in [*doc.goals, *doc.follow_ups]:
        for name, value in _fields(item):
            assert not LABEL_RE.search(value), (item.id, name, value)
            assert value.strip().lower() not in BARE_LABELS, (item.id, name, value)
            assert not PAGE_NUMBER_RE.search(value), (item.id, name, value)
            assert not any(f in value for f in furniture), (item.id, name, value)


def test_table_of_contents_gives_no_goals(case):
    _layout, _spec, path = case
    info = L.layout_info(path)
    doc = _parse(path)
    toc = set(info["toc_pages"])
    assert not [g.id for g in [*doc.goals, *doc.follow_ups] if g.page in toc]
    keys = [(s.number, s.title) for s in doc.sections]
    assert len(keys) == len(set(keys)), "a section was read twice (table of contents?)"


def test_goal_pages_and_boxes(case):
    _layout, spec, path = case
    info = L.layout_info(path)
    doc = _parse(path)
    items = [("g", g) for g in doc.goals] + [("f", f) for f in doc.follow_ups]
    counts = {"g": len(L.expected_goals(spec)), "f": len(L.expected_follow_ups(spec))}
    assert (len(doc.goals), len(doc.follow_ups)) == (counts["g"], counts["f"])
    index = {"g": 0, "f": 0}
    for key, item in items:
        start = info["starts"][f"{key}{index[key]}"]
        index[key] += 1
        assert item.page == start["page"], (item.id, item.text[:40])
        assert item.bbox is not None, item.id
        width, height = info["page_sizes"][item.page - 1]  # landscape pages are wider
        x0, top, x1, bottom = item.bbox
        assert 0 <= x0 < x1 <= width and 0 <= top < bottom <= height, (item.id, item.bbox)
        ex0, etop, ex1, ebottom = start["bbox"]
        overlaps = x0 < ex1 and ex0 < x1 and top < ebottom and etop < bottom
        assert overlaps, (item.id, item.bbox, start["bbox"])


@pytest.mark.parametrize("case_id", IDS)
def test_output_is_valid_against_the_committed_schema(corpus, case_id):
    from maalspor.outputs.emit import to_json
    from tests.test_schemas import assert_valid

    assert_valid(to_json(_parse(corpus[case_id])), "plan")
