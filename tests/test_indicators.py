"""Packed 绩效指标 cells split into items (SPEC §2 packed)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extract.values.packed import split_packed

SEED_CELL = (
    "1、1-产出指标；11-数量指标；全年计划因公出国（境）团组批次；实施周期指标值:≥3；年度指标值:≥3。"
    "2、2-效益指标；22-社会效益；加强对外交流，提升花都区国际形象；"
    "实施周期指标值:加强了对外交流，显著提升花都区国际形象；年度指标值:加强了对外交流，显著提升花都区国际形象。"
)


def test_seed_cell_gives_two_items_with_both_targets() -> None:
    items = split_packed(SEED_CELL)
    assert items is not None and len(items) == 2
    first, second = items
    assert (first.level1, first.level2, first.name) == (
        "1-产出指标",
        "11-数量指标",
        "全年计划因公出国（境）团组批次",
    )
    assert (first.period, first.annual) == ("≥3", "≥3")
    assert second.level2 == "22-社会效益"
    assert second.annual == "加强了对外交流，显著提升花都区国际形象"


def test_values_holding_semicolons_and_stops_stay_whole() -> None:
    cell = (
        "1、1-产出指标；12-质量指标；验收合格率；实施周期指标值:合格。达标；优良；"
        "年度指标值:100%。2、3-满意度指标；31-服务对象满意度；满意度；实施周期指标值:≥90%；年度指标值:≥90%。"
    )
    items = split_packed(cell)
    assert items is not None and [i.name for i in items] == ["验收合格率", "满意度"]
    assert items[0].period == "合格。达标；优良"


def test_numbers_inside_text_do_not_start_items() -> None:
    cell = (
        "1、1-产出指标；11-数量指标；完成2、3号楼改造；实施周期指标值:2栋；年度指标值:2栋。"
        "2、1-产出指标；13-时效指标；完成时间；实施周期指标值:年底前；年度指标值:年底前。"
    )
    items = split_packed(cell)
    assert items is not None and [i.name for i in items] == ["完成2、3号楼改造", "完成时间"]


def test_ascii_separators_and_full_width_colons() -> None:
    cell = "1、产出指标;数量指标;培训人次;实施周期指标值：≥100人次;年度指标值：≥50人次。"
    items = split_packed(cell)
    assert items is not None
    assert (items[0].level1, items[0].level2, items[0].period, items[0].annual) == (
        "产出指标",
        "数量指标",
        "≥100人次",
        "≥50人次",
    )


def test_only_annual_label() -> None:
    items = split_packed("1、1-产出指标；11-数量指标；场次；指标值:≥3场。")
    assert items is not None and (items[0].period, items[0].annual) == (None, "≥3场")


def test_cell_without_items_is_none() -> None:
    assert split_packed("详见附件") is None


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("1234、-；;:：。产出指标数量年度实施周期值≥% ")), max_size=80))
def test_never_raises(text: str) -> None:
    items = split_packed(text)
    assert items is None or all(isinstance(i.name, str) for i in items)


def test_item_without_value_labels_keeps_its_name() -> None:
    items = split_packed("1、1-产出指标；11-数量指标；培训场次≥3场。")
    assert items is not None and items[0].name == "培训场次≥3场"
    assert (items[0].period, items[0].annual) == (None, None)


def test_bracketed_numbers_comma_separators_and_levels_without_codes() -> None:
    cell = ("（1）产出指标，数量指标，培训人次，年度指标值：≥100人次。"
            "（2）满意度指标，服务对象满意度，满意度，年度指标值：≥90%")  # fmt: skip
    items = split_packed(cell)
    assert items is not None
    assert [(i.level1, i.level2, i.name, i.annual) for i in items] == [
        ("产出指标", "数量指标", "培训人次", "≥100人次"),
        ("满意度指标", "服务对象满意度", "满意度", "≥90%"),
    ]


def test_numbering_that_restarts_inside_a_cell_goes_on() -> None:
    cell = ("1.1-产出指标；11-数量指标；场次；年度指标值:≥3场。2.1-产出指标；13-时效指标；完成时间；"
            "年度指标值:12月底前。1.2-效益指标；22-社会效益指标；覆盖人群；年度指标值:≥500人")  # fmt: skip
    items = split_packed(cell)
    assert items is not None
    assert [i.name for i in items] == ["场次", "完成时间", "覆盖人群"]
    assert items[2].level1 == "2-效益指标" and items[2].annual == "≥500人"
