"""Layout analysis: which blocks make a table, before segmentation decides which feeds a field.

Extraction (`maalspor.extract`) is geometric: it leaves a page as blocks in reading order —
ruled table cells, and text blocks, each text block one column of a *band* (rows between two
full-width rows), with flow links to the next column or page. It knows no words of any
language. This module reads the labels (`labels.py`) and decides what geometry alone
cannot: a band whose columns hold field labels side by side ("Mål:" left, "Dokumentation:"
right, on one line) is a table drawn without ruling lines. Such a band is cut into rows — at
the label lines, or, when the labels stand only in a header row, where paragraphs start side
by side — and becomes table cells, read row by row like a ruled table. Headings inside the band
end the table.

    blocks (extract) ──arrange──▶ blocks and table cells ──segment──▶ goals / fields

Thresholds are `maalspor.settings.LayoutSettings`; segmentation runs `arrange` first.
"""

from __future__ import annotations

import dataclasses
import itertools
import statistics

from maalspor.extract.furniture import remove_page_numbers
from maalspor.extract.geometry import link_columns, mark_page_ends, union
from maalspor.models.page import Block, DocumentText, Line, PageText
from maalspor.segment.labels import FieldKind, label_of
from maalspor.segment.structure import structure_patterns
from maalspor.settings import LayoutSettings, Settings

Band = dict[int, list[Line]]  # column → its lines, top to bottom


def arrange(document: DocumentText, settings: Settings) -> DocumentText:
    """Turn bands of columns that hold labels side by side into table cells (in place); the
    thresholds are `settings.layout` (page numbers: `settings.extract`'s furniture band)."""
    if document.arranged:
        return document
    furniture = settings.extract
    settings = settings.layout
    numbers = [b.table for p in document.pages for b in p.blocks if b.table is not None]
    counter = max(numbers, default=0)
    # Page numbers are known by the rules' patterns: extraction, which reads no rules, leaves
    # those that do not repeat as running furniture.
    numbers = remove_page_numbers(document.pages, structure_patterns().page_numbers, furniture)
    if numbers:
        document.furniture = [t for t in document.furniture if t not in numbers]
    restored: set[str] = set()
    open_table: list[tuple[float, float]] | None = None  # gutters of a header-row table
    for page in document.pages:
        restored |= _restore_labels(page)
        page.blocks, counter, open_table = _arrange_page(
            page, counter, settings, open_table, document.body_size
        )
        mark_page_ends(page.blocks)
        link_columns(page.blocks)
    if restored:
        document.furniture = [t for t in document.furniture if t not in restored]
    document.arranged = True
    return document


def _restore_labels(page: PageText) -> set[str]:
    """Put back the field labels that furniture removal set aside (running furniture is never
    a known field label), in their blocks at their place; drop blocks left empty."""
    restored: set[str] = set()
    for block, line in page.set_aside:
        if label_of(line.text, line.bold_prefix) is None:
            continue
        block.lines.append(line)
        block.lines.sort(key=_top)
        restored.add(line.text.strip())
    for block in {id(b): b for b, _ in page.set_aside}.values():
        if block.lines:
            block.bbox = tuple(union([ln.bbox for ln in block.lines if ln.bbox]))
            block.lines = _rebased(block.lines, block.bbox[0])
    page.set_aside = []
    page.blocks = [b for b in page.blocks if b.lines or b.kind == "cell"]
    return restored


def _arrange_page(
    page: PageText,
    counter: int,
    settings: LayoutSettings,
    open_table: list[tuple[float, float]] | None,
    body_size: float = 0.0,
) -> tuple[list[Block], int, list[tuple[float, float]] | None]:
    """The page's blocks with label bands as table cells, and the gutters of a table whose
    labels stand only in its header row when the page ends in it (its rows may go on at the
    top of the next page, without labels and without the header)."""
    blocks: list[Block] = []
    bounds = [(g[0] + g[1]) / 2 for g in page.gutters]
    ends_in_table: list[tuple[float, float]] | None = None
    groups = itertools.groupby(page.blocks, key=lambda b: b.band)
    for index, (band_number, group) in enumerate(groups):
        members = list(group)
        band: Band = {}
        for block in members:
            if block.kind == "text" and block.column is not None:
                band.setdefault(block.column, []).extend(block.lines)
        is_text_band = band_number is not None and all(b.kind == "text" for b in members)
        ends_in_table = None
        continues = (
            index == 0
            and is_text_band
            and open_table is not None
            and _same_gutters(open_table, page.gutters)
        )
        labelled = is_text_band and len(band) >= 2 and bool(_aligned_label_rows(band, settings))
        if not (labelled or continues):
            blocks.extend(members)
            continue
        for number, (part, heading) in enumerate(_split_at_headings(band, settings, body_size)):
            row_tops = _aligned_label_rows(part, settings) if len(part) >= 2 else []
            header_only = len(row_tops) == 1 and _is_label_header(part, row_tops[0], settings)
            if header_only:
                # Labels only in a header row: the rows below start where paragraphs start
                # side by side.
                starts = _side_by_side_starts(part, row_tops[0], settings)
                row_tops = [row_tops[0], *starts] if starts else row_tops
                header_only = bool(starts)
            elif continues and number == 0 and part and not _has_label(part):
                # The rows of the table the last page ended in go on: no header, no labels.
                top = min(_top(ln) for lines in part.values() for ln in lines)
                offset = settings.continued_header_offset
                row_tops = _side_by_side_starts(part, top - offset, settings)
                header_only = bool(row_tops)
            if row_tops:
                counter += 1
                blocks.extend(_table(part, row_tops, bounds, page.number, counter, settings))
                ends_in_table = page.gutters if header_only else None
            else:
                for col in sorted(part):
                    blocks.append(_block(part[col], page.number, band_number, col))
                ends_in_table = None
            if heading is not None:
                blocks.append(_block([heading], page.number, None, None))
                ends_in_table = None
    return blocks, counter, ends_in_table


def _has_label(band: Band) -> bool:
    return any(_field(line) for lines in band.values() for line in lines)


def _same_gutters(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> bool:
    """Whether two pages have the same columns: as many gutters, each overlapping its match."""
    return len(a) == len(b) and all(x[0] < y[1] and y[0] < x[1] for x, y in zip(a, b, strict=True))


def _block(lines: list[Line], page: int, band: int | None, column: int | None) -> Block:
    """A text block of consecutive lines of one column."""
    box = union([ln.bbox for ln in lines if ln.bbox] or [(0.0, 0.0, 0.0, 0.0)])
    return Block(
        page=page,
        bbox=tuple(box),
        lines=_rebased(lines, box.x0),
        band=band,
        column=column,
    )


def _rebased(lines: list[Line], x0: float) -> list[Line]:
    """Copies of lines as the lines of a new block starting at x0: indents measured from it,
    no space above its first line."""
    out = []
    for index, line in enumerate(lines):
        indent = round(line.bbox[0] - x0, 2) if line.bbox else line.indent
        out.append(
            dataclasses.replace(
                line, indent=indent, gap_before=0.0 if index == 0 else line.gap_before
            )
        )
    return out


def _field(line: Line) -> str | None:
    found = label_of(line.text, line.bold_prefix)
    return found[0] if found else None


def _top(line: Line) -> float:
    return line.bbox[1] if line.bbox else 0.0


def _split_at_headings(
    band: Band, settings: LayoutSettings, body_size: float = 0.0
) -> list[tuple[Band, Line | None]]:
    """The band cut at its heading lines: [(lines above the heading by column, the heading)].
    Larger is larger than the band's body, or the document's when that is smaller (a band of
    only a heading, at the top of a page a table goes on at, set in a scan's unknown weight)."""
    lines = [(col, line) for col, column in band.items() for line in column]
    sizes = [line.size for _, line in lines]
    body = statistics.median_low(sorted(sizes)) if sizes else 0.0
    if body_size:
        body = min(body, body_size) if body else body_size
    parts: list[tuple[Band, Line | None]] = []
    current: Band = {}
    ordered = sorted(
        lines, key=lambda pair: (_top(pair[1]), pair[1].bbox[0] if pair[1].bbox else 0)
    )
    for col, line in ordered:
        if _is_heading(line, body, settings):
            parts.append((current, line))
            current = {}
        else:
            current.setdefault(col, []).append(line)
    parts.append((current, None))
    return [(part, heading) for part, heading in parts if part or heading is not None]


def _is_heading(line: Line, body_size: float, settings: LayoutSettings) -> bool:
    """A line set larger than the text around it, or in bold on its own (and not a label)."""
    if _field(line):
        return False
    if body_size and line.size >= settings.heading_size_ratio * body_size:
        return True
    text = line.text
    return line.bold and len(text) <= settings.bold_heading_max_chars and text[-1:] not in ".,;:"


def _aligned_label_rows(band: Band, settings: LayoutSettings) -> list[float]:
    """Tops of the lines where a goal label and another field's label stand side by side."""
    labelled: list[tuple[float, float, int, str]] = []  # (top, size, column, field)
    for col, lines in band.items():
        for line in lines:
            field_name = _field(line)
            if field_name:
                labelled.append((_top(line), line.size, col, field_name))
    # A table's column holds one field: its labels are all goal labels, or none are. Newspaper
    # columns mix them ("Mål:" and "Dokumentation:" one under the other), and their labels
    # stand side by side only by chance.
    goal = FieldKind.GOAL.value
    goal_columns = {col for _, _, col, field_name in labelled if field_name == goal}
    other_columns = {col for _, _, col, field_name in labelled if field_name != goal}
    if goal_columns & other_columns:
        return []
    tops: list[float] = []
    for top, size, col, field_name in labelled:
        if field_name != goal:
            continue
        beside = any(
            other_col > col
            and other_field != goal
            and abs(other_top - top) <= settings.same_row_share * size
            for other_top, _, other_col, other_field in labelled
        )
        if beside:
            tops.append(top)
    return sorted(tops)


def _is_label_header(band: Band, top: float, settings: LayoutSettings) -> bool:
    """Whether every line standing at `top` in the band is a bare label ("Mål", "Dokumentation")."""
    found = False
    for lines in band.values():
        for line in lines:
            if abs(_top(line) - top) > settings.same_row_share * line.size:
                continue
            label = label_of(line.text, line.bold_prefix)
            if label is None or label[1]:
                return False
            found = True
    return found


def _side_by_side_starts(band: Band, header_top: float, settings: LayoutSettings) -> list[float]:
    """Tops below a header row where paragraphs start in two or more columns at one height:
    the rows of a table drawn without rulings whose labels stand only in its header. Empty
    when the text right under the labels is theirs (labels on their own line in a goal row,
    the row going on over a page break): a header stands apart from the first row."""
    starts = _paragraph_starts(band, header_top, settings)
    below = [
        _top(ln) for lines in band.values() for ln in lines if _below(ln, header_top, settings)
    ]
    if not below or min(below) not in {top for top, _, _ in starts}:
        return []
    # The header row holds only its labels: what stands right under it (the rest of a row
    # carried over from the last page, in one column only) is a row of its own.
    tops = [min(below)]
    for top, size, _col in sorted(starts):
        beside = {c for t, _, c in starts if abs(t - top) <= settings.same_row_share * size}
        if len(beside) >= 2 and top - tops[-1] > settings.same_row_share * size:
            tops.append(top)
    return tops


def _below(line: Line, header_top: float, settings: LayoutSettings) -> bool:
    """Whether a line stands below the header row at `header_top` (a label of the row itself
    may stand a point lower: OCR's boxes jitter)."""
    return _top(line) > header_top + settings.same_row_share * line.size


def _paragraph_starts(
    band: Band, header_top: float, settings: LayoutSettings
) -> list[tuple[float, float, int]]:
    """(top, size, column) of the lines below `header_top` that open a paragraph: after a wider
    gap than the usual one between lines (the first line under the header included)."""
    columns = {
        col: [ln for ln in lines if ln.bbox and _below(ln, header_top, settings)]
        for col, lines in band.items()
    }
    # The usual space between lines: each column's (its lower quartile), the least of them. A
    # column may hold only a line or two, or one line a row (a narrow "Ansvarlig" column: its
    # spaces are the rows').
    column_gaps = [
        sorted(b.bbox[1] - a.bbox[3] for a, b in itertools.pairwise(lines))  # type: ignore[index]
        for lines in columns.values()
        if len(lines) > 1
    ]
    line_gap = min((gaps[len(gaps) // 4] for gaps in column_gaps), default=0.0)
    header_bottom = max(
        (
            ln.bbox[3]
            for lines in band.values()
            for ln in lines
            if ln.bbox and abs(ln.bbox[1] - header_top) <= settings.same_row_share * ln.size
        ),
        default=header_top,
    )
    starts: list[tuple[float, float, int]] = []
    for col, lines in columns.items():
        for index, line in enumerate(lines):
            assert line.bbox is not None
            above = lines[index - 1].bbox[3] if index else header_bottom  # type: ignore[index]
            threshold = max(
                settings.paragraph_gap_ratio * line_gap, settings.paragraph_gap_min * line.size
            )
            if line.bbox[1] - above > threshold:
                starts.append((line.bbox[1], line.size, col))
    return starts


def _table(
    band: Band,
    row_tops: list[float],
    bounds: list[float],
    page: int,
    number: int,
    settings: LayoutSettings,
) -> list[Block]:
    """Cells of a table without rulings: rows start at `row_tops`, columns at the gutters."""
    all_lines = [ln for lines in band.values() for ln in lines if ln.bbox]
    left = min(ln.bbox[0] for ln in all_lines)  # type: ignore[index]
    right = max(ln.bbox[2] for ln in all_lines)  # type: ignore[index]
    columns = [round(left, 1), *(round(b, 1) for b in bounds), round(right, 1)]
    starts = [min(_top(ln) for ln in all_lines), *row_tops]
    if starts[1] - starts[0] < 0.5:
        starts = starts[1:]  # the band starts with a labelled row: no continuation row above it
    blocks: list[Block] = []
    tolerance = settings.row_tolerance
    for row_index, start in enumerate(starts):
        end = starts[row_index + 1] if row_index + 1 < len(starts) else float("inf")
        for col in sorted(band):
            lines = [ln for ln in band[col] if start - tolerance <= _top(ln) < end - tolerance]
            if not lines:
                continue
            box = union([ln.bbox for ln in lines if ln.bbox])
            blocks.append(
                Block(
                    page=page,
                    bbox=tuple(box),
                    kind="cell",
                    table=number,
                    row=row_index,
                    col=col,
                    col_span=1,
                    columns=columns,
                    lines=_rebased(lines, box.x0),
                )
            )
    return blocks
