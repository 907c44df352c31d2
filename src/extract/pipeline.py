"""One document end to end: sniff → extract → find the table → records → checks → status.

Two halves. :func:`read_document` (sniffing, the format's extractor: the code that meets the
file's bytes) needs no pydantic; :func:`assemble_reading` (:mod:`extract.assemble`: the table,
the records, the checks) turns what was read into the result. Isolated, each half runs in a
worker of its own (:mod:`extract.isolation`), and the calling process imports the second half
while the first reads.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .enums import Format, Status
from .errors import ExtractError
from .extractors import extractor_for
from .extractors.base import ExtractedDocument
from .settings import Settings
from .sniff import sniff_path

if TYPE_CHECKING:
    from .models import Document, DocumentResult

log = logging.getLogger(__name__)
HASH_CHUNK = 1 << 20


def run_document(
    path: Path, out_dir: Path, *, source: str | None = None,
    settings: Settings | dict[str, object] | None = None,
) -> DocumentResult:  # fmt: skip
    """Extract one document and write its rows under ``out_dir``. Never raises for bad input.

    With ``settings.isolate`` (the default) the extraction runs in a worker process under
    ``doc_timeout_s`` and ``doc_memory_mb``; past either the document is ``failed``.
    """
    settings = Settings.resolve(settings)
    if settings.isolate and _may_isolate():
        from .isolation import extract_isolated

        # The writer's imports (pyarrow) load while the reader reads.
        result = extract_isolated(Path(path), source=source, settings=settings,
                                  while_waiting=_load_writer)  # fmt: skip
    else:
        result = extract_document(path, source=source, settings=settings)
    from .writer import write_result  # pyarrow is not needed to extract

    write_result(result, out_dir)
    return result


@dataclass
class Reading:
    """The first half of a document: the file's facts and what its format's extractor read
    from it, or why it could not. No pydantic: a worker that reads files needs none."""

    facts: dict[str, Any]
    format: Format
    extracted: ExtractedDocument | None = None
    error: str | None = None


def extract_document(
    path: Path, *, source: str | None = None,
    settings: Settings | dict[str, object] | None = None,
) -> DocumentResult:  # fmt: skip
    """Extract one document. A bad document gives a ``failed`` result with a message."""
    settings = Settings.resolve(settings)
    return assemble_reading(read_document(path, source=source, settings=settings), settings)


def read_document(path: Path, *, source: str | None, settings: Settings) -> Reading:
    """Sniff ``path`` and run its format's extractor (the part that meets the file's bytes)."""
    path = Path(path)
    facts: dict[str, Any] = {
        "doc_id": file_sha256(path), "source": source or str(path),
        "file_name": _file_name(source, path), "size_bytes": path.stat().st_size,
        "extracted_at": dt.datetime.now(dt.UTC), "extractor_version": __version__,
    }  # fmt: skip
    reading = Reading(facts, Format.UNKNOWN)
    try:
        reading.format = sniff_path(path)
        reading.extracted = extractor_for(reading.format)(path, settings)
    except Exception as exc:
        reading.error = _error_message(exc, settings)
    return reading


def assemble_reading(reading: Reading, settings: Settings) -> DocumentResult:
    """The records of what was read (:mod:`extract.assemble`), or a ``failed`` result."""
    from .models import DocumentResult

    doc = _document(reading.facts, reading.format)
    if reading.extracted is None:
        doc.error = reading.error or "nothing was read"
        return DocumentResult(document=doc)
    try:
        from .assemble import extracted_to_result

        return extracted_to_result(doc, reading.extracted, settings)
    except Exception as exc:
        doc = _document(reading.facts, reading.format)
        doc.error = _error_message(exc, settings)
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


def _document(facts: dict[str, Any], fmt: Format) -> Document:
    """A ``failed`` document row of these facts, for the extraction to fill in."""
    from .models import Document

    return Document(**facts, format=fmt.value, status=Status.FAILED)


def _load_writer() -> None:
    from .writer import warm_up

    warm_up()


def _may_isolate() -> bool:
    """A daemonic process (e.g. a Dask worker) may not start children: extract in-process."""
    import multiprocessing

    return not multiprocessing.current_process().daemon


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
