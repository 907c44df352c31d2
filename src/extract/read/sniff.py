"""Recognise a document's format from its bytes, never from its file name."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from extract.enums import Format

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
SNIFF_BYTES = 4096

_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title", b"<script")


def sniff_bytes(head: bytes, *, zip_names: list[str] | None = None) -> Format:
    """Return the format that the first bytes of a file announce.

    ``zip_names`` lists the members of a zip archive, when the caller has them;
    without it a zip is reported as ``Format.ZIP``.
    """
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"%PDF-" in head[:1024]:
        return Format.PDF
    if head.startswith(OLE2_MAGIC):
        return Format.OLE2
    if head.startswith(ZIP_MAGIC):
        return _zip_format(zip_names)
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
    return sniff_bytes(head)


def sniff_data(data: bytes) -> Format:
    """Sniff a whole document held in memory."""
    if data.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                return _zip_format(zf.namelist())
        except zipfile.BadZipFile:
            return Format.ZIP
    return sniff_bytes(data[:SNIFF_BYTES])


def _zip_format(names: list[str] | None) -> Format:
    if not names:
        return Format.ZIP
    if "word/document.xml" in names:
        return Format.DOCX
    if "xl/workbook.xml" in names:
        return Format.XLSX
    return Format.ZIP


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        # UTF-16 text carries a BOM; anything else with NULs is binary.
        return head.startswith((b"\xff\xfe", b"\xfe\xff"))
    control = sum(1 for b in head if b < 0x20 and b not in (0x09, 0x0A, 0x0C, 0x0D))
    return control <= len(head) // 100
