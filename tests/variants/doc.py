"""A printed document, independent of its file format: paragraphs, ruled grids (with merged
cells and header rows) and page breaks. The writers in :mod:`variants.writers` turn it into a
.docx or an .xlsx."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Para:
    """A line of text outside the tables (title, 部门名称, 单位)."""

    text: str
    align: str = "left"  # left, center or right
    size: float = 10.5
    bold: bool = False


@dataclass
class Grid:
    """A ruled table. ``cells[r][c]`` is the text of a cell, or None where a merged range
    covers the position (not its top-left cell). ``numbers`` maps cells an .xlsx holds as
    numbers to their number format; ``widths`` are relative column widths."""

    cells: list[list[str | None]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)
    header_rows: int = 0
    repeat_header: bool = False
    cant_split: bool = True
    numbers: dict[tuple[int, int], str] = field(default_factory=dict)
    size: float = 9.0

    def row(self, values: list[str | None]) -> int:
        """Append a row (one value per grid column); its index."""
        assert not self.widths or len(values) == len(self.widths), values
        self.cells.append(list(values))
        return len(self.cells) - 1

    def spans(self, parts: list[tuple[str, int]]) -> int:
        """Append a row of cells spanning ``(text, columns)`` each, merged horizontally."""
        values: list[str | None] = []
        r = len(self.cells)
        for text, width in parts:
            if width > 1:
                self.merges.append((r, len(values), r, len(values) + width - 1))
            values += [text] + [None] * (width - 1)
        return self.row(values)

    def merge_down(self, r0: int, r1: int, c: int) -> None:
        """Merge column ``c`` vertically from row ``r0`` to ``r1`` (the top cell's text stays)."""
        if r1 > r0:
            self.merges.append((r0, c, r1, c))
            for r in range(r0 + 1, r1 + 1):
                self.cells[r][c] = None


@dataclass
class Break:
    """A page break; ``new_sheet``: in an .xlsx, the next block starts a new sheet."""

    new_sheet: bool = False


Block = Para | Grid | Break


@dataclass
class Doc:
    blocks: list[Block] = field(default_factory=list)
    landscape: bool = False
