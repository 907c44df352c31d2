"""Table assembly: find the performance table among the blocks, stitch its page fragments,
drop repeated headers and noise rows, and merge rows continued across a page break."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.enums import Layout, Severity
from extract.locate.forms import (
    continues_form,
    has_money_label,
    is_blank_form,
    is_caption_form,
    is_form,
)
from extract.locate.headers import (
    MONEY_ROLES,
    HeaderMatch,
    HeaderSpec,
    default_spec,
    find_header,
    header_key,
    is_rejected,
    role_of,
)  # fmt: skip
from extract.locate.unread import carries_indicators, gridless_pages, unread_finding
from extract.read.base import Block, Cell, Finding, RawRow, RawTable, TextLine, union
from extract.settings import Settings
from extract.values.packed import split_packed
from extract.values.textnorm import clean_cell, join_wrapped, squash

NOISE_CELL_RE = re.compile(
    r"^(?:[-－—–]\s*\d+\s*[-－—–]|第\s*\d+\s*页.*|\d+\s*/\s*\d+|注[:：].*|(?:金额)?单位[:：]\s*(?:万元|元|千元|亿元))$"
)
SECTION_BREAK_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|附件|附表)|表$"
)
SKIPPED_KINDS = {
    "self_evaluation": "a table reporting results (绩效自评: 实际完成值, 得分)",
    "department": "an indicator table without a 项目名称 column (部门整体支出绩效目标表)",
    "empty": "a table printed empty (此表无数据)",
    "goals_only": "projects with goal text but no indicators (a budget table's 绩效目标 column)",
    "transfer": "a transfer-payment fund's form (专项转移支付绩效目标表)",
}
EMPTY_TABLE_WORDS = frozenset(
    {"此表无数据", "本表无数据", "无数据", "此表为空", "本部门无此项内容"}
)
COLUMN_TOLERANCE_PT = 3.0
# A rows table "repeats its cells" when these columns are filled on nearly every row.
REPEATED_ROLES = ("project_name", "level1", "level2")
REPEATED_SHARE = 0.9
MIN_REPEATED_ROWS = 5  # column edges within this distance are the same column
# Roles whose cells identify a row: when all are empty the row continues the row above.
KEY_ROLES: dict[Layout, tuple[str, ...]] = {
    Layout.PACKED: ("project_name", *MONEY_ROLES),
    Layout.ROWS: ("level3",),
}


@dataclass
class LogicalTable:
    """One performance table, stitched from its page fragments."""

    header: HeaderMatch
    rows: list[RawRow] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    block_index: int = 0
    col_x: list[float] | None = None  # the header block's column edges (PDF)
    printed: tuple[int, list[int]] | None = None  # its first block's width, the columns kept
    title: str | None = None  # the title line above a form: printed again, it breaks nothing


def blocks_to_tables(
    blocks: list[Block], settings: Settings, spec: HeaderSpec | None = None
) -> tuple[list[LogicalTable], list[Finding]]:
    """Group table fragments into logical performance tables, in document order."""
    spec = spec or default_spec()
    tables: list[LogicalTable] = []
    findings: list[Finding] = []
    current: LogicalTable | None = None  # the table a headerless block may continue
    last: LogicalTable | None = None  # the table a repeated header continues
    title: str | None = None  # the last title line
    skipped: tuple[str, int | None, str | None] | None = None  # the last table not read: kind
    for index, block in enumerate(blocks):
        if isinstance(block, TextLine):
            if SECTION_BREAK_RE.search(block.text.strip()):
                title = squash(block.text)
                if current is not None and not (current.header.layout is Layout.FORM
                                                and title == current.title):  # fmt: skip
                    current = None  # a title: what follows without a header is another table
            continue
        printed, block = block, without_empty_columns(block)
        grid = [r.cells for r in block.rows]
        match = find_header(
            grid, spec, scan_rows=settings.header_scan_rows, min_matches=settings.min_header_matches
        )
        # A header row decides first; a form has label cells, not a header row.
        if match is None and (is_form(grid, spec) or is_caption_form(grid, title, spec)):
            current = last = LogicalTable(
                header=HeaderMatch(Layout.FORM, 0, -1, width=len(grid[0])),
                block_index=index,
                title=title,
                col_x=block.col_x,
                printed=_printed(printed),
            )
            tables.append(current)
            _join(current, block.rows, block, None)
        elif match is not None and match.layout in KEY_ROLES:
            rows = block.rows[match.last_row + 1 :]
            if last is not None and last.header.repeats(match):
                current = last
                _join(current, rows, block, "header repeated")
            else:
                current = last = LogicalTable(header=match, block_index=index, col_x=block.col_x,
                                              printed=_printed(printed))  # fmt: skip
                tables.append(current)
                _join(current, rows, block, None)
        elif current is not None and current.header.layout is Layout.FORM and match is None \
                and _next_to(current, block) and continues_form(grid, spec):  # fmt: skip
            aligned = _aligned(current, block) or _as_printed(current, printed)
            _join(current, (aligned or block).rows, block, "form continued")
        elif (
            current is not None
            and match is None
            and (aligned := _aligned(current, block) or _as_printed(current, printed))
        ):  # a one-row page whose empty columns were dropped lines up as printed
            _join(current, aligned.rows, aligned, "same columns, no header")
        else:
            kind = skipped_kind(grid, spec, settings, title) or _goes_on(skipped, block, title)
            if kind is not None:
                findings.append(_skipped(kind, block.page))
                skipped = (kind, block.page, title)
            elif carries_indicators(grid, spec):
                findings.append(unread_finding(block.page))
            current = last = None
            continue
        skipped = None
    findings += [unread_finding(page) for page in gridless_pages(blocks, spec)]
    for table in [t for t in tables if _packs_in_goal(t) and not _goal_holds_items(t)]:
        tables.remove(table)
        findings.append(_skipped("goals_only", _first_page(table)))
    for table in tables:
        if (issue := _width_check(table)) is not None:
            table.findings.append(issue)
        if table.header.layout in KEY_ROLES:
            table.rows = merge_continuations(
                drop_noise_rows(table.rows, table.header), table.header
            )
    for table in [t for t in tables if t.header.layout in KEY_ROLES and not t.rows]:
        tables.remove(table)  # a header over 此表无数据 (or nothing): no project, no error
        findings.append(_skipped("empty", _first_page(table)))
    return tables, findings


def _next_to(table: LogicalTable, block: RawTable) -> bool:
    """A block can go on with a form only on the form's last page or the page after: a page
    between them that was not read (a table of another kind) ends the form."""
    if block.page is None or not table.pages:
        return True
    return block.page - table.pages[-1] in (0, 1)


def _goes_on(
    skipped: tuple[str, int | None, str | None] | None, block: RawTable, title: str | None
) -> str | None:
    """A block without a header right after a skipped table (on its page or the next, under
    the same title) goes on with it: the same kind."""
    if skipped is None:
        return None
    kind, page, its_title = skipped
    if title != its_title or page is None or block.page is None:
        return None
    return kind if block.page - page in (0, 1) else None


def _skipped(kind: str, page: int | None) -> Finding:
    message = f"{kind}: {SKIPPED_KINDS[kind]} (not project targets)"
    return Finding(Severity.INFO, "table_skipped", message, page)


def _first_page(table: LogicalTable) -> int | None:
    return table.pages[0] if table.pages else None


def _kept(block: RawTable) -> tuple[int, list[int]]:
    """A block's width and the columns some row has text in."""
    width = max((len(r.cells) for r in block.rows), default=0)
    return width, [c for c in range(width) if any(_cell(r.cells, c) for r in block.rows)]


def _printed(block: RawTable) -> tuple[int, list[int]] | None:
    return _kept(block) if block.col_x is None else None  # PDF blocks line up by their edges


def _as_printed(table: LogicalTable, block: RawTable) -> RawTable | None:
    """A headerless block as printed (before its empty columns were dropped) in the table's
    columns: the printed width of the table's first block, the same columns kept. A .docx
    table split in two keeps its grid, while each part has other columns empty."""
    if table.printed is None or not block.rows:
        return None
    width, keep = table.printed
    if max(len(r.cells) for r in block.rows) != width:
        return None
    rows = [RawRow([r.cells[c] if c < len(r.cells) else None for c in keep], r.page, box=r.box)
            for r in block.rows]  # fmt: skip
    return RawTable(rows=rows, page=block.page)


def without_empty_columns(block: RawTable) -> RawTable:
    """Drop the columns no row has text in (a ruled margin column, a column covered by a
    merged cell throughout): a table and its continuation on the next page then line up."""
    width, keep = _kept(block)
    if len(keep) == width:
        return block
    rows = [RawRow([r.cells[c] if c < len(r.cells) else None for c in keep], r.page, box=r.box)
            for r in block.rows]  # fmt: skip
    col_x = [block.col_x[c] for c in keep] if block.col_x and len(block.col_x) == width else None
    return RawTable(rows=rows, page=block.page, col_x=col_x)


def _packs_in_goal(table: LogicalTable) -> bool:
    """A packed table without a 绩效指标 column: its 绩效目标 cells may hold the items."""
    header = table.header
    return header.layout is Layout.PACKED and header.col("indicators_packed") is None


def _goal_holds_items(table: LogicalTable) -> bool:
    col = table.header.col("goal")
    return col is not None and any(
        split_packed(clean_cell(r.cells[col]) or "") for r in table.rows if col < len(r.cells)
    )


def _width_check(table: LogicalTable) -> Finding | None:
    """Rows wider than their header mean the columns are misread (a header cell lost)."""
    if table.header.layout not in KEY_ROLES:
        return None
    wide = [r for r in table.rows if sum(1 for c in r.cells if c is not None) > table.header.width]
    if not wide:
        return None
    return Finding(Severity.ERROR, "column_count_changed",
        f"{len(wide)} rows have more cells than the header's {table.header.width}: "
        "columns may be misread", wide[0].page)  # fmt: skip


def skipped_kind(
    grid: list[list[Cell]], spec: HeaderSpec, settings: Settings, title: str | None = None
) -> str | None:
    """What a table that gives no project rows is, when it is a performance table at all:
    ``self_evaluation`` (实际完成值, 得分 …), ``department`` (一级/三级 indicator columns
    without 项目名称: 部门整体支出绩效目标表), ``empty`` (此表无数据), else ``None``."""
    head = grid[: settings.header_scan_rows]
    if any(is_rejected(r, spec) for r in head):
        return "self_evaluation"
    texts = {header_key(c) for r in grid for c in r if c}
    if texts & EMPTY_TABLE_WORDS or (is_blank_form(grid, spec) and carries_indicators(grid, spec)):
        return "empty"
    named = [squash(title or ""), *(t for r in head for c in r if c and len(t := squash(c)) < 40)]
    if any(w in text for w in spec.department_words for text in named):
        return "department"
    if any(w in text for w in spec.transfer_words for text in named):
        return "transfer"
    if has_money_label(grid, spec):
        return None  # a money block beside the grid: a project's form, unless its title says not
    for row in head:
        roles = {role_of(c, spec) for c in row}
        if {"level1", "level3"} <= roles or {"level3", "value_annual"} <= roles:
            return "department"
    return None


def _aligned(table: LogicalTable, block: RawTable) -> RawTable | None:
    """A headerless block continues the table when its columns line up with the header's:
    by their left edges where the extractor knows them (a column empty on this page was
    dropped), else by their number. The block comes back in the header's columns."""
    if not block.rows:
        return None
    if table.col_x and block.col_x:
        slots = [column_slot(x, table.col_x) for x in block.col_x]
        if None in slots or len(set(slots)) != len(slots):
            # a PDF's positions decide; a Word table's cells do, its positions only help
            return _same_width(table, block) if block.page is None else None
        width = table.header.width
        rows = []
        for r in block.rows:
            cells: list[Cell] = [""] * width
            for cell, slot in zip(r.cells, slots, strict=False):
                cells[slot] = cell  # type: ignore[index]
            rows.append(RawRow(cells, r.page, box=r.box))
        return RawTable(rows=rows, page=block.page, col_x=table.col_x)
    return _same_width(table, block)


def _same_width(table: LogicalTable, block: RawTable) -> RawTable | None:
    return block if max(len(r.cells) for r in block.rows) == table.header.width else None


def column_slot(x: float, edges: list[float], tolerance: float = COLUMN_TOLERANCE_PT) -> int | None:
    """The column whose left edge is nearest ``x``, if within ``tolerance`` points."""
    best = min(range(len(edges)), key=lambda i: abs(edges[i] - x))
    return best if abs(edges[best] - x) <= tolerance else None


def _join(table: LogicalTable, rows: list[RawRow], block: RawTable, reason: str | None) -> None:
    if reason is not None:
        where = f"p.{block.page}: " if block.page is not None else ""  # .docx has no pages
        table.findings.append(Finding(Severity.INFO, "fragment_joined",
            f"{where}table fragment joined to the table above ({reason})", block.page))  # fmt: skip
    fragment = table.rows[-1].fragment + 1 if table.rows else 0
    for row in rows:
        if row.page is not None and row.page not in table.pages:
            table.pages.append(row.page)
    table.rows.extend(RawRow(r.cells, r.page, fragment, r.box) for r in rows)


def drop_noise_rows(rows: list[RawRow], header: HeaderMatch) -> list[RawRow]:
    """Remove empty rows, page numbers, 注： and 单位： lines, and repeated header rows."""
    header_keys = set(header.signature) - {""}
    kept = []
    for row in rows:
        texts = [header_key(c) for c in row.cells if header_key(c)]
        if not texts:
            continue
        if len(texts) == 1 and NOISE_CELL_RE.match(texts[0]):
            continue
        if all(t in EMPTY_TABLE_WORDS or t == "无" for t in texts):
            continue  # 此表无数据: the table is printed empty
        if len(texts) >= 2 and all(t in header_keys for t in texts):
            continue
        kept.append(row)
    return kept


def merge_continuations(rows: list[RawRow], header: HeaderMatch) -> list[RawRow]:
    """A row whose key cells are empty continues the row above (a row broken by a page).

    Cells are joined inside the cell where they continue (``3-5`` + ``个。`` → ``3-5个。``).
    In the rows layout only the first row of a page can be such a continuation.
    """
    key_cols = [c for role in KEY_ROLES[header.layout] for c in header.columns.get(role, [])]
    money_cols = [c for role in MONEY_ROLES for c in header.columns.get(role, [])]
    repeated = _repeats_cells(rows, header)
    merged: list[RawRow] = []
    for row in rows:
        prev = merged[-1] if merged else None
        at_page_start = prev is not None and (
            row.page != prev.page or row.fragment != prev.fragment
        )
        continues = prev is not None and all(not _cell(row.cells, c) for c in key_cols)
        if header.layout is Layout.PACKED and at_page_start and money_cols:
            # A name cell broken by the page: its tail comes with empty amount cells.
            continues = continues or all(not _cell(row.cells, c) for c in money_cols)
        if repeated and at_page_start and not continues:
            # project and group cells printed on every row: a page-start row without them is
            # the rest of a row the page break cut
            continues = all(not _cell(row.cells, c) for c in repeated)
        if continues and (header.layout is Layout.PACKED or at_page_start):
            assert prev is not None
            prev.cells = _merge_cells(prev.cells, row.cells)
            prev.box = union(prev.box, row.box) if prev.page == row.page else prev.box
        else:
            merged.append(RawRow(list(row.cells), row.page, row.fragment, row.box))
    return merged


def _repeats_cells(rows: list[RawRow], header: HeaderMatch) -> list[int]:
    """The project name and 一级/二级 columns of a rows table that prints them on every row
    (no merged cells), or none; rows that open a page are not counted (they may be cut)."""
    if header.layout is not Layout.ROWS or len(rows) < MIN_REPEATED_ROWS:
        return []
    cols = [c for role in REPEATED_ROLES for c in header.columns.get(role, [])[:1]]
    if not cols:
        return []
    inside = [r for r, above in zip(rows[1:], rows, strict=False) if r.page == above.page]
    full = sum(1 for r in inside if all(_cell(r.cells, c) for c in cols))
    return cols if inside and full >= REPEATED_SHARE * len(inside) else []


def _merge_cells(upper: list[Cell], lower: list[Cell]) -> list[Cell]:
    width = max(len(upper), len(lower))
    out: list[Cell] = []
    for i in range(width):
        a = upper[i] if i < len(upper) else None
        b = lower[i] if i < len(lower) else None
        out.append(join_wrapped([a or "", b]) if b else a)
    return out


def _cell(cells: list[Cell], col: int) -> str:
    return (cells[col] or "").strip() if col < len(cells) else ""
