"""The rows layout (SPEC §2 rows): one indicator per row, the project's cells (name, amounts,
goal) merged over its rows or repeated on each, 一级/二级 merged over their group.

Where a project starts is read from the cells, as pdfplumber and python-docx give them: a
covered position is ``None``, the first position of a cell is its text (``""`` when blank).

- a new name, or new amounts under the same (merged) name, start a project: projects that
  share a name (one per 实施单位) stay apart;
- the same name and amounts again (a repeating template, or the page printing the cells
  again) continue the project;
- at the start of a page fragment, cells without amounts continue the project above (a
  merged cell cut by the page: its text goes on), and so do amounts for a project whose
  amounts were not yet visible (its cell was cut before them);
- a fresh but empty name (or amount) cell below a merged one starts a project whose name (or
  amounts) is printed on the next page (the cell's text sits in the part drawn there), and a
  name that arrives there names every block cut from its cell;
- a 三级指标 cell merged over several indicator rows gives each of them its text;
- 合计 is the total; a name with amounts but neither goal nor indicator is a unit subtotal.
"""

from __future__ import annotations

from decimal import Decimal

from extract.enums import RowKind
from extract.layouts.drafts import RowDraft, TableDraft
from extract.layouts.rolecells import (
    INDICATOR_ROLES,
    amounts_of,
    has_amounts,
    indicator_draft,
    is_total_row,
    raw_of,
    split_project_code,
    text_of,
    units_of,
)  # fmt: skip
from extract.locate.headers import HeaderMatch
from extract.locate.tables import LogicalTable
from extract.read.base import RawRow, union
from extract.values.textnorm import join_wrapped

# 一级/二级 are merged over their group: an empty or covered cell inherits the value above,
# within the project. Other indicator cells are never filled.
FILL_DOWN_GROUP_ROLES = ("level1", "level2")


def rows_to_draft(table: LogicalTable, department: str | None) -> TableDraft:
    """Read a rows-layout table into project drafts."""
    reader = _RowsReader(table.header, department)
    for row in table.rows:
        reader.feed(row)
    reader.close()
    return reader.draft


class _RowsReader:
    def __init__(self, header: HeaderMatch, department: str | None) -> None:
        self.header = header
        self.department = department
        self.draft = TableDraft(amount_unit=header.amount_unit)
        self.project: RowDraft | None = None
        self.carried: dict[str, str] = {}
        self.unit: str | None = None
        self.merged_name = False  # the current project's name cell spans rows
        self.merged_amounts = False  # and its amount cells
        self.group: list[RowDraft] = []  # the projects under the current name cell
        self.level3 = ""  # the last 三级指标, for a cell merged over several rows
        self.prev: RawRow | None = None

    def feed(self, row: RawRow) -> None:
        prev, self.prev = self.prev, row
        fragment_start = prev is None or (row.page, row.fragment) != (prev.page, prev.fragment)
        if is_total_row(row):
            amounts, _ = amounts_of(row, self.header)
            self._end_group()
            self.draft.rows.append(RowDraft(RowKind.TOTAL, "合计", amounts, page=row.page))
            self.project = None
            return
        name_cell = raw_of(row, self.header, "project_name")
        name = text_of(row, self.header, "project_name")
        project = self.project
        if project is not None and fragment_start and name and not project.name_cell:
            self._rename(name)  # the name of the cell the projects above were cut from
        if project is not None and self._continues(project, row, name, fragment_start):
            self._continue(project, row, name)
        elif (start := self._starts(project, row, name_cell, name, fragment_start)) is not None:
            if not self._new_project(row, *start):
                return
        if self.project is None:
            return
        if name_cell is None:
            self.merged_name = True
        if raw_of(row, self.header, "total") is None and self.header.col("total") is not None:
            self.merged_amounts = True
        self._add_indicator(row)

    def close(self) -> None:
        self._end_group()

    def _continues(self, project: RowDraft, row: RawRow, name: str, fragment_start: bool) -> bool:
        if not has_amounts(row, self.header):
            return fragment_start
        if not _any_amount(project):
            # amounts of a project whose cell began above them (or was cut by the page)
            return fragment_start or name in ("", project.name_cell)
        amounts, _ = amounts_of(row, self.header)
        return fragment_start and name in ("", project.name_cell) and amounts == project.amounts

    def _continue(self, project: RowDraft, row: RawRow, name: str) -> None:
        """A project's cells go on (or repeat) below their first row or on the next page."""
        if name and name != project.name_cell:
            self._rename(join_wrapped([project.name_cell or "", name]))
        if not _any_amount(project) and has_amounts(row, self.header):
            project.amounts, project.amount_errors = amounts_of(row, self.header)
            project.amount_units = units_of(row, self.header)
        goal = text_of(row, self.header, "goal")
        if goal and goal != project.goal:
            project.goal = join_wrapped([project.goal or "", goal])

    def _rename(self, name_cell: str) -> None:
        """The name cell's text arrived: every project under that cell takes it."""
        for member in self.group:
            member.name_cell = name_cell
            member.code, member.name = split_project_code(name_cell)

    def _starts(
        self, project: RowDraft | None, row: RawRow, name_cell: str | None, name: str,
        fragment_start: bool,
    ) -> tuple[str, bool] | None:  # fmt: skip
        """``(name, fresh name cell)`` when the row starts a project, else ``None``."""
        if project is None:
            return (name, True) if name else None
        if name and name != project.name_cell:
            return name, True
        if name_cell == "" and self.merged_name and not fragment_start:
            return "", True  # a new cell whose text is drawn lower or on the next page
        if (raw_of(row, self.header, "total") == "" and self.merged_amounts and not fragment_start
                and not self._goal_goes_on(row)):  # fmt: skip
            return project.name_cell or "", False  # new amounts, printed on the next page
        if has_amounts(row, self.header):
            amounts, _ = amounts_of(row, self.header)
            if amounts != project.amounts:  # new amounts under the same (merged) name
                return project.name_cell or "", False
        return None

    def _goal_goes_on(self, row: RawRow) -> bool:
        """The goal cell above covers this row too (a merged cell): the project goes on, even
        where the page rules its amount cells row by row (empty cells, not a new block)."""
        return self.header.col("goal") is not None and raw_of(row, self.header, "goal") is None

    def _new_project(self, row: RawRow, name: str, fresh_name: bool) -> bool:
        """Start a project (or record a unit subtotal: then ``False``)."""
        if fresh_name:
            self._end_group()
        if name and fresh_name and self._is_unit_row(row):
            amounts, errors = amounts_of(row, self.header)
            self.unit, self.project = name, None
            self.draft.rows.append(RowDraft(RowKind.UNIT, name, amounts, page=row.page,
                amount_errors=errors, amount_units=units_of(row, self.header)))  # fmt: skip
            return False
        amounts, errors = amounts_of(row, self.header)
        code, bare = split_project_code(name)
        self.project = RowDraft(
            kind=RowKind.PROJECT, name=bare, amounts=amounts, amount_errors=errors,
            amount_units=units_of(row, self.header), page=row.page, box=row.box, code=code,
            name_cell=name,
            unit_name=text_of(row, self.header, "unit_name") or self.unit or self.department,
            goal=text_of(row, self.header, "goal") or None,
        )  # fmt: skip
        self.draft.rows.append(self.project)
        self.group = [self.project] if fresh_name else [*self.group, self.project]
        self.carried, self.merged_name, self.merged_amounts = {}, not fresh_name, False
        return True

    def _end_group(self) -> None:
        """Projects whose name never came (their cell ended the table) and that print no
        amount continued the project above after all: their indicators go there."""
        for project in self.group:
            if project.name_cell or _any_amount(project):
                continue
            self.draft.rows.remove(project)
            before = [r for r in self.draft.rows if r.kind is RowKind.PROJECT]
            if before:
                before[-1].indicators += project.indicators
        self.group = []

    def _is_unit_row(self, row: RawRow) -> bool:
        if not has_amounts(row, self.header) or text_of(row, self.header, "goal"):
            return False
        return not any(text_of(row, self.header, role) for role in INDICATOR_ROLES)

    def _add_indicator(self, row: RawRow) -> None:
        assert self.project is not None
        for role in FILL_DOWN_GROUP_ROLES:
            self.carried[role] = text_of(row, self.header, role) or self.carried.get(role, "")
        text = {role: text_of(row, self.header, role) for role in INDICATOR_ROLES}
        if raw_of(row, self.header, "level3") is None and _has_value(text):
            text["level3"] = self.level3  # a 三级指标 cell merged over identical rows
        if not text["level3"]:
            return  # an 二级指标 without 三级指标 yields no indicator (SPEC §2 rows)
        self.level3 = text["level3"]
        if row.page == self.project.page:  # the project's rows on its first page
            self.project.box = union(self.project.box, row.box)
        has_annual = "value_annual" in self.header.columns
        self.project.indicators.append(indicator_draft(text, self.carried, row, has_annual))


def _has_value(text: dict[str, str]) -> bool:
    return any(text.get(role) for role in ("value_annual", "value_period", "value_text"))


def _any_amount(project: RowDraft) -> bool:
    return any(v not in (None, Decimal(0)) for v in project.amounts.values())
