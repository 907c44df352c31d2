"""Form layout (SPEC §2 form): one project per page, label cells beside their values."""

from __future__ import annotations

import re

from extract.enums import RowKind
from extract.layouts.drafts import IndicatorDraft, RowDraft, TableDraft
from extract.layouts.rolecells import INDICATOR_ROLES, amounts_and_units, indicator_draft
from extract.locate.formgrid import (
    inferred_header,
    join_characters,
    label_on_next_page,
    text_at,
)
from extract.locate.forms import (
    FORM_MONEY,
    caption_name,
    inline_label,
    is_indicator_header,
    label_of,
)
from extract.locate.headers import (
    HeaderSpec,
    default_spec,
    role_of,
    rows_to_columns,
    unit_hint,
)
from extract.locate.metadata import is_department
from extract.read.base import Box, Cell, RawRow, union
from extract.values.textnorm import PLACEHOLDERS, clean_cell, squash

TEXT_FIELDS = frozenset({"goal", "goal_total", "project_name", "unit_name"})
PERIOD_TOTAL_NOTE = "only an implementation-period total (实施期资金总额) is printed: the total"


def form_to_draft(
    rows: list[RawRow], department: str | None, caption: str | None = None
) -> TableDraft:
    """Read the label/value blocks, then the indicator block below its header row. The
    name is the name field where one is printed, else the form's caption (its title less
    ``项目绩效目标表``); the unit is the 实施单位, else the department, as in rows tables."""
    spec = default_spec()
    rows = join_vertical_labels(rows, spec)
    split = next((i for i, r in enumerate(rows) if is_indicator_header(r.cells, spec)), len(rows))
    fields = _swapped_name(_labelled_values(rows[:split], spec))
    if "plain_total" in fields:  # 资金总额: the total, unless a 年度资金总额 is printed too
        fields.setdefault("project_total" if "total" in fields else "total", fields["plain_total"])
    units = [u for r in rows[:split] for c in r.cells if (u := unit_hint(c))]
    # an amount the form does not print is null, never 0
    amounts, cell_units, errors = amounts_and_units(
        {role: fields.get(role, "") for role in FORM_MONEY if role in fields}
    )
    project = RowDraft(
        kind=RowKind.PROJECT, name=fields.get("project_name") or caption_name(caption) or "",
        amounts=amounts, amount_units=cell_units, amount_errors=errors,
        unit_name=fields.get("unit_name") or department or None,
        goal=fields.get("goal") or None, goal_total=fields.get("goal_total") or None,
        page=rows[0].page if rows else None, box=_box_on_first_page(rows),
    )  # fmt: skip
    _period_stands_in(project)
    if split < len(rows):
        project.indicators = _indicators(rows[split], rows[split + 1 :], spec)
    elif (inferred := inferred_header(rows)) is not None:
        start, header = inferred
        project.indicators = _indicators(header, rows[start:], spec)
    return TableDraft(rows=[project], amount_unit=units[0] if units else None,
                      department=fields.get("department"))  # fmt: skip


FUND_WORDS = ("资金", "专项", "经费", "项目")  # what a fund's or project's name says
_CODE_RE = re.compile(r"^[\d\s_\-－.．、]+")


def _swapped_name(fields: dict[str, str]) -> dict[str, str]:
    """A form whose name field holds the department (``西安市财政局``) and whose 主管部门 field
    holds the fund (``市级文化产业发展专项资金``): the two were filled in each other's place."""
    name, department = fields.get("project_name", ""), fields.get("department", "")
    fund = _CODE_RE.sub("", department)  # 205_烟台市发展和改革委员会: a code, then a department
    if (name and fund and is_department(name) and not is_department(fund)
            and any(w in fund for w in FUND_WORDS)):  # fmt: skip
        return {**fields, "project_name": department, "department": name}
    return fields


def _box_on_first_page(rows: list[RawRow]) -> Box | None:
    """The form's rows on the page where it starts."""
    box: Box | None = None
    for row in rows:
        if row.page == rows[0].page:
            box = union(box, row.box)
    return box


def _period_stands_in(project: RowDraft) -> None:
    """A form printing only its implementation-period total (实施期资金总额) or goal: that is
    the project's total or goal, since nothing else says what the project costs or aims at."""
    amounts = project.amounts
    if "total" not in amounts and "project_total" in amounts:
        amounts["total"] = amounts.pop("project_total")
        project.notes.append(("period_total_as_total", PERIOD_TOTAL_NOTE))
    if project.goal is None and project.goal_total is not None:
        project.goal, project.goal_total = project.goal_total, None


def _labelled_values(rows: list[RawRow], spec: HeaderSpec) -> dict[str, str]:
    """A label's value is the next cell to its right that is not a label; a label row
    without values (项目总目标 | 年度总体目标) takes them from the row below, by column. A
    label printed twice in a row (其中：财政拨款 under 实施期资金总额 and under 年度资金总额)
    is the budget year's where it stands in the column of the annual total."""
    fields: dict[str, str] = {}
    annual_col: int | None = None
    for n in range(len(rows)):
        found = _row_labels(rows, n, spec)
        annual_col = next((c for c, label, _ in found if label == "total"), annual_col)
        for _, label, value in _by_column(found, annual_col):
            if not fields.get(label):  # a label seen empty (a group label) may come again
                fields[label] = value or fields.get(label, "")
    return fields


def _row_labels(rows: list[RawRow], n: int, spec: HeaderSpec) -> list[tuple[int, str, str]]:
    """(column, field, value) of the labels in row ``n``."""
    row, out = rows[n], []
    for col, cell in enumerate(row.cells):
        if (label := label_of(cell, spec)) is None:
            if inline := inline_label(cell, spec):
                out.append((col, *inline))
            continue
        value = _value_right_of(row.cells, col, spec)
        if value is None and n + 1 < len(rows) and col < len(rows[n + 1].cells):
            below = rows[n + 1].cells[col]
            value = clean_cell(below) if label_of(below, spec) is None else None
        out.append((col, label, value or ""))
    return out


def _by_column(
    found: list[tuple[int, str, str]], annual_col: int | None
) -> list[tuple[int, str, str]]:
    """A label found twice in one row: the occurrence nearest the annual total's column
    first; the other of 财政拨款 is the implementation period's (project_fiscal)."""
    labels = [label for _, label, _ in found]
    out = []
    for col, label, value in found:
        if labels.count(label) < 2 or annual_col is None:
            out.append((col, label, value))
            continue
        twins = [f for f in found if f[1] == label]
        nearest = min(twins, key=lambda f: abs(f[0] - annual_col))
        if (col, label, value) == nearest:
            out.insert(0, (col, label, value))
        elif label == "fiscal":
            out.append((col, "project_fiscal", value))
    return out


def _value_right_of(cells: list[Cell], col: int, spec: HeaderSpec) -> str | None:
    """The next cell to the right; for a text field (a goal beside its vertical label), the
    next cell with text, since a blank cell of the label's frame may sit between."""
    text_field = label_of(cells[col], spec) in TEXT_FIELDS
    for cell in cells[col + 1 :]:
        if cell is None or (text_field and not (cell or "").strip()):
            continue
        return None if label_of(cell, spec) is not None else clean_cell(cell)
    return None


def _indicators(header: RawRow, rows: list[RawRow], spec: HeaderSpec) -> list[IndicatorDraft]:
    cols = rows_to_columns([header.cells], spec)
    out: list[IndicatorDraft] = []
    carried: dict[str, str] = {}
    for n, row in enumerate(rows):
        if is_indicator_header(row.cells, spec):
            cols = rows_to_columns([row.cells], spec)  # printed again on the next page
            continue
        text = {role: text_at(row, cols.get(role)) for role in INDICATOR_ROLES}
        for role in ("level1", "level2"):  # merged group cells: fill down
            carried[role] = text.get(role) or label_on_next_page(rows, n, cols.get(role)) \
                or carried.get(role, "")  # fmt: skip
        if not text.get("level3") or squash(text["level3"]) in PLACEHOLDERS:
            continue  # 经济效益指标 | / | /: the form says the group has no indicator
        out.append(indicator_draft(text, carried, row, "value_annual" in cols))
    return out


def join_vertical_labels(rows: list[RawRow], spec: HeaderSpec) -> list[RawRow]:
    """Labels printed one character per line, joined back (see :mod:`formgrid`)."""
    return join_characters(rows, lambda text: bool(label_of(text, spec) or role_of(text, spec)))
