"""Tables drawn without rulings whose columns a header row shows (geometry only).

The gutter finder (`gutters.find_gutters`) asks each text column for a share of the text
width, so that a bullet column or a label in the margin is never taken for a column. A table
drawn without rulings may have a narrow column ("Ansvarlig", "Nr.", "Frist") that this rule
merges into its neighbour. Such a table shows its columns in its header row: short cells side
by side at distinct x positions, each over a column of text. Here:

  1. a **header row** is a row of `header_min_cells` or more cells (words joined by ordinary
     spaces; a wider gap starts a cell), each of at most `header_max_words` words and opening
     with a capital letter (a bullet or a number is a body row's), set apart
     from body text: all in bold or all in capitals (an OCR'd page, which knows no bold, by
     its cells alone), with rows below it;
  2. each column boundary is a vertical strip between two header cells that no word of the
     table's rows has ink in, at least `header_gutter_ratio` font sizes wide (of such strips,
     the one nearest the next header cell: the column's text starts after it);
  3. the table runs down from its header until a row runs across a boundary (a full-width line),
     or a row set larger than the header (a section heading), or the page ends (a row in
     smaller print, a running header or a footnote, is passed over); a table that
     runs to the foot of its page goes on at the top of the next one (its header repeated or
     not) as far as the rows there fit its boundaries;
  4. a table counts only when it adds a boundary that the page's own gutters do not show, and
     a row under its header holds text in two or more columns (or its header stood on the page
     before).

Which words the header holds (field labels, a responsible person) is for the layout analysis
(`pipeline/segment/layout.py`) to read: the columns come to it as the columns of one band.
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass, field

from maalspor.extract.gutters import Gutter, Row
from maalspor.settings import ExtractSettings

Strips = list[tuple[float, float]]  # x ranges with no ink, between two columns


@dataclass
class HeaderTable:
    """A table under a header row: its boundaries' free strips and the rows it holds."""

    starts: list[float]  # x0 of the header cells right of each boundary
    free: list[Strips]  # per boundary: the strips no row of the table has ink in so far
    size: float  # the header's type size
    rows: list[Row] = field(default_factory=list)
    carried: bool = False  # it goes on from the page before (its header proved it there)

    def gutters(self, settings: ExtractSettings) -> list[Gutter] | None:
        """Per boundary the strip the column right of it starts after (None: a boundary has no
        strip wide enough left)."""
        out: list[Gutter] = []
        least = settings.header_gutter_ratio * self.size
        slack = settings.gutter_edge_slack
        for start, strips in zip(self.starts, self.free, strict=True):
            wide = [s for s in strips if s[1] - s[0] >= least and s[0] <= start + slack]
            if not wide:
                return None
            out.append(max(wide, key=lambda s: s[1]))
        return out

    def fits(self, row: Row, settings: ExtractSettings) -> bool:
        """Whether `row` belongs to the table: set no larger than its header, leaving each
        boundary a strip (then it narrows the strips)."""
        if statistics.median(w.size for w in row.words) >= settings.header_end_size_ratio * (
            self.size
        ):
            return False
        narrowed = [_without(strips, row) for strips in self.free]
        before, self.free = self.free, narrowed
        if self.gutters(settings) is None:
            self.free = before
            return False
        return True

    def column_of(self, x0: float, gutters: list[Gutter], settings: ExtractSettings) -> int:
        return sum(1 for g in gutters if x0 >= g[1] - settings.gutter_edge_slack)


def _without(strips: Strips, row: Row) -> Strips:
    """The strips less the x ranges the row's words cover."""
    out = strips
    for word in row.words:
        kept: Strips = []
        for a, b in out:
            if word.x1 <= a or word.x0 >= b:
                kept.append((a, b))
                continue
            if word.x0 > a:
                kept.append((a, word.x0))
            if word.x1 < b:
                kept.append((word.x1, b))
        out = kept
    return out


def header_cells(row: Row, settings: ExtractSettings) -> list[tuple[float, float]] | None:
    """The row's cells (x0, x1) when it reads as a table's header row, else None."""
    cells: list[list] = []  # x0, x1, words, text
    for word in row.words:  # sorted by x0
        space = settings.cell_gap_ratio * word.size
        if cells and word.x0 <= cells[-1][1] + space:
            cells[-1][1] = max(cells[-1][1], word.x1)
            cells[-1][2] += 1
            cells[-1][3] += word.text
        else:
            cells.append([word.x0, word.x1, 1, word.text])
    if len(cells) < settings.header_min_cells or not _set_apart(row):
        return None
    if any(n > settings.header_max_words or not _names(text) for _, _, n, text in cells):
        return None
    return [(x0, x1) for x0, x1, _, _ in cells]


def _names(text: str) -> bool:
    """Whether a cell reads as a column's name: it opens with a capital letter (a bullet, a
    number or a line going on in lower case is a body row's)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and text[0].isalpha() and letters[0].isupper()


def _set_apart(row: Row) -> bool:
    """Whether the row is set as a header: in bold, in capitals, or read by OCR."""
    if all(w.bold for w in row.words) or all(w.ocr_confidence is not None for w in row.words):
        return True
    letters = "".join(c for w in row.words for c in w.text if c.isalpha())
    return bool(letters) and letters.isupper()


def _open(row: Row, settings: ExtractSettings) -> HeaderTable | None:
    cells = header_cells(row, settings)
    if cells is None:
        return None
    slack = settings.gutter_edge_slack
    return HeaderTable(
        starts=[c[0] for c in cells[1:]],
        free=[[(a[1], b[0] + slack)] for a, b in itertools.pairwise(cells)],
        size=statistics.median(w.size for w in row.words),
        rows=[row],
    )


def header_tables(
    rows: list[Row],
    gutters: list[Gutter],
    carried: HeaderTable | None,
    settings: ExtractSettings,
) -> tuple[list[tuple[HeaderTable, list[Gutter]]], HeaderTable | None]:
    """A page's tables under header rows, each with its column gutters, and the table that
    runs to the foot of the page (it may go on at the top of the next page).

    `gutters` are the page's own; `carried` the table the page before ended in."""
    found: list[tuple[HeaderTable, list[Gutter]]] = []
    ordered = sorted(rows, key=lambda r: r.top)
    table: HeaderTable | None = None
    if carried is not None:
        table = HeaderTable(carried.starts, list(carried.free), carried.size, carried=True)
    for row in ordered:
        if table is not None and table.fits(row, settings):
            table.rows.append(row)
            continue
        size = statistics.median(w.size for w in row.words)
        if table is not None and size * settings.header_end_size_ratio <= table.size:
            continue  # smaller print across it (a running header, a footnote) is passed over
        if table is not None:
            found.extend(_kept(table, gutters, settings))
        table = _open(row, settings)
    open_at_end = table
    if table is not None:
        found.extend(_kept(table, gutters, settings))
    return found, open_at_end


def _kept(
    table: HeaderTable, gutters: list[Gutter], settings: ExtractSettings
) -> list[tuple[HeaderTable, list[Gutter]]]:
    """The table with its gutters when it counts: it adds a boundary the page's gutters do not
    show, and a row holds text in two or more of its columns."""
    own = table.gutters(settings)
    if not own or not table.rows:
        return []
    new = [g for g in own if not any(g[0] < k[1] and k[0] < g[1] for k in gutters)]
    if not new:
        return []
    if table.carried:
        return [(table, own)]
    side_by_side = any(
        len({table.column_of(w.x0, own, settings) for w in row.words}) >= 2
        for row in table.rows[1:]
    )
    return [(table, own)] if side_by_side else []
