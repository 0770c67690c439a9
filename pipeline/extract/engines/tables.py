"""Ruled tables from a page's rulings, for every engine: pdfplumber's table finder (default
`TableSettings`: lines strategy, 3 pt snap/join/intersection tolerances) run on the rulings
as edge dicts instead of on a pdfplumber page."""

from __future__ import annotations

from pdfplumber.table import (
    Table,
    TableSettings,
    cells_to_tables,
    edges_to_intersections,
    intersections_to_cells,
    merge_edges,
)
from pdfplumber.utils.geometry import filter_edges

from maalspor.models.page import Ruling

_SETTINGS = TableSettings.resolve(None)


def _edge(ruling: Ruling) -> dict:
    return {
        "object_type": "rect_edge",
        "x0": ruling.x0,
        "x1": ruling.x1,
        "top": ruling.top,
        "bottom": ruling.bottom,
        "doctop": ruling.top,
        "width": ruling.x1 - ruling.x0,
        "height": ruling.bottom - ruling.top,
        "orientation": "h" if ruling.top == ruling.bottom else "v",
    }


def find_tables(rulings: list[Ruling], settings: TableSettings = _SETTINGS) -> list[Table]:
    """What `page.find_tables()` finds, from the rulings alone (tables know their cells and
    bounding box; they hold no page)."""
    if not rulings:
        return []
    edges = filter_edges([_edge(r) for r in rulings], min_length=settings.edge_min_length_prefilter)
    edges = merge_edges(
        edges,
        snap_x_tolerance=settings.snap_x_tolerance,
        snap_y_tolerance=settings.snap_y_tolerance,
        join_x_tolerance=settings.join_x_tolerance,
        join_y_tolerance=settings.join_y_tolerance,
    )
    edges = filter_edges(edges, min_length=settings.edge_min_length)
    intersections = edges_to_intersections(
        edges, settings.intersection_x_tolerance, settings.intersection_y_tolerance
    )
    cells = intersections_to_cells(intersections)
    return [Table(None, group) for group in cells_to_tables(cells)]
