"""Document metadata from the text around the table: title, department, year, amount unit."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .extractors.base import Block, RawTable, TextLine
from .textnorm import nfkc, squash

_DEPT_RE = re.compile(
    r"^(?:部门名称|单位名称|预算单位|部门|主管部门|编制单位|填报单位|申报单位|预算部门)"
    r"\s*[:：]\s*(?P<v>\S.*?)\s*"
    r"(?:(?:金额)?单位\s*[:：].*)?$"
)
_UNIT_RE = re.compile(r"(?:金额)?单位\s*[:：]\s*(?P<v>万元|千元|亿元|元)")
_UNIT_NAME_RE = re.compile(r"^单位\s*[:：]\s*(?P<v>\S.*?)\s*$")
_YEAR_RE = re.compile(r"(?P<y>20\d{2})\s*年")
_YEAR_CELL_RE = re.compile(r"^[(（]?20\d{2}年度?[)）]?$")
_COVER_RE = re.compile(r"^(?P<dept>\S+?)\s*(?P<y>20\d{2})\s*年度?\s*(?:部门|单位)?预算")
_YEAR_FIRST_COVER_RE = re.compile(r"^(?P<y>20\d{2})年度?(?P<dept>\S{2,40}?)(?:部门|单位)预算")
# "某区文化局2024年项目支出绩效目标表": the department before the year of a table title.
_TITLE_DEPT_RE = re.compile(
    r"^(?P<dept>\S{2,40}?(?:局|委员会|委|办公室|办|院|厅|中心|部|会|所|站|馆|队|处|府|社|署|校|园|政府))"
    r"(?:本级)?\s*20\d{2}\s*年"
)
TITLE_WORDS = ("绩效目标", "绩效指标")
TABLE_LABELS = frozenset({"部门名称", "单位名称", "预算单位", "预算部门"})  # label cells
TABLE_HEAD_ROWS = 4  # where a table prints its title and its 部门名称
COVER_JOIN_LINES = 2  # a cover title broken over its first lines
LOOKBACK_LINES = 12
TITLE_MAX_CHARS = 60


@dataclass
class Metadata:
    """What the text says about the document."""

    title: str | None = None
    department: str | None = None
    year: int | None = None
    amount_unit: str | None = None


def blocks_to_metadata(blocks: list[Block], table_index: int | None) -> Metadata:
    """Read metadata from the lines just above the table, then from the whole document."""
    lines = [b for b in blocks if isinstance(b, TextLine) and b.text.strip()]
    tables = [b for b in blocks if isinstance(b, RawTable)]
    lines += [TextLine(text, t.page) for t in tables for text in table_lines(t)]
    before = [b for i, b in enumerate(blocks) if isinstance(b, TextLine) and b.text.strip()
              and (table_index is None or i < table_index)][-LOOKBACK_LINES:]  # fmt: skip
    meta = Metadata()
    for line in reversed(before):
        _read_line(line.text.strip(), meta, near_table=True)
    for line in lines:
        _read_line(line.text.strip(), meta, near_table=False)
    cover = [b.text.strip() for b in lines[:COVER_JOIN_LINES] if b.page in (None, 1)]
    if meta.department is None and len(cover) > 1:  # 2026年 / 广州市交通运输局部门预算
        _read_line("".join(cover), meta, near_table=False)
    if meta.title is None and lines and _looks_like_title(lines[0].text.strip()):
        meta.title = lines[0].text.strip()
    return meta


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
            if text in TABLE_LABELS and n + 1 < len(cells) and squash(cells[n + 1]):
                out.append(f"{text}：{squash(cells[n + 1])}")
    return out + [title + years[0] for title in titles[:1] if years]


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
    cover = _COVER_RE.match(squash(text)) or _YEAR_FIRST_COVER_RE.match(squash(text))
    if not near_table and meta.department is None and cover:
        meta.department = cover.group("dept")
    if meta.department is None and near_table and (m := _TITLE_DEPT_RE.match(squash(text))):
        if any(w in text for w in TITLE_WORDS):
            meta.department = m.group("dept")
