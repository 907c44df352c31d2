"""Text disclosures: encodings, line ends, wrapped cells, page breaks."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from _paths import SEED

from extract.errors import ExtractionError
from extract.read.base import RawTable, TextLine
from extract.read.txt import decode_text, extract_txt
from extract.settings import Settings

HEADER = "项目名称（资金使用单位）\t总计\t财政拨款\t财政专户拨款\t其他资金\t绩效目标\t绩效指标"


@pytest.mark.parametrize(
    ("encode", "expected"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
        (lambda t: t.encode("gb18030"), "gb18030"),
        (lambda t: t.encode("gbk"), "gb18030"),
        (lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "utf-16"),
    ],
)
def test_decoding_never_mojibake(encode, expected: str) -> None:  # type: ignore[no-untyped-def]
    text = "部门名称：广州市花都区人民政府办公室\n≥100人次；实施周期指标值"
    decoded, encoding = decode_text(encode(text))
    assert decoded.lstrip("\ufeff") == text
    assert encoding == expected


def test_undecodable_bytes_raise_a_clear_error() -> None:
    with pytest.raises(ExtractionError, match="neither UTF-8 nor GB18030"):
        decode_text(b"\x81\x30\x81" + b"\xff" * 10)


def _tables(path: Path) -> list[RawTable]:
    return extract_txt(path, Settings()).tables


def test_seed_is_one_table_of_eleven_rows() -> None:
    doc = extract_txt(SEED, Settings())
    [table] = doc.tables
    assert len(table.rows) == 12  # header, 合计, unit row, 9 projects
    assert all(len(r.cells) == 7 for r in table.rows)
    lines = [b.text for b in doc.blocks if isinstance(b, TextLine)]
    assert lines[:3] == [
        "项目支出绩效目标表（含转移支付项目）",
        "部门名称：广州市花都区人民政府办公室",
        "单位：万元",
    ]


def test_cell_wrapped_onto_its_own_line_is_joined(tmp_path: Path) -> None:
    path = tmp_path / "wrapped.txt"
    path.write_text(
        f"{HEADER}\n合计\t5.00\t5.00\t\t\t\t\n"
        "项目甲\t5.00\t5.00\t\t\t提升服务\t1、1-产出指标；11-数量指标；培训；实施周期指标值:≥3\n"
        "次；年度指标值:≥3次。\n",
        encoding="utf-8",
    )
    [table] = _tables(path)
    assert len(table.rows) == 3
    assert table.rows[2].cells[6].endswith("实施周期指标值:≥3次；年度指标值:≥3次。")


def test_row_broken_mid_cell_with_the_rest_of_the_row(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    path.write_text(
        f"{HEADER}\n项目甲\t5.00\t5.00\t\t\t提升\n服务水平\t1、1-产出指标；11-数量指标；a；年度指标值:1。\n",
        encoding="utf-8",
    )
    [table] = _tables(path)
    assert table.rows[1].cells[5] == "提升服务水平"
    assert len(table.rows[1].cells) == 7


def test_blank_lines_and_page_numbers_do_not_split_the_table(tmp_path: Path) -> None:
    path = tmp_path / "pages.txt"
    path.write_text(
        f"{HEADER}\n合计\t1\t1\t\t\t\t\n\n- 2 -\n\n项目乙\t1\t1\t\t\tg\tx\n", encoding="utf-8"
    )
    [table] = _tables(path)
    assert [r.cells[0] for r in table.rows] == ["项目名称（资金使用单位）", "合计", "项目乙"]


def test_form_feeds_number_the_pages(tmp_path: Path) -> None:
    path = tmp_path / "ff.txt"
    path.write_text(
        f"标题\n{HEADER}\n合计\t1\t1\t\t\t\t\n\f项目乙\t1\t1\t\t\tg\tx\n", encoding="utf-8"
    )
    doc = extract_txt(path, Settings())
    assert doc.page_count == 2
    assert [r.page for r in doc.tables[0].rows] == [1, 1, 2]


def test_clean_cell_joins_lines_and_drops_spaces_between_cjk() -> None:
    from extract.values.textnorm import clean_cell

    assert clean_cell("年 度 指 标值:≥200 人") == "年度指标值:≥200人"
    assert clean_cell("4,100,000.\n00") == "4,100,000.00"
    assert clean_cell("服务对象满意\n度指标") == "服务对象满意度指标"
    assert clean_cell("Hello\nworld") == "Hello world"
    assert clean_cell(None) is None and clean_cell("") == ""
