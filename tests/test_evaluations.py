"""Self-evaluation forms in Word, PDF and Excel (fixtures/evaluations, written by their
generator with the truth beside them): every field, every indicator, the department's own
form kept apart, a page break inside a form, a district's one-table workbook."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from _paths import FIXTURES

from extract.models import DocumentResult, Status
from extract.records.evaluations import met
from extract.run.pipeline import extract_document
from extract.values.parse import parse_value

FOLDER = FIXTURES / "evaluations"
WAN = Decimal(10000)


def _truth(name: str) -> dict[str, Any]:
    return json.loads((FOLDER / f"{name}.truth.json").read_text("utf-8"))


def _result(path: Path) -> DocumentResult:
    return extract_document(path, settings={"isolate": False})


def _yuan(printed: str | None) -> Decimal | None:
    return (
        None if not printed else (Decimal(printed.replace(",", "")) * WAN).quantize(Decimal("0.01"))
    )


def _text(value: str | None) -> str:
    return "".join((value or "").split())


NAMES = ["juesuan-2024.docx", "juesuan-2024.pdf", "districts-2024.xlsx", "districts-2024.pdf",
         "variants-2024.docx", "variants-2024.pdf", "flowing-2024.docx", "flowing-2024.pdf",
         "juesuan-2024.doc", "variants-2024.doc"]  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_every_form_and_its_fields(name: str) -> None:
    truth = _truth(name.rsplit(".", 1)[0])
    result = _result(FOLDER / name)
    doc = result.document
    assert (doc.status, doc.project_count, doc.evaluation_count) == (
        Status.OK,
        0,
        len(truth["forms"]),
    )
    assert (doc.department, doc.year) == (truth["department"], truth["year"])
    for e, want in zip(result.evaluations, truth["forms"], strict=True):
        assert (e.project_name, e.project_code, e.unit_name, e.department, e.grade) == (
            want["project_name"], want["project_code"], want["unit_name"], want["department"],
            want["grade"])  # fmt: skip
        assert (e.budget_start_yuan, e.budget_yuan, e.spent_yuan, e.amount_unit) == (
            _yuan(want["budget_start"]), _yuan(want["budget"]), _yuan(want["spent"]), "万元")  # fmt: skip
        assert (e.execution_rate_raw, e.execution_score_raw, e.score_raw) == (
            want["execution_rate"], want["execution_score"], want["score"])  # fmt: skip
        assert (_text(e.goal), _text(e.goal_result)) == (
            _text(want["goal"]),
            _text(want["goal_result"]),
        )
        if want.get("funds", {}).get("carryover", {}).get("budget"):
            assert e.carryover_yuan == _yuan(want["funds"]["carryover"]["budget"])
        if name.endswith(".pdf") and want.get("pages"):
            assert e.page == want["pages"][0]


@pytest.mark.parametrize("name", NAMES)
def test_every_indicator(name: str) -> None:
    truth = _truth(name.rsplit(".", 1)[0])
    result = _result(FOLDER / name)
    for seq, want in enumerate(truth["forms"], start=1):
        rows = [i for i in result.evaluation_indicators if i.evaluation_seq == seq]
        got = [(_text(i.level1_raw), _text(i.level2_raw), _text(i.name), _text(i.target.raw),
                i.weight_raw, i.score_raw, _text(i.deviation)) for i in rows]  # fmt: skip
        expected = [(_text(i["level1"]), _text(i["level2"]), _text(i["name"]), _text(i["target"]),
                     i["weight"], i["score"], _text(i["deviation"])) for i in want["indicators"]]  # fmt: skip
        assert got == expected, f"form {seq}"
        for i, w in zip(rows, want["indicators"], strict=True):
            if "actual_value" in w:  # the workbook's result column, apart from the unit
                assert _text(i.actual.raw) == _text(w["actual_value"])
            else:
                assert _text(i.actual.raw) == _text(w["actual"])


def test_the_department_form_gives_no_rows_and_is_named() -> None:
    pdf, docx = _result(FOLDER / "juesuan-2024.pdf"), _result(FOLDER / "juesuan-2024.docx")
    assert pdf.document.tables_skipped == "department_evaluation:7"
    assert docx.document.tables_skipped == "department_evaluation:?"  # Word has no pages
    assert [e.project_name for e in pdf.evaluations] == [e.project_name for e in docx.evaluations]


def test_a_form_cut_by_a_page_break_keeps_its_rows_and_levels() -> None:
    truth = _truth("juesuan-2024")["forms"][0]
    result = _result(FOLDER / "juesuan-2024.pdf")
    rows = [i for i in result.evaluation_indicators if i.evaluation_seq == 1]
    assert sorted({i.page for i in rows}) == truth["pages"] == [3, 4]
    continued = next(i for i in rows if i.page == 4)
    assert (continued.level1_name, continued.level2_name) == ("效益指标", "社会效益指标")


def test_met_where_target_and_result_compare() -> None:
    result = _result(FOLDER / "juesuan-2024.pdf")
    met = {i.name: i.met for i in result.evaluation_indicators}
    missed = next(
        i for i in result.evaluation_indicators if i.target.raw == "≥95%" and i.actual.raw == "90%"
    )
    assert missed.met is False and missed.score is not None and missed.score < (missed.weight or 0)
    dated = next(
        i
        for i in result.evaluation_indicators
        if i.target.date is not None and i.actual.date is not None
    )
    assert dated.met is True  # done on 2024-11-20 against 2024年12月31日前
    assert None in met.values() and True in met.values()  # qualitative targets do not compare
    workbook = _result(FOLDER / "districts-2024.xlsx")
    assert sum(i.met is False for i in workbook.evaluation_indicators) == 2  # the two misses


@pytest.mark.parametrize(("target", "actual", "want"), [
    ("≥50个", "50", True), ("≤90万元", "89.97", True), ("≥90%", "88", False),
    ("≥90", "92%", True),  # one side printed bare: the other's unit
    ("≥95%", "0.96", None),  # a bare fraction against a percentage: not 0.96 %
    ("≥50个", "50人", None), ("效果明显", "达成预期指标", None),
    ("1.2万人", "0.4", None),  # 0.4万人 or 0.4人: the target was scaled from 万
    ("≤396万元", "378.27万", None),  # scaled, with no unit to say what
])  # fmt: skip
def test_a_result_printed_without_its_unit_is_in_the_targets(
    target: str, actual: str, want: bool | None
) -> None:
    assert met(parse_value(target)[0], parse_value(actual)[0]) is want


TOTALS = {  # the rows a list adds under each project / under all of them; the scores wanted
    "none": ([], [], [None, None]),
    "each": ([None, None, None, None, None, None, None, None, None, "得分合计", None, None, 50, 48],
             [None, None, None, None, None, None, None, None, None, "得分合计", None, None, 50, 50],
             ["48", "50"]),
    "grand": ([], [None, "合计", None, 580, 600, 587, None, None, None, None, None, None, 100, 98],
              [None, None]),
}  # fmt: skip


@pytest.mark.parametrize("totals", TOTALS)
def test_a_table_listing_several_projects_gives_one_form_each(tmp_path: Path, totals: str) -> None:
    """A district's list: one header over every project's rows, 项目名称 a column after 序号,
    each project's fields and money on its first row; a 得分合计 row under each project is its
    总分 and the list goes on, a 合计 under all of them is nobody's."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2024年度项目支出绩效自评汇总表"])
    sheet.append(["主管部门：某市某县卫生健康局", None, None, None, None, None, None, None, None,
                  None, None, None, None, None, "单位：万元"])  # fmt: skip
    sheet.append(["序号", "项目名称", "实施单位", "年初预算数", "全年预算数", "全年执行数", "执行率",
                  "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                  "偏差原因分析及改进措施"])  # fmt: skip
    rows = [
        [1, "基本公共卫生服务项目", "县疾控中心", 500, 520, 515, "99.04%", "产出指标", "数量指标", "建档人数", "≥30万人", "31.2万人", 20, 20, ""],
        [None, None, None, None, None, None, None, None, "质量指标", "建档合格率", "≥90%", "88%", 20, 18, "部分档案信息不全"],
        [None, None, None, None, None, None, None, "满意度指标", "服务对象满意度指标", "群众满意度", "≥85%", "90%", 10, 10, ""],
        [2, "家庭医生签约服务", "县卫生院", 80, 80, 72, "90.00%", "产出指标", "数量指标", "签约人数", "≥5万人", "5.3万人", 30, 30, ""],
        [None, None, None, None, None, None, None, "效益指标", "社会效益指标", "重点人群签约率", "≥70%", "72%", 20, 20, ""],
    ]  # fmt: skip
    after_first, after_all, scores = TOTALS[totals]
    for row in [*rows[:3], *([after_first] if after_first else []), *rows[3:]]:
        sheet.append(row)
    if after_all:
        sheet.append(after_all)
    sheet.append(["年度绩效目标", "完成全县基本公共卫生和家庭医生签约服务任务"])
    path = tmp_path / "list.xlsx"
    book.save(path)
    result = _result(path)
    assert result.document.status is Status.OK
    got = [(e.project_name, e.unit_name, e.department, e.budget_yuan, e.spent_yuan, e.execution_rate,
            e.indicator_count) for e in result.evaluations]  # fmt: skip
    assert got == [
        ("基本公共卫生服务项目", "县疾控中心", "某市某县卫生健康局", Decimal("5200000.00"), Decimal("5150000.00"), 99.04, 3),
        ("家庭医生签约服务", "县卫生院", "某市某县卫生健康局", Decimal("800000.00"), Decimal("720000.00"), 90.0, 2),
    ]  # fmt: skip
    assert [e.score_raw for e in result.evaluations] == scores
    second = [i for i in result.evaluation_indicators if i.evaluation_seq == 2]
    assert [(i.level1_raw, i.name, i.met) for i in second] == [
        ("产出指标", "签约人数", True), ("效益指标", "重点人群签约率", True)]  # fmt: skip
    missed = next(i for i in result.evaluation_indicators if i.name == "建档合格率")
    assert (missed.met, missed.deviation) == (False, "部分档案信息不全")


def test_a_cost_is_met_by_spending_less_only_when_it_is_money() -> None:
    from extract.models import Op, TargetValue
    from extract.records.evaluations import met

    wan = TargetValue(op=Op.EQ, value=240.0, unit="万元")
    assert met(wan, TargetValue(op=Op.EQ, value=229.19, unit="万元"), cost=True) is True
    assert met(wan, TargetValue(op=Op.EQ, value=229.19, unit="万元"), cost=False) is False
    rate = TargetValue(op=Op.EQ, value=100.0, unit="%")  # 成本指标 | 资金执行率 100% | 65.37%
    assert met(rate, TargetValue(op=Op.EQ, value=65.37, unit="%"), cost=True) is False
    bound = TargetValue(op=Op.GT, value=23.0, unit="万人次")  # a result restating its bound
    assert met(bound, TargetValue(op=Op.GT, value=23.0, unit="万人次")) is True
    assert met(bound, TargetValue(op=Op.EQ, value=23.0, unit="万人")) is None  # other units


def test_the_fixture_budget_and_its_juesuan_join(tmp_path: Path) -> None:
    """budget-2024 promised, juesuan-2024 reports: every evaluated indicator finds its target
    (24 = 9 + 8 + 7), the budget's extra project and extra indicator stay unmatched."""
    import duckdb

    from extract.output.compact import compact
    from extract.run.pipeline import run_document

    out = tmp_path / "out"
    for name in ("budget-2024.docx", "juesuan-2024.docx"):
        run_document(FOLDER / name, out, settings={"isolate": False})
    compact(out)
    con = duckdb.connect(str(out / "budget.duckdb"), read_only=True)
    rows = con.sql("SELECT project_name, matched_by, target_raw = evaluated_target_raw, met "
                   "FROM evaluation_targets").fetchall()  # fmt: skip
    assert len(rows) == 24 and {r[1] for r in rows} == {"project_name"} and all(r[2] for r in rows)
    counts = dict(
        con.sql("SELECT project_name, count(*) FROM evaluation_targets GROUP BY 1").fetchall()
    )
    assert counts == {"高标准农田建设项目": 9, "动物疫病防控经费": 8, "农产品质量安全监管经费": 7}
    [(missed,)] = con.sql("SELECT name FROM evaluation_targets WHERE met = false").fetchall()
    assert missed == next(i["name"] for f in _truth("juesuan-2024")["forms"]
                          for i in f["indicators"] if i["target"] == "≥95%" and i["actual"] == "90%")  # fmt: skip


@pytest.mark.parametrize(("grid", "status", "code"), [
    (["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"], Status.OK, None),
    (["考核维度", "考核类别", "考核要点", "计划目标", "实际达成", "满分", "实得分"], Status.PARTIAL,
     "evaluation_indicators_not_read"),  # printed, and not read: loud
    (None, Status.OK, "evaluation_without_indicators"),  # a form that prints no grid at all
])  # fmt: skip
def test_an_indicator_grid_printed_and_not_read_is_an_error(
    tmp_path: Path, grid: list[str] | None, status: Status, code: str | None
) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in [
        ["项目支出绩效自评表"], ["项目名称", "社区养老服务补助"], ["主管部门", "某区民政局", "实施单位", "某区养老服务中心"],
        ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "执行率"], ["年度资金总额", 60, 60, 57, "95%"],
        ["年度总体目标", "预期目标", None, "实际完成情况"], [None, "为1200名老人提供服务", None, "服务1260名老人"],
        *([[None, *grid], [None, "产出指标", "数量指标", "服务老人数", "≥1200人", "1260人", 50, 50],
           [None, "满意度指标", "服务对象满意度指标", "老人满意度", "≥90%", "94%", 50, 50]] if grid else []),
    ]:  # fmt: skip
        sheet.append(row)
    book.save(path := tmp_path / "form.xlsx")
    result = _result(path)
    assert result.document.status is status and len(result.evaluations) == 1
    assert [i.code for i in result.issues if i.severity != "info"] == ([code] if code else [])
    assert result.evaluations[0].indicator_count == (2 if code is None else 0)
