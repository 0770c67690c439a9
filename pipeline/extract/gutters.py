"""Rows of words and the gutters between text columns: geometry only, for `columns.py`.

Words are grouped into rows by their vertical centre; a page's text columns are found as
vertical gutters that (almost) no row crosses, with enough text on both sides (`find_gutters`);
a page too short to show its columns takes a neighbouring page's where its rows fit them
(`carried_gutters`), or those its column grid implies (`grid_gutters`).
"""

from __future__ import annotations

import itertools
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from maalspor.models.page import Word
from maalspor.settings import ExtractSettings

Gutter = tuple[float, float]  # x0, x1 of a vertical strip between two text columns


@dataclass
class Row:
    words: list[Word]
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0

    def __post_init__(self) -> None:
        self.words.sort(key=lambda w: w.x0)
        self.x0 = min(w.x0 for w in self.words)
        self.x1 = max(w.x1 for w in self.words)
        self.top = min(w.top for w in self.words)
        self.bottom = max(w.bottom for w in self.words)


def group_rows(words: Iterable[Word], settings: ExtractSettings) -> list[Row]:
    """Words → rows: sorted by vertical centre, a new row where the centre jumps."""
    ordered = sorted(words, key=lambda w: ((w.top + w.bottom) / 2, w.x0))
    rows: list[list[Word]] = []
    centre = None
    for word in ordered:
        word_centre = (word.top + word.bottom) / 2
        tolerance = max(1.0, settings.row_tolerance_ratio * word.size)
        if rows and centre is not None and word_centre - centre <= tolerance:
            rows[-1].append(word)
        else:
            rows.append([word])
            centre = word_centre
    return [Row(r) for r in rows]


def grid_gutters(
    rows: list[Row],
    gutters: list[Gutter],
    page_width: float | None,
    settings: ExtractSettings,
) -> list[Gutter]:
    """The gutters a regular column grid implies beyond those the page shows.

    Newspaper columns share one width and one gutter: where the page's columns do (within
    `grid_tolerance` of their width), the grid goes on at the same pitch as far as a whole
    column still fits on the page. A neighbouring page whose column there holds only a word or
    two (the last of a text) takes such a gutter where its rows fit it (`cut_rows`).
    """
    if not gutters or not page_width:
        return []
    slack = settings.gutter_edge_slack
    starts = [float("-inf"), *(g[1] - slack for g in gutters), float("inf")]
    lefts: list[float] = []
    rights: list[float] = []
    kept = [row for row in rows if not any(crosses(row, g, settings) for g in gutters)]
    for left, right in itertools.pairwise(starts):
        parts = [Row(p) for row in kept if (p := [w for w in row.words if left <= w.x0 < right])]
        if not parts:
            return []
        # The column starts where two or more of its lines start (a running header standing
        # further left is no line of it) and ends where its longest line from there ends.
        counts = Counter(round(part.x0) for part in parts)
        start = min((x for x, n in counts.items() if n > 1), default=counts.most_common(1)[0][0])
        lefts.append(start)
        rights.append(max(part.x1 for part in parts if part.x0 >= start - slack))
    widths = [r - left for left, r in zip(lefts, rights, strict=True)]
    spaces = [g[1] - g[0] for g in gutters]
    width = statistics.fmean(widths)
    if max(widths) - min(widths) > settings.grid_tolerance * width:
        return []
    if max(spaces) - min(spaces) > settings.grid_tolerance * width:
        return []
    pitch = width + statistics.fmean(spaces)
    implied: list[Gutter] = []
    room = settings.grid_max_columns - len(gutters) - 1  # however wide the page claims to be
    x0, x1 = gutters[0]
    while len(implied) < room and x0 - pitch - width >= 0:  # a whole column fits left of it
        x0, x1 = x0 - pitch, x1 - pitch
        implied.append((x0, x1))
    x0, x1 = gutters[-1]
    while len(implied) < room and x1 + pitch + width <= page_width:
        x0, x1 = x0 + pitch, x1 + pitch
        implied.append((x0, x1))
    return implied


def snap_gutter(
    gutter: Gutter, rows: list[Row], carried: list[Gutter], settings: ExtractSettings
) -> Gutter:
    """A neighbouring page's gutter where it overlaps one found here and no row crosses it: a
    short column (a column's last lines) shows its gutter less clearly than a full page."""
    for known in carried:
        overlaps = known[0] < gutter[1] and gutter[0] < known[1]
        if overlaps and not any(crosses(row, known, settings) for row in rows):
            return known
    return gutter


def carried_gutters(
    rows: list[Row], carried: list[Gutter], found: list[Gutter], settings: ExtractSettings
) -> list[Gutter]:
    """A neighbouring page's gutters that this page did not show itself but whose rows fit them:
    no row crosses one, text stands on both sides of it (a column holding only its last lines,
    or only a heading)."""
    kept: list[Gutter] = []
    for gutter in carried:
        if any(gutter[0] < g[1] and g[0] < gutter[1] for g in [*found, *kept]):
            continue
        if any(crosses(row, gutter, settings) for row in rows):
            continue
        left = any(w.x1 <= gutter[0] + 0.5 for r in rows for w in r.words)
        right = any(w.x0 >= gutter[1] - 0.5 for r in rows for w in r.words)
        if left and right:
            kept.append(gutter)
    return kept


def crosses(row: Row, gutter: Gutter, settings: ExtractSettings) -> bool:
    """Whether a row runs across a gutter rather than standing in the columns beside it.

    Only continuous text (words joined by ordinary spaces) that reaches past both edges of the
    gutter crosses it: a cell's or a column's long last word reaching into the gutter does not,
    nor do two cells' texts with a wide gap between them.
    """
    start = end = None
    previous_size = 0.0
    for word in row.words:
        space = settings.cell_gap_ratio * max(word.size, previous_size)
        previous_size = word.size
        if start is not None and end is not None and word.x0 <= end + space:
            end = max(end, word.x1)
            continue
        if start is not None and end is not None and start < gutter[0] and end > gutter[1]:
            return True
        start, end = word.x0, word.x1
    return start is not None and end is not None and start < gutter[0] and end > gutter[1]


def find_gutters(rows: list[Row], settings: ExtractSettings) -> list[Gutter]:
    """Vertical strips that (almost) no row crosses, with enough text on both sides."""
    if len(rows) < 2 * settings.min_column_rows:
        return []
    left_edge = min(r.x0 for r in rows)
    right_edge = max(r.x1 for r in rows)
    width = right_edge - left_edge
    if width <= 0:
        return []
    # How many rows run through each 1-pt strip as continuous text: words and the ordinary
    # spaces between them count, a wide gap (a gutter, the space between two cells) does not.
    # Each row adds its runs to a difference array: the cost is words + width, not their product.
    cells = int(width) + 2
    delta = [0] * (cells + 1)
    for row in rows:
        start = end = None
        previous_size = 0.0
        for word in row.words:  # sorted by x0
            a = max(0, int(word.x0 - left_edge))
            b = min(cells - 1, int(word.x1 - left_edge))
            space = settings.cell_gap_ratio * max(word.size, previous_size)
            previous_size = word.size
            if start is not None and end is not None and a <= end + space:
                end = max(end, b)
                continue
            if start is not None and end is not None:
                delta[start] += 1
                delta[end + 1] -= 1
            start, end = a, b
        if start is not None and end is not None:
            delta[start] += 1
            delta[end + 1] -= 1
    row_crossing = list(itertools.accumulate(delta[:cells]))
    allowed = max(1, int(settings.max_gutter_crossings * len(rows)))
    runs: list[tuple[int, int]] = []
    run_start = None
    for i in range(cells + 1):
        free = i < cells and row_crossing[i] <= allowed
        if free and run_start is None:
            run_start = i
        elif not free and run_start is not None:
            runs.append((run_start, i))
            run_start = None
    scored: list[tuple[float, float, int]] = []  # (x0, x1, rows crossing its valley)
    for start, end in runs:
        # The strip's valleys: where the fewest rows cross. Ragged line ends beside a gutter
        # cross it now and then; the gutter itself is only crossed by full-width rows. A column
        # holding a few lines leaves a strip free beside it too (its own width counts as free):
        # of the valleys, the widest with text on both sides is the gutter.
        lowest = min(row_crossing[start:end]) + max(1, int(settings.valley_slack * len(rows)))
        valleys = sorted(
            ((len(items), index) for index, items in _runs_of(row_crossing, start, end, lowest)),
            reverse=True,
        )
        for length, index in valleys:
            found = _checked_gutter(
                rows, row_crossing, (left_edge, width), (index, length), settings
            )
            if found is not None:
                scored.append(found)
                break
    # Columns lie between gutters, not only between a gutter and the page's edge: of two
    # gutters closer than a column's width, keep the one fewer rows cross (then the wider one).
    scored.sort()
    index = 1
    while index < len(scored):
        previous, current = scored[index - 1], scored[index]
        if current[0] - previous[1] >= settings.min_column_share * width:
            index += 1
            continue
        worse = max((previous, current), key=lambda g: (g[2], -(g[1] - g[0]), g[0]))
        scored.remove(worse)
        index = max(1, index - 1)
    return [(x0, x1) for x0, x1, _ in scored]


def _checked_gutter(
    rows: list[Row],
    row_crossing: list[int],
    text: tuple[float, float],
    valley: tuple[int, int],
    settings: ExtractSettings,
) -> tuple[float, float, int] | None:
    """A valley of the crossing profile as a gutter (x0, x1, rows crossing it), or None when it
    is a margin, too narrow, or has too little text on a side to stand between two columns.
    `text`: the left edge and width of the text; `valley`: its start (points from that edge)
    and width."""
    (left_edge, width), (index, length) = text, valley
    if index == 0 or index + length >= len(row_crossing):
        return None  # a strip at the edge of the text is a margin, not a gutter
    x0 = left_edge + index
    x1 = x0 + length
    if x1 - x0 < settings.min_gutter:
        return None
    # Text on both sides: rows with words wholly left of it and rows with words wholly right
    # (a table row holds words on both sides; a column's row on one side only).
    left_words = [w for r in rows for w in r.words if w.x1 <= x0 + 0.5]
    right_words = [w for r in rows for w in r.words if w.x0 >= x1 - 0.5]
    left_rows = sum(any(w.x1 <= x0 + 0.5 for w in r.words) for r in rows)
    right_rows = sum(any(w.x0 >= x1 - 0.5 for w in r.words) for r in rows)
    if left_rows < settings.min_column_rows or right_rows < settings.min_column_rows:
        return None
    left_width = x0 - min(w.x0 for w in left_words)
    right_width = max(w.x1 for w in right_words) - x1
    # Each side wide enough to be a column: a bullet column or a label in the margin is not.
    share = settings.min_column_share * width
    if left_width < share or right_width < share:
        return None
    return x0, x1, min(row_crossing[index : index + length])


def _runs_of(values: list[int], start: int, end: int, limit: int):
    """(start index, the run) for each maximal run of values ≤ limit in values[start:end]."""
    index = start
    for below, group in itertools.groupby(values[start:end], key=lambda v: v <= limit):
        items = list(group)
        if below:
            yield index, items
        index += len(items)
