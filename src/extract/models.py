"""Pydantic models of the output records; they are the one source of the Parquet schema."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class Format(StrEnum):
    """A document format, as sniffed from the bytes."""

    PDF = "pdf"
    DOCX = "docx"
    OLE2 = "doc"  # OLE2 compound file: legacy .doc (or .xls)
    XLSX = "xlsx"
    TXT = "txt"
    HTML = "html"
    RTF = "rtf"
    ZIP = "zip"
    EMPTY = "empty"
    UNKNOWN = "unknown"


class Status(StrEnum):
    """What became of a document."""

    OK = "ok"
    PARTIAL = "partial"
    NO_TABLE = "no_table"
    NEEDS_OCR = "needs_ocr"
    FAILED = "failed"


class Severity(StrEnum):
    """How much an issue matters: ``error`` makes the document ``partial``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class Op(StrEnum):
    """Comparison operator of a target value."""

    GE = ">="
    LE = "<="
    GT = ">"
    LT = "<"
    EQ = "="
    RANGE = "range"


class Layout(StrEnum):
    """Shape of the performance table (SPEC §2)."""

    PACKED = "packed"
    ROWS = "rows"
    FORM = "form"


class RowKind(StrEnum):
    """Kinds of rows in a performance table."""

    TOTAL = "total"
    UNIT = "unit"
    PROJECT = "project"


class Record(BaseModel):
    """Base of every output record: strict about unknown fields."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False)


Yuan = Annotated[Decimal, Field(max_digits=20, decimal_places=2)]
"""An amount in yuan, exact to the fen."""


class TargetValue(Record):
    """One parsed target (指标值), with its printed text kept."""

    raw: str | None = Field(None, description="the text as printed")
    op: Op | None = Field(None, description="comparison; null for qualitative or blank")
    value: float | None = Field(None, description="the number (lower bound of a range)")
    value_max: float | None = Field(None, description="upper bound of a range")
    unit: str | None = Field(None, description="unit as printed, brackets removed")
    qualitative: bool = Field(False, description="a sentence without a number")
    date: dt.date | None = Field(None, description="deadline date, when resolvable")
    approximate: bool = Field(False, description="约/左右/大约")


class Document(Record):
    """One source document and what became of it (documents table)."""

    doc_id: str = Field(description="sha256 of the document's bytes")
    source: str = Field(description="path or URL the document was read from")
    file_name: str | None = Field(description="last path component of the source")
    format: str = Field(description="format sniffed from the bytes")
    status: Status
    error: str | None = Field(None, description="why the status is not ok")
    title: str | None = None
    department: str | None = Field(None, description="部门名称")
    year: int | None = Field(None, description="budget year")
    amount_unit: str | None = Field(None, description="单位 of the amounts: 元 or 万元")
    layout: Layout | None = None
    page_count: int | None = None
    table_pages: str | None = Field(None, description="pages holding the table, e.g. '3-5'")
    project_count: int = 0
    indicator_count: int = 0
    issue_count: int = 0
    size_bytes: int | None = None
    extracted_at: dt.datetime
    extractor_version: str


class Project(Record):
    """One project row (projects table); amounts converted to yuan."""

    doc_id: str
    project_seq: int = Field(description="1-based, document order")
    unit_name: str | None = Field(None, description="资金使用单位 / 实施单位")
    project_name: str = Field(description="项目名称")
    total_yuan: Yuan | None = Field(None, description="总计 / 年度资金申请总额")
    fiscal_yuan: Yuan | None = Field(None, description="财政拨款 / 当年财政拨款")
    special_account_yuan: Yuan | None = Field(None, description="财政专户拨款")
    other_yuan: Yuan | None = Field(None, description="其他资金")
    project_total_yuan: Yuan | None = Field(None, description="项目资金总额 (form)")
    project_fiscal_yuan: Yuan | None = Field(None, description="其中：财政资金 (form)")
    carryover_yuan: Yuan | None = Field(None, description="上年结转资金")
    government_fund_yuan: Yuan | None = Field(None, description="政府性基金")
    goal: str | None = Field(None, description="绩效目标 / 年度总体目标")
    goal_total: str | None = Field(None, description="项目总目标 (form)")
    page: int | None = Field(None, description="1-based page where the project starts")


class Indicator(Record):
    """One performance indicator (三级指标) with its two targets (indicators table)."""

    doc_id: str
    project_seq: int
    indicator_seq: int = Field(description="1-based within the project")
    level1_code: str | None = None
    level1_name: str | None = Field(None, description="canonical 一级指标, null if unknown")
    level1_raw: str | None = Field(None, description="一级指标 as printed")
    level2_code: str | None = None
    level2_name: str | None = Field(None, description="canonical 二级指标, null if unknown")
    level2_raw: str | None = Field(None, description="二级指标 as printed")
    name: str = Field(description="三级指标")
    period: TargetValue = Field(default_factory=TargetValue, description="实施周期指标值")
    annual: TargetValue = Field(default_factory=TargetValue, description="年度指标值")
    page: int | None = None


class Issue(Record):
    """A problem found in a document: data, never an exception (issues table)."""

    doc_id: str
    severity: Severity
    code: str = Field(description="stable snake_case code")
    project_seq: int | None = None
    indicator_seq: int | None = None
    page: int | None = None
    message: str


class DocumentResult(Record):
    """Everything extracted from one document."""

    document: Document
    projects: list[Project] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    issues: list[Issue] = Field(default_factory=list)
