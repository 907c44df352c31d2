"""A per-project form (SPEC §2 form) recognised by its parts: a name label with the project's
name beside it and a money label (``data/headers.toml`` [form] words), then an indicator grid,
on the same page or the next (:func:`continues_form`)."""

from __future__ import annotations

import re
from itertools import pairwise

from extract.locate.formgrid import names_a_level
from extract.locate.headers import HeaderSpec, bare_key, default_spec, is_rejected, role_of
from extract.read.base import Cell, RawRow
from extract.values.textnorm import clean_cell, squash

FORM_MONEY = ("total", "fiscal", "other", "carryover", "project_total", "project_fiscal")
MONEY_LABELS = (*FORM_MONEY, "plain_total")
VALUE_ROLES = frozenset({"value_annual", "value_period", "value_text"})
MIN_MONEY_LABELS = 1
MONEY_WORDS = ("资金", "金额", "预算", "拨款")
MAX_LABEL_CHARS = 14
AMOUNT_RE = re.compile(r"^-?[\d,，]+(?:\.\d+)?(?:万元|元|万)?$")
# A form's caption names its project: ``…项目绩效目标表`` less the words of a form's title.
_CAPTION_TAIL_RE = re.compile(
    r"(?:项目)?(?:支出)?(?:预算)?绩效(?:目标|指标)(?:申报|填报)?表$|(?:申报|填报)表$"
)
_CAPTION_HEAD_RE = re.compile(r"^(?:附表\d*[:：-]?|表\d+[:：-]?|[(（]?20\d{2}年度?[)）]?)+")
_INLINE_RE = re.compile(r"^(?P<label>[^\s:：]{2,12})(?:\s*[:：]\s*|\s+)(?P<value>\S.*)$", re.S)


def label_of(cell: Cell, spec: HeaderSpec) -> str | None:
    """The form field a label cell names (``其中：当年财政拨款`` → ``fiscal``)."""
    key = squash(cell or "")
    return spec.form_labels.get(key) or spec.form_labels.get(bare_key(key))


def inline_label(cell: Cell, spec: HeaderSpec) -> tuple[str, str] | None:
    """A label and its value printed in one cell (``专项（项目）名称 伯乐奖``), as
    (field, value)."""
    m = _INLINE_RE.match((cell or "").strip())
    if m is None or (label := label_of(m.group("label"), spec)) is None:
        return None
    return label, clean_cell(m.group("value")) or ""


def is_form(grid: list[list[Cell]], spec: HeaderSpec | None = None) -> bool:
    """A form holds a name label (项目名称, 专项（项目）名称 …) and a money label, and its
    name label has the project's name beside it (in a header row, 项目名称 has another
    header word beside it).
    Its indicator grid may start on the next page (see :func:`continues_form`)."""
    spec = spec or default_spec()
    labels = {label_or_inline(c, spec) for row in grid for c in row}
    money = sum(1 for m in MONEY_LABELS if m in labels) or money_like(grid)
    if "project_name" not in labels or money < MIN_MONEY_LABELS:
        return False
    if any(is_rejected(row, spec) for row in grid):
        return False  # a 绩效自评表: 全年执行数, 实际完成值, 得分 …
    return any(_names_a_project(row, spec) for row in grid)


def continues_form(grid: list[list[Cell]], spec: HeaderSpec | None = None) -> bool:
    """A block on the next page that goes on with a form: its goal or indicator grid (the
    indicator header printed again, or not), and no 项目名称 of its own."""
    spec = spec or default_spec()
    if any(_names_a_project(row, spec) for row in grid):
        return False
    if any(is_rejected(row, spec) for row in grid):
        return False
    labels = {label_of(c, spec) for row in grid for c in row} - {None}
    if labels or any(is_indicator_header(row, spec) for row in grid):
        return True
    return any(names_a_level(row) for row in grid)


def label_or_inline(cell: Cell, spec: HeaderSpec) -> str | None:
    inline = inline_label(cell, spec)
    return label_of(cell, spec) or (inline[0] if inline else None)


def _names_a_project(row: list[Cell], spec: HeaderSpec) -> bool:
    for cell in row:
        if (inline := inline_label(cell, spec)) and inline[0] == "project_name":
            return True
    for col, cell in enumerate(row):
        if label_of(cell, spec) == "project_name":
            value = next((c for c in row[col + 1 :] if c is not None), None)
            return (
                bool(value and value.strip())
                and role_of(value, spec) is None
                and label_of(value, spec) is None
            )
    return False


def is_indicator_header(cells: list[Cell], spec: HeaderSpec) -> bool:
    """一级/二级/三级指标 | 指标值 …, or 指标名称 | 指标性质 | 指标值 … without levels."""
    roles = {role_of(c, spec) for c in cells}
    return "level3" in roles and bool(roles & VALUE_ROLES)


def count_forms(rows: list[RawRow], spec: HeaderSpec | None = None) -> int:
    """How many forms a form table prints: the rows whose name label has a name beside it."""
    spec = spec or default_spec()
    return sum(1 for row in rows if _names_a_project(row.cells, spec))


def is_blank_form(grid: list[list[Cell]], spec: HeaderSpec | None = None) -> bool:
    """A form template printed empty: a name label with no name beside it anywhere."""
    spec = spec or default_spec()
    labelled = any(label_of(c, spec) == "project_name" for row in grid for c in row)
    return labelled and not any(_names_a_project(row, spec) for row in grid)


def caption_name(caption: str | None) -> str | None:
    """The project a form's caption names (``市级环境监测项目绩效目标表`` → ``市级环境监测``),
    or ``None`` when the caption is no form title."""
    text = squash(caption or "")
    if not _CAPTION_TAIL_RE.search(text):
        return None
    name = _CAPTION_HEAD_RE.sub("", _CAPTION_TAIL_RE.sub("", text)).strip()
    return name or None


def is_caption_form(
    grid: list[list[Cell]], caption: str | None, spec: HeaderSpec | None = None
) -> bool:
    """A form that prints no name field, named by its caption: a money label and an
    indicator header row, under a title that names a project."""
    spec = spec or default_spec()
    if caption_name(caption) is None or any(
        w in squash(caption or "") for w in spec.department_words | spec.transfer_words
    ):
        return False
    labels = {label_or_inline(c, spec) for row in grid for c in row}
    if not any(m in labels for m in MONEY_LABELS) or "project_name" in labels:
        return False
    if any(is_rejected(row, spec) for row in grid):
        return False
    return any(is_indicator_header(row, spec) for row in grid)


def has_money_label(grid: list[list[Cell]], spec: HeaderSpec | None = None) -> bool:
    """Does a grid print a money block (资金总额, 财政拨款 … as form labels, or another label
    naming money beside an amount)?"""
    spec = spec or default_spec()
    labels = {label_or_inline(c, spec) for row in grid for c in row}
    return any(m in labels for m in MONEY_LABELS) or money_like(grid) > 0


def money_like(grid: list[list[Cell]]) -> int:
    """Labels this vocabulary does not hold that name money (资金, 金额, 预算, 拨款) with an
    amount beside them: a form's money block in words of its own."""
    found = 0
    for row in grid:
        cells = [squash(c) for c in row if c is not None]
        for label, value in pairwise(cells):
            named = len(label) <= MAX_LABEL_CHARS and any(w in label for w in MONEY_WORDS)
            found += bool(named and AMOUNT_RE.match(value))
    return found
