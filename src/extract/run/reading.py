"""The two halves of a document: what its bytes hold (:func:`read_document`, no pydantic) and
the records of what was read (:func:`assemble_reading`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extract import __version__
from extract.enums import Format, Status
from extract.errors import ExtractError
from extract.read import extractor_for
from extract.read.base import ExtractedDocument
from extract.read.sniff import sniff_path
from extract.settings import Settings

if TYPE_CHECKING:
    from extract.models import Document, DocumentResult

log = logging.getLogger(__name__)
HASH_CHUNK = 1 << 20


@dataclass
class Reading:
    """The first half of a document: the file's facts and what its format's extractor read
    from it, or why it could not. No pydantic: a worker that reads files needs none."""

    facts: dict[str, Any]
    format: Format
    extracted: ExtractedDocument | None = None
    error: str | None = None


def read_document(path: Path, *, source: str | None, settings: Settings) -> Reading:
    """Sniff ``path`` and run its format's extractor (the part that meets the file's bytes)."""
    path = Path(path)
    reading = Reading(file_facts(path, source), Format.UNKNOWN)
    try:
        reading.format = sniff_path(path)
        reading.extracted = _read(path, reading.format, settings)
    except Exception as exc:
        reading.error = _error_message(exc, settings)
    return reading


def file_facts(path: Path, source: str | None) -> dict[str, Any]:
    """What a document's row says of its file, whatever becomes of it: hash, source, name,
    size, when and by which version."""
    return {
        "doc_id": file_sha256(path), "source": source or str(path),
        "file_name": _file_name(source, path), "size_bytes": path.stat().st_size,
        "extracted_at": dt.datetime.now(dt.UTC), "extractor_version": __version__,
    }  # fmt: skip


def failed_document(facts: dict[str, Any], fmt: Format | str, error: str | None) -> Document:
    """A ``failed`` document row of these facts (the extraction, or the archive, fills it in
    where it gets further)."""
    from extract.models import Document

    return Document(**facts, format=Format(fmt).value, status=Status.FAILED, error=error)


def _read(path: Path, fmt: Format, settings: Settings) -> ExtractedDocument:
    """The format's reader; a PDF's is told which next pages a table goes on to (the locate
    stage's rule, handed down so that the reader imports nothing above it)."""
    read = extractor_for(fmt)
    if fmt is Format.PDF:
        from extract.locate.pages import more_table_pages

        return read(path, settings, more_pages=more_table_pages)
    return read(path, settings)


def assemble_reading(reading: Reading, settings: Settings) -> DocumentResult:
    """The records of what was read (:mod:`extract.records.assemble`), or a ``failed`` result."""
    from extract.models import DocumentResult

    if reading.extracted is None:
        doc = failed_document(reading.facts, reading.format, reading.error or "nothing was read")
        return DocumentResult(document=doc)
    doc = failed_document(reading.facts, reading.format, None)
    try:
        from extract.records.assemble import extracted_to_result

        return extracted_to_result(doc, reading.extracted, settings)
    except Exception as exc:
        doc = failed_document(reading.facts, reading.format, _error_message(exc, settings))
        return DocumentResult(document=doc)


def _error_message(exc: Exception, settings: Settings) -> str:
    """A failed document's error: the library's message, or what went wrong where."""
    if isinstance(exc, ExtractError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return (f"memory: the extraction ran out of memory (per-document limit "
                f"{settings.doc_memory_mb} MB)")  # fmt: skip
    # a bug or a library failure on hostile input: record, go on
    log.debug("extraction failed", exc_info=True)
    return f"unexpected {type(exc).__name__}: {exc}"


def _file_name(source: str | None, path: Path) -> str:
    name = (source or "").rstrip("/").rsplit("/", 1)[-1].split("?")[0]
    return name or path.name


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
