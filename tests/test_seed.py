"""The real seed sample end to end (issue #2's acceptance figures), and its golden files."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from _paths import EXPECTED, SEED, SEED_GB18030_CRLF, SHARED_SEED
from golden import REGEN_ENV, check_golden

from extract.models import Op, Status
from extract.run.pipeline import extract_document

DEPARTMENT = "广州市花都区人民政府办公室"


@pytest.fixture(scope="module")
def seed_result():  # type: ignore[no-untyped-def]
    return extract_document(SEED)


def test_bundled_seed_is_the_shared_seed() -> None:
    if not SHARED_SEED.exists():
        pytest.skip("../shared is absent")
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_document_row(seed_result) -> None:  # type: ignore[no-untyped-def]
    doc = seed_result.document
    assert (doc.status, doc.department, doc.amount_unit, doc.format) == (
        Status.OK,
        DEPARTMENT,
        "万元",
        "txt",
    )
    assert doc.title == "项目支出绩效目标表（含转移支付项目）"
    assert (doc.project_count, doc.indicator_count) == (9, 25)


def test_projects_in_order_with_exact_yuan(seed_result) -> None:  # type: ignore[no-untyped-def]
    projects = seed_result.projects
    assert [p.project_seq for p in projects] == list(range(1, 10))
    assert (
        projects[0].project_name == "工作经费" and projects[-1].project_name == "机构运行辅助经费"
    )
    assert {p.unit_name for p in projects} == {DEPARTMENT}
    assert sum(p.total_yuan for p in projects) == Decimal("3100200.00")
    assert projects[0].total_yuan == Decimal("600000.00")
    assert all(p.total_yuan == p.fiscal_yuan for p in projects)


def test_mislabelled_indicator_and_its_warning(seed_result) -> None:  # type: ignore[no-untyped-def]
    seq = next(p.project_seq for p in seed_result.projects if p.project_name == "值班管理系统")
    second = [i for i in seed_result.indicators if i.project_seq == seq][1]
    assert (second.level1_name, second.level2_name) == ("效益指标", "可持续影响指标")
    assert second.level1_raw == "24-可持续影响"
    [issue] = [i for i in seed_result.issues if i.project_seq == seq]
    assert (issue.severity.value, issue.code, issue.indicator_seq) == (
        "warning",
        "level_code_mismatch",
        2,
    )


@pytest.mark.parametrize(
    ("raw", "op", "value", "unit"),
    [("≥3", Op.GE, 3, None), ("100%", Op.EQ, 100, "%"), ("<3人", Op.LT, 3, "人"),
     ("≥100人次", Op.GE, 100, "人次"), ("≤2人", Op.LE, 2, "人"), ("≥30批次", Op.GE, 30, "批次")],
)  # fmt: skip
def test_value_examples(seed_result, raw, op, value, unit) -> None:  # type: ignore[no-untyped-def]
    hits = [i.annual for i in seed_result.indicators if i.annual.raw == raw]
    assert hits, f"no annual target {raw!r} in the seed"
    assert all((t.op, t.value, t.unit) == (op, value, unit) for t in hits)


def test_qualitative_sentences(seed_result) -> None:  # type: ignore[no-untyped-def]
    [ind] = [i for i in seed_result.indicators if i.name == "加强对外交流，提升花都区国际形象"]
    for target in (ind.period, ind.annual):
        assert (target.qualitative, target.op, target.value) == (True, None, None)
        assert target.raw == "加强了对外交流，显著提升花都区国际形象"


def test_gb18030_crlf_gives_identical_rows(seed_result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = extract_document(SEED_GB18030_CRLF)
    assert other.document.doc_id != seed_result.document.doc_id
    strip = {"doc_id"}
    assert [p.model_dump(exclude=strip) for p in other.projects] == [
        p.model_dump(exclude=strip) for p in seed_result.projects
    ]
    assert [i.model_dump(exclude=strip) for i in other.indicators] == [
        i.model_dump(exclude=strip) for i in seed_result.indicators
    ]


def test_golden(seed_result) -> None:  # type: ignore[no-untyped-def]
    check_golden(seed_result, EXPECTED / "seed-huadu")


def test_regen_flag_is_off_in_ci() -> None:
    assert os.environ.get(REGEN_ENV) != "1" or not os.environ.get("CI"), "golden regeneration in CI"
