"""The rows reader on tables built in code: project spans, codes, split cells, columns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from extract.models import Document, DocumentResult, Format, Op, Status
from extract.read.base import ExtractedDocument, RawRow, RawTable
from extract.records.assemble import extracted_to_result
from extract.settings import Settings

# 项目名称 | 项目总额 | 财政资金 | 绩效目标 | 一级 | 二级 | 三级 | 绩效指标性质 | 本年绩效指标值 | 绩效度量单位
HEADER = ["项目名称", "项目总额", "财政资金", "绩效目标", "一级指标", "二级指标", "三级指标",
          "绩效指标性质", "本年绩效指标值", "绩效度量单位"]  # fmt: skip
IND = ["产出指标", "数量指标"]
CODE = "11000022T0000004602"


def _result(*pages: list[list[str | None]]) -> DocumentResult:
    doc = Document(doc_id="x", source="mem", file_name="mem", format="pdf", status=Status.FAILED,
                   extracted_at=dt.datetime.now(dt.UTC), extractor_version="t")  # fmt: skip
    blocks = [RawTable([RawRow(r, n) for r in [HEADER, *rows]], n) for n, rows in
              enumerate(pages, start=1)]  # fmt: skip
    return extracted_to_result(doc, ExtractedDocument(Format.PDF, blocks=blocks), Settings())


def _row(name: str | None, total: str | None, goal: str | None, ind: str, nature: str = "＝",
         value: str = "100", unit: str = "%") -> list[str | None]:  # fmt: skip
    return [name, total, total, goal, *IND, ind, nature, value, unit]


def _cont(ind: str, nature: str = "≥", value: str = "3", unit: str = "个") -> list[str | None]:
    return _row(None, None, None, ind, nature, value, unit)


def test_code_in_the_name_cell_and_operator_value_unit_columns() -> None:
    result = _result([_row(f"{CODE}\n16-《北京审计》杂志\n办刊经费", "17.398000", "印刷", "质量"),
                      _cont("期数"), _row(None, None, None, "满意", "定性", "优", "")])  # fmt: skip
    (project,) = result.projects
    assert (project.project_code, project.project_name) == ("11000022T000000460216",
                                                            "《北京审计》杂志办刊经费")  # fmt: skip
    assert project.total_yuan == Decimal("173980.00")
    first, second, third = result.indicators
    assert (first.annual.op, first.annual.value, first.annual.unit) == (Op.EQ, 100.0, "%")
    assert (second.annual.op, second.annual.value, second.annual.unit) == (Op.GE, 3.0, "个")
    assert third.annual.qualitative and third.nature == "定性"


def test_new_amounts_under_a_merged_name_are_separate_projects() -> None:
    result = _result([_row("执法办案经费", "32.00", "甲", "a"), _cont("b"),
                      _row(None, "93.30", "乙", "c"), _cont("d")])  # fmt: skip
    assert [(p.project_name, p.total_yuan) for p in result.projects] == [
        ("执法办案经费", Decimal("320000.00")),
        ("执法办案经费", Decimal("933000.00")),
    ]
    assert [i.project_seq for i in result.indicators] == [1, 1, 2, 2]


def test_cells_printed_again_on_the_next_page_are_one_project() -> None:
    page1 = [_row("项目甲", "10.00", "目标", "a"), _cont("b")]
    page2 = [_row("项目甲", "10.00", "目标", "c"), _cont("d")]
    result = _result(page1, page2)
    assert [p.project_name for p in result.projects] == ["项目甲"]
    assert len(result.indicators) == 4


def test_a_name_drawn_on_the_next_page_joins_the_rows_cut_before_it() -> None:
    # p.1 ends with a new cell whose text is drawn on p.2 (empty name and amounts here)
    page1 = [_row("项目甲", "10.00", "目标甲", "a"), _cont("b"), _row("", "", "目标乙前半", "c")]
    page2 = [_row("项目乙", "20.00", "后半", "d")]
    result = _result(page1, page2)
    assert [(p.project_name, p.total_yuan, p.goal) for p in result.projects] == [
        ("项目甲", Decimal("100000.00"), "目标甲"),
        ("项目乙", Decimal("200000.00"), "目标乙前半后半"),
    ]
    assert [i.project_seq for i in result.indicators] == [1, 1, 2, 2]


def test_a_name_split_by_the_page_break_is_joined() -> None:
    page1 = [_row("项目甲", "10.00", "g", "a"), _row(f"{CODE}\n12-道路交通信号", "", "", "b")]
    page2 = [_row("灯专用设备采购项目", "1,228.00", "", "c")]
    result = _result(page1, page2)
    assert [p.project_name for p in result.projects] == ["项目甲", "道路交通信号灯专用设备采购项目"]
    assert result.projects[1].total_yuan == Decimal("12280000.00")


def test_a_table_printed_empty_gives_no_project_and_no_error() -> None:
    result = _result([["此表无数据", None, None, None, None, None, None, None, None, None]])
    assert result.projects == []
    assert result.document.status is Status.NO_TABLE
    assert result.document.tables_skipped == "empty:1"


def test_amount_cells_ruled_row_by_row_under_one_goal_cell_are_one_project() -> None:
    # p1: the project's rows, its name, amounts and goal cells merged; p2: the name cell's
    # last line, the amount columns ruled per row (empty cells), the goal cell merged on
    result = _result(
        [_row(f"{CODE}\n16-北京市公共", "327.34", "推动公共法律服务", "按阶段完成"),
         [None, None, None, None, *IND, "系统利用率", "≥", "90", "%"]],
        [_row("法律网络平台升级改造项目", "", "融合", "软件采购成本"),
         [None, "", "", None, *IND, "软件开发成本", "≤", "502.5", "万元"],
         [None, "", "", None, *IND, "使用人员满意度", "≥", "90", "%"]],
    )  # fmt: skip
    assert [p.project_name for p in result.projects] == ["北京市公共法律网络平台升级改造项目"]
    assert result.projects[0].total_yuan == Decimal("3273400.00")
    assert len(result.indicators) == 5


def test_a_row_cut_by_a_page_break_in_a_repeated_cells_table_keeps_its_indicator() -> None:
    name, goal = f"{CODE}\n16-《北京审计》杂志办刊经费", "印刷"
    rows = [_row(name, "17.398", goal, f"指标{n}") for n in range(1, 6)]
    cut = _row(name, "17.398", goal, "每期印刷", "＝", "", "")  # the value is on the next page
    tail = [None, None, None, None, None, None, "数量（册）", None, "900", "册"]
    result = _result([*rows, cut], [tail, _row(name, "17.398", goal, "指标7")])
    assert len(result.projects) == 1
    names = [i.name for i in result.indicators]
    assert names[5] == "每期印刷数量（册）" and len(names) == 7
    assert (result.indicators[5].annual.value, result.indicators[5].annual.unit) == (900, "册")
