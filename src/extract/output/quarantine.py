"""A corrupt staged file is one document's problem: its files are moved aside to
``OUT/quarantine/<table>/`` with one line naming the source document and the command that
rebuilds it, and the compaction or report goes on with the other documents."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa

from extract.output.writer import TABLES, read_conformed

QUARANTINE = "quarantine"
STAGED = tuple(TABLES)


class Quarantined(Exception):  # an outcome, not a failure: the run goes on
    """Documents were moved aside; what read them must start again without them."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def read_staged(out: Path, table: str) -> tuple[pa.Table, list[str]]:
    """Every staged file of ``table`` read together; the documents whose file cannot be read
    are moved aside first (one line each), and the rest is read."""
    folder = out / table
    files = sorted(p for p in folder.glob("*.parquet") if not p.name.startswith("."))
    try:
        return read_conformed(table, [str(p) for p in files]), []
    except (pa.ArrowException, OSError, ValueError):
        pass
    messages = [move_aside(out, p.stem, f"{table}/{p.name}: {why}")
                for p in files if (why := unreadable(table, p)) is not None]  # fmt: skip
    return read_conformed(table, [str(p) for p in files if p.exists()]), messages


def unreadable(table: str, path: Path) -> str | None:
    """Why a staged file cannot be read in its table's schema, or None when it can."""
    try:
        read_conformed(table, [str(path)])
    except (pa.ArrowException, OSError, ValueError) as exc:
        return str(exc).splitlines()[0][:120] or type(exc).__name__
    return None


def find_and_move(out: Path, table: str, docs: list[str]) -> None:
    """Of these documents' files of ``table`` (read together, they failed), move the
    documents whose file cannot be read aside, and raise :class:`Quarantined`."""
    messages = []
    for doc in docs:
        path = out / table / f"{doc}.parquet"
        if path.exists() and (why := unreadable(table, path)) is not None:
            messages.append(move_aside(out, doc, f"{table}/{path.name}: {why}"))
    if not messages:
        raise RuntimeError(f"{table}: the files could not be read together, nor one by one")
    raise Quarantined(messages)


def move_aside(out: Path, doc: str, why: str) -> str:
    """Move every staged file of ``doc`` to ``OUT/quarantine/`` and say what to rerun."""
    source = _source(out, doc)
    for table in STAGED:
        path = out / table / f"{doc}.parquet"
        if path.exists():
            target = out / QUARANTINE / table / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
    return (f"quarantined {doc[:12]} ({why}): moved to {out / QUARANTINE}; rebuild it with "
            f"`extract run {source} --out {out}`")  # fmt: skip


def _source(out: Path, doc: str) -> str:
    """The document's source as its documents row names it, else its id."""
    path = out / "documents" / f"{doc}.parquet"
    try:
        rows = read_conformed("documents", [str(path)]).column("source").to_pylist()
    except (pa.ArrowException, OSError, ValueError, KeyError):
        return f"<the source of {doc}>"
    return str(rows[0]) if rows and rows[0] else f"<the source of {doc}>"


__all__ = ["QUARANTINE", "Quarantined", "find_and_move", "move_aside", "read_staged", "unreadable"]
