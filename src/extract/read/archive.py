"""Archives as portals publish them: .zip (zipfile), .7z (py7zr) and .rar (rarfile), unpacked
member by member under limits.

A member's name is never used as a path: each member's bytes are copied, at most
:data:`MAX_MEMBER_BYTES` of them, to ``member-NNNN`` in the folder the caller gives, so a
``../`` name cannot write outside it; such names, absolute names, symlinks, encrypted members
and members past the size or ratio limits are refused one by one (:attr:`Member.refused`)
while the others are unpacked. Zip names not flagged UTF-8 are decoded as UTF-8, else GB18030
(Chinese Windows writes GBK names), with the Info-ZIP Unicode path field first when present.
RAR needs an unpacking tool (unrar, unar, 7z or bsdtar) for compressed members; without one
they are refused with what to install. Nested archives are the caller's business.
"""

from __future__ import annotations

import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from extract.enums import Format
from extract.errors import ExtractionError

MAX_MEMBERS = 1_000  # a disclosure archive holds a few dozen documents
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / packed, for members over RATIO_FLOOR_BYTES
RATIO_FLOOR_BYTES = 10 * 1024 * 1024
CHUNK = 1 << 20
RAR_TOOL_HINT = (
    "a compressed .rar member needs an unpacking tool on PATH: install unrar, unar, 7z or "
    "bsdtar (Debian/Ubuntu: apt-get install unar, or libarchive-tools for bsdtar)"
)
_UNICODE_PATH_FIELD = 0x7075  # Info-ZIP Unicode Path extra field


@dataclass
class Member:
    """One file of an archive: unpacked to ``path``, or ``refused`` with the reason."""

    name: str
    path: Path | None = None
    refused: str | None = None


@dataclass
class _Entry:
    name: str
    size: int
    packed: int
    problem: str | None  # why it is refused before unpacking (encrypted, symlink …)
    opener: Callable[[], IO[bytes]] | None  # None for 7z: unpacked in one pass


def unpack(path: Path, fmt: Format, into: Path, only: str | None = None) -> list[Member]:
    """The members of an archive (or the one named ``only``), unpacked into ``into``;
    :class:`ExtractionError` when the archive itself cannot be read (damaged, encrypted
    headers, absurd member count)."""
    opener = {Format.ZIP: _zip, Format.SEVEN_Z: _seven_z, Format.RAR: _rar}[fmt]
    try:
        members = opener(path, into, only)
        return [m for m in members if only is None or m.name == only]
    except ExtractionError:
        raise
    except Exception as exc:  # a hostile or damaged archive: a message, not a traceback
        raise ExtractionError(f"the {fmt.value} archive cannot be read ({_why(exc)})") from exc


def _why(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _zip(path: Path, into: Path, only: str | None) -> list[Member]:
    with zipfile.ZipFile(path) as zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        _check_count(len(infos))
        entries = [_zip_entry(zf, i) for i in infos]
        return _copy_all(_named(entries, only), into)


def _zip_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> _Entry:
    problem = None
    if info.flag_bits & 0x1:
        problem = "encrypted (password-protected): not read"
    elif stat.S_ISLNK(info.external_attr >> 16):
        problem = "a symbolic link: not followed"
    return _Entry(
        zip_name(info), info.file_size, info.compress_size, problem, lambda: zf.open(info)
    )


def zip_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its writer meant it: zipfile decodes names without the UTF-8 flag
    as cp437; Chinese archivers wrote GBK (or UTF-8 without the flag)."""
    if unicode := _unicode_path(info.extra):
        return unicode
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _unicode_path(extra: bytes) -> str | None:
    """The Info-ZIP Unicode Path field (0x7075): version, CRC-32 of the header name, UTF-8."""
    at = 0
    while at + 4 <= len(extra):
        kind, size = struct.unpack_from("<HH", extra, at)
        body = extra[at + 4 : at + 4 + size]
        if kind == _UNICODE_PATH_FIELD and len(body) > 5 and body[0] == 1:
            try:
                return body[5:].decode("utf-8")
            except UnicodeDecodeError:
                return None
        at += 4 + size
    return None


def _seven_z(path: Path, into: Path, only: str | None) -> list[Member]:
    import py7zr

    with py7zr.SevenZipFile(path) as archive:
        if archive.needs_password():
            raise ExtractionError("the 7z archive is encrypted (password-protected): not read")
        infos = [i for i in archive.list() if not i.is_directory]
        _check_count(len(infos))
        entries = [
            _Entry(
                i.filename,
                i.uncompressed,
                i.compressed or 0,
                "a symbolic link: not followed" if i.is_symlink else None,
                None,
            )
            for i in infos
        ]
        members, wanted = _plan(_named(entries, only), into)
        if wanted:
            archive.extract(targets=list(wanted), factory=_CappedFactory(wanted))
    return members


def _rar(path: Path, into: Path, only: str | None) -> list[Member]:
    import rarfile

    with rarfile.RarFile(str(path)) as archive:
        if archive.needs_password():
            raise ExtractionError("the rar archive is encrypted (password-protected): not read")
        infos = [i for i in archive.infolist() if not i.is_dir()]
        _check_count(len(infos))
        entries = [_rar_entry(archive, i) for i in infos]
        try:
            return _copy_all(_named(entries, only), into)
        except rarfile.RarCannotExec as exc:
            raise ExtractionError(RAR_TOOL_HINT) from exc


def _rar_entry(archive: Any, info: Any) -> _Entry:
    problem = None
    if info.needs_password():
        problem = "encrypted (password-protected): not read"
    elif info.is_symlink() or getattr(info, "file_redir", None):
        problem = "a symbolic or hard link: not followed"
    return _Entry(
        info.filename, info.file_size, info.compress_size, problem, lambda: archive.open(info)
    )


def _named(entries: list[_Entry], only: str | None) -> list[_Entry]:
    return entries if only is None else [e for e in entries if e.name == only]


def _check_count(count: int) -> None:
    if count > MAX_MEMBERS:
        raise ExtractionError(
            f"the archive lists {count:,} members (more than {MAX_MEMBERS:,}): refused"
        )


def _plan(entries: list[_Entry], into: Path) -> tuple[list[Member], dict[str, Path]]:
    """Each entry's member, refused or given its target file; the targets by entry name."""
    members: list[Member] = []
    wanted: dict[str, Path] = {}
    total = 0
    for n, entry in enumerate(entries, start=1):
        problem = entry.problem or unsafe_name(entry.name) or _too_big(entry, total)
        if problem is None and entry.name in wanted:
            problem = "a second member of the same name: not read"
        member = Member(entry.name, refused=problem)
        if problem is None:
            member.path = into / f"member-{n:04d}"
            wanted[entry.name] = member.path
            total += entry.size
        members.append(member)
    return members, wanted


def unsafe_name(name: str) -> str | None:
    """Why a member name is refused: absolute, or climbing out with ``..``."""
    posix = name.replace("\\", "/")
    if posix.startswith("/") or re.match(r"^[A-Za-z]:", posix):
        return "an absolute path name: refused"
    if ".." in posix.split("/"):
        return "a name that climbs out of the archive (../): refused"
    if "\x00" in posix:
        return "a name with a NUL byte: refused"
    return None


def _too_big(entry: _Entry, total: int) -> str | None:
    ratio = entry.size / max(entry.packed, 1)
    if entry.size > MAX_MEMBER_BYTES or (entry.size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO):
        return (
            f"{entry.size / 1e6:,.0f} MB when unpacked ({ratio:,.0f}x its packed size): "
            "refused as a zip bomb"
        )
    if total + entry.size > MAX_TOTAL_BYTES:
        return f"the archive unpacks to over {MAX_TOTAL_BYTES / 1e9:g} GB: refused"
    return None


def _copy_all(entries: list[_Entry], into: Path) -> list[Member]:
    members, _ = _plan(entries, into)
    for entry, member in zip(entries, members, strict=True):
        if member.path is None or entry.opener is None:
            continue
        try:
            _copy_capped(entry.opener, member.path)
        except (
            zipfile.BadZipFile,
            zlib.error,
            NotImplementedError,
            RuntimeError,
            EOFError,
            ExtractionError,
        ) as exc:
            if type(exc).__name__ == "RarCannotExec":
                raise
            member.path.unlink(missing_ok=True)
            member.path, member.refused = None, f"cannot be unpacked ({_why(exc)})"
    return members


def _copy_capped(opener: Callable[[], IO[bytes]], target: Path) -> None:
    """Copy a member's bytes, stopping past :data:`MAX_MEMBER_BYTES` whatever it declared."""
    written = 0
    with opener() as src, target.open("wb") as dst:
        while chunk := src.read(CHUNK):
            written += len(chunk)
            if written > MAX_MEMBER_BYTES:
                raise ExtractionError("unpacks to more than it declared: refused as a zip bomb")
            dst.write(chunk)


class _CappedFactory:
    """py7zr's writer factory: each wanted member into its own file, capped in size."""

    def __init__(self, targets: dict[str, Path]) -> None:
        self.targets = targets

    def create(self, filename: str) -> Any:
        from py7zr.io import Py7zIO

        target = self.targets[filename]

        class Capped(Py7zIO):
            def __init__(self) -> None:
                self.fh, self.written = target.open("wb"), 0

            def write(self, s: bytes | bytearray) -> int:
                self.written += len(s)
                if self.written > MAX_MEMBER_BYTES:
                    raise ExtractionError("unpacks to more than it declared: refused")
                return self.fh.write(s)

            def read(self, size: int | None = None) -> bytes:
                return b""

            def seek(self, offset: int, whence: int = 0) -> int:
                return self.fh.seek(offset, whence)

            def flush(self) -> None:
                self.fh.flush()

            def size(self) -> int:
                return self.written

            def close(self) -> None:
                self.fh.close()

        return Capped()
