"""Checks that turn into issues, never exceptions: amount identities, odd values."""

from __future__ import annotations

from decimal import Decimal

from extract.layouts.drafts import RowDraft, TableDraft
from extract.models import Indicator, Issue, Op, RowKind, Severity

COMPONENT_ROLES = ("fiscal", "special_account", "other", "government_fund", "carryover")
CHECKED_ROLES = ("total", *COMPONENT_ROLES)
PERCENT_MAX = 100.0


def check_amounts(doc_id: str, draft: TableDraft, tolerance: Decimal) -> list[Issue]:
    """Row: 总计 = Σ components; unit: Σ projects = unit row; 合计 = Σ unit rows (SPEC §2)."""
    issues = [i for row in draft.rows if (i := _check_row(doc_id, row, tolerance, draft))]
    total: RowDraft | None = None
    units: list[tuple[RowDraft, list[RowDraft]]] = []
    loose: list[RowDraft] = []
    for row in draft.rows:
        if row.kind is RowKind.TOTAL:
            total = row
        elif row.kind is RowKind.UNIT:
            units.append((row, []))
        elif units:
            units[-1][1].append(row)
        else:
            loose.append(row)
    for unit, children in units:
        issues += _check_sum(doc_id, unit, children, "amount_unit_mismatch",
                             f"unit row {unit.name!r}", tolerance)  # fmt: skip
    if total is not None:
        parts = [u for u, _ in units] + loose if units else draft.projects
        issues += _check_sum(doc_id, total, parts, "amount_total_mismatch", "合计 row", tolerance)
    return issues


def _check_row(doc_id: str, row: RowDraft, tolerance: Decimal, draft: TableDraft) -> Issue | None:
    a = row.amounts
    if a.get("total") is None or not any(r in a for r in COMPONENT_ROLES):
        return None
    parts = sum((a.get(r) or Decimal(0) for r in COMPONENT_ROLES), Decimal(0))
    total = a["total"] or Decimal(0)
    if abs(total - parts) <= tolerance:
        return None
    seq = _seq(row, draft)
    return Issue(doc_id=doc_id, severity=Severity.WARNING, code="amount_row_mismatch",
        project_seq=seq, page=row.page,
        message=f"{row.name!r}: total {total} ≠ sum of its parts {parts} "
                f"(财政拨款+财政专户拨款+其他资金+上年结转)")  # fmt: skip


def _check_sum(
    doc_id: str, parent: RowDraft, children: list[RowDraft], code: str, label: str,
    tolerance: Decimal,
) -> list[Issue]:  # fmt: skip
    issues = []
    for role in CHECKED_ROLES:
        expected = parent.amounts.get(role)
        if expected is None or not children:
            continue
        got = sum((c.amounts.get(role) or Decimal(0) for c in children), Decimal(0))
        if abs(expected - got) > max(tolerance, _rounding(expected, len(children))):
            issues.append(Issue(doc_id=doc_id, severity=Severity.WARNING, code=code,
                page=parent.page,
                message=f"{label}: {role} {expected} ≠ sum of the {len(children)} rows below, "
                        f"{got}"))  # fmt: skip
    return issues


def _rounding(printed: Decimal, terms: int) -> Decimal:
    """How far a sum of ``terms`` amounts, each rounded as ``printed`` is, may stray from the
    rounded total: half a unit of the last printed digit per term (86,246.66 against 86,246.64
    over 70 projects is rounding, not an error)."""
    exponent = printed.as_tuple().exponent
    if not printed or not isinstance(exponent, int) or exponent >= 0:
        return Decimal(0)  # a blank (0) or a whole number: no rounding to allow for
    step = Decimal(1).scaleb(exponent)
    return step / 2 * (terms + 1)


def _seq(row: RowDraft, draft: TableDraft) -> int | None:
    for n, p in enumerate(draft.projects, start=1):
        if p is row:
            return n
    return None


def check_indicators(doc_id: str, indicators: list[Indicator], project_count: int) -> list[Issue]:
    """Percentages over 100 (``292%`` among ``≥92%``) and projects without indicators."""
    issues = []
    for ind in indicators:
        for name, t in (("period", ind.period), ("annual", ind.annual)):
            high = t.value_max if t.value_max is not None else t.value
            if t.unit == "%" and high is not None and high > PERCENT_MAX and t.op is not Op.GT:
                issues.append(Issue(doc_id=doc_id, severity=Severity.WARNING, code="value_suspect",
                    project_seq=ind.project_seq, indicator_seq=ind.indicator_seq, page=ind.page,
                    message=f"{name} target {t.raw!r} is over 100%: damaged or mistyped?",
                ))  # fmt: skip
    with_indicators = {i.project_seq for i in indicators}
    for seq in range(1, project_count + 1):
        if seq not in with_indicators:
            issues.append(Issue(doc_id=doc_id, severity=Severity.WARNING,
                code="project_without_indicators", project_seq=seq,
                message=f"project {seq} has no performance indicators"))  # fmt: skip
    return issues
