"""The per-document Parquet files (the crash-safe staging area) → one compacted dataset for
analysts: ``OUT/dataset/<table>/partition=YYYY/part-0.parquet``, Hive-partitioned by the
documents' budget year (``partition=none`` where a document prints none), sorted by ``doc_id``,
in row groups sized for scans. ``year`` is a column of ``documents`` only (NULL where none is
printed): a join on ``doc_id`` never has two; the partition is storage, its own column.

Each compaction builds a new version folder (``OUT/.dataset-<n>``) and then points the
``OUT/dataset`` symlink at it in one rename: a reader opening the dataset sees the old
version or the new one, never a half-written one. Only the partitions whose documents
changed (added, replaced or removed since the last compaction) are rewritten; the others
are hard links to the files of the previous version.

One compaction runs at a time per folder (:mod:`.lock`); it first sweeps what a killed one
left (versions not linked, temporaries), and a dataset whose parts or ``budget.duckdb`` are
missing is rebuilt, never taken as up to date.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from extract.errors import OutputError
from extract.output.atomic import remove_stale_temporaries
from extract.output.lock import folder_lock
from extract.output.quarantine import Quarantined, find_and_move
from extract.output.views import create_joined_views
from extract.output.writer import TABLES, read_conformed

State = dict[str, dict[str, Any]]  # doc_id → its stamp and year
DATASET = "dataset"
VERSION_PREFIX = ".dataset-"
STATE_FILE = "_compacted.json"  # inside a version: what each document looked like
PART_NAME = "part-0.parquet"
PARTITION_KEY = "partition"
DUCKDB_FILE = "budget.duckdb"
# Documents that print no year: partition=none (a string: Hive's null partition is read as a
# dictionary pandas cannot unify with nulls). Their documents.year is NULL.
NULL_YEAR = "none"
LOCK_WAIT_S = 600.0  # a second compaction waits this long for the first to end
MAX_ATTEMPTS = 5  # compactions started again after moving corrupt documents aside
ROW_GROUP_ROWS = 128 * 1024
SORT_KEYS = {"documents": ["doc_id"], "projects": ["doc_id", "project_seq"],
             "indicators": ["doc_id", "project_seq", "indicator_seq"],
             "evaluations": ["doc_id", "evaluation_seq"],
             "evaluation_indicators": ["doc_id", "evaluation_seq", "indicator_seq"],
             "issues": ["doc_id", "project_seq", "indicator_seq"]}  # fmt: skip


@dataclass
class Compaction:
    """What one compaction did."""

    documents: int = 0
    changed: list[str] = field(default_factory=list)  # doc_ids added, replaced or removed
    partitions: list[str] = field(default_factory=list)  # partitions (years) rewritten
    files_written: int = 0
    files_linked: int = 0
    path: Path | None = None
    quarantined: list[str] = field(default_factory=list)  # one line per document moved aside


def compact(out: Path | str, wait_s: float = LOCK_WAIT_S) -> Compaction:
    """Rewrite the changed partitions of ``out``'s dataset from its per-document files, one
    compaction at a time (waiting up to ``wait_s`` for another one to end)."""
    out = Path(out)
    messages: list[str] = []
    with folder_lock(out, wait_s):
        for _ in range(MAX_ATTEMPTS):
            _sweep(out)
            try:
                result = _compact(out)
            except Quarantined as moved:  # start again without the documents moved aside
                messages += moved.messages
                continue
            result.quarantined = messages
            return result
    raise RuntimeError(f"{out}: documents kept failing to compact: {'; '.join(messages)}")


def _compact(out: Path) -> Compaction:
    _dataset_link(out)  # before anything is built
    stamps = _stamps(out)
    previous = _current_version(out)
    old_state = _read_state(previous) if previous else {}
    changed = sorted(d for d in stamps.keys() | old_state.keys()
                     if _stamp(stamps, d) != _stamp(old_state, d))  # fmt: skip
    years = {doc: _year_of(out, doc) for doc in changed if doc in stamps}
    state = {d: {"stamp": s["stamp"], "year": years.get(d, old_state.get(d, {}).get("year"))}
             for d, s in stamps.items()}  # fmt: skip
    touched = {_partition(years.get(d)) for d in changed if d in stamps}
    touched |= {_partition(old_state[d]["year"]) for d in changed if d in old_state}
    result = Compaction(documents=len(stamps), changed=changed, partitions=sorted(touched),
                        path=out / DATASET)  # fmt: skip
    if previous is not None and not changed and _complete(out, previous, state):
        return result
    if previous is not None and not changed:  # parts or budget.duckdb lost: rebuild them all
        touched = {_partition(info["year"]) for info in state.values()}
        result.partitions = sorted(touched)
    version = _new_version(out)
    by_partition: dict[str, list[str]] = defaultdict(list)
    for doc, info in sorted(state.items()):
        by_partition[_partition(info["year"])].append(doc)
    for table in TABLES:
        for part, docs in sorted(by_partition.items()):
            target = version / table / f"{PARTITION_KEY}={part}" / PART_NAME
            old = previous / table / f"{PARTITION_KEY}={part}" / PART_NAME if previous else None
            if part not in touched and old is not None and _sound(old):
                target.parent.mkdir(parents=True, exist_ok=True)
                os.link(old, target)
                result.files_linked += 1
            else:
                _write_partition(out, table, docs, target)
                result.files_written += 1
    (version / STATE_FILE).write_text(json.dumps(state, sort_keys=True), "utf-8")
    _switch(out, version)
    if stamps:
        write_duckdb(out)
    return result


def _complete(out: Path, version: Path, state: State) -> bool:
    """Does the compacted version hold a part of every table for every year of its
    documents, and ``budget.duckdb`` its views (when there are documents)?"""
    parts = {_partition(info["year"]) for info in state.values()}
    present = all((version / table / f"{PARTITION_KEY}={part}" / PART_NAME).is_file()
                  for table in TABLES for part in parts)  # fmt: skip
    return present and (not state or (out / DUCKDB_FILE).is_file())


def _sweep(out: Path) -> None:
    """What a killed compaction left: version folders the dataset link does not point at,
    and its temporary link and database files (no other compaction runs: the lock is held)."""
    current = _current_version(out)
    for old in out.glob(f"{VERSION_PREFIX}*"):
        if old.is_dir() and old != current:
            shutil.rmtree(old, ignore_errors=True)
    for tmp in [*out.glob(f".{DUCKDB_FILE}.*.tmp"), *out.glob(f".{DATASET}.*.link")]:
        tmp.unlink(missing_ok=True)
    remove_stale_temporaries(out)  # staged files a killed writer left half-written


def glob_escape(path: str) -> str:
    """A path as a literal inside a DuckDB glob: ``[`` ``*`` ``?`` as character classes."""
    return path.replace("[", "\0").replace("*", "[*]").replace("?", "[?]").replace("\0", "[[]")


def write_duckdb(out: Path) -> Path:
    """``OUT/budget.duckdb``: the compacted dataset as DuckDB tables (without the partition
    column), and the joined views over them. Self-contained: it answers after the output
    folder is copied or moved, from any working directory, even alone. Built in a temporary
    folder (DuckDB reads ``?`` in a database path as options), moved beside the target under a
    temporary name and renamed into place."""
    import duckdb  # only here: the rest of the pipeline does not need it

    target = out / DUCKDB_FILE
    tmp = out / f".{DUCKDB_FILE}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    root = (out / DATASET).resolve()
    with tempfile.TemporaryDirectory(prefix="budget-duckdb-") as folder:
        built = Path(folder) / DUCKDB_FILE
        with duckdb.connect(str(built)) as con:
            for table in TABLES:
                glob = (glob_escape(str(root / table)) + "/*/*.parquet").replace("'", "''")
                con.execute(f"CREATE TABLE {table} AS SELECT * EXCLUDE ({PARTITION_KEY}) FROM "
                            f"read_parquet('{glob}', hive_partitioning = true, "
                            "hive_types_autocast = false)")  # fmt: skip
            create_joined_views(con)
        shutil.move(built, tmp)
    os.replace(tmp, target)
    return target


def _stamp(state: State, doc: str) -> Any:
    return state.get(doc, {}).get("stamp")


def _stamps(out: Path) -> State:
    """Every complete document of the staging area (its documents row is written last) and a
    stamp of its files: size and modification time, enough to see that it was rewritten."""
    stamps: State = {}
    folder = out / "documents"
    if not folder.is_dir():
        return stamps
    for entry in os.scandir(folder):
        if entry.name.endswith(".parquet") and not entry.name.startswith("."):
            info = entry.stat()
            stamps[entry.name.removesuffix(".parquet")] = {
                "stamp": f"{info.st_size}:{info.st_mtime_ns}"
            }
    return stamps


def _year_of(out: Path, doc_id: str) -> int | None:
    try:
        table = pq.read_table(out / "documents" / f"{doc_id}.parquet", columns=["year"])
    except (pa.ArrowException, OSError, ValueError):
        find_and_move(out, "documents", [doc_id])  # raises Quarantined
    years = table.column("year").to_pylist()
    return years[0] if years else None


def _partition(year: int | None) -> str:
    return NULL_YEAR if year is None else str(year)


def _write_partition(out: Path, table: str, docs: list[str], target: Path) -> None:
    """One partition of one table from its documents' files, read together (pyarrow reads
    many files in parallel) in the current schema (a file written before a column was added
    gets it as nulls), sorted by the table's keys."""
    paths = [str(p) for doc in docs if (p := out / table / f"{doc}.parquet").exists()]
    try:
        data = read_conformed(table, paths)
    except (pa.ArrowException, OSError, ValueError):
        find_and_move(out, table, docs)  # raises Quarantined: the compaction starts again
    if data.num_rows:
        data = data.take(pc.sort_indices(data, [(k, "ascending") for k in SORT_KEYS[table]]))
    if PARTITION_KEY in data.column_names:  # the path holds it (year=2026)
        data = data.drop_columns([PARTITION_KEY])
    target.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(data, target, row_group_size=ROW_GROUP_ROWS, compression="zstd")


def _sound(part: Path) -> bool:
    """A compacted part of the previous version whose footer reads: only such a part is
    linked forward (a corrupt one is written again)."""
    try:
        pq.read_metadata(part)
    except (pa.ArrowException, OSError):
        return False
    return True


def _current_version(out: Path) -> Path | None:
    link = out / DATASET
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def _read_state(version: Path) -> State:
    path = version / STATE_FILE
    return dict(json.loads(path.read_text("utf-8"))) if path.exists() else {}


def _new_version(out: Path) -> Path:
    numbers = [int(p.name.removeprefix(VERSION_PREFIX)) for p in out.glob(f"{VERSION_PREFIX}*")
               if p.name.removeprefix(VERSION_PREFIX).isdigit()]  # fmt: skip
    version = out / f"{VERSION_PREFIX}{max(numbers, default=0) + 1}"
    shutil.rmtree(version, ignore_errors=True)
    version.mkdir(parents=True)
    return version


def _dataset_link(out: Path) -> Path:
    """``OUT/dataset``, unless something of the user's own is in its place."""
    link = out / DATASET
    if link.exists() and not link.is_symlink():
        raise OutputError(
            f"{link} exists and is not the compacted dataset's link (a folder or file of your "
            "own?): move it away and run `extract compact` again"
        )
    return link


def _switch(out: Path, version: Path) -> None:
    """Point ``OUT/dataset`` at ``version`` in one rename, then drop the older versions (a
    reader that has them open keeps reading them: their files live until closed)."""
    link = _dataset_link(out)
    tmp = out / f".{DATASET}.{os.getpid()}.link"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(version.name)
    os.replace(tmp, link)
    for old in out.glob(f"{VERSION_PREFIX}*"):
        if old != version:
            shutil.rmtree(old, ignore_errors=True)


def summary_line(result: Compaction, out: Path) -> str:
    """One line for a person: what the compaction rewrote."""
    moved = "".join(f"\n{line}" for line in result.quarantined)
    if not result.changed:
        return f"{out / DATASET}: {result.documents} documents, nothing changed{moved}"
    years = ", ".join(result.partitions)
    return (f"{out / DATASET}: {result.documents} documents, {len(result.changed)} changed; "
            f"rewrote partition {years} ({result.files_written} files, {result.files_linked} "
            f"kept); tables in {out / DUCKDB_FILE}{moved}")  # fmt: skip
