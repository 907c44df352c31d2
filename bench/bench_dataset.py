"""Benchmark (issue #12): the compacted dataset against the per-document files.

Builds a synthetic harvest of N documents (default 100,000) from real rows: the documents of
a staging folder written by ``extract run`` (by default the positives of ../shared/corpus,
extracted first), each copied with a new doc_id and a budget year from 2015 to 2026. Then
it measures, in one process each:

- compaction of the whole harvest, and again after one document changed (and which files
  that second compaction wrote);
- three analyst queries in DuckDB, on the compacted dataset and on the per-document files:
  a count of indicators by year and 一级指标, the projects of one department, and a join of
  projects and indicators.

    .venv/bin/python bench/bench_dataset.py [--docs 100000] [--work /tmp/bench-dataset]
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from extract.output.compact import DATASET, compact
from extract.output.writer import TABLES

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "positive"
YEARS = range(2015, 2027)
REPEATS = 3
QUERIES = {
    "count by year and 一级指标": (
        "select try_cast(partition as bigint) as year, level1_name, count(*) from {indicators} "
        "group by all order by all",
        "select d.year, i.level1_name, count(*) from {indicators} i join {documents} d "
        "using (doc_id) group by all order by all",
    ),
    "projects of one department": (
        "select count(*), sum(total_yuan) from {projects} p join {documents} d using (doc_id) "
        "where d.department = '北京市审计局'",
        "select count(*), sum(total_yuan) from {projects} p join {documents} d using (doc_id) "
        "where d.department = '北京市审计局'",
    ),
    "join of projects and indicators": (
        "select p.project_name, count(*) n from {projects} p join {indicators} i "
        "using (doc_id, project_seq) group by 1 order by n desc limit 10",
        "select p.project_name, count(*) n from {projects} p join {indicators} i "
        "using (doc_id, project_seq) group by 1 order by n desc limit 10",
    ),
}


def templates(work: Path) -> list[dict[str, pa.Table]]:
    """The real documents' rows, one dict of tables per document."""
    staging = work / "templates"
    if not (staging / "documents").is_dir():
        subprocess.run([sys.executable, "-m", "extract", "run", str(CORPUS), "--out",
                        str(staging), "--quiet"], check=False)  # fmt: skip
    out = []
    for doc in sorted((staging / "documents").glob("*.parquet")):
        tables = {t: pq.read_table(staging / t / doc.name) for t in TABLES}
        if tables["projects"].num_rows:
            out.append(tables)
    return out


def _write_chunk(args: tuple[Path, list[dict[str, pa.Table]], range]) -> None:
    out, temps, numbers = args
    for n in numbers:
        template = temps[n % len(temps)]
        doc_id = hashlib.sha256(f"synthetic-{n}".encode()).hexdigest()
        for table, data in template.items():
            data = data.set_column(data.schema.get_field_index("doc_id"), "doc_id",
                                   pa.array([doc_id] * data.num_rows, pa.string()))  # fmt: skip
            if table == "documents":
                year = YEARS[n % len(YEARS)]
                data = data.set_column(data.schema.get_field_index("year"), "year",
                                       pa.array([year] * data.num_rows, pa.int64()))  # fmt: skip
            pq.write_table(data, out / table / f"{doc_id}.parquet")


def synthesise(out: Path, temps: list[dict[str, pa.Table]], docs: int) -> float:
    for table in TABLES:
        (out / table).mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    step = max(1, docs // 40)
    chunks = [(out, temps, range(i, min(i + step, docs))) for i in range(0, docs, step)]
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_write_chunk, chunks))
    return time.perf_counter() - started


def time_query(sql: str) -> tuple[float, list[tuple[object, ...]]]:
    times, rows = [], []
    for _ in range(REPEATS):
        con = duckdb.connect()
        started = time.perf_counter()
        rows = con.sql(sql).fetchall()
        times.append(time.perf_counter() - started)
        con.close()
    return statistics.median(times), rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-dataset"))
    args = parser.parse_args()
    temps = templates(args.work)
    rows = {t: sum(x[t].num_rows for x in temps) for t in TABLES}
    print(f"templates: {len(temps)} real documents, {rows['projects']} projects, "
          f"{rows['indicators']} indicators")  # fmt: skip
    out = args.work / f"harvest-{args.docs}"
    if not (out / "documents").is_dir() or len(list((out / "documents").iterdir())) < args.docs:
        shutil.rmtree(out, ignore_errors=True)
        print(f"synthesised {args.docs} documents in {synthesise(out, temps, args.docs):.1f} s")
    started = time.perf_counter()
    first = compact(out)
    print(f"compaction, whole harvest: {time.perf_counter() - started:.1f} s "
          f"({first.files_written} partition files)")  # fmt: skip
    one = next((out / "documents").glob("*.parquet"))  # re-extracted: its files written again
    for t in TABLES:
        path = out / t / one.name
        pq.write_table(pq.read_table(path), path)
    started = time.perf_counter()
    again = compact(out)
    print(f"compaction, one document changed: {time.perf_counter() - started:.1f} s; rewrote "
          f"partition {', '.join(again.partitions)}: {again.files_written} files written, "
          f"{again.files_linked} kept as links")  # fmt: skip
    compacted = {t: f"read_parquet('{out / DATASET / t}/*/*.parquet', hive_partitioning=true)"
                 for t in TABLES}  # fmt: skip
    staged = {t: f"read_parquet('{out / t}/*.parquet')" for t in TABLES}
    print("\n| query | compacted | per-document files | speed-up |\n|---|---|---|---|")
    for name, (fast_sql, slow_sql) in QUERIES.items():
        fast, fast_rows = time_query(fast_sql.format(**compacted))
        slow, slow_rows = time_query(slow_sql.format(**staged))
        same = "" if sorted(map(str, fast_rows)) == sorted(map(str, slow_rows)) else " (DIFFERENT)"
        print(f"| {name} | {fast:.3f} s | {slow:.2f} s | {slow / fast:.0f}×{same} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
