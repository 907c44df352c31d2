"""The manifest ``<out>/raw/manifest.sqlite``: one row per document URL, WAL, atomic writes."""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

MANIFEST_NAME = "manifest.sqlite"
log = logging.getLogger(__name__)
CORRUPT_MESSAGE = (
    "%s is not a readable database (%s): moved to %s; a new manifest is started, so this "
    "harvest fetches every document again (bodies already in the raw store are kept)"
)
DEFAULT_BUSY_TIMEOUT = 30.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    url TEXT PRIMARY KEY,
    source TEXT,
    final_url TEXT,
    sha256 TEXT,
    format TEXT,
    raw_path TEXT,
    size INTEGER,
    fetched_at TEXT,
    http_status INTEGER,
    etag TEXT,
    last_modified TEXT,
    mtime_ns INTEGER,
    content_type TEXT,
    outcome TEXT,
    error TEXT,
    extracted_sha256 TEXT,
    extract_status TEXT,
    extract_error TEXT,
    project_count INTEGER,
    indicator_count INTEGER,
    extracted_at TEXT
)
"""

FETCH_COLUMNS = (
    "source",
    "final_url",
    "sha256",
    "format",
    "raw_path",
    "size",
    "fetched_at",
    "http_status",
    "etag",
    "last_modified",
    "mtime_ns",
    "content_type",
    "outcome",
    "error",
)
FAILURE_COLUMNS = ("source", "fetched_at", "http_status", "outcome", "error")
EXTRACT_COLUMNS = (
    "extracted_sha256",
    "extract_status",
    "extract_error",
    "project_count",
    "indicator_count",
    "extracted_at",
)


@dataclass(frozen=True)
class ManifestRow:
    """One manifest row: ``sha256`` is the last good body, ``extracted_sha256`` the extracted."""

    url: str
    source: str | None = None
    final_url: str | None = None
    sha256: str | None = None
    format: str | None = None
    raw_path: str | None = None
    size: int | None = None
    fetched_at: str | None = None
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    mtime_ns: int | None = None
    content_type: str | None = None
    outcome: str | None = None
    error: str | None = None
    extracted_sha256: str | None = None
    extract_status: str | None = None
    extract_error: str | None = None
    project_count: int | None = None
    indicator_count: int | None = None
    extracted_at: str | None = None


ROW_COLUMNS = tuple(f.name for f in fields(ManifestRow))


class Manifest:
    """Access to the manifest; each call opens its own connection, so threads may share it."""

    def __init__(self, path: Path | str, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.set_aside: Path | None = None  # where a corrupt manifest was moved
        try:
            self._create()
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError):  # locked or busy: not corruption
                raise
            self.set_aside = _set_aside(self.path)
            log.warning(CORRUPT_MESSAGE, self.path, exc, self.set_aside)
            self._create()

    def _create(self) -> None:
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(SCHEMA)
            conn.execute("PRAGMA quick_check").fetchall()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=self.busy_timeout)) as conn:
            conn.execute("PRAGMA synchronous=NORMAL")
            with conn:  # one transaction: commit on success, roll back on error
                yield conn

    def get(self, url: str) -> ManifestRow | None:
        """The row for ``url``, if it was ever fetched."""
        with self._connect() as conn:
            cur = conn.execute(
                f"SELECT {', '.join(ROW_COLUMNS)} FROM documents WHERE url = ?", (url,)
            )
            found = cur.fetchone()
        return ManifestRow(*found) if found else None

    def rows(self) -> list[ManifestRow]:
        """Every row, ordered by URL."""
        with self._connect() as conn:
            cur = conn.execute(f"SELECT {', '.join(ROW_COLUMNS)} FROM documents ORDER BY url")
            return [ManifestRow(*r) for r in cur.fetchall()]

    def _upsert(self, url: str, values: dict[str, Any], columns: tuple[str, ...]) -> None:
        names = ", ".join(("url", *columns))
        marks = ", ".join("?" for _ in range(len(columns) + 1))
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns)
        sql = (
            f"INSERT INTO documents ({names}) VALUES ({marks}) "
            f"ON CONFLICT(url) DO UPDATE SET {updates}"
        )
        with self._connect() as conn:
            conn.execute(sql, (url, *(values.get(c) for c in columns)))

    def record_fetch(self, url: str, **values: Any) -> None:
        """Store a successful fetch (call only once the raw file is in place)."""
        self._upsert(url, values, FETCH_COLUMNS)

    def record_failure(self, url: str, **values: Any) -> None:
        """Store a failed fetch, keeping the last good hash and validators of the URL."""
        self._upsert(url, values, FAILURE_COLUMNS)

    def record_extraction(self, url: str, **values: Any) -> None:
        """Store what extracting the URL's current body gave (call after outputs are written)."""
        self._upsert(url, values, EXTRACT_COLUMNS)

    def is_referenced(self, sha256: str, *, except_url: str) -> bool:
        """True when another URL's current or extracted body has this hash."""
        with self._connect() as conn:
            cur = conn.execute(
                "SELECT 1 FROM documents WHERE url != ? AND (sha256 = ? OR extracted_sha256 = ?)"
                " LIMIT 1",
                (except_url, sha256, sha256),
            )
            return cur.fetchone() is not None


def _set_aside(path: Path) -> Path:
    """Move a corrupt manifest (and its WAL files) aside, under a name with the time."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        part = path.with_name(path.name + suffix)
        if part.exists():
            os.replace(part, target.with_name(target.name + suffix))
    return target
