"""pdfplumber's table finder with its cell step made fast, the tables unchanged.

``pdfplumber.table.intersections_to_cells`` looks, for every ruling intersection, through all
the later intersections for those below and to the right of it, and rebuilds the edge sets it
compares on every test: a dense budget page of 8,000 intersections spends most of its table
time there (0.05 s a page, more than reading the page). :func:`grid_cells` walks the same
points in the same order with the same tests, from an index of the points by column and by
row and with each point's edge sets built once, so it returns the same cells.
Edges, intersections and the grouping of cells into tables stay pdfplumber's own.
"""

from __future__ import annotations

from typing import Any

from pdfplumber.table import (
    Table,
    TableFinder,
    TableSettings,
    cells_to_tables,
    edges_to_intersections,
)
from pdfplumber.utils.geometry import obj_to_bbox

Point = tuple[float, float]
Cell = tuple[float, float, float, float]


def find_tables(page: Any, settings: dict[str, Any]) -> list[Table]:
    """``page.find_tables(settings)``, with :func:`grid_cells` as the cell step."""
    resolved = TableSettings.resolve(settings)
    finder = TableFinder.__new__(TableFinder)  # its edges step, not its __init__'s cell step
    finder.page, finder.settings = page, resolved
    edges = finder.get_edges()
    intersections = edges_to_intersections(
        edges, resolved.intersection_x_tolerance, resolved.intersection_y_tolerance
    )
    return [Table(page, group) for group in cells_to_tables(grid_cells(intersections))]


def grid_cells(intersections: dict[Point, dict[str, list[dict[str, Any]]]]) -> list[Cell]:
    """The smallest cell whose top-left corner is each intersection, as pdfplumber finds it."""
    points = sorted(intersections)
    v_sets = {p: {obj_to_bbox(e) for e in intersections[p]["v"]} for p in points}
    h_sets = {p: {obj_to_bbox(e) for e in intersections[p]["h"]} for p in points}
    rows: dict[float, list[Point]] = {}
    for p in points:  # in x order, so each row's points come out left to right
        rows.setdefault(p[1], []).append(p)

    def connects(a: Point, b: Point) -> bool:
        if a[0] == b[0] and not v_sets[a].isdisjoint(v_sets[b]):
            return True
        return a[1] == b[1] and not h_sets[a].isdisjoint(h_sets[b])

    cells: list[Cell] = []
    for i, pt in enumerate(points[:-1]):
        below = []
        for q in points[i + 1 :]:
            if q[0] != pt[0]:
                break
            below.append(q)
        right = [q for q in rows[pt[1]] if q[0] > pt[0]]
        if cell := _smallest(pt, below, right, intersections, connects):
            cells.append(cell)
    return cells


def _smallest(
    pt: Point, below: list[Point], right: list[Point], intersections: dict[Point, Any],
    connects: Any,
) -> Cell | None:  # fmt: skip
    for below_pt in below:
        if not connects(pt, below_pt):
            continue
        for right_pt in right:
            if not connects(pt, right_pt):
                continue
            corner = (right_pt[0], below_pt[1])
            if (
                corner in intersections
                and connects(corner, right_pt)
                and connects(corner, below_pt)
            ):
                return (pt[0], pt[1], corner[0], corner[1])
    return None
