"""Compare what the extractor gave with the records a variant must give, on normalised
content (no doc_id, page, bbox or source)."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Any

from .model import IndicatorKey, ProjectKey, Records


def norm(text: str | None) -> str:
    """NFKC without white space (PDF text layers put spaces into justified lines)."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def _project(p: ProjectKey) -> ProjectKey:
    name, unit, total, fiscal, other, goal = p
    return (norm(name), norm(unit), total, fiscal, other, norm(goal))


def _indicator(i: IndicatorKey) -> IndicatorKey:
    seq, l1, l2, name, op, value, unit = i
    return (seq, norm(l1), norm(l2), norm(name), op,
            None if value is None else round(value, 6), norm(unit) or None)  # fmt: skip


def normalised(records: Records) -> Records:
    return Records(tuple(map(_project, records.projects)),
                   tuple(map(_indicator, records.indicators)))  # fmt: skip


def actual(result: Any) -> Records:
    """The records of a ``DocumentResult`` (amounts not printed count as 0)."""
    zero = Decimal(0)
    projects = tuple(
        (p.project_name, p.unit_name or "", p.total_yuan or zero, p.fiscal_yuan or zero,
         p.other_yuan or zero, p.goal or "")
        for p in result.projects
    )  # fmt: skip
    seqs = {p.project_seq: n for n, p in enumerate(result.projects, start=1)}
    indicators = tuple(
        (seqs.get(i.project_seq, -1), i.level1_name or "", i.level2_name or "", i.name,
         i.annual.op.value if i.annual.op is not None else None, i.annual.value, i.annual.unit)
        for i in result.indicators
    )  # fmt: skip
    return normalised(Records(projects, indicators))


def differences(want: Records, got: Records, limit: int = 6) -> list[str]:
    """The first differences, as lines for a person: ``project 2 goal: '…' != '…'``."""
    want = normalised(want)
    out: list[str] = []
    pfields = ("name", "unit_name", "total_yuan", "fiscal_yuan", "other_yuan", "goal")
    if len(want.projects) != len(got.projects):
        out.append(f"projects: {len(got.projects)} extracted, {len(want.projects)} printed: "
                   f"{[p[0] for p in got.projects]}")  # fmt: skip
    for n, (w, g) in enumerate(zip(want.projects, got.projects, strict=False), start=1):
        for field, a, b in zip(pfields, w, g, strict=True):
            if a != b:
                out.append(f"project {n} {field}: printed {a!r}, extracted {b!r}")
    ifields = ("project", "level1", "level2", "name", "op", "value", "unit")
    if len(want.indicators) != len(got.indicators):
        out.append(f"indicators: {len(got.indicators)} extracted, {len(want.indicators)} printed")
    for n, (wi, gi) in enumerate(zip(want.indicators, got.indicators, strict=False), start=1):
        diff = [f"{f}: printed {a!r}, extracted {b!r}"
                for f, a, b in zip(ifields, wi, gi, strict=True) if a != b]  # fmt: skip
        if diff:
            out.append(f"indicator {n} ({wi[3]}): " + "; ".join(diff))
    return out[:limit] + ([f"… {len(out) - limit} more"] if len(out) > limit else [])
