"""Templates we have not seen (issue #21): a form named only by its caption, amounts printed
with their unit, and no silent loss: a grid that carries an indicator table but is not read
makes the document ``partial`` with an ``error`` issue ``table_not_read``, never ``no_table``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from extract import extract_document
from extract.cli import main
from extract.enums import Format, Status
from extract.harvest.records import ExtractRecord
from extract.harvest.summary import results_to_summary, summary_to_markdown
from extract.layouts.drafts import IndicatorDraft
from extract.locate.forms import caption_name
from extract.models import Document, DocumentResult
from extract.read.base import Block, ExtractedDocument, RawRow, RawTable, TextLine
from extract.records.assemble import extracted_to_result
from extract.records.build import split_unit_code
from extract.records.targets import parse_target
from extract.settings import Settings

GRID = ["一级指标", "二级指标", "三级指标", "目标值"]
INDICATORS = [
    ["产出指标", "数量指标", "监测点位数", "≥20个"],
    ["效益指标", "社会效益指标", "空气质量优良率", "≥85%"],
    ["满意度指标", "服务对象满意度指标", "群众满意率", "满意率95%"],
]


def _form(money: list[list[str | None]], page: int) -> RawTable:
    rows = [*money, ["年度目标", "完成年度环境监测任务", None, None], GRID, *INDICATORS]
    return RawTable(rows=[RawRow(cells=list(r), page=page) for r in rows], page=page)


def _result(blocks: list[Block]) -> DocumentResult:
    extracted = ExtractedDocument(format=Format.PDF, blocks=blocks, page_count=10)
    doc = Document(doc_id="x" * 64, source="t.pdf", file_name="t.pdf", size_bytes=1,
                   format="pdf", status=Status.FAILED, extracted_at=dt.datetime.now(dt.UTC),
                   extractor_version="test")  # fmt: skip
    return extracted_to_result(doc, extracted, Settings())


MONEY = [["资金总额（万元）", "280.7万元", "财政拨款", "280.7万元"], ["其他资金", "", None, None]]


def test_a_form_without_a_name_field_is_named_by_its_caption() -> None:
    result = _result([
        TextLine("某市生态环境局2026年部门预算", 1),
        TextLine("市级环境监测项目绩效目标表", 3), _form(MONEY, 3),
        TextLine("大气污染防治专项资金绩效目标表", 4),
        _form([["资金总额", "50"], ["财政拨款", "50"]], 4),
    ])  # fmt: skip
    assert result.document.status is Status.OK
    names = [p.project_name for p in result.projects]
    assert names == ["市级环境监测", "大气污染防治专项资金"]
    first = result.projects[0]
    assert first.total_yuan == Decimal("2807000.00")  # the unit printed in the cell
    assert first.unit_name == "某市生态环境局"  # no 实施单位: the department, as in rows
    values = [(i.annual.op, i.annual.value, i.annual.unit) for i in result.indicators[:3]]
    assert values[2] == ("=", 100 * 0.95, "%")


def test_a_cell_unit_that_differs_from_the_table_unit_wins_with_a_note() -> None:
    result = _result([
        TextLine("单位：元", 2), TextLine("道路养护项目绩效目标表", 2),
        _form([["资金总额", "12.5万元"], ["财政拨款", "125000"]], 2),
    ])  # fmt: skip
    project = result.projects[0]
    assert (project.total_yuan, project.fiscal_yuan) == (Decimal("125000.00"), Decimal("125000.00"))
    assert "amount_unit_in_cell" in {i.code for i in result.issues}


def test_an_indicator_grid_nobody_reads_is_a_loud_partial() -> None:
    # a money block and an indicator grid, but no name field and no caption naming a project
    result = _result([TextLine("附件", 5), _form(MONEY, 5), _form(MONEY, 6)])
    assert result.document.status is Status.PARTIAL
    assert result.projects == []
    unread = [i for i in result.issues if i.code == "table_not_read"]
    assert len(unread) == 1 and unread[0].severity.value == "error"
    assert "pages 5-6" in unread[0].message and result.document.error == unread[0].message


@pytest.mark.parametrize(
    ("title", "rows"),
    [
        ("部门整体支出绩效目标表", [["部门名称", "某局"], GRID, *INDICATORS]),
        ("项目支出绩效目标表", [["项目名称", "", None, None], ["资金总额", "", None, None],
                           GRID, ["产出指标", "数量指标", "", ""], ["效益指标", "", "", ""]]),
    ],
    ids=["department", "printed-empty"],
)  # fmt: skip
def test_other_kinds_of_indicator_tables_are_no_loss(title: str, rows: list[list[str]]) -> None:
    table = RawTable(rows=[RawRow(cells=list(r), page=2) for r in rows], page=2)
    result = _result([TextLine(title, 2), table])
    assert result.document.status is Status.NO_TABLE
    assert "table_not_read" not in {i.code for i in result.issues}
    assert result.document.tables_skipped


def test_a_self_evaluation_grid_under_its_title_is_read_as_one_not_as_targets() -> None:
    """Results (实际完成值, 得分) under a 绩效自评表 title: a self-evaluation form of its own
    (issue #24), never target projects and never a table printed and not read."""
    rows = [
        ["一级指标", "二级指标", "三级指标", "实际完成值", "得分"],
        ["产出指标", "数量指标", "点位", "20", "10"],
    ]
    table = RawTable(rows=[RawRow(cells=list(r), page=2) for r in rows], page=2)
    result = _result([TextLine("项目支出绩效自评表", 2), table])
    assert (result.document.status, result.projects) == (Status.OK, [])
    assert [(i.name, i.actual.raw, i.score) for i in result.evaluation_indicators] == [
        ("点位", "20", 10.0)
    ]
    assert "table_not_read" not in {i.code for i in result.issues}


def test_caption_names() -> None:
    assert caption_name("附表3：道路养护项目绩效目标申报表") == "道路养护"
    assert caption_name("2026年城市管理专项资金绩效目标表") == "城市管理专项资金"
    assert caption_name("项目支出绩效目标表") is None  # a table's title, not a project's
    assert caption_name("一般公共预算支出表") is None


@pytest.mark.parametrize(
    ("printed", "code", "name"),
    [("105001长春市信访局", "105001", "长春市信访局"), (".长春市信访局", None, "长春市信访局"),
     ("105001-长春市信访局", "105001", "长春市信访局"), ("2026年度某局", None, "2026年度某局")],
)  # fmt: skip
def test_a_unit_code_goes_to_its_column_and_stray_marks_are_dropped(
    printed: str, code: str | None, name: str
) -> None:
    assert split_unit_code(printed) == (code, name)


@pytest.mark.parametrize(
    ("level1", "level2", "expected"),
    [("成本指标", "经济成本指标", (49.0, "万元")), ("产出指标", "数量指标", (49.0, "万"))],
)
def test_a_bare_wan_unit_is_never_multiplied(
    level1: str, level2: str, expected: tuple[float, str]
) -> None:
    draft = IndicatorDraft(level1, level2, "维修维护费", None, "49", unit_suffix="万",
                           extras={"nature": "≤"})  # fmt: skip
    value, _ = parse_target("49", draft, 2026)
    assert (value.op, value.value, value.unit) == ("<=", *expected)


def _unknown_template_docx(path: Path) -> Path:
    """A .docx printing a money block and an indicator grid under no caption and no name."""
    doc = docx.Document()
    doc.add_paragraph("附件")
    rows = [["资金总额（万元）", "50", "财政拨款", "50"], GRID, *INDICATORS]
    table = doc.add_table(rows=len(rows), cols=4)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value or ""
    doc.save(str(path))
    return path


def test_the_run_summary_counts_tables_printed_but_not_read(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = _unknown_template_docx(tmp_path / "unknown.docx")
    assert main(["run", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("partial") and "table_not_read" not in captured.out
    assert "carry an indicator table" in captured.out  # the document's error, printed
    assert "1 with a table printed but not read (partial)" in captured.err
    result = extract_document(path, settings={"isolate": False})
    assert result.document.tables_not_read == "?"  # .docx has no pages


def test_the_harvest_summary_lists_tables_printed_but_not_read() -> None:
    record = ExtractRecord(url="http://x/a.pdf", sha256="a" * 64, status="partial",
                           tables_not_read="5-6", error="pages 5-6 carry an indicator table")  # fmt: skip
    summary = results_to_summary([], [], [record])
    assert [f.url for f in summary.tables_not_read] == ["http://x/a.pdf"]
    text = summary_to_markdown(summary)
    assert "Tables printed but not read: 1 document(s)" in text and "pages 5-6" in text


def test_a_table_printed_without_rules_is_a_loss_said_loudly_but_a_glossary_is_not() -> None:
    header = "项目名称（资金使用单位）总计财政拨款其他资金绩效目标绩效指标"
    glossary = [
        "10.实施周期指标值：指项目在整个实施周期内预期达到的绩效",
        "指标值；年度指标值指…。",
    ]
    borderless = _result([TextLine("2024年项目支出绩效目标表", 3), TextLine(header, 3),
                          TextLine("食品安全抽检1,280.00 1,200.00 1、1-产出指标；", 3)])  # fmt: skip
    assert borderless.document.status is Status.PARTIAL
    assert borderless.document.tables_not_read == "3"
    prose = _result([TextLine(line, 9) for line in glossary])
    assert prose.document.status is Status.NO_TABLE and prose.document.tables_not_read is None
    department = _result([TextLine("部门整体支出绩效目标表", 4),
                          TextLine("一级指标二级指标三级指标指标值", 4)])  # fmt: skip
    assert department.document.status is Status.NO_TABLE


def test_a_form_whose_money_labels_are_words_of_its_own_is_still_a_form() -> None:
    # 项目申报资金 is in no vocabulary: it names money (资金) beside an amount
    result = _result([
        TextLine("附表", 2),
        RawTable(rows=[RawRow(cells=list(r), page=2) for r in [
            ["项目名称", "河道保洁", None, None], ["项目申报资金", "120.5", None, None],
            ["年度目标", "河道保洁全覆盖", None, None], GRID, *INDICATORS]], page=2),
    ])  # fmt: skip
    assert [p.project_name for p in result.projects] == ["河道保洁"]
    assert result.projects[0].total_yuan is None  # the amount's role is not known: null, not 0
    assert len(result.indicators) == 3
