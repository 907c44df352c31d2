"""Legacy Excel .xls and WPS .et workbooks: the same rows as their .xlsx twins."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from _paths import ROOT

from extract.enums import Format
from extract.models import Status
from extract.read.sniff import sniff_path
from extract.read.xls import extract_xls
from extract.run.pipeline import extract_document
from extract.settings import Settings

SHEETS = ROOT / "fixtures" / "sheets"
NAMES = ("rows-merged", "packed", "form-units")
DROP = {"doc_id", "page"}


def _rows(path: Path) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    result = extract_document(path)
    assert result.document.status is Status.OK, result.document.error
    return (
        [p.model_dump(exclude=DROP) for p in result.projects],
        [i.model_dump(exclude=DROP) for i in result.indicators],
    )


@pytest.mark.parametrize("suffix", [".xls", ".et"])
@pytest.mark.parametrize("name", NAMES)
def test_legacy_workbook_gives_the_rows_of_its_xlsx_twin(name: str, suffix: str) -> None:
    projects, indicators = _rows(SHEETS / f"{name}.xlsx")
    assert projects and indicators
    assert _rows(SHEETS / f"{name}{suffix}") == (projects, indicators)


def test_the_format_is_sniffed_from_the_bytes(tmp_path: Path) -> None:
    renamed = tmp_path / "budget.doc"  # an .xls under a Word name is still read as a workbook
    shutil.copyfile(SHEETS / "packed.xls", renamed)
    assert sniff_path(renamed) is Format.XLS
    result = extract_document(renamed)
    assert (result.document.format, result.document.status) == ("xls", Status.OK)


def test_merged_ranges_and_number_formats_come_out_as_shown() -> None:
    doc = extract_xls(SHEETS / "rows-merged.xls", Settings())
    [table] = doc.tables
    grid = [row.cells for row in table.rows]
    # a vertically merged project name: its text once, the positions below it None
    first = next(r for r, cells in enumerate(grid) if cells[0] and "经费" in cells[0])
    assert grid[first + 1][0] is None
    # amounts formatted 0.00 keep their two decimals (BIFF stores 850 as 850.0)
    amounts = [c for cells in grid for c in cells if c and c.replace(".", "").isdigit()]
    assert amounts and all(c.count(".") == 1 and len(c.split(".")[1]) == 2 for c in amounts)


def test_a_damaged_workbook_fails_with_a_message(tmp_path: Path) -> None:
    data = (SHEETS / "packed.xls").read_bytes()
    cut = tmp_path / "cut.xls"  # the directory kept, the workbook stream's records wiped
    cut.write_bytes(data[:512] + b"\xff" * 4096 + data[512 + 4096 :])
    result = extract_document(cut)
    assert result.document.status is Status.FAILED
    assert result.document.error and "workbook" in result.document.error
