"""The indicator grid of a form as the page prints it: its columns when no header row is
printed, group labels carried over a page break, and labels printed one character per line."""

from __future__ import annotations

from collections.abc import Callable

from extract.read.base import Cell, RawRow
from extract.values.framework import default_framework, name_key
from extract.values.textnorm import clean_cell

INFERRED_HEADER = ("一级指标", "二级指标", "三级指标", "指标值")


def inferred_header(rows: list[RawRow]) -> tuple[int, RawRow] | None:
    """A form printing no indicator header row: its columns from the first row naming a
    一级 and a 二级 of the framework; the 三级 and the value are the next two columns."""
    framework = default_framework()
    for n, row in enumerate(rows):
        keys = [name_key(c) if c else "" for c in row.cells]
        level1 = next((i for i, k in enumerate(keys) if k in framework.level1), None)
        level2 = next((i for i, k in enumerate(keys) if k in framework.level2), None)
        if level1 is None or level2 is None or level2 <= level1:
            continue
        after = [i for i in range(level2 + 1, len(keys)) if row.cells[i] is not None]
        if len(after) < 2:
            return None
        cells: list[Cell] = [None] * len(row.cells)
        for col, word in zip((level1, level2, *after[:2]), INFERRED_HEADER, strict=True):
            cells[col] = word
        return n, RawRow(cells, row.page, row.fragment, row.box)
    return None


def names_a_level(row: list[Cell]) -> bool:
    """An indicator row of the grid: a cell names a 一级 or 二级 of the framework."""
    framework = default_framework()
    keys = {name_key(c) for c in row if c}
    return any(k in framework.level1 or k in framework.level2 for k in keys)


def label_on_next_page(rows: list[RawRow], n: int, cols: list[int] | None) -> str:
    """A group cell opened empty in row ``n`` and merged down to the page's foot, whose
    label the next page prints: the cell runs over the page break, its text on the far side."""
    if not cols or cols[0] >= len(rows[n].cells) or rows[n].cells[cols[0]] != "":
        return ""
    col, page = cols[0], rows[n].page
    for after in rows[n + 1 :]:
        if after.page != page:
            return text_at(after, cols)
        if col < len(after.cells) and after.cells[col] is not None:
            return ""  # another cell opens on this page: the group's label is not coming
    return ""


def join_characters(rows: list[RawRow], spells: Callable[[str], bool]) -> list[RawRow]:
    """A label printed one character per line (总 / 体 / 目 / 标) that the grid split into
    one row per character: the characters go back together in the first row's cell, as
    soon as they spell a label."""
    grid = [list(r.cells) for r in rows]
    for col in range(max((len(r) for r in grid), default=0)):
        run: list[int] = []
        for n, cells in enumerate(grid):
            cell = cells[col] if col < len(cells) else ""
            if cell is None:
                continue  # merged rows between the characters
            if not _one_character(cell):
                run = []
                continue
            run.append(n)
            if _join_run(grid, run, col, spells):
                run = []
    return [RawRow(cells, r.page, r.fragment, r.box) for cells, r in zip(grid, rows, strict=True)]


def _one_character(cell: str) -> bool:
    return len(cell.strip()) == 1 and "\u4e00" <= cell.strip() <= "\u9fff"


def _join_run(grid: list[list[Cell]], run: list[int], col: int,
              spells: Callable[[str], bool]) -> bool:  # fmt: skip
    text = "".join((grid[n][col] or "").strip() for n in run)
    if len(run) < 2 or not spells(text):
        return False
    grid[run[0]][col] = text
    for n in run[1:]:
        grid[n][col] = None
    return True


def text_at(row: RawRow, cols: list[int] | None) -> str:
    if not cols or cols[0] >= len(row.cells):
        return ""
    return clean_cell(row.cells[cols[0]]) or ""
