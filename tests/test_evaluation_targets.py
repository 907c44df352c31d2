"""Promised beside achieved: the ``evaluation_targets`` view of ``budget.duckdb`` sets each
evaluated indicator of a 决算 beside the target the same department's budget published.

The 决算 is the real xa-wjw-2022-juesuan; the budget is built here from its real rows (the
reviewed expectations of three forms, tests/realdocs/…evaluations.json) as the department's
2022 项目支出绩效目标表 would print them: project names without the year, indicator names
without their 指标1： numbering, one project coded, one indicator the 决算 does not report."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from _paths import SHARED

from extract.output.compact import compact
from extract.run.pipeline import run_document

JUESUAN = SHARED / "corpus" / "negative" / "xa-wjw-2022-juesuan.pdf"
TRUTH = Path(__file__).parent / "realdocs" / "xa-wjw-2022-juesuan.evaluations.json"
pytestmark = pytest.mark.skipif(
    not JUESUAN.exists(), reason="the corpus is not beside the checkout"
)
FORMS = (1, 18, 53)  # 病媒生物防制; a form with a deviation; one with 其他资金
CODE = "61010022T000000012345"  # printed before the second project's name, as Beijing does
HEADER = [
    "项目名称",
    "资金总额",
    "财政拨款",
    "其他资金",
    "一级指标",
    "二级指标",
    "三级指标",
    "指标值",
]


def _budget(path: Path) -> dict[str, list[dict[str, str]]]:
    """The budget as text: the forms' projects and targets; returns the indicators written."""
    truth = json.loads(TRUTH.read_text("utf-8"))
    forms = {f["seq"]: f for f in truth["forms"]}
    full = {f["seq"]: f for f in truth["full"]}
    lines = ["西安市卫生健康委员会2022年项目支出绩效目标表", "部门名称：西安市卫生健康委员会",
             "单位：万元", "\t".join(HEADER)]  # fmt: skip
    written: dict[str, list[dict[str, str]]] = {}
    for n, seq in enumerate(FORMS):
        form, rows = forms[seq], full[seq]["indicators"]
        name = form["project_name"].removeprefix("2022年")
        shown = f"{CODE}-{name}" if n == 1 else name
        kept = rows if n else rows[:-1]  # the first project's last indicator is left out
        extra = {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "预算独有指标",
            "target": "≥1次",
        }
        for k, ind in enumerate([*kept, extra] if n == 2 else kept):
            level1 = ind["level1"].split("（")[0]
            money = [form["budget"], form["budget"], "0"] if k == 0 else ["", "", ""]
            lines.append("\t".join([shown if k == 0 else "", *money, level1, ind["level2"],
                                    ind["name"].split("：", 1)[-1], ind["target"]]))  # fmt: skip
        written[name] = [*kept, extra] if n == 2 else kept
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return written


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[dict[str, str]]]]:
    """The budget and the real 决算 extracted into one folder and compacted."""
    folder = tmp_path_factory.mktemp("joined")
    out = folder / "out"
    written = _budget(folder / "budget-2022.txt")
    budget = run_document(folder / "budget-2022.txt", out)
    assert (budget.document.status.value, budget.document.year) == ("ok", 2022)
    assert budget.document.department == "西安市卫生健康委员会"
    run_document(JUESUAN, out)
    compact(out)
    return out, written


def test_the_view_sets_each_result_beside_its_target(
    built: tuple[Path, dict[str, list[dict[str, str]]]],
) -> None:
    out, written = built
    con = duckdb.connect(str(out / "budget.duckdb"), read_only=True)
    rows = con.sql(
        "SELECT project_name, name, matched_by, target_raw, evaluated_target_raw, budget_project_name "
        "FROM evaluation_targets WHERE budget_doc_id IS NOT NULL ORDER BY evaluation_seq, indicator_seq"
    ).fetchall()
    by_project: dict[str, list[tuple[str, ...]]] = {}
    for row in rows:
        by_project.setdefault(row[5], []).append(row)
    # every budget indicator the 决算 reports is matched, and only those
    budget_only = {"预算独有指标"}
    assert {p: len(r) for p, r in by_project.items()} == {
        p: len([i for i in inds if i["name"] not in budget_only]) for p, inds in written.items()
    }
    for _, _, matched_by, target, evaluated, _ in rows:
        assert matched_by == "project_name"  # the 决算 prints no codes: the coded one by name
        assert target == evaluated  # the budget printed what the 决算 says was the target
    # the first project's left-out indicator is in the view with no target beside it
    first = FORMS[0]
    unmatched = con.sql(
        f"SELECT name FROM evaluation_targets WHERE evaluation_seq = {first} AND budget_doc_id IS NULL"
    ).fetchall()
    assert len(unmatched) == 1
    # the other 84 forms have no budget here: every one of their rows is unmatched
    others = con.sql(
        f"SELECT count(*) FROM evaluation_targets WHERE evaluation_seq NOT IN {FORMS} "
        "AND budget_doc_id IS NOT NULL"
    ).fetchall()
    assert others == [(0,)]


def test_which_targets_were_met(built: tuple[Path, dict[str, list[dict[str, str]]]]) -> None:
    """The README's question, answered by the view."""
    con = duckdb.connect(str(built[0] / "budget.duckdb"), read_only=True)
    met = dict(con.sql(
        "SELECT coalesce(CAST(met AS VARCHAR), 'not comparable'), count(*) FROM evaluation_targets "
        "WHERE department = '西安市卫生健康委员会' AND year = 2022 AND budget_doc_id IS NOT NULL "
        "GROUP BY ALL"
    ).fetchall())  # fmt: skip
    assert set(met) <= {"true", "false", "not comparable"} and met.get("true", 0) > 0
    [(matched,)] = con.sql(
        "SELECT count(*) FROM evaluation_targets WHERE budget_doc_id IS NOT NULL"
    ).fetchall()
    assert sum(met.values()) == matched
