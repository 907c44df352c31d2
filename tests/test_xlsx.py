"""Excel .xlsx workbooks: merged ranges, number formats, the same rows as the other formats."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from _paths import SEED

from extract.models import Status
from extract.read.txt import extract_txt
from extract.read.xlsx import cell_text
from extract.run.pipeline import extract_document
from extract.settings import Settings


def _seed_workbook(path: Path) -> None:
    """The seed's table laid out as offices do in Excel: a merged title over the columns,
    the 部门名称 and 单位 lines, amounts as numbers with two decimals."""
    doc = extract_txt(SEED, Settings())
    [table] = doc.tables
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["项目支出绩效目标表（含转移支付项目）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=7)
    sheet.append(["部门名称：广州市花都区人民政府办公室"])
    sheet.append(["单位：万元"])
    for row in table.rows:
        values: list[object] = []
        for n, cell in enumerate(row.cells):
            numeric = n in (1, 2) and cell and cell.replace(".", "").isdigit()
            values.append(float(cell) if numeric else (cell or None))
        sheet.append(values)
    for row in sheet.iter_rows(min_row=5, min_col=2, max_col=3):
        for cell in row:
            cell.number_format = "0.00"
    book.save(path)


def test_seed_as_xlsx_gives_the_seed_rows(tmp_path: Path) -> None:
    path = tmp_path / "seed.xlsx"
    _seed_workbook(path)
    xlsx, txt = extract_document(path), extract_document(SEED)
    assert xlsx.document.status is Status.OK and xlsx.document.format == "xlsx"
    assert (xlsx.document.title, xlsx.document.department) == (
        txt.document.title,
        txt.document.department,
    )
    drop = {"doc_id", "page"}
    assert [p.model_dump(exclude=drop) for p in xlsx.projects] == [
        p.model_dump(exclude=drop) for p in txt.projects
    ]
    assert [i.model_dump(exclude=drop) for i in xlsx.indicators] == [
        i.model_dump(exclude=drop) for i in txt.indicators
    ]


def test_merged_rows_layout(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["某区教育局2025年项目支出绩效目标表"])
    sheet.append(
        ["项目名称", "资金总额（万元）", "绩效目标", "一级指标", "二级指标", "三级指标", "指标值"]
    )
    sheet.append(
        ["学生资助", 50, "保障困难学生就学", "产出指标", "数量指标", "资助人数", "≥500人次"]
    )
    sheet.append([None, None, None, None, "质量指标", "资助准确率", 1])
    sheet.append([None, None, None, "满意度指标", "服务对象满意度指标", "家长满意度", 0.95])
    sheet["G4"].number_format = "0%"
    sheet["G5"].number_format = "0%"
    for col in "ABC":
        sheet.merge_cells(f"{col}3:{col}5")
    sheet.merge_cells("D3:D4")
    path = tmp_path / "rows.xlsx"
    book.save(path)
    result = extract_document(path)
    assert result.document.layout is not None and result.document.layout.value == "rows"
    [project] = result.projects
    assert (project.project_name, str(project.total_yuan), project.goal) == (
        "学生资助",
        "500000.00",
        "保障困难学生就学",
    )
    assert [(i.level1_name, i.level2_name, i.annual.raw) for i in result.indicators] == [
        ("产出指标", "数量指标", "≥500人次"),
        ("产出指标", "质量指标", "100%"),
        ("满意度指标", "服务对象满意度指标", "95%"),
    ]
    assert result.document.department == "某区教育局"


def test_cell_text_follows_the_number_format() -> None:
    assert cell_text(0.95, "0%") == "95%"
    assert cell_text(1, "0%") == "100%"
    assert cell_text(310.02, "#,##0.00") == "310.02"
    assert cell_text(60.0, "0.00") == "60.00"
    assert cell_text(None, "General") == ""
