"""Ruled table cells → blocks: the page's words go to the cell that holds them.

Geometry only: each cell of a table found on the ruling lines (`pipeline/extract/engines/tables.py`)
becomes a block of kind "cell" with its row, column, column span and the table's column
boundaries, its words laid out in lines as any text block's (`pipeline/extract/columns.py`).
"""

from __future__ import annotations

import bisect

from maalspor.extract.columns import Word, block_lines
from maalspor.extract.gutters import Row, group_rows
from maalspor.models.page import Block
from maalspor.settings import ExtractSettings


def table_blocks(
    table,
    words: list[Word],
    taken: set[int],
    page: int,
    number: int,
    settings: ExtractSettings,
) -> list[Block]:
    edges = sorted(
        {round(c[0], 1) for row in table.rows for c in row.cells if c}
        | {round(c[2], 1) for row in table.rows for c in row.cells if c}
    )
    columns = _merge_close(edges, settings.cell_edge_tolerance)
    cells = [
        (row_index, cell)
        for row_index, row in enumerate(table.rows)
        for cell in row.cells
        if cell is not None
    ]
    # Each word goes to the cell that holds its centre: cells sorted by top, searched from the
    # last one starting above the word, so a page of words costs words × log(cells).
    cells.sort(key=lambda item: (item[1][1], item[1][0]))
    tops = [cell[1] for _, cell in cells]
    inside: dict[int, list[int]] = {}
    x0_table, top_table, x1_table, bottom_table = table.bbox
    slack = settings.cell_slack
    for index, word in enumerate(words):
        if index in taken:
            continue
        cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
        inside_table = x0_table - slack <= cx <= x1_table + slack
        if not (inside_table and top_table - slack <= cy <= bottom_table + slack):
            continue
        for position in range(bisect.bisect_right(tops, cy + slack) - 1, -1, -1):
            x0, top, x1, bottom = cells[position][1]
            if x0 - slack <= cx <= x1 + slack and top - slack <= cy <= bottom + slack:
                inside.setdefault(position, []).append(index)
                break
    blocks: list[Block] = []
    for position, (row_index, (x0, top, x1, bottom)) in sorted(
        enumerate(cells), key=lambda item: (item[1][0], item[1][1][0])
    ):
        indices = inside.get(position, [])
        taken.update(indices)
        col = _column_index(columns, x0)
        blocks.append(
            _cell_block(
                group_rows([words[i] for i in indices], settings),
                page=page,
                bbox=(x0, top, x1, bottom),
                table=number,
                row=row_index,
                col=col,
                span=max(1, _column_index(columns, x1) - col),
                columns=columns,
                settings=settings,
            )
        )
    return blocks


def _cell_block(
    rows: list[Row],
    *,
    page: int,
    bbox: tuple[float, float, float, float],
    table: int,
    row: int,
    col: int,
    span: int,
    columns: list[float],
    settings: ExtractSettings,
) -> Block:
    return Block(
        page=page,
        bbox=bbox,
        kind="cell",
        table=table,
        row=row,
        col=col,
        col_span=span,
        columns=columns,
        lines=block_lines(rows, bbox[0], settings),
    )


def _merge_close(values: list[float], tolerance: float) -> list[float]:
    merged: list[float] = []
    for value in values:
        if merged and value - merged[-1] <= tolerance:
            continue
        merged.append(value)
    return merged


def _column_index(columns: list[float], x: float) -> int:
    return min(range(len(columns)), key=lambda i: abs(columns[i] - x))
