"""The Parquet dataset: schema from the models, atomic per-document files, readable everywhere."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from _paths import SEED, SEED_GB18030_CRLF

from extract.models import Indicator, Project
from extract.output.writer import TABLES, model_to_schema, remove_stale_temporaries
from extract.run.pipeline import run_document

CONTRACT = {
    "documents": ["doc_id", "source", "file_name", "format", "status", "error", "title",
                  "department", "year", "amount_unit", "page_count", "project_count",
                  "indicator_count", "extracted_at", "extractor_version"],
    "projects": ["doc_id", "project_seq", "unit_name", "project_name", "total_yuan", "fiscal_yuan",
                 "special_account_yuan", "other_yuan", "goal", "page"],
    "indicators": ["doc_id", "project_seq", "indicator_seq", "level1_code", "level1_name",
                   "level1_raw", "level2_code", "level2_name", "level2_raw", "name",
                   *(f"{t}_{f}" for t in ("period", "annual")
                     for f in ("raw", "op", "value", "value_max", "unit", "qualitative", "date")),
                   "page"],
    "issues": ["doc_id", "severity", "code", "project_seq", "indicator_seq", "page", "message"],
}  # fmt: skip


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_contract_columns_present(table: str) -> None:
    names = model_to_schema(TABLES[table]).names
    assert [c for c in CONTRACT[table] if c not in names] == []


def test_schema_types_follow_the_models() -> None:
    ind = model_to_schema(Indicator)
    assert ind.field("annual_value").type == pa.float64()
    assert ind.field("annual_qualitative").type == pa.bool_()
    assert ind.field("annual_date").type == pa.date32()
    assert not ind.field("name").nullable and ind.field("level1_name").nullable
    assert model_to_schema(Project).field("total_yuan").type == pa.decimal128(20, 2)


def test_every_file_of_a_table_has_the_same_schema(out_dir: Path) -> None:
    run_document(SEED, out_dir)
    run_document(Path(__file__), out_dir)  # a text file without a table: zero rows
    for table, model in TABLES.items():
        files = sorted((out_dir / table).glob("*.parquet"))
        assert len(files) == 2
        assert all(pq.read_schema(f).remove_metadata() == model_to_schema(model).remove_metadata()
                   for f in files)  # fmt: skip


def test_readable_in_pandas_polars_duckdb_with_documented_types(out_dir: Path) -> None:
    run_document(SEED, out_dir)
    df = pd.read_parquet(out_dir / "indicators")
    assert len(df) == 25 and df["annual_value"].dtype == "float64"
    projects = pl.read_parquet(out_dir / "projects" / "*.parquet")
    assert projects.schema["total_yuan"] == pl.Decimal(20, 2)
    assert projects["total_yuan"].sum() == Decimal("3100200.00")
    con = duckdb.connect()
    got = con.execute(
        f"SELECT count(*), sum(total_yuan) FROM '{out_dir}/projects/*.parquet'"
    ).fetchall()
    assert got == [(9, Decimal("3100200.00"))]
    ops = con.execute(f"SELECT annual_op, count(*) FROM '{out_dir}/indicators/*.parquet' "
                      "GROUP BY 1 ORDER BY 1 NULLS FIRST").fetchall()  # fmt: skip
    assert dict(ops) == {None: 1, "<": 2, "<=": 3, "=": 14, ">=": 5}


def test_rerun_replaces_rows_and_leaves_no_temporaries(out_dir: Path) -> None:
    run_document(SEED, out_dir)
    first = pd.read_parquet(out_dir / "indicators")
    run_document(SEED, out_dir)
    run_document(SEED_GB18030_CRLF, out_dir)
    again = pd.read_parquet(out_dir / "indicators")
    assert len(again) == 2 * len(first)
    assert again.groupby("doc_id").size().tolist() == [25, 25]
    assert [
        p.name for p in out_dir.rglob("*") if p.is_file() and not p.name.endswith(".parquet")
    ] == []


def test_stale_temporary_of_a_dead_writer_is_removed(out_dir: Path) -> None:
    run_document(SEED, out_dir)
    dead_pid = 2**22 + 12345  # above the default pid_max: never a live process
    stale = out_dir / "projects" / f".x.parquet.{dead_pid}.tmp"
    live = out_dir / "projects" / f".y.parquet.{os.getpid()}.tmp"
    stale.write_bytes(b"partial")
    live.write_bytes(b"in progress")
    assert remove_stale_temporaries(out_dir) == [stale]
    assert live.exists() and not stale.exists()


def test_two_runs_writing_the_same_folder_at_once_leave_a_consistent_dataset(out_dir: Path) -> None:
    """Per-document atomic replacement: concurrent writers never interleave or duplicate rows."""
    import subprocess
    import sys

    from _paths import FIXTURES

    docs = [str(SEED), str(SEED_GB18030_CRLF), str(FIXTURES / "docs" / "form.pdf"),
            str(FIXTURES / "docs" / "rows-merged.docx")]  # fmt: skip
    cmd = [sys.executable, "-m", "extract", "run", *docs, "--out", str(out_dir), "--quiet"]
    runs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    assert [p.wait(timeout=300) for p in runs] == [0, 0]
    for table in TABLES:
        files = sorted((out_dir / table).iterdir())
        assert [f.suffix for f in files] == [".parquet"] * len(docs), table
        pq.read_table(files[0])  # whole, readable files
    projects = pd.read_parquet(out_dir / "projects")
    assert projects.groupby("doc_id").size().sort_values().tolist() == [3, 7, 9, 9]
    assert not projects.duplicated(["doc_id", "project_seq"]).any()
