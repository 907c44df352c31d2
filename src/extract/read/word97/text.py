"""The main text of a Word 97-2003 binary document ([MS-DOC]), cut into paragraphs.

The piece table (the CLX's PlcPcd in the table stream) maps the main text's characters
(``ccpText`` of them) to bytes of the ``WordDocument`` stream: compressed pieces are
cp1252, one byte a character; the others UTF-16LE. The text is cut at paragraph marks
(``\\r``), cell and row marks (``\\x07``) and section marks (a ``\\x0c`` that ends a section
in the PlcfSed; any other ``\\x0c`` is a page break inside a paragraph and dropped, as the
.docx reader drops ``w:br type="page"``). Each paragraph gets its PAPX sprms (by the byte
offset of its mark) and those of its piece's complex ``Prm``; a piece's one-sprm ``Prm0``
is not applied.

In the text, field instructions (0x13 … 0x14) are dropped and field results kept; text
marked as a deleted revision is dropped (not paragraph marks); a vertical tab (soft line
break) becomes ``"\\n"``, 0x1E (non-breaking hyphen) ``"-"``, and other control characters
(pictures 0x01, drawn objects 0x08, footnote marks, optional hyphens) are removed.
"""

from __future__ import annotations

import re
import struct
from bisect import bisect_right
from dataclasses import dataclass

from extract.read.word97.fib import (
    FCLCB_CLX,
    FCLCB_PLCF_BTE_CHPX,
    FCLCB_PLCF_BTE_PAPX,
    FCLCB_PLCF_SED,
    Fib,
    PapxIndex,
    WordFormatError,
    deleted_runs,
    table_slice,
    u32,
)

MAX_TEXT_CHARS = 50_000_000
FC_COMPRESSED = 0x40000000
MARK_RE = re.compile("[\r\x07\x0c]")
NOT_MARK_RE = re.compile("[^\r\x07\x0c]")
SECTION_MARK = "\x0c"
FIELD_RE = re.compile("[\x13\x14\x15]")
FIELD_BEGIN, FIELD_SEP = "\x13", "\x14"
DROPPED = "\x00"  # stands for a deleted character until the control characters go
_CONTROLS = {c: None for c in range(0x20) if c not in (0x09, 0x0A, 0x0B)}
SPECIAL_CHARS = str.maketrans({**_CONTROLS, 0x0A: "\n", 0x0B: "\n", 0x1E: "-"})
# cp1252, keeping its five undefined bytes as the same code points.
_UNDEFINED_CP1252 = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
CP1252 = {b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in _UNDEFINED_CP1252}


@dataclass(frozen=True)
class Piece:
    """One entry of the piece table: characters [cp_start, cp_end) stored from byte ``fc``."""

    cp_start: int
    cp_end: int
    fc: int
    compressed: bool
    prm: int

    @property
    def char_size(self) -> int:
        """Bytes per character."""
        return 1 if self.compressed else 2


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the main text: its visible text, its mark and its sprms."""

    text: str
    mark: str  # "\r", "\x07" (cell or row end) or "\x0c" (section end)
    grpprl: bytes  # the PAPX's sprms, then the piece's


def read_paragraphs(word: bytes, table: bytes, data: bytes, fib: Fib) -> list[Paragraph]:
    """The paragraphs of the main text, in order, each with its sprms."""
    if not 0 <= fib.ccp_text <= MAX_TEXT_CHARS:
        raise WordFormatError(
            f"a main text of {fib.ccp_text:,} characters (the limit is {MAX_TEXT_CHARS:,})"
        )
    prcs, pieces = parse_clx(table_slice(table, fib, FCLCB_CLX))
    papx = PapxIndex(word, table_slice(table, fib, FCLCB_PLCF_BTE_PAPX), data)
    deleted = deleted_runs(word, table_slice(table, fib, FCLCB_PLCF_BTE_CHPX))
    section_ends = section_limits(table_slice(table, fib, FCLCB_PLCF_SED))
    out: list[Paragraph] = []
    pending: list[str] = []
    fields: list[bool] = []  # the open fields: True once past their separator
    for piece in pieces:
        if piece.cp_start >= fib.ccp_text:
            break
        text = _drop_deleted(piece_text(word, piece, fib.ccp_text), piece, deleted)
        extra = prcs[piece.prm >> 1] if piece.prm & 1 and piece.prm >> 1 < len(prcs) else b""
        pos = 0
        for match in MARK_RE.finditer(text):
            if match.group() == SECTION_MARK and piece.cp_start + match.end() not in section_ends:
                continue
            pending.append(text[pos : match.start()])
            grpprl = papx.lookup(piece.fc + match.start() * piece.char_size) + extra
            out.append(Paragraph(visible("".join(pending), fields), match.group(), grpprl))
            pending, pos = [], match.end()
        pending.append(text[pos:])
    return out


def parse_clx(clx: bytes) -> tuple[list[bytes], list[Piece]]:
    """The grpprls of the CLX's Prc entries and the pieces of its PlcPcd."""
    prcs: list[bytes] = []
    pos = 0
    while pos < len(clx) and clx[pos] == 0x01:
        size = struct.unpack_from("<h", clx, pos + 1)[0]
        if size < 0:
            raise WordFormatError("a Prc of the piece table has a negative size")
        prcs.append(clx[pos + 3 : pos + 3 + size])
        pos += 3 + size
    if pos >= len(clx) or clx[pos] != 0x02:
        raise WordFormatError("the piece table (Pcdt) is missing")
    lcb = u32(clx, pos + 1)
    plc = clx[pos + 5 : pos + 5 + lcb]
    if lcb < 16 or len(plc) < lcb or (lcb - 4) % 12:
        raise WordFormatError("the piece table (PlcPcd) has a bad size")
    count = (lcb - 4) // 12
    cps = struct.unpack_from(f"<{count + 1}I", plc)
    pieces = []
    for i in range(count):
        fc, prm = struct.unpack_from("<IH", plc, 4 * (count + 1) + 8 * i + 2)
        compressed = bool(fc & FC_COMPRESSED)
        fc &= 0x3FFFFFFF
        pieces.append(Piece(cps[i], cps[i + 1], fc // 2 if compressed else fc, compressed, prm))
    return prcs, pieces


def piece_text(word: bytes, piece: Piece, cp_limit: int) -> str:
    """The characters of ``piece`` before ``cp_limit``."""
    count = min(piece.cp_end, cp_limit) - piece.cp_start
    if count < 0:
        raise WordFormatError("the piece table's character positions go backwards")
    raw = word[piece.fc : piece.fc + count * piece.char_size]
    if len(raw) != count * piece.char_size:
        raise WordFormatError("a piece of the text lies past the end of the WordDocument stream")
    if piece.compressed:
        return raw.decode("latin-1").translate(CP1252)
    return raw.decode("utf-16-le", errors="replace")


def _drop_deleted(text: str, piece: Piece, deleted: list[tuple[int, int]]) -> str:
    """The piece's text with deleted-revision characters blanked, paragraph marks kept."""
    end = piece.fc + len(text) * piece.char_size
    parts: list[str] = []
    pos = 0
    i = bisect_right(deleted, piece.fc, key=lambda run: run[1])  # the first run ending after
    while i < len(deleted) and deleted[i][0] < end:
        start, limit = deleted[i]
        first = max((start - piece.fc) // piece.char_size, pos)
        last = max(-(-(min(limit, end) - piece.fc) // piece.char_size), first)
        parts += [text[pos:first], NOT_MARK_RE.sub(DROPPED, text[first:last])]
        pos, i = last, i + 1
    return "".join([*parts, text[pos:]]) if parts else text


def section_limits(plc: bytes) -> frozenset[int]:
    """The character positions just after each section mark (from the PlcfSed)."""
    if len(plc) < 4:
        return frozenset()
    count = (len(plc) - 4) // 16
    return frozenset(struct.unpack_from(f"<{count}I", plc, 4))


def visible(text: str, fields: list[bool]) -> str:
    """The text outside field instructions, without control characters.

    ``fields`` holds the fields still open (a field's result may hold paragraphs): an entry
    is True once past the field's separator, and text counts only if all entries are.
    """
    if not fields and FIELD_BEGIN not in text:
        return text.translate(SPECIAL_CHARS)
    kept: list[str] = []
    pos = 0
    for match in FIELD_RE.finditer(text):
        if all(fields):
            kept.append(text[pos : match.start()])
        if match.group() == FIELD_BEGIN:
            fields.append(False)
        elif match.group() == FIELD_SEP and fields:
            fields[-1] = True
        elif fields:
            fields.pop()
        pos = match.end()
    if all(fields):
        kept.append(text[pos:])
    return "".join(kept).translate(SPECIAL_CHARS)
