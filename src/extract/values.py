"""The value grammar (SPEC §3): a printed target such as ``≥3``, ``<3人`` or ``90%-100%``
becomes an operator, numbers, a unit, flags and a deadline date, with the raw text kept.
Quantities are read by :mod:`quantities`; this module reads a cell as a whole, several
targets in one cell, and targets written inside a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .deadlines import parse_deadline, parse_period
from .models import TargetValue
from .quantities import (
    TYPO_OPS,
    parse_quantity,
    prepare,
    starts_with_op,
    take_prefix_op,
    take_suffix_op,
)

PLACEHOLDERS = frozenset({"无", "空", "—", "——", "-", "--", "/", "／", "XX", "xx", "不适用", "N/A"})
SENTENCE_VERBS = ("为", "达", "是", "约", "保持", ":")  # before the number of a sentence's target
SYMBOL_OPS = ("≥", "≤", ">", "<", "=")  # 比率≥95%: after these, digits in the lead-in are fine
_SEVERAL_SPLIT_RE = re.compile(r"[；;、，,]|或")
_DIGIT_RE = re.compile(r"\d")


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
        parsed = _parse_in_sentence(text)
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
    """``≥30次；≥30篇`` or ``1600人、200人``: several targets in one cell, each of a known form."""
    parts = [p for p in _SEVERAL_SPLIT_RE.split(text) if p.strip()]
    if len(parts) < 2:
        return None
    first = _parse_whole(parts[0].strip(), year) or _parse_in_sentence(parts[0].strip())
    # the later parts are targets too: of a known form, or holding a number (每天3000人次)
    later = all(_parse_whole(p.strip(), year) or _parse_in_sentence(p.strip()) or
                _DIGIT_RE.search(p) for p in parts[1:])  # fmt: skip
    return first if first and later else None


def _parse_in_sentence(text: str) -> TargetValue | None:
    """A comparison inside a sentence: ``覆盖率不低于90%``, ``合格率达到95%以上``,
    ``年均增长10%以上``, ``满意度达95%``, ``及时率为100%``, ``控制数为零``. The tail from an
    operator word, or the number after 为/达/是, or a number with a suffix operator, must be
    the whole rest of the text; the lead-in holds no digits."""
    op, text = take_prefix_op(text)  # ≤资金下达后2日: the operator before the lead-in
    for start in range(1, len(text)):
        lead, tail = text[:start], text[start:]
        if _DIGIT_RE.search(lead) and not (op is None and tail.startswith(SYMBOL_OPS)):
            continue
        opens = starts_with_op(tail) or lead.endswith(SENTENCE_VERBS)
        opens = opens or (tail[:1].isdigit() and take_suffix_op(tail)[0] is not None)
        opens = opens or (op is not None and tail[:1].isdigit())
        if not opens:
            continue
        parsed = parse_quantity(tail)
        if parsed is not None:
            return parsed if op is None else parsed.model_copy(update={"op": op})
    return None
