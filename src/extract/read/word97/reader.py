"""Legacy Word 97-2003 binary documents (.doc, WPS Office .wps) read without LibreOffice.

Opens the OLE2 compound file with ``olefile`` and parses the Word binary format ([MS-DOC])
itself: ``fib`` reads the FIB, sprms and property pages, ``text`` the main
text cut into paragraphs, ``tree`` rebuilds the tables. The result mirrors what
:func:`extract.read.docx.extract_docx` gives for the .docx twin of the document:

- paragraphs outside tables become one text line per visual line (a vertical tab is a soft
  line break), cleaned with ``clean_cell``, empty ones dropped; field instructions are
  dropped and field results kept;
- each table becomes one raw table on the grid of all its rows' cell boundaries
  (rgdxaCenter of sprmTDefTable): a cell's text sits in its first grid position and the
  positions it spans are ``None``; vertically merged continuation cells (fVertMerge without
  fVertRestart, or sprmTVertMerge) and old-style horizontally merged cells (fMerged) are
  ``None``; a real empty cell is ``""``; short rows are padded with ``None``;
- a nested table comes out as its own table after its outer table; a 1x1 outer table (a
  layout frame) is dropped and its content read as if it stood in the body.

Not read: Word 6/95 and older files and encrypted or obfuscated files (refused with
:class:`ExtractionError`, as is a damaged file or a main text over 50 M characters);
headers, footers, footnotes, comments and text boxes; character properties other than
deleted revisions (hidden text comes out, as in the .docx reader). Fast-saved (complex)
files are read through their piece table, without a piece's one-sprm ``Prm0``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path

import olefile

from extract.errors import ExtractionError
from extract.read.base import Block, Cell, RawRow, RawTable, TextLine
from extract.read.word97.fib import WORD_SIGNATURE, Fib, WordFormatError, parse_fib, u16
from extract.read.word97.text import MAX_TEXT_CHARS, Paragraph, read_paragraphs
from extract.read.word97.tree import Item, Row, Table, TableParser
from extract.values.textnorm import clean_cell

MIN_NFIB = 0x00C0  # Word 97 writes 0x00C1 (a few early builds 0x00C0); Word 95 0x0068
FLAG_ENCRYPTED = 0x0100
EDGE_TOLERANCE = 5  # twips: cell boundaries this close are one grid line
TWIPS_PER_POINT = 20
OLD_WORD = "the .doc is a Word 6/95 or older file ({}), which is not read; re-save it as .docx"
ENCRYPTED = "the document is password-protected (encrypted) and cannot be read"
TOO_LONG = "the .doc's main text is too long: {:,} characters (the limit is {:,}); refused"


def read_word_binary(path: Path) -> list[Block]:
    """Read a Word 97-2003 .doc into text lines and raw tables, in document order."""
    paragraphs = _read_paragraphs(path)
    with _damaged("table structure"):
        return container_to_blocks(TableParser(paragraphs).body())


@contextmanager
def _damaged(what: str) -> Iterator[None]:
    """Turn any failure while reading ``what`` into one ExtractionError that names it."""
    try:
        yield
    except ExtractionError:
        raise
    except Exception as exc:  # bad bytes must only ever give ExtractionError
        reason = str(exc) if isinstance(exc, WordFormatError) else f"{_error_name(exc)}: {exc}"
        message = " ".join(f"the .doc is damaged: its {what} cannot be read ({reason})".split())
        raise ExtractionError(message[:300]) from exc


def _error_name(exc: Exception) -> str:
    kind = type(exc)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"


def _read_paragraphs(path: Path) -> list[Paragraph]:
    with _damaged("OLE2 container"):
        if not olefile.isOleFile(str(path)):
            raise ExtractionError("not a Word 97-2003 document: the file is not an OLE2 file")
        with olefile.OleFileIO(str(path)) as ole:
            if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
                raise ExtractionError(ENCRYPTED)
            if not ole.exists("WordDocument"):
                raise ExtractionError("not a Word document: the OLE2 file has no WordDocument")
            word = _stream(ole, "WordDocument")
            fib = check_fib(word)
            if not ole.exists(fib.table_stream):
                raise ExtractionError(OLD_WORD.format(f"no {fib.table_stream} stream"))
            table = _stream(ole, fib.table_stream)
            data = _stream(ole, "Data") if ole.exists("Data") else b""
    with _damaged("text or paragraph properties"):
        return read_paragraphs(word, table, data, fib)


def _stream(ole: olefile.OleFileIO, name: str) -> bytes:
    with ole.openstream(name) as stream:
        return bytes(stream.read())


def check_fib(word: bytes) -> Fib:
    """The FIB, refusing encrypted and pre-97 documents before anything else is read."""
    if len(word) >= 12 and u16(word, 0) == WORD_SIGNATURE:
        if u16(word, 0x0A) & FLAG_ENCRYPTED:
            raise ExtractionError(ENCRYPTED)
        if u16(word, 2) < MIN_NFIB:
            raise ExtractionError(OLD_WORD.format(f"nFib 0x{u16(word, 2):04X}"))
    with _damaged("File Information Block"):
        fib = parse_fib(word)
    if fib.encrypted:
        raise ExtractionError("the .doc is obfuscated (XOR-encrypted) and cannot be read")
    if fib.ccp_text > MAX_TEXT_CHARS:
        raise ExtractionError(TOO_LONG.format(fib.ccp_text, MAX_TEXT_CHARS))
    return fib


def container_to_blocks(items: list[Item]) -> list[Block]:
    """Paragraphs and tables of the body or a table cell, in document order."""
    blocks: list[Block] = []
    for item in items:
        blocks += table_to_blocks(item) if isinstance(item, Table) else paragraph_lines(item)
    return blocks


def paragraph_lines(text: str) -> list[Block]:
    """One text line per visual line of a paragraph, empty ones dropped."""
    lines = (clean_cell(t) or "" for t in text.split("\n"))
    return [TextLine(text=line) for line in lines if line]


def table_to_blocks(table: Table) -> list[Block]:
    """A table as a raw table followed by its nested tables; a 1x1 table is a frame."""
    cells = [cell for row in table.rows for cell in row.cells]
    if len(cells) == 1:
        return container_to_blocks(cells[0])
    inner = [item for cell in cells for item in cell if isinstance(item, Table)]
    nested = [block for t in inner for block in table_to_blocks(t)]
    rows = [RawRow(cells=cells) for cells in table_grid(table)]
    return [RawTable(rows=rows, col_x=column_x(table)), *nested]


def cell_text(items: list[Item]) -> str:
    """A cell's paragraphs joined by line breaks; nested tables excluded."""
    return clean_cell("\n".join(i for i in items if isinstance(i, str))) or ""


def table_grid(table: Table) -> list[list[Cell]]:
    """The cell texts on the grid of all rows' boundaries, every row of the same width."""
    lines = grid_lines([row.edges for row in table.rows if _has_edges(row)])
    rows = [row_cells(row, lines if _has_edges(row) else []) for row in table.rows]
    width = max([len(lines) - 1, *(len(r) for r in rows)])
    return [r + [None] * (width - len(r)) for r in rows]


def column_x(table: Table) -> list[float] | None:
    """The grid columns' left edges in points (the boundaries are in twips): a table that goes
    on after a page break with fewer or other cells finds its columns by them."""
    lines = grid_lines([row.edges for row in table.rows if _has_edges(row)])
    return [edge / TWIPS_PER_POINT for edge in lines[:-1]] if len(lines) > 1 else None


def _has_edges(row: Row) -> bool:
    """Whether the row has a boundary on each side of each cell, left to right."""
    fits = len(row.edges) > len(row.cells) > 0
    return fits and all(a <= b for a, b in pairwise(row.edges))


def grid_lines(edges: list[list[int]]) -> list[int]:
    """The grid's column lines: all rows' cell boundaries, near ones taken as one."""
    lines: list[int] = []
    for edge in sorted({e for row in edges for e in row}):
        if not lines or edge - lines[-1] > EDGE_TOLERANCE:
            lines.append(edge)
    return lines


def _column(lines: list[int], edge: int) -> int:
    """The grid line nearest to a cell boundary."""
    i = bisect_left(lines, edge)
    if i == len(lines) or (i > 0 and edge - lines[i - 1] < lines[i] - edge):
        return i - 1
    return i


def row_cells(row: Row, lines: list[int]) -> list[Cell]:
    """A row's cells at their grid columns (without grid lines: one column per cell).

    A cell's text sits in the grid column of its left boundary; ``None`` fills the columns
    up to its right boundary, the columns before its left one that no cell took, and the
    place of a cell merged into another.
    """
    out: list[Cell] = []
    for itc, items in enumerate(row.cells):
        start, end = len(out), len(out) + 1
        if lines:
            start = max(_column(lines, row.edges[itc]), len(out))
            end = max(_column(lines, row.edges[itc + 1]), start + 1)
        out += [None] * (start - len(out))
        out.append(None if itc in row.covered else cell_text(items))
        out += [None] * (end - start - 1)
    return out
