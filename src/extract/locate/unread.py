"""No silent loss: a ruled grid that carries an indicator table but was neither read as
projects nor recognised as another kind of table (部门整体, 绩效自评, 决算, printed empty) is
reported, so that a template we do not know yet says so instead of reading as ``no_table``."""

from __future__ import annotations

from extract.enums import Severity
from extract.locate.formgrid import names_a_level
from extract.locate.headers import HeaderSpec, default_spec, role_of
from extract.read.base import Block, Cell, Finding, RawTable, TextLine
from extract.values.packed import split_packed
from extract.values.textnorm import squash

# Header roles of an indicator grid: the level columns and the value columns.
INDICATOR_ROLES = frozenset({"level1", "level2", "level3", "value_annual", "value_period"})
MIN_HEADER_ROLES = 2  # 三级指标 | 指标值, 一级指标 | 二级指标 …
MIN_LEVEL_ROWS = 2  # rows naming a 一级/二级 of the framework (产出指标, 效益指标 …)
MIN_WORD_CHARS = 3  # header words short enough to be prose (项目, 中期) do not count on a page
MIN_LINE_ROLES = 3  # a header row printed as a text line names three columns or more
SENTENCE_MARKS = "。；，;"
UNREAD_CODE = "table_not_read"


def carries_indicators(grid: list[list[Cell]], spec: HeaderSpec | None = None) -> bool:
    """Does a grid hold an indicator table: header cells of two indicator roles in one row,
    two rows naming framework levels (a grid printed without its header), or a packed
    indicator cell (``1、1-产出指标；11-数量指标；…``)?"""
    spec = spec or default_spec()
    if any(c and "；" in c and split_packed(c) for row in grid for c in row):
        return True
    for row in grid:
        roles = {role_of(c, spec) for c in row if c} & INDICATOR_ROLES
        if len(roles) >= MIN_HEADER_ROLES:
            return True
    return sum(1 for row in grid if names_a_level(row)) >= MIN_LEVEL_ROWS


def gridless_pages(blocks: list[Block], spec: HeaderSpec | None = None) -> list[int]:
    """Pages where no ruled grid was found but a text line reads like an indicator table's
    header row (three header roles, one of them an indicator column, no sentence marks): a
    table printed without rules, which no reader reads. A page naming another kind of table
    (部门整体, 转移支付, 自评) is not counted."""
    spec = spec or default_spec()
    words = {w: r for w, r in spec.words.items() if len(w) >= MIN_WORD_CHARS}
    other = spec.department_words | spec.transfer_words | spec.rejected
    ruled = {b.page for b in blocks if isinstance(b, RawTable)}
    lines: dict[int, list[str]] = {}
    for b in blocks:
        if isinstance(b, TextLine) and b.page is not None and b.page not in ruled:
            lines.setdefault(b.page, []).append(squash(b.text))
    return [page for page, texts in sorted(lines.items())
            if any(_header_line(t, words) for t in texts)
            and not any(w in t for w in other for t in texts)]  # fmt: skip


def _header_line(text: str, words: dict[str, str]) -> bool:
    if any(mark in text for mark in SENTENCE_MARKS):
        return False
    roles = {r for w, r in words.items() if w in text}
    return len(roles) >= MIN_LINE_ROLES and bool(roles & (INDICATOR_ROLES | {"indicators_packed"}))


def unread_finding(page: int | None) -> Finding:
    return Finding(Severity.ERROR, UNREAD_CODE, "an indicator table that was not read", page)


def unread_message(pages: str, forms: tuple[int, int] | None = None) -> str:
    """The issue's message: which pages to look at, and what to do."""
    if forms is not None:
        printed, read = forms
        return (f"{printed} project forms are printed on pages {pages} but {read} were read: "
                "the missing forms were lost (a template this version does not read)")  # fmt: skip
    return (
        f"pages {pages} carry an indicator table (一级/二级/三级指标, 指标值 …) that was not "
        "read as projects nor recognised as another kind of table: its template is not "
        "known (add its header words to data/headers.toml, or report the document)"
    )
