"""Excel .xlsx: every sheet's used range as a table grid, with openpyxl.

Merged ranges keep their value in the top-left cell; the positions they cover are ``None``,
and a truly empty cell is ``""``, as pdfplumber and the .docx extractor give them. Rows above
the header that hold a single value (the title, 部门名称, 单位) become text lines.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from extract.enums import Format
from extract.errors import ExtractionError
from extract.read.base import Block, Cell, ExtractedDocument, RawRow, RawTable, TextLine
from extract.read.docx import check_zip_sizes
from extract.settings import Settings
from extract.values.textnorm import clean_cell

MAX_CELLS = 2_000_000  # a sheet larger than this is not a disclosure table


def extract_xlsx(path: Path, settings: Settings) -> ExtractedDocument:
    """Read every sheet of a workbook into text lines and one table per sheet."""
    import openpyxl  # imported on first use

    check_zip_sizes(path)
    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ExtractionError(f"the .xlsx is damaged and cannot be opened ({exc})") from exc
    blocks: list[Block] = []
    for page, sheet in enumerate(book.worksheets, start=1):
        if sheet.max_row * sheet.max_column > MAX_CELLS:
            raise ExtractionError(f"sheet {sheet.title!r} has over {MAX_CELLS:,} cells: refused")
        blocks += sheet_to_blocks(sheet, page)
    return ExtractedDocument(format=Format.XLSX, blocks=blocks, page_count=len(book.worksheets))


def sheet_to_blocks(sheet: Any, page: int) -> list[Block]:
    """An openpyxl sheet as blocks (:func:`grid_to_blocks`)."""
    return grid_to_blocks(sheet_to_grid(sheet), page)


def grid_to_blocks(grid: list[list[Cell]], page: int) -> list[Block]:
    """Single-value rows before the table are text lines; the rest is one table."""
    blocks: list[Block] = []
    rows: list[RawRow] = []
    for cells in grid:
        values = [c for c in cells if c]
        if not values:
            continue
        if not rows and len(values) == 1:
            blocks.append(TextLine(values[0], page))
        else:
            rows.append(RawRow(cells=cells, page=page))
    if rows:
        blocks.append(RawTable(rows=rows, page=page))
    return blocks


def sheet_to_grid(sheet: Any) -> list[list[Cell]]:
    """Cell texts; positions covered by a merged range are ``None``."""
    covered: set[tuple[int, int]] = set()
    for merged in sheet.merged_cells.ranges:
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                if (row, col) != (merged.min_row, merged.min_col):
                    covered.add((row, col))
    grid: list[list[Cell]] = []
    for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=sheet.max_column):
        grid.append([
            None if (c.row, c.column) in covered
            else clean_cell(cell_text(c.value, c.number_format))
            for c in row
        ])  # fmt: skip
    return grid


def cell_text(value: object, number_format: str) -> str:
    """A cell as the sheet shows it: ``0.95`` formatted as a percentage is ``95%``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        if "%" in (number_format or ""):
            percent = Decimal(str(value)) * 100
            if (places := _decimals(number_format)) is not None or number_format.startswith("0%"):
                return f"{percent:.{places or 0}f}%"  # as the sheet shows it: 0.00% → 88.00%
            text = f"{percent:f}"
            return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"
        if isinstance(value, float):
            decimals = _decimals(number_format)
            return f"{value:.{decimals}f}" if decimals is not None else repr(value)
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y年%m月%d日") if isinstance(value, dt.date) else str(value)
    return str(value)


def _decimals(number_format: str) -> int | None:
    """Decimal places of a number format such as ``#,##0.00``."""
    if "." not in (number_format or ""):
        return None
    tail = number_format.split(".", 1)[1]
    count = len(tail) - len(tail.lstrip("0"))
    return count or None
