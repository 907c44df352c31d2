"""Word 97-2003 binary structures ([MS-DOC]) below the text: FIB, sprms and property pages.

Reads the File Information Block at the start of the ``WordDocument`` stream (FibBase,
FibRgLw97, FibRgFcLcb), walks a grpprl's sprms (Prl: a 16-bit sprm, then an operand whose
size the sprm's spra gives), and indexes the formatted disk pages (FKPs) that the table
stream's PlcBtePapx / PlcBteChpx point to: the PAPX of each paragraph run (with the grpprl of
``sprmPHugePapx`` from the ``Data`` stream) and the character runs marked as deleted
revisions (sprmCFRMarkDel). Other character properties are not read.

Every failure on bad bytes is a :class:`WordFormatError` or a ``struct``/index error, which
``reader`` turns into :class:`extract.errors.ExtractionError`.
"""

from __future__ import annotations

import struct
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

FKP_SIZE = 512
WORD_SIGNATURE = 0xA5EC
FCLCB_PLCF_SED = 6
FCLCB_PLCF_BTE_CHPX = 12
FCLCB_PLCF_BTE_PAPX = 13
FCLCB_CLX = 33
SPRM_HUGE_PAPX = 0x6646
HUGE_PAPX_BYTES = SPRM_HUGE_PAPX.to_bytes(2, "little")
SPRM_TDEF_TABLE = 0xD608
SPRM_PCHG_TABS = 0xC615
SPRM_CF_RMARK_DEL = 0x0800
RMARK_DEL_BYTES = SPRM_CF_RMARK_DEL.to_bytes(2, "little")
# Operand size in bytes by spra (the sprm's top 3 bits); None: variable length.
SPRA_SIZES: tuple[int | None, ...] = (1, 1, 2, 4, 2, 2, None, 3)


class WordFormatError(Exception):
    """The bytes break the [MS-DOC] structure (``reader`` turns it into ExtractionError)."""


@dataclass(frozen=True)
class Fib:
    """The parts of the File Information Block the reader uses."""

    n_fib: int
    flags: int  # FibBase flags: fEncrypted 0x0100, fWhichTblStm 0x0200, fObfuscated 0x8000
    ccp_text: int  # characters of the main document text
    fc_lcb: tuple[tuple[int, int], ...]  # (fc, lcb) pairs of FibRgFcLcb

    @property
    def encrypted(self) -> bool:
        """fEncrypted (password) or fObfuscated (XOR) is set."""
        return bool(self.flags & 0x8100)

    @property
    def table_stream(self) -> str:
        """The name of the table stream (fWhichTblStm)."""
        return "1Table" if self.flags & 0x0200 else "0Table"


def u16(data: bytes, pos: int) -> int:
    """An unsigned little-endian 16-bit integer."""
    return int(struct.unpack_from("<H", data, pos)[0])


def u32(data: bytes, pos: int) -> int:
    """An unsigned little-endian 32-bit integer."""
    return int(struct.unpack_from("<I", data, pos)[0])


def parse_fib(word: bytes) -> Fib:
    """The FIB at the start of the WordDocument stream."""
    if len(word) < 34 or u16(word, 0) != WORD_SIGNATURE:
        raise WordFormatError("no Word signature")
    pos = 32 + 2 + 2 * u16(word, 32)  # past FibBase, csw and FibRgW97
    cslw = u16(word, pos)
    lw = struct.unpack_from(f"<{cslw}i", word, pos + 2)
    pos += 2 + 4 * cslw
    count = u16(word, pos)
    pairs = struct.unpack_from(f"<{2 * count}I", word, pos + 2)
    if cslw < 4 or count <= FCLCB_CLX:
        raise WordFormatError("too short for Word 97")
    fc_lcb = tuple(zip(pairs[::2], pairs[1::2], strict=True))
    return Fib(n_fib=u16(word, 2), flags=u16(word, 0x0A), ccp_text=lw[3], fc_lcb=fc_lcb)


def table_slice(table: bytes, fib: Fib, index: int) -> bytes:
    """The structure that pair ``index`` of FibRgFcLcb places in the table stream."""
    fc, lcb = fib.fc_lcb[index]
    if fc + lcb > len(table):
        raise WordFormatError(f"structure {index} of the FIB lies past the table stream")
    return table[fc : fc + lcb]


def iter_sprms(grpprl: bytes) -> Iterator[tuple[int, bytes]]:
    """(sprm, operand) of each Prl; a variable operand comes without its size prefix."""
    pos, end = 0, len(grpprl)
    while pos + 2 <= end:
        sprm = grpprl[pos] | grpprl[pos + 1] << 8
        pos += 2
        size = SPRA_SIZES[sprm >> 13]
        if size is None:
            size, pos = _variable_size(grpprl, sprm, pos)
        if size < 0 or pos + size > end:
            return  # a truncated last Prl: ignored, as Word does
        yield sprm, grpprl[pos : pos + size]
        pos += size


def _variable_size(grpprl: bytes, sprm: int, pos: int) -> tuple[int, int]:
    """The operand size of a variable-length sprm and where its operand starts."""
    if pos >= len(grpprl):
        return -1, pos
    if sprm == SPRM_TDEF_TABLE:  # a 16-bit size, counting one byte too many
        return (u16(grpprl, pos) - 1, pos + 2) if pos + 2 <= len(grpprl) else (-1, pos)
    if sprm == SPRM_PCHG_TABS and grpprl[pos] == 255 and pos + 1 < len(grpprl):
        deleted = grpprl[pos + 1]
        added_at = pos + 2 + 4 * deleted
        added = grpprl[added_at] if added_at < len(grpprl) else 0
        return 3 + 4 * deleted + 3 * added, pos
    return grpprl[pos], pos + 1


def fkp_pages(word: bytes, plc: bytes) -> Iterator[bytes]:
    """The 512-byte FKPs a PlcBtePapx or PlcBteChpx points to, in order."""
    if len(plc) < 4 or (len(plc) - 4) % 8:
        raise WordFormatError("a property page index (PlcBte) has a bad size")
    count = (len(plc) - 4) // 8
    for pn in struct.unpack_from(f"<{count}I", plc, 4 * (count + 1)):
        start = (pn & 0x3FFFFF) * FKP_SIZE
        page = word[start : start + FKP_SIZE]
        if len(page) != FKP_SIZE:
            raise WordFormatError("a property page (FKP) lies past the WordDocument stream")
        yield page


def fkp_runs(page: bytes, entry_size: int) -> Iterator[tuple[int, int, int]]:
    """(first byte, byte limit, property offset in the page) of each run of an FKP."""
    crun = page[511]
    fcs = struct.unpack_from(f"<{crun + 1}I", page)
    for i in range(crun):
        yield fcs[i], fcs[i + 1], 2 * page[4 * (crun + 1) + entry_size * i]


class PapxIndex:
    """The PAPX grpprl of every paragraph run, found by the byte offset of a paragraph mark."""

    def __init__(self, word: bytes, plc: bytes, data: bytes) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.grpprls: list[bytes] = []
        self.data = data
        for page in fkp_pages(word, plc):
            for start, end, offset in fkp_runs(page, 13):  # BxPap: offset byte + 12-byte PHE
                self.starts.append(start)
                self.ends.append(end)
                self.grpprls.append(self._papx(page, offset) if offset else b"")
        if any(a > b for a, b in zip(self.starts, self.starts[1:], strict=False)):
            raise WordFormatError("the paragraph runs are out of order")

    def _papx(self, page: bytes, offset: int) -> bytes:
        cb = page[offset]
        start, size = (offset + 1, 2 * cb - 1) if cb else (offset + 2, 2 * page[offset + 1])
        grpprl = page[start + 2 : start + size]  # after the style index (istd)
        if HUGE_PAPX_BYTES not in grpprl:  # most PAPX: no need to walk the sprms
            return grpprl
        for sprm, operand in iter_sprms(grpprl):
            if sprm == SPRM_HUGE_PAPX and len(operand) == 4:
                at = u32(operand, 0)
                return grpprl + self.data[at + 2 : at + 2 + u16(self.data, at)]
        return grpprl

    def lookup(self, fc: int) -> bytes:
        """The PAPX grpprl of the run holding byte ``fc`` (empty if no run does)."""
        i = bisect_right(self.starts, fc) - 1
        return self.grpprls[i] if i >= 0 and fc < self.ends[i] else b""


def deleted_runs(word: bytes, plc: bytes) -> list[tuple[int, int]]:
    """The byte ranges of text marked as a deleted revision (sprmCFRMarkDel on)."""
    runs: list[tuple[int, int]] = []
    if not plc:  # no character properties at all: nothing is deleted
        return runs
    for page in fkp_pages(word, plc):
        for start, end, offset in fkp_runs(page, 1):
            if offset and _is_deleted(page[offset + 1 : offset + 1 + page[offset]]):
                runs.append((start, end))
    return runs


def _is_deleted(grpprl: bytes) -> bool:
    if RMARK_DEL_BYTES not in grpprl:  # most runs: no need to walk the sprms
        return False
    deleted = False
    for sprm, operand in iter_sprms(grpprl):
        if sprm == SPRM_CF_RMARK_DEL:
            deleted = operand[0] == 1
    return deleted
