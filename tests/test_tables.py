"""Header matching, stitching of page fragments and the rows layout, on tables built in code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from extract.locate.headers import default_spec, find_header, role_of
from extract.models import Document, Format, Layout, Status
from extract.read.base import ExtractedDocument, RawRow, RawTable, TextLine
from extract.records.assemble import extracted_to_result
from extract.settings import Settings

PACKED_HEADER = [
    "项目名称（资金使用单位）",
    "总计",
    "财政拨款",
    "财政专户拨款",
    "其他资金",
    "绩效目标",
    "绩效指标",
]
ITEM = "1、1-产出指标；11-数量指标；培训场次；实施周期指标值:≥3场；年度指标值:≥3场。"


def _result(blocks: list) -> object:  # type: ignore[type-arg]
    doc = Document(doc_id="x", source="mem", file_name="mem", format="pdf", status=Status.FAILED,
                   extracted_at=dt.datetime.now(dt.UTC), extractor_version="t")  # fmt: skip
    return extracted_to_result(doc, ExtractedDocument(Format.PDF, blocks=blocks), Settings())


def _table(rows: list[list[str | None]], page: int) -> RawTable:
    return RawTable(rows=[RawRow(cells=r, page=page) for r in rows], page=page)


def test_synonyms_and_bracket_notes_name_roles() -> None:
    spec = default_spec()
    assert role_of("资金总额（万元）", spec) == "total"
    assert role_of("项目名称\n（资金使用单位）", spec) == "project_name"
    assert role_of("其中：财政拨款", spec) == "fiscal"
    assert role_of("指标值及单位", spec) == "value_annual"
    assert role_of("备注", spec) == "note"  # kept in its own indicator column


def test_self_evaluation_table_is_not_a_target_table() -> None:
    rows = [["项目名称", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "得分"]]
    assert find_header(rows) is None


def test_packed_fragments_stitched_header_repeat_and_continuation_merged() -> None:
    page1 = _table([PACKED_HEADER, ["合计", "8.00", "8.00", "", "", "", ""],
                    ["甲单位", "8.00", "8.00", "", "", "", ""],
                    ["项目一", "5.00", "5.00", "", "", "提升", ITEM + "2、1-产出指标；13-时效指标；完成时限；实施周期指标值:3-5"]], 1)  # fmt: skip
    page2 = _table([PACKED_HEADER, ["", "", "", "", "", "服务水平", "个。"],
                    ["项目二", "3.00", "2.00", "", "1.00", "目标", ITEM], ["- 2 -", None, None, None, None, None, None]], 2)  # fmt: skip
    result = _result([TextLine("单位：万元", 1), page1, TextLine("- 1 -", 1), page2])
    assert [p.project_name for p in result.projects] == ["项目一", "项目二"]
    one = result.projects[0]
    assert one.goal == "提升服务水平" and one.unit_name == "甲单位" and one.page == 1
    assert result.indicators[1].annual.raw is None
    assert result.indicators[1].period.raw == "3-5个"
    assert result.indicators[1].period.value_max == 5
    assert [i.code for i in result.issues if i.code == "fragment_joined"] == ["fragment_joined"]
    assert result.document.table_pages == "1-2"


def test_unit_and_total_mismatches_are_warnings_not_failures() -> None:
    table = _table([PACKED_HEADER, ["合计", "9.00", "9.00", "", "", "", ""],
                    ["项目一", "5.00", "4.00", "", "", "g", ITEM]], 1)  # fmt: skip
    result = _result([table])
    codes = sorted(i.code for i in result.issues)
    assert codes == [
        "amount_row_mismatch",
        "amount_total_mismatch",
        "amount_total_mismatch",
        "amount_unit_assumed",
    ]
    assert result.document.status is Status.OK
    assert result.projects[0].total_yuan == Decimal("50000.00")


ROWS_HEADER = [
    "项目名称",
    "资金总额（万元）",
    "财政拨款",
    "绩效目标",
    "一级指标",
    "二级指标",
    "三级指标",
    "指标值",
]


def test_rows_layout_fills_merged_cells_and_keeps_projects_across_pages() -> None:
    page1 = _table([ROWS_HEADER,
        ["项目一", "10.00", "10.00", "目标一", "产出指标", "数量指标", "培训人次", "≥100人次"],
        [None, None, None, None, None, None, "培训场次", "≥3场"],
        [None, None, None, None, None, "质量指标", "合格率", "100%"],
        [None, None, None, None, "效益指标", "社会效益指标", "", ""]], 1)  # fmt: skip
    page2 = _table([ROWS_HEADER,
        ["", "", "", "", "满意度指标", "服务对象满意度指标", "满意度", "≥90%"],
        ["项目二", "5.00", "5.00", "目标二", "产出指标", "时效指标", "完成时间", "2024年底前"]], 2)  # fmt: skip
    result = _result([page1, page2])
    assert result.document.layout is Layout.ROWS
    assert [(p.project_name, p.total_yuan, p.goal, p.page) for p in result.projects] == [
        ("项目一", Decimal("100000.00"), "目标一", 1),
        ("项目二", Decimal("50000.00"), "目标二", 2),
    ]
    names = [
        (i.project_seq, i.level1_name, i.level2_name, i.name, i.page) for i in result.indicators
    ]
    assert names == [
        (1, "产出指标", "数量指标", "培训人次", 1), (1, "产出指标", "数量指标", "培训场次", 1),
        (1, "产出指标", "质量指标", "合格率", 1), (1, "满意度指标", "服务对象满意度指标", "满意度", 2),
        (2, "产出指标", "时效指标", "完成时间", 2)]  # fmt: skip
    assert result.indicators[-1].annual.date == dt.date(2024, 12, 31)


def test_rows_layout_with_two_header_rows_and_separate_unit_column() -> None:
    header1 = ["项目名称", "金额", "绩效目标", "绩效指标", None, None, None, None]
    header2 = [None, None, None, "一级指标", "二级指标", "三级指标", "指标值", "计量单位"]
    table = _table([header1, header2,
                    ["项目一", "2", "g", "产出指标", "数量指标", "场次", "≥3", "场"]], 1)  # fmt: skip
    [ind] = _result([table]).indicators
    assert (ind.annual.raw, ind.annual.op, ind.annual.value, ind.annual.unit) == (
        "≥3",
        ">=",
        3,
        "场",
    )


def test_no_performance_table_gives_no_table() -> None:
    other = _table(
        [["收入", "本年预算数", "支出", "本年预算数"], ["财政拨款", "100", "一般公共服务", "100"]],
        1,
    )
    result = _result([TextLine("部门收支总表", 1), other])
    assert result.document.status is Status.NO_TABLE
    assert result.projects == [] and result.indicators == []


def test_packed_name_broken_by_a_page_is_joined() -> None:
    page1 = _table([PACKED_HEADER, ["全民健身赛事", "5.00", "5.00", "", "", "提升", ITEM]], 1)
    page2 = _table([PACKED_HEADER, ["活动经费", "", "", "", "", "水平", ""],
                    ["项目二", "3.00", "3.00", "", "", "目标", ITEM]], 2)  # fmt: skip
    result = _result([page1, page2])
    assert [p.project_name for p in result.projects] == ["全民健身赛事活动经费", "项目二"]
    assert result.projects[0].goal == "提升水平"


def test_department_indicator_table_without_project_column_is_skipped() -> None:
    """部门整体支出绩效目标表: 一级/二级/三级 but no 项目名称 → not project rows."""
    dept = _table([["一级指标", "二级指标", "三级指标", "指标值"],
                   ["产出指标", "数量指标", "履职事项", "≥10项"]], 1)  # fmt: skip
    result = _result([TextLine("部门整体支出绩效目标表", 1), dept])
    assert result.document.status is Status.NO_TABLE
    assert [i.code for i in result.issues] == ["table_skipped"]
    assert result.document.tables_skipped == "department:1"


def test_department_from_an_editor_line_or_the_table_title() -> None:
    table = _table([PACKED_HEADER, ["项目一", "5.00", "5.00", "", "", "g", ITEM]], 1)
    by_line = _result([TextLine("编制单位：某市某区水务局    金额单位：万元", 1), table])
    assert (by_line.document.department, by_line.document.amount_unit) == ("某市某区水务局", "万元")
    by_title = _result([TextLine("某市某区水务局2024年项目支出绩效目标表", 1), table])
    assert (by_title.document.department, by_title.document.year) == ("某市某区水务局", 2024)
    assert by_title.projects[0].unit_name == "某市某区水务局"
