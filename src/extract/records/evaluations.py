"""Self-evaluation drafts → ``evaluations`` and ``evaluation_indicators`` records: amounts in
yuan, weights and scores as numbers beside their printed text, targets and results through the
value grammar, canonical 一级/二级, ``met`` where target and result compare, and the checks a
form carries in itself (the execution rate, the 总分) as issues."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from extract.enums import Op, Severity
from extract.layouts.evaluation_cells import EvalIndicatorDraft, EvaluationDraft
from extract.layouts.evaluation_rows import BLANK, SCORE_TOLERANCE, printed_number
from extract.models import Evaluation, EvaluationIndicator, Issue, TargetValue
from extract.records.build import to_bbox
from extract.values.amounts import AmountError, read_amount, to_yuan
from extract.values.framework import resolve_levels
from extract.values.parse import parse_value
from extract.values.textnorm import nfkc, squash

POINTS_RE = re.compile(r"[（(]?\s*\d+(?:\.\d+)?\s*分?\s*[)）]?$")  # 产出指标（50分）, 产出指标50分
COST_WORD = "成本"
COMPARISONS = frozenset({">", "<", "≥", "≤", ">=", "<=", "≧", "≦"})
RATE_TOLERANCE = 0.1  # percentage points: a printed rate rounds B/A
PLAIN_NUMBER_RE = re.compile(r"^[≥≤<>=≧≦]*[+-]?[\d,]*\.?\d+$")  # a number and nothing else


@dataclass
class EvaluationRecords:
    """The rows of a document's self-evaluation forms and what the checks found."""

    evaluations: list[Evaluation] = field(default_factory=list)
    indicators: list[EvaluationIndicator] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def evaluations_to_records(
    doc_id: str, drafts: list[EvaluationDraft], *, unit: str, year: int | None,
    department: str | None,
) -> EvaluationRecords:  # fmt: skip
    """One ``evaluations`` row per project form (drafts of other kinds are not given here)."""
    out = EvaluationRecords()
    for seq, draft in enumerate(drafts, start=1):
        evaluation = _evaluation(doc_id, seq, draft, draft.amount_unit or unit, year, department)
        rows = [_indicator(doc_id, seq, n, d, evaluation.evaluated_year)
                for n, d in enumerate(draft.indicators, start=1)]  # fmt: skip
        evaluation.indicator_count = len(rows)
        out.evaluations.append(evaluation)
        out.indicators += rows
        out.issues += _checks(evaluation, rows, draft.grid_unread)
    return out


def _evaluation(doc_id: str, seq: int, d: EvaluationDraft, unit: str, year: int | None,
                department: str | None) -> Evaluation:  # fmt: skip
    total = d.money.get("total", {})
    return Evaluation(
        doc_id=doc_id, evaluation_seq=seq, title=d.title,
        project_name=d.fields.get("project_name") or d.title or "",
        project_code=d.fields.get("project_code"),
        department=d.fields.get("department") or department, unit_name=d.fields.get("unit_name"),
        evaluated_year=d.year or year, amount_unit=unit,
        budget_start_yuan=_yuan(total.get("budget_start"), unit),
        budget_yuan=_yuan(total.get("budget"), unit), spent_yuan=_yuan(total.get("spent"), unit),
        carryover_yuan=_yuan(d.money.get("carryover", {}).get("budget"), unit),
        execution_rate=printed_number(total.get("rate")),
        execution_rate_raw=_raw(total.get("rate")),
        execution_weight=printed_number(total.get("weight")),
        execution_score=printed_number(total.get("score")),
        execution_score_raw=_raw(total.get("score")),
        score=printed_number(d.total.get("score")), score_raw=_raw(d.total.get("score")),
        grade=d.fields.get("grade"), goal=d.goal, goal_result=d.goal_result,
        page=d.page, bbox=to_bbox(d.page, d.box),
    )  # fmt: skip


def _indicator(doc_id: str, seq: int, n: int, d: EvalIndicatorDraft,
               year: int | None) -> EvaluationIndicator:  # fmt: skip
    c = d.cells
    level1, level2 = c.get("level1") or None, c.get("level2") or None
    levels = resolve_levels(_level(level1), _level(level2))
    target = _value(_composed(c), year)
    actual = _value(c.get("actual"), year)
    if actual.unit is None and actual.value is not None and c.get("target_unit"):
        # one unit column for both: 5.2 under 万亩 reads as 5.2万亩, as the target does
        composed = _value(f"{c['actual'].strip()}{c['target_unit'].strip()}", year)
        actual = composed.model_copy(update={"raw": actual.raw})
    return EvaluationIndicator(
        doc_id=doc_id, evaluation_seq=seq, indicator_seq=n,
        level1_name=levels.level1_name, level1_raw=level1,
        level2_name=levels.level2_name, level2_raw=level2,
        name=c.get("name", ""), target=target, actual=actual,
        weight=printed_number(c.get("weight")), weight_raw=_raw(c.get("weight")),
        score=printed_number(c.get("score")), score_raw=_raw(c.get("score")),
        deviation=_raw(c.get("deviation")),
        met=met(target, actual, cost=COST_WORD in f"{level1}{level2}"),
        page=d.page, bbox=to_bbox(d.page, d.box),
    )  # fmt: skip


def _level(label: str | None) -> str | None:
    return POINTS_RE.sub("", "".join(label.split())) if label else None


def _composed(cells: dict[str, str]) -> str | None:
    """The target with its operator and unit columns, where the template prints them apart."""
    value = cells.get("target") or ""
    op, unit = cells.get("target_op", "").strip(), cells.get("target_unit", "").strip()
    op = op if nfkc(op) in COMPARISONS else ""  # = says nothing; 定性/定量 name a kind
    text = f"{op}{value}{unit if unit and not value.endswith(unit) else ''}"
    return text or None


def _value(raw: str | None, year: int | None) -> TargetValue:
    if raw is None or raw.strip() in BLANK:
        return TargetValue(raw=raw or None)
    value, _ = parse_value(raw, year=year)
    return value.model_copy(update={"raw": raw})


def met(target: TargetValue, actual: TargetValue, *, cost: bool = False) -> bool | None:
    """The result against the target, where they compare; None where they do not."""
    if target.date is not None and actual.date is not None:
        return actual.date <= target.date
    if target.value is None or actual.value is None or target.qualitative:
        return None
    if not _same_unit(target, actual):
        return None
    t, a = target.value, actual.value
    up, down = (Op.GE, Op.GT), (Op.LE, Op.LT)
    if (actual.op in up and target.op in up) or (actual.op in down and target.op in down):
        return a >= t if target.op in up else a <= t  # a result that restates its bound
    if target.op is Op.RANGE:
        return t <= a <= (target.value_max if target.value_max is not None else t)
    checks = {Op.GE: a >= t, Op.GT: a > t, Op.LE: a <= t, Op.LT: a < t}
    if target.op in checks:
        return checks[target.op]
    money = (target.unit or "").endswith("元")
    return a <= t if cost and money else a >= t  # 16个 is met by 16 or more; a cost by less


def _same_unit(target: TargetValue, actual: TargetValue) -> bool:
    """Whether the two numbers are in one unit: the same unit, or one printed as a plain number
    (`50` against `≥50个`: a result is often printed without the target's unit), unless the
    other was scaled from 万/亿 (`0.4` against `1.2万人`: 0.4万人 or 0.4人?) or is a percentage
    and the plain number a fraction (`0.96` against `≥95%`)."""
    t_unit, a_unit = target.unit or None, actual.unit or None
    if t_unit == a_unit:
        return True
    if t_unit is not None and a_unit is not None:
        return False
    bare, other = (actual, target) if a_unit is None else (target, actual)
    if not PLAIN_NUMBER_RE.match(squash(bare.raw or "")) or bare.value is None:
        return False  # 378.27万: scaled, with no unit to say what
    scaled = any(m in (other.raw or "") for m in "万亿") and not (other.unit or "").startswith(
        ("万", "亿")
    )
    fraction = abs(bare.value) <= 1 < abs(other.value or 0) and other.unit == "%"
    return not (scaled or fraction)


def _yuan(text: str | None, unit: str) -> Decimal | None:
    if text is None or text.strip() in BLANK:
        return None
    try:
        value, own_unit = read_amount(text)
    except AmountError:
        return None
    return to_yuan(value, own_unit or unit)


def _raw(text: str | None) -> str | None:
    return text.strip() or None if text is not None else None


def _checks(e: Evaluation, rows: list[EvaluationIndicator], grid_unread: bool) -> list[Issue]:
    """What the form says about itself: a rate that is not B/A, a 总分 that is not the sum;
    an indicator grid printed and not read is an error (a loss, said loudly)."""
    issues: list[Issue] = []

    def issue(code: str, message: str, severity: Severity = Severity.WARNING) -> None:
        issues.append(Issue(doc_id=e.doc_id, severity=severity, code=code,
                            page=e.page, message=f"self-evaluation {e.evaluation_seq} "
                            f"({e.project_name}): {message}"))  # fmt: skip

    if grid_unread:
        unread = "its indicator grid (产出指标 …) was not read: column words evaluation.toml lacks?"
        issue("evaluation_indicators_not_read", unread, Severity.ERROR)
    elif not rows:
        issue("evaluation_without_indicators", "no indicator row was read")
    if e.budget_yuan and e.spent_yuan is not None and e.execution_rate is not None:
        rate = float(e.spent_yuan / e.budget_yuan * 100)
        if abs(rate - e.execution_rate) > RATE_TOLERANCE:
            printed = e.execution_rate_raw
            issue("evaluation_rate_mismatch", f"执行率 {printed} is not B/A = {rate:.2f}%")
    scores = [r.score for r in rows if r.score is not None]
    if e.score is not None and scores:
        plain = sum(scores)
        with_money = plain + (e.execution_score or 0)
        if min(abs(e.score - plain), abs(e.score - with_money)) > SCORE_TOLERANCE:
            issue("evaluation_score_mismatch",
                  f"总分 {e.score_raw} is not the sum of the scores ({plain:g}, "
                  f"{with_money:g} with the money row's)")  # fmt: skip
    return issues
