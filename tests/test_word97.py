"""Word 97-2003 binary documents read in pure Python (extract.read.word97.reader).

The committed .doc fixtures are LibreOffice's Word 97 export of the .docx beside them: read
without LibreOffice they must give the blocks the .docx reader gives for the .docx, grid
position by grid position. What LibreOffice cannot write (cp1252 pieces, Word's own way of
storing ``gridBefore`` and merges, section marks, odd bytes) is checked on small documents
built here byte by byte: a minimal OLE2 writer and a minimal [MS-DOC] writer.
"""

from __future__ import annotations

import random
import shutil
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import olefile
import pytest
from _paths import FIXTURES

from extract.errors import ExtractionError
from extract.read.base import Block, RawRow, RawTable, TextLine
from extract.read.docx import extract_docx
from extract.read.word97.reader import read_word_binary
from extract.settings import Settings
from extract.values.textnorm import clean_cell

DOCS = FIXTURES / "docs"
# Each pair matches exactly. Two things LibreOffice's .doc export loses, seen on documents
# made for this (not committed): a w:gridBefore/w:gridAfter becomes a real empty cell ("",
# not None), and a page break inside a paragraph splits it in two (the .docx reader joins
# the text around a w:br type="page"). Word itself stores both losslessly; the tables and
# breaks of the built documents below check the reader on Word's way of storing them.
PAIRS = ["rows-merged", "packed-nested", "form", "rows-split-tables"]

# ---------------------------------------------------------------- a minimal OLE2 writer

SECTOR = 512
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _ole2(streams: dict[str, bytes]) -> bytes:
    """A compound file (version 3, no mini stream) holding ``streams`` in its root."""
    names = sorted(streams, key=lambda n: (len(n), n.upper()))  # the order CFB compares by
    bodies = [streams[n].ljust(max(4096, -(-len(streams[n]) // SECTOR) * SECTOR), b"\0")
              for n in names]  # fmt: skip
    dir_sectors = -(-(len(names) + 1) // 4)
    data_sectors = dir_sectors + sum(len(b) // SECTOR for b in bodies)
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + data_sectors:
        fat_sectors += 1
    fat = [FATSECT] * fat_sectors
    starts = []
    for size in [dir_sectors * SECTOR] + [len(b) for b in bodies]:
        starts.append(len(fat))
        count = size // SECTOR
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [END]
    fat += [FREE] * (fat_sectors * 128 - len(fat))
    entries = [_dir_entry("Root Entry", 5, END, 0, child=1 if names else NOSTREAM)]
    for i, (name, start, body) in enumerate(zip(names, starts[1:], bodies, strict=True)):
        right = i + 2 if i + 1 < len(names) else NOSTREAM
        entries.append(_dir_entry(name, 2, start, len(body), right=right))
    directory = b"".join(entries).ljust(dir_sectors * SECTOR, b"\0")
    difat = list(range(fat_sectors)) + [FREE] * (109 - fat_sectors)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I", bytes.fromhex("d0cf11e0a1b11ae1"), b"", 0x3E, 3,
        0xFFFE, 9, 6, b"", 0, fat_sectors, starts[0], 0, 4096, END, 0, END, 0, *difat,
    )  # fmt: skip
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    return header + fat_bytes + directory + b"".join(bodies)


def _dir_entry(name: str, kind: int, start: int, size: int, *, right: int = NOSTREAM,
               child: int = NOSTREAM) -> bytes:  # fmt: skip
    encoded = (name + "\0").encode("utf-16-le")
    return struct.pack(
        "<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, NOSTREAM, right, child, b"", 0,
        0, 0, start, size,
    )  # fmt: skip


# ---------------------------------------------------------------- a minimal [MS-DOC] writer

IN_TABLE = b"\x16\x24\x01"  # sprmPFInTable
TTP = b"\x17\x24\x01"  # sprmPFTtp
INNER_CELL = b"\x4b\x24\x01"  # sprmPFInnerTableCell
INNER_TTP = b"\x4c\x24\x01"  # sprmPFInnerTtp
DEL = b"\x00\x08\x01"  # sprmCFRMarkDel: a deleted revision
FIB_FLAGS = 0x1200  # fExtChar, fWhichTblStm: the table stream is 1Table


def itap(depth: int) -> bytes:
    """sprmPItap: the table depth."""
    return struct.pack("<Hi", 0x6649, depth)


def tdef(edges: list[int], flags: list[int] | None = None) -> bytes:
    """sprmTDefTable: the cell boundaries and a TC80 (its tcgrf flags) per cell."""
    flags = flags or [0] * (len(edges) - 1)
    body = bytes([len(edges) - 1]) + struct.pack(f"<{len(edges)}h", *edges)
    body += b"".join(struct.pack("<H", f) + b"\0" * 18 for f in flags)
    return struct.pack("<HH", 0xD608, len(body) + 1) + body


def vert_merge(itc: int, flags: int) -> bytes:
    """sprmTVertMerge: cell ``itc`` merged with the one above (1) or starting a merge (3)."""
    return struct.pack("<HBBB", 0xD62B, 2, itc, flags)


Run = tuple[int, int, bytes]  # first byte, byte limit, property bytes
Packer = Callable[[list[Run]], list[tuple[int, bytes]]]


@dataclass
class Para:
    """A paragraph to write: its text with its mark, its sprms, its storage."""

    text: str
    grpprl: bytes = b""
    compressed: bool = False  # stored as cp1252, one byte a character
    deleted: tuple[int, int] | None = None  # characters marked as a deleted revision


@dataclass
class WordDoc:
    """The streams of a Word 97 document built from paragraphs (one piece each)."""

    paras: list[Para]
    section_ends: list[int] = field(default_factory=list)  # CPs after section marks

    def streams(self) -> dict[str, bytes]:
        """WordDocument and 1Table."""
        word = bytearray(1024)
        pieces, papx, chpx, cp = [], [], [], 0
        for para in self.paras:
            raw = para.text.encode("cp1252" if para.compressed else "utf-16-le")
            fc, size = len(word), 1 if para.compressed else 2
            pieces.append((cp, cp + len(para.text), fc * 2 | 0x40000000 if para.compressed else fc))
            papx.append((fc, fc + len(raw), b"\0\0" + para.grpprl))
            first, last = para.deleted or (0, 0)
            chpx += [(fc, fc + first * size, b""), (fc + first * size, fc + last * size, DEL),
                     (fc + last * size, fc + len(raw), b"")]  # fmt: skip
            word += raw
            cp += len(para.text)
        table = bytearray()
        fc_lcb = {33: self._clx(table, pieces, cp)}
        fc_lcb[13] = self._plc_bte(word, table, papx, _papx_fkps)
        chpx = [run for run in chpx if run[1] > run[0]]
        fc_lcb[12] = self._plc_bte(word, table, chpx, _chpx_fkps)
        sed = [0, *self.section_ends, cp]
        fc_lcb[6] = (len(table), 4 * len(sed) + 12 * (len(sed) - 1))
        table += struct.pack(f"<{len(sed)}I", *sed) + b"\0" * 12 * (len(sed) - 1)
        word[:900] = self._fib(cp, len(word), fc_lcb)
        return {"WordDocument": bytes(word), "1Table": bytes(table)}

    def _fib(self, ccp_text: int, cb_mac: int, fc_lcb: dict[int, tuple[int, int]]) -> bytes:
        base = struct.pack("<HHHHHHHH", 0xA5EC, 0x00C1, 0, 0x0409, 0, FIB_FLAGS, 0xBF, 0)
        lw = [cb_mac, 0, 0, ccp_text] + [0] * 18
        pairs = [v for i in range(93) for v in fc_lcb.get(i, (0, 0))]
        return (base.ljust(32, b"\0") + struct.pack("<H", 14) + b"\0" * 28
                + struct.pack("<H22i", 22, *lw) + struct.pack("<H186I", 93, *pairs) + b"\0\0")  # fmt: skip

    @staticmethod
    def _clx(table: bytearray, pieces: list[tuple[int, int, int]], cp_end: int) -> tuple[int, int]:
        cps = [p[0] for p in pieces] + [cp_end]
        plc = struct.pack(f"<{len(cps)}I", *cps)
        plc += b"".join(struct.pack("<HIH", 0, fc, 0) for _, _, fc in pieces)
        clx = b"\x02" + struct.pack("<I", len(plc)) + plc
        table += clx
        return 0, len(clx)

    @staticmethod
    def _plc_bte(
        word: bytearray, table: bytearray, runs: list[Run], pack: Packer
    ) -> tuple[int, int]:
        pages = pack(runs)
        word += b"\0" * (-len(word) % SECTOR)
        fcs, pns = [], []
        for first_fc, page in pages:
            fcs.append(first_fc)
            pns.append(len(word) // SECTOR)
            word += page
        fcs.append(runs[-1][1])
        plc = struct.pack(f"<{len(fcs)}I{len(pns)}I", *fcs, *pns)
        table += plc
        return len(table) - len(plc), len(plc)

    def write(self, path: Path) -> Path:
        """The document as a .doc file."""
        path.write_bytes(_ole2(self.streams()))
        return path


def _fkps(runs: list[Run], entry: int, blob: Callable[[bytes], bytes]) -> list[tuple[int, bytes]]:
    """Pack runs (first byte, limit, property bytes) into 512-byte FKPs."""
    pages: list[tuple[int, bytes]] = []
    i = 0
    while i < len(runs):
        page, top = bytearray(SECTOR), SECTOR - 1
        taken: list[tuple[Run, int]] = []
        while i < len(runs):
            data = blob(runs[i][2])
            offset = (top - len(data)) & ~1
            if 4 * (len(taken) + 2) + entry * (len(taken) + 1) > offset:
                break
            page[offset : offset + len(data)] = data
            taken.append((runs[i], offset))
            top, i = offset, i + 1
        fcs = [r[0] for r, _ in taken] + [taken[-1][0][1]]
        page[: 4 * len(fcs)] = struct.pack(f"<{len(fcs)}I", *fcs)
        for k, (_, offset) in enumerate(taken):
            page[4 * len(fcs) + entry * k] = offset // 2
        page[511] = len(taken)
        pages.append((fcs[0], bytes(page)))
    return pages


def _papx_blob(grpprl: bytes) -> bytes:
    if len(grpprl) % 2:
        return bytes([(len(grpprl) + 1) // 2]) + grpprl
    return bytes([0, len(grpprl) // 2]) + grpprl


def _papx_fkps(runs: list[Run]) -> list[tuple[int, bytes]]:
    return _fkps(runs, 13, _papx_blob)


def _chpx_fkps(runs: list[Run]) -> list[tuple[int, bytes]]:
    return _fkps(runs, 1, lambda g: bytes([len(g)]) + g)


def cell(text: str, depth: int = 1) -> Para:
    """A paragraph ending a cell: ``\\x07`` at depth 1, a flagged ``\\r`` deeper down."""
    if depth == 1:
        return Para(text + "\x07", IN_TABLE)
    return Para(text + "\r", IN_TABLE + itap(depth) + INNER_CELL)


def row_end(edges: list[int], flags: list[int] | None = None, depth: int = 1,
            extra: bytes = b"") -> Para:  # fmt: skip
    """The row-end paragraph with the row's TAP."""
    if depth == 1:
        return Para("\x07", IN_TABLE + TTP + tdef(edges, flags) + extra)
    return Para("\r", IN_TABLE + itap(depth) + INNER_CELL + INNER_TTP + tdef(edges, flags) + extra)


def _blocks(*paras: Para, tmp: Path, section_ends: tuple[int, ...] = ()) -> list[Block]:
    """The blocks of a document built from ``paras``, tables without their column edges."""
    doc = WordDoc(list(paras), section_ends=list(section_ends))
    return _without_x(read_word_binary(doc.write(tmp / "built.doc")))


def _without_x(blocks: list[Block]) -> list[Block]:
    return [RawTable(rows=b.rows) if isinstance(b, RawTable) else b for b in blocks]


def _table(*rows: list[str | None]) -> RawTable:
    return RawTable(rows=[RawRow(cells=list(r)) for r in rows])


# ---------------------------------------------------------------- the fixtures vs their .docx


def _first_difference(got: list[Block], want: list[Block]) -> str:
    for i, (a, b) in enumerate(zip(got, want, strict=False)):
        if type(a) is not type(b) or (isinstance(a, TextLine) and a != b):
            return f"block {i}: {a!r} != {b!r}"
        if isinstance(a, RawTable) and isinstance(b, RawTable):
            for r, (ra, rb) in enumerate(zip(a.rows, b.rows, strict=False)):
                for c, (ca, cb) in enumerate(zip(ra.cells, rb.cells, strict=False)):
                    if ca != cb:
                        return f"table block {i}, row {r}, column {c}: {ca!r} != {cb!r}"
                if len(ra.cells) != len(rb.cells):
                    return f"table block {i}, row {r}: {len(ra.cells)} != {len(rb.cells)} cells"
            if len(a.rows) != len(b.rows):
                return f"table block {i}: {len(a.rows)} != {len(b.rows)} rows"
    return f"{len(got)} != {len(want)} blocks"


@pytest.mark.parametrize("name", PAIRS)
def test_a_doc_gives_the_blocks_of_its_docx_twin(name: str) -> None:
    got = read_word_binary(DOCS / f"{name}.doc")
    want = extract_docx(DOCS / f"{name}.docx", Settings()).blocks
    assert _without_x(got) == _without_x(want), _first_difference(got, want)
    for a, b in zip(got, want, strict=True):  # the columns' left edges, twips rounded
        if isinstance(a, RawTable) and isinstance(b, RawTable):
            assert a.col_x == pytest.approx(b.col_x, abs=1.0)


def test_the_fixtures_hold_merges_and_nesting() -> None:
    """The pairs above exercise what they are meant to: spans, merges, a 1x1 frame."""
    merged = [b for b in read_word_binary(DOCS / "rows-merged.doc") if isinstance(b, RawTable)]
    header = merged[0].rows[0].cells
    assert header[:5] == ["项目名称", "项目金额（万元）", None, None, "绩效目标"]
    assert merged[0].rows[3].cells[:5] == [None] * 5  # vertical merge continuations
    assert len({len(r.cells) for r in merged[0].rows}) == 1
    nested = read_word_binary(DOCS / "packed-nested.doc")
    assert [type(b).__name__ for b in nested] == ["TextLine", "TextLine", "RawTable", "TextLine"]
    form = [b for b in read_word_binary(DOCS / "form.doc") if isinstance(b, RawTable)]
    assert len(form) == 3 and form[0].rows[3].cells[0] == "项目资金（元）"
    assert form[0].rows[4].cells[0] is None and "" in form[0].rows[5].cells


def test_a_hundred_pages_of_tables_are_all_read(tmp_path: Path) -> None:
    """(Speed is measured by bench/doc_readers.py, not here.)"""
    paras: list[Para] = []
    for k in range(100):  # a page: a heading, a paragraph, a 12-row table
        paras += [Para(f"Heading {k}\r"), Para("lorem ipsum dolor sit amet " * 30 + "\r")]
        for r in range(12):
            paras += [cell(f"{k}-{r}-{c} 数据") for c in range(6)]
            paras.append(row_end([0, 900, 1800, 2700, 3600, 4500, 5400]))
    path = WordDoc([*paras, Para("end\r")]).write(tmp_path / "big.doc")
    blocks = read_word_binary(path)
    tables = [b for b in blocks if isinstance(b, RawTable)]
    assert len(tables) == 100 and {len(t.rows) for t in tables} == {12}
    assert tables[99].rows[11].cells == [f"99-11-{c}数据" for c in range(6)]  # clean_cell


# ---------------------------------------------------------------- text


def test_text_pieces_in_cp1252_and_utf16(tmp_path: Path) -> None:
    blocks = _blocks(
        Para("Price: 5 € — “ok”\r", compressed=True),
        Para("项目名称（万元）\r"),
        Para("plain ascii\r", compressed=True),
        tmp=tmp_path,
    )
    assert blocks == [
        TextLine("Price: 5 € — “ok”"),
        TextLine("项目名称（万元）"),
        TextLine("plain ascii"),
    ]


def test_fields_keep_their_result_only(tmp_path: Path) -> None:
    blocks = _blocks(
        Para('See \x13 HYPERLINK "http://x" \x14the site\x15 now\r'),
        Para("Page \x13 PAGE \x15 gone; \x13 IF \x13 DATE \x14x\x15 \x14kept\x15 end\r"),
        Para("\x13 TOC \\o \x14first entry\r"),  # a result that runs over paragraphs
        Para("second entry\x15\r"),
        Para("chart: \x13 EMBED Excel.Sheet.8 \x14\x01\x15.\r"),
        tmp=tmp_path,
    )
    assert [b.text for b in blocks if isinstance(b, TextLine)] == [
        "See the site now", "Page gone; kept end", "first entry", "second entry", "chart: .",
    ]  # fmt: skip


def test_control_characters_breaks_and_sections(tmp_path: Path) -> None:
    paras = [
        Para("one\x0btwo\tcols\r"),  # a soft line break: two lines
        Para("pic\x01 and shape\x08 and non\x1ebreaking and soft\x1fhyphen\r"),
        Para("before page\x0cafter page\r"),  # a page break inside a paragraph: dropped
        Para("last of section\x0c"),  # a section mark ends its paragraph
        Para("next section\r"),
        Para("\r"),
    ]
    section_end = sum(len(p.text) for p in paras[:4])
    blocks = _blocks(*paras, tmp=tmp_path, section_ends=(section_end,))
    texts = [b.text for b in blocks if isinstance(b, TextLine)]
    assert texts[:2] == ["one", clean_cell("two\tcols")]
    assert texts[2:] == ["pic and shape and non-breaking and softhyphen", "before pageafter page",
                         "last of section", "next section"]  # fmt: skip


def test_deleted_revisions_are_dropped(tmp_path: Path) -> None:
    blocks = _blocks(
        Para("kept GONE end\r", deleted=(5, 10)),
        cell("a"), cell("b gone"), row_end([0, 100, 200]),
        Para("whole\r", deleted=(0, 6)),  # the mark stays: the paragraph is empty
        Para("after\r"),
        tmp=tmp_path,
    )  # fmt: skip
    assert blocks == [TextLine("kept end"), _table(["a", "b gone"]), TextLine("after")]


# ---------------------------------------------------------------- tables


def test_a_table_on_the_grid_of_all_its_rows(tmp_path: Path) -> None:
    """Word's own storage: gridBefore as a shifted first boundary, merges in TC80 flags."""
    blocks = _blocks(
        Para("Title\r"),
        cell("first"), cell(""), cell("a3"), row_end([0, 1000, 2000, 3000]),
        cell("b1"), cell("b2"), row_end([0, 2000, 3000]),  # a span over two columns
        cell("c1"), cell("c2"), row_end([1000, 2000, 3000]),  # gridBefore
        cell("d1"), cell("d2"), cell("d3"),
        row_end([0, 1000, 2000, 3000], [0x0060, 0x0020, 0x0002]),  # restart, continue, fMerged
        cell("e1"), cell("e2"), row_end([0, 1000, 2000], extra=vert_merge(1, 1)),  # short row
        cell("f1"), cell("f2"), cell("f3"), row_end([0, 1003, 2000, 3000]),  # near lines: one
        Para("after\r"),
        tmp=tmp_path,
    )  # fmt: skip
    assert blocks == [
        TextLine("Title"),
        _table(["first", "", "a3"], ["b1", None, "b2"], [None, "c1", "c2"], ["d1", None, None],
               ["e1", None, None], ["f1", "f2", "f3"]),
        TextLine("after"),
    ]  # fmt: skip


def test_cell_paragraphs_join_and_empty_rows_stay(tmp_path: Path) -> None:
    blocks = _blocks(
        Para("first para\r", IN_TABLE), Para("second\x0bline\x07", IN_TABLE), cell(""),
        row_end([0, 500, 1000]),
        cell(""), cell(""), row_end([0, 500, 1000]),
        tmp=tmp_path,
    )  # fmt: skip
    assert blocks == [_table([clean_cell("first para\nsecond\nline"), ""], ["", ""])]


def test_nested_tables_follow_their_outer_table(tmp_path: Path) -> None:
    inner = [
        cell("i1", 2), cell("i2", 2), row_end([0, 300, 600], depth=2),
        cell("i3", 2), cell("", 2), row_end([0, 300, 600], [0, 0x20], depth=2),
    ]  # fmt: skip
    blocks = _blocks(
        cell("left"),
        Para("holder\r", IN_TABLE + itap(1)), *inner, Para("after inner\x07", IN_TABLE + itap(1)),
        row_end([0, 1000, 2000]),
        Para("between\r"),
        # a 1x1 layout frame: its content is read as if it stood in the body
        Para("framed heading\r", IN_TABLE), *inner, Para("framed note\x07", IN_TABLE),
        row_end([0, 5000]),
        tmp=tmp_path,
    )  # fmt: skip
    inner_table = _table(["i1", "i2"], ["i3", None])
    assert blocks == [
        _table(["left", clean_cell("holder\nafter inner")]), inner_table,
        TextLine("between"), TextLine("framed heading"), inner_table, TextLine("framed note"),
    ]  # fmt: skip


def test_a_table_without_row_ends_or_boundaries_still_reads(tmp_path: Path) -> None:
    blocks = _blocks(
        cell("a"), cell("b"), Para("\x07", IN_TABLE + TTP),  # a row end without a TAP
        cell("c"), cell("d"), cell("e"),  # the table ends without a row end
        Para("body\r"),
        tmp=tmp_path,
    )  # fmt: skip
    assert blocks == [_table(["a", "b", None], ["c", "d", "e"]), TextLine("body")]


# ---------------------------------------------------------------- refused and damaged files


def _with_fib(tmp_path: Path, offset: int, fmt: str, value: int) -> Path:
    """A copy of a fixture with one FIB field of its WordDocument stream changed."""
    path = tmp_path / "changed.doc"
    shutil.copyfile(DOCS / "packed-nested.doc", path)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        word = bytearray(ole.openstream("WordDocument").read())
        struct.pack_into(fmt, word, offset, value)
        ole.write_stream("WordDocument", bytes(word))
    return path


def _flags(tmp_path: Path, set_bits: int = 0, clear_bits: int = 0) -> Path:
    with olefile.OleFileIO(str(DOCS / "packed-nested.doc")) as ole:
        flags = struct.unpack_from("<H", ole.openstream("WordDocument").read(), 0x0A)[0]
    return _with_fib(tmp_path, 0x0A, "<H", (flags | set_bits) & ~clear_bits)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: _flags(p, set_bits=0x0100), "password-protected"),
        (lambda p: _flags(p, set_bits=0x8000), "obfuscated"),
        (lambda p: _with_fib(p, 2, "<H", 0x0068), "Word 6/95"),
        (lambda p: _flags(p, clear_bits=0x0200), "no 0Table stream"),
        (lambda p: _with_fib(p, 64 + 12, "<i", 60_000_000), "60,000,000 characters"),
        (lambda p: _with_fib(p, 154 + 33 * 8 + 4, "<I", 10**8), "damaged"),
    ],
    ids=["encrypted", "obfuscated", "word95", "no-table-stream", "huge-text", "bad-clx"],
)
def test_refused_documents_say_why(tmp_path: Path, make: object, message: str) -> None:
    with pytest.raises(ExtractionError, match=message):
        read_word_binary(make(tmp_path))  # type: ignore[operator]


def test_an_encrypted_package_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "locked.doc"
    path.write_bytes(_ole2({"EncryptionInfo": b"\4\0\4\0", "EncryptedPackage": b"x" * 100}))
    with pytest.raises(ExtractionError, match="password-protected"):
        read_word_binary(path)


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_a_truncated_doc_is_damaged(tmp_path: Path, cut: float) -> None:
    data = (DOCS / "rows-merged.doc").read_bytes()
    path = tmp_path / "cut.doc"
    path.write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(ExtractionError, match=r"damaged|not a Word"):
        read_word_binary(path)


def test_garbage_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExtractionError):
        read_word_binary(FIXTURES / "bad" / "ole2-garbage.doc")
    random_tail = tmp_path / "random.doc"
    random_tail.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + random.Random(7).randbytes(9000))
    with pytest.raises(ExtractionError):
        read_word_binary(random_tail)
    text = tmp_path / "text.doc"
    text.write_text("not a document")
    with pytest.raises(ExtractionError, match="not an OLE2 file"):
        read_word_binary(text)
    other = tmp_path / "book.xls"
    other.write_bytes(_ole2({"Workbook": b"\0" * 100}))
    with pytest.raises(ExtractionError, match="no WordDocument"):
        read_word_binary(other)


def test_damaged_bytes_give_only_extraction_errors(tmp_path: Path) -> None:
    """Bytes changed at random in the streams: a result or an ExtractionError, never another."""
    with olefile.OleFileIO(str(DOCS / "packed-nested.doc")) as ole:
        streams = {n: ole.openstream(n).read() for n in ("WordDocument", "1Table")}
    rnd = random.Random(20240501)
    path = tmp_path / "fuzz.doc"
    for _ in range(150):
        name = rnd.choice(sorted(streams))
        data = bytearray(streams[name])
        for _ in range(rnd.choice([1, 3, 10])):
            pos = rnd.randrange(min(len(data), 1500) if rnd.random() < 0.5 else len(data))
            data[pos] = rnd.randrange(256)
        path.write_bytes(_ole2({**streams, name: bytes(data)}))
        try:
            read_word_binary(path)
        except ExtractionError as exc:
            assert "\n" not in str(exc)
