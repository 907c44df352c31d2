"""One self-evaluation form read by its parts, table by table: labelled fields (项目名称 …), the
money block (columns 年初预算数 … over rows 年度资金总额 …), the goals (预期目标 | 实际完成情况
with the texts below) and the indicator grid down to 总分. A part is found by its words
(``data/evaluation.toml``) wherever the template prints it; a grid that goes on over a page
keeps its columns, and a row cut by the page break keeps its 一级/二级.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.locate.evaluations import EvaluationSpec, FoundForm, cell_key, word_role
from extract.read.base import Box, Cell, RawRow, RawTable, union
from extract.values.textnorm import clean_cell

COLUMN_TOLERANCE_PT = 4.0
UNIT_WORDS = (("万元", "万元"), ("（元）", "元"), ("(元)", "元"))
SUBTOTAL_RE = re.compile(r"^其中[：:]?")  # 其中：当年财政拨款 is a part of the total
UNIT_LINE_RE = re.compile(r"单位[：:](万元|元)$")
MONEY_VALUES = frozenset({"budget_start", "budget", "spent", "rate"})
LEVELS = ("level1", "level2")


@dataclass
class EvalIndicatorDraft:
    """One indicator row's cells by role (level1, name, target, actual, weight …)."""

    cells: dict[str, str] = field(default_factory=dict)
    page: int | None = None
    box: Box | None = None


@dataclass
class EvaluationDraft:
    """What one form prints, as text: fields, money cells by row and column, indicators."""

    kind: str
    title: str | None = None
    year: int | None = None
    fields: dict[str, str] = field(default_factory=dict)
    money: dict[str, dict[str, str]] = field(default_factory=dict)
    amount_unit: str | None = None
    goal: str | None = None
    goal_result: str | None = None
    total: dict[str, str] = field(default_factory=dict)  # the 总分 row: weight, score
    indicators: list[EvalIndicatorDraft] = field(default_factory=list)
    page: int | None = None
    box: Box | None = None


Columns = dict[str, tuple[int, int]]  # role → the grid positions its header cell spans


@dataclass
class _Grid:
    """The indicator grid's columns, in the table that printed its header; ``fields``: the
    label and money columns the same header row heads (a district's one-table template)."""

    columns: Columns
    width: int
    col_x: list[float] | None
    fields: Columns = field(default_factory=dict)


def read_evaluation(form: FoundForm, spec: EvaluationSpec) -> list[EvaluationDraft]:
    """The parts of one form, read table by table in order: one draft, or one per project
    where a table lists several projects under one header (项目名称 a column)."""
    drafts = [EvaluationDraft(form.kind, title=form.title, year=form.year)]
    grid: _Grid | None = None
    money: _Grid | None = None  # a money block may go on in the next table, as the grid does
    for table in form.tables:
        grid, money = _read_table(table, drafts, spec, grid, money)
    first = [r for r in form.tables[0].rows if r.page == form.tables[0].rows[0].page]
    drafts[0].page = first[0].page if first else None
    for row in first:
        drafts[0].box = union(drafts[0].box, row.box)
    return drafts


def _read_table(table: RawTable, drafts: list[EvaluationDraft], spec: EvaluationSpec,
                grid: _Grid | None, money_grid: _Grid | None) -> tuple[_Grid | None, _Grid | None]:  # fmt: skip
    rows = table.rows
    money = _continued(money_grid, table, need=None) if money_grid else None
    i = 0
    while i < len(rows):
        cells, draft = rows[i].cells, drafts[-1]
        if grid is not None and (columns := _continued(grid, table)) is not None:
            if _total_row(cells, spec):
                draft.total = _take(cells, columns, ("weight", "score"))
                _labels(rows, i, draft, spec)  # 总分 | 100 | 95 | 自评等级：优
                grid = None  # the rows below 总分 are labelled fields (自评等级 …)
            elif not _header_row(cells, spec.indicators):
                if grid.fields and columns is grid.columns:
                    draft = _listed_project(rows[i], grid.fields, drafts, spec)
                _indicator_row(rows[i], columns, draft)
            if grid is None or not _header_row(cells, spec.indicators):
                i += 1
                continue
        if (cols := _header_row(cells, spec.indicators)) and "name" in cols:
            grid, money, money_grid = _Grid(cols, len(cells), table.col_x, _field_columns(cells, spec)), None, None
            draft.amount_unit = draft.amount_unit or _unit(cells)
            _labels(rows, i, draft, spec)
        elif (cols := _header_row(cells, spec.money_columns)) and len(cols) >= 2:
            money, money_grid = cols, _Grid(cols, len(cells), table.col_x)
            draft.amount_unit = draft.amount_unit or _unit(cells)
            _labels(rows, i, draft, spec)  # a district's one-row template: labels beside
        elif (goals := _header_row(cells, spec.goals)) and i + 1 < len(rows):
            draft.goal = _goal_text(cells, rows[i + 1].cells, "goal", spec)
            draft.goal_result = _goal_text(cells, rows[i + 1].cells, "result", spec)
            money = money_grid = None
            i += 1
        elif money is not None and (label := _money_label(cells, spec, draft)) is not None:
            draft.money[label] = _take(cells, money, tuple(money))
        else:
            _labels(rows, i, draft, spec)
        i += 1
    return grid, money_grid


def _continued(grid: _Grid, table: RawTable, need: str | None = "name") -> Columns | None:
    """The grid's columns in this table: the same when it is as wide, else by left edges;
    none unless the role ``need`` is among them."""
    width = max((len(r.cells) for r in table.rows), default=0)
    if width == grid.width:
        return grid.columns
    if not grid.col_x or not table.col_x:
        return None
    out = {}
    for role, (start, end) in grid.columns.items():
        first = _slot(grid.col_x[start], table.col_x) if start < len(grid.col_x) else None
        last = _slot(grid.col_x[end], table.col_x) if end < len(grid.col_x) else width
        if first is not None:
            out[role] = (first, last if last is not None and last > first else first + 1)
    return out if need is None or need in out else None


def _slot(x: float, edges: list[float]) -> int | None:
    best = min(range(len(edges)), key=lambda j: abs(edges[j] - x))
    return best if abs(edges[best] - x) <= COLUMN_TOLERANCE_PT else None


def _header_row(cells: list[Cell], table: dict[str, tuple[str, ...]], least: int = 2) -> Columns:
    """Role → the positions its header cell spans (to the next cell that is not covered);
    empty unless the row names at least ``least`` roles."""
    found: Columns = {}
    for col, cell in enumerate(cells):
        role = word_role(cell, table)  # the labels' rule: a word, or a long word it starts with
        if role is not None and role not in found:
            end = next((j for j in range(col + 1, len(cells)) if cells[j] is not None), len(cells))
            found[role] = (col, end)
    return found if len(found) >= least else {}


def _total_row(cells: list[Cell], spec: EvaluationSpec) -> bool:
    first = next((cell_key(c) for c in cells if c), "")
    return first in spec.indicators["total"]


def _indicator_row(row: RawRow, columns: Columns, draft: EvaluationDraft) -> None:
    """An indicator; a row with no name continues the one above (a row cut by a page)."""
    cells = _take(row.cells, columns, tuple(columns))
    if not any(cells.get(k) for k in columns if k not in LEVELS):
        return
    previous = draft.indicators[-1] if draft.indicators else None
    if not cells.get("name") and previous is not None:
        for role, text in cells.items():
            if text and role not in LEVELS:
                previous.cells[role] = (previous.cells.get(role, "") + text).strip()
        return
    for level in LEVELS:  # merged or left blank below its first row: carried down
        if not cells.get(level) and previous is not None:
            cells[level] = previous.cells.get(level, "")
    draft.indicators.append(EvalIndicatorDraft(cells, row.page, row.box))


def _take(cells: list[Cell], columns: Columns, roles: tuple[str, ...]) -> dict[str, str]:
    return {role: _text_in(cells, columns.get(role)) for role in roles}


def _text_in(cells: list[Cell], span: tuple[int, int] | None) -> str:
    """The first text in the positions a header spans ("" when they hold none: a cell
    covered by a merge from above, or blank)."""
    if span is None:
        return ""
    return next((clean_cell(c) or "" for c in cells[span[0] : span[1]] if c), "")


def _goal_text(cells: list[Cell], below: list[Cell], role: str, spec: EvaluationSpec) -> str | None:
    """The text under the goal header ``role``; where its word is printed twice (年度目标 as
    the row label and as the column head), under the one that has text below it."""
    for col, cell in enumerate(cells):
        if word_role(cell, spec.goals) == role:
            end = next((j for j in range(col + 1, len(cells)) if cells[j] is not None), len(cells))
            if text := _text_in(below, (col, end)):
                return text
    return None


def _money_label(cells: list[Cell], spec: EvaluationSpec, draft: EvaluationDraft) -> str | None:
    """The row label of a money row (年度资金总额, 其中:本年财政拨款 …); the total for the first
    unlabelled row of numbers (a one-row district template), never over a printed total."""
    for cell in cells:
        key = cell_key(cell)
        for word in (key, SUBTOTAL_RE.sub("", key)):
            if word and (role := spec.role(word, spec.money_rows)) is not None:
                return role
    numbers = sum(1 for c in cells if c and any(ch.isdigit() for ch in c))
    return "total" if numbers >= 2 and "total" not in draft.money else None


def _field_columns(cells: list[Cell], spec: EvaluationSpec) -> Columns:
    """The label and money columns an indicator header row also heads (项目名称 | 预算单位 |
    年初预算 … | 一级指标 …): a one-table template whose project rows carry their fields."""
    labels = _header_row(cells, spec.labels, least=1)
    money = _header_row(cells, spec.money_columns)
    money = {f"money.{k}": v for k, v in money.items()} if MONEY_VALUES & money.keys() else {}
    return {**labels, **money} if "project_name" in labels or money else {}


def _listed_project(row: RawRow, columns: Columns, drafts: list[EvaluationDraft],
                    spec: EvaluationSpec) -> EvaluationDraft:  # fmt: skip
    """A row printing a project's name under a 项目名称 column starts that project (the first
    one fills the form's draft); its fields and money are read from the same row."""
    draft = drafts[-1]
    name = _text_in(row.cells, columns.get("project_name"))
    if not name and not any(_text_in(row.cells, span) for k, span in columns.items()
                            if k.startswith("money.")):  # fmt: skip
        return draft
    if name and draft.indicators:
        previous = draft
        draft = EvaluationDraft(previous.kind, title=previous.title, year=previous.year)
        draft.amount_unit, draft.page, draft.box = previous.amount_unit, row.page, row.box
        draft.fields = {k: v for k, v in previous.fields.items() if k == "department"}
        drafts.append(draft)
    for role, span in columns.items():
        if (text := _text_in(row.cells, span)) and role.startswith("money."):
            draft.money.setdefault("total", {})[role.removeprefix("money.")] = text
        elif text and not spec.is_word(text):
            draft.fields[role] = text
    return draft


def _labels(rows: list[RawRow], i: int, draft: EvaluationDraft, spec: EvaluationSpec) -> None:
    """Labelled fields: the value is the next filled cell to the right unless that is a
    header word too (a row of labels), else the cell below; ``主管部门：…`` in one cell."""
    cells = rows[i].cells
    draft.amount_unit = draft.amount_unit or _unit_line(cells)
    for col, cell in enumerate(cells):
        role = spec.role(cell, spec.labels)
        if role is None and (inline := _inline(cell, spec)) is not None:
            draft.fields.setdefault(*inline)
            continue
        goal = spec.role(cell, spec.goals)
        if role is None and goal is not None:
            text = next((c for c in cells[col + 1 :] if c), None)
            if text and not spec.is_word(text):
                setattr(draft, "goal" if goal == "goal" else "goal_result", clean_cell(text))
            continue
        if role is None or role in draft.fields:
            continue
        value = next((c for c in cells[col + 1 :] if c), None)
        if (value is None or spec.is_word(value)) and i + 1 < len(rows):
            below = rows[i + 1].cells
            value = below[col] if col < len(below) else None
        if value and not spec.is_word(value) and (text := clean_cell(value)):
            draft.fields[role] = text


def _inline(cell: Cell, spec: EvaluationSpec) -> tuple[str, str] | None:
    """``主管部门：某市农业农村局``: a label and its value in one cell."""
    label, sep, value = (cell or "").replace(":", "：").partition("：")
    role = spec.role(label, spec.labels) if sep else None
    text = clean_cell(value)
    return (role, text) if role is not None and text else None


def _unit_line(cells: list[Cell]) -> str | None:
    """``金额单位：万元`` / ``单位：元`` printed in a cell of its own."""
    for cell in cells:
        if m := UNIT_LINE_RE.search("".join((cell or "").split())):
            return m.group(1)
    return None


def _unit(cells: list[Cell]) -> str | None:
    text = "".join(c or "" for c in cells)
    return next((unit for word, unit in UNIT_WORDS if word in text), None)
