"""Content-addressed raw store ``<out>/raw/<sha256>.<ext>`` with atomic writes."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from ..models import Format

RAW_DIR = "raw"
TEMP_SUFFIX = ".tmp"
UNKNOWN_EXT = "bin"
OUTPUT_TABLES = ("documents", "projects", "indicators", "issues")
"""Per-document Parquet folders written by ``extract.pipeline.run_document``."""


def bytes_to_sha256(data: bytes) -> str:
    """Hex sha256 of a body: the document id and its file name in the store."""
    return hashlib.sha256(data).hexdigest()


def format_to_ext(fmt: Format) -> str:
    """File extension for a sniffed format (never taken from the URL)."""
    return UNKNOWN_EXT if fmt in (Format.UNKNOWN, Format.EMPTY) else fmt.value


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same directory and ``os.replace``.

    The temp name is hidden and ends ``.<pid>.tmp`` (the convention of ``extract.writer``),
    so ``sweep_temp`` can tell a dead writer's leftovers from a live one's.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=f".{os.getpid()}{TEMP_SUFFIX}"
    )
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
    stale = []
    for tmp in Path(out_dir).glob(f"*/.*{TEMP_SUFFIX}"):
        pid = tmp.name.removesuffix(TEMP_SUFFIX).rsplit(".", 1)[-1]
        if pid.isdigit() and not _pid_alive(int(pid)):
            tmp.unlink(missing_ok=True)
            stale.append(tmp)
    return stale


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


def remove_outputs(out_dir: Path | str, doc_id: str) -> list[Path]:
    """Delete a document's per-table Parquet files (when a URL's content was replaced)."""
    removed = []
    for table in OUTPUT_TABLES:
        path = Path(out_dir) / table / f"{doc_id}.parquet"
        if path.exists():
            path.unlink()
            removed.append(path)
    return removed
