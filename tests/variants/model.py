"""The content of a budget performance table, apart from how it is printed.

A :class:`Content` is what a document says: its projects (name, unit, amounts, goal) and
their indicators (一级/二级/三级, operator, value, unit). The presentations in
:mod:`variants.build` print one content many ways; :func:`expected` turns the content into
the records every presentation must give, without asking the extractor.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal

# 二级指标 codes as packed tables print them (SPEC §1), by canonical name.
L1_CODES = {"产出指标": "1", "效益指标": "2", "满意度指标": "3"}
L2_CODES = {
    "数量指标": "11", "质量指标": "12", "时效指标": "13", "经济效益指标": "21",
    "社会效益指标": "22", "生态效益指标": "23", "可持续影响指标": "24", "服务对象满意度指标": "31",
}  # fmt: skip
OPS = {"≥": ">=", "≤": "<=", "=": "=", ">": ">", "<": "<"}


@dataclass(frozen=True)
class Ind:
    """One indicator. ``op`` is one of :data:`OPS` for a number; ``text`` holds a qualitative
    target (``op`` None) or a deadline (``deadline`` True: op ``<=``, no number)."""

    l1: str
    l2: str
    name: str
    op: str | None = None
    num: str | None = None
    unit: str | None = None
    text: str | None = None
    deadline: bool = False


@dataclass(frozen=True)
class Project:
    name: str
    unit: str
    fiscal: Decimal
    other: Decimal
    goal: str | None
    inds: tuple[Ind, ...]

    @property
    def total(self) -> Decimal:
        return self.fiscal + self.other


@dataclass(frozen=True)
class Content:
    """A document's content. Amounts are in ``amount_unit`` (万元 or 元)."""

    family: str  # rows, packed or form
    title: str
    department: str
    year: int
    amount_unit: str
    projects: tuple[Project, ...]
    notes: tuple[str, ...] = field(default=())

    def replace_projects(self, **changes: object) -> Content:
        """Every project with ``changes`` applied (e.g. ``other=Decimal(0)``)."""
        projects = tuple(dataclasses.replace(p, **changes) for p in self.projects)  # type: ignore[arg-type]
        return dataclasses.replace(self, projects=projects)


SCALE = {"元": Decimal(1), "万元": Decimal(10_000)}
ProjectKey = tuple[str, str, Decimal, Decimal, Decimal, str]
IndicatorKey = tuple[int, str, str, str, str | None, float | None, str | None]


@dataclass(frozen=True)
class Records:
    """What is compared: projects in order and indicators with their project's position."""

    projects: tuple[ProjectKey, ...]
    indicators: tuple[IndicatorKey, ...]


def expected(content: Content) -> Records:
    """The records every presentation of ``content`` must give (from the content alone)."""
    scale = SCALE[content.amount_unit]
    projects: list[ProjectKey] = []
    indicators: list[IndicatorKey] = []
    for seq, p in enumerate(content.projects, start=1):
        projects.append((p.name, p.unit, p.total * scale, p.fiscal * scale, p.other * scale,
                         p.goal or ""))  # fmt: skip
        for i in p.inds:
            if i.deadline:
                op, value, unit = "<=", None, None
            elif i.op is None:
                op, value, unit = None, None, None
            else:
                op, value, unit = OPS[i.op], float(i.num or "nan"), i.unit
            indicators.append((seq, i.l1, i.l2, i.name, op, value, unit))
    return Records(tuple(projects), tuple(indicators))
