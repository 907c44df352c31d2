"""What the three family builders share: labels, printed values and amounts."""

from __future__ import annotations

import random
from decimal import Decimal

from .dims import DIMS, Variant
from .labels import COLUMNS, FORM, UNIT_LINES
from .model import L1_CODES, L2_CODES, Content, Ind

OP_COLUMN = {"≥": "≥", "≤": "≤", "=": "＝", ">": ">", "<": "<"}
VALUE_ROLES = {"joined": ["value"], "bracket": ["value"], "unit_col": ["value", "unit"],
               "split": ["op", "value", "unit"]}  # fmt: skip
ROLE_WORDS = {"value": "value_annual", "unit": "measure_unit", "op": "operator"}
WIDTHS = {"name": 2.4, "total": 1.5, "fiscal": 1.5, "special": 1.5, "other": 1.5, "goal": 3.6,
          "inds": 7.0, "l1": 1.5, "l2": 1.8, "l3": 2.8, "value": 2.0, "unit": 1.2, "op": 1.1}  # fmt: skip


class Labels:
    """The words a variant prints: the originals, or one synonym per role drawn once."""

    def __init__(self, v: Variant) -> None:
        self.synonyms = v.opt("labels") == "synonyms"
        self.rng = v.rng("labels")
        self.chosen: dict[str, str] = {}

    def _pick(self, key: str, words: list[str]) -> str:
        if key not in self.chosen:
            self.chosen[key] = self.rng.choice(words[1:] or words) if self.synonyms else words[0]
        return self.chosen[key]

    def column(self, role: str) -> str:
        return self._pick(role, COLUMNS[role])

    def form(self, role: str) -> str:
        return self._pick(f"form.{role}", FORM[role])

    def unit_line(self, unit: str) -> str:
        return self._pick("unit_line", UNIT_LINES).format(u=unit)


def levels(ind: Ind, codes: bool) -> tuple[str, str]:
    """一级 and 二级 as printed: ``1-产出指标`` / ``11-数量指标`` with codes."""
    if not codes:
        return ind.l1, ind.l2
    return f"{L1_CODES[ind.l1]}-{ind.l1}", f"{L2_CODES[ind.l2]}-{ind.l2}"


def value_cells(ind: Ind, style: str) -> dict[str, str]:
    """The target in the value, unit and operator columns of ``style``."""
    if ind.op is None or ind.num is None:
        return {"value": ind.text or "", "unit": "", "op": ""}
    unit = ind.unit or ""
    if style == "split":
        return {"op": OP_COLUMN[ind.op], "value": ind.num, "unit": unit}
    prefix = "" if ind.op == "=" else ind.op
    if style == "unit_col":
        return {"value": prefix + ind.num, "unit": unit, "op": ""}
    if style == "bracket":
        text = f"{ind.op}{Decimal(ind.num):.2f}" + (f"({unit})" if unit else "")
        return {"value": text, "unit": "", "op": ""}
    return {"value": prefix + ind.num + unit, "unit": "", "op": ""}


def joined_value(ind: Ind, style: str) -> str:
    """The target as one text (packed cells)."""
    return value_cells(ind, "bracket" if style == "bracket" else "joined")["value"]


class Amounts:
    """How the amounts are printed: where their unit is (a 单位 line, the header, the cell)
    and in which unit (``rescaled``: 元 for 万元 and back)."""

    def __init__(self, v: Variant, content: Content, blank_zero: bool) -> None:
        self.opt = v.opt("amounts")
        other = {"万元": "元", "元": "万元"}[content.amount_unit]
        self.unit = other if self.opt == "rescaled" else content.amount_unit
        self.factor = {("万元", "元"): Decimal(10000), ("元", "万元"): Decimal("0.0001")}.get(
            (content.amount_unit, self.unit), Decimal(1)
        )
        self.blank_zero = blank_zero
        base = DIMS[v.family]["amounts"][0]
        self.placement = self.opt if self.opt in {"line", "header", "in_cell"} else base

    @property
    def line(self) -> bool:
        """A 单位 line above the table (rows and packed by default; form: ``line``)."""
        return self.placement == "line"

    def header(self, label: str) -> str:
        return f"{label}（{self.unit}）" if self.placement == "header" else label

    def cell(self, value: Decimal) -> str:
        scaled = value * self.factor
        if scaled != scaled.quantize(Decimal("0.01")):
            raise ValueError(f"{value} is not exact in {self.unit}")
        if value == 0 and self.blank_zero:
            return ""
        if self.opt == "thousands":
            return f"{scaled:,.2f}"
        return f"{scaled:.2f}" + (self.unit if self.opt == "in_cell" else "")

    @property
    def number_format(self) -> str | None:
        """The .xlsx number format of a money cell, or None when it is text."""
        return None if self.opt == "in_cell" else "#,##0.00" if self.opt == "thousands" else "0.00"


def cuts(rng: random.Random, n: int, most: int = 2) -> list[int]:
    """1–``most`` distinct row positions in 1..n-1 where a table is split, sorted."""
    if n < 2:
        return []
    return sorted(rng.sample(range(1, n), min(n - 1, rng.randint(1, most))))
