"""Thresholds of extraction (the geometry stage), with their defaults.

One frozen dataclass, as pdfplumber's `TableSettings`: `extract(path, settings=...)` passes it
down to the rows, gutters and reading order (`pipeline/columns.py`), ruled table cells
(`pipeline/cells.py`), running furniture (`pipeline/furniture.py`) and footnotes
(`pipeline/extract.py`). Override one with `dataclasses.replace(DEFAULT_EXTRACT_SETTINGS, ...)`
or `ExtractSettings(min_gutter=12.0)`. The layout analysis has its own, `LayoutSettings`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExtractSettings:
    # --- rows and text columns (pipeline/columns.py)
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
    # --- ruled tables (pipeline/cells.py)
    # A table needs this many cells; a single ruled box is a frame around text.
    min_table_cells: int = 2
    # Cell edges this close (points) are one column boundary; a word's centre this far outside
    # a cell still belongs to it.
    cell_edge_tolerance: float = 2.0
    cell_slack: float = 1.0
    # --- running headers and footers (pipeline/furniture.py)
    # They stand within this share of the page height from its top or bottom,
    furniture_band: float = 0.10
    # ... at least this many of their line heights apart from the body text,
    furniture_min_gap: float = 1.0
    # ... at the same distance from the page's edge on every page (within this many points),
    furniture_position_tolerance: float = 3.0
    # ... on at least this share of the pages (and two).
    furniture_min_share: float = 0.3
    # --- footnotes and undecodable pages (pipeline/extract.py)
    # Footnote text and reference marks are set at most this share of the body size, under a
    # rule at most this share of the text width.
    footnote_size_ratio: float = 0.85
    footnote_rule_share: float = 0.45
    # A page whose text is more than this share "(cid:NN)" codes cannot be read (no Unicode map).
    undecodable_share: float = 0.5


DEFAULT_EXTRACT_SETTINGS = ExtractSettings()
