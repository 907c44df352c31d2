"""The table structure of a Word 97-2003 binary document, rebuilt from its paragraphs.

A .doc stores tables as plain paragraphs with properties ([MS-DOC] 2.4.3/2.4.4): a
paragraph's table depth is sprmPItap (or 1 if only sprmPFInTable is set). At depth 1 a
cell ends with a ``\\x07`` mark and a row with the paragraph that has sprmPFTtp; at deeper
levels a cell ends with a paragraph that has sprmPFInnerTableCell and a row with one that
has sprmPFInnerTtp. An empty cell is also just a mark, so rows end by the properties, never
by the characters. The row-end paragraph holds the row's TAP: sprmTDefTable (cell
boundaries rgdxaCenter and a TC80 per cell, with its horizontal and vertical merge flags),
then sprmTVertMerge, sprmTMerge and sprmTSplit, which change the merges.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from extract.read.word97.fib import SPRM_TDEF_TABLE, iter_sprms, u16
from extract.read.word97.text import Paragraph

CELL_MARK = "\x07"
SPRM_PF_IN_TABLE, SPRM_PF_TTP, SPRM_PITAP = 0x2416, 0x2417, 0x6649
SPRM_PF_INNER_CELL, SPRM_PF_INNER_TTP = 0x244B, 0x244C
SPRM_TVERT_MERGE, SPRM_TMERGE, SPRM_TSPLIT = 0xD62B, 0x5624, 0x5625
TC80_SIZE = 20
TC_MERGED = 0x0002  # fMerged: merged into the cell on its left (old-style horizontal merge)
TC_VERT_MASK, TC_VERT_CONTINUE = 0x0060, 0x0020  # fVertMerge without fVertRestart
MAX_DEPTH = 64  # table nesting levels (Word allows 63)


@dataclass
class Row:
    """A table row: its cells (each a list of items) and its TAP from the row-end mark."""

    cells: list[list[Item]] = field(default_factory=list)
    edges: list[int] = field(default_factory=list)  # rgdxaCenter: the cell boundaries
    covered: set[int] = field(default_factory=set)  # cells merged into another one


@dataclass
class Table:
    """A table of any nesting level: its rows in order."""

    rows: list[Row] = field(default_factory=list)


Item = str | Table  # a paragraph's text, or a table


@dataclass(frozen=True)
class Props:
    """The table properties of one paragraph."""

    depth: int  # 0 outside tables
    ttp: bool  # ends a row at depth 1
    inner_ttp: bool  # ends a row deeper down
    inner_cell: bool  # ends a cell deeper down


def paragraph_props(grpprl: bytes) -> Props:
    """The table depth and the row and cell end flags a paragraph's sprms set."""
    flags = {SPRM_PF_IN_TABLE: False, SPRM_PF_TTP: False}
    flags |= {SPRM_PF_INNER_TTP: False, SPRM_PF_INNER_CELL: False}
    itap: int | None = None
    for sprm, operand in iter_sprms(grpprl):
        if sprm in flags and operand:
            flags[sprm] = operand[0] != 0
        elif sprm == SPRM_PITAP:
            itap = int.from_bytes(operand, "little", signed=True)
    depth = itap if itap is not None else int(flags[SPRM_PF_IN_TABLE])
    return Props(
        depth=min(max(depth, 0), MAX_DEPTH),
        ttp=flags[SPRM_PF_TTP],
        inner_ttp=flags[SPRM_PF_INNER_TTP],
        inner_cell=flags[SPRM_PF_INNER_CELL],
    )


def read_tap(grpprl: bytes, row: Row) -> None:
    """Set the row's cell boundaries and merged cells from its row-end paragraph's sprms."""
    for sprm, op in iter_sprms(grpprl):
        if sprm == SPRM_TDEF_TABLE and op:
            _tdef_table(op, row)
        elif sprm == SPRM_TVERT_MERGE and len(op) >= 2:
            row.covered.discard(op[0])
            if op[1] & 0x03 == 0x01:  # fvmMerge: continues the cell above
                row.covered.add(op[0])
        elif sprm == SPRM_TMERGE and len(op) >= 2:
            row.covered.update(range(op[0] + 1, op[1]))
        elif sprm == SPRM_TSPLIT and len(op) >= 2:
            row.covered.difference_update(range(op[0] + 1, op[1]))


def _tdef_table(op: bytes, row: Row) -> None:
    """sprmTDefTable: itcMac, rgdxaCenter (itcMac + 1 signed twips), then TC80s."""
    count = op[0]
    tcs = 1 + 2 * (count + 1)
    row.covered = set()
    if len(op) < tcs:
        row.edges = []  # cut short: the row falls back to one grid column per cell
        return
    row.edges = list(struct.unpack_from(f"<{count + 1}h", op, 1))
    for itc in range(min(count, (len(op) - tcs) // TC80_SIZE)):
        flags = u16(op, tcs + TC80_SIZE * itc)
        if flags & TC_MERGED or flags & TC_VERT_MASK == TC_VERT_CONTINUE:
            row.covered.add(itc)


class TableParser:
    """Builds the body's items (paragraph texts and tables) from the flat paragraphs."""

    def __init__(self, paragraphs: list[Paragraph]) -> None:
        self.paragraphs = paragraphs
        cache: dict[bytes, Props] = {}  # most paragraphs share their PAPX with others
        self.props = [
            cache.get(p.grpprl) or cache.setdefault(p.grpprl, paragraph_props(p.grpprl))
            for p in paragraphs
        ]
        self.pos = 0

    def body(self) -> list[Item]:
        """The items outside tables: paragraphs and depth-1 tables."""
        items: list[Item] = []
        while self.pos < len(self.paragraphs):
            if self.props[self.pos].depth > 0:
                items.append(self.table(1))
            else:
                items.append(self.paragraphs[self.pos].text)
                self.pos += 1
        return items

    def table(self, depth: int) -> Table:
        """The rows of the table at ``depth`` that starts here."""
        table = Table()
        while self.pos < len(self.paragraphs) and self.props[self.pos].depth >= depth:
            table.rows.append(self.row(depth))
        return table

    def row(self, depth: int) -> Row:
        """One row: its cells up to the row-end paragraph (or until the table ends)."""
        row, cell = Row(), list[Item]()
        while self.pos < len(self.paragraphs):
            para, props = self.paragraphs[self.pos], self.props[self.pos]
            if props.depth > depth:
                cell.append(self.table(depth + 1))
                continue
            if props.depth < depth:
                break
            self.pos += 1
            if props.ttp if depth == 1 else props.inner_ttp:
                read_tap(para.grpprl, row)
                return row
            cell.append(para.text)
            if para.mark == CELL_MARK if depth == 1 else props.inner_cell:
                row.cells.append(cell)
                cell = []
        if cell:
            row.cells.append(cell)
        return row
