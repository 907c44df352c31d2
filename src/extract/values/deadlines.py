"""Deadlines and periods in target values (SPEC §3): ``2024年11月30日前``, ``年底前``,
``2026年1-12月``, ``2023.07-2024.01``. A deadline or a period is ``<=`` its last day."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from extract.models import Op, TargetValue

_FULL_DATE = r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日|(?P<eom>底|末))?"
_BY = r"(?:[≤<]=?|=|不晚于|不迟于|截至|截止|在|于)?\s*(?:在|于)?"  # before a deadline
_DEADLINE_RES = (
    re.compile(rf"^{_BY}{_FULL_DATE}\s*(?:前|之前|以前|内|完成|止)?(?:完成)?$"),
    re.compile(rf"^{_BY}(?P<y>\d{{4}})\s*[.\-/]\s*(?P<m>\d{{1,2}})(?:\s*[.\-/]\s*(?P<d>\d{{1,2}}))?\s*(?:前|之前|以前)$"),
    re.compile(rf"^{_BY}(?P<y>\d{{4}})\s*年\s*(?:年)?(?P<eoy>底|末|内|度内|年底|年末|度|全年)?\s*(?:前|之前|以前)?(?:完成)?$"),
    re.compile(r"^(?:在|于)?(?:本年|当年|年度)?(?P<eoy>年底|年末|年内|年度内|全年|度)\s*(?:前|之前|以前)?(?:完成)?$"),
    re.compile(r"^(?:在|于)?(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日|(?P<eom>底|末))?\s*(?:前|之前|以前)(?:完成)?$"),
    re.compile(r"^(?:在|于)?(?P<m>\d{1,2})\s*月\s*(?P<eom>底|末)(?:完成)?$"),  # 9月底
    re.compile(r"^(?:在|于)?(?P<next>次年)(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日|(?P<eom>底|末))?\s*(?:前|之前|以前)?(?:完成)?$"),
)  # fmt: skip
# 2021年1月1日至2021年12月31日, 2022.6.1-2023.5.31, 2026年4月-12月初: done by the last day.
_DAY = (r"\d{4}\s*[年.\-/]\s*\d{1,2}\s*(?:月|[.\-/])?\s*(?:\d{1,2}\s*日?)?"
        r"|\d{1,2}\s*月\s*(?:\d{1,2}\s*日)?")  # fmt: skip
_END_DAY = (r"(?:(?P<y>\d{4})\s*[年.\-/]\s*)?(?P<m>\d{1,2})\s*(?:月|[.\-/])?\s*"
            r"(?:(?P<d>\d{1,2})\s*日?|(?P<eom>底|末|初))?")  # fmt: skip
_DAYS_RE = re.compile(rf"^(?:{_DAY})\s*(?:[-~～—–至到]+)\s*{_END_DAY}\s*(?:前|之前|以前|止|完成)?$")
_QUARTERS_RE = re.compile(
    r"^(?:(?P<y>\d{4})\s*年)?第?[1-4一二三四]\s*[-~～至到]\s*第?(?P<q>[1-4一二三四])\s*季度$"
)
_QUARTER_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4}
# 2026年1-12月, 2026年3月--4月, 1-12月, 每年1月-3月: months of the (budget) year; the period
# ends with the last.
_MONTHS_RE = re.compile(
    r"^(?:(?P<y>\d{4})\s*年|每年|全年|当年|年度)?\s*(?P<m1>\d{1,2})\s*月?\s*[-~～—–至到]+\s*"
    r"(?P<m>\d{1,2})\s*月(?:份)?$"
)
_PERIOD_RE = re.compile(
    r"^(?P<y1>\d{4})(?:[.\-/年](?P<m1>\d{1,2})月?)?\s*[-~～—至到]\s*"
    r"(?P<y2>\d{4})(?:[.\-/年](?P<m2>\d{1,2})月?)?$"
)


def parse_deadline(text: str, year: int | None) -> TargetValue | None:
    """``2024年11月30日前``, ``≤2026年12月``, ``年底前``, ``2025年度内``, ``9月底``,
    ``次年1月底前``: ``<=`` that day."""
    for pattern in _DEADLINE_RES:
        m = pattern.match(text)
        if m:
            parts = m.groupdict()
            base = (year + 1 if year else None) if parts.get("next") else year
            return TargetValue(op=Op.LE, date=_resolve_date(parts, base))
    return None


def parse_period(text: str, year: int | None = None) -> TargetValue | None:
    """``2023.07-2024.01`` or ``2026年1-12月`` is a period, not a numeric range: done by
    its last day."""
    months = _MONTHS_RE.match(text)
    if months and int(months.group("m1")) <= int(months.group("m")):
        return TargetValue(op=Op.LE, date=_resolve_date(months.groupdict(), year))
    if quarters := _QUARTERS_RE.match(text):  # 1-4季度: done by the end of the last quarter
        q = quarters.group("q")
        month = 3 * (_QUARTER_NUMBERS.get(q) or int(q))
        end = {"y": quarters.group("y"), "m": str(month), "eom": "底"}
        return TargetValue(op=Op.LE, date=_resolve_date(end, year))
    if days := _DAYS_RE.match(text):
        return TargetValue(op=Op.LE, date=_resolve_date(days.groupdict(), year))
    m = _PERIOD_RE.match(text)
    if not m or not (1900 < int(m.group("y1")) <= int(m.group("y2")) < 2200):
        return None
    end = {"y": m.group("y2"), "m": m.group("m2"), "eom": "底" if m.group("m2") else None}
    return TargetValue(op=Op.LE, date=_resolve_date(end, None) if m.group("m2") else None)


def _resolve_date(parts: dict[str, str | None], year: int | None) -> dt.date | None:
    y = int(parts["y"] or 0) if parts.get("y") else year
    if y is None:
        return None
    if parts.get("eoy") or not parts.get("m"):
        return dt.date(y, 12, 31)
    month = int(parts["m"] or 0)
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(y, month)[1]
    day = int(parts["d"] or 0) if parts.get("d") else (1 if parts.get("eom") == "初" else last)
    return dt.date(y, month, day) if 1 <= day <= last else None
