"""A document's self-evaluation forms, from its blocks to its records: found
(:mod:`extract.locate.evaluations`), read (:mod:`extract.layouts.evaluation`) and turned into
rows (:mod:`extract.records.evaluations`). Forms of the whole department or of a fund are listed
in ``tables_skipped`` by kind; a page the table finder took for a self-evaluation table and no
form was read from is an ``evaluation_not_read`` warning."""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.enums import Severity
from extract.layouts.evaluation import read_evaluation
from extract.locate.evaluations import PROJECT, default_evaluation_spec, find_evaluations
from extract.models import Document, DocumentResult, Evaluation, EvaluationIndicator, Issue
from extract.read.base import Block, Finding
from extract.records.evaluations import evaluations_to_records
from extract.settings import Settings

SKIPPED_CODE = "table_skipped"
SELF_EVALUATION = "self_evaluation"
KIND_TEXT = {
    "department_evaluation": "a self-evaluation of the whole department (部门整体支出绩效自评表)",
    "fund_evaluation": "a self-evaluation of a fund (专项资金绩效自评表), not of a project",
}


@dataclass
class Evaluated:
    """The rows of the forms, their issues, and the findings about the tables they came from."""

    evaluations: list[Evaluation] = field(default_factory=list)
    indicators: list[EvaluationIndicator] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    pages: set[int] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)


def read_evaluations(
    doc: Document, blocks: list[Block], amount_unit: str | None, settings: Settings
) -> Evaluated:
    """Every self-evaluation form of the document; project forms become rows."""
    spec = default_evaluation_spec()
    forms = find_evaluations(blocks, spec)
    out = Evaluated(pages={p for f in forms for p in f.pages})
    projects = [read_evaluation(f, spec) for f in forms if f.kind == PROJECT]
    records = evaluations_to_records(
        doc.doc_id, projects, unit=amount_unit or settings.default_amount_unit,
        year=doc.year, department=doc.department,
    )  # fmt: skip
    out.evaluations, out.indicators, out.issues = (
        records.evaluations,
        records.indicators,
        records.issues,
    )
    for form in (f for f in forms if f.kind != PROJECT):
        message = f"{form.kind}: {KIND_TEXT[form.kind]}"
        out.findings += [Finding(Severity.INFO, SKIPPED_CODE, message, p) for p in form.pages]
    return out


def drop_read_pages(findings: list[Finding], evaluated: Evaluated) -> list[Finding]:
    """The table finder's ``self_evaluation`` skips on pages a form was read from are gone;
    on the other pages they stay, with one warning that no form was read there."""
    kept = [f for f in findings if not _self_evaluation(f) or f.page not in evaluated.pages]
    unread = sorted({f.page for f in kept if _self_evaluation(f) and f.page is not None})
    if unread:
        pages = ", ".join(map(str, unread))
        kept.append(Finding(Severity.WARNING, "evaluation_not_read",
                            f"a self-evaluation table on page(s) {pages} was not read as a form "
                            "(a template whose words data/evaluation.toml lacks?)",
                            unread[0]))  # fmt: skip
    return kept


def _self_evaluation(f: Finding) -> bool:
    return f.code == SKIPPED_CODE and f.message.startswith(SELF_EVALUATION)


def with_evaluations(result: DocumentResult, evaluated: Evaluated) -> DocumentResult:
    """The result with the forms' rows, and the document counting them."""
    result.evaluations = evaluated.evaluations
    result.evaluation_indicators = evaluated.indicators
    result.document.evaluation_count = len(evaluated.evaluations)
    return result
