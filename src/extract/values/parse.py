"""The value grammar (SPEC §3): a printed target such as ``≥3``, ``<3人`` or ``90%-100%``
becomes an operator, numbers, a unit, flags and a deadline date, with the raw text kept.
Quantities are read by :mod:`quantities`; this module reads a cell as a whole, several
targets in one cell, and targets written inside a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.models import Op, TargetValue
from extract.values.deadlines import parse_deadline, parse_period
from extract.values.quantities import (
    NUM,
    TYPO_OPS,
    known_unit,
    parse_quantity,
    prepare,
    starts_with_op,
    take_prefix_op,
    take_suffix_op,
)
from extract.values.textnorm import PLACEHOLDERS

SENTENCE_VERBS = ("为", "达", "是", "约", "保持", ":")  # before the number of a sentence's target
SYMBOL_OPS = ("≥", "≤", ">", "<", "=")  # 比率≥95%: after these, digits in the lead-in are fine
_SEVERAL_SPLIT_RE = re.compile(r"[；;、，,]|或")
_STRONG_SPLIT_RE = re.compile(r"[；;，,]|或")
_DIGIT_RE = re.compile(r"\d")
_NUMBER_FIRST_RE = re.compile(rf"^(?P<n>{NUM})\s*(?P<rest>\D.*)$")
_WITHIN_RE = re.compile(rf"^(?:在|于)?(?P<q>{NUM}[^\d\s]{{1,6}}?)(?:以内|之内|内)")
_RATE_RE = re.compile(r"^每(?P<per>[秒分时天日周月年])(?P<q>\d.*)$")
_SIZE_RE = re.compile(rf"^{NUM}\s*[*×xX]\s*{NUM}$")
_RELATIVE_DEADLINE_RE = re.compile(r"^(?:次月|下月|次季度|下季度)\d{1,2}日(?:前|之前|以前)$")
MAX_UNIT_CHARS = 6


@dataclass(frozen=True)
class ValueWarning:
    """Something odd about a value that the document should hear about."""

    code: str
    message: str


def parse_value(
    raw: str | None, *, year: int | None = None
) -> tuple[TargetValue, list[ValueWarning]]:
    """Parse one printed target value. Never raises; the raw text is always kept.

    ``year`` is the budget year, used to resolve deadlines such as ``年底前``.
    """
    warnings: list[ValueWarning] = []
    if raw is None or not raw.strip():
        return TargetValue(raw=raw), warnings
    text = prepare(raw)
    if text in PLACEHOLDERS or not text:
        return TargetValue(raw=raw), warnings
    if "(cid:" in text:
        warnings.append(ValueWarning("cid_glyphs", f"value {raw!r} holds unmapped glyph codes"))
        return TargetValue(raw=raw), warnings
    if text[0] in TYPO_OPS:
        warnings.append(
            ValueWarning("operator_typo", f"value {raw!r}: {text[0]!r} read as an operator")
        )
        text = "≥" + text[1:]
    parsed = _parse_whole(text, year)
    if parsed is None and (parsed := _parse_several(text, year)) is not None:
        warnings.append(ValueWarning("multiple_values",
            f"value {raw!r} holds several targets: the first is kept"))  # fmt: skip
    if parsed is None:
        parsed = _lead_then_date(text, year) or _parse_sentence(text)
    if parsed is None:
        if _DIGIT_RE.search(text):
            warnings.append(
                ValueWarning("value_unparsed", f"value {raw!r} has a number but no known form")
            )
        return TargetValue(raw=raw, qualitative=True), warnings
    return parsed.model_copy(update={"raw": raw}), warnings


def _parse_whole(text: str, year: int | None) -> TargetValue | None:
    return parse_deadline(text, year) or parse_period(text, year) or parse_quantity(text)


def _parse_several(text: str, year: int | None) -> TargetValue | None:
    """``≥30次；≥30篇``, ``1600人、200人``, ``降雪期间，至少确保1条车道畅通；…``: several targets
    (or a lead-in and its target) in one cell; the first that reads is kept. The cell is split
    at ；，或 first, and at 、 only when that gives nothing (``6500元/人、月`` is one unit)."""
    for pattern in (_STRONG_SPLIT_RE, _SEVERAL_SPLIT_RE):
        parts = [p.strip() for p in pattern.split(text) if p.strip()]
        if len(parts) < 2:
            continue
        for part in parts:
            # 27套仪器设备，1套软件平台: in a list of targets, a quantity before its words
            parsed = _parse_whole(part, year) or _parse_sentence(part) or _quantity_then_words(part)
            if parsed is not None:
                return parsed
            if _DIGIT_RE.search(part):
                break  # a number of no known form comes first: not a list of targets
    return None


def _lead_then_date(text: str, year: int | None) -> TargetValue | None:
    """``政务诚信评价2022年1-6月``, ``网站1月-12月``: words without a number, then a
    deadline or a period."""
    m = _DIGIT_RE.search(text)
    if m is None or m.start() == 0:
        return None
    tail = text[m.start() :]
    return parse_deadline(tail, year) or parse_period(tail, year)


def _parse_sentence(text: str) -> TargetValue | None:
    """A target written inside a sentence, in one of the forms below."""
    return (_parse_rate(text) or _parse_in_sentence(text) or _parse_within(text)
            or _parse_size(text) or _parse_relative_deadline(text))  # fmt: skip


def _parse_in_sentence(text: str) -> TargetValue | None:
    """A comparison inside a sentence: ``覆盖率不低于90%``, ``合格率达到95%以上``,
    ``年均增长10%以上``, ``满意度达95%``, ``及时率为100%``, ``控制数为零``. The tail from an
    operator word, or the number after 为/达/是, or a number with a suffix operator, must be
    the whole rest of the text; the lead-in holds no digits. After an operator that opens
    the cell, words may follow the quantity (``至少确保1条车道畅通``)."""
    op, text = take_prefix_op(text)  # ≤资金下达后2日: the operator before the lead-in
    for start in range(1, len(text)):
        lead, tail = text[:start], text[start:]
        if _DIGIT_RE.search(lead) and not (op is None and tail.startswith(SYMBOL_OPS)):
            continue
        opens = starts_with_op(tail) or lead.endswith(SENTENCE_VERBS)
        opens = opens or (tail[:1].isdigit() and take_suffix_op(tail)[0] is not None)
        opens = opens or (op is not None and tail[:1].isdigit())
        if not opens and tail[:1].isdigit() and not _DIGIT_RE.search(lead):
            # 可控性100%, 正确率100%: a word, then the whole target with a known unit
            parsed = parse_quantity(tail)
            if parsed is not None and parsed.unit and known_unit(parsed.unit):
                return parsed if op is None else parsed.model_copy(update={"op": op})
        if not opens:
            continue
        parsed = parse_quantity(tail) or (_quantity_then_words(tail) if op else None)
        if parsed is not None:
            return parsed if op is None else parsed.model_copy(update={"op": op})
    return None


def _quantity_then_words(text: str) -> TargetValue | None:
    """``1条车道畅通``, ``≤0.5小时响应``: an operator or none, a number and a known unit,
    then words without a number."""
    op, text = take_prefix_op(text)
    m = _NUMBER_FIRST_RE.match(text)
    if m is None:
        return None
    rest = m.group("rest")
    for cut in range(min(len(rest), MAX_UNIT_CHARS), 0, -1):
        if known_unit(rest[:cut]) and not _DIGIT_RE.search(rest[cut:]):
            parsed = parse_quantity(m.group("n") + rest[:cut])
            return parsed.model_copy(update={"op": op}) if parsed and op else parsed
    return None


def _parse_within(text: str) -> TargetValue | None:
    """``在20个工作日内每月向社会公示…``: within a quantity, ``<=`` it."""
    m = _WITHIN_RE.match(text)
    parsed = parse_quantity(m.group("q")) if m else None
    return parsed.model_copy(update={"op": Op.LE}) if parsed and parsed.unit else None


def _parse_rate(text: str) -> TargetValue | None:
    """``每秒200人``: a quantity per 秒/天/月…, its unit ``人/秒``."""
    m = _RATE_RE.match(text)
    parsed = parse_quantity(m.group("q")) if m else None
    if m is None or parsed is None or parsed.value is None:
        return None
    unit = f"{parsed.unit}/{m.group('per')}" if parsed.unit else None
    return parsed.model_copy(update={"unit": unit})


def _parse_size(text: str) -> TargetValue | None:
    """``≥50＊50``: a size of two numbers; the operator is kept, the numbers stay in raw."""
    op, rest = take_prefix_op(text)
    return TargetValue(op=op or Op.EQ) if _SIZE_RE.match(rest) else None


def _parse_relative_deadline(text: str) -> TargetValue | None:
    """``次月20日之前``: a deadline relative to a period, with no date of its own."""
    return TargetValue(op=Op.LE) if _RELATIVE_DEADLINE_RE.match(text) else None
