"""Content-addressed raw store ``<out>/raw/<sha256>.<ext>`` with atomic writes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from extract.enums import Format
from extract.output.atomic import remove_stale_temporaries, write_bytes_atomically

RAW_DIR = "raw"
UNKNOWN_EXT = "bin"
OUTPUT_TABLES = (
    "documents",
    "projects",
    "indicators",
    "evaluations",
    "evaluation_indicators",
    "issues",
)
"""Per-document Parquet folders written by ``extract.run.pipeline.run_document``."""


def bytes_to_sha256(data: bytes) -> str:
    """Hex sha256 of a body: the document id and its file name in the store."""
    return hashlib.sha256(data).hexdigest()


def format_to_ext(fmt: Format) -> str:
    """File extension for a sniffed format (never taken from the URL)."""
    return UNKNOWN_EXT if fmt in (Format.UNKNOWN, Format.EMPTY) else fmt.value


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :mod:`extract.output.atomic`)."""
    write_bytes_atomically(path, data)


class RawStore:
    """Documents by content hash under ``<out>/raw``."""

    def __init__(self, out_dir: Path | str) -> None:
        self.root = Path(out_dir) / RAW_DIR

    def path_for(self, sha256: str, fmt: Format) -> Path:
        """Where a document with this hash and format lives."""
        return self.root / f"{sha256}.{format_to_ext(fmt)}"

    def put(self, data: bytes, fmt: Format) -> tuple[str, Path]:
        """Store ``data`` (once: an existing file is the same bytes) and return (sha256, path)."""
        sha = bytes_to_sha256(data)
        path = self.path_for(sha, fmt)
        if not path.exists():
            write_atomic(path, data)
        return sha, path


def sweep_temp(out_dir: Path | str) -> list[Path]:
    """Delete temp files that killed writers left in ``raw/`` and the output table folders."""
    return remove_stale_temporaries(out_dir)


def remove_outputs(out_dir: Path | str, doc_id: str) -> list[Path]:
    """Delete a document's per-table Parquet files (when a URL's content was replaced)."""
    removed = []
    for table in OUTPUT_TABLES:
        path = Path(out_dir) / table / f"{doc_id}.parquet"
        if path.exists():
            path.unlink()
            removed.append(path)
    return removed


def archive_members(out_dir: Path | str, doc_id: str) -> list[str]:
    """The doc_ids of the documents unpacked from the archive ``doc_id`` (nested ones too),
    from the per-document files; [] for a document that is not an archive."""
    docs = Path(out_dir) / "documents"
    if _first(docs / f"{doc_id}.parquet", "member_count") is None:
        return []
    found: list[str] = []
    for path in docs.glob("*.parquet"):
        if _first(path, "container_id") == doc_id:
            found += [path.stem, *archive_members(out_dir, path.stem)]
    return found


def _first(path: Path, column: str) -> object:
    """The first row's value of a column of a per-document file; None when the file, the
    column (an older release's file) or a readable footer is missing."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        if column not in pq.read_schema(path).names:
            return None
        values = pq.read_table(path, columns=[column]).column(0)
    except (OSError, pa.ArrowException):
        return None
    return values[0].as_py() if len(values) else None
