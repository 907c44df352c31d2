"""A stand-in for ``extract.run.pipeline.run_document`` that counts calls and writes per-doc files."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from extract.harvest.store import OUTPUT_TABLES, write_atomic


class FakeRun:
    """Record every call; write one small file per output table, named by the doc id."""

    def __init__(self, *, fail_on: bytes | None = None, status: str = "ok") -> None:
        self.calls: list[tuple[Path, str | None]] = []
        self.fail_on = fail_on
        self.status = status

    def __call__(self, path: Path, out_dir: Path, *, source: str | None = None) -> Any:
        self.calls.append((path, source))
        data = path.read_bytes()
        if self.fail_on is not None and self.fail_on in data:
            raise RuntimeError("extractor bug")
        doc_id = hashlib.sha256(data).hexdigest()
        for table in OUTPUT_TABLES:
            write_atomic(Path(out_dir) / table / f"{doc_id}.parquet", f"{table}:{source}".encode())
        return SimpleNamespace(
            document=SimpleNamespace(
                doc_id=doc_id,
                status=self.status,
                error=None,
                project_count=2,
                indicator_count=5,
                tables_not_read=None,
            ),
            members=[],
        )
