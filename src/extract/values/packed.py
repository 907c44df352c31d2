"""Packed 绩效指标 cells (SPEC §2 packed) → one raw indicator per numbered item.

``1、1-产出指标；11-数量指标；{三级指标}；实施周期指标值:{v1}；年度指标值:{v2}。2、…``
Items are split on the item-start pattern with consecutive numbers, never on ``。``,
because names and values hold ``，。；`` of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEP = r"[；;，,]"
_LEVEL = r"[^；;，,、\n]{1,30}?"
# 1、 1. （1） (1): an item number, then 一级 and 二级 (with or without their codes).
_ITEM_START_RE = re.compile(
    rf"(?:(?P<n>\d{{1,3}})\s*[、.．]|[（(]\s*(?P<p>\d{{1,3}})\s*[)）])"
    rf"\s*(?P<l1>{_LEVEL})\s*{_SEP}\s*(?P<l2>{_LEVEL})\s*{_SEP}"
)
_STOPS = "。；;，, \t\n"  # what may precede an item number
_LABEL_RE = re.compile(
    r"(?P<label>实施周期指标值|中长期指标值|中期指标值|长期指标值|年度指标值|指标值)\s*[:：]"
)
PERIOD_LABELS = frozenset({"实施周期指标值", "中长期指标值", "中期指标值", "长期指标值"})
_STRIP = " \t\n；;。，,"


@dataclass
class RawIndicator:
    """One indicator as printed, before canonicalisation and value parsing."""

    level1: str | None
    level2: str | None
    name: str
    period: str | None
    annual: str | None


def split_packed(cell: str) -> list[RawIndicator] | None:
    """Split a packed cell into items; ``None`` when the cell does not follow the pattern."""
    text = cell.strip()
    starts = _item_starts(text)
    if not starts:
        return None
    items = []
    for n, (_, m) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(text)
        items.append(_item_to_raw(m, text[m.end() : end]))
    return items


def _item_starts(text: str) -> list[tuple[int, re.Match[str]]]:
    """Item starts numbered 1, 2, 3 … each at the start or after a stop (``。；，`` or space);
    a numbering that restarts at 1 inside the cell goes on."""
    found: list[tuple[int, re.Match[str]]] = []
    pos, expected = 0, 1
    while True:
        m = _next_start(text, pos, expected)
        if m is None and expected > 1:
            m = _next_start(text, pos, 1)
        if m is None:
            return found
        found.append((m.start(), m))
        pos, expected = m.end(), _number(m) + 1


def _number(m: re.Match[str]) -> int:
    return int(m.group("n") or m.group("p"))


def _next_start(text: str, pos: int, expected: int) -> re.Match[str] | None:
    for m in _ITEM_START_RE.finditer(text, pos):
        if _number(m) != expected:
            continue
        if m.start() == 0 or text[m.start() - 1] in _STOPS:
            return m
    return None


def _item_to_raw(start: re.Match[str], body: str) -> RawIndicator:
    labels = list(_LABEL_RE.finditer(body))
    name = (body[: labels[0].start()] if labels else body).strip(_STRIP)
    period = annual = None
    for n, label in enumerate(labels):
        end = labels[n + 1].start() if n + 1 < len(labels) else len(body)
        value = body[label.end() : end].strip(_STRIP)
        if label.group("label") in PERIOD_LABELS:
            period = value
        else:
            annual = value
    return RawIndicator(
        level1=start.group("l1").strip(), level2=start.group("l2").strip(),
        name=name, period=period, annual=annual,
    )  # fmt: skip
