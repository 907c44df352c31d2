"""Legacy Excel .xls and WPS Spreadsheets .et (BIFF5/BIFF8 in an OLE2 file), with xlrd.

xlrd is the reader made for the format: with ``formatting_info`` it gives the merged ranges and
each cell's number format, so a sheet comes out as the .xlsx reader gives it (the same
:func:`extract.read.xlsx.grid_to_blocks`): merged positions ``None``, ``0.88`` formatted as a
percentage ``88%``, ``850`` formatted ``0.00`` as ``850.00``, dates as ``2024年11月30日``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from extract.enums import Format
from extract.errors import ExtractionError
from extract.read.base import Block, Cell, ExtractedDocument
from extract.read.xlsx import MAX_CELLS, cell_text, grid_to_blocks
from extract.settings import Settings
from extract.values.textnorm import clean_cell

MAX_BYTES = 256 * 1024 * 1024  # a .xls is read whole into memory: a larger one is refused


def extract_xls(path: Path, settings: Settings) -> ExtractedDocument:
    """Read every sheet of a .xls/.et workbook into text lines and one table per sheet."""
    book = _open(path)
    blocks: list[Block] = []
    try:
        for page, sheet in enumerate(book.sheets(), start=1):
            if sheet.nrows * sheet.ncols > MAX_CELLS:
                raise ExtractionError(f"sheet {sheet.name!r} has over {MAX_CELLS:,} cells: refused")
            blocks += grid_to_blocks(sheet_to_grid(book, sheet), page)
    finally:
        book.release_resources()
    return ExtractedDocument(format=Format.XLS, blocks=blocks, page_count=book.nsheets)


def _open(path: Path) -> Any:
    import xlrd  # imported on first use

    if path.stat().st_size > MAX_BYTES:
        raise ExtractionError(f"the workbook is over {MAX_BYTES >> 20} MB: refused")
    try:
        return xlrd.open_workbook(str(path), formatting_info=True, on_demand=False)
    except xlrd.XLRDError as exc:
        text = str(exc)
        if "encrypt" in text.lower():
            raise ExtractionError(
                "the workbook is password-protected (encrypted): it cannot be read"
            ) from exc
        raise ExtractionError(f"the .xls workbook cannot be read ({text})") from exc
    except (AssertionError, IndexError, KeyError, ValueError, EOFError) as exc:
        raise ExtractionError(
            f"the .xls workbook is damaged ({type(exc).__name__}: {exc})"
        ) from exc


def sheet_to_grid(book: Any, sheet: Any) -> list[list[Cell]]:
    """Cell texts as the sheet shows them; positions covered by a merged range are ``None``."""
    covered: set[tuple[int, int]] = set()
    for rlo, rhi, clo, chi in sheet.merged_cells:
        covered.update((r, c) for r in range(rlo, rhi) for c in range(clo, chi))
        covered.discard((rlo, clo))
    return [
        [
            None if (r, c) in covered else clean_cell(_text(book, sheet.cell(r, c)))
            for c in range(sheet.ncols)
        ]
        for r in range(sheet.nrows)
    ]


def _text(book: Any, cell: Any) -> str:
    import xlrd

    fmt = _number_format(book, cell.xf_index)
    kind, value = cell.ctype, cell.value
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if kind == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(value), fmt)
    if kind == xlrd.XL_CELL_DATE:
        try:
            return cell_text(xlrd.xldate_as_datetime(value, book.datemode).date(), fmt)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return str(value)
    if kind == xlrd.XL_CELL_NUMBER and float(value).is_integer() and "." not in fmt:
        return cell_text(int(value), fmt)  # BIFF stores every number as a float
    return cell_text(value, fmt)


def _number_format(book: Any, xf_index: int | None) -> str:
    try:
        xf = book.xf_list[xf_index]
        return str(book.format_map[xf.format_key].format_str)
    except (IndexError, KeyError, TypeError):
        return "General"
