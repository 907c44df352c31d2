"""Document metadata from the text around the table: title, department, year, amount unit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from extract.locate.headers import default_spec, role_of
from extract.read.base import Block, Cell, RawTable, TextLine
from extract.values.textnorm import nfkc, squash

_DEPT_RE = re.compile(
    r"^(?:部门名称|单位名称|预算单位|部门|主管部门|编制单位|填报单位|申报单位|预算部门)"
    r"\s*[:：]\s*(?P<v>\S.*?)\s*"
    r"(?:(?:金额)?单位\s*[:：].*)?$"
)
_UNIT_RE = re.compile(r"(?:金额)?单位\s*[:：]\s*(?P<v>万元|千元|亿元|元)")
_UNIT_NAME_RE = re.compile(r"^单位\s*[:：]\s*(?P<v>\S.*?)\s*$")
_YEAR_RE = re.compile(r"(?P<y>20\d{2})\s*年")
_YEAR_CELL_RE = re.compile(r"^[(（]?20\d{2}年度?[)）]?$")
# A cover title, its lines joined: 西安市科学技术局2022年部门综合预算,
# 2026年度福州市民政局(本级)单位预算, 上海市普陀区规划和自然资源局2024年度部门决算.
_COVER_RES = (
    re.compile(r"^(?P<y>20\d{2})年度?(?P<dept>\S{2,40}?)(?:部门|单位)(?:综合)?[预决]算"),
    # 北京市信访办公室部门2026年度部门预算; 北京市国资委2026部门预算情况的说明 (no 年)
    re.compile(
        r"^(?P<dept>\S{2,40}?)(?:部门)?(?P<y>20\d{2})"
        r"(?:年度?(?:[省市区县]级)?(?:部门|单位)?|部门|单位)(?:综合)?[预决]算"
    ),
)
# A label line on the cover names the department where the title names only the region.
_COVER_LABEL_RE = re.compile(
    r"^(?:部门名称|单位名称|预算单位|预算主管部门|预算部门)[:：](?P<v>\S{2,40})$"
)
_SCOPE_RE = re.compile(r"\s*[(（](?P<s>汇总|本级)[)）]\s*$")
# How a department's name ends (局, 委员会, 支队, 办公室 …): a cover's or a table title's.
DEPT_ENDINGS = r"(?:局|委员会|委|办公室|办|院|厅|中心|部|会|所|站|馆|队|处|府|社|署|校|园|室|组)"
_DEPT_END_RE = re.compile(DEPT_ENDINGS + "$")
_NOT_DEPT_RE = re.compile(r"[\d、，,。；;：:]")
# "某区文化局2024年项目支出绩效目标表": the department before the year of a table title.
_TITLE_DEPT_RE = re.compile(rf"^(?P<dept>\S{{2,40}}?{DEPT_ENDINGS})(?:本级)?\s*20\d{{2}}\s*年")
TITLE_WORDS = ("绩效目标", "绩效指标")
TABLE_LABELS = frozenset({"部门名称", "单位名称", "预算单位", "预算部门"})  # label cells
TABLE_HEAD_ROWS = 4  # where a table prints its title and its 部门名称
COVER_JOIN_LINES = 4  # a cover title broken over its first lines
COVER_SCAN_LINES = 8  # where on the first page a cover title may start
LOOKBACK_LINES = 12
TITLE_MAX_CHARS = 60


@dataclass
class Metadata:
    """What the text says about the document."""

    title: str | None = None
    department: str | None = None
    year: int | None = None
    amount_unit: str | None = None
    scope: str | None = None  # 汇总 (the department with its units) or 本级 (its own budget)


def blocks_to_metadata(blocks: list[Block], table_index: int | None) -> Metadata:
    """Read metadata from the lines just above the table, then from the whole document."""
    lines = [b for b in blocks if isinstance(b, TextLine) and b.text.strip()]
    tables = [b for b in blocks if isinstance(b, RawTable)]
    lines += [TextLine(text, t.page) for t in tables for text in table_lines(t)]
    lines += titled_years(lines)
    before = [b for i, b in enumerate(blocks) if isinstance(b, TextLine) and b.text.strip()
              and (table_index is None or i < table_index)][-LOOKBACK_LINES:]  # fmt: skip
    meta = cover_metadata([b.text for b in lines if b.page in (None, 1)])
    for line in reversed(before):
        _read_line(line.text.strip(), meta, near_table=True)
    for line in lines:
        _read_line(line.text.strip(), meta, near_table=False)
    if meta.title is None and lines and _looks_like_title(lines[0].text.strip()):
        meta.title = lines[0].text.strip()
    if meta.department is not None:
        meta.department, scope = split_scope(meta.department)
        meta.scope = meta.scope or scope
    return meta


def cover_metadata(first_page: list[str]) -> Metadata:
    """Department, year and scope from the cover: its title, whose lines may break anywhere
    (``2026年烟台市应急管理局部门预`` / ``算``), and a label line (``预算主管部门：…``) that names
    the department where the title names only the region (``上海市普陀区2026年区级部门预算``)."""
    meta = Metadata()
    texts = [squash(t) for t in first_page if re.search(r"[\u4e00-\u9fff]", t)]
    texts = texts[:COVER_SCAN_LINES]
    for start in range(len(texts)):
        if meta.department is None and (m := _COVER_LABEL_RE.match(texts[start])):
            meta.department = m.group("v") if _plausible_department(m.group("v")) else None
        for end in range(start + 1, min(start + COVER_JOIN_LINES, len(texts)) + 1):
            if meta.year is None and (m := _cover_title("".join(texts[start:end]))):
                meta.year = int(m.group("y"))  # the title's year, even beside a region
                if _plausible_department(m.group("dept")):
                    meta.department = meta.department or m.group("dept")
    if meta.department is not None:
        meta.department, meta.scope = split_scope(meta.department)
    return meta


def _cover_title(text: str) -> re.Match[str] | None:
    """A cover title's match; its department may be only the region (上海市普陀区)."""
    matches = [m for pattern in _COVER_RES if (m := pattern.match(nfkc(text)))]
    good = [m for m in matches if _plausible_department(m.group("dept"))]
    titles = good or [m for m in matches if not _NOT_DEPT_RE.search(m.group("dept"))]
    return titles[0] if titles else None


def is_department(text: str) -> bool:
    """Is a text a department's name (``西安市财政局``), not a project's or a fund's?"""
    return _plausible_department(squash(text))


def _plausible_department(text: str) -> bool:
    """A department's name: ends like one (局, 委员会, 支队, 办公室…) and is not a sentence."""
    name, _ = split_scope(text)
    return (
        2 <= len(name) <= 40 and not _NOT_DEPT_RE.search(name) and bool(_DEPT_END_RE.search(name))
    )


def split_scope(department: str) -> tuple[str, str | None]:
    """``西安市司法局（汇总）`` → (``西安市司法局``, ``汇总``): which budget it is."""
    if m := _SCOPE_RE.search(department):
        return department[: m.start()], m.group("s")
    return department, None


def table_lines(table: RawTable) -> list[str]:
    """What a table's first rows say as text lines: a title cell (``预算13表 部门整体支出绩效
    目标表（2026年度）``) and label / value pairs (``部门名称 | 北京市审计局`` →
    ``部门名称：北京市审计局``), for documents that print them only inside tables."""
    out, titles, years = [], [], []
    for row in table.rows[:TABLE_HEAD_ROWS]:
        cells = [c for c in row.cells if c is not None]
        for n, cell in enumerate(cells):
            text = squash(cell)
            if text.endswith("表") and len(text) <= TITLE_MAX_CHARS:
                titles.append(text)  # its year may sit in a cell of its own, (2026年度)
            elif _YEAR_CELL_RE.match(nfkc(text)):
                years.append(text)
            elif "表" in text and _YEAR_RE.search(nfkc(text)) and len(text) <= TITLE_MAX_CHARS:
                out.append(text)
            if text in TABLE_LABELS and n + 1 < len(cells) and _a_value(cells[n + 1]):
                out.append(f"{text}：{squash(cells[n + 1])}")
    return out + [title + years[0] for title in titles[:1] if years]


def _a_value(cell: Cell) -> bool:
    """A label's neighbour that is a value, not the next column's header (a row of headers:
    预算单位 | 年初预算(万元) …)."""
    text = squash(cell or "")
    return bool(text) and "万元" not in text and role_of(text, default_spec()) is None


def titled_years(lines: list[TextLine]) -> list[TextLine]:
    """A title line and the ``（2026年度）`` line under it, read together: the year is the
    table's (``预算13表 部门整体支出绩效目标表`` / ``（2026年度）``)."""
    out = []
    for above, line in pairwise(lines):
        title = squash(above.text)
        if _YEAR_CELL_RE.match(nfkc(squash(line.text))) and title.endswith("表"):
            out.append(TextLine(title + squash(line.text), line.page))
    return out


def _looks_like_title(text: str) -> bool:
    """A heading, not a sentence of prose."""
    return len(text) <= TITLE_MAX_CHARS and not any(p in text for p in "。，；")


def _read_line(text: str, meta: Metadata, *, near_table: bool) -> None:
    if near_table and meta.title is None and any(w in text for w in TITLE_WORDS) and "表" in text:
        meta.title = text
    if meta.department is None and (m := _DEPT_RE.match(text)):
        meta.department = m.group("v")
    if m := _UNIT_RE.search(text):
        meta.amount_unit = meta.amount_unit or m.group("v")
    elif meta.department is None and near_table and (m := _UNIT_NAME_RE.match(text)):
        meta.department = m.group("v")
    yearly = near_table or "预算" in text or "绩效目标表" in text
    if meta.year is None and (m := _YEAR_RE.search(nfkc(text))) and yearly:
        meta.year = int(m.group("y"))
    if meta.department is None and near_table and (m := _TITLE_DEPT_RE.match(squash(text))):
        if any(w in text for w in TITLE_WORDS):
            meta.department = m.group("dept")
