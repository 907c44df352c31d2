"""Table pages the text-layer markers miss: pages next to a read table page that go on with
its table (the header printed again), hold the head of a form that goes on there, or hold the
header of a table whose body goes on there without one."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from extract.locate.forms import continues_form, is_form
from extract.locate.headers import find_header
from extract.locate.unread import carries_indicators
from extract.read.base import Block, RawTable
from extract.values.textnorm import squash

if TYPE_CHECKING:
    from extract.read.pdf.reader import PageScan

FORM_NAME_LABEL = "项目名称"  # a form's head names its project
HEADER_SCAN_ROWS = 6  # where a table's header row is looked for
MIN_HEADER_CELLS = 3  # a header row names at least this many columns
DIGIT_RE = re.compile(r"\d")


def more_table_pages(scans: list[PageScan], read: set[int], blocks: list[Block]) -> list[int]:
    """The unread pages a read table goes on to (the PDF reader's ``more_pages``)."""
    found = repeated_header_pages(scans, read, blocks) + form_head_pages(scans, read, blocks)
    return sorted(set(found + headless_pages(read, blocks)))


def first_tables(blocks: list[Block]) -> dict[int, RawTable]:
    """Each page's first table."""
    firsts: dict[int, RawTable] = {}
    for b in blocks:
        if isinstance(b, RawTable) and b.page and b.page not in firsts:
            firsts[b.page] = b
    return firsts


def headless_pages(read: set[int], blocks: list[Block]) -> list[int]:
    """Unread pages before a read page whose first table carries indicators but no header
    (a packed table's header page names too few marker words to be a candidate)."""
    found = []
    for page, table in first_tables(blocks).items():
        grid = [r.cells for r in table.rows]
        if page - 1 < 1 or page - 1 in read or find_header(grid) is not None or is_form(grid):
            continue
        if carries_indicators(grid) and not continues_form(grid):
            found.append(page - 1)
    return found


def repeated_header_pages(scans: list[PageScan], read: set[int], blocks: list[Block]) -> list[int]:
    """Unread pages next to a read table page whose text holds that table's header cells:
    the table goes on there with its header printed again, but no marker word."""
    headers = {b.page: cells for b in blocks
               if isinstance(b, RawTable) and b.page and (cells := _header_cells(b))}  # fmt: skip
    found: set[int] = set()
    for page, cells in headers.items():
        for step in (-1, 1):
            n = page + step
            while 1 <= n <= len(scans) and n not in read and n not in found:
                text = squash(scans[n - 1].text)
                if not all(c in text for c in cells):
                    break
                found.add(n)
                n += step
    return sorted(found)


def form_head_pages(scans: list[PageScan], read: set[int], blocks: list[Block]) -> list[int]:
    """Unread pages before a read page whose first table goes on with a form (its goal or
    indicator grid, no 项目名称): the form's head (name, amounts) is on the page before, which
    names no indicator and so was not a candidate."""
    found = []
    for page, table in first_tables(blocks).items():
        before = page - 1
        if before < 1 or before in read or FORM_NAME_LABEL not in squash(scans[before - 1].text):
            continue
        if continues_form([r.cells for r in table.rows]):
            found.append(before)
    return sorted(set(found))


def _header_cells(table: RawTable) -> list[str]:
    """The cells of a table's first header-like row: text in several cells, no digits."""
    for row in table.rows[:HEADER_SCAN_ROWS]:
        cells = [squash(c) for c in row.cells if c and squash(c)]
        if len(cells) >= MIN_HEADER_CELLS and not any(DIGIT_RE.search(c) for c in cells):
            return cells
    return []
