"""Money cells → exact yuan (decimal, never binary float)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

SCALES: dict[str, Decimal] = {
    "元": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10_000),
    "亿元": Decimal(100_000_000),
}
FEN = Decimal("0.01")
BLANK_AMOUNTS = frozenset({"", "-", "—", "－", "--", "/", "0", "无"})
_CLEAN_RE = re.compile(r"[\s,，￥¥元]")
# An amount printed with its own unit: ``280.7万元``, ``50 万元``, ``1,234.00元``, ``12（万元）``.
_WITH_UNIT_RE = re.compile(r"^(?P<n>.*?\d.*?)\s*[(（]?(?P<u>亿元|万元|千元|元|万)[)）]?\s*$")
CELL_UNITS = {"万": "万元"}  # a bare 万 in a money cell is 万元


class AmountError(ValueError):
    """A money cell that is not a number."""


def parse_amount(cell: str | None) -> Decimal | None:
    """``'4,100,000.00'`` → ``Decimal('4100000.00')``; blank or a dash → 0 (SPEC §2).

    Returns ``None`` only for a cell covered by a merged span (``None``).
    Raises :class:`AmountError` for text that is not a number.
    """
    if cell is None:
        return None
    text = _CLEAN_RE.sub("", cell.replace("（", "(").replace("）", ")"))
    if text in BLANK_AMOUNTS:
        return Decimal(0)
    negative = text.startswith("(") and text.endswith(")")
    try:
        value = Decimal(text.strip("()"))
    except InvalidOperation:
        raise AmountError(f"not an amount: {cell!r}") from None
    if not value.is_finite():
        raise AmountError(f"not an amount: {cell!r}")
    return -value if negative else value


def read_amount(cell: str | None) -> tuple[Decimal | None, str | None]:
    """A money cell's amount and the unit printed inside it (``'280.7万元'`` →
    ``(Decimal('280.7'), '万元')``), or ``None`` as the unit when the cell prints none and the
    table's unit applies. Raises :class:`AmountError` like :func:`parse_amount`."""
    m = _WITH_UNIT_RE.match("".join((cell or "").split()))  # 8.00万 / 元: wrapped in the cell
    if m is None:
        return parse_amount(cell), None
    unit = m.group("u")
    return parse_amount(m.group("n")), CELL_UNITS.get(unit, unit)


def convert(value: Decimal | None, unit: str, into: str) -> Decimal | None:
    """An amount in ``unit`` expressed in ``into`` (both among :data:`SCALES`), exactly."""
    if value is None or unit == into:
        return value
    return value * SCALES[unit] / SCALES[into]


def to_yuan(value: Decimal | None, unit: str) -> Decimal | None:
    """Convert an amount in ``unit`` (元, 千元, 万元, 亿元) to yuan, to the fen."""
    if value is None:
        return None
    return (value * SCALES[unit]).quantize(FEN)
