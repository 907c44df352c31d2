"""The form layout: one form per project (header block, money block, goals, indicator grid)."""

from __future__ import annotations

import random
from decimal import Decimal

from .common import ROLE_WORDS, VALUE_ROLES, Amounts, Labels, cuts, value_cells
from .dims import Variant
from .doc import Break, Doc, Grid, Para
from .model import Content, Ind, Project

WIDTH = 8  # grid columns of a form
Parts = list[tuple[str, int]]


def _pairs(pairs: list[tuple[str, str]], width: int) -> Parts:
    """Label/value pairs over ``width`` columns: labels one column, values the rest."""
    free, n = width - len(pairs), len(pairs)
    parts: Parts = []
    for j, (label, value) in enumerate(pairs):
        parts += [(label, 1), (value, free // n + (1 if j < free % n else 0))]
    return parts


class _Form:
    def __init__(self, v: Variant, content: Content, labels: Labels, money: Amounts) -> None:
        self.v, self.content, self.labels, self.money = v, content, labels, money
        self.dropped = v.opt("optional") == "dropped"
        self.order: random.Random | None = v.rng("order") if v.opt("order") == "shuffled" else None
        self.cols = ["l1", "l2", "l3"] if v.opt("levels") == "three" else ["l2", "l3"]
        values = list(VALUE_ROLES[v.opt("values")])
        if self.order:
            self.order.shuffle(values)
        self.cols += values
        extra = WIDTH - len(self.cols)
        self.spans = [1] * len(self.cols)
        self.spans[self.cols.index("l3")] += extra - extra // 2
        self.spans[self.cols.index("value")] += extra // 2

    def label(self, role: str) -> str:
        word = self.labels.form(role)
        prefix = role in {"fiscal", "project_fiscal"} and not self.labels.synonyms
        return "其中：" + word if prefix else word

    def head(self, grid: Grid, p: Project) -> None:
        caption = self.v.opt("caption") == "caption"
        first = [] if caption else [(self.label("project_name"), p.name)]
        dates = [("计划开始日期", f"{self.content.year}-01-01"),
                 ("计划完成日期", f"{self.content.year}-12-31")]  # fmt: skip
        rows = [first + ([] if self.dropped else [("项目性质", "经常性项目"), ("项目类别", "一般项目")]),
                ([] if self.dropped else [(self.label("department"), self.content.department)])
                + [(self.label("unit_name"), p.unit)],
                [] if self.dropped else dates]  # fmt: skip
        rows = [r for r in rows if r]
        if self.order:
            self.order.shuffle(rows)
            rows = [r[::-1] if self.order.random() < 0.5 else r for r in rows]
        for pairs in rows:
            grid.spans(_pairs(pairs, WIDTH))

    def money_block(self, grid: Grid, p: Project) -> None:
        m, zero = self.money, Decimal(0)
        if self.dropped:
            rows = [[(self.label(r), m.cell(a))] for r, a in
                    (("total", p.total), ("fiscal", p.fiscal), ("other", p.other))]  # fmt: skip
        else:
            rows = [[(self.label("project_total"), m.cell(p.total)), (self.label("total"), m.cell(p.total))],
                    [(self.label("project_fiscal"), m.cell(p.fiscal)), (self.label("fiscal"), m.cell(p.fiscal))],
                    [("", ""), (self.label("carryover"), m.cell(zero))],
                    [("", ""), (self.label("other"), m.cell(p.other))]]  # fmt: skip
        if self.order:
            self.order.shuffle(rows)
        first = len(grid.cells)
        for pairs in rows:
            lead: Parts = [(m.header("项目资金"), 1)]
            if len(pairs) == 1:
                parts = [*lead, (pairs[0][0], 3), (pairs[0][1], 4)]
            else:
                parts = [
                    *lead,
                    (pairs[0][0], 2),
                    (pairs[0][1], 1),
                    (pairs[1][0], 2),
                    (pairs[1][1], 2),
                ]
            r = grid.spans(parts)
            col = 0
            for j, (text, width) in enumerate(parts):
                if j % 2 == 0 and j and text and m.number_format:
                    grid.numbers[(r, col)] = m.number_format
                col += width
        grid.merge_down(first, len(grid.cells) - 1, 0)

    def goals(self, grid: Grid, p: Project) -> None:
        goal = p.goal or ""
        if self.dropped:
            grid.spans([(self.label("goal"), 2), (goal, 6)])
            return
        long_goal = f"实施期内持续推进{p.name}，建立长效工作机制，服务质量和群众满意度稳步提升。"
        sides = [(self.label("goal_total"), long_goal), (self.label("goal"), goal)]
        if self.order and self.order.random() < 0.5:
            sides.reverse()
        grid.spans([(sides[0][0], 4), (sides[1][0], 4)])
        grid.spans([(sides[0][1], 4), (sides[1][1], 4)])

    def grid_header(self, grid: Grid) -> None:
        words = {"l1": self.labels.column("level1"), "l2": self.labels.column("level2"),
                 "l3": self.labels.column("level3")}  # fmt: skip
        words |= {c: self.labels.column(ROLE_WORDS[c]) for c in ("value", "unit", "op")}
        grid.spans([(words[c], s) for c, s in zip(self.cols, self.spans, strict=True)])

    def indicators(self, grid: Grid, inds: tuple[Ind, ...]) -> None:
        first = len(grid.cells)
        for ind in inds:
            cells = {"l1": ind.l1, "l2": ind.l2, "l3": ind.name}
            cells |= value_cells(ind, self.v.opt("values"))
            r = grid.spans([(cells[c], s) for c, s in zip(self.cols, self.spans, strict=True)])
            if self.v.opt("values") == "split" and ind.op is not None:
                grid.numbers[(r, sum(self.spans[: self.cols.index("value")]))] = "General"
        if self.v.opt("merge") != "merged":
            return
        for key, col in ((lambda i: (i.l1,), "l1"), (lambda i: (i.l1, i.l2), "l2")):
            if col not in self.cols:
                continue
            c = sum(self.spans[: self.cols.index(col)])
            g = 0
            while g < len(inds):
                g2 = g
                while g2 + 1 < len(inds) and key(inds[g2 + 1]) == key(inds[g]):
                    g2 += 1
                grid.merge_down(first + g, first + g2, c)
                g = g2 + 1


def build_form(v: Variant, content: Content) -> tuple[Doc, Content]:
    """The forms of ``content`` as ``v`` prints them, and the content they printed."""
    labels = Labels(v)
    money = Amounts(v, content, blank_zero=False)
    form = _Form(v, content, labels, money)
    doc = Doc(landscape=v.opt("orientation") == "landscape")
    split = v.opt("pagebreak")
    rng = v.rng("pagebreak")
    for k, p in enumerate(content.projects):
        if k:
            doc.blocks.append(Break(new_sheet=True))
        caption = f"{p.name}项目绩效目标表" if v.opt("caption") == "caption" else content.title
        doc.blocks.append(Para(caption, "center", 16, True))
        if money.line:
            doc.blocks.append(Para(labels.unit_line(money.unit), "right"))
        at = cuts(rng, len(p.inds), most=1) if split.startswith("split") else []
        parts = [p.inds[a:b] for a, b in zip([0, *at], [*at, len(p.inds)], strict=True)]
        grid = Grid(widths=[1.0] * WIDTH, size=9.5)
        form.head(grid, p)
        form.money_block(grid, p)
        form.goals(grid, p)
        form.grid_header(grid)
        form.indicators(grid, parts[0])
        doc.blocks.append(grid)
        for rest in parts[1:]:
            doc.blocks.append(Break())
            grid = Grid(widths=[1.0] * WIDTH, size=9.5)
            if split == "split_repeat":
                form.grid_header(grid)
            form.indicators(grid, rest)
            doc.blocks.append(grid)
    return doc, content
