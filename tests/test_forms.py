"""Per-project forms as published (issue #11): labels and their synonyms, two-column
period/annual forms, labels printed one character per line, forms over pages, cover metadata."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract.layouts.form import form_to_draft, join_vertical_labels
from extract.locate.headers import default_spec
from extract.locate.metadata import cover_metadata, split_scope
from extract.read.base import RawRow
from extract.read.pdf.page import is_drawn

GRID = ["一级指标", "二级指标", "三级指标", "指标值"]


def _rows(rows: list[list[str | None]], page: int = 1) -> list[RawRow]:
    return [RawRow(cells=r, page=page) for r in rows]


def test_fuzhou_labels_name_the_total_and_its_parts() -> None:
    rows = _rows([
        ["项目名称", "车驾管所及办案经费", None, None, None],
        ["主管部门", "福州市公安局", None, "实施单位", "福州市公安局交通管理支队"],
        ["专项资金情况（万元）", "资金总额", None, "1700.00", None],
        [None, "财政拨款", None, "1700.00", None],
        [None, "其他资金", None, "0.00", None],
        ["年度目标", "提升车驾管所正规化建设水平", None, None, None],
        ["绩效目标指标", *GRID],
        ["绩效目标指标", "成本指标", "经济成本指标", "项目支出费用", "≥1700万元"],
    ])  # fmt: skip
    project = form_to_draft(rows, None).projects[0]
    assert project.amounts == {"total": Decimal("1700.00"), "fiscal": Decimal("1700.00"),
                               "other": Decimal("0.00")}  # fmt: skip
    assert project.unit_name == "福州市公安局交通管理支队"  # never the 主管部门
    assert project.goal == "提升车驾管所正规化建设水平"
    assert [i.name for i in project.indicators] == ["项目支出费用"]


def test_only_a_period_total_is_the_total_with_a_note() -> None:
    rows = _rows([
        ["专项（项目）名称 伯乐奖", None, None],
        ["资金金额（万元）", "实施期资金总额：", "100"],
        [None, "其中：财政拨款", "100"],
        [None, "其他资金", ""],
        ["总体目标", "落实我市伯乐奖补助政策。", None],
        [*GRID[1:], "指标值"][:3],
    ])  # fmt: skip
    project = form_to_draft(rows, None).projects[0]
    assert project.name == "伯乐奖"  # label and value in one cell
    assert project.amounts["total"] == Decimal("100") and "project_total" not in project.amounts
    assert project.amounts["other"] == Decimal("0")  # printed blank: 0, not null
    assert [code for code, _ in project.notes] == ["period_total_as_total"]
    assert (project.goal, project.goal_total) == ("落实我市伯乐奖补助政策。", None)


def test_two_column_form_reads_the_annual_column() -> None:
    rows = _rows([
        ["项目名称", "公租房新建续建项目专项资金", None, None, None],
        ["资金金额（万元）", "实施期资金总额：", "301800.00", "年度资金总额：", "200000.00"],
        [None, "其中：财政拨款", "301800.00", "其中：财政拨款", "200000.00"],
        [None, "其他资金", "", "其他资金", ""],
        ["总体目标", "实施期总目标", None, "年度目标", None],
        [None, "五年目标", None, "今年目标", None],
        ["绩效指标", *GRID],
    ])  # fmt: skip
    project = form_to_draft(rows, None).projects[0]
    assert project.amounts["total"] == Decimal("200000.00")
    assert project.amounts["fiscal"] == Decimal("200000.00")
    assert project.amounts["project_total"] == Decimal("301800.00")
    assert project.amounts["project_fiscal"] == Decimal("301800.00")
    assert (project.goal, project.goal_total) == ("今年目标", "五年目标")


def test_a_form_without_an_amount_has_no_total() -> None:
    rows = _rows([["项目名称", "某项目"], ["年度目标", "目标"], GRID])
    assert "total" not in form_to_draft(rows, None).projects[0].amounts


def test_vertical_labels_are_joined_back() -> None:
    rows = _rows([["", "总", "用于运行开支"], [None, "体", None], [None, "目", None],
                  [None, "标", None], ["", "产", "x"]])  # fmt: skip
    joined = join_vertical_labels(rows, default_spec())
    assert joined[0].cells == ["", "总体目标", "用于运行开支"]
    assert joined[1].cells == [None, None, None]
    assert joined[4].cells == ["", "产", "x"]  # a single character that spells nothing stays


def test_placeholder_indicator_rows_give_no_indicator() -> None:
    rows = _rows([["项目名称", "某项目", None, None, None], ["年度资金总额", "1", None, None, None],
                  ["绩效指标", *GRID], [None, "效益指标", "经济效益指标", "/", "/"],
                  [None, None, "社会效益指标", "群众满意", "提升"]])  # fmt: skip
    assert [i.name for i in form_to_draft(rows, None).projects[0].indicators] == ["群众满意"]


def test_group_label_printed_on_the_next_page() -> None:
    rows = _rows([["项目名称", "某项目", None, None, None], ["年度资金总额", "1", None, None, None],
                  ["绩效指标", *GRID], [None, "产出指标", "质量指标", "合格率", "100%"],
                  [None, None, "", "补贴发放", "≤12"]], page=1)  # fmt: skip
    rows += _rows([["", None, "时效指标", "及时发放", "≤100%"]], page=2)
    levels = [i.level2 for i in form_to_draft(rows, None).projects[0].indicators]
    assert levels == ["质量指标", "时效指标", "时效指标"]


def test_cover_titles_broken_anywhere() -> None:
    assert _cover(["2026年烟台市应急管理局部门预", "算"]) == ("烟台市应急管理局", None, 2026)
    assert _cover(["2026 年度", "福州市科学技术局(本级)", "单位预算"]) == \
        ("福州市科学技术局", "本级", 2026)  # fmt: skip
    assert _cover(["西安市公安局（汇总）", "2026年部门预算公开说明"]) == (
        "西安市公安局",
        "汇总",
        2026,
    )
    assert _cover(["上海市普陀区2026年区级部门预算", "预算主管部门：上海市普陀区司法局"]) == \
        ("上海市普陀区司法局", None, 2026)  # fmt: skip


def test_a_heading_is_not_a_cover() -> None:
    assert _cover(["五、2021年部门预算收支说明"]) == (None, None, None)
    assert _cover(["费、驻外机构工作保障经费等项目支出2026年预算安排，进一步改进"]) == (
        None,
        None,
        None,
    )


def test_scope_marker_is_kept_apart() -> None:
    assert split_scope("西安市司法局（汇总）") == ("西安市司法局", "汇总")
    assert split_scope("国家信访局") == ("国家信访局", None)


def _cover(lines: list[str]) -> tuple[str | None, str | None, int | None]:
    meta = cover_metadata(lines)
    return meta.department, meta.scope, meta.year


def test_a_grid_without_its_header_row_is_read_by_its_level_names() -> None:
    rows = _rows([["项目名称", "技工学校国家助学金", None, None, None],
                  ["资金金额（万元）", "实施期资金总额：", "3000", None, None],
                  ["绩效指标", "产出指标", "数量指标", "申报人数", "7375人"],
                  [None, None, "质量指标", "发放到位率", "100%"]])  # fmt: skip
    indicators = form_to_draft(rows, None).projects[0].indicators
    assert [(i.level1, i.level2, i.name, i.annual) for i in indicators] == [
        ("产出指标", "数量指标", "申报人数", "7375人"),
        ("产出指标", "质量指标", "发放到位率", "100%"),
    ]


def test_white_unstroked_rectangles_are_no_rulings() -> None:
    background = {"object_type": "rect", "stroke": False, "fill": True, "non_stroking_color": (1,)}
    rule = {**background, "non_stroking_color": (0,)}
    assert not is_drawn(background) and not is_drawn({**background, "non_stroking_color": 1.0})
    assert not is_drawn({**background, "non_stroking_color": (0, 0, 0, 0)})  # CMYK white
    assert is_drawn(rule) and is_drawn({**background, "stroke": True})
    assert is_drawn({"object_type": "char", "text": "a"})


def test_a_name_field_holding_the_department_and_a_department_field_holding_the_fund() -> None:
    # a 2019 form filled in each other's place: the fund is the project
    rows = _rows([
        ["专项（项目）名称", "西安市财政局", "主管部门", "市级文化产业发展专项资金"],
        ["资金总额（万元）", "500", "财政拨款", "500"],
        [*GRID], ["产出指标", "数量指标", "扶持项目数", "≥10个"],
    ])  # fmt: skip
    draft = form_to_draft(rows, None)
    assert draft.projects[0].name == "市级文化产业发展专项资金"
    assert draft.department == "西安市财政局"


@pytest.mark.parametrize(
    ("name", "department"),
    [("网格化服务中心运维", "某区城市管理局"),
     ("烟台国际核电工业及装备博览会", "205_烟台市发展和改革委员会")],  # yt-fgw: a code first
)  # fmt: skip
def test_a_usual_form_keeps_its_name(name: str, department: str) -> None:
    rows = _rows([["项目名称", name, "主管部门", department],
                  ["资金总额", "50", None, None], [*GRID]])  # fmt: skip
    assert form_to_draft(rows, None).projects[0].name == name
