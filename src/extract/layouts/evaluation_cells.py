"""A self-evaluation form's draft (what it prints, as text) and its cells as parts: a header
row's columns, the text under a header, labelled fields (项目名称 | …, 主管部门：…, the cell
below) and the amount unit."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from extract.locate.evaluations import EvaluationSpec, word_role
from extract.read.base import Box, Cell, RawRow
from extract.values.textnorm import clean_cell

UNIT_WORDS = (("万元", "万元"), ("（元）", "元"), ("(元)", "元"))
UNIT_LINE_RE = re.compile(r"单位[：:](万元|元)$")

Columns = dict[str, tuple[int, int]]  # role → the grid positions its header cell spans


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
    grid_unread: bool = False  # no indicator read, though the form prints 产出指标 …
    open_groups: dict[str, int] = field(default_factory=dict)  # level → first row, label unseen
    page: int | None = None
    box: Box | None = None


def span_at(cells: list[Cell], col: int) -> tuple[int, int]:
    """The positions the header cell at ``col`` spans: to the next cell that is not covered."""
    end = next((j for j in range(col + 1, len(cells)) if cells[j] is not None), len(cells))
    return col, end


def header_row(cells: list[Cell], table: dict[str, tuple[str, ...]], least: int = 2) -> Columns:
    """Role → the positions its header cell spans (to the next cell that is not covered);
    empty unless the row names at least ``least`` roles."""
    found: Columns = {}
    for col, cell in enumerate(cells):
        role = word_role(cell, table)  # the labels' rule: a word, or a long word it starts with
        if role is not None and role not in found:
            found[role] = span_at(cells, col)
    return found if len(found) >= least else {}


def take(cells: list[Cell], columns: Columns, roles: tuple[str, ...]) -> dict[str, str]:
    return {role: text_in(cells, columns.get(role)) for role in roles}


def text_in(cells: list[Cell], span: tuple[int, int] | None) -> str:
    """The first text in the positions a header spans ("" when they hold none: a cell
    covered by a merge from above, or blank)."""
    if span is None:
        return ""
    return next((clean_cell(c) or "" for c in cells[span[0] : span[1]] if c), "")


def goal_text(cells: list[Cell], below: list[Cell], role: str, spec: EvaluationSpec) -> str | None:
    """The text under the goal header ``role``; where its word is printed twice (年度目标 as
    the row label and as the column head), under the one that has text below it."""
    for col, cell in enumerate(cells):
        if word_role(cell, spec.goals) == role:
            if text := text_in(below, span_at(cells, col)):
                return text
    return None


def read_labels(rows: list[RawRow], i: int, draft: EvaluationDraft, spec: EvaluationSpec) -> None:
    """Labelled fields: the value is the next filled cell to the right unless that is a
    header word too (a row of labels), else the cell below; ``主管部门：…`` in one cell."""
    cells = rows[i].cells
    draft.amount_unit = draft.amount_unit or unit_line(cells)
    for col, cell in enumerate(cells):
        role = spec.role(cell, spec.labels)
        colon = cell is not None and (":" in cell or "：" in cell)
        if role is None and colon and (inline := line_fields([cell or ""], spec)):
            for key, found in inline.items():  # 主管部门：某局 (金额单位：万元) in one cell
                draft.fields.setdefault(key, found)
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


def unit_line(cells: list[Cell]) -> str | None:
    """``金额单位：万元`` / ``单位：元`` printed in a cell of its own."""
    for cell in cells:
        if m := UNIT_LINE_RE.search("".join((cell or "").split())):
            return m.group(1)
    return None


def header_unit(cells: list[Cell]) -> str | None:
    text = "".join(c or "" for c in cells)
    return next((unit for word, unit in UNIT_WORDS if word in text), None)


def line_fields(lines: list[str], spec: EvaluationSpec) -> dict[str, str]:
    """Labelled fields printed as text above a form: ``项目名称：… 主管部门：… 实施单位：…``, one
    or several to a line."""
    labels = tuple(sorted({w for ws in spec.labels.values() for w in ws}, key=len, reverse=True))
    pattern = _field_pattern(labels, spec.field_ends)
    out: dict[str, str] = {}
    for line in lines:
        for word, value in pattern.findall("".join(line.split())):  # the value as printed
            role = spec.role(word, spec.labels)
            if role is not None and (text := clean_cell(value)):
                out.setdefault(role, text)
    return out


@cache
def _field_pattern(labels: tuple[str, ...], field_ends: tuple[str, ...]) -> re.Pattern[str]:
    """``label：value`` up to the next label or field end (longest words first)."""
    label = "|".join(map(re.escape, labels))
    ends = "|".join(map(re.escape, sorted({*labels, *field_ends}, key=len, reverse=True)))
    return re.compile(rf"({label})[：:](.+?)(?=(?:{ends})[：:]|$)")
