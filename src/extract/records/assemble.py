"""The second half of the pipeline: find the performance table among an extracted
document's blocks, and turn it into records and checks (this is where pydantic comes in)."""

from __future__ import annotations

from decimal import Decimal

from extract.enums import Layout
from extract.layouts.dispatch import table_to_draft
from extract.layouts.drafts import TableDraft
from extract.locate.forms import count_forms
from extract.locate.metadata import blocks_to_metadata, split_scope
from extract.locate.tables import LogicalTable, blocks_to_tables
from extract.locate.unread import UNREAD_CODE, unread_message
from extract.models import (
    Document,
    DocumentResult,
    Indicator,
    Issue,
    RowKind,
    Severity,
    Status,
)
from extract.read.base import ExtractedDocument, Finding
from extract.records.build import drafts_to_records, harmonise_amounts
from extract.records.evaluated import find_forms, flag_unread, read_forms, with_evaluations
from extract.records.validate import check_amounts, check_indicators
from extract.settings import Settings
from extract.values.amounts import SCALES


def extracted_to_result(
    doc: Document, extracted: ExtractedDocument, settings: Settings
) -> DocumentResult:
    """Find the performance table(s) in an extracted document and build its records."""
    doc.page_count = extracted.page_count
    doc.reader = extracted.reader
    if extracted.pages_read:
        doc.pages_pdfium = extracted.pages_read.get("pdfium", 0)
        doc.pages_pdfplumber = extracted.pages_read.get("pdfplumber", 0)
    evaluated = find_forms(extracted.blocks)
    tables, findings = blocks_to_tables(evaluated.masked(extracted.blocks), settings)
    meta = blocks_to_metadata(extracted.blocks, tables[0].block_index if tables else None)
    doc.title, doc.department, doc.year = meta.title, meta.department, meta.year
    doc.scope = meta.scope
    evaluated = read_forms(evaluated, doc, meta.amount_unit, settings)
    findings = [*flag_unread(findings), *evaluated.findings]
    doc.tables_skipped = skipped_summary(findings)
    read_pages = {p for t in tables for p in t.pages} | {
        p for f in evaluated.forms for p in f.pages
    }
    findings, unread_pages = unread_pages_as_one(findings, read_pages)
    all_findings = [*extracted.findings, *findings, *(f for t in tables for f in t.findings)]
    if extracted.status is not None or not tables:
        issues = [_finding_to_issue(doc.doc_id, f) for f in all_findings] + evaluated.issues
        unread = next((i for i in issues if i.code == UNREAD_CODE), None) or next(
            (i for i in evaluated.issues if i.severity is Severity.ERROR), None
        )  # a table printed and not read, or a form's indicator grid
        doc.tables_not_read = unread_pages
        read = Status.OK if evaluated.evaluations else Status.NO_TABLE
        doc.status = extracted.status or (Status.PARTIAL if unread else read)
        doc.error = (
            extracted.error
            or (unread.message if unread else None)
            or (NO_TABLE_MESSAGE if read is Status.NO_TABLE else None)
        )
        return with_evaluations(DocumentResult(document=doc, issues=issues), evaluated)
    drafts = [table_to_draft(t, meta.department) for t in tables]
    if (lost := forms_lost(tables, drafts)) is not None:
        all_findings.append(lost)
    if lost is not None and unread_pages is None:
        doc.tables_not_read = str(lost.page) if lost.page is not None else "?"
    else:
        doc.tables_not_read = unread_pages
    if doc.department is None:
        form_department = next((d.department for d in drafts if d.department), None)
        doc.department, doc.scope = (
            split_scope(form_department) if form_department else (None, None)
        )
    unit = next((d.amount_unit for d in drafts if d.amount_unit), None)
    doc.amount_unit = unit or meta.amount_unit or settings.default_amount_unit
    harmonise_amounts([r for d in drafts for r in d.rows], doc.amount_unit)
    doc.layout = tables[0].header.layout
    doc.table_pages = _pages_text(sorted({p for t in tables for p in t.pages}))
    records = drafts_to_records(doc.doc_id, [p for d in drafts for p in d.projects],
                                doc.amount_unit, doc.year)  # fmt: skip
    issues = [_finding_to_issue(doc.doc_id, f) for f in all_findings] + records.issues
    if not records.projects:
        issues.append(Issue(doc_id=doc.doc_id, severity=Severity.ERROR, code="no_projects_read",
            message="a performance table was found but no project row could be read from it "
                    "(do its rows have the header's columns?)"))  # fmt: skip
    checks = _check(doc, drafts, records.indicators, len(records.projects), settings)
    issues += checks
    doc.totals_check = _totals_check(drafts, checks)
    if not unit and not meta.amount_unit:
        message = f"no 单位 line or header note found: amounts read as {doc.amount_unit}"
        issues.append(Issue(doc_id=doc.doc_id, severity=Severity.WARNING,
                            code="amount_unit_assumed", message=message))  # fmt: skip
    issues += evaluated.issues
    doc.status = Status.PARTIAL if any(i.severity is Severity.ERROR for i in issues) else Status.OK
    if doc.status is Status.PARTIAL:
        doc.error = next(i.message for i in issues if i.severity is Severity.ERROR)
    result = DocumentResult(document=doc, projects=records.projects,
                            indicators=records.indicators, issues=issues)  # fmt: skip
    return with_evaluations(result, evaluated)


NO_TABLE_MESSAGE = "no performance target table (项目支出绩效目标表) found"


def unread_pages_as_one(
    findings: list[Finding], read_pages: set[int]
) -> tuple[list[Finding], str | None]:
    """The grids that carry an indicator table and were not read, as one finding naming
    their pages (a page a table was read from is not named: its grid may be a piece of it),
    and those pages as ``documents.tables_not_read`` (``12-14``; ``?`` for a format without
    pages; None when every such grid was read)."""
    unread = [f for f in findings if f.code == UNREAD_CODE]
    rest = [f for f in findings if f.code != UNREAD_CODE]
    pages = sorted({f.page for f in unread if f.page is not None} - read_pages)
    if not pages and not any(f.page is None for f in unread):
        return rest, None
    text = _pages_text(pages) or "?"
    finding = Finding(
        Severity.ERROR, UNREAD_CODE, unread_message(text), pages[0] if pages else None
    )
    return [*rest, finding], text


def forms_lost(tables: list[LogicalTable], drafts: list[TableDraft]) -> Finding | None:
    """Fewer projects from the form tables than forms printed (name labels with a name)."""
    printed = read = 0
    pages: set[int] = set()
    for table, draft in zip(tables, drafts, strict=True):
        if table.header.layout is Layout.FORM:
            printed += count_forms(table.rows)
            read += len(draft.projects)
            pages.update(table.pages)
    if printed <= read:
        return None
    message = unread_message(_pages_text(sorted(pages)) or "?", (printed, read))
    return Finding(Severity.ERROR, UNREAD_CODE, message, min(pages) if pages else None)


def skipped_summary(findings: list[Finding]) -> str | None:
    """``department:24-25; self_evaluation:30-41``: the kinds of tables not read, by pages."""
    pages: dict[str, list[int]] = {}
    for f in findings:
        if f.code == "table_skipped":
            kind = f.message.split(":", 1)[0]
            pages.setdefault(kind, [])
            if f.page is not None and f.page not in pages[kind]:
                pages[kind].append(f.page)
    parts = [f"{kind}:{_pages_text(sorted(p)) or '?'}" for kind, p in pages.items()]
    return "; ".join(parts) or None


def _check(
    doc: Document, drafts: list[TableDraft], indicators: list[Indicator], project_count: int,
    settings: Settings,
) -> list[Issue]:  # fmt: skip
    tolerance = Decimal(settings.amount_tolerance_yuan)
    issues = [i for d in drafts for i in check_amounts(doc.doc_id, d, tolerance / _scale(doc))]
    return issues + check_indicators(doc.doc_id, indicators, project_count)


def _totals_check(drafts: list[TableDraft], checks: list[Issue]) -> str | None:
    """``match`` when the projects add up to every printed 合计 and unit subtotal,
    ``mismatch`` when one does not, ``None`` when the tables print none."""
    printed = any(r.kind in (RowKind.TOTAL, RowKind.UNIT) for d in drafts for r in d.rows)
    if not printed:
        return None
    sums = {"amount_unit_mismatch", "amount_total_mismatch"}
    return "mismatch" if any(i.code in sums for i in checks) else "match"


def _scale(doc: Document) -> Decimal:
    return SCALES.get(doc.amount_unit or "元", Decimal(1))


def _finding_to_issue(doc_id: str, f: Finding) -> Issue:
    return Issue(doc_id=doc_id, severity=f.severity, code=f.code, page=f.page, message=f.message)


def _pages_text(pages: list[int]) -> str | None:
    if not pages:
        return None
    return str(pages[0]) if len(pages) == 1 else f"{pages[0]}-{pages[-1]}"
