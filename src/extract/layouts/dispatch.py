"""Layouts (SPEC §2): a stitched logical table → row drafts, one function per layout."""

from __future__ import annotations

from extract.enums import Layout, RowKind
from extract.layouts.drafts import RowDraft, TableDraft
from extract.layouts.form import form_to_draft
from extract.layouts.rolecells import TOTAL_WORDS, amounts_of, text_of, units_of
from extract.layouts.rows import rows_to_draft
from extract.locate.tables import LogicalTable
from extract.values.packed import split_packed
from extract.values.textnorm import squash


def table_to_draft(table: LogicalTable, department: str | None) -> TableDraft:
    """Dispatch on the layout the header announced."""
    if table.header.layout is Layout.PACKED:
        return packed_to_draft(table, department)
    if table.header.layout is Layout.FORM:
        return form_to_draft(table.rows, department, table.title)
    return rows_to_draft(table, department)


def packed_to_draft(table: LogicalTable, department: str | None) -> TableDraft:
    """Packed layout: 合计, unit rows (amounts, no goal/indicators), then their projects."""
    header = table.header
    draft = TableDraft(amount_unit=header.amount_unit)
    unit: str | None = None
    items_in_goal = header.col("indicators_packed") is None
    for row in table.rows:
        name = text_of(row, header, "project_name")
        goal, packed = text_of(row, header, "goal"), text_of(row, header, "indicators_packed")
        if items_in_goal and split_packed(goal):
            goal, packed = "", goal  # 项目 | 预算数 | 绩效目标: the goal cell holds the items
        if not name:
            continue
        amounts, errors = amounts_of(row, header)
        if squash(name) in TOTAL_WORDS:
            kind = RowKind.TOTAL
        elif not goal and not packed:
            kind, unit = RowKind.UNIT, name
        else:
            kind = RowKind.PROJECT
        draft.rows.append(RowDraft(
            kind=kind, name=name, amounts=amounts, amount_errors=errors, page=row.page, box=row.box,
            amount_units=units_of(row, header),
            unit_name=text_of(row, header, "unit_name") or unit or department,
            goal=goal or None, packed=packed or None,
        ))  # fmt: skip
    return draft
