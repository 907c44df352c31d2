"""Golden files: a document's result as reviewable JSONL, rewritten only on request.

Set ``EXTRACT_REGEN_GOLDEN=1`` to rewrite; review the diff by eye before committing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from extract.models import DocumentResult

REGEN_ENV = "EXTRACT_REGEN_GOLDEN"
VOLATILE = {"extracted_at", "source", "extractor_version"}


def result_to_golden(result: DocumentResult) -> dict[str, list[dict[str, Any]]]:
    """The comparable content of a result: every field but the volatile ones."""
    doc = result.document.model_dump(mode="json", exclude=VOLATILE)
    return {
        "document": [doc],
        "projects": [p.model_dump(mode="json") for p in result.projects],
        "indicators": [i.model_dump(mode="json") for i in result.indicators],
        "issues": [i.model_dump(mode="json") for i in result.issues],
    }


def check_golden(result: DocumentResult, folder: Path) -> None:
    """Compare with (or, when regenerating, rewrite) ``folder/<table>.jsonl``."""
    actual = result_to_golden(result)
    if os.environ.get(REGEN_ENV) == "1":
        folder.mkdir(parents=True, exist_ok=True)
        for table, rows in actual.items():
            text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
            (folder / f"{table}.jsonl").write_text(text, encoding="utf-8")
    for table, rows in actual.items():
        path = folder / f"{table}.jsonl"
        expected = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
        assert len(rows) == len(expected), f"{path}: {len(rows)} rows, golden has {len(expected)}"
        for n, (got, want) in enumerate(zip(rows, expected, strict=True), start=1):
            assert got == want, f"{path} row {n} differs"
