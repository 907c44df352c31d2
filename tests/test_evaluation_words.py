"""Every word of data/evaluation.toml reads its part: the national template's grid with one
header or label swapped for each of its synonyms gives the same form (a new template should
need words, not code), and with the header cells in another order too."""

from __future__ import annotations

import pytest

from extract.layouts.evaluation import read_evaluation
from extract.layouts.evaluation_cells import EvaluationDraft
from extract.locate.evaluations import default_evaluation_spec, find_evaluations
from extract.read.base import RawRow, RawTable, TextLine

SPEC = default_evaluation_spec()
LABELS = ["项目名称", "主管部门", "实施单位"]
MONEY = ["年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分"]
INDICATORS = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
              "偏差原因分析及改进措施"]  # fmt: skip
W = 10  # grid width


def _row(*cells: str | None) -> RawRow:
    return RawRow(cells=[*cells, *[None] * (W - len(cells))])


def _grid(
    labels: list[str], money: list[str], indicators: list[str], order: list[int]
) -> list[RawRow]:
    ind = [indicators[k] for k in order]
    values = [["产出指标", "数量指标", "指标1：覆盖区县数量", "16个", "16个", "40", "40", ""],
              ["", "质量指标", "指标1：达标率", "≥95%", "90%", "50", "45", "部分未达标"]]  # fmt: skip
    return [
        _row(labels[0], None, "病媒生物防制"),
        _row(labels[1], None, "西安市卫生健康委员会", None, labels[2], None, "西安市疾控中心"),
        _row("项目资金（万元）", None, "", *money),
        _row(None, None, "年度资金总额", "240", "229.19", "229.19", "10", "100.00%", "10"),
        _row(None, None, "其中：当年财政拨款", "240", "229.19", "229.19", "—", "", "—"),
        _row("年度总体目标", "预期目标（年初设定）", None, None, None, "实际完成情况"),
        _row(None, "控制病媒生物密度", None, None, None, "已控制在国家标准内"),
        _row("绩效指标", *ind),
        *(_row(None, *[v[k] for k in order]) for v in values),
        _total(order),
    ]


def _total(order: list[int]) -> RawRow:
    """总分 under the 分值 and 得分 columns, wherever the order puts them."""
    cells: list[str | None] = ["总分", *[None] * 8]
    cells[1 + order.index(5)], cells[1 + order.index(6)] = "100", "95"
    return _row(*cells)


def _read(rows: list[RawRow]) -> EvaluationDraft:
    forms = find_evaluations([TextLine("病媒生物防制项目绩效自评表"), RawTable(rows=rows)], SPEC)
    assert [f.kind for f in forms] == ["project"]
    [draft] = read_evaluation(forms[0], SPEC)
    return draft


BASE = _read(_grid(LABELS, MONEY, INDICATORS, list(range(8))))


def _same(draft: EvaluationDraft) -> None:
    assert draft.fields == BASE.fields and draft.money == BASE.money and draft.total == BASE.total
    assert (draft.goal, draft.goal_result) == (BASE.goal, BASE.goal_result)
    assert [i.cells for i in draft.indicators] == [i.cells for i in BASE.indicators]


def test_the_base_grid_reads_every_part() -> None:
    assert BASE.fields == {"project_name": "病媒生物防制", "department": "西安市卫生健康委员会",
                           "unit_name": "西安市疾控中心"}  # fmt: skip
    assert BASE.money["total"]["spent"] == "229.19" and BASE.money["fiscal"]["budget"] == "229.19"
    assert BASE.total == {"weight": "100", "score": "95"} and BASE.goal == "控制病媒生物密度"
    assert [i.cells["level1"] for i in BASE.indicators] == ["产出指标", "产出指标"]
    assert BASE.indicators[1].cells["deviation"] == "部分未达标"


def _swaps(table: dict[str, tuple[str, ...]], printed: list[str]) -> list[tuple[int, str]]:
    out = []
    for k, word in enumerate(printed):
        role = SPEC.role(word, table)
        out += [(k, w) for w in table[role] if w != SPEC.role(word, table) and w] if role else []
    return out


SWAPS = [("labels", k, w) for k, w in _swaps(SPEC.labels, LABELS) if k != 0] + \
    [("money", k, w) for k, w in _swaps(SPEC.money_columns, MONEY)] + \
    [("indicators", k, w) for k, w in _swaps(SPEC.indicators, INDICATORS)]  # fmt: skip


@pytest.mark.parametrize(("part", "k", "word"), SWAPS, ids=[f"{p}-{w}" for p, _, w in SWAPS])
def test_each_synonym_reads_the_same(part: str, k: int, word: str) -> None:
    labels, money, indicators = list(LABELS), list(MONEY), list(INDICATORS)
    {"labels": labels, "money": money, "indicators": indicators}[part][k] = word
    if len({SPEC.role(w, SPEC.indicators) for w in indicators}) < len(indicators):
        pytest.skip("the synonym names another column of the same row (分值/权重)")
    _same(_read(_grid(labels, money, indicators, list(range(8)))))


@pytest.mark.parametrize(
    "order", [[2, 0, 1, 3, 4, 5, 6, 7], [0, 1, 2, 4, 3, 6, 5, 7], [0, 1, 2, 3, 4, 7, 5, 6]]
)
def test_indicator_columns_in_another_order(order: list[int]) -> None:
    _same(_read(_grid(LABELS, MONEY, INDICATORS, order)))


def test_a_form_goes_on_over_a_page_number_only() -> None:
    """A form without its 总分 goes on in the next table when only a page number stands
    between; after a heading, the next table is another matter."""
    rows = _grid(LABELS, MONEY, INDICATORS, list(range(8)))[:-1]  # no 总分 row
    tail = [
        _row(
            None, "满意度指标", "服务对象满意度", "指标1：群众满意率", "≥90%", "93%", "10", "10", ""
        )
    ]
    other = [_row("科目编码", "科目名称", "合计", "基本支出", "项目支出", "", "", "", "")]
    for between, goes_on in ((["- 12 -"], True), (["第三部分 2022年度部门决算表"], False)):
        blocks = [TextLine("病媒生物防制项目绩效自评表"), RawTable(rows=rows),
                  *(TextLine(t) for t in between), RawTable(rows=tail), RawTable(rows=other)]  # fmt: skip
        [form] = find_evaluations(blocks, SPEC)
        [draft] = read_evaluation(form, SPEC)
        names = [i.cells["name"] for i in draft.indicators]
        assert names[-1] == ("指标1：群众满意率" if goes_on else "指标1：达标率")
        assert "科目名称" not in names


def test_a_header_that_starts_with_a_word_heads_its_column() -> None:
    """偏差原因分析及拟改进措施 is 偏差原因's column, as a label cell would be its role."""
    indicators = [*INDICATORS[:-1], "偏差原因分析及拟改进措施"]
    _same(_read(_grid(LABELS, MONEY, indicators, list(range(8)))))


def test_a_row_cut_by_the_page_joins_its_tail_name_and_all() -> None:
    """The page's first row holds the rest of the row above (its name's and deviation's tails,
    no 分值 or 得分): one indicator. A whole row opening the next page stays a row of its own."""
    rows = _grid(LABELS, MONEY, INDICATORS, list(range(8)))[:-1]
    for r in rows:
        r.page = 1
    rows[-1].cells[3], rows[-1].cells[8] = "指标1：达标", "部分"  # cut: the tails are below
    tail = RawRow(
        cells=_row(None, None, None, "率", None, None, None, None, "未达标").cells, page=2
    )
    whole = RawRow(cells=_row(None, "满意度指标", "服务对象满意度", "群众满意率", "≥90%", "93%",
                              "10", "10", "").cells, page=2)  # fmt: skip
    end = RawRow(cells=_total(list(range(8))).cells, page=2)
    blocks = [
        TextLine("病媒生物防制项目绩效自评表"),
        RawTable(rows=rows),
        RawTable(rows=[tail, whole, end]),
    ]
    [form] = find_evaluations(blocks, SPEC)
    [draft] = read_evaluation(form, SPEC)
    got = [(i.cells["name"], i.cells["deviation"], i.cells["score"]) for i in draft.indicators]
    assert got == [("指标1：覆盖区县数量", "", "40"), ("指标1：达标率", "部分未达标", "45"),
                   ("群众满意率", "", "10")]  # fmt: skip


def test_a_money_block_printed_the_other_way_round_reads_the_same() -> None:
    """年度资金总额 | 其中：当年财政拨款 as the columns, 年初预算数 … 得分 as the rows."""
    rows = _grid(LABELS, MONEY, INDICATORS, list(range(8)))
    by_column = {
        label: [
            BASE.money[role].get(SPEC.role(head, SPEC.money_columns) or "", "") for head in MONEY
        ]
        for label, role in (("年度资金总额", "total"), ("其中：当年财政拨款", "fiscal"))
    }
    turned = [_row("项目资金（万元）", None, None, *by_column)] + [
        _row(None, None, head, *(values[k] for values in by_column.values()))
        for k, head in enumerate(MONEY)
    ]
    draft = _read([*rows[:2], *turned, *rows[5:]])

    def filled(money: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        return {row: {k: v for k, v in cols.items() if v} for row, cols in money.items()}

    assert filled(draft.money) == filled(BASE.money) and draft.money["total"]["rate"] == "100.00%"
    assert [i.cells for i in draft.indicators] == [i.cells for i in BASE.indicators]


def _paged(pages: list[list[tuple[str | None, str | None, str]]]) -> list[tuple[str, str]]:
    """The form's header part, then indicator rows (一级, 二级, name) page by page, each page a
    table of its own; the 一级/二级 read for each name."""
    head = _grid(LABELS, MONEY, INDICATORS, list(range(8)))[:-3]
    tables = [RawTable(rows=head)]
    for page, rows in enumerate(pages, start=1):
        cells = [
            _row(None, l1, l2, name, "≥1个", "1个", "10", "10", "").cells for l1, l2, name in rows
        ]
        tables.append(RawTable(rows=[RawRow(cells=c, page=page) for c in cells]))
    for r in head:
        r.page = 1
    tables[-1].rows.append(RawRow(cells=_total(list(range(8))).cells, page=len(pages)))
    [form] = find_evaluations([TextLine("病媒生物防制项目绩效自评表"), *tables], SPEC)
    [draft] = read_evaluation(form, SPEC)
    return [(i.cells["level1"], i.cells["level2"]) for i in draft.indicators]


def test_a_group_label_the_page_break_moves_down_belongs_to_the_rows_above() -> None:
    """效益指标's cell opens empty at page 1's foot and its label prints on page 2."""
    got = _paged([[("产出指标", "数量指标", "A"), (None, "质量指标", "B"), ("", "社会效益指标", "C")],
                  [("效益指标", "", "D"), (None, "生态效益指标", "E")]])  # fmt: skip
    assert got == [("产出指标", "数量指标"), ("产出指标", "质量指标"), ("效益指标", "社会效益指标"),
                   ("效益指标", "社会效益指标"), ("效益指标", "生态效益指标")]  # fmt: skip


def test_a_group_going_on_over_a_whole_page_keeps_its_label() -> None:
    """A page that opens with the group of the page before (its cells empty) is not a group
    waiting for a label: the next page's new label is not given to it."""
    got = _paged([[("产出指标", "数量指标", "A")], [("", "", "B"), (None, None, "C")],
                  [("效益指标", "社会效益指标", "D")]])  # fmt: skip
    assert got == [("产出指标", "数量指标")] * 3 + [("效益指标", "社会效益指标")]


def test_a_group_label_the_page_break_cuts_in_two_is_joined() -> None:
    got = _paged([[("产出指标", "数量指标", "A"), ("效", "社会效益指标", "B")],
                  [("益指标", "", "C")]])  # fmt: skip
    assert got == [
        ("产出指标", "数量指标"),
        ("效益指标", "社会效益指标"),
        ("效益指标", "社会效益指标"),
    ]


def test_a_form_whose_fields_are_printed_above_its_table() -> None:
    """项目名称：… 主管部门：… as text under the title, the table opening with the money: a form,
    its fields from the lines; a summary listing projects under the same title is not one."""
    rows = _grid(LABELS, MONEY, INDICATORS, list(range(8)))[2:]
    fields = ["项目名称：病媒生物防制    实施单位：西安市疾控中心",
              "主管部门：西安市卫生健康委员会  金额单位：万元"]  # fmt: skip
    blocks = [TextLine("项目支出绩效自评表"), *map(TextLine, fields), RawTable(rows=rows)]
    [form] = find_evaluations(blocks, SPEC)
    [draft] = read_evaluation(form, SPEC)
    assert draft.fields == BASE.fields and draft.money == BASE.money and draft.total == BASE.total
    assert [i.cells for i in draft.indicators] == [i.cells for i in BASE.indicators]
    summary = [_row("序号", "项目名称", "全年预算数", "全年执行数", "执行率", "自评得分"),
               _row("1", "病媒生物防制", "240", "229.19", "95.5%", "95")]  # fmt: skip
    assert find_evaluations([TextLine("项目支出绩效自评表"), RawTable(rows=summary)], SPEC) == []


@pytest.mark.parametrize("covered", [None, ""], ids=["merged", "blank"])
def test_a_second_header_row_divides_a_header_cell(covered: str | None) -> None:
    """指标值 printed over 年度指标值 | 实际完成值 (merged over both, or beside a blank cell):
    the second row's columns, none of them lost."""
    rows = _grid(LABELS, MONEY, INDICATORS, list(range(8)))
    top = _row(
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
        covered,
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    )
    sub = _row(None, None, None, None, "年度指标值", "实际完成值", None, None, None)
    draft = _read([*rows[:7], top, sub, *rows[8:]])
    assert [i.cells for i in draft.indicators] == [i.cells for i in BASE.indicators]


def test_goal_texts_that_open_the_next_page() -> None:
    """The goal header closes a page and its texts open the next one: the same form."""
    rows = _grid(LABELS, MONEY, INDICATORS, list(range(8)))
    blocks = [TextLine("病媒生物防制项目绩效自评表"), RawTable(rows=rows[:6]), TextLine("- 3 -"),
              RawTable(rows=rows[6:])]  # fmt: skip
    [form] = find_evaluations(blocks, SPEC)
    [draft] = read_evaluation(form, SPEC)
    assert (draft.goal, draft.goal_result) == (BASE.goal, BASE.goal_result)
    assert [i.cells for i in draft.indicators] == [i.cells for i in BASE.indicators]


def test_a_form_opening_with_its_name_and_label_in_one_cell() -> None:
    """项目名称：病媒生物防制 in the first cell starts the form, with no title above it; a cell
    may hold two labelled fields, and a value ends at 金额单位."""
    rows = _grid(LABELS, MONEY, INDICATORS, list(range(8)))
    first = _row("项目名称：病媒生物防制    实施单位：西安市疾控中心")
    second = _row("主管部门：西安市卫生健康委员会  金额单位：万元")
    forms = find_evaluations([RawTable(rows=[first, second, *rows[2:]])], SPEC)
    assert [f.kind for f in forms] == ["project"]
    [draft] = read_evaluation(forms[0], SPEC)
    assert draft.fields == BASE.fields and draft.money == BASE.money
    assert [i.cells for i in draft.indicators] == [i.cells for i in BASE.indicators]


def test_a_level_label_printed_one_character_per_row_is_joined() -> None:
    """产 / 出 / 指 / 标 down the 一级 column, a character in each indicator row."""
    head = _grid(LABELS, MONEY, INDICATORS, list(range(8)))[:8]
    names = ["覆盖区县数量", "达标率", "完成时间", "单位成本"]
    rows = [_row(None, ch, "数量指标" if k == 0 else None, name, "≥1个", "1个", "10", "10", "")
            for k, (ch, name) in enumerate(zip("产出指标", names, strict=True))]  # fmt: skip
    draft = _read([*head, *rows, _total(list(range(8)))])
    assert [(i.cells["level1"], i.cells["name"]) for i in draft.indicators] == [
        ("产出指标", name) for name in names
    ]
