"""Words on a page → blocks in reading order: rows, the gutters between text columns, bands.

Geometry only (no labels, no language rules), shared by PDF pages (`reader.py`), table cells
(`cells.py`) and plain text laid out in columns (`textfile.py`):
  1. words are grouped into rows by their vertical centre, and
  2. the text columns are found as vertical gutters that (almost) no row crosses, with enough
     text on both sides; a page too short to show its columns takes a neighbouring page's
     (both in `gutters.py`);
  3. rows that cross a gutter (titles, full-width headings) separate bands; in each band the
     columns are read left to right; each text block knows its band and column, and the last
     block of a column or page carries a flow link.
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass, field

from maalspor.extract.geometry import link_columns, mark_page_ends
from maalspor.extract.gutters import (
    Gutter,
    Row,
    carried_gutters,
    crosses,
    find_gutters,
    group_rows,
    snap_gutter,
)
from maalspor.models.page import Block, Line, Word
from maalspor.settings import ExtractSettings


@dataclass
class Item:
    """A thing placed on the page in reading order: a run of rows or a table."""

    top: float
    x0: float
    x1: float
    bottom: float
    rows: list[Row] = field(default_factory=list)
    table_blocks: list[Block] | None = None
    spanning: bool = False  # a row of text across a gutter (a title, a full-width paragraph)
    region: int | None = None  # the table under a header row it is in (`headers.py`), and ...
    column: int = 0  # ... its column there


def flow_items(
    words: list[Word],
    settings: ExtractSettings,
    carried: list[Gutter] | None = None,
) -> tuple[list[Item], list[Gutter]]:
    """Words outside tables → items (rows, cut at the gutters) and the page's gutters."""
    if not words:
        return [], []
    rows = group_rows(words, settings)
    return cut_rows(rows, find_gutters(rows, settings), carried or [], settings)


def cut_rows(
    rows: list[Row],
    found: list[Gutter],
    carried: list[Gutter],
    settings: ExtractSettings,
    implied: list[Gutter] | None = None,
    regions: list[tuple[list[Row], list[Gutter]]] | None = None,
) -> tuple[list[Item], list[Gutter]]:
    """A page's rows → items (rows cut at the gutters) and the gutters used.

    `found` are the gutters the page's own rows show (`find_gutters`). A page with too little
    text to show its columns (a column's last lines, a column holding only a heading, a table's
    last row) also takes the gutters of a neighbouring page (`carried`, first the page before,
    then the page after) where its rows fit them, and last those that their column grids imply
    (`implied`, see `grid_gutters`; measured, not seen, so no found gutter snaps to one).
    The rows of `regions` (tables under a header row, `headers.py`) are cut at their own.
    """
    if not rows:
        return [], []
    found = [snap_gutter(g, rows, carried, settings) for g in found]
    candidates = [*carried, *(implied or [])]
    gutters = sorted({*found, *carried_gutters(rows, candidates, found, settings)})
    items: list[Item] = []
    in_region = {id(r): (k, own) for k, (members, own) in enumerate(regions or []) for r in members}
    for row in rows:
        if id(row) in in_region:
            region, own = in_region[id(row)]
            for col, sub in enumerate(_cut(row, own, settings)):
                if sub is not None:
                    box = {"top": sub.top, "x0": sub.x0, "x1": sub.x1, "bottom": sub.bottom}
                    items.append(Item(**box, rows=[sub], region=region, column=col))
            continue
        if not gutters:
            items.append(Item(top=row.top, x0=row.x0, x1=row.x1, bottom=row.bottom, rows=[row]))
            continue
        if any(crosses(row, g, settings) for g in gutters):
            items.append(
                Item(
                    top=row.top, x0=row.x0, x1=row.x1, bottom=row.bottom, rows=[row], spanning=True
                )
            )
            continue
        for sub in _cut(row, gutters, settings):
            if sub is not None:
                items.append(Item(top=sub.top, x0=sub.x0, x1=sub.x1, bottom=sub.bottom, rows=[sub]))
    return items, gutters


def _cut(row: Row, gutters: list[Gutter], settings: ExtractSettings) -> list[Row | None]:
    """The row's part in each column (None: none), a word in the column its left edge stands in
    (its text starts where its gutter ends: a ragged line end in a wide gutter stays left)."""
    slack = settings.gutter_edge_slack
    starts = [float("-inf"), *(g[1] - slack for g in gutters), float("inf")]
    spans = itertools.pairwise(starts)
    return [Row(p) if (p := [w for w in row.words if a <= w.x0 < b]) else None for a, b in spans]


def order_items(
    items: list[Item],
    gutters: list[Gutter],
    page: int,
    table_counter: int,
    settings: ExtractSettings,
) -> tuple[list[Block], int]:
    """Items → blocks in reading order: bands top to bottom, columns left to right.

    The text blocks of a band carry its number and their column, and the last block of a column
    a flow link to the next: whether a band is a table drawn without ruling lines (labels side
    by side) is for the layout analysis to judge (pipeline/segment/layout.py).
    """
    if not items:
        return [], table_counter
    items.sort(key=lambda it: (it.top, it.x0))

    def column_of(item: Item) -> int | None:
        """Column index, or None when the item spans a gutter (it separates bands)."""
        if item.region is not None:
            return item.column
        if item.spanning:
            return None
        if item.table_blocks is not None:
            for g in gutters:
                if item.x0 < g[1] - 0.5 and item.x1 > g[0] + 0.5:
                    return None
        return sum(1 for g in gutters if item.x0 >= g[1] - settings.gutter_edge_slack)

    blocks: list[Block] = []
    band: dict[int, list[Item]] = {}
    band_number = 0
    region: int | None = None  # a table under a header row is a band of its own

    def flush_band() -> None:
        nonlocal band_number
        if not band:
            return
        band_number += 1
        for col in sorted(band):
            for block in _items_to_blocks(band[col], page, settings):
                if block.kind == "text" and (gutters or region is not None):
                    block.band, block.column = band_number, col
                blocks.append(block)
        band.clear()

    for item in items:
        if item.region != region:
            flush_band()
            region = item.region
        col = column_of(item) if gutters or region is not None else 0
        if col is None:
            flush_band()
            blocks.extend(_items_to_blocks([item], page, settings))
        else:
            band.setdefault(col, []).append(item)
    flush_band()
    mark_page_ends(blocks)
    link_columns(blocks)
    return blocks, table_counter


def _items_to_blocks(items: list[Item], page: int, settings: ExtractSettings) -> list[Block]:
    """Consecutive items of one column → text blocks, with tables as their own blocks."""
    blocks: list[Block] = []
    pending: list[Row] = []

    def flush() -> None:
        if pending:
            merged = _merge_rows(pending)
            x0 = min(r.x0 for r in merged)
            blocks.append(
                Block(
                    page=page,
                    bbox=(
                        x0,
                        min(r.top for r in merged),
                        max(r.x1 for r in merged),
                        max(r.bottom for r in merged),
                    ),
                    lines=block_lines(merged, x0, settings),
                )
            )
            pending.clear()

    for item in sorted(items, key=lambda it: (it.top, it.x0)):
        if item.table_blocks is not None:
            flush()
            blocks.extend(item.table_blocks)
        else:
            pending.extend(item.rows)
    flush()
    return blocks


def _merge_rows(rows: list[Row]) -> list[Row]:
    """Rows of one column that share a baseline become one row (label + text, bullet + text)."""
    merged: list[Row] = []
    for row in sorted(rows, key=lambda r: (r.top, r.x0)):
        if merged:
            last = merged[-1]
            overlap = min(last.bottom, row.bottom) - max(last.top, row.top)
            if overlap > 0.5 * min(last.bottom - last.top, row.bottom - row.top):
                merged[-1] = Row(last.words + row.words)
                continue
        merged.append(row)
    return merged


def _row_text(row: Row, settings: ExtractSettings) -> str:
    """Words joined by spaces; a wide gap (a label in the margin, a tab stop) becomes a tab."""
    parts = [row.words[0].text]
    for previous, word in itertools.pairwise(row.words):
        gap = word.x0 - previous.x1
        tab = gap > settings.tab_gap_ratio * max(previous.size, word.size)
        parts.append("\t" if tab else " ")
        parts.append(word.text)
    return "".join(parts)


def block_lines(rows: list[Row], block_x0: float, settings: ExtractSettings) -> list[Line]:
    lines: list[Line] = []
    previous_bottom = None
    for row in rows:
        height = max(1.0, row.bottom - row.top)
        gap = 0.0 if previous_bottom is None else max(0.0, (row.top - previous_bottom) / height)
        previous_bottom = row.bottom
        bold_flags = [w.bold for w in row.words]
        prefix_len = 0
        while prefix_len < len(bold_flags) and bold_flags[prefix_len]:
            prefix_len += 1
        confidences = [w.ocr_confidence for w in row.words if w.ocr_confidence is not None]
        lines.append(
            Line(
                text=_row_text(row, settings),
                bbox=(row.x0, row.top, row.x1, row.bottom),
                size=round(statistics.median(w.size for w in row.words), 2),
                bold=prefix_len == len(bold_flags),
                bold_prefix=(
                    " ".join(w.text for w in row.words[:prefix_len])
                    if 0 < prefix_len < len(bold_flags)
                    else None
                ),
                gap_before=round(gap, 3),
                indent=round(row.x0 - block_x0, 2),
                ocr_confidence=(round(statistics.fmean(confidences), 1) if confidences else None),
                ocr_words=len(confidences),
            )
        )
    return lines
