"""Row drafts → typed records: amounts in yuan, canonical levels, parsed target values."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from extract.layouts.drafts import IndicatorDraft, RowDraft
from extract.models import BBox, Indicator, Issue, Project, Severity
from extract.read.base import Box
from extract.records.targets import parse_target
from extract.records.validate import COMPONENT_ROLES
from extract.values.amounts import convert, to_yuan
from extract.values.framework import default_framework, name_key, resolve_levels, split_label
from extract.values.packed import split_packed
from extract.values.textnorm import nfkc

YES, NO = frozenset({"是", "√", "Y", "y"}), frozenset({"否", "×", "N", "n"})
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
_UNIT_CODE_RE = re.compile(r"^(?P<code>\d{3,12})\s*[-－—_]?\s*(?=[^\d\s年月日号])")
_STRAY_RE = re.compile(r"^[.．。·•、,，:：;；\-－—_*\s]+")


@dataclass
class Records:
    """Typed output rows of one document."""

    projects: list[Project] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def drafts_to_records(
    doc_id: str, projects: list[RowDraft], unit: str, year: int | None
) -> Records:
    """Number the projects and indicators in document order and type every field."""
    out = Records()
    for seq, draft in enumerate(projects, start=1):
        out.projects.append(_project(doc_id, seq, draft, unit))
        for message in draft.amount_errors:
            out.issues.append(Issue(doc_id=doc_id, severity=Severity.WARNING,
                code="amount_unparsed", project_seq=seq, page=draft.page,
                message=f"{draft.name}: {message}"))  # fmt: skip
        for code, message in draft.notes:
            out.issues.append(Issue(doc_id=doc_id, severity=Severity.INFO, code=code,
                project_seq=seq, page=draft.page, message=f"{draft.name}: {message}"))  # fmt: skip
        for iseq, ind in enumerate(_indicators(doc_id, seq, draft, out), start=1):
            out.indicators.append(_indicator(doc_id, seq, iseq, ind, year, out))
    return out


def split_unit_code(name: str | None) -> tuple[str | None, str | None]:
    """``105001长春市信访局`` → (``105001``, ``长春市信访局``); a stray mark before the name
    (``.长春市信访局``) is dropped."""
    name = _STRAY_RE.sub("", name or "")
    m = _UNIT_CODE_RE.match(name)
    if m is None:
        return None, name or None
    return m.group("code"), name[m.end() :].strip() or None


def harmonise_amounts(rows: list[RowDraft], unit: str) -> None:
    """Amounts printed with their own unit (``280.7万元``) in the table's unit: the cell wins,
    and where it differs from the table's unit a note says so."""
    for row in rows:
        for role, cell_unit in row.amount_units.items():
            if cell_unit == unit:
                continue
            row.amounts[role] = convert(row.amounts.get(role), cell_unit, unit)
            row.notes.append(("amount_unit_in_cell", f"{role} printed in {cell_unit} while the "
                              f"table's unit is {unit}: read in {cell_unit}"))  # fmt: skip
        row.amount_units = {}


def _project(doc_id: str, seq: int, d: RowDraft, unit: str) -> Project:
    a, (unit_code, unit_name) = d.amounts, split_unit_code(d.unit_name)
    return Project(
        doc_id=doc_id, project_seq=seq, unit_name=unit_name, unit_code=unit_code,
        project_code=d.code,
        project_name=d.name, total_yuan=to_yuan(_total(a), unit),
        fiscal_yuan=to_yuan(a.get("fiscal"), unit),
        special_account_yuan=to_yuan(a.get("special_account"), unit),
        other_yuan=to_yuan(a.get("other"), unit),
        project_total_yuan=to_yuan(a.get("project_total"), unit),
        project_fiscal_yuan=to_yuan(a.get("project_fiscal"), unit),
        carryover_yuan=to_yuan(a.get("carryover"), unit),
        government_fund_yuan=to_yuan(a.get("government_fund"), unit),
        goal=d.goal, goal_total=d.goal_total, page=d.page, bbox=to_bbox(d.page, d.box),
    )  # fmt: skip


def to_bbox(page: int | None, box: Box | None) -> BBox | None:
    """A PDF row's page and box as the output's ``bbox``; none outside PDFs."""
    if page is None or box is None:
        return None
    return BBox(page=page, x0=box[0], top=box[1], x1=box[2], bottom=box[3])


def _total(amounts: dict[str, Decimal | None]) -> Decimal | None:
    """The printed total; a table without a total column (当年财政拨款预算金额 only) totals
    its printed components."""
    if "total" in amounts:
        return amounts["total"]
    parts = [v for r in COMPONENT_ROLES if (v := amounts.get(r)) is not None]
    return sum(parts, Decimal(0)) if parts else None


def _indicators(doc_id: str, seq: int, draft: RowDraft, out: Records) -> list[IndicatorDraft]:
    if draft.packed is None:
        return join_split_levels(draft.indicators)
    items = split_packed(draft.packed)
    if items is None:
        out.issues.append(Issue(doc_id=doc_id, severity=Severity.ERROR, code="indicators_unparsed",
            project_seq=seq, page=draft.page,
            message=f"{draft.name}: 绩效指标 cell does not follow '1、一级；二级；三级；…' "
                    f"and was not split: {draft.packed[:60]!r}"))  # fmt: skip
        return []
    return [
        IndicatorDraft(
            i.level1, i.level2, i.name, i.period, i.annual, page=draft.page, box=draft.box
        )
        for i in items
    ]


def join_split_levels(indicators: list[IndicatorDraft]) -> list[IndicatorDraft]:
    """A group label that a page break cut in two (``效`` above the break, ``益指标`` below):
    neither part is a level of the framework, both together are; every row of both parts
    takes the whole name."""
    for attr in ("level1", "level2"):
        for n in range(1, len(indicators)):
            before, after = indicators[n - 1], indicators[n]
            a, b = getattr(before, attr), getattr(after, attr)
            if not a or not b or a == b or before.page == after.page:
                continue
            if _is_level(a) or _is_level(b) or not _is_level(a + b):
                continue
            start, end = n - 1, n
            while start > 0 and getattr(indicators[start - 1], attr) == a:
                start -= 1
            while end + 1 < len(indicators) and getattr(indicators[end + 1], attr) == b:
                end += 1
            for ind in indicators[start : end + 1]:
                setattr(ind, attr, a + b)
    return indicators


def _is_level(label: str) -> bool:
    framework = default_framework()
    key = name_key(split_label(label)[1])
    return key in framework.level1 or key in framework.level2


def _indicator(
    doc_id: str, seq: int, iseq: int, d: IndicatorDraft, year: int | None, out: Records
) -> Indicator:
    levels = resolve_levels(d.level1, d.level2)
    for code, message in levels.warnings:
        out.issues.append(Issue(doc_id=doc_id, severity=Severity.WARNING, code=code,
            project_seq=seq, indicator_seq=iseq, page=d.page, message=message))  # fmt: skip
    targets = {}
    for name, raw in (("period", d.period), ("annual", d.annual)):
        targets[name], warnings = parse_target(raw, d, year)
        for w in warnings:
            out.issues.append(Issue(doc_id=doc_id, severity=Severity.WARNING, code=w.code,
                project_seq=seq, indicator_seq=iseq, page=d.page,
                message=f"{name} target: {w.message}"))  # fmt: skip
    return Indicator(
        doc_id=doc_id, project_seq=seq, indicator_seq=iseq,
        level1_code=levels.level1_code, level1_name=levels.level1_name,
        level1_raw=levels.level1_raw, level2_code=levels.level2_code,
        level2_name=levels.level2_name, level2_raw=levels.level2_raw,
        name=d.name, period=targets["period"], annual=targets["annual"], page=d.page,
        bbox=to_bbox(d.page, d.box),
        **_extras(d.extras),
    )  # fmt: skip


def _extras(extras: dict[str, str]) -> dict[str, Any]:
    """The weight and scoring columns, typed: 权重 a number, 是否核心 a flag, the rest text."""
    out: dict[str, Any] = {k: v for k, v in extras.items() if k not in ("weight", "is_core")}
    if weight := extras.get("weight"):
        m = _NUMBER_RE.search(nfkc(weight))
        out["weight"] = float(m.group()) if m else None
    if core := extras.get("is_core"):
        out["is_core"] = True if core.strip() in YES else False if core.strip() in NO else None
    return out
