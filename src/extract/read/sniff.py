"""Recognise a document's format from its bytes, never from its file name."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from extract.enums import ARCHIVE_FORMATS, Format

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
SEVEN_Z_MAGIC = b"7z\xbc\xaf\x27\x1c"
RAR_MAGIC = b"Rar!\x1a\x07"  # RAR 4 (then \x00) and RAR 5 (then \x01\x00)
SNIFF_BYTES = 4096

# Names of OLE2 streams (UTF-16LE in the directory) that tell what the file holds.
WORD_KIND = "a Word document"
_OLE_KINDS = (
    ("WordDocument", WORD_KIND),
    ("Workbook", "an Excel workbook (.xls)"),
    ("Book", "an Excel 5/95 workbook (.xls)"),
    ("PowerPoint Document", "a PowerPoint presentation (.ppt)"),
)
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title", b"<script")


def sniff_bytes(head: bytes, *, zip_names: list[str] | None = None) -> Format:
    """Return the format that the first bytes of a file announce.

    ``zip_names`` lists the members of a zip archive, when the caller has them;
    without it a zip is reported as ``Format.ZIP``.
    """
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    # Containers first: a zip or rar storing a PDF holds "%PDF-" in its first bytes.
    if head.startswith(OLE2_MAGIC):
        return ole_format(head)
    if head.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        return _zip_format(zip_names)
    if head.startswith(SEVEN_Z_MAGIC):
        return Format.SEVEN_Z
    if head.startswith(RAR_MAGIC):
        return Format.RAR
    if b"%PDF-" in head[:1024]:
        return Format.PDF
    if stripped.startswith(b"{\\rtf"):
        return Format.RTF
    lowered = stripped[:512].lower()
    if any(lowered.startswith(m) for m in _HTML_MARKERS) or b"<html" in lowered:
        return Format.HTML
    if not head:
        return Format.EMPTY
    if _looks_like_text(head):
        return Format.TXT
    return Format.UNKNOWN


def sniff_path(path: Path) -> Format:
    """Sniff a file on disk; a zip is opened (directory only) to tell .docx from .xlsx."""
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as zf:
                return _zip_format(zf.namelist())
        except (zipfile.BadZipFile, OSError):
            return Format.ZIP
    if head.startswith(OLE2_MAGIC):
        return ole_format(path.read_bytes())
    return sniff_bytes(head)


def sniff_data(data: bytes) -> Format:
    """Sniff a whole document held in memory."""
    if data.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                return _zip_format(zf.namelist())
        except zipfile.BadZipFile:
            return Format.ZIP
    if data.startswith(OLE2_MAGIC):
        return ole_format(data)
    return sniff_bytes(data[:SNIFF_BYTES])


def ole_kind(data: bytes) -> str | None:
    """What an OLE2 file holds, from the stream names in its directory (best effort)."""
    for stream, kind in _OLE_KINDS:
        if stream.encode("utf-16-le") + b"\x00\x00" in data:
            return kind
    return None


def ole_format(data: bytes) -> Format:
    """An OLE2 file holding a workbook is XLS; anything else goes to the Word reader, which
    says what the file holds when it is not a Word document."""
    kind = ole_kind(data)
    return Format.XLS if kind and ".xls" in kind else Format.OLE2


def _zip_format(names: list[str] | None) -> Format:
    if not names:
        return Format.ZIP
    if "word/document.xml" in names:
        return Format.DOCX
    if "xl/workbook.xml" in names:
        return Format.XLSX
    if "[Content_Types].xml" in names:
        return Format.OOXML
    return Format.ZIP


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        # UTF-16 text carries a BOM; anything else with NULs is binary.
        return head.startswith((b"\xff\xfe", b"\xfe\xff"))
    control = sum(1 for b in head if b < 0x20 and b not in (0x09, 0x0A, 0x0C, 0x0D))
    return control <= len(head) // 100


def archive_format(path: Path) -> Format | None:
    """ZIP, SEVEN_Z or RAR for an archive, else None, from its first bytes (a zip's directory
    tells an archive from a .docx/.xlsx): cheaper than :func:`sniff_path`, which reads an
    OLE2 file whole."""
    with path.open("rb") as fh:
        head = fh.read(len(OLE2_MAGIC))
    if not head.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC, SEVEN_Z_MAGIC, RAR_MAGIC)):
        return None
    fmt = sniff_path(path)
    return fmt if fmt in ARCHIVE_FORMATS else None
