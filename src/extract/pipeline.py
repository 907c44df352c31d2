"""One document end to end: sniff → extract → find the table → records → checks → status.

The first half (sniffing, the format's extractor) needs no pydantic; the second half
(:mod:`extract.assemble`) is imported when it is needed, or earlier by an extractor that has
time to spare while its page workers read a PDF.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .enums import Format, Status
from .errors import ExtractError
from .extractors import extractor_for
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

        # The writer's imports (pyarrow, the models) load while the worker extracts.
        result = extract_isolated(Path(path), source=source, settings=settings,
                                  while_waiting=_load_writer)  # fmt: skip
    else:
        result = extract_document(path, source=source, settings=settings)
    from .writer import write_result  # pyarrow is not needed to extract

    write_result(result, out_dir)
    return result


def extract_document(
    path: Path, *, source: str | None = None,
    settings: Settings | dict[str, object] | None = None,
) -> DocumentResult:  # fmt: skip
    """Extract one document. A bad document gives a ``failed`` result with a message."""
    settings = Settings.resolve(settings)
    path = Path(path)
    facts: dict[str, Any] = {
        "doc_id": file_sha256(path), "source": source or str(path),
        "file_name": _file_name(source, path), "size_bytes": path.stat().st_size,
        "extracted_at": dt.datetime.now(dt.UTC), "extractor_version": __version__,
    }  # fmt: skip
    fmt = Format.UNKNOWN
    try:
        fmt = sniff_path(path)
        extracted = extractor_for(fmt)(path, settings)
        from .assemble import extracted_to_result

        return extracted_to_result(_document(facts, fmt), extracted, settings)
    except ExtractError as exc:
        error = str(exc)
    except MemoryError:
        error = (f"memory: the extraction ran out of memory (per-document limit "
                 f"{settings.doc_memory_mb} MB)")  # fmt: skip
    except Exception as exc:  # a bug or a library failure on hostile input: record, go on
        log.debug("extraction of %s failed", path, exc_info=True)
        error = f"unexpected {type(exc).__name__}: {exc}"
    from .models import DocumentResult

    doc = _document(facts, fmt)
    doc.error = error
    return DocumentResult(document=doc)


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
