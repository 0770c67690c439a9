"""Every threshold of maalspor, in one frozen settings object with defaults.

`Settings` holds one frozen dataclass per stage (as pdfplumber's `TableSettings` and docling's
pipeline options): it is built once, by the API or the command line, and passed down to each
stage, which hands its functions the part they need. No stage reads a threshold from a module
constant or a global. Change one with `Settings().replace(extract={"min_gutter": 12.0})` or
`dataclasses.replace`:

    import maalspor
    from maalspor.settings import Settings, LayoutSettings

    settings = Settings(layout=LayoutSettings(bold_heading_max_chars=60))
    plan = maalspor.parse("plan.pdf", settings=settings)

The Danish language rules (labels, verdict phrases, matching words and weights) are data, not
settings: `pipeline/rules/*.toml`, extended with `--rules`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ExtractSettings:
    """Thresholds of extraction, the geometry stage (`maalspor.extract`)."""

    # --- rows and text columns (pipeline/extract/columns.py)
    # Words whose centres lie within this share of their size of each other vertically share a
    # row. Half a line: tighter splits sub/superscripts off, looser merges adjacent lines.
    row_tolerance_ratio: float = 0.5
    # A gutter between text columns is at least this wide (points). Word spaces in justified
    # 10 pt text reach ~6 pt; office suites set column gaps of 12 pt (Word: 0.5 cm = 14 pt).
    min_gutter: float = 9.0
    # Two words this many font sizes apart, beside a gutter, stand in two columns (cells) even
    # when one reaches into the gutter; justified text rarely stretches a space this far.
    cell_gap_ratio: float = 0.8
    # The gutter is a valley of its strip: where at most this share of the rows more than the
    # fewest cross it (a heading or a long word may reach into a gutter's edge).
    valley_slack: float = 0.05
    # Each side of a gutter holds at least this share of the text width, so a bullet column or
    # a hanging label ("Mål" in the margin) is never taken for a text column ...
    min_column_share: float = 0.22
    # ... and at least this many rows that lie wholly on that side.
    min_column_rows: int = 3
    # A gutter may be crossed by this share of the rows (full-width headings and titles).
    max_gutter_crossings: float = 0.35
    # A gap between two words wider than this many font sizes is no word space but a tab stop
    # or a margin column ("Mål" at the margin, its text further right): it is kept as a tab.
    tab_gap_ratio: float = 2.0
    # A word starting this close (points) left of a gutter's right edge starts the column
    # right of it.
    gutter_edge_slack: float = 1.0
    # Columns (and gutters) whose widths differ by at most this share of the column width form
    # a regular grid, which goes on at the same pitch on the neighbouring pages.
    grid_tolerance: float = 0.05
    # ... of at most this many columns (newspaper pages hold up to five or six).
    grid_max_columns: int = 6
    # --- tables drawn without rulings whose header row shows the columns (extract/headers.py)
    # A header row: at least this many cells side by side (two columns wide enough for the
    # gutter rule need none), each of at most this many words ...
    header_min_cells: int = 3
    header_max_words: int = 6
    # ... over columns apart by a strip without ink at least this many font sizes wide (a word
    # space is a quarter of one; a cell's padding on both sides, about one) ...
    header_gutter_ratio: float = 0.5
    # ... down to a row set this much larger than the header (a section heading).
    header_end_size_ratio: float = 1.12
    # --- ruled tables (pipeline/extract/cells.py)
    # A table needs this many cells; a single ruled box is a frame around text.
    min_table_cells: int = 2
    # Cell edges this close (points) are one column boundary; a word's centre this far outside
    # a cell still belongs to it.
    cell_edge_tolerance: float = 2.0
    cell_slack: float = 1.0
    # --- running headers and footers (pipeline/extract/furniture.py)
    # They stand within this share of the page height from its top or bottom,
    furniture_band: float = 0.10
    # ... at least this many of their line heights apart from the body text,
    furniture_min_gap: float = 1.0
    # ... at the same distance from the page's edge on every page (within this many points),
    furniture_position_tolerance: float = 3.0
    # ... on at least this share of the pages (and two).
    furniture_min_share: float = 0.3
    # --- footnotes and undecodable pages (pipeline/extract/reader.py)
    # Footnote text and reference marks are set at most this share of the body size, under a
    # rule at most this share of the text width.
    footnote_size_ratio: float = 0.85
    footnote_rule_share: float = 0.45
    # The rule starts at the text's left margin, within this share of the text width.
    footnote_rule_margin: float = 0.1
    # A reference mark stands within this many of its word's sizes after the word, its foot
    # raised at least this share of that size above the word's.
    footnote_mark_gap: float = 0.3
    footnote_mark_raise: float = 0.15
    # A page whose text is more than this share "(cid:NN)" codes cannot be read (no Unicode map).
    undecodable_share: float = 0.5

    # --- plain text plans (maalspor/extract/textfile.py)
    # A text file larger than this many MB (2**20 bytes) is refused before it is read (0: no
    # limit). A 500-page plan as text is about 2 MB; reading one takes ~25 times its size in
    # memory (50 MB: 53 s and 0.8 GB, one 50 MB line 1.4 GB).
    max_text_mb: float = 10.0
    # A text file with more than this share of control characters is binary, not a plan.
    max_control_share: float = 0.01
    # A text file is laid out in columns (pdftotext -layout) when this share of its lines holds
    # a run of three or more spaces inside it.
    laid_out_line_share: float = 0.15

    # --- Word documents (maalspor/extract/docx): limits on what the zip may make the reader do
    # A part that is read (word/document.xml, styles, numbering, headers, footers) may inflate
    # to at most this many bytes: the document part of a 500-page plan is under 20 MB, and a
    # "zip bomb" of 1 MB inflates to 1 GB. The parts read may inflate to this many in all.
    docx_max_part_bytes: int = 64 * 1024 * 1024
    docx_max_total_bytes: int = 256 * 1024 * 1024
    # A zip with more entries is no Word document (Word writes tens: parts, media, rels).
    docx_max_entries: int = 10_000
    # Tables in cells, content controls and text boxes nest at most this deep (a real plan: 3).
    docx_max_depth: int = 64


@dataclass(frozen=True)
class GlyphProportions:
    """Type metrics of a typical text face, in ems: how tall a word's ink is by its letters
    (OCR estimates a word's font size from them), and how far a text layer's word box
    reaches above and below the baseline (pdfplumber boxes of Helvetica, Arial, Calibri and
    DejaVu reach ~0.9-1.0 and ~0.2-0.25)."""

    x_height: float = 0.52
    ascender: float = 0.73  # capitals, digits, b d f h i k l t, accents, the ring of å
    cap_ring: float = 0.88  # Å and accented capitals reach above the capital height
    descender: float = 0.22  # g j p q y and the tails of , ;
    box_ascent: float = 0.93
    box_descent: float = 0.22
    # A bullet ("•") is a filled disc between these sizes that fills this share of its box (a
    # letter's "o" or "e" is a ring: far less).
    bullet_min: float = 0.15
    bullet_max: float = 0.55
    bullet_fill: float = 0.6
    # A one-letter word ("i", "å") is at most this wide: a narrower lone blob of ink between two
    # OCR'd words is the letter Tesseract read into the next word ("i de" read "ide").
    lone_letter_width: float = 0.4


@dataclass(frozen=True)
class OcrSettings:
    """How pages are rendered and read by OCR (`maalspor.extract.ocr`); the defaults suit
    office scans of A4 plans."""

    dpi: int = 300  # Tesseract reads body text best at 300 dpi (its training resolution)
    language: str = "dan"  # Tesseract model(s), e.g. "dan+eng"
    min_confidence: float = 0.0  # words below this (0-100) are dropped
    # Words without a letter or digit below this are specks and scratches (".", "'", "~").
    min_sign_confidence: float = 50.0
    # ... and a word of one letter alone below this: a speck read as "i" (printed ones: 90+).
    min_letter_confidence: float = 85.0
    # Tesseract's page segmentation: 3 = automatic (columns and blocks); layout analysis is ours,
    # so 11 (sparse text) also works and reads lone table cells better on some scans.
    page_segmentation: int = 3
    tessdata: str | None = None  # folder of dan.traineddata; None: TESSDATA_PREFIX, then usual
    dark_level: int = 160  # grey level (0-255) under which a pixel is ink
    min_ruling_length: float = 24.0  # points: longer than any letter's stroke at body sizes
    max_ruling_thickness: float = 3.0  # points: thicker dark runs are pictures or shading
    # A shorter vertical run (a cell's side in a row of one line) is a ruling when it runs from
    # one horizontal ruling to another; at least this long (points).
    min_cell_ruling_length: float = 6.0
    # A horizontal run with ink in more than this share of its columns both within
    # `ruling_side_reach` points above it and within as far below it is letters (the crossbars
    # of a bold word, blurred into one run by a coarse scan), not a ruling.
    ruling_side_reach: float = 2.0
    ruling_max_side_ink: float = 0.5
    # Estimated sizes this close to the page's body size (a share of it) are the body size; a
    # lone word's estimate jitters more (a tail of the line above may reach into its box).
    size_snap: float = 0.15
    lone_word_size_snap: float = 0.25
    # A ruling is painted out with the grey around it up to this far (points), while the row
    # (or column) beside it is darker on average than this grey level.
    ruling_halo: float = 2.0
    halo_level: int = 245
    # A bullet stands first on its line or after a gap this many ems wide (the column beside it).
    bullet_gap: float = 1.0
    # A bullet Tesseract left out is looked for up to this many ems left of a line's first word.
    bullet_reach: float = 1.8
    # Words of one Tesseract line more than this many ems apart stand in different cells or
    # columns.
    run_gap: float = 1.5
    # A page scanned askew is turned straight first: angles up to this many degrees either way
    # are tried in steps of this size (a sheet fed by hand is off by up to a degree or two),
    # on a copy of the page at about this resolution (dpi; enough to see lines of text).
    # Grey this light or lighter is paper or a cell's fill, made white before Tesseract reads
    # the page (print is darker than 100; a table's shading lighter than 180).
    fill_level: int = 180
    # The edges of filled boxes are rulings (`ocr_image.fill_edges`): grey darker than
    # `paper_level` meets paper along a ruling's length, with fill over `fill_edge_min_share`
    # of the `fill_band` points inside the edge.
    fill_edges: bool = True
    paper_level: int = 244
    fill_band: float = 1.5
    fill_edge_min_share: float = 0.8
    fill_edge_steps: float = 0.5  # points: an edge that steps by up to this much is one edge
    # Ink no word read covers (`ocr_image.missed_ink`: Tesseract's layout analysis leaves a lone
    # short word, such as a table's header label on a fill, out now and then) is read again,
    # region by region, as one block of text (page segmentation `missed_page_segmentation`);
    # words read so with less confidence than `missed_min_confidence` are dropped. A region:
    # ink gathered in cells `missed_cell` points wide (a cell counts from `missed_cell_ink`
    # pixels of ink) after the read words' boxes, grown by `missed_pad` points, are cleared;
    # `missed_min_height` to `missed_max_height` points tall (a letter to two lines of a large
    # heading), at least `missed_min_width` wide, ink over `missed_min_ink` of its box.
    missed_page_segmentation: int = 6
    missed_min_confidence: float = 70.0
    missed_cell: float = 3.0
    missed_cell_ink: int = 4
    missed_pad: float = 1.5
    missed_min_height: float = 5.0
    missed_max_height: float = 40.0
    missed_min_width: float = 6.0
    missed_min_ink: float = 0.08
    max_skew: float = 2.0
    skew_step: float = 0.1
    skew_dpi: int = 75
    glyphs: GlyphProportions = field(default_factory=GlyphProportions)


@dataclass(frozen=True)
class LayoutSettings:
    """Thresholds of the layout analysis (`maalspor.segment.layout`), which turns bands of
    columns holding labels side by side into table cells."""

    # What typography makes a heading, here and in segmentation: a line this much larger than
    # the body text, or bold text at body size up to this many characters (a heading of one or
    # two lines; a bold sentence is longer).
    heading_size_ratio: float = 1.12
    bold_heading_max_chars: int = 110
    # Two lines stand side by side when their tops differ by at most this share of their size.
    same_row_share: float = 0.5
    # Rows of a table whose labels stand only in its header start where paragraphs start side
    # by side: after a gap this many times the usual gap between lines and this share of the
    # type size.
    paragraph_gap_ratio: float = 1.8
    paragraph_gap_min: float = 0.4
    # A line belongs to a row when its top is at most this many points above the row's start.
    row_tolerance: float = 2.0
    # Rows of such a table that go on at the top of the next page without its header are cut
    # as if a header stood this many points above them.
    continued_header_offset: float = 100.0


@dataclass(frozen=True)
class SegmentSettings:
    """Thresholds of segmentation (`maalspor.segment`): paragraphs, headings, table rows."""

    # A line starts a new paragraph when the space above it is this much larger than the usual
    # space between lines of one paragraph in the document (measured, not assumed: office
    # suites set paragraph spacing of 0.3-1 line, line spacing varies by font).
    paragraph_gap_factor: float = 1.5
    # ... and at least this much (line heights) larger.
    min_paragraph_margin: float = 0.1
    # The usual spacing is measured on gaps under this many line heights (larger ones are
    # paragraph breaks); a document with no such gap is taken to space its lines this far.
    max_line_gap: float = 2.0
    fallback_line_gap: float = 0.25
    # Two lines whose type sizes differ by more than this share of the larger are of different
    # paragraphs (a heading above body text).
    size_change_share: float = 0.1
    # A list item's later lines hang indented; a line at most this far (points) right of the
    # marker's indent starts the next item.
    hanging_indent_slack: float = 1.0
    # A heading in capitals at body size and weight: at least this share of its letters
    # upper-case, and this many letters ("IT" is an abbreviation, no heading).
    uppercase_heading_share: float = 0.8
    uppercase_heading_min_letters: int = 6
    # A heading in bold or capitals at body size (or a cell that spans the table) takes at
    # most this many lines.
    heading_max_lines: int = 2
    # A line was ended by the column's edge when the next word would have run past it by more
    # than this many characters' width (what is left of the line is measured from the text).
    wrap_slack: float = 0.5
    # Text input has no typography: a heading there is one short line.
    text_heading_max_chars: int = 90
    # Titles, names and headings are cut at this many characters (with a warning): a title
    # page holds a few lines; a text of one line a megabyte long must not become a title
    # copied into every manifest and report.
    max_heading_chars: int = 300
    # A header row's cells that are no labels ("Nr.", "Ansvarlig", "Frist") are at most this
    # long.
    header_cell_max_chars: int = 25
    # Two tables on consecutive pages are one when their inner column boundaries differ by at
    # most this share of the table's width.
    same_column_share: float = 0.10
    # ... or this many points, however narrow the table.
    min_column_tolerance: float = 3.0
    # Label words nobody listed (`maalspor.segment.discovery`): a label is at most this many
    # words and characters ("Sådan måler vi", "Resultat pr. 31.12.") ...
    discovery_max_words: int = 4
    discovery_max_chars: int = 40
    # ... repeated at least this many times (two goals make a plan's structure) ...
    discovery_min_repeats: int = 2
    # ... and the documentation or follow-up label follows the goal label in at least this
    # share of the blocks.
    discovery_block_share: float = 0.5


@dataclass(frozen=True)
class VerdictSettings:
    """How follow-up texts are read (`maalspor.verdicts`)."""

    # Texts classified together (one spaCy pass); records are still written in input order.
    chunk_size: int = 256
    # The learned layer (`maalspor.verdicts.learned`) reads every text; off, the phrase rules of
    # verdicts.toml alone decide (as before issue 23).
    learned: bool = True
    # A rule verdict decided by these kinds of words is kept as it is; any other is the learned
    # layer's. Chosen by cross-validation over the training rounds (docs/verdicts.md).
    trusted_rule_kinds: tuple[str, ...] = (
        "verdict",
        "field",
        "mixed",
        "number",
        "activity",
        "delivered",
    )
    # A trusted rule verdict is doubted (and left to the model) where the meaning reader says
    # otherwise: numbers read the other way, a denied completion inside its words, a later
    # contrasting clause with a status (`maalspor.verdicts.learned.trusted`).
    doubt_rules: bool = True
    # An untrusted rule verdict is replaced by the model's only when the model gives its status
    # at least this (calibrated) probability. Chosen by cross-validation too.
    model_min_probability: float = 0.4
    # Where the rules found nothing (unknown), the model must be at least this sure (and the
    # text must hold verdict words): activity described without a verdict stays unknown.
    model_min_probability_over_nothing: float = 0.45
    # `continued`: the rules' value stands, unless the model gives the other value (true for
    # false, false for true; never "not said") at least this (calibrated) probability; None: the
    # rules' value always stands. Chosen by cross-validation.
    model_continued_over_rules: float | None = None
    # Where the rules say nothing of `continued`, the model's value only from this probability.
    model_continued_min_probability: float = 0.0
    # A compound's last part takes the meaning of a listed lemma of at least this many letters
    # ("projektstop" → stop); shorter lemmas ("nå") end too many unrelated words.
    min_compound_part: int = 4
    # A word with a negating prefix ("uopfyldt") denies a listed word of at least this many
    # letters after the prefix ("uheld" is no denied "held").
    min_prefixed_stem: int = 4
    # A negation also denies the words this many tokens before it ("nåede ikke").
    negation_reach_back: int = 2
    # An entry of several words is read across at most this many words of `middle_field`
    # between its first word and the rest ("tager vi det ikke med" → "tage med").
    middle_field_words: int = 4
    # A completion word with an indefinite article within this many words after it in its
    # clause ("gennemførte ØS en undersøgelse") reports an activity, not the goal reached.
    indefinite_object_words: int = 3
    # A result that misses its target by at most this share of the target is a close miss.
    close_miss_share: float = 0.1
    # A per cent from this share (and below 100) is "most of it".
    most_share: float = 0.8
    # A target's number stands at most this many words after its word ("målet var på højst 30").
    target_gap_words: int = 4
    # A change's amount follows its change word within this many words ("faldt med 6 %", "et fald
    # på 8 %"; a change word also lengthens a target's gap by as much), and the values of "fra A
    # til B" their "fra" / "til" within this many (a unit between).
    change_reach_words: int = 3
    change_value_reach_words: int = 2
    # With no result before its target, the result is looked for this many words after it.
    result_after_words: int = 30
    # The second reader of results against targets (`maalspor.verdicts.targets`): a bound
    # ("højst", "under") stands at most this many words before its number; a value is an
    # earlier one when a marker ("året før") follows it within this many words; a measure word
    # of at most this many letters ("kø", "tid") names a measure only at a word's end.
    bound_reach_words: int = 2
    earlier_reach_words: int = 4
    short_measure_letters: int = 3
    # "17/24" is a count only when its whole is at least this (14/6 and 1/4 are dates).
    fraction_min_whole: int = 13
    # A text of at most this many words is a terse cell ("Gult lys", "Annulleret").
    terse_words: int = 3
    # A harm is said not to have happened when a word of none stands at most this many words
    # before it in its clause ("ikke et eneste kritisk sikkerhedsbrud"; `absences.py`).
    harm_quantifier_words: int = 3
    # A completion word labels the value after it, not the goal ("realiseret 1,87 mio. ton",
    # "Realiseret reduktion: 7,5 %") when a number follows it at once, past a colon, or past at
    # most this many words and a colon (`wordbook.labels_a_value`).
    value_label_words: int = 2
    # A number followed by at most this many words and a colon, and a number after it, is part
    # of the measure's name ("Patienter med ≥ 1 bæltefiksering: 2022: 312"), no value
    # (`number_words.names_the_measure`).
    measure_name_words: int = 3
    # A word of none at most this many words before a bound in its clause turns it around
    # ("ingen borger skal vente mere end tre måneder": a ceiling; `number_words.turned_by_none`).
    none_bound_words: int = 5


@dataclass(frozen=True)
class MatchingSettings:
    """Settings of the matcher (`maalspor.match`) that are no language data: the weights and
    thresholds of the signals are in `pipeline/rules/matching.toml`."""

    # Lowest probability of a link; None: the one the link model was calibrated with
    # (maalspor/match/link_model.json).
    threshold: float | None = None
    # Two plans with up to this many pairs of goals have every pair scored; larger plans are
    # searched by the words their goals share (an inverted index), each goal keeping its
    # `candidates_per_goal` best, so that the cost grows with the goals, not their pairs.
    all_pairs_limit: int = 40_000
    candidates_per_goal: int = 20
    # ... where a word used by more than this many times `candidates_per_goal` later goals is
    # not looked up (it says little about which goal is meant, and costs the most).
    max_postings_factor: int = 5
    # Groups of competing pairs with more goals than this are assigned best pair first, not
    # exactly (the exact assignment costs the cube of a group's size).
    exact_assignment_limit: int = 400
    # The goals of a merge that no one pair shows well (`assign`'s third pass): a pair of at
    # least this probability whose later goal is linked and whose earlier goal is free is
    # linked when the earlier goal supplies at least `partial_link_supplied` of the later goal's
    # words (IDF-weighted) that its predecessors so far lack. Chosen by leave-one-author-out
    # cross-validation on the lineage corpus (docs/matching.md); the link model's thresholds
    # were chosen with them.
    partial_link_min: float = 0.10
    partial_link_supplied: float = 0.15


@dataclass(frozen=True)
class ReviewSettings:
    """The review server (`maalspor review`, `maalspor.review`)."""

    # Where it listens: this machine only, unless told otherwise; port 0 is any free port.
    host: str = "127.0.0.1"
    port: int = 0
    # A decision is a small JSON object: a body larger than this is refused (413) unread.
    max_request_bytes: int = 64 * 1024
    # A note is a sentence or a paragraph, not a document.
    max_note_chars: int = 2000
    # An entry names its goals by id and by the start of their text, cut at a word within this
    # many characters (as the report's copy buttons do), so it survives a renumbering.
    entry_text_chars: int = 60


@dataclass(frozen=True)
class Settings:
    """All of maalspor's settings: one part per stage, each with its defaults."""

    extract: ExtractSettings = field(default_factory=ExtractSettings)
    ocr: OcrSettings = field(default_factory=OcrSettings)
    layout: LayoutSettings = field(default_factory=LayoutSettings)
    segment: SegmentSettings = field(default_factory=SegmentSettings)
    verdicts: VerdictSettings = field(default_factory=VerdictSettings)
    matching: MatchingSettings = field(default_factory=MatchingSettings)
    review: ReviewSettings = field(default_factory=ReviewSettings)

    def replace(self, **parts: Mapping[str, Any] | Any) -> Settings:
        """A copy with some values changed: `replace(extract={"min_gutter": 12.0})` changes one
        threshold of a part, `replace(extract=ExtractSettings(...))` the whole part."""
        changes: dict[str, Any] = {}
        for name, value in parts.items():
            current = getattr(self, name)  # AttributeError names an unknown part
            changes[name] = (
                dataclasses.replace(current, **value) if isinstance(value, Mapping) else value
            )
        return dataclasses.replace(self, **changes)

    @classmethod
    def resolve(cls, settings: Settings | StageSettings | Mapping[str, Any] | None) -> Settings:
        """The defaults for None; a `Settings` as it is; one stage's part (an
        `ExtractSettings`, ...) with the defaults of the others; or one built from a dict of
        parts (`{"extract": {"min_gutter": 12.0}}`)."""
        if settings is None:
            return DEFAULT_SETTINGS
        if isinstance(settings, Settings):
            return settings
        for part in dataclasses.fields(cls):
            if type(settings) is _PART_TYPES[part.name]:
                return DEFAULT_SETTINGS.replace(**{part.name: settings})
        if not isinstance(settings, Mapping):
            raise TypeError(f"not maalspor settings: {type(settings).__name__}")
        return DEFAULT_SETTINGS.replace(**settings)


StageSettings = (
    ExtractSettings
    | OcrSettings
    | LayoutSettings
    | SegmentSettings
    | VerdictSettings
    | MatchingSettings
    | ReviewSettings
)
_PART_TYPES: dict[str, type] = {
    "extract": ExtractSettings,
    "ocr": OcrSettings,
    "layout": LayoutSettings,
    "segment": SegmentSettings,
    "verdicts": VerdictSettings,
    "matching": MatchingSettings,
    "review": ReviewSettings,
}
DEFAULT_SETTINGS = Settings()
