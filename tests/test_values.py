"""The value grammar, SPEC §3: every form it lists, and it never raises."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.models import Op
from extract.values.parse import parse_value

CASES = [
    # (raw, op, value, value_max, unit)
    ("≥3", Op.GE, 3, None, None),
    ("100%", Op.EQ, 100, None, "%"),
    ("100％", Op.EQ, 100, None, "%"),
    ("<3人", Op.LT, 3, None, "人"),
    ("＜3人", Op.LT, 3, None, "人"),
    ("≤2人", Op.LE, 2, None, "人"),
    ("≥100人次", Op.GE, 100, None, "人次"),
    (">=95%", Op.GE, 95, None, "%"),
    ("≧90%", Op.GE, 90, None, "%"),
    ("≦5天", Op.LE, 5, None, "天"),
    ("大于等于90%", Op.GE, 90, None, "%"),
    ("不低于95%", Op.GE, 95, None, "%"),
    ("不少于10次", Op.GE, 10, None, "次"),
    ("不小于3个", Op.GE, 3, None, "个"),
    ("至少2场", Op.GE, 2, None, "场"),
    ("3人以上", Op.GE, 3, None, "人"),
    ("95分及以上", Op.GE, 95, None, "分"),
    (">80%", Op.GT, 80, None, "%"),
    ("大于80%", Op.GT, 80, None, "%"),
    ("高于上年", None, None, None, None),
    ("超过5000人次", Op.GT, 5000, None, "人次"),
    ("多于3家", Op.GT, 3, None, "家"),
    ("小于等于5%", Op.LE, 5, None, "%"),
    ("不高于3%", Op.LE, 3, None, "%"),
    ("不超过100万元", Op.LE, 100, None, "万元"),
    ("不多于2起", Op.LE, 2, None, "起"),
    ("不大于1%", Op.LE, 1, None, "%"),
    ("最多3次", Op.LE, 3, None, "次"),
    ("5个工作日以内", Op.LE, 5, None, "个工作日"),
    ("30天之内", Op.LE, 30, None, "天"),
    ("10%以下", Op.LE, 10, None, "%"),
    ("控制在5%以内", Op.LE, 5, None, "%"),
    ("小于3人", Op.LT, 3, None, "人"),
    ("低于5%", Op.LT, 5, None, "%"),
    ("少于3次", Op.LT, 3, None, "次"),
    ("=100.00(%)", Op.EQ, 100, None, "%"),
    ("等于1", Op.EQ, 1, None, None),
    ("10辆", Op.EQ, 10, None, "辆"),
    ("3-5个", Op.RANGE, 3, 5, "个"),
    ("3～5个", Op.RANGE, 3, 5, "个"),
    ("3~5个", Op.RANGE, 3, 5, "个"),
    ("3—5个", Op.RANGE, 3, 5, "个"),
    ("3至5个", Op.RANGE, 3, 5, "个"),
    ("3到5个", Op.RANGE, 3, 5, "个"),
    ("90%-100%", Op.RANGE, 90, 100, "%"),
    ("90-100%", Op.RANGE, 90, 100, "%"),
    ("≥13459.00(平方米)", Op.GE, 13459, None, "平方米"),
    ("≥13459.00平方米", Op.GE, 13459, None, "平方米"),
    ("≥13,459.00㎡", Op.GE, 13459, None, "㎡"),
    ("0.5万人次", Op.EQ, 5000, None, "人次"),
    ("10万元", Op.EQ, 10, None, "万元"),
    ("1.2亿元", Op.EQ, 1.2, None, "亿元"),
    ("≤500元/人", Op.LE, 500, None, "元/人"),
    ("12公里", Op.EQ, 12, None, "公里"),
    ("3000亩", Op.EQ, 3000, None, "亩"),
    ("24小时", Op.EQ, 24, None, "小时"),
    ("30分钟", Op.EQ, 30, None, "分钟"),
    ("十二次", Op.EQ, 12, None, "次"),
    ("一百人", Op.EQ, 100, None, "人"),
    ("两个", Op.EQ, 2, None, "个"),
    ("≥１００人", Op.GE, 100, None, "人"),
    ("100%。", Op.EQ, 100, None, "%"),
    ("≥3；", Op.GE, 3, None, None),
    ("≥4\n篇", Op.GE, 4, None, "篇"),
    ("1,234", Op.EQ, 1234, None, None),
    # forms as published (issue #11)
    ("≥325人、户", Op.GE, 325, None, "人、户"),
    ("=710元/人月", Op.EQ, 710, None, "元/人月"),
    ("≤180元/人.天", Op.LE, 180, None, "元/人.天"),
    ("（≤10万元）", Op.LE, 10, None, "万元"),
    ("(=100%)", Op.EQ, 100, None, "%"),
    ("2元/吨（最高不超过2000万元/年）", Op.EQ, 2, None, "元/吨"),
    ("≤半小时", Op.LE, 0.5, None, "小时"),
    ("≤资金下达后2日", Op.LE, 2, None, "日"),
    ("连续24小时内接通的来电数量与来电总量的比率≥95%", Op.GE, 95, None, "%"),
    ("7个工作日或按双方协商 ≤60天", Op.EQ, 7, None, "个工作日"),
    ("小雪：4小时；中雪：12小时", Op.EQ, 4, None, "小时"),
    ("17839 平方米；每天 3000 人次", Op.EQ, 17839, None, "平方米"),
    ("6500元/人、月，财政承担80%", Op.EQ, 6500, None, "元/人、月"),
    ("在20个工作日内每月向社会公示3个工作日", Op.LE, 20, None, "个工作日"),
    ("每秒200人", Op.EQ, 200, None, "人/秒"),
    ("降雪期间，至少确保1 条车道畅通；雪停后，时限内完成", Op.GE, 1, None, "条"),
    ("≥50＊50", Op.GE, None, None, None),  # a size: the operator, the numbers stay in raw
]


@pytest.mark.parametrize(("raw", "op", "value", "value_max", "unit"), CASES)
def test_quantitative_forms(raw: str, op: Op | None, value: float | None,
                            value_max: float | None, unit: str | None) -> None:  # fmt: skip
    parsed, _ = parse_value(raw)
    assert (parsed.op, parsed.value, parsed.value_max, parsed.unit) == (op, value, value_max, unit)
    assert parsed.raw == raw


def test_inclusive_and_exclusive_stay_apart() -> None:
    assert parse_value("≤2人")[0].op is Op.LE
    assert parse_value("<3人")[0].op is Op.LT


@pytest.mark.parametrize("raw", ["约100人", "100人左右", "大约100人"])
def test_approximate_keeps_number_and_flags(raw: str) -> None:
    parsed, _ = parse_value(raw)
    assert (parsed.value, parsed.unit, parsed.approximate) == (100, "人", True)


@pytest.mark.parametrize(
    ("raw", "date"),
    [
        ("2025年12月31日前", dt.date(2025, 12, 31)),
        ("2024年6月底前", dt.date(2024, 6, 30)),
        ("2024年底前", dt.date(2024, 12, 31)),
        ("年底前", dt.date(2024, 12, 31)),
        ("年内", dt.date(2024, 12, 31)),
        ("12月底前", dt.date(2024, 12, 31)),
        ("2025.3.31前", dt.date(2025, 3, 31)),
        ("9月底", dt.date(2024, 9, 30)),
        ("2024年全年", dt.date(2024, 12, 31)),
        ("当年度", dt.date(2024, 12, 31)),
        ("次年1月底前完成", dt.date(2025, 1, 31)),
        ("2024年1月1日至2024年12月31日", dt.date(2024, 12, 31)),
        ("2022.6.1-2023.5.31", dt.date(2023, 5, 31)),
        ("1-4季度", dt.date(2024, 12, 31)),
        ("第一至三季度", dt.date(2024, 9, 30)),
    ],
)
def test_deadlines(raw: str, date: dt.date) -> None:
    parsed, _ = parse_value(raw, year=2024)
    assert (parsed.op, parsed.value, parsed.unit, parsed.qualitative) == (Op.LE, None, None, False)
    assert parsed.date == date
    assert parsed.raw == raw


def test_deadline_without_year_keeps_op_but_no_date() -> None:
    parsed, _ = parse_value("年底前")
    assert parsed.op is Op.LE and parsed.date is None


def test_date_period_is_not_a_range() -> None:
    parsed, _ = parse_value("2023.07-2024.01")
    assert parsed.op is not Op.RANGE and parsed.value is None
    assert parsed.date == dt.date(2024, 1, 31)


@pytest.mark.parametrize(
    "raw", ["显著提升", "有效保障单位正常运转", "合规", "是", "及时率",
            "加强了对外交流，显著提升花都区国际形象"],
)  # fmt: skip
def test_qualitative(raw: str) -> None:
    parsed, warnings = parse_value(raw)
    assert parsed.qualitative is True
    assert (parsed.op, parsed.value) == (None, None)
    assert parsed.raw == raw and warnings == []


@pytest.mark.parametrize("raw", ["无", "空", "—", "-", "/", "／", "XX", "不适用", "", "  ", None])
def test_placeholders_have_no_value(raw: str | None) -> None:
    parsed, _ = parse_value(raw)
    assert (parsed.op, parsed.value, parsed.qualitative) == (None, None, False)
    assert parsed.raw == raw


def test_typo_operator_is_read_and_warned() -> None:
    parsed, warnings = parse_value("》92%")
    assert (parsed.op, parsed.value) == (Op.GE, 92)
    assert [w.code for w in warnings] == ["operator_typo"]


def test_cid_glyphs_are_never_data() -> None:
    parsed, warnings = parse_value("(cid:123)(cid:45)")
    assert parsed.value is None and parsed.qualitative is False
    assert [w.code for w in warnings] == ["cid_glyphs"]


def test_number_in_unknown_form_warns() -> None:
    parsed, warnings = parse_value("完成24小时值班值守工作")
    assert parsed.value is None and parsed.qualitative is True
    assert [w.code for w in warnings] == ["value_unparsed"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    parsed, warnings = parse_value(text, year=2024)
    assert parsed.raw == text
    assert all(w.code for w in warnings)


VALUE_ALPHABET = st.sampled_from(
    list("0123456789.,%-~至≥≤<>=人次个万元年月日前底约以上内（）() 十二两")
)


@settings(max_examples=300, deadline=None)
@given(st.text(VALUE_ALPHABET, max_size=16))
def test_never_raises_on_value_like_text(text: str) -> None:
    parsed, _ = parse_value(text, year=2024)
    if parsed.op is Op.RANGE:
        assert parsed.value is not None and parsed.value_max is not None


def test_a_month_count_is_not_a_deadline() -> None:
    assert parse_value("≤12月", year=2024)[0].model_dump(include={"op", "value", "unit", "date"}) \
        == {"op": Op.LE, "value": 12, "unit": "月", "date": None}  # fmt: skip


def test_a_sentence_without_a_known_form_stays_text() -> None:
    parsed, warnings = parse_value("优或良")
    assert parsed.qualitative and parsed.op is None and not warnings


def test_a_relative_deadline_has_no_date() -> None:
    parsed, _ = parse_value("每季度末，次月20日之前", year=2024)
    assert (parsed.op, parsed.date, parsed.qualitative) == (Op.LE, None, False)


def test_a_target_after_a_word_is_read_and_the_rest_flagged() -> None:
    parsed, warnings = parse_value("项目完成率100%，且不低于去年")
    assert (parsed.op, parsed.value, parsed.unit) == (Op.EQ, 100, "%")
    assert [w.code for w in warnings] == ["multiple_values"]


@pytest.mark.parametrize(
    ("raw", "op", "value", "unit"),
    [("可控性100%", Op.EQ, 100, "%"), ("满意率≥95%", Op.GE, 95, "%"),
     ("3个月内", Op.LE, 3, "个月"), ("≤37微克/立方米", Op.LE, 37, "微克/立方米"),
     ("3万元/蒸吨", Op.EQ, 3, "万元/蒸吨")],
)  # fmt: skip
def test_targets_written_after_a_word_or_with_a_ratio_unit(
    raw: str, op: Op, value: float, unit: str
) -> None:
    parsed, _ = parse_value(raw)
    assert (parsed.op, parsed.value, parsed.unit, parsed.qualitative) == (op, value, unit, False)


def test_a_number_of_no_known_form_first_is_not_a_list_of_targets() -> None:
    parsed, _ = parse_value("全年366天实时监测，不少于3次")
    assert parsed.qualitative and parsed.op is None


@pytest.mark.parametrize(
    ("raw", "op", "value", "unit"),
    [("723个（台、套、件、辆）", Op.EQ, 723, "个(台、套、件、辆)"),
     ("≤0.5小时响应，2小时到达故障现场", Op.LE, 0.5, "小时"),
     ("27套仪器设备，1套软件平台", Op.EQ, 27, "套"), ("1800平方千米", Op.EQ, 1800, "平方千米")],
)  # fmt: skip
def test_alternatives_in_a_unit_and_quantities_in_a_list(
    raw: str, op: Op, value: float, unit: str
) -> None:
    parsed, _ = parse_value(raw)
    assert (parsed.op, parsed.value, parsed.unit) == (op, value, unit)
