"""Intermediate project/indicator drafts: what a layout yields before typing and checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from extract.enums import RowKind
from extract.read.base import Box


@dataclass
class IndicatorDraft:
    """One indicator as printed in the table."""

    level1: str | None
    level2: str | None
    name: str
    period: str | None
    annual: str | None
    page: int | None = None
    box: Box | None = None  # the source row on ``page`` (PDF points)
    unit_suffix: str | None = None  # a separate 计量单位 column, appended when parsing
    operator_prefix: str | None = None  # a separate 计算符号 column
    extras: dict[str, str] = field(default_factory=dict)  # EXTRA_ROLES columns, as printed


# Indicator columns kept as printed beside the target, never read as its value.
EXTRA_ROLES = ("nature", "weight", "is_core", "scoring", "explanation", "note")


@dataclass
class RowDraft:
    """A 合计, unit or project row; amounts are in the document's unit, as printed."""

    kind: RowKind
    name: str
    amounts: dict[str, Decimal | None] = field(default_factory=dict)
    amount_units: dict[str, str] = field(default_factory=dict)  # a unit printed in the cell
    unit_name: str | None = None
    goal: str | None = None
    goal_total: str | None = None
    page: int | None = None
    box: Box | None = None  # its rows on ``page`` (PDF points)
    code: str | None = None  # a project code printed in the name cell
    name_cell: str | None = None  # the name cell as printed (code included): rows compare it
    packed: str | None = None  # the raw 绩效指标 cell of the packed layout
    indicators: list[IndicatorDraft] = field(default_factory=list)
    amount_errors: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (code, message): info issues


@dataclass
class TableDraft:
    """Everything one performance table yields."""

    rows: list[RowDraft] = field(default_factory=list)
    amount_unit: str | None = None
    department: str | None = None  # a form's 主管部门

    @property
    def projects(self) -> list[RowDraft]:
        """The project rows, in document order."""
        return [r for r in self.rows if r.kind is RowKind.PROJECT]
