"""One document end to end: sniff → read → find the table → records → checks → status.

The two halves live in :mod:`extract.run.reading`: :func:`~extract.run.reading.read_document`
(sniffing and the format's reader: the code that meets the file's bytes) needs no pydantic;
:func:`~extract.run.reading.assemble_reading` (:mod:`extract.records.assemble`: the table, the
records, the checks) turns what was read into the result. Isolated, each half runs in a worker
of its own (:mod:`extract.run.isolation`), and the calling process imports the second half
while the first reads.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from extract.enums import Format
from extract.read.sniff import archive_format
from extract.run.reading import assemble_reading, read_document
from extract.settings import Settings

if TYPE_CHECKING:
    from extract.models import DocumentResult

__all__ = ["assemble_reading", "extract_document", "read_document", "run_document"]


def run_document(
    path: Path, out_dir: Path, *, source: str | None = None,
    settings: Settings | dict[str, object] | None = None, container_id: str | None = None,
) -> DocumentResult:  # fmt: skip
    """Extract one document and write its rows under ``out_dir``. Never raises for bad input.

    With ``settings.isolate`` (the default) the extraction runs in a worker process under
    ``doc_timeout_s`` and ``doc_memory_mb``; past either the document is ``failed``. An
    archive (.zip, .7z, .rar) is opened and each document in it extracted as a document of
    its own (:mod:`extract.run.archives`): they are the result's ``members``.
    """
    settings = Settings.resolve(settings)
    source = source or str(path)
    if (fmt := _archive_format(Path(path))) is not None:
        from extract.run.archives import run_archive

        result = run_archive(Path(path), Path(out_dir), fmt=fmt, source=source,
                             settings=settings, run_one=run_document,
                             container_id=container_id)  # fmt: skip
    elif settings.isolate and _may_isolate():
        from extract.run.isolation import extract_isolated

        # The writer's imports (pyarrow) load while the reader reads.
        result = extract_isolated(Path(path), source=source, settings=settings,
                                  while_waiting=_load_writer)  # fmt: skip
    else:
        result = extract_document(path, source=source, settings=settings)
    result.document.container_id = container_id
    result.document.source_year = source_year(source)
    from extract.output.writer import write_result  # pyarrow is not needed to extract

    write_result(result, out_dir)
    return result


def extract_document(
    path: Path, *, source: str | None = None,
    settings: Settings | dict[str, object] | None = None,
) -> DocumentResult:  # fmt: skip
    """Extract one document. A bad document gives a ``failed`` result with a message."""
    settings = Settings.resolve(settings)
    return assemble_reading(read_document(path, source=source, settings=settings), settings)


SOURCE_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def source_year(source: str) -> int | None:
    """The year a source's file name carries, else its folders or URL path (the last one)."""
    name = source.rstrip("/").rsplit("/", 1)[-1]
    for text in (name, source):
        if found := SOURCE_YEAR_RE.findall(text):
            return int(found[-1])
    return None


def _archive_format(path: Path) -> Format | None:
    """The archive format of ``path``, or None for a document (or an unreadable path, which
    the extraction reports)."""
    try:
        return archive_format(path)
    except OSError:
        return None


def _load_writer() -> None:
    from extract.output.writer import warm_up

    warm_up()


def _may_isolate() -> bool:
    """A daemonic process (e.g. a Dask worker) may not start children: extract in-process."""
    import multiprocessing

    return not multiprocessing.current_process().daemon
