"""Word .docx: the body's paragraphs and tables in document order, tables as grids.

The grid is built from the XML (``w:tr``/``w:tc``), not from python-docx's ``row.cells``,
which returns the same ``_Cell`` for every grid position a merged span covers: walking the
``w:tc`` elements visits each underlying cell once (the ``_tc`` identity), so a span is
never read twice. A merged span keeps its text in its first position; the positions it
covers are ``None`` (horizontal ``w:gridSpan``, vertical ``w:vMerge`` continue cells), and
``""`` is a real empty cell, as pdfplumber gives them.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from extract.enums import Format
from extract.errors import ExtractionError
from extract.read.base import Block, Cell, ExtractedDocument, RawRow, RawTable, TextLine
from extract.settings import Settings
from extract.values.textnorm import clean_cell

# Elements that only wrap block content (content controls, custom XML): read through them.
WRAPPER_TAGS = frozenset({qn("w:sdt"), qn("w:customXml")})
# Run containers inside a paragraph whose text is part of the paragraph (tracked insertions
# too: a published document shows them). Deleted runs (w:del) hold w:delText: never read.
RUN_XPATH = (
    "./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:fldSimple/w:r | ./w:smartTag/w:r"
    " | ./w:customXml/w:r | ./w:sdt/w:sdtContent/w:r"
)
VMERGE_CONTINUE = "continue"
# A .docx whose parts inflate past these sizes is refused before anything is inflated
# (zip bombs): real disclosures are a few MB of XML at most.
MAX_PART_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for parts over 10 MB
RATIO_FLOOR_BYTES = 10 * 1024 * 1024


def extract_docx(path: Path, settings: Settings) -> ExtractedDocument:
    """Read a .docx body into text lines and raw tables, in reading order."""
    body = _open_body(path)
    return ExtractedDocument(format=Format.DOCX, blocks=container_to_blocks(body))


def check_zip_sizes(path: Path) -> None:
    """Refuse a zip bomb from its directory, before inflating anything."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ExtractionError(f"the .docx is damaged and cannot be opened ({exc})") from exc
    total = sum(i.file_size for i in infos)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        too_dense = info.file_size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO
        if info.file_size > MAX_PART_BYTES or too_dense:
            raise ExtractionError(
                f"the .docx part {info.filename} is too large: {info.file_size / 1e6:,.0f} MB "
                f"when uncompressed ({ratio:,.0f}x its packed size); refused as a zip bomb"
            )
    if total > MAX_TOTAL_BYTES:
        raise ExtractionError(
            f"the .docx is too large: {total / 1e6:,.0f} MB when uncompressed; "
            "refused as a zip bomb"
        )


def _open_body(path: Path) -> Any:
    check_zip_sizes(path)
    try:
        return docx.Document(str(path)).element.body
    except etree.XMLSyntaxError as exc:
        if "entity" in str(exc).lower():
            raise ExtractionError(
                f"the .docx XML declares entities that expand too much and was refused "
                f"(an entity-expansion attack?): {exc}"
            ) from exc
        raise ExtractionError(f"the .docx is damaged and cannot be opened ({exc})") from exc
    except (
        PackageNotFoundError,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
    ) as exc:
        raise ExtractionError(f"the .docx is damaged and cannot be opened ({exc})") from exc


def container_to_blocks(container: Any) -> list[Block]:
    """Paragraphs and tables of a body or table cell, in document order."""
    blocks: list[Block] = []
    for child in _block_children(container):
        if child.tag == qn("w:p"):
            blocks += paragraph_to_lines(child)
        elif child.tag == qn("w:tbl"):
            blocks += table_to_blocks(child)
    return blocks


def _block_children(container: Any) -> Iterator[Any]:
    for child in container.iterchildren():
        if child.tag in WRAPPER_TAGS:
            content = child.find(qn("w:sdtContent")) if child.tag == qn("w:sdt") else child
            if content is not None:
                yield from _block_children(content)
        else:
            yield child


def paragraph_text(p: Any) -> str:
    """The text of a ``w:p``: its runs, hyperlinks, fields and tracked insertions."""
    return "".join(r.text for r in p.xpath(RUN_XPATH))


def paragraph_to_lines(p: Any) -> list[Block]:
    """One text line per visual line (a soft line break ``w:br`` starts a new one)."""
    lines = (clean_cell(t) or "" for t in paragraph_text(p).split("\n"))
    return [TextLine(text=line) for line in lines if line]


def table_to_blocks(tbl: Any) -> list[Block]:
    """A table as a raw table followed by the tables nested in its cells.

    A single-cell table is a layout frame, not data: its content is read as if it stood
    in the body (the packed table nested in a borderless 1x1 table, say).
    """
    tcs = [tc for tr in tbl.tr_lst for tc in tr.tc_lst]
    if len(tcs) == 1:
        return container_to_blocks(tcs[0])
    nested = [b for tc in tcs for inner in _nested_tables(tc) for b in table_to_blocks(inner)]
    rows = [RawRow(cells=cells) for cells in table_to_grid(tbl)]
    return [RawTable(rows=rows, col_x=column_x(tbl)), *nested]


def column_x(tbl: Any) -> list[float] | None:
    """The grid columns' left edges in points, from the table's indent and its w:gridCol
    widths (twips): a table that goes on after a page break with another grid finds its
    columns by them. None when a width is missing."""
    widths = [col.w for col in tbl.tblGrid.gridCol_lst]
    if not widths or any(w is None for w in widths):
        return None
    indent = tbl.tblPr.find(qn("w:tblInd")) if tbl.tblPr is not None else None
    x = _twips(indent.get(qn("w:w"))) / 20 if indent is not None else 0.0
    out = []
    for w in widths:
        out.append(x)
        x += w.pt
    return out


def _twips(value: str | None) -> float:
    try:
        return float(value or 0)
    except ValueError:
        return 0.0


def _nested_tables(tc: Any) -> list[Any]:
    return [c for c in _block_children(tc) if c.tag == qn("w:tbl")]


def table_to_grid(tbl: Any) -> list[list[Cell]]:
    """The cell texts on the table grid: one list per row, all of the grid's width.

    A span's text sits in its first grid position and ``None`` fills the positions it
    covers; the positions of ``w:gridBefore``/``w:gridAfter`` (no cell at all) are
    ``None`` too, like pdfplumber's positions without a cell.
    """
    rows = [row_to_cells(tr) for tr in tbl.tr_lst]
    width = max([len(tbl.tblGrid.gridCol_lst), *(len(r) for r in rows)])
    return [cells + [None] * (width - len(cells)) for cells in rows]


def row_to_cells(tr: Any) -> list[Cell]:
    """One ``w:tr`` on the grid: text for each cell, ``None`` for covered positions."""
    cells: list[Cell] = [None] * tr.grid_before
    for tc in tr.tc_lst:
        span = max(tc.grid_span, 1)
        covered = tc.vMerge == VMERGE_CONTINUE or _hmerge(tc) == VMERGE_CONTINUE
        cells.append(None if covered else cell_text(tc))
        cells += [None] * (span - 1)
    return cells + [None] * tr.grid_after


def _hmerge(tc: Any) -> str | None:
    # w:hMerge is the pre-2007 way to merge horizontally; some converters still write it.
    tcPr = tc.tcPr
    hmerge = tcPr.find(qn("w:hMerge")) if tcPr is not None else None
    if hmerge is None:
        return None
    return str(hmerge.get(qn("w:val"), VMERGE_CONTINUE))


def cell_text(tc: Any) -> str:
    """A cell's paragraphs joined like a PDF cell's wrapped lines; nested tables excluded."""
    texts = [paragraph_text(c) for c in _block_children(tc) if c.tag == qn("w:p")]
    return clean_cell("\n".join(texts)) or ""
