"""Archives as portals publish them: each member that is a document is read as a document of its
own, the same rows as the document itself; hostile members are refused one by one."""

from __future__ import annotations

import shutil
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import py7zr
import pyarrow.parquet as pq
import pytest
from _paths import FIXTURES, SEED, SHARED

from extract.models import DocumentResult, Status
from extract.read import archive as archive_module
from extract.read.archive import RAR_TOOL_HINT, unpack, zip_name
from extract.read.sniff import sniff_path
from extract.run.pipeline import run_document

ARCHIVES = FIXTURES / "archives"
PDF = FIXTURES / "docs" / "form.pdf"
DOCX = FIXTURES / "docs" / "rows-merged.docx"
REAL = SHARED / "corpus" / "positive" / "bj-sjj-2026.pdf"
GBK_NAME = "预算/北京市审计局2026年部门预算.pdf"
DROP = {"extracted_at", "source", "file_name", "container_id"}


class GbkInfo(zipfile.ZipInfo):
    """A member name stored as Chinese Windows archivers store it: GBK, no UTF-8 flag."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.filename.encode("gbk"), self.flag_bits


def _documents() -> dict[str, Path]:
    docs = {"表/form.pdf": PDF, "rows-merged.docx": DOCX, "文本/seed.txt": SEED}
    if REAL.exists():
        docs[GBK_NAME] = REAL
    return docs


def _zip(path: Path, members: dict[str, Path | bytes], gbk: bool = True) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in members.items():
            data = body.read_bytes() if isinstance(body, Path) else body
            info = GbkInfo(name) if gbk and not name.isascii() else zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return path


def _rows(result: DocumentResult) -> dict[str, Any]:
    return {
        "document": result.document.model_dump(exclude=DROP),
        "projects": [p.model_dump() for p in result.projects],
        "indicators": [i.model_dump() for i in result.indicators],
    }


def _by_name(result: DocumentResult) -> dict[str, DocumentResult]:
    prefix = result.document.source + "!/"
    return {m.document.source.removeprefix(prefix): m for m in result.members}


def _same_rows_as_the_documents(result: DocumentResult, tmp_path: Path) -> None:
    docs = _documents()
    assert result.document.status is Status.OK, result.document.error
    assert result.document.member_count == len(docs)
    members = _by_name(result)
    assert sorted(members) == sorted(docs)
    for name, path in docs.items():
        alone = run_document(path, tmp_path / "alone")
        member = members[name]
        assert member.document.container_id == result.document.doc_id
        assert member.document.file_name == name.rsplit("/", 1)[-1]
        assert _rows(member) == _rows(alone), name


def test_a_zip_gives_member_by_member_the_rows_of_its_documents(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "budgets.zip", dict(_documents()))
    result = run_document(archive, tmp_path / "out")
    assert result.document.format == "zip"
    _same_rows_as_the_documents(result, tmp_path)
    # the members' rows are written as documents of their own, the archive's too
    docs = pq.read_table(tmp_path / "out" / "documents").to_pylist()
    assert len(docs) == len(_documents()) + 1
    assert not list((tmp_path / "out").glob(".unpack.*"))  # the unpacked copies are gone


def test_a_7z_gives_member_by_member_the_rows_of_its_documents(tmp_path: Path) -> None:
    path = tmp_path / "budgets.7z"
    with py7zr.SevenZipFile(path, "w") as archive:
        for name, doc in _documents().items():
            archive.write(doc, name)
    assert sniff_path(path).value == "7z"
    result = run_document(path, tmp_path / "out")
    _same_rows_as_the_documents(result, tmp_path)


def test_gbk_utf8_and_unicode_field_names_decode(tmp_path: Path) -> None:
    path = tmp_path / "names.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(GbkInfo(GBK_NAME), b"x")
        zf.writestr("部门/utf8.txt", b"y")  # zipfile sets the UTF-8 flag
    with zipfile.ZipFile(path) as zf:
        assert [zip_name(i) for i in zf.infolist()] == [GBK_NAME, "部门/utf8.txt"]
        info = zf.infolist()[0]
    utf8 = "统计.pdf".encode()
    unicode_field = struct.pack("<HHB", 0x7075, 5 + len(utf8), 1) + b"\0\0\0\0" + utf8
    info.extra = unicode_field
    assert zip_name(info) == "统计.pdf"


def test_nested_archives_to_a_fixed_depth(tmp_path: Path) -> None:
    inner = _zip(tmp_path / "inner.zip", {"seed.txt": SEED})
    middle = _zip(tmp_path / "middle.zip", {"inner.zip": inner})
    outer = _zip(tmp_path / "outer.zip", {"middle.zip": middle, "form.pdf": PDF})
    result = run_document(outer, tmp_path / "out")
    assert result.document.status is Status.OK
    [nested] = [m for m in result.members if m.document.format == "zip"]
    [innermost] = [m for m in nested.members if m.document.format == "zip"]
    [seed] = innermost.members
    assert seed.document.source == f"{outer}!/middle.zip!/inner.zip!/seed.txt"
    assert (seed.document.project_count, seed.document.container_id) == (
        9,
        innermost.document.doc_id,
    )
    deeper = _zip(tmp_path / "deeper.zip", {"outer.zip": outer})
    cut = run_document(deeper, tmp_path / "out2")
    refused = [
        i.message for m in _walk(cut) for i in m.issues if i.code == "archive_member_refused"
    ]
    assert refused == ["inner.zip: an archive nested more than 3 deep: refused"]
    assert cut.document.status is Status.OK  # the refusal is its container's (partial) business
    assert [m.document.status for m in _walk(cut)].count(Status.PARTIAL) == 1


def _walk(result: DocumentResult) -> list[DocumentResult]:
    return [result, *(r for m in result.members for r in _walk(m))]


def test_hostile_members_are_refused_one_by_one(tmp_path: Path) -> None:
    bomb = b"\0" * (archive_module.RATIO_FLOOR_BYTES + 1024 * 1024)  # packs ~1000:1
    path = _zip(tmp_path / "hostile.zip", {
        "../../evil.pdf": PDF, "/etc/evil.pdf": PDF, "C:/evil.pdf": PDF,
        "bomb.pdf": bomb, "seed.txt": SEED,
    })  # fmt: skip
    with zipfile.ZipFile(path, "a") as zf:
        link = zipfile.ZipInfo("link.pdf")
        link.external_attr = 0o120777 << 16  # a symbolic link to /etc/passwd
        zf.writestr(link, "/etc/passwd")
        zf.writestr("locked.pdf", b"%PDF-1.4 ciphertext")
    _flag_encrypted(path, b"locked.pdf")
    out = tmp_path / "work" / "out"
    result = run_document(path, out)
    refused = {i.message.split(": ", 1)[0]: i.message for i in result.issues
               if i.code == "archive_member_refused"}  # fmt: skip
    assert sorted(refused) == sorted(
        ["../../evil.pdf", "/etc/evil.pdf", "C:/evil.pdf", "bomb.pdf", "link.pdf", "locked.pdf"]
    )
    assert "climbs out" in refused["../../evil.pdf"] and "absolute" in refused["/etc/evil.pdf"]
    assert "zip bomb" in refused["bomb.pdf"] and "symbolic link" in refused["link.pdf"]
    assert "encrypted" in refused["locked.pdf"]
    # the other member goes on; nothing is written outside the output folder
    [seed] = result.members
    assert (seed.document.status, seed.document.project_count) == (Status.OK, 9)
    assert result.document.status is Status.PARTIAL
    assert result.document.error == "1 document(s) read; 6 member(s) refused, 0 failed"
    assert sorted(p.name for p in tmp_path.rglob("*evil*")) == []
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == ["out"]


def _flag_encrypted(path: Path, name: bytes) -> None:
    """Set the encrypted bit of a member in its local and central headers (zipfile cannot
    write encrypted members)."""
    data = bytearray(path.read_bytes())
    for signature, flags_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        at = data.find(signature)
        while at >= 0:
            if data[at + name_at : at + name_at + len(name)] == name:
                data[at + flags_at] |= 0x1
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))


def test_a_member_lying_about_its_size_is_cut_off(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(archive_module, "MAX_MEMBER_BYTES", 1000)
    path = _zip(tmp_path / "liar.zip", {"seed.txt": SEED})
    data = bytearray(path.read_bytes())  # declare 10 bytes in both headers; 2.6 kB inflate
    size = SEED.stat().st_size.to_bytes(4, "little")
    data = bytearray(bytes(data).replace(size, (10).to_bytes(4, "little")))
    path.write_bytes(bytes(data))
    [member] = unpack(path, sniff_path(path), tmp_path)
    assert member.path is None and member.refused is not None
    assert not list(tmp_path.glob("member-*"))


def test_absurd_member_counts_are_refused(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(archive_module, "MAX_MEMBERS", 3)
    path = _zip(tmp_path / "many.zip", {f"{n}.txt": b"x" for n in range(5)})
    result = run_document(path, tmp_path / "out")
    assert result.document.status is Status.FAILED
    assert result.document.error == "the archive lists 5 members (more than 3): refused"


def test_an_encrypted_7z_and_a_damaged_zip_fail_with_a_message(tmp_path: Path) -> None:
    locked = tmp_path / "locked.7z"
    with py7zr.SevenZipFile(locked, "w", password="secret") as archive:
        archive.write(SEED, "seed.txt")
    result = run_document(locked, tmp_path / "out")
    assert result.document.status is Status.FAILED
    assert result.document.error and "encrypted" in result.document.error
    cut = tmp_path / "cut.zip"
    data = _zip(tmp_path / "whole.zip", {"seed.txt": SEED}).read_bytes()
    cut.write_bytes(data[:-30])  # the central directory is cut
    damaged = run_document(cut, tmp_path / "out")
    assert damaged.document.status is Status.FAILED and damaged.document.error


# ------------------------------------------------------------------------------- RAR


def _rar4_stored(members: dict[str, bytes]) -> bytes:
    """A RAR 4 archive of stored (uncompressed) members, written by the format's rules: no
    RAR writer is free software, and rarfile reads stored members without a tool."""

    def block(kind: int, flags: int, body: bytes, data: bytes = b"") -> bytes:
        head = struct.pack("<BHH", kind, flags, 7 + len(body)) + body
        return struct.pack("<H", zlib.crc32(head) & 0xFFFF) + head + data

    dos_time = ((2024 - 1980) << 25) | (1 << 21) | (1 << 16)
    out = b"Rar!\x1a\x07\x00" + block(0x73, 0, b"\0" * 6)
    for name, data in members.items():
        raw = name.encode("utf-8")
        body = struct.pack("<IIBIIBBHI", len(data), len(data), 3, zlib.crc32(data), dos_time,
                           20, 0x30, len(raw), 0o100644 << 16) + raw  # fmt: skip
        out += block(0x74, 0x8000 | 0x0200, body, data)  # LONG_BLOCK, UNICODE (UTF-8) name
    return out + block(0x7B, 0x4000, b"")


def test_a_stored_rar_gives_the_rows_of_its_documents(tmp_path: Path) -> None:
    path = tmp_path / "budgets.rar"
    path.write_bytes(_rar4_stored({n: p.read_bytes() for n, p in _documents().items()}))
    assert sniff_path(path).value == "rar"
    result = run_document(path, tmp_path / "out")
    _same_rows_as_the_documents(result, tmp_path)


def _rar_tool() -> bool:
    return any(shutil.which(t) for t in ("unrar", "unar", "7z", "7zz", "bsdtar"))


def test_a_real_compressed_rar_needs_a_tool(tmp_path: Path, monkeypatch: Any) -> None:
    """rarfile's own test archive (RAR 5: stest1.txt compressed, stest2.txt stored)."""
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    import rarfile

    monkeypatch.setattr(rarfile, "CURRENT_SETUP", None)
    result = run_document(ARCHIVES / "rar5-crc.rar", tmp_path / "out")
    assert result.document.status is Status.FAILED
    assert result.document.error == RAR_TOOL_HINT
    assert "apt-get install unar" in RAR_TOOL_HINT


@pytest.mark.skipif(not _rar_tool(), reason="no RAR unpacking tool on PATH")
def test_a_real_compressed_rar_with_a_tool(tmp_path: Path, monkeypatch: Any) -> None:
    import rarfile

    monkeypatch.setattr(rarfile, "CURRENT_SETUP", None)
    result = run_document(ARCHIVES / "rar5-crc.rar", tmp_path / "out")
    assert sorted(_by_name(result)) == ["stest1.txt", "stest2.txt"]
    # the same 2,048 bytes (CRC 0xc5b7e6a2), once compressed and once stored
    assert len({m.document.doc_id for m in result.members}) == 1
    assert {m.document.size_bytes for m in result.members} == {2048}
    names = [m.name for m in unpack(ARCHIVES / "unicode.rar", sniff_path(ARCHIVES / "unicode.rar"),
                                    tmp_path)]  # fmt: skip
    assert names == ["уииоотивл.txt", "𝐀𝐁𝐁𝐂.txt"]


def test_a_rar_symlink_out_of_the_archive_is_refused(tmp_path: Path) -> None:
    """rarfile's test archive: a symlink ``up`` → ``..`` and a file written through it."""
    members = unpack(ARCHIVES / "rar5-evil-symlink-traversal.rar", sniff_path(
        ARCHIVES / "rar5-evil-symlink-traversal.rar"), tmp_path)  # fmt: skip
    by_name = {m.name: m for m in members}
    assert by_name["up"].refused and "link" in by_name["up"].refused
    assert by_name["up/pwned.txt"].path is not None  # its bytes, under a name of ours
    assert by_name["up/pwned.txt"].path.parent == tmp_path
    assert not (tmp_path.parent / "pwned.txt").exists()
