"""One self-evaluation form read by its parts, table by table: labelled fields (项目名称 …), the
money block (columns 年初预算数 … over rows 年度资金总额 …), the goals (预期目标 | 实际完成情况
with the texts below) and the indicator grid down to 总分. A part is found by its words
(``data/evaluation.toml``) wherever the template prints it; a grid that goes on over a page
keeps its columns, and a row cut by the page break keeps its 一级/二级.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.layouts.evaluation_cells import (
    Columns,
    EvaluationDraft,
    goal_text,
    header_row,
    header_unit,
    line_fields,
    read_labels,
    span_at,
    take,
    text_in,
)
from extract.layouts.evaluation_rows import indicator_row, is_category, prints_levels, sums_to
from extract.locate.evaluations import EvaluationSpec, FoundForm, cell_key, word_role
from extract.locate.formgrid import join_characters
from extract.locate.tables import column_slot
from extract.read.base import Cell, RawRow, RawTable, union

COLUMN_TOLERANCE_PT = 4.0
SUBTOTAL_RE = re.compile(r"^其中[：:]?")  # 其中：当年财政拨款 is a part of the total
MONEY_VALUES = frozenset({"budget_start", "budget", "spent", "rate"})


@dataclass
class _Grid:
    """The indicator grid's columns, in the table that printed its header; ``fields``: the
    label and money columns the same header row heads (a district's one-table template)."""

    columns: Columns
    width: int
    col_x: list[float] | None
    fields: Columns = field(default_factory=dict)
    transposed: bool = False  # a money block with 年度资金总额 … as columns, 年初预算数 … as rows


@dataclass
class _Open:
    """The parts still open when a table ends: they go on in the form's next table."""

    grid: _Grid | None = None  # the indicator grid, down to 总分
    money: _Grid | None = None  # the money block, down to the goals or the grid
    goals: list[Cell] | None = None  # a goal header that closed a page, its texts on the next


def read_evaluation(form: FoundForm, spec: EvaluationSpec) -> list[EvaluationDraft]:
    """The parts of one form, read table by table in order: one draft, or one per project
    where a table lists several projects under one header (项目名称 a column)."""
    drafts = [EvaluationDraft(form.kind, title=form.title, year=form.year)]
    parts = _Open()
    for table in form.tables:
        _read_table(_characters_joined(table, spec), drafts, spec, parts)
    above = line_fields(form.lines, spec)  # 项目名称：… printed above the table
    for draft in drafts:
        draft.grid_unread = not draft.indicators and prints_levels(form)
        draft.fields = {**above, **draft.fields} if len(drafts) == 1 else draft.fields
    first = [r for r in form.tables[0].rows if r.page == form.tables[0].rows[0].page]
    drafts[0].page = first[0].page if first else None
    for row in first:
        drafts[0].box = union(drafts[0].box, row.box)
    return drafts


def _characters_joined(table: RawTable, spec: EvaluationSpec) -> RawTable:
    """Labels printed one character per line that the grid split into one row per character
    (产 / 出 / 指 / 标, 年 / 度 / 总 / 体 / 目 / 标) joined back, as in the target forms."""

    def spells(text: str) -> bool:  # 产出 names 产出指标 too: wait for the whole name
        return spec.is_word(text) or (text.endswith("指标") and is_category(text))

    rows = join_characters(table.rows, spells)
    return RawTable(rows=rows, page=table.page, col_x=table.col_x)


def _sub_header(cells: list[Cell], above: list[Cell], spec: EvaluationSpec) -> Columns:
    """A second header row that divides a header cell of the row above (指标值 over 年度指标值 |
    实际完成值): its columns, each under a header cell it divides or under a blank one; none
    unless every filled cell of the row is a header word."""
    filled = [c for c in cells if c]
    sub = header_row(cells, spec.indicators, least=1)
    if not sub or len(sub) < len(filled) or not all(spec.is_word(c) for c in filled):
        return {}
    top = header_row(above, spec.indicators)

    def fits(role: str, col: int) -> bool:  # under a blank, a span it divides, or its own role
        spans = [(r, a, e) for r, (a, e) in top.items() if a <= col < e]
        return not above[col] or any(e - a > 1 or r == role for r, a, e in spans)

    return sub if all(col < len(above) and fits(r, col) for r, (col, _) in sub.items()) else {}


def _read_table(
    table: RawTable, drafts: list[EvaluationDraft], spec: EvaluationSpec, parts: _Open
) -> None:
    rows = table.rows
    money = _continued(parts.money, table, need=None) if parts.money else None
    transposed = parts.money is not None and parts.money.transposed
    i = 0
    if parts.goals is not None and rows and len(rows[0].cells) == len(parts.goals):
        _goals(parts.goals, rows[0].cells, drafts[-1], spec)
        i = 1
    parts.goals = None
    while i < len(rows):
        cells, draft = rows[i].cells, drafts[-1]
        if parts.grid is not None and (columns := _continued(parts.grid, table)) is not None:
            if not _grid_row(rows, i, columns, drafts, spec, parts):
                i += 1
                continue
        if (cols := header_row(cells, spec.indicators)) and "name" in cols:
            if i + 1 < len(rows) and (sub := _sub_header(rows[i + 1].cells, cells, spec)):
                cols, i = {**cols, **sub}, i + 1  # 指标值 over 年度指标值 | 实际完成值
            parts.grid = _Grid(cols, len(cells), table.col_x, _field_columns(cells, spec))
            money = parts.money = None
            draft.amount_unit = draft.amount_unit or header_unit(cells)
            read_labels(rows, i, draft, spec)
        elif (cols := header_row(cells, spec.money_columns)) and len(cols) >= 2:
            money, parts.money, transposed = cols, _Grid(cols, len(cells), table.col_x), False
            draft.amount_unit = draft.amount_unit or header_unit(cells)
            read_labels(rows, i, draft, spec)  # a district's one-row template: labels beside
        elif len(cols := _money_row_heads(cells, spec)) >= 2:
            money, transposed = cols, True
            parts.money = _Grid(cols, len(cells), table.col_x, transposed=True)
            draft.amount_unit = draft.amount_unit or header_unit(cells)
        elif header_row(cells, spec.goals):
            if i + 1 < len(rows):
                _goals(cells, rows[i + 1].cells, draft, spec)
            else:
                parts.goals = cells  # the texts open the next page
            money = parts.money = None
            i += 1
        elif money is None or not _money_row(cells, money, transposed, draft, spec):
            read_labels(rows, i, draft, spec)
        i += 1


def _goals(
    head: list[Cell], below: list[Cell], draft: EvaluationDraft, spec: EvaluationSpec
) -> None:
    draft.goal = goal_text(head, below, "goal", spec)
    draft.goal_result = goal_text(head, below, "result", spec)


def _grid_row(rows: list[RawRow], i: int, columns: Columns, drafts: list[EvaluationDraft],
              spec: EvaluationSpec, parts: _Open) -> bool:  # fmt: skip
    """Row ``i`` inside the open indicator grid: an indicator, or 总分 (which closes the grid
    and is read for labels too: 总分 | 100 | 95 | 自评等级：优). True for a header row, which
    the caller reads as the start of a grid."""
    cells, draft, grid = rows[i].cells, drafts[-1], parts.grid
    assert grid is not None
    if header_row(cells, spec.indicators):
        return True
    if _total_row(cells, spec):
        total = take(cells, columns, ("weight", "score"))
        if len(drafts) > 1 and not sums_to(total.get("score", ""), draft):
            parts.grid = None  # 合计 under a list of projects: the table's, not the last one's
            return False
        draft.total = total
        read_labels(rows, i, draft, spec)
        # the rows below 总分 are labelled fields (自评等级 …); in a list, the next project
        parts.grid = grid if grid.fields else None
        return False
    if grid.fields and spec.is_word(next((c for c in cells if c), None)):
        parts.grid = None  # a list's 年度绩效目标 | … rows below it: fields again
        return True
    if grid.fields and columns is grid.columns:
        draft = _listed_project(rows[i], grid.fields, drafts, spec)
    indicator_row(rows[i], columns, draft)
    return False


def _continued(grid: _Grid, table: RawTable, need: str | None = "name") -> Columns | None:
    """The grid's columns in this table: the same when it is as wide, else by left edges;
    none unless the role ``need`` is among them."""
    width = max((len(r.cells) for r in table.rows), default=0)
    if width == grid.width:
        return grid.columns
    if not grid.col_x or not table.col_x:
        return None
    edges, here = grid.col_x, table.col_x

    def slot(k: int) -> int | None:  # the grid's column k in this table
        return column_slot(edges[k], here, COLUMN_TOLERANCE_PT)

    out = {}
    for role, (start, end) in grid.columns.items():
        first = slot(start) if start < len(edges) else None
        last = slot(end) if end < len(edges) else width
        if first is not None:
            out[role] = (first, last if last is not None and last > first else first + 1)
    return out if need is None or need in out else None


def _total_row(cells: list[Cell], spec: EvaluationSpec) -> bool:
    first = next((cell_key(c) for c in cells if c), "")
    return first in spec.indicators["total"]


def _money_row(cells: list[Cell], money: Columns, transposed: bool, draft: EvaluationDraft,
               spec: EvaluationSpec) -> bool:  # fmt: skip
    """A row of the money block read into ``draft.money[row][column]``; False if it is not
    one: 年度资金总额 | 100 | 120 | … under 年初预算数 | 全年预算数 | …, or transposed, 年初预算数 |
    100 | 100 | … under 年度资金总额 | 其中：财政拨款 | …."""
    if transposed:
        column = next((r for c in cells if (r := word_role(c, spec.money_columns))), None)
        if column is None:
            return False
        for row_label, span in money.items():
            if value := text_in(cells, span):
                draft.money.setdefault(row_label, {})[column] = value
        return True
    if (label := _money_label(cells, spec, draft)) is None:
        return False
    draft.money[label] = take(cells, money, tuple(money))
    return True


def _money_row_role(cell: Cell, spec: EvaluationSpec) -> str | None:
    """年度资金总额, 其中:本年财政拨款 …: a money row's word, without 其中 and a final colon."""
    key = cell_key(cell)
    for word in (key, SUBTOTAL_RE.sub("", key)):
        if word and (role := spec.role(word, spec.money_rows)) is not None:
            return role
    return None


def _money_row_heads(cells: list[Cell], spec: EvaluationSpec) -> Columns:
    """A transposed money block's header: the money rows' words as column heads."""
    found: Columns = {}
    for col, cell in enumerate(cells):
        if (role := _money_row_role(cell, spec)) is not None and role not in found:
            found[role] = span_at(cells, col)
    return found


def _money_label(cells: list[Cell], spec: EvaluationSpec, draft: EvaluationDraft) -> str | None:
    """The row label of a money row (年度资金总额, 其中:本年财政拨款 …); the total for the first
    unlabelled row of numbers (a one-row district template), never over a printed total."""
    for cell in cells:
        if (role := _money_row_role(cell, spec)) is not None:
            return role
    numbers = sum(1 for c in cells if c and any(ch.isdigit() for ch in c))
    return "total" if numbers >= 2 and "total" not in draft.money else None


def _field_columns(cells: list[Cell], spec: EvaluationSpec) -> Columns:
    """The label and money columns an indicator header row also heads (项目名称 | 预算单位 |
    年初预算 … | 一级指标 …): a one-table template whose project rows carry their fields."""
    labels = header_row(cells, spec.labels, least=1)
    money = header_row(cells, spec.money_columns)
    money = {f"money.{k}": v for k, v in money.items()} if MONEY_VALUES & money.keys() else {}
    return {**labels, **money} if "project_name" in labels or money else {}


def _listed_project(row: RawRow, columns: Columns, drafts: list[EvaluationDraft],
                    spec: EvaluationSpec) -> EvaluationDraft:  # fmt: skip
    """A row printing a project's name under a 项目名称 column starts that project (the first
    one fills the form's draft); its fields and money are read from the same row."""
    draft = drafts[-1]
    name = text_in(row.cells, columns.get("project_name"))
    if not name and not any(text_in(row.cells, span) for k, span in columns.items()
                            if k.startswith("money.")):  # fmt: skip
        return draft
    if name and draft.indicators:
        previous = draft
        draft = EvaluationDraft(previous.kind, title=previous.title, year=previous.year)
        draft.amount_unit, draft.page, draft.box = previous.amount_unit, row.page, row.box
        draft.fields = {k: v for k, v in previous.fields.items() if k == "department"}
        drafts.append(draft)
    for role, span in columns.items():
        if (text := text_in(row.cells, span)) and role.startswith("money."):
            draft.money.setdefault("total", {})[role.removeprefix("money.")] = text
        elif text and not spec.is_word(text):
            draft.fields[role] = text
    return draft
