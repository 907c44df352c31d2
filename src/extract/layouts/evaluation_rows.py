"""The rows of a self-evaluation's indicator grid: 一级/二级 carried down merged or blank cells
and over page breaks (a group label the break moves down or cuts in two), a row the page cut
joined to the row above, and what the grid's cells say about it (a total that is the scores'
sum, categories printed though no row was read)."""

from __future__ import annotations

from extract.layouts.evaluation_cells import Columns, EvalIndicatorDraft, EvaluationDraft, take
from extract.locate.evaluations import FoundForm, cell_key
from extract.read.base import RawRow
from extract.values.framework import default_framework, name_key
from extract.values.textnorm import nfkc

LEVELS = ("level1", "level2")
SCORE_TOLERANCE = 0.05  # a printed 总分 rounds the sum of its scores
BLANK = frozenset({"", "—", "-", "－", "/", "／", "无"})


def indicator_row(row: RawRow, columns: Columns, draft: EvaluationDraft) -> None:
    """An indicator; a row with no name continues the one above (a row cut by a page)."""
    cells = take(row.cells, columns, tuple(columns))
    if not any(cells.get(k) for k in columns if k not in LEVELS):
        return
    previous = draft.indicators[-1] if draft.indicators else None
    if previous is not None and (not cells.get("name") or _cut_tail(cells, previous, row)):
        for role, text in cells.items():
            if text and role not in LEVELS:
                previous.cells[role] = (previous.cells.get(role, "") + text).strip()
        return
    for level in LEVELS:
        _level(level, row, columns.get(level), cells, draft)
    draft.indicators.append(EvalIndicatorDraft(cells, row.page, row.box))


def _level(level: str, row: RawRow, span: tuple[int, int] | None, cells: dict[str, str],
           draft: EvaluationDraft) -> None:  # fmt: skip
    """The row's 一级 or 二级: carried down a merged or blank cell; a group cell opened empty at
    a page's foot takes the label the next page prints (the merged cell's text lands there),
    and a label the page break cut in two (效 | 益指标) is joined."""
    previous = draft.indicators[-1] if draft.indicators else None
    new_page = (
        previous is not None
        and None not in (row.page, previous.page)
        and (row.page != previous.page)
    )
    if text := cells.get(level, ""):
        opened = draft.open_groups.pop(level, None)
        if previous is None or not new_page:
            return
        if opened is not None and draft.indicators[opened].page != row.page:
            for indicator in draft.indicators[opened:]:
                indicator.cells[level] = text
        elif joined := _joined_label(before := previous.cells.get(level, ""), text):
            for indicator in reversed(draft.indicators):
                if indicator.cells.get(level) != before:
                    break
                indicator.cells[level] = joined
            cells[level] = joined
        return
    opens = span is not None and span[0] < len(row.cells) and row.cells[span[0]] == ""
    if opens and previous is not None and not new_page:  # a page's first row only goes on
        draft.open_groups.setdefault(level, len(draft.indicators))  # a cell opened, no label
    if previous is not None:
        cells[level] = previous.cells.get(level, "")


def is_category(label: str) -> bool:
    """Whether a label names an indicator category of the framework (产出指标, 数量指标 …)."""
    framework = default_framework()
    key = name_key(cell_key(label))
    return key in framework.level1 or key in framework.level2


def _joined_label(before: str, after: str) -> str | None:
    """``效`` + ``益指标``: two halves of one category name, neither one alone."""
    both = before + after
    halves = is_category(after) or is_category(before)
    return both if before and is_category(both) and not halves else None


def _cut_tail(cells: dict[str, str], previous: EvalIndicatorDraft, row: RawRow) -> bool:
    """A page's first row that is the rest of the row above, its name's tail included: the
    grid scores each indicator, the row above has its 分值 or 得分 and this one neither."""
    if row.page is None or previous.page is None or row.page == previous.page:
        return False
    scored = [k for k in ("weight", "score") if k in cells]
    return (
        bool(scored)
        and not any(cells[k] for k in scored)
        and any(previous.cells.get(k) for k in scored)
    )


def sums_to(printed: str, draft: EvaluationDraft) -> bool:
    """Whether a printed total is the sum of the draft's indicator scores."""
    scores = [printed_number(i.cells.get("score")) for i in draft.indicators]
    total = printed_number(printed)
    return total is not None and abs(total - sum(s or 0 for s in scores)) < SCORE_TOLERANCE


def printed_number(text: str | None) -> float | None:
    """A weight, score or rate as printed (``95``, ``95%``, ``1,200``); None for a blank or
    a dash."""
    if text is None or (t := nfkc(text).strip().rstrip("%").replace(",", "")) in BLANK:
        return None
    try:
        return float(t)
    except ValueError:
        return None


def prints_levels(form: FoundForm) -> bool:
    """Whether the form's cells name at least two indicator categories (产出指标, 数量指标 …):
    an indicator grid is printed, read or not."""
    named = {
        name_key(cell_key(cell))
        for table in form.tables
        for row in table.rows
        for cell in row.cells
        if cell and is_category(cell)
    }
    return len(named) >= 2
