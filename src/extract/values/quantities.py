"""Quantities of the value grammar (SPEC §3): operators, numbers, units, 万 multipliers,
Chinese numerals, and the pre-normalisation of a printed target."""

from __future__ import annotations

import math
import re

from extract.models import Op, TargetValue
from extract.values.textnorm import join_wrapped, nfkc

# Longest match first: the tables are sorted by length when the regexes are built.
PREFIX_OPS: dict[str, Op] = {
    "≥": Op.GE, ">=": Op.GE, "大于等于": Op.GE, "大于或等于": Op.GE, "不低于": Op.GE,
    "不少于": Op.GE, "不小于": Op.GE, "至少": Op.GE,
    ">": Op.GT, "大于": Op.GT, "高于": Op.GT, "超过": Op.GT, "多于": Op.GT,
    "≤": Op.LE, "<=": Op.LE, "小于等于": Op.LE, "小于或等于": Op.LE, "不高于": Op.LE,
    "不超过": Op.LE, "不多于": Op.LE, "不大于": Op.LE, "最多": Op.LE, "控制在": Op.LE,
    "<": Op.LT, "小于": Op.LT, "低于": Op.LT, "少于": Op.LT,
    "=": Op.EQ, "等于": Op.EQ, "达到": Op.EQ, "达": Op.EQ,
}  # fmt: skip
SUFFIX_OPS: dict[str, Op] = {
    "及以上": Op.GE, "以上": Op.GE, "以内": Op.LE, "之内": Op.LE, "以下": Op.LE,
    "及以下": Op.LE, "内": Op.LE,
}  # fmt: skip
TYPO_OPS: dict[str, Op] = {"》": Op.GE}  # SPEC §3 [reported]

KNOWN_UNITS = frozenset(
    "% ‰ 人 人次 户 个 项 次 件 套 台 辆 篇 批次 批 场 期 份 所 家 处 条 天 工作日 日 小时 "
    "分钟 月 年 周 ㎡ 平方米 米 公里 千米 亩 元 万元 亿元 元/人 分 册 本 名 座 间 张 部 "
    "吨 公斤 千克 株 棵 只 头 台套 场次 人天 人日 课时 学时 节 章 类 组 支 所 村 镇 街 "
    "km m m2 平方公里 立方米 m3 GB TB 兆 千瓦 kW 度 起 宗 例 床 班 团 队 网点 个点 点 "
    "项目 人年 Mbps Gbps M G 辆次 架次 车次 立方 平方 公顷 千瓦时 件次 户次 个次 次数 个数 "
    "平方千米 立方千米 毫克 微克 克 升 毫升 吨公里".split()
)
APPROX_PREFIXES = ("大约", "约")
APPROX_SUFFIXES = ("左右",)
MULTIPLIERS = {"万": 10_000, "亿": 100_000_000}
MAX_UNKNOWN_UNIT = 3
MAX_RATIO_UNIT = 12

NUM = r"\d+(?:\.\d+)?"  # a number as printed, thousands separators removed
_CN_DIGITS = "零〇一二两三四五六七八九十"
_CN_NUM = rf"[{_CN_DIGITS}百千万亿点]*[{_CN_DIGITS}][{_CN_DIGITS}百千万亿点]*"
_RANGE_SEP = r"[-~～—–－至到]+"
_UNIT = (
    r"(?:\((?P<{n}b>[^()]{{1,8}})\)"
    r"|(?P<{n}>[^\d\s()~～—–－至到][^\d\s()]{{0,11}}?(?:\([^()]{{1,12}}\))?))?"
)
_ARABIC_RE = re.compile(
    rf"^(?P<neg>-)?(?P<a>{NUM}){_UNIT.format(n='ua')}"
    rf"(?:{_RANGE_SEP}(?P<b>{NUM}){_UNIT.format(n='ub')})?$"
)
_CHINESE_RE = re.compile(rf"^(?P<a>{_CN_NUM}){_UNIT.format(n='ua')}$")
_THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_ENCLOSED_RE = re.compile(r"^\([^()]*\)$")
_NOTE_RE = re.compile(r"\([^()]*\)$")
_UNIT_JOINS_RE = re.compile(r"[.·・]")
_ALTERNATIVES_RE = re.compile(r"^(?P<unit>[^()]+)\((?P<alts>[^()]+)\)$")


def starts_with_op(text: str) -> bool:
    return any(text.startswith(word) for word in PREFIX_OPS)


def prepare(raw: str) -> str:
    """Pre-normalise a value: NFKC, joined line breaks, no thousands separators, no end stops."""
    text = join_wrapped(nfkc(raw).split())
    text = _THOUSANDS_RE.sub("", text)
    text = text.replace("（", "(").replace("）", ")")
    text = text.strip().rstrip("。；;，,、").strip()
    if _ENCLOSED_RE.match(text):  # (≤10万元): the whole target in brackets
        text = text[1:-1].strip()
    return text


def parse_quantity(text: str) -> TargetValue | None:
    approximate = False
    for prefix in APPROX_PREFIXES:
        if text.startswith(prefix):
            text, approximate = text[len(prefix) :], True
    for suffix in APPROX_SUFFIXES:
        if text.endswith(suffix):
            text, approximate = text[: -len(suffix)], True
    op, text = take_prefix_op(text)
    suffix_op, text = take_suffix_op(text)
    if op is None or (op in (Op.LE, Op.EQ) and suffix_op is not None):
        op = suffix_op or op  # 达到95%以上 is ≥ 95 %
    core = _parse_core(text.strip())
    if core is None and (bare := _NOTE_RE.sub("", text).strip()) != text.strip() and bare:
        core = _parse_core(bare)  # 2元/吨（最高不超过2000万元/年）: a note after the target
    if core is None:
        return None
    value, value_max, unit = core
    if value_max is not None:
        op = Op.RANGE
    return TargetValue(
        op=op or Op.EQ, value=value, value_max=value_max, unit=unit, approximate=approximate
    )


def take_prefix_op(text: str) -> tuple[Op | None, str]:
    for word in sorted(PREFIX_OPS, key=len, reverse=True):
        if text.startswith(word):
            return PREFIX_OPS[word], text[len(word) :].lstrip()
    return None, text


def take_suffix_op(text: str) -> tuple[Op | None, str]:
    for word in sorted(SUFFIX_OPS, key=len, reverse=True):
        if text.endswith(word):
            return SUFFIX_OPS[word], text[: -len(word)].rstrip()
    return None, text


def _parse_core(text: str) -> tuple[float, float | None, str | None] | None:
    m = _ARABIC_RE.match(text)
    if m:
        unit_a = _unit(m.group("uab") or m.group("ua"), strict=False)
        unit_b = _unit(m.group("ubb") or m.group("ub"), strict=False)
        if unit_a is False or unit_b is False:
            return None
        if unit_a and unit_b and unit_a != unit_b:
            return None
        unit = str(unit_b or unit_a) if (unit_b or unit_a) else None
        sign = -1.0 if m.group("neg") else 1.0
        low = sign * float(m.group("a"))
        high = float(m.group("b")) if m.group("b") else None
        if not math.isfinite(low) or (high is not None and not math.isfinite(high)):
            return None  # digits beyond any real target: not a number we can keep
        return _apply_multiplier(low, high, unit)
    if text.startswith("半") and known_unit(text[1:]):  # 半小时, 半年
        return 0.5, None, text[1:]
    m = _CHINESE_RE.match(text)
    if m:
        unit_c = _unit(m.group("uab") or m.group("ua"), strict=True)
        number = _chinese_number(m.group("a"))
        if unit_c is False or number is None:
            return None
        return _apply_multiplier(number, None, str(unit_c) if unit_c else None)
    return None


def _unit(unit: str | None, *, strict: bool) -> str | bool | None:
    """A unit as printed, ``None`` when absent, ``False`` when the text is not a unit."""
    if not unit:
        return None
    unit = unit.strip()
    if known_unit(unit):
        return unit
    if "(" in unit and known_unit(base := unit[: unit.index("(")].strip()):
        return base  # 2元/吨（最高不超过2000万元/年）: a note after the unit
    if strict or any(c in unit for c in "，。；,;:：、"):
        return False
    if len(unit) > MAX_UNKNOWN_UNIT and not _ratio_unit(unit):
        return False
    return unit


def _ratio_unit(unit: str) -> bool:
    """``微克/立方米``, ``万元/蒸吨``, ``万元/网格.月``: a ratio whose parts are known units or
    short words (a unit the list does not hold), no digits."""
    parts = unit.split("/")
    pieces = [q for p in parts for q in _UNIT_JOINS_RE.split(p)]  # 网格.月: a grid per month
    return (
        len(parts) > 1
        and len(unit) <= MAX_RATIO_UNIT
        and all(
            p and (known_unit(p) or (len(p) <= MAX_UNKNOWN_UNIT and not re.search(r"\d", p)))
            for p in pieces
        )
    )


def known_unit(unit: str) -> bool:
    """A known unit, a ratio of known units (``万元/天``, ``元/人/天``, ``家/个/批次``), or one
    followed by the alternatives it stands for (``个（台、套、件、辆）``, ``台（套）``)."""
    m = _ALTERNATIVES_RE.match(unit)
    if m is None and "、" in unit:  # 人、户: a count of either
        return all(known_unit(u) for u in unit.split("、"))
    if m:
        unit = m.group("unit")
        if not all(known_unit(a) for a in re.split(r"[、,，/]", m.group("alts")) if a):
            return False
    parts = unit.split("/")
    return all(_known_simple_unit(p.removeprefix("每")) for p in parts) and all(parts)


def _known_simple_unit(unit: str) -> bool:
    # 万/亿 before a unit is a multiplier; 个 before a unit is a measure word (3个月, 1个工作日).
    base = unit[1:] if unit[:1] in (*MULTIPLIERS, "个") and len(unit) > 1 else unit
    if unit in KNOWN_UNITS or base in KNOWN_UNITS:
        return True
    parts = [p for p in _UNIT_JOINS_RE.split(unit) if p]  # 人.月, 人·天, and 人月 char by char
    if len(parts) == 1 and len(unit) == 2:
        parts = list(unit)
    return len(parts) > 1 and all(p in KNOWN_UNITS for p in parts)


def _apply_multiplier(
    low: float, high: float | None, unit: str | None
) -> tuple[float, float | None, str | None]:
    """``0.5万人次`` is 5000 人次; ``万元`` stays a unit of its own."""
    if unit in MULTIPLIERS:  # ≥1500万: the multiplier alone, no unit
        factor = MULTIPLIERS[unit]
        return round(low * factor, 6), (round(high * factor, 6) if high is not None else None), None
    head = unit.split("/")[0] if unit else ""
    if unit and len(head) > 1 and head[0] in MULTIPLIERS and head not in KNOWN_UNITS:
        factor = MULTIPLIERS[unit[0]]
        low = round(low * factor, 6)
        high = round(high * factor, 6) if high is not None else None
        unit = unit[1:]
    return low, high, unit


def _chinese_number(text: str) -> float | None:
    import cn2an  # imported on first use: it takes 0.2 s to import

    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError, IndexError):
        return None
