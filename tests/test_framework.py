"""一级/二级 canonicalisation: names, not codes; 二级 wins (SPEC §1)."""

from __future__ import annotations

import pytest

from extract.values.framework import resolve_levels


@pytest.mark.parametrize(
    ("l1", "l2", "expected"),
    [
        ("1-产出指标", "11-数量指标", ("1", "产出指标", "11", "数量指标")),
        ("2-效益指标", "22-社会效益", ("2", "效益指标", "22", "社会效益指标")),
        ("3-满意度指标", "31-服务对象满意度", ("3", "满意度指标", "31", "服务对象满意度指标")),
        ("产出指标", "进度指标", ("1", "产出指标", "13", "时效指标")),
        ("产出指标", "产出数量指标", ("1", "产出指标", "11", "数量指标")),
        ("效益指标", "环境效益指标", ("2", "效益指标", "23", "生态效益指标")),
        (
            "满意度指标",
            "社会公众或服务对象满意度指标",
            ("3", "满意度指标", "31", "服务对象满意度指标"),
        ),
        ("成本指标", "经济成本指标", (None, "成本指标", None, "经济成本指标")),
    ],
)
def test_canonical_names(l1: str, l2: str, expected: tuple[str | None, ...]) -> None:
    levels = resolve_levels(l1, l2)
    assert (
        levels.level1_code,
        levels.level1_name,
        levels.level2_code,
        levels.level2_name,
    ) == expected
    assert (levels.level1_raw, levels.level2_raw) == (l1, l2)
    assert levels.warnings == []


def test_seed_mislabelled_level1_l2_wins_with_warning() -> None:
    levels = resolve_levels("24-可持续影响", "24-可持续影响")
    assert (levels.level1_name, levels.level1_code) == ("效益指标", "2")
    assert levels.level2_name == "可持续影响指标"
    assert levels.level1_raw == "24-可持续影响"
    assert [code for code, _ in levels.warnings] == ["level_code_mismatch"]


def test_disagreeing_categories_l2_wins() -> None:
    levels = resolve_levels("1-产出指标", "22-社会效益")
    assert levels.level1_name == "效益指标"
    assert [code for code, _ in levels.warnings] == ["level_code_mismatch"]


def test_unknown_names_are_kept_not_coerced() -> None:
    levels = resolve_levels("奇怪指标", "新型指标")
    assert (levels.level1_name, levels.level2_name) == (None, None)
    assert (levels.level1_raw, levels.level2_raw) == ("奇怪指标", "新型指标")
    assert sorted(code for code, _ in levels.warnings) == ["unknown_level1", "unknown_level2"]
