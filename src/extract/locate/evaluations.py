"""Self-evaluation forms (项目支出绩效自评表) among a document's blocks, found by their parts.

A form starts at a row labelled 项目名称 (a department's form at 部门名称, a fund's at its
资金名称) and goes on over the tables after it, page by page, until its 总分 row or the next
form. It is a self-evaluation form when it reports results: an indicator grid with a result
column (实际完成值 …) or a money block with what was spent (全年执行数, 执行率 …); a target form
(项目支出绩效目标表) has neither. The words are in ``data/evaluation.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from extract.locate.headers import default_spec
from extract.read.base import Block, Cell, RawTable, TextLine
from extract.values.textnorm import squash

BRACKETED_RE = re.compile(r"[（(][^（()）]{0,8}[)）]")
YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
TITLE_LINE_CHARS = 40
PAGE_NOISE_RE = re.compile(r"^(?:[-—－–]*\d+[-—－–]*|第\d+页.*|\d+/\d+|[（(]?续表?[)）]?|)$")
PREFIX_CHARS = 4  # a header word this long also names a cell that starts with it
MAX_HEADER_CHARS = 16  # longer cells are text, not headers
SENTENCE_ENDS = ("。", "；", "：", ":")
PROJECT, DEPARTMENT, FUND = "project", "department_evaluation", "fund_evaluation"
WordTable = dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class EvaluationSpec:
    """The words of a form's parts (``data/evaluation.toml``), as cell keys."""

    title_words: tuple[str, ...]
    department_words: tuple[str, ...]
    fund_words: tuple[str, ...]
    field_ends: tuple[str, ...]
    labels: WordTable
    money_columns: WordTable
    money_rows: WordTable
    goals: WordTable
    indicators: WordTable

    def is_word(self, cell: Cell) -> bool:
        """Whether a cell is a label or header word of any part."""
        tables = (self.labels, self.money_columns, self.money_rows, self.goals, self.indicators)
        return any(self.role(cell, t) is not None for t in tables)

    def role(self, cell: Cell, table: WordTable) -> str | None:
        """The role of a header or label cell in ``table`` (:func:`word_role`)."""
        return word_role(cell, table)


def word_role(cell: Cell, table: WordTable) -> str | None:
    """The role of a header or label cell in ``table``: its key is a word, else it starts
    with a word of at least :data:`PREFIX_CHARS` characters (偏差原因分析及拟改进措施)."""
    k = cell_key(cell)
    if not k:
        return None
    if exact := next((role for role, words in table.items() if k in words), None):
        return exact
    starts = [(len(w), role) for role, words in table.items() for w in words
              if len(w) >= PREFIX_CHARS and k.startswith(w)]  # fmt: skip
    header = len(k) <= MAX_HEADER_CHARS and "：" not in k and ":" not in k  # not 主管部门：…
    return max(starts)[1] if starts and header else None


def cell_key(cell: Cell) -> str:
    """A cell as a header word: no white space, no ``（A）``/``（万元）``, no final colon."""
    return BRACKETED_RE.sub("", squash(cell or "")).rstrip(":：")


@cache
def default_evaluation_spec() -> EvaluationSpec:
    """The vocabulary shipped in ``data/evaluation.toml``."""
    text = resources.files("extract").joinpath("data/evaluation.toml").read_text("utf-8")
    data: dict[str, Any] = tomllib.loads(text)

    def words(table: dict[str, list[str]]) -> WordTable:
        return {role: tuple(cell_key(w) for w in ws) for role, ws in table.items()}

    return EvaluationSpec(
        title_words=tuple(data["title_words"]),
        department_words=tuple(data["department_words"]),
        fund_words=tuple(data["fund_words"]),
        field_ends=tuple(data["field_ends"]),
        labels=words(data["labels"]),
        money_columns=words(data["money"]["columns"]),
        money_rows=words(data["money"]["rows"]),
        goals=words(data["goals"]),
        indicators=_with_target_words(words(data["indicators"]), data["target_words"]),
    )


def _with_target_words(table: WordTable, shared: dict[str, list[str]]) -> WordTable:
    """The indicator columns a target table names too take its words in ``headers.toml``
    (one vocabulary for 三级指标, 指标值, 计量单位 …), unless a word names another column here."""
    taken = {w for words in table.values() for w in words}
    out = dict(table)
    for role, header_roles in shared.items():
        more = [cell_key(w) for w, r in default_spec().words.items() if r in header_roles]
        out[role] = tuple(dict.fromkeys([*table[role], *(w for w in more if w not in taken)]))
    return out


@dataclass
class FoundForm:
    """One form: its kind, the text lines printed above it, its tables in order."""

    kind: str
    lines: list[str] = field(default_factory=list)
    tables: list[RawTable] = field(default_factory=list)
    closed: bool = False  # its 总分 row was seen: a later table is not its continuation
    sources: set[int] = field(default_factory=set)  # id() of the blocks it was read from

    @property
    def pages(self) -> list[int]:
        return sorted({r.page for t in self.tables for r in t.rows if r.page is not None})

    @property
    def title(self) -> str | None:
        """The line naming the form, with the line before it when the title wrapped there
        (a short line that ends no sentence)."""
        titled = [i for i, line in enumerate(self.lines) if "自评" in line or "评价表" in line]
        if not titled:
            return None
        first = titled[-1]
        if (
            first > 0
            and len(before := self.lines[first - 1]) <= TITLE_LINE_CHARS
            and not any(p in before for p in SENTENCE_ENDS)
        ):
            first -= 1
        return "".join(self.lines[first : titled[-1] + 1])

    @property
    def year(self) -> int | None:
        for line in reversed(self.lines):
            if m := YEAR_RE.search(line):
                return int(m.group(1))
        return None


def find_evaluations(blocks: list[Block], spec: EvaluationSpec | None = None) -> list[FoundForm]:
    """The self-evaluation forms among the blocks, in document order (every kind)."""
    spec = spec or default_evaluation_spec()
    forms: list[FoundForm] = []
    current: FoundForm | None = None
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, TextLine):
            lines.append(block.text)
            continue
        # a form goes on over a page only where nothing but page numbers stands in between
        titled = any(not PAGE_NOISE_RE.match(squash(line)) for line in lines)
        preamble: RawTable | None = None  # rows above the form's start in its own table
        for part, kind in _split(block, spec):
            if kind is None and titled and _titled_form(lines, part, spec):
                kind = PROJECT  # its fields printed above the table: 项目名称：… as text
            if kind is None:
                if current is not None and not current.closed and not titled \
                        and not _foreign_header(part, spec):  # fmt: skip
                    current.tables.append(part)  # the form goes on (a page break)
                    current.closed = _closes(part, spec)
                    current.sources.add(id(block))
                else:
                    preamble = part
                    if current is not None:
                        current.closed = True  # another table came between: the form ended
                continue
            tables = [preamble, part] if preamble is not None else [part]
            current = FoundForm(kind, lines=lines[-4:], tables=tables, sources={id(block)})
            current.kind = _kind_by_title(current, spec)
            current.closed = _closes(part, spec)
            forms.append(current)
            lines, titled, preamble = [], False, None
        lines = []
    return [f for f in forms if reports_results(f, spec)]


def _titled_form(lines: list[str], table: RawTable, spec: EvaluationSpec) -> bool:
    """A table under a self-evaluation title (绩效自评表) that prints a form's money header
    or indicator header but no 项目名称 row: a form whose fields are text lines above it."""
    if not any(w in squash(line) for line in lines for w in spec.title_words):
        return False
    named = spec.labels["project_name"]
    if any(cell_key(c) in named for row in table.rows for c in row.cells if c):
        return False  # 项目名称 a column: a list of projects (a summary), not one form
    for row in table.rows:
        money = {r for c in row.cells if (r := spec.role(c, spec.money_columns)) is not None}
        grid = {r for c in row.cells if (r := spec.role(c, spec.indicators)) is not None}
        if len(money) >= 2 or ("name" in grid and len(grid) >= 2):
            return True
    return False


def _foreign_header(table: RawTable, spec: EvaluationSpec) -> bool:
    """A table that opens with a header of its own (科目编码 | 科目名称 | 合计 …: words, no
    number, none of a form's) is another table, not the form going on."""
    first = next((r.cells for r in table.rows if any(r.cells)), [])
    filled = [c for c in first if c]
    numbers = any(any(ch.isdigit() for ch in c) for c in filled)
    parts = (spec.labels, spec.goals, spec.money_columns,
             {r: w for r, w in spec.indicators.items() if r != "total"})  # fmt: skip
    ours = any(spec.role(c, words) is not None for c in filled for words in parts)
    return len(filled) >= 3 and not numbers and not ours


def _kind_by_title(form: FoundForm, spec: EvaluationSpec) -> str:
    """A title naming the whole department or a fund makes the form of that kind."""
    title = squash(form.title or "")
    if any(w in title for w in spec.fund_words):
        return FUND
    if any(w in title for w in spec.department_words):
        return DEPARTMENT
    return form.kind


def _split(table: RawTable, spec: EvaluationSpec) -> list[tuple[RawTable, str | None]]:
    """The table cut where forms start: (part, the kind of form it starts, or None)."""
    starts = [(i, k) for i, row in enumerate(table.rows) if (k := _start_kind(row.cells, spec))]
    if not starts:
        return [(table, None)]
    parts: list[tuple[RawTable, str | None]] = []
    if starts[0][0] > 0:
        parts.append((_part(table, 0, starts[0][0]), None))
    ends = [i for i, _ in starts[1:]] + [len(table.rows)]
    for (begin, kind), end in zip(starts, ends, strict=True):
        parts.append((_part(table, begin, end), kind))
    return parts


def _part(table: RawTable, begin: int, end: int) -> RawTable:
    rows = table.rows[begin:end]
    return RawTable(rows=rows, page=rows[0].page if rows else table.page, col_x=table.col_x)


def _start_kind(cells: list[Cell], spec: EvaluationSpec) -> str | None:
    keys = [cell_key(c) for c in cells if c]
    if not keys:
        return None
    named = spec.labels["project_name"]
    label, colon, _ = keys[0].partition(":")  # 项目名称：… in one cell (a key is NFKC)
    if keys[0] in named or (colon and label in named):
        return PROJECT
    headers = sum(1 for k in keys if any(k in words for words in spec.indicators.values()))
    if headers >= 2 and any(k in spec.labels["project_name"] for k in keys):
        return PROJECT  # 序号 | 项目名称 | … | 三级指标 …: a header over the project rows
    if any(w in keys[0] for w in spec.fund_words):
        return FUND
    if any(w == keys[0] for w in spec.department_words):
        return DEPARTMENT
    return None


def _closes(table: RawTable, spec: EvaluationSpec) -> bool:
    total = spec.indicators["total"]
    return any(next((cell_key(c) for c in r.cells if c), "") in total for r in table.rows)


def reports_results(form: FoundForm, spec: EvaluationSpec) -> bool:
    """A form that prints results: a result column (in the grid's header row or the row that
    divides it), or what was spent (in the money header, or as a row of one turned round)."""
    for table in form.tables:
        above: set[str | None] = set()
        turned = False
        for row in table.rows:
            roles = {spec.role(c, spec.indicators) for c in row.cells}
            money = {spec.role(c, spec.money_columns) for c in row.cells}
            if "actual" in roles and "name" in roles | above:
                return True
            if money & {"spent", "rate"} and (len(money - {None}) >= 2 or turned):
                return True
            above = roles
            rows = {spec.role(c, spec.money_rows) for c in row.cells} - {None}
            turned = turned or len(rows) >= 2  # 年度资金总额 | 其中：财政拨款 as columns
    return False
