"""What every extractor returns: text lines and raw tables in document order."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from extract.enums import Format, Severity, Status
from extract.settings import Settings

Cell = str | None
"""A cell's text; ``None`` marks a grid position covered by a merged span, ``""`` an empty cell."""


@dataclass
class TextLine:
    """A line of text outside any table."""

    text: str
    page: int | None = None


Box = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points (pdfplumber)


def union(a: Box | None, b: Box | None) -> Box | None:
    """The smallest box holding both (either may be absent)."""
    if a is None or b is None:
        return a or b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


@dataclass
class RawRow:
    """One physical table row as the extractor saw it."""

    cells: list[Cell]
    page: int | None = None
    fragment: int = 0  # which page fragment of its logical table the row came in
    box: Box | None = None  # PDF: the row's x0, top, x1, bottom in points


@dataclass
class RawTable:
    """A table, or the fragment of one that sits on one page."""

    rows: list[RawRow]
    page: int | None = None
    col_x: list[float] | None = None  # PDF: the left edge of each grid column, in points


Block = TextLine | RawTable


@dataclass
class Finding:
    """Something an extractor noticed about the document (becomes an issue)."""

    severity: Severity
    code: str
    message: str
    page: int | None = None


@dataclass
class ExtractedDocument:
    """Text and tables of one document, in reading order."""

    format: Format
    blocks: list[Block] = field(default_factory=list)
    page_count: int | None = None
    findings: list[Finding] = field(default_factory=list)
    status: Status | None = None  # set only to force a status such as NEEDS_OCR
    error: str | None = None
    pages_read: dict[str, int] = field(default_factory=dict)  # PDF: table pages by reader
    reader: str | None = None  # which reader read it, where a format has several (.doc)

    @property
    def tables(self) -> list[RawTable]:
        """The tables among the blocks."""
        return [b for b in self.blocks if isinstance(b, RawTable)]


class Extractor(Protocol):
    """Turns one document on disk into an :class:`ExtractedDocument`."""

    def __call__(self, path: Path, settings: Settings, **hints: Any) -> ExtractedDocument: ...
