"""One target value from its cells: the 指标值 cell with the operator (计算符号 / 指标性质 /
指标值类型) and unit (计量单位 / 度量单位) columns printed beside it."""

from __future__ import annotations

from extract.layouts.drafts import IndicatorDraft
from extract.models import TargetValue
from extract.values.parse import ValueWarning, parse_value
from extract.values.textnorm import nfkc

# What a 计算符号 / 指标性质 cell may hold to be the operator of the value beside it.
OPERATOR_CELLS = frozenset({"=", ">", "<", "≥", "≤", ">=", "<="})
KIND_CELLS = frozenset({"定性", "定量"})  # a 指标性质 that names the kind of value
OPERATOR_START = "≥≤<>=＞＜"
BARE_MULTIPLIERS = frozenset({"万", "亿"})
COST_WORD = "成本"  # 成本指标, 经济成本指标 …: a cost row counts money


def parse_target(
    raw: str | None, d: IndicatorDraft, year: int | None
) -> tuple[TargetValue, list[ValueWarning]]:
    """``＝`` + ``100`` + ``%`` is ``=100%``. A unit column that reads as the value's own
    text would break it (``2025年度内`` + ``年``) is left off; an operator printed in the unit
    column (columns swapped) is the operator, and the 指标性质 then holds the unit."""
    if raw is None:
        return TargetValue(), []
    op, unit = _operator_and_unit(d)
    text = raw if not op or raw.lstrip()[:1] in OPERATOR_START else op + raw
    if unit in BARE_MULTIPLIERS:
        # a unit column printing 万 alone: the value counts in 万 (in a cost row, 万元), and
        # is never multiplied while its unit still says 万
        unit = unit + "元" if _is_cost(d) else unit
        value, warnings = parse_value(text, year=year)
        return value.model_copy(update={"raw": raw, "unit": value.unit or unit}), warnings
    with_unit = text if not unit or text.rstrip().endswith(unit) else text + unit
    value, warnings = parse_value(with_unit, year=year)
    if value.qualitative and with_unit != text:
        bare, bare_warnings = parse_value(text, year=year)
        if not bare.qualitative:
            value, warnings = bare, bare_warnings
    return value.model_copy(update={"raw": raw, "unit": value.unit or unit or None}), warnings


def _operator_and_unit(d: IndicatorDraft) -> tuple[str, str]:
    nature = nfkc(d.extras.get("nature", "")).strip()
    unit = nfkc(d.unit_suffix or "").strip()
    op = nfkc(d.operator_prefix or "").strip()
    if not op and nature in OPERATOR_CELLS:
        op = nature
    if not op and unit in OPERATOR_CELLS:  # 度量单位 ≥ | 指标值类型 %: the columns swapped
        op, unit = unit, "" if nature in KIND_CELLS else nature
    return op, unit


def _is_cost(d: IndicatorDraft) -> bool:
    return any(COST_WORD in (level or "") for level in (d.level1, d.level2))
