"""Layouts (SPEC §2): a stitched logical table → row drafts, one function per layout."""

from __future__ import annotations

from decimal import Decimal

from .amounts import AmountError, parse_amount
from .drafts import IndicatorDraft, RowDraft, TableDraft
from .enums import Layout, RowKind
from .extractors.base import Cell, RawRow
from .form import form_to_draft
from .headers import HeaderMatch
from .tables import MONEY_ROLES, LogicalTable
from .textnorm import clean_cell, join_wrapped, squash

TOTAL_WORDS = frozenset({"合计", "总计", "总合计"})  # compared after squash()
# Rows layout, the named span-filling rule: 项目名称 (and with it the project's amounts and
# goal) and the 一级/二级 group cells are merged vertically; an empty or covered cell
# inherits the value above, within the project. Other cells are never filled.
FILL_DOWN_GROUP_ROLES = ("level1", "level2")


def table_to_draft(table: LogicalTable, department: str | None) -> TableDraft:
    """Dispatch on the layout the header announced."""
    if table.header.layout is Layout.PACKED:
        return packed_to_draft(table, department)
    if table.header.layout is Layout.FORM:
        return form_to_draft(table.rows, department)
    return rows_to_draft(table, department)


def packed_to_draft(table: LogicalTable, department: str | None) -> TableDraft:
    """Packed layout: 合计, unit rows (amounts, no goal/indicators), then their projects."""
    header = table.header
    draft = TableDraft(amount_unit=header.amount_unit)
    unit: str | None = None
    for row in table.rows:
        name = _text(row, header, "project_name")
        goal, packed = _text(row, header, "goal"), _text(row, header, "indicators_packed")
        if not name:
            continue
        amounts, errors = _amounts(row, header)
        if squash(name) in TOTAL_WORDS:
            kind = RowKind.TOTAL
        elif not goal and not packed:
            kind, unit = RowKind.UNIT, name
        else:
            kind = RowKind.PROJECT
        draft.rows.append(RowDraft(
            kind=kind, name=name, amounts=amounts, amount_errors=errors, page=row.page,
            unit_name=_text(row, header, "unit_name") or unit or department,
            goal=goal or None, packed=packed or None,
        ))  # fmt: skip
    return draft


def rows_to_draft(table: LogicalTable, department: str | None) -> TableDraft:
    """Rows layout: one indicator per row; merged project and group cells filled down."""
    header = table.header
    draft = TableDraft(amount_unit=header.amount_unit)
    project: RowDraft | None = None
    carried: dict[str, str] = {}
    page = None
    for row in table.rows:
        own_name = _text(row, header, "project_name")
        if project is not None and row.page != page and not _has_amounts(row, header):
            _continue_span_cells(project, row, header)
            own_name = ""
        page = row.page
        name = own_name or (project.name if project else "")
        if name and (project is None or name != project.name):
            if squash(name) in TOTAL_WORDS:
                amounts, _ = _amounts(row, header)
                draft.rows.append(RowDraft(RowKind.TOTAL, name, amounts, page=row.page))
                project, carried = None, {}
                continue
            project, carried = _start_project(row, header, name, department), {}
            draft.rows.append(project)
        if project is None:
            continue
        for role in FILL_DOWN_GROUP_ROLES:
            carried[role] = _text(row, header, role) or carried.get(role, "")
        indicator = _row_to_indicator(row, header, carried)
        if indicator is not None:
            project.indicators.append(indicator)
    return draft


def _has_amounts(row: RawRow, header: HeaderMatch) -> bool:
    return any(_text(row, header, role) for role in MONEY_ROLES)


def _continue_span_cells(project: RowDraft, row: RawRow, header: HeaderMatch) -> None:
    """A merged cell broken by a page break: the text on the new page continues it."""
    if rest := _text(row, header, "project_name"):
        project.name = join_wrapped([project.name, rest])
    if rest := _text(row, header, "goal"):
        project.goal = join_wrapped([project.goal or "", rest])


def _start_project(row: RawRow, header: HeaderMatch, name: str, department: str | None) -> RowDraft:
    amounts, errors = _amounts(row, header)
    return RowDraft(
        kind=RowKind.PROJECT, name=name, amounts=amounts, amount_errors=errors, page=row.page,
        unit_name=_text(row, header, "unit_name") or department,
        goal=_text(row, header, "goal") or None,
    )  # fmt: skip


def _row_to_indicator(
    row: RawRow, header: HeaderMatch, carried: dict[str, str]
) -> IndicatorDraft | None:
    name = _text(row, header, "level3")
    annual = _text(row, header, "value_annual")
    period = _text(row, header, "value_period")
    if not name:
        return None  # an 二级指标 without 三级指标 yields no indicator (SPEC §2 rows)
    return IndicatorDraft(
        level1=carried.get("level1") or None, level2=carried.get("level2") or None, name=name,
        period=period or None, annual=annual or None, page=row.page,
        unit_suffix=_text(row, header, "measure_unit") or None,
        operator_prefix=_text(row, header, "operator") or None,
    )  # fmt: skip


def _amounts(row: RawRow, header: HeaderMatch) -> tuple[dict[str, Decimal | None], list[str]]:
    amounts: dict[str, Decimal | None] = {}
    errors = []
    for role in MONEY_ROLES:
        col = header.col(role)
        if col is None:
            continue
        try:
            amounts[role] = parse_amount(_cell(row.cells, col) or "")
        except AmountError as exc:
            amounts[role] = None
            errors.append(f"{role}: {exc}")
    return amounts, errors


def _text(row: RawRow, header: HeaderMatch, role: str) -> str:
    col = header.col(role)
    return (clean_cell(_cell(row.cells, col)) or "") if col is not None else ""


def _cell(cells: list[Cell], col: int) -> Cell:
    return cells[col] if col < len(cells) else None
