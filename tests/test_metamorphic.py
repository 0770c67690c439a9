"""Metamorphic layout tests: one plan's content in many layouts parses to the same goals.

`tests/metamorphic.py` prints the same plan with other labels, columns, tables, page sizes and
type sizes, and shifted line by line past page and column breaks. Every variant must give the
goals, documentation items and follow-ups of the plain variant, text for text. The wider sweep
is `benchmarks/layout_sweep.py`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests import metamorphic as M

# Frame height of the sweeps: ~20 lines a page, so a shift of 0..20 lines puts a break at every
# line of the plan while each PDF stays a few small pages.
FRAME = 260.0


def _leading(style: M.Style) -> float:
    return round(style.size * 1.25, 2)


def _sweep(style: M.Style, stride: int = 2, frame: float = FRAME) -> list[M.Style]:
    framed = dataclasses.replace(style, frame_height=frame)
    steps = int(frame / _leading(style)) + 1
    return M.sweep(framed, steps, _leading(style))[::stride]


PLAIN = M.Style()
BASES = [
    *(M.Style(labels=labels, columns=columns) for labels in M.FLOW_LABELS for columns in (1, 2, 3)),
    *(
        M.Style(labels="grid", ruled=ruled, repeat_header=repeat)
        for ruled in (True, False)
        for repeat in (True, False)
    ),
    M.Style(labels="key_value"),
    M.Style(labels="key_value", ruled=False),
    M.Style(page="Letter"),
    M.Style(page="Letter", labels="own_line", columns=2, margin=72.0, size=9.0),
    M.Style(labels="grid", page="Letter", size=11.0, margin=40.0),
    M.Style(labels="bold", size=12.0, margin=90.0),
    M.Style(labels="upper", columns=2, size=8.5),
]
SWEEPS = [
    *(_sweep(M.Style(labels=labels)) for labels in ("inline", "own_line", "bullet")),
    *(_sweep(M.Style(labels=labels, columns=2)) for labels in ("inline", "upper", "bold")),
    *(_sweep(M.Style(labels=labels, columns=3)) for labels in ("own_line", "bullet")),
    *(
        _sweep(M.Style(labels="grid", ruled=ruled, repeat_header=repeat))
        for ruled in (True, False)
        for repeat in (True, False)
    ),
    _sweep(M.Style(labels="key_value")),
    _sweep(M.Style(labels="key_value", ruled=False)),
]
VARIANTS = list(dict.fromkeys([*BASES, *(s for sweep in SWEEPS for s in sweep)]))


class _Corpus:
    """Variants rendered and parsed once per session, on demand."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache: dict[M.Style, tuple[M.Cuts, dict]] = {}

    def get(self, style: M.Style) -> tuple[M.Cuts, dict]:
        if style not in self.cache:
            path = self.root / f"v{len(self.cache)}.pdf"
            cuts = M.render(style, path)
            self.cache[style] = (cuts, M.parse(path))
            path.unlink()
        return self.cache[style]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> _Corpus:
    return _Corpus(tmp_path_factory.mktemp("metamorphic"))


def test_the_plain_variant_reads_the_content(corpus):
    _, got = corpus.get(PLAIN)
    assert M.differences(got, M.expected()) == []


@pytest.mark.parametrize("style", [pytest.param(s, id=s.name) for s in VARIANTS])
def test_every_variant_gives_the_goals_of_the_plain_one(corpus, style):
    _, want = corpus.get(PLAIN)
    _, got = corpus.get(style)
    assert M.differences(got, want) == []


def test_the_sweeps_cut_every_field_item_label_and_heading():
    """Rendering only: over the sweeps, a page break falls inside or right before every goal,
    documentation item, label line and heading, and so does a column break."""
    owners = M.owners()
    page: set[str] = set()
    column: set[str] = set()
    for styles in (
        _sweep(M.Style(labels="inline"), stride=1),
        _sweep(M.Style(labels="own_line"), stride=1),
        _sweep(M.Style(labels="own_line", columns=2), stride=1),
        _sweep(M.Style(labels="own_line", columns=3), stride=1),
        _sweep(M.Style(labels="own_line", columns=2), stride=1, frame=200.0),
    ):
        for style in styles:
            cuts = M.render(style, Path("/dev/null"))
            page |= cuts.page
            column |= cuts.column
    assert owners - page == set()
    assert owners - column == set()


# --- the five classes of layout the issue names, each on its own ------------------------------


def test_a_label_opening_every_page_is_no_running_header(corpus):
    """Class 1: "Dokumentation:" is the first line of several pages, at the same place and in
    the same font each time; it is still a label, not furniture."""
    for style in (
        M.Style(labels="own_line", doc_on_new_page=True),
        M.Style(labels="upper", doc_on_new_page=True),
    ):
        cuts, got = corpus.get(style)
        assert cuts.pages >= 4
        assert M.differences(got, M.expected()) == [], style.name


@pytest.mark.parametrize(
    ("ruled", "repeat"),
    [
        pytest.param(True, True, id="ruled-header-repeated"),
        pytest.param(True, False, id="ruled-header-once"),
        pytest.param(False, True, id="unruled-header-repeated"),
        pytest.param(False, False, id="unruled-header-once"),
    ],
)
def test_grid_rows_split_over_a_page_break(corpus, ruled, repeat):
    """Class 2: "Mål | Dokumentation" grids whose rows run over a page break, the header row
    repeated on the next page or not: no goal lost, none split in two."""
    split = 0
    for style in _sweep(M.Style(labels="grid", ruled=ruled, repeat_header=repeat)):
        cuts, got = corpus.get(style)
        rows = {o for o in cuts.page if o[0] in "gf" and not o.endswith(":label")}
        if rows:
            split += 1
            assert M.differences(got, M.expected()) == [], style.name
    assert split >= 3


@pytest.mark.parametrize("columns", [2, 3])
def test_newspaper_column_breaks_inside_a_field(corpus, columns):
    """Class 3: a goal, documentation item or Opfølgning running from the foot of one column
    to the head of the next is one text."""
    cut = 0
    for labels in ("inline", "own_line", "bullet"):
        for style in _sweep(M.Style(labels=labels, columns=columns), stride=3):
            cuts, got = corpus.get(style)
            if any(o[0] in "gf" and not o.endswith(":label") for o in cuts.column):
                cut += 1
                assert M.differences(got, M.expected()) == [], style.name
    assert cut >= 3


@pytest.mark.parametrize("labels", ["inline", "own_line", "bold"])
def test_a_follow_up_heading_wrapped_in_a_narrow_column(corpus, labels):
    """Class 4: "Opfølgning på Økonomi og Stabs" / "mål 2016-2017" over two or three lines of a
    narrow column still opens the follow-up part."""
    style = M.Style(labels=labels, columns=3)
    builder = M._Builder(style)
    heading = builder.heading(M.FOLLOW_UP_HEADING, "h:fu", 1.4)
    assert len([line for line in heading if not line.gap]) >= 2  # it does wrap
    _, got = corpus.get(style)
    assert got["follow_ups"] == M.expected()["follow_ups"]
    assert got["goals"] == M.expected()["goals"]


@pytest.mark.parametrize("labels", ["inline", "grid", "key_value"])
def test_line_initial_ordinals_are_no_list_numbers(corpus, labels):
    """Class 5: a line that begins "9. eller 10. klasse", "1. halvår", "2. behandling" goes on
    with the sentence before it: no sub-goal, no note, nothing lost."""
    _, got = corpus.get(M.Style(labels=labels))
    want = M.expected()
    assert got == want
    assert "9. eller 10. klasse" in got["goals"][0][0]
    assert any("1. halvår" in item for item in got["goals"][0][1])


@pytest.mark.parametrize("labels", ["inline", "bold"])
def test_a_column_holding_only_the_last_word_of_a_text(corpus, labels):
    """Three columns on Letter: the plan's last word ("ind.") stands alone in the second column
    of the last page, and no page shows the gutter before it (the page before fills only its
    second and third columns): the regular grid of that page's columns implies it."""
    style = M.Style(
        labels=labels, columns=3, page="Letter", margin=72.0, size=9.0, frame_height=FRAME
    )
    style = dataclasses.replace(style, shift=21 * _leading(style))
    cuts, got = corpus.get(style)
    assert cuts.pages == 3
    assert M.differences(got, M.expected()) == []


def test_extraction_is_geometric():
    """Importing the geometry stage (pipeline/extract/reader.py and what it uses: columns, cells,
    furniture, engines) loads no rules, labels, language module or spaCy, in a fresh
    interpreter: which blocks make a table drawn without rulings, and which margin lines are
    page numbers, is pipeline/segment/layout.py's to decide."""
    import subprocess
    import sys

    code = (
        "import sys, maalspor.extract.reader; "
        "print('\\n'.join(sorted(m for m in sys.modules if m.startswith(('spacy', 'maalspor.')))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert (
        "maalspor.extract.reader" in loaded and "maalspor.extract.columns" in loaded
    )  # the probe works
    language = (
        "maalspor.rules",
        "maalspor.segment.labels",
        "maalspor.outputs.names",
        "maalspor.language.nlp",
        "spacy",
    )
    layout = ("maalspor.segment.layout", "maalspor.segment.structure", "maalspor.segment.segmenter")
    assert [m for m in loaded if m.startswith(language + layout)] == []
