"""A document's self-evaluation forms, from its blocks to its records: found
(:mod:`extract.locate.evaluations`), read (:mod:`extract.layouts.evaluation`) and turned into
rows (:mod:`extract.records.evaluations`). Forms of the whole department or of a fund are listed
in ``tables_skipped`` by kind; a page the table finder took for a self-evaluation table and no
form was read from is an ``evaluation_not_read`` warning."""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.enums import Severity
from extract.layouts.evaluation import read_evaluation
from extract.locate.evaluations import (
    PROJECT,
    FoundForm,
    default_evaluation_spec,
    find_evaluations,
)
from extract.models import Document, DocumentResult, Evaluation, EvaluationIndicator, Issue
from extract.read.base import Block, Finding, TextLine
from extract.records.evaluations import evaluations_to_records
from extract.settings import Settings

SKIPPED_CODE = "table_skipped"
SELF_EVAL = "self_evaluation"
KIND_TEXT = {
    "department_evaluation": "a self-evaluation of the whole department (部门整体支出绩效自评表)",
    "fund_evaluation": "a self-evaluation of a fund (专项资金绩效自评表), not of a project",
}


@dataclass
class Evaluated:
    """The forms found, then their rows, their issues and findings about their tables."""

    forms: list[FoundForm] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)
    indicators: list[EvaluationIndicator] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def masked(self, blocks: list[Block]) -> list[Block]:
        """The blocks with the forms' tables blanked out (same positions): the target-table
        finder does not see them."""
        used = {source for form in self.forms for source in form.sources}
        return [TextLine("") if id(b) in used else b for b in blocks]


def find_forms(blocks: list[Block]) -> Evaluated:
    """Every self-evaluation form of the document, of every kind."""
    return Evaluated(forms=find_evaluations(blocks, default_evaluation_spec()))


def read_forms(evaluated: Evaluated, doc: Document, amount_unit: str | None,
               settings: Settings) -> Evaluated:  # fmt: skip
    """The project forms' rows; forms of other kinds listed by kind in ``tables_skipped``."""
    spec = default_evaluation_spec()
    projects = [d for f in evaluated.forms if f.kind == PROJECT for d in read_evaluation(f, spec)]
    records = evaluations_to_records(
        doc.doc_id, projects, unit=amount_unit or settings.default_amount_unit,
        year=doc.year, department=doc.department,
    )  # fmt: skip
    evaluated.evaluations, evaluated.indicators = records.evaluations, records.indicators
    evaluated.issues = records.issues
    for form in (f for f in evaluated.forms if f.kind != PROJECT):
        message = f"{form.kind}: {KIND_TEXT[form.kind]}"
        pages: list[int | None] = list(form.pages) or [None]
        evaluated.findings += [Finding(Severity.INFO, SKIPPED_CODE, message, p) for p in pages]
    return evaluated


def flag_unread(findings: list[Finding]) -> list[Finding]:
    """A table the target-table finder skipped as a self-evaluation, which was not read as a
    form (a template whose words ``data/evaluation.toml`` lacks): one warning naming its
    pages."""
    unread = [f for f in findings if f.code == SKIPPED_CODE and f.message.startswith(SELF_EVAL)]
    if not unread:
        return findings
    pages = sorted({f.page for f in unread if f.page is not None})
    where = f"page(s) {', '.join(map(str, pages))}" if pages else "a table"
    return [*findings, Finding(Severity.WARNING, "evaluation_not_read",
                               f"a self-evaluation table ({where}) was not read as a form "
                               "(a template whose words data/evaluation.toml lacks?)",
                               pages[0] if pages else None)]  # fmt: skip


def with_evaluations(result: DocumentResult, evaluated: Evaluated) -> DocumentResult:
    """The result with the forms' rows, and the document counting every row."""
    result.evaluations = evaluated.evaluations
    result.evaluation_indicators = evaluated.indicators
    result.counted()
    departments = {e.department for e in evaluated.evaluations if e.department}
    if result.document.department is None and len(departments) == 1:
        result.document.department = departments.pop()  # a 决算 of forms only
    return result
