"""The rows layout: one indicator per row, project cells merged or repeated."""

from __future__ import annotations

from decimal import Decimal

from .common import ROLE_WORDS, VALUE_ROLES, WIDTHS, Amounts, Labels, cuts, value_cells
from .dims import Variant
from .doc import Break, Doc, Grid, Para
from .model import Content, Project

MONEY = ("total", "fiscal", "other")


def build_rows(v: Variant, content: Content) -> tuple[Doc, Content]:
    """The rows table of ``content`` as ``v`` prints it, and the content it printed."""
    labels = Labels(v)
    dropped: set[str] = set()
    if v.opt("optional") == "dropped":
        rng = v.rng("optional")
        dropped = set(rng.sample(["other", "goal"], rng.randint(1, 2)))
        if "other" in dropped:
            content = content.replace_projects(other=Decimal(0))
        if "goal" in dropped:
            content = content.replace_projects(goal=None)
    money = Amounts(v, content, blank_zero=False)
    project_cols = [c for c in (*MONEY, "goal") if c not in dropped]
    value_cols = list(VALUE_ROLES[v.opt("values")])
    if v.opt("order") == "shuffled":
        rng = v.rng("order")
        rng.shuffle(project_cols)
        rng.shuffle(value_cols)
    level_cols = ["l1", "l2", "l3"] if v.opt("levels") == "three" else ["l2", "l3"]
    cols = ["name", *project_cols, *level_cols, *value_cols]
    words = {"name": labels.column("project_name"), "goal": labels.column("goal"),
             "l1": labels.column("level1"), "l2": labels.column("level2"),
             "l3": labels.column("level3")}  # fmt: skip
    words |= {c: money.header(labels.column(c)) for c in MONEY}
    words |= {c: labels.column(ROLE_WORDS[c]) for c in ("value", "unit", "op")}
    header: list[str | None] = [words[c] for c in cols]

    items = [(p, i) for p in range(len(content.projects))
             for i in range(len(content.projects[p].inds))]  # fmt: skip
    pagebreak = v.opt("pagebreak")
    at = cuts(v.rng("pagebreak"), len(items)) if pagebreak.startswith("split") else []
    chunks = [items[a:b] for a, b in zip([0, *at], [*at, len(items)], strict=True)]
    merged = v.opt("merge") == "merged"

    doc = Doc(landscape=v.opt("orientation") == "landscape")
    doc.blocks += [Para(content.title, "center", 16, True), Para(f"部门名称：{content.department}")]
    if money.line:
        doc.blocks.append(Para(labels.unit_line(money.unit), "right"))
    for k, chunk in enumerate(chunks):
        if k:
            doc.blocks.append(Break())
        grid = Grid(widths=[WIDTHS[c] for c in cols], repeat_header=pagebreak != "none")
        if k == 0 or pagebreak == "split_repeat":
            grid.row(header)
            grid.header_rows = 1
        first = len(grid.cells)
        for pi, ii in chunk:
            p, ind = content.projects[pi], content.projects[pi].inds[ii]
            shown = not merged or ii == 0
            cells = (
                _project_cells(p, money) if shown else dict.fromkeys((*MONEY, "name", "goal"), "")
            )
            cells |= {"l1": ind.l1, "l2": ind.l2, "l3": ind.name}
            cells |= value_cells(ind, v.opt("values"))
            r = grid.row([cells[c] for c in cols])
            for c, col in enumerate(cols):
                if col in MONEY and money.number_format and cells[col]:
                    grid.numbers[(r, c)] = money.number_format
                if col == "value" and v.opt("values") == "split" and ind.op is not None:
                    grid.numbers[(r, c)] = "General"
        if merged:
            _merge(grid, cols, chunk, first, content)
        doc.blocks.append(grid)
    return doc, content


def _project_cells(p: Project, money: Amounts) -> dict[str, str]:
    return {"name": p.name, "total": money.cell(p.total), "fiscal": money.cell(p.fiscal),
            "other": money.cell(p.other), "goal": p.goal or ""}  # fmt: skip


def _merge(grid: Grid, cols: list[str], chunk: list[tuple[int, int]], first: int,
           content: Content) -> None:  # fmt: skip
    """Merge the project columns over each project's rows, 一级/二级 over their groups."""

    def runs(key: object) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for k in range(len(chunk)):
            if out and key(chunk[k]) == key(chunk[out[-1][0]]):  # type: ignore[operator]
                out[-1] = (out[-1][0], k)
            else:
                out.append((k, k))
        return out

    def ind(item: tuple[int, int]) -> tuple[str, str]:
        i = content.projects[item[0]].inds[item[1]]
        return i.l1, i.l2

    by_project = runs(lambda it: it[0])
    by_l1 = runs(lambda it: (it[0], ind(it)[0]))
    by_l2 = runs(lambda it: (it[0], *ind(it)))
    for c, col in enumerate(cols):
        spans = by_l1 if col == "l1" else by_l2 if col == "l2" else by_project
        if col in {"l3", "value", "unit", "op"}:
            continue
        for a, b in spans:
            grid.merge_down(first + a, first + b, c)
