"""Text disclosures: title lines, then a table with tab-separated cells, one row per line."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from extract.enums import Format
from extract.errors import ExtractionError
from extract.read.base import Block, ExtractedDocument, RawRow, RawTable, TextLine
from extract.settings import Settings
from extract.values.textnorm import join_wrapped

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
ENCODINGS = ("utf-8", "gb18030")
NOISE_LINE_RE = re.compile(
    r"^(?:[-－—–]\s*\d+\s*[-－—–]|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$"
)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 or GB18030 (BOM first, then strict trials): never mojibake."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise ExtractionError(
                    f"text starts with a {encoding} byte-order mark but is not valid "
                    f"{encoding} ({exc.reason} at byte {exc.start}): damaged or mislabelled"
                ) from None
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ExtractionError("text is neither UTF-8 nor GB18030/GBK; re-save it in one of these")


def extract_txt(path: Path, settings: Settings) -> ExtractedDocument:
    """Read a text disclosure into lines and tables (pages split on form feeds)."""
    text, _ = decode_text(path.read_bytes())
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = text.split("\f")
    numbered = len(pages) > 1
    blocks: list[Block] = []
    for number, page_text in enumerate(pages, start=1):
        lines_to_blocks(page_text.split("\n"), number if numbered else None, blocks)
    return ExtractedDocument(
        format=Format.TXT, blocks=blocks, page_count=len(pages) if numbered else None
    )


def lines_to_blocks(lines: list[str], page: int | None, blocks: list[Block]) -> None:
    """Append a page's lines to ``blocks``: tab lines form tables, others are text lines.

    Inside a table, a physical line that broke inside a cell is joined back to its row:
    a row with fewer cells than the table's first row continues on the next line, and a
    line without tabs right below a row continues that row's last non-empty cell.
    """
    table: RawTable | None = blocks[-1] if blocks and isinstance(blocks[-1], RawTable) else None
    blank_since_row = True
    for line in (ln.rstrip("\n") for ln in lines):
        if not line.strip():
            blank_since_row = True
            continue
        if table is not None and _continues(table, line, blank_since_row):
            _append_fragment(table.rows[-1], line.split("\t"))
        elif "\t" in line:
            if table is None:
                table = RawTable(rows=[], page=page)
                blocks.append(table)
            table.rows.append(RawRow(cells=list[str | None](line.split("\t")), page=page))
        else:
            if not NOISE_LINE_RE.match(line.strip()):
                table = None
            blocks.append(TextLine(text=line.strip(), page=page))
        blank_since_row = False


def _continues(table: RawTable, line: str, blank_since_row: bool) -> bool:
    ncols = len(table.rows[0].cells)
    prev = table.rows[-1].cells
    parts = line.split("\t")
    if len(parts) == 1 and (NOISE_LINE_RE.match(line.strip()) or line.lstrip().startswith("注")):
        return False
    if len(prev) < ncols:
        return len(parts) == 1 or len(prev) + len(parts) - 1 == ncols
    return len(parts) == 1 and not blank_since_row


def _append_fragment(row: RawRow, parts: list[str]) -> None:
    cells = row.cells
    if len(parts) == 1 and cells and not cells[-1]:
        # The row is complete and ends in empty cells: continue its last non-empty cell.
        idx = max((i for i, c in enumerate(cells) if c), default=len(cells) - 1)
        cells[idx] = join_wrapped([cells[idx] or "", parts[0]])
        return
    cells[-1] = join_wrapped([cells[-1] or "", parts[0]])
    cells.extend(parts[1:])
