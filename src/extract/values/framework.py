"""The 一级/二级指标 framework: canonical names and codes, matched on names, not codes."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from extract.values.textnorm import squash

_LABEL_RE = re.compile(r"^(?P<code>\d{1,3})?\s*[-－—–.、]?\s*(?P<name>.*?)$")


@dataclass(frozen=True)
class Category:
    """A canonical category of the framework."""

    code: str | None
    name: str
    parent: str | None = None  # the L1 name, for an L2


@dataclass(frozen=True)
class Framework:
    """Look-up tables keyed on the normalised category name."""

    level1: dict[str, Category]
    level2: dict[str, Category]


@dataclass
class Levels:
    """The resolved 一级/二级 of one indicator, with anything worth a warning."""

    level1_code: str | None = None
    level1_name: str | None = None
    level1_raw: str | None = None
    level2_code: str | None = None
    level2_name: str | None = None
    level2_raw: str | None = None
    warnings: list[tuple[str, str]] = field(default_factory=list)


def name_key(name: str) -> str:
    """Compare names after NFKC, without white space and a trailing 指标."""
    key = squash(name)
    return key[: -len("指标")] if key.endswith("指标") and len(key) > 2 else key


@lru_cache(maxsize=1)
def default_framework() -> Framework:
    """The framework shipped in ``data/framework.toml``."""
    text = resources.files("extract").joinpath("data/framework.toml").read_text("utf-8")
    return framework_from_toml(tomllib.loads(text))


def framework_from_toml(data: dict[str, list[dict[str, object]]]) -> Framework:
    """Build look-up tables from the TOML structure (``level1`` and ``level2`` arrays)."""
    tables: dict[str, dict[str, Category]] = {"level1": {}, "level2": {}}
    for level, table in tables.items():
        for entry in data.get(level, []):
            cat = Category(
                code=str(entry.get("code") or "") or None,
                name=str(entry["name"]),
                parent=str(entry["level1"]) if entry.get("level1") else None,
            )
            for label in [cat.name, *(str(s) for s in entry.get("synonyms", []))]:  # type: ignore[attr-defined]
                table.setdefault(name_key(label), cat)
    return Framework(level1=tables["level1"], level2=tables["level2"])


def split_label(label: str | None) -> tuple[str | None, str]:
    """``'22-社会效益'`` → ``('22', '社会效益')``; a label without a code gives ``(None, name)``."""
    text = squash(label or "")
    m = _LABEL_RE.match(text)
    assert m is not None  # the pattern matches any string
    return m.group("code"), m.group("name")


def resolve_levels(
    level1_raw: str | None, level2_raw: str | None, fw: Framework | None = None
) -> Levels:
    """Canonicalise an indicator's 一级/二级 labels. When they disagree, 二级 wins (SPEC §1)."""
    fw = fw or default_framework()
    out = Levels(level1_raw=level1_raw or None, level2_raw=level2_raw or None)
    code1, name1 = split_label(level1_raw)
    code2, name2 = split_label(level2_raw)
    cat2 = fw.level2.get(name_key(name2)) if name2 else None
    cat1 = fw.level1.get(name_key(name1)) if name1 else None
    if cat2 is not None:
        out.level2_code, out.level2_name = code2 or cat2.code, cat2.name
    elif name2:
        out.level2_code = code2
        out.warnings.append(("unknown_level2", f"二级指标 {level2_raw!r} is not in the framework"))
    parent = fw.level1.get(name_key(cat2.parent)) if cat2 and cat2.parent else None
    if cat1 is not None and (parent is None or cat1.name == parent.name):
        out.level1_code, out.level1_name = code1 or cat1.code, cat1.name
        _check_codes(out, code1, code2, level1_raw, level2_raw)
    elif parent is not None and (cat1 is not None or fw.level2.get(name_key(name1))):
        out.level1_code, out.level1_name = parent.code, parent.name
        out.warnings.append((
            "level_code_mismatch",
            f"一级指标 {level1_raw!r} disagrees with 二级指标 {level2_raw!r}; "
            f"二级 wins: {parent.name} / {cat2.name if cat2 else ''}",
        ))  # fmt: skip
    elif name1:
        out.level1_code = code1
        out.warnings.append(("unknown_level1", f"一级指标 {level1_raw!r} is not in the framework"))
    elif parent is not None:  # no 一级 printed (二级 | 三级 | 指标值): the 二级's own 一级
        out.level1_code, out.level1_name = parent.code, parent.name
    return out


def _check_codes(
    out: Levels, code1: str | None, code2: str | None, raw1: str | None, raw2: str | None
) -> None:
    """The 二级 code's first digit is its 一级 code."""
    if code1 and code2 and not code2.startswith(code1):
        out.warnings.append((
            "level_code_mismatch",
            f"codes of 一级指标 {raw1!r} and 二级指标 {raw2!r} disagree",
        ))  # fmt: skip
