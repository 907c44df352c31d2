"""The packed layout: 合计, unit rows, project rows whose 绩效指标 cell packs the items."""

from __future__ import annotations

from decimal import Decimal

from .common import WIDTHS, Amounts, Labels, cuts, joined_value, levels
from .dims import Variant
from .doc import Break, Doc, Grid, Para
from .model import Content, Project

MONEY = ("total", "fiscal", "special", "other")


def packed_cell(p: Project, codes: bool, style: str) -> str:
    """``1、1-产出指标；11-数量指标；名称；实施周期指标值：≥3；年度指标值：≥3。2、…``"""
    items = []
    for n, ind in enumerate(p.inds, start=1):
        l1, l2 = levels(ind, codes)
        value = joined_value(ind, style)
        items.append(f"{n}、{l1}；{l2}；{ind.name}；实施周期指标值：{value}；年度指标值：{value}。")
    return "".join(items)


def _sums(projects: list[Project]) -> dict[str, Decimal]:
    zero = Decimal(0)
    return {"total": sum((p.total for p in projects), zero),
            "fiscal": sum((p.fiscal for p in projects), zero), "special": zero,
            "other": sum((p.other for p in projects), zero)}  # fmt: skip


def build_packed(v: Variant, content: Content) -> tuple[Doc, Content]:
    """The packed table of ``content`` as ``v`` prints it, and the content it printed."""
    labels = Labels(v)
    dropped: set[str] = set()
    if v.opt("optional") == "dropped":
        rng = v.rng("optional")
        dropped = {"special", *rng.sample(["total_row", "other", "goal"], rng.randint(0, 2))}
        if "other" in dropped:
            content = content.replace_projects(other=Decimal(0))
        if "goal" in dropped:
            content = content.replace_projects(goal=None)
    money = Amounts(v, content, blank_zero=True)
    money_cols = [c for c in MONEY if c not in dropped]
    tail = [c for c in ("goal", "inds") if c not in dropped]
    if v.opt("order") == "shuffled":
        rng = v.rng("order")
        rng.shuffle(money_cols)
        rng.shuffle(tail)
    cols = ["name", *money_cols, *tail]
    words = {"name": labels.column("packed_name"), "goal": labels.column("goal"),
             "inds": labels.column("indicators_packed"),
             "special": money.header(labels.column("special_account"))}  # fmt: skip
    words |= {c: money.header(labels.column(c)) for c in ("total", "fiscal", "other")}

    def amounts(name: str, sums: dict[str, Decimal]) -> dict[str, str]:
        return {"name": name, "goal": "", "inds": ""} | {c: money.cell(sums[c]) for c in MONEY}

    rows: list[dict[str, str]] = []
    if "total_row" not in dropped:
        rows.append(amounts("合计", _sums(list(content.projects))))
    units: dict[str, list[Project]] = {}
    for p in content.projects:
        units.setdefault(p.unit, []).append(p)
    codes = v.opt("levels") == "codes"
    for unit, projects in units.items():
        rows.append(amounts(unit, _sums(projects)))
        for p in projects:
            cells = amounts(p.name, _sums([p]))
            rows.append(
                cells | {"goal": p.goal or "", "inds": packed_cell(p, codes, v.opt("values"))}
            )

    pagebreak = v.opt("pagebreak")
    at = cuts(v.rng("pagebreak"), len(rows)) if pagebreak.startswith("split") else []
    doc = Doc(landscape=v.opt("orientation") == "landscape")
    doc.blocks += [Para(content.title, "center", 16, True), Para(f"部门名称：{content.department}")]
    if money.line:
        doc.blocks.append(Para(labels.unit_line(money.unit), "right"))
    for k, (a, b) in enumerate(zip([0, *at], [*at, len(rows)], strict=True)):
        if k:
            doc.blocks.append(Break())
        grid = Grid(widths=[WIDTHS[c] for c in cols], repeat_header=pagebreak != "none",
                    cant_split=False)  # fmt: skip
        if k == 0 or pagebreak == "split_repeat":
            grid.row([words[c] for c in cols])
            grid.header_rows = 1
        for cells in rows[a:b]:
            r = grid.row([cells[c] for c in cols])
            for c, col in enumerate(cols):
                if col in MONEY and money.number_format and cells[col]:
                    grid.numbers[(r, c)] = money.number_format
        doc.blocks.append(grid)
    return doc, content
