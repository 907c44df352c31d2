"""Write a :class:`variants.doc.Doc` as .docx (python-docx, byte-reproducible) or .xlsx
(openpyxl), the way office templates print tables: A4, 宋体, ruled grids."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from .doc import Break, Doc, Grid, Para

FIXED = (2024, 1, 15, 9, 0, 0)
SONG = "宋体"


def _fonts(rpr: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), "Times New Roman")
    rfonts.set(qn("w:eastAsia"), SONG)


def _on(row: Any, *tags: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    for tag in tags:
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        trpr.append(el)


def _text(paragraph: Any, text: str, size: float, bold: bool, align: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    _fonts(run._r.get_or_add_rPr())
    paragraph.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                           "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]  # fmt: skip


def _table(doc: Any, grid: Grid, usable_cm: float) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    ncols = len(grid.cells[0])
    weights = grid.widths or [1.0] * ncols
    widths = [usable_cm * w / sum(weights) for w in weights]
    table = doc.add_table(rows=len(grid.cells), cols=ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for gc, w in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        gc.w = Cm(w)
    cells = table._cells  # one per grid position before any merge (table.cell is slow)
    tcs = [[cells[r * ncols + c]._tc for c in range(ncols)] for r in range(len(grid.cells))]
    for r, row in enumerate(table.rows):
        for tc, w in zip(tcs[r], widths, strict=True):
            tc.width = Cm(w)
        if r < grid.header_rows:
            _on(row, "w:cantSplit", *(["w:tblHeader"] if grid.repeat_header else []))
        elif grid.cant_split:
            _on(row, "w:cantSplit")
    for r, values in enumerate(grid.cells):
        for c, value in enumerate(values):
            if value:
                paragraph = cells[r * ncols + c].paragraphs[0]
                _text(paragraph, value, grid.size, r < grid.header_rows, "left")
    # Merges as Word writes them: vMerge restart/continue down a column, gridSpan along a
    # row (the covered w:tc removed). A grid's merges are one column or one row each.
    for r0, c0, r1, c1 in grid.merges:
        for r in range(r0, r1 + 1) if r1 > r0 else ():
            tcs[r][c0].vMerge = "restart" if r == r0 else "continue"
        if c1 > c0:
            first = tcs[r0][c0]
            first.get_or_add_tcPr().grid_span = c1 - c0 + 1
            first.width = Cm(sum(widths[c0 : c1 + 1]))
            for c in range(c0 + 1, c1 + 1):
                first.getparent().remove(tcs[r0][c])


def write_docx(doc: Doc, path: Path) -> None:
    """The document as .docx; the same ``doc`` gives the same bytes."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm, Pt

    out = Document()
    sec = out.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE if doc.landscape else WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = (
        (Cm(29.7), Cm(21.0)) if doc.landscape else (Cm(21.0), Cm(29.7))
    )
    sec.top_margin = sec.bottom_margin = Cm(2.0)
    sec.left_margin = sec.right_margin = Cm(2.0)
    usable = (29.7 if doc.landscape else 21.0) - 4.0
    normal = out.styles["Normal"]
    normal.font.size = Pt(10.5)
    _fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_after = Pt(0)
    cp = out.core_properties
    cp.author = cp.last_modified_by = "variants"
    cp.title, cp.revision = "variant", 1
    cp.created = cp.modified = cp.last_printed = dt.datetime(*FIXED)
    for block in doc.blocks:
        if isinstance(block, Para):
            _text(out.add_paragraph(), block.text, block.size, block.bold, block.align)
        elif isinstance(block, Grid):
            _table(out, block, usable)
        else:
            out.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    buf = io.BytesIO()
    out.save(buf)
    path.write_bytes(_fixed_zip(buf.getvalue()))


def _fixed_zip(data: bytes) -> bytes:
    """The zip with fixed member dates, so that equal documents have equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=FIXED)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            zout.writestr(member, zin.read(info.filename))
    return out.getvalue()


def write_xlsx(doc: Doc, path: Path) -> None:
    """The document as .xlsx: one sheet per ``Break(new_sheet=True)``, other page breaks as
    print breaks; a header row repeated by the printer is a print title."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break as RowBreak

    book = Workbook()
    ws: Any = book.active
    row = 1

    def setup(sheet: Any) -> None:
        sheet.page_setup.orientation = "landscape" if doc.landscape else "portrait"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4

    setup(ws)
    for block in doc.blocks:
        if isinstance(block, Para):
            ws.cell(row, 1, block.text)
            row += 1
        elif isinstance(block, Break):
            if block.new_sheet:
                ws = book.create_sheet(f"Sheet{len(book.worksheets) + 1}")
                setup(ws)
                row = 1
            else:
                ws.row_breaks.append(RowBreak(id=row - 1))
        else:
            for r, values in enumerate(block.cells):
                for c, value in enumerate(values):
                    if value is None:
                        continue
                    cell = ws.cell(row + r, c + 1)
                    fmt = block.numbers.get((r, c))
                    if fmt and value:
                        cell.value = float(Decimal(value.replace(",", "")))
                        cell.number_format = fmt
                    else:
                        cell.value = value
                        if value.startswith("="):  # text, as typed with a leading ', not a formula
                            cell.data_type = "s"
            for r0, c0, r1, c1 in block.merges:
                ws.merge_cells(start_row=row + r0, start_column=c0 + 1,
                               end_row=row + r1, end_column=c1 + 1)  # fmt: skip
            for c, w in enumerate(block.widths):
                ws.column_dimensions[get_column_letter(c + 1)].width = 6 * w
            if block.repeat_header and block.header_rows:
                ws.print_title_rows = f"{row}:{row + block.header_rows - 1}"
            row += len(block.cells)
    book.save(path)
