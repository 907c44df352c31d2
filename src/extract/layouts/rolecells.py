"""A table row's cells by column role, shared by the layouts: text, amounts, project codes,
and one indicator from its cells."""

from __future__ import annotations

import re
from decimal import Decimal

from extract.layouts.drafts import EXTRA_ROLES, IndicatorDraft
from extract.locate.headers import MONEY_ROLES, HeaderMatch
from extract.read.base import Cell, RawRow
from extract.values.amounts import AmountError, read_amount
from extract.values.textnorm import clean_cell, squash

TOTAL_WORDS = frozenset({"合计", "总计", "总合计"})  # compared after squash()
# A project code printed before the name: letters and digits (at least 6 digits), a dash.
PROJECT_CODE_RE = re.compile(
    r"^(?P<code>(?=(?:[A-Z]*\d){6})[0-9A-Z]{8,40})\s*[-－—–]\s*(?P<name>\S.*)$"
)
# Cells of an indicator; a row with none of them and no goal is a subtotal, not a project.
INDICATOR_ROLES = ("level1", "level2", "level3", "value_annual", "value_period", "value_text",
                   "measure_unit", "operator", *EXTRA_ROLES)  # fmt: skip


def text_of(row: RawRow, header: HeaderMatch, role: str) -> str:
    """The cleaned text of the row's cell of ``role``; ``""`` when covered, empty or absent."""
    return clean_cell(raw_of(row, header, role)) or ""


def raw_of(row: RawRow, header: HeaderMatch, role: str) -> Cell:
    """The cell as extracted: ``None`` when a merged span covers it (or there is no column)."""
    col = header.col(role)
    if col is None or col >= len(row.cells):
        return None
    return row.cells[col]


def amounts_of(row: RawRow, header: HeaderMatch) -> tuple[dict[str, Decimal | None], list[str]]:
    """Each printed money column's amount (blank is 0), and the cells that are not amounts."""
    amounts, _, errors = amounts_and_units(
        {
            role: raw_of(row, header, role) or ""
            for role in MONEY_ROLES
            if header.col(role) is not None
        }
    )
    return amounts, errors


def units_of(row: RawRow, header: HeaderMatch) -> dict[str, str]:
    """The units printed inside the row's money cells (``280.7万元`` → 万元), by role."""
    cells = {
        role: raw_of(row, header, role) or ""
        for role in MONEY_ROLES
        if header.col(role) is not None
    }
    return amounts_and_units(cells)[1]


def amounts_and_units(
    cells: dict[str, str],
) -> tuple[dict[str, Decimal | None], dict[str, str], list[str]]:
    """Money cells by role → their amounts, the units printed inside them (``280.7万元``), and
    the cells that are not amounts."""
    amounts: dict[str, Decimal | None] = {}
    units: dict[str, str] = {}
    errors = []
    for role, cell in cells.items():
        try:
            amounts[role], unit = read_amount(cell)
        except AmountError as exc:
            amounts[role] = None
            errors.append(f"{role}: {exc}")
            continue
        if unit:
            units[role] = unit
    return amounts, units, errors


def has_amounts(row: RawRow, header: HeaderMatch) -> bool:
    """Does the row print any amount (a non-blank money cell)?"""
    return any(text_of(row, header, role) for role in MONEY_ROLES)


def is_total_row(row: RawRow) -> bool:
    """合计 / 总计 in the row's first non-empty cell (the name or a code column before it)."""
    first = next((c for c in row.cells if c and c.strip()), "")
    return squash(first) in TOTAL_WORDS


def split_project_code(name: str) -> tuple[str | None, str]:
    """``11000022T000000460216-《北京审计》杂志办刊经费`` → the code and the bare name."""
    m = PROJECT_CODE_RE.match(name)
    if m is None:
        return None, name
    return m.group("code"), m.group("name").strip()


def indicator_draft(
    text: dict[str, str], carried: dict[str, str], row: RawRow, has_annual: bool
) -> IndicatorDraft:
    """One indicator from its cells by role (rows and form layouts).

    指标值内容 is the value where no 指标值 column is printed, an explanation beside one."""
    extras = {role: text[role] for role in EXTRA_ROLES if text.get(role)}
    annual = text.get("value_annual", "")
    if content := text.get("value_text", ""):
        if has_annual:
            extras.setdefault("explanation", content)
        else:
            annual = content
    return IndicatorDraft(
        level1=carried.get("level1") or None, level2=carried.get("level2") or None,
        name=text["level3"], period=text.get("value_period") or None, annual=annual or None,
        page=row.page, box=row.box, unit_suffix=text.get("measure_unit") or None,
        operator_prefix=text.get("operator") or None, extras=extras,
    )  # fmt: skip
