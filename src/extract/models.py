"""Pydantic models of the output records; they are the one source of the Parquet schema."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from extract.enums import Format, Layout, Op, RowKind, Severity, Status

__all__ = [
    "Document", "DocumentResult", "Evaluation", "EvaluationIndicator", "Format", "Indicator",
    "Issue", "Layout", "Op", "Project", "Record", "RowKind", "Severity", "Status",
    "TargetValue", "Yuan",
]  # fmt: skip


class Record(BaseModel):
    """Base of every output record: strict about unknown fields."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False)


Yuan = Annotated[Decimal, Field(max_digits=20, decimal_places=2)]
"""An amount in yuan, exact to the fen."""


class BBox(Record):
    """Where a row came from in a PDF: its page and its source cells' box in PDF points
    (x from the left, top and bottom from the top of the page, as pdfplumber measures)."""

    page: int = Field(description="1-based page")
    x0: float = Field(description="left edge, PDF points")
    top: float = Field(description="top edge, PDF points from the top of the page")
    x1: float = Field(description="right edge, PDF points")
    bottom: float = Field(description="bottom edge, PDF points from the top of the page")


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
    format: str = Field(
        description="format sniffed from the bytes: pdf, docx, doc (also .wps), xlsx, xls "
        "(also .et), txt; zip, 7z or rar for an archive; html, rtf, ooxml (a .pptx), empty, unknown"
    )
    reader: str | None = Field(
        None,
        description="the reader that read it, where a format has more than one: for doc, "
        "word97 (this tool's own reader of the Word binary) or libreoffice",
    )
    container_id: str | None = Field(
        None,
        description="the archive (its doc_id) this document was unpacked from; its source is "
        "then archive!/member. Null for a document read as a file",
    )
    member_count: int | None = Field(
        None,
        description="an archive: its members read as documents (each a documents row of its "
        "own with container_id = this doc_id); null for a document",
    )
    status: Status = Field(description="ok, partial, no_table, needs_ocr or failed")
    error: str | None = Field(None, description="why the status is not ok")
    title: str | None = Field(None, description="table title (标题), e.g. 项目支出绩效目标表")
    department: str | None = Field(
        None, description="部门名称: the publishing department, without a （汇总）/（本级） marker"
    )
    scope: str | None = Field(
        None, description="汇总 (the department with its units), 本级 (its own), null if unmarked"
    )
    year: int | None = Field(
        None, description="budget year (预算年度) as the document prints it; null when it does not"
    )
    source_year: int | None = Field(
        None,
        description="a year the source's name or URL carries (…/2024_lj_bgs.txt: 2024), kept "
        "apart from year: a hint for a document that prints none, never its year",
    )
    amount_unit: str | None = Field(None, description="单位 of the printed amounts: 元 or 万元")
    layout: Layout | None = Field(None, description="table layout: packed, rows or form")
    page_count: int | None = Field(None, description="pages in the document (null for text)")
    tables_skipped: str | None = Field(
        None,
        description=(
            "tables found but not read, by kind and pages, e.g. 'department:24-25; "
            "self_evaluation:30-41' (kinds: department, self_evaluation, transfer, empty, "
            "goals_only)"
        ),
    )
    tables_not_read: str | None = Field(
        None,
        description="pages that print an indicator table no reader read (a template not known): "
        "the document is partial and an error issue table_not_read says why",
    )
    totals_check: str | None = Field(
        None,
        description=(
            "projects against a printed 合计 or unit subtotal: match, mismatch, or null when the "
            "table prints none"
        ),
    )
    table_pages: str | None = Field(None, description="pages holding the table, e.g. '3-5'")
    pages_pdfium: int | None = Field(
        None, description="PDF: table-step pages read by the fast pypdfium2 reader"
    )
    pages_pdfplumber: int | None = Field(
        None, description="PDF: table-step pages read by pdfplumber (the reference reader)"
    )
    project_count: int = Field(0, description="rows written to projects")
    indicator_count: int = Field(0, description="rows written to indicators")
    evaluation_count: int = Field(0, description="rows written to evaluations (自评表)")
    issue_count: int = Field(0, description="rows written to issues (every severity)")
    error_count: int = Field(0, description="issues of severity error")
    warning_count: int = Field(0, description="issues of severity warning")
    size_bytes: int | None = Field(None, description="size of the document in bytes")
    extracted_at: dt.datetime = Field(description="when the extraction ran (UTC)")
    extractor_version: str = Field(description="version of this extractor")


class Project(Record):
    """One project row (projects table); amounts converted to yuan."""

    doc_id: str = Field(description="the document (documents.doc_id)")
    project_seq: int = Field(description="1-based, document order")
    unit_name: str | None = Field(None, description="资金使用单位 / 实施单位")
    unit_code: str | None = Field(
        None, description="a unit code printed before the unit's name (105001长春市信访局)"
    )
    project_code: str | None = Field(None, description="project code printed with the name")
    project_name: str = Field(description="项目名称, without a printed project code")
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
    bbox: BBox | None = Field(
        None, description="PDF only: the project's rows on its first page (null for .docx, text)"
    )


class Indicator(Record):
    """One performance indicator (三级指标) with its two targets (indicators table)."""

    doc_id: str = Field(description="the document (documents.doc_id)")
    project_seq: int = Field(description="the project (projects.project_seq)")
    indicator_seq: int = Field(description="1-based within the project")
    level1_code: str | None = Field(None, description="一级指标 code, e.g. 1")
    level1_name: str | None = Field(None, description="canonical 一级指标, null if unknown")
    level1_raw: str | None = Field(None, description="一级指标 as printed")
    level2_code: str | None = Field(None, description="二级指标 code, e.g. 11")
    level2_name: str | None = Field(None, description="canonical 二级指标, null if unknown")
    level2_raw: str | None = Field(None, description="二级指标 as printed")
    name: str = Field(description="三级指标")
    period: TargetValue = Field(default_factory=TargetValue, description="实施周期指标值")
    annual: TargetValue = Field(default_factory=TargetValue, description="年度指标值")
    nature: str | None = Field(
        None, description="指标性质 / 指标值类型 as printed (定性, 定量, ≥ …)"
    )
    weight: float | None = Field(None, description="权重 / 指标权重 / 分值")
    is_core: bool | None = Field(None, description="是否核心 (core indicator)")
    scoring: str | None = Field(None, description="评（扣）分标准")
    explanation: str | None = Field(None, description="指标解释 / 指标值内容 (beside a 指标值)")
    note: str | None = Field(None, description="备注")
    page: int | None = Field(None, description="1-based page of the indicator's row")
    bbox: BBox | None = Field(
        None,
        description="PDF only: the indicator's row; in a packed table, the cell of its items "
        "on the project's first page (null for .docx, text)",
    )


class Evaluation(Record):
    """One project self-evaluation form, 项目支出绩效自评表 (evaluations table): the money
    budgeted and spent, what was expected and what was done, the total score."""

    doc_id: str = Field(description="the document (documents.doc_id)")
    evaluation_seq: int = Field(description="1-based, document order")
    title: str | None = Field(None, description="the form's title (…项目绩效自评表)")
    project_name: str = Field(description="项目名称")
    project_code: str | None = Field(None, description="项目编码 / 项目代码, where printed")
    department: str | None = Field(None, description="主管部门 (else the document's)")
    unit_name: str | None = Field(None, description="实施单位 / 预算单位")
    evaluated_year: int | None = Field(
        None,
        description="the year evaluated as the form prints it (（2022年度）), else the "
        "document's (the dataset's `year` column is the document's, as for every table)",
    )
    amount_unit: str | None = Field(None, description="单位 of the printed amounts: 元 or 万元")
    budget_start_yuan: Yuan | None = Field(None, description="年初预算数 (年度资金总额 row)")
    budget_yuan: Yuan | None = Field(None, description="全年预算数 (A), the adjusted budget")
    spent_yuan: Yuan | None = Field(None, description="全年执行数 (B)")
    carryover_yuan: Yuan | None = Field(None, description="上年结转资金: 全年预算数")
    execution_rate: float | None = Field(None, description="执行率 in percent (B/A), as printed")
    execution_rate_raw: str | None = Field(None, description="执行率 as printed")
    execution_weight: float | None = Field(None, description="the money row's 分值")
    execution_score: float | None = Field(None, description="the money row's 得分")
    execution_score_raw: str | None = Field(None, description="the money row's 得分 as printed")
    score: float | None = Field(None, description="总分: the form's total score")
    score_raw: str | None = Field(None, description="总分 as printed")
    grade: str | None = Field(None, description="自评等级 / 绩效等级, where printed")
    goal: str | None = Field(None, description="预期目标 (年初设定)")
    goal_result: str | None = Field(None, description="实际完成情况")
    indicator_count: int = Field(0, description="rows in evaluation_indicators")
    page: int | None = Field(None, description="1-based page where the form starts")
    bbox: BBox | None = Field(None, description="PDF only: the form on its first page")


class EvaluationIndicator(Record):
    """One indicator of a self-evaluation form: its target beside what was achieved
    (evaluation_indicators table)."""

    doc_id: str = Field(description="the document (documents.doc_id)")
    evaluation_seq: int = Field(description="the form (evaluations.evaluation_seq)")
    indicator_seq: int = Field(description="1-based within the form")
    level1_name: str | None = Field(None, description="canonical 一级指标, null if unknown")
    level1_raw: str | None = Field(None, description="一级指标 as printed")
    level2_name: str | None = Field(None, description="canonical 二级指标, null if unknown")
    level2_raw: str | None = Field(None, description="二级指标 as printed")
    name: str = Field(description="三级指标 / 指标名称 / 指标内容")
    target: TargetValue = Field(default_factory=TargetValue, description="年度指标值")
    actual: TargetValue = Field(default_factory=TargetValue, description="实际完成值")
    weight: float | None = Field(None, description="分值 / 权重")
    weight_raw: str | None = Field(None, description="分值 as printed")
    score: float | None = Field(None, description="得分")
    score_raw: str | None = Field(None, description="得分 as printed")
    deviation: str | None = Field(None, description="偏差原因分析及改进措施")
    met: bool | None = Field(
        None,
        description="the result against the target where they compare: a number against a "
        "comparison (a bare target such as 16个 reads as at least 16; an amount of money in a "
        "成本 row as at most; a plain number printed without a unit is in the other side's "
        "unit, unless that side was scaled from 万/亿 or is a percentage against a fraction), "
        "a date against a deadline; null where they do not (text, other units)",
    )
    page: int | None = Field(None, description="1-based page of the row")
    bbox: BBox | None = Field(None, description="PDF only: the indicator's row")


class Issue(Record):
    """A problem found in a document: data, never an exception (issues table)."""

    doc_id: str = Field(description="the document (documents.doc_id)")
    severity: Severity = Field(description="info, warning or error (error → status partial)")
    code: str = Field(description="stable snake_case code")
    project_seq: int | None = Field(None, description="the project concerned, if any")
    indicator_seq: int | None = Field(None, description="the indicator concerned, if any")
    page: int | None = Field(None, description="1-based page, if known")
    message: str = Field(description="what is wrong, for a person")


class DocumentResult(Record):
    """Everything extracted from one document."""

    document: Document
    projects: list[Project] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    evaluations: list[Evaluation] = Field(default_factory=list)
    evaluation_indicators: list[EvaluationIndicator] = Field(default_factory=list)
    issues: list[Issue] = Field(default_factory=list)
    members: list[DocumentResult] = Field(
        default_factory=list, exclude=True, description="an archive's members, written apart"
    )

    def counted(self) -> DocumentResult:
        """Set the document's counts from the result's rows; returns the result."""
        doc = self.document
        doc.project_count, doc.indicator_count = len(self.projects), len(self.indicators)
        doc.evaluation_count = len(self.evaluations)
        doc.issue_count = len(self.issues)
        doc.error_count = sum(1 for i in self.issues if i.severity is Severity.ERROR)
        doc.warning_count = sum(1 for i in self.issues if i.severity is Severity.WARNING)
        return self
