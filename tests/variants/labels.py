"""Header words and form labels the variants print: the first of each list is the original
wording, the others are synonyms taken from src/extract/data/headers.toml (which
:func:`missing_from_headers` checks, so the generator prints only words the extractor claims)."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from pathlib import Path

HEADERS = Path(__file__).resolve().parents[2] / "src" / "extract" / "data" / "headers.toml"

# Column headers of the rows and packed tables, by role (headers.toml [roles]).
COLUMNS: dict[str, list[str]] = {
    "project_name": ["项目名称", "项目", "项目名", "支出项目", "项目支出名称", "二级项目名称"],
    "packed_name": ["项目名称（资金使用单位）", "项目（单位）名称", "单位（项目）名称", "项目名称",
                    "单位名称/项目名称"],
    "total": ["资金总额", "总计", "合计", "年度资金总额", "预算金额", "预算数", "项目总额",
              "资金合计", "年度预算数", "本年预算数", "项目资金", "预算资金"],
    "fiscal": ["财政拨款", "一般公共预算", "当年财政拨款", "本年财政拨款", "财政拨款资金",
               "财政资金"],
    "special_account": ["财政专户拨款", "财政专户管理资金", "财政专户", "专户资金"],
    "other": ["其他资金", "其他", "单位自筹", "自筹资金", "其他资金来源"],
    "goal": ["绩效目标", "年度绩效目标", "当年绩效目标", "项目绩效目标", "年度目标",
             "项目年度绩效目标"],
    "indicators_packed": ["绩效指标"],
    "level1": ["一级指标"],
    "level2": ["二级指标"],
    "level3": ["三级指标", "指标内容", "指标名称", "三级指标名称"],
    "value_annual": ["指标值", "年度指标值", "目标值", "指标值（标准）", "年度目标值",
                     "预期指标值", "本年度指标值", "全年指标值", "绩效指标值"],
    "measure_unit": ["计量单位", "度量单位", "指标单位", "指标值单位"],
    "operator": ["计算符号", "符号", "运算符号", "指标方向", "指标性质"],
}  # fmt: skip

# Labels of the form layout (headers.toml [form]); 其中： is printed before fiscal labels.
FORM: dict[str, list[str]] = {
    "project_name": ["项目名称", "项目（政策）名称", "政策（项目）名称", "专项（项目）名称",
                     "专项资金名称", "专项名称"],
    "unit_name": ["实施单位", "项目实施单位", "单位名称", "预算单位"],
    "department": ["主管部门", "主管单位", "主管部门名称"],
    "total": ["年度资金申请总额", "年度资金总额", "年度预算资金总额", "本年资金申请总额",
              "年度预算", "本年预算"],
    "project_total": ["项目资金总额", "实施期资金总额", "项目总金额"],
    "project_fiscal": ["财政资金"],
    "fiscal": ["当年财政拨款", "财政拨款", "本年财政拨款"],
    "carryover": ["上年结转资金", "上年结转"],
    "other": ["其他资金"],
    "goal_total": ["项目总目标", "实施期目标", "中长期目标", "整体目标"],
    "goal": ["年度总体目标", "年度目标", "年度绩效目标", "当年绩效目标", "本年绩效目标"],
}  # fmt: skip

# 单位 lines (locate/metadata.py reads ``(金额)单位：万元``).
UNIT_LINES = ["单位：{u}", "金额单位：{u}", "单位:{u}", "单位：{u}（保留两位小数）"]

_BRACKETS = re.compile(r"\([^)]*\)$")


def _forms(word: str) -> set[str]:
    """A word as headers.toml compares it: NFKC, no white space, with and without a
    trailing bracketed note (``指标值（标准）`` is ``指标值``)."""
    text = "".join(unicodedata.normalize("NFKC", word).split())
    return {text, _BRACKETS.sub("", text)}


def missing_from_headers() -> list[str]:
    """Words printed by the variants that headers.toml does not list for their role."""
    data = tomllib.loads(HEADERS.read_text("utf-8"))
    roles = {k: {f for w in v for f in _forms(w)} for k, v in data["roles"].items()}
    roles["packed_name"] = roles["project_name"]
    roles["operator"] |= roles["nature"]  # 指标性质 holds the operator in many templates
    form = {role: {f for w in words for f in _forms(w)} for role, words in data["form"]["labels"]}
    missing = [f"{role}: {w}" for role, words in COLUMNS.items() for w in words
               if not _forms(w) & roles[role]]  # fmt: skip
    missing += [f"form {role}: {w}" for role, words in FORM.items() for w in words
                if not _forms(w) & form[role]]  # fmt: skip
    return missing
