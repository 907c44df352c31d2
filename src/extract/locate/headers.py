"""Header matching: which column holds what, and which layout the header announces.

Matching is on words and their synonyms (``data/headers.toml``), never on positions.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from extract.enums import Layout
from extract.read.base import Cell
from extract.values.textnorm import squash

MONEY_UNITS = ("万元", "元", "千元", "亿元")
MONEY_ROLES = ("total", "fiscal", "special_account", "other", "carryover", "government_fund")
_BRACKET_RE = re.compile(r"[(\[【]([^()\[\]【】]*)[)\]】]")
_OPEN_NOTE_RE = re.compile(r"[(\[【][^()\[\]【】]*$")
_UNIT_HINT_RE = re.compile(r"(?:单位|金额单位)?[:：]?(万元|千元|亿元|元)$")
_NUMBER_RE = re.compile(r"^[-+]?[\d,]+(?:\.\d+)?$")
HEADER_LIKE_MIN_ROLES = 2
_STRAY_RE = re.compile(r"[。．.，,；;%]|^\d+")  # header words never start with a digit


@dataclass(frozen=True)
class LayoutRule:
    """Roles a header row must hold to announce a layout."""

    required: tuple[str, ...]
    any_of: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class HeaderSpec:
    """Header vocabulary: words → role, rejected words, layout rules and form labels."""

    words: dict[str, str]
    rejected: frozenset[str]
    layouts: dict[Layout, LayoutRule]
    form_labels: dict[str, str]
    department_words: frozenset[str] = frozenset()  # a 部门整体 table's title words
    transfer_words: frozenset[str] = frozenset()  # a transfer-payment fund form's title words


@dataclass
class HeaderMatch:
    """Where a performance-table header is and what its columns mean."""

    layout: Layout
    first_row: int
    last_row: int
    columns: dict[str, list[int]] = field(default_factory=dict)
    amount_unit: str | None = None
    signature: tuple[str, ...] = ()
    width: int = 0

    def repeats(self, other: HeaderMatch) -> bool:
        """Is ``other`` this header printed again (on the next page)? The same layout and
        width, and every role it names in the same columns: a header cell that text spilled
        into may name no role there, but never another one."""
        return (
            self.layout is other.layout
            and self.width == other.width
            and all(self.columns.get(role) == cols for role, cols in other.columns.items())
        )

    def col(self, role: str) -> int | None:
        """The first column of a role, or ``None``."""
        cols = self.columns.get(role)
        return cols[0] if cols else None


@lru_cache(maxsize=1)
def default_spec() -> HeaderSpec:
    """The vocabulary shipped in ``data/headers.toml``."""
    text = resources.files("extract").joinpath("data/headers.toml").read_text("utf-8")
    return spec_from_toml(tomllib.loads(text))


def spec_from_toml(data: dict[str, Any]) -> HeaderSpec:
    """Build a :class:`HeaderSpec` from the TOML structure."""
    words: dict[str, str] = {}
    for role, synonyms in data["roles"].items():
        for word in synonyms:
            words.setdefault(squash(word), role)
    layouts = {
        Layout(name): LayoutRule(tuple(rule["required"]), tuple(map(tuple, rule["any_of"])))
        for name, rule in data["layouts"].items()
    }
    form_labels = {squash(w): role for role, ws in data["form"]["labels"] for w in ws}
    return HeaderSpec(
        words=words,
        rejected=frozenset(squash(w) for w in data["rejected"]["words"]),
        layouts=layouts,
        form_labels=form_labels,
        department_words=frozenset(squash(w) for w in data.get("department", {}).get("words", [])),
        transfer_words=frozenset(squash(w) for w in data.get("transfer", {}).get("words", [])),
    )


def header_key(cell: Cell) -> str:
    """A header cell as compared: NFKC, no white space."""
    return squash(cell or "")


def role_of(cell: Cell, spec: HeaderSpec) -> str | None:
    """The role a header cell names: exact word first, then without bracketed notes."""
    key = header_key(cell)
    if not key:
        return None
    if key in spec.words:
        return spec.words[key]
    bare = bare_key(key)
    # strays drawn into the cell (a neighbour's text spilling): 计量。单位, 指标权重( )%, 0项目名称
    return spec.words.get(bare) or spec.words.get(_STRAY_RE.sub("", bare))


def bare_key(key: str) -> str:
    """A header key without bracketed notes, ``其中：`` and a closing colon: ``实施期资金总额：``,
    ``项目(政策)名称``, ``年度预算资金（万元）``."""
    key = _OPEN_NOTE_RE.sub("", _BRACKET_RE.sub("", key))  # 分值权重(90分: its ) slipped away
    return key.replace("其中:", "").strip(":")


def unit_hint(cell: Cell) -> str | None:
    """``总计（万元）`` or ``单位：元`` → the money unit it names."""
    key = header_key(cell)
    for note in _BRACKET_RE.findall(key):
        m = _UNIT_HINT_RE.search(note)
        if m:
            return m.group(1)
    m = _UNIT_HINT_RE.search(key)
    return m.group(1) if m and key.startswith(("单位", "金额单位")) else None


def is_rejected(row: list[Cell], spec: HeaderSpec) -> bool:
    """True when the row names result columns (实际完成值, 得分 …): not a target table."""
    return any(_BRACKET_RE.sub("", header_key(c)) in spec.rejected for c in row)


def find_header(
    rows: list[list[Cell]], spec: HeaderSpec | None = None, *, scan_rows: int = 8,
    min_matches: int = 3,
) -> HeaderMatch | None:  # fmt: skip
    """Find the header block among the first ``scan_rows`` rows and the layout it announces."""
    spec = spec or default_spec()
    for start in range(min(scan_rows, len(rows))):
        if _count_roles(rows[start], spec) < min_matches or is_rejected(rows[start], spec):
            continue
        end = start
        while end + 1 < len(rows) and _header_like(rows[end + 1], spec):
            end += 1
        match = _match_block(rows[start : end + 1], spec)
        if match is not None:
            match.first_row, match.last_row = start, end
            return match
    return None


def rows_to_columns(block: list[list[Cell]], spec: HeaderSpec) -> dict[str, list[int]]:
    """Role of each column: the bottom-most header row whose cell names a role wins."""
    width = max(len(r) for r in block)
    columns: dict[str, list[int]] = {}
    for col in range(width):
        for row in reversed(block):
            role = role_of(row[col], spec) if col < len(row) else None
            if role is not None:
                columns.setdefault(role, []).append(col)
                break
    return columns


def _match_block(block: list[list[Cell]], spec: HeaderSpec) -> HeaderMatch | None:
    columns = rows_to_columns(block, spec)
    if any(is_rejected(r, spec) for r in block):
        return None
    for layout, rule in spec.layouts.items():
        if all(r in columns for r in rule.required) and all(
            any(r in columns for r in group) for group in rule.any_of
        ):
            units = [u for r in block for c in r if (u := unit_hint(c))]
            signature = tuple(header_key(c) for r in block for c in r)
            width = max(len(r) for r in block)
            return HeaderMatch(layout, 0, 0, columns, units[0] if units else None, signature, width)
    return None


def _count_roles(row: list[Cell], spec: HeaderSpec) -> int:
    return len({role for c in row if (role := role_of(c, spec)) and role != "ignored"})


def _header_like(row: list[Cell], spec: HeaderSpec) -> bool:
    """A second header row: several role words and no numbers."""
    texts = [header_key(c) for c in row if header_key(c)]
    if any(_NUMBER_RE.match(t) for t in texts):
        return False
    return _count_roles(row, spec) >= HEADER_LIKE_MIN_ROLES
