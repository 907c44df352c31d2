"""One PDF page → its tables and the text lines around them (pdfplumber), with the glyph
fixes the tables need first: doubled glyphs, glyph boxes a line off their baseline, glyph
codes without a Unicode map."""

from __future__ import annotations

import bisect
import re
from typing import Any

from extract.enums import Severity
from extract.read.base import Block, Box, Finding, RawRow, RawTable, TextLine
from extract.read.pdf.grid import find_tables
from extract.read.pdf.words import cell_text
from extract.values.textnorm import clean_cell

DEDUPE_TOLERANCE = 1
DOUBLED_SHARE = 0.05  # above this share of doubled glyphs, a page is deduplicated
CID_REPLACEMENT = "\ufffd"  # what a (cid:NNN) glyph becomes: never passed on as text
DESCENT = 0.12  # a glyph box's bottom below its baseline, in ems (typical CJK fonts)
BOX_SLACK = 0.3  # how far (in ems) a font's own metrics may move the box before it is fixed
TABLE_SETTINGS: dict[str, Any] = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
LINE_SLACK_PT = 0.5  # glyphs of one line share their top (and size) within this
CID_RE = re.compile(r"\(cid:\d+\)")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def page_to_blocks(page: Any, number: int, findings: list[Finding]) -> list[Block]:
    """Tables and the text lines outside them, in reading order (top to bottom)."""
    if doubled_share(page.chars) > DOUBLED_SHARE:
        before = len(page.chars)
        page = page.dedupe_chars(tolerance=DEDUPE_TOLERANCE)
        findings.append(Finding(Severity.INFO, "doubled_glyphs",
            f"p.{number}: {before - len(page.chars)} doubled glyphs removed", number))  # fmt: skip
    page = page.filter(is_drawn)
    fix_char_boxes(page.chars)
    tables = sorted(find_tables(page, _table_settings(page)), key=lambda t: t.bbox[1])
    placed: list[tuple[float, Block]] = []
    for table in tables:
        pull_back_overflow(page.chars, table.cells)
        rows = [RawRow(cells=list(r), page=number, box=_own_box(row.cells))
                for r, row in zip(table_text(table), table.rows, strict=True)]  # fmt: skip
        _flag_cids(rows, number, findings)
        col_x = [round(c.bbox[0], 1) for c in table.columns]
        placed.append((table.bbox[1], RawTable(rows=rows, page=number, col_x=col_x)))
    edges = [0.0, *(y for t in tables for y in (t.bbox[1], t.bbox[3])), float(page.height)]
    glyphs = page.filter(_is_char)  # cropped below: only the glyphs, not every ruling again
    for top, bottom in zip(edges[::2], edges[1::2], strict=True):
        if bottom - top < 1:
            continue
        region = glyphs.crop((0, top, page.width, bottom), strict=False)
        for line in region.extract_text_lines(return_chars=False):
            placed.append((line["top"], TextLine(line_text(line["text"]), number)))
    return [block for _, block in sorted(placed, key=lambda p: p[0])]


def table_text(table: Any) -> list[list[str | None]]:
    """``table.extract()``, the same cells from the same glyphs, without testing every glyph
    of the page against every row: pdfplumber's scan costs rows × glyphs (a second per dense
    page), a sort by the glyphs' vertical middle and a bisection per row cost next to nothing.
    A glyph belongs to the cell holding its middle; a cell's glyphs keep the page's order."""
    chars = table.page.chars
    v_mid = [(c["top"] + c["bottom"]) / 2 for c in chars]
    h_mid = [(c["x0"] + c["x1"]) / 2 for c in chars]
    order = sorted(range(len(chars)), key=v_mid.__getitem__)
    ordered = [v_mid[i] for i in order]
    rows: list[list[str | None]] = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        band = order[bisect.bisect_left(ordered, top) : bisect.bisect_left(ordered, bottom)]
        in_row = sorted(i for i in band if x0 <= h_mid[i] < x1)
        cells: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            left, up, right, down = cell
            picked = [
                chars[i] for i in in_row if left <= h_mid[i] < right and up <= v_mid[i] < down
            ]
            cells.append(cell_text(picked) if picked else "")
        rows.append(cells)
    return rows


def _is_char(obj: dict[str, Any]) -> bool:
    return obj.get("object_type") == "char"


def _own_box(cells: list[Box | None]) -> Box | None:
    """A row's own box: across its cells, down to its lowest cell's top neighbour, i.e. the
    shortest cell's bottom (a cell merged down over the rows below does not stretch it)."""
    boxes = [c for c in cells if c is not None]
    if not boxes:
        return None
    return (round(min(b[0] for b in boxes), 1), round(min(b[1] for b in boxes), 1),
            round(max(b[2] for b in boxes), 1), round(min(b[3] for b in boxes), 1))  # fmt: skip


def is_drawn(obj: dict[str, Any]) -> bool:
    """False for a rectangle that paints nothing visible: filled white, no stroke (a text
    box's background). Its sides are no rulings, though pdfplumber takes them for edges and
    cuts every cell they cross into thin rows."""
    if obj.get("object_type") != "rect" or obj.get("stroke"):
        return True
    return not (obj.get("fill") and _is_white(obj.get("non_stroking_color")))


def _is_white(color: Any) -> bool:
    """White in gray (1), RGB (1, 1, 1) or CMYK (0, 0, 0, 0)."""
    values = list(color) if isinstance(color, list | tuple) else [color]
    if not values or any(not isinstance(v, int | float) for v in values):
        return False
    if len(values) == 4:
        return all(v == 0 for v in values)
    return all(v == 1 for v in values)


def pull_back_overflow(chars: list[dict[str, Any]], cells: list[Box]) -> None:
    """A cell's text that runs past its bottom rule: a line cut by the rule goes on from the
    line above it in the content stream, at the left of the same column, so it is moved back
    into its cell (as a last line of its own) instead of being read as the first text of the
    cell below (``求`` of ``…项目要求`` read as ``求12`` under it)."""
    bottoms = sorted({round(c[3], 1) for c in cells})
    moving: tuple[float, Box] | None = None  # (top of the line being moved, its cell)
    prev: dict[str, Any] | None = None
    for c in chars:
        if moving is not None and abs(c["top"] - moving[0]) < LINE_SLACK_PT:
            _move_into(c, moving[1])
        elif prev is not None and (target := _overflow_target(c, prev, bottoms, cells)):
            moving = (c["top"], target)
            _move_into(c, target)
        else:
            moving = None
        prev = c


def _overflow_target(
    c: dict[str, Any], prev: dict[str, Any], bottoms: list[float], cells: list[Box]
) -> Box | None:
    size = c["size"]
    i = bisect.bisect_left(bottoms, c["top"] - size)
    # the glyph is cut by the rule: never the padded first line of the cell below
    rules = [y for y in bottoms[i : i + 3] if c["top"] < y - LINE_SLACK_PT < c["bottom"]]
    if not rules or abs(prev["size"] - size) > LINE_SLACK_PT:
        return None
    y = rules[0]
    if not (prev["bottom"] <= y + LINE_SLACK_PT and y - prev["top"] < 2 * size):
        return None  # the line above the rule must be the previous line of the same text
    above = _cell_at(prev, cells)
    below = _cell_at(c, cells)
    if above is None or below is None or above == below:
        return None
    same_column = abs(above[0] - below[0]) < 1 and abs(above[2] - below[2]) < 1
    if not same_column or abs(above[3] - below[1]) > 1 or c["x0"] - above[0] > 1.5 * size:
        return None
    return above


def _cell_at(c: dict[str, Any], cells: list[Box]) -> Box | None:
    x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    return next((b for b in cells if b[0] <= x < b[2] and b[1] <= y < b[3]), None)


def _move_into(c: dict[str, Any], cell: Box) -> None:
    """A thin box just above the cell's bottom: inside the cell, a line of its own."""
    top = cell[3] - 2.5
    shift = top - c["top"]
    c["top"], c["bottom"], c["doctop"] = top, cell[3] - 0.5, c["doctop"] + shift
    c["y1"], c["y0"] = c["y1"] - shift, c["y1"] - shift - 2.0


def fix_char_boxes(chars: list[dict[str, Any]]) -> None:
    """Put each upright glyph's box where its baseline says, when its font's metrics put it
    a line away: some budget PDFs set digits in a font whose descent is a whole em, so
    pdfminer boxes ``120`` one line below the CJK text it is printed in (and a cell's text
    comes out with its numbers on the next line). Boxes within :data:`BOX_SLACK` of the
    usual place are left as they are."""
    for c in chars:
        m, size = c["matrix"], c["size"]
        if not size or m[1] or m[2] or m[0] <= 0 or m[3] <= 0:
            continue  # rotated, skewed or mirrored text: left to pdfminer
        shift = (m[5] - DESCENT * size) - c["y0"]
        if abs(shift) <= BOX_SLACK * size:
            continue
        c["y0"] += shift
        c["y1"] += shift
        c["top"] -= shift
        c["bottom"] -= shift
        c["doctop"] -= shift


def _table_settings(page: Any) -> dict[str, Any]:
    """Ruled tables; the topmost and bottommost rulings are drawn across the page, so that a
    merged cell cut open by the page edge (no bottom border: it goes on over the page) is
    still a cell and not an uncovered hole that loses its text."""
    rulings = [e["top"] for e in page.horizontal_edges]
    if not rulings:
        return TABLE_SETTINGS
    return {**TABLE_SETTINGS, "explicit_horizontal_lines": [min(rulings), max(rulings)]}


def doubled_share(chars: list[dict[str, Any]]) -> float:
    """Share of glyphs drawn twice at the same place (faux bold)."""
    seen: set[tuple[str, int, int]] = set()
    for c in chars:
        seen.add((c["text"], round(c["x0"]), round(c["top"])))
    return 1 - len(seen) / len(chars) if chars else 0.0


def line_text(text: str) -> str:
    """A text line outside tables: cleaned, without glyph codes or control characters."""
    cleaned = CID_RE.sub(CID_REPLACEMENT, clean_cell(text) or "")
    return CONTROL_RE.sub("", cleaned)


def _flag_cids(rows: list[RawRow], number: int, findings: list[Finding]) -> None:
    """Glyphs without a Unicode map come out as ``(cid:NNN)``: count them, flag the page,
    and replace each by U+FFFD so that glyph codes never pass for text."""
    hits = 0
    for row in rows:
        for i, cell in enumerate(row.cells):
            if cell and "(cid:" in cell:
                row.cells[i], n = CID_RE.subn(CID_REPLACEMENT, cell)
                hits += n
    if hits:
        findings.append(Finding(Severity.ERROR, "cid_glyphs",
            f"p.{number}: {hits} glyphs without a Unicode map ((cid:NNN), shown as "
            f"{CID_REPLACEMENT}); the font cannot be read as text, affected cells are "
            "unreliable", number))  # fmt: skip
