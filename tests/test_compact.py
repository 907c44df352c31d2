"""The compacted, Hive-partitioned dataset: every row once, typed, readable by pandas,
polars and DuckDB; only changed partitions rewritten; readers never see a half-written one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest
from _paths import ROOT

from extract.models import DocumentResult
from extract.output.compact import DATASET, compact
from extract.output.writer import TABLES, write_result
from extract.run.pipeline import extract_document

DOCS = ["budget-full.pdf", "form.docx", "rows-merged.docx"]


@pytest.fixture(scope="module")
def results() -> list[DocumentResult]:
    return [extract_document(ROOT / "fixtures" / "docs" / d, settings={"isolate": False})
            for d in DOCS]  # fmt: skip


def _staged(tmp_path: Path, results: list[DocumentResult]) -> Path:
    for result in results:
        write_result(result, tmp_path)
    return tmp_path


def _with_year(result: DocumentResult, year: int | None) -> DocumentResult:
    doc = result.document.model_copy(update={"year": year, "extracted_at": dt.datetime.now(dt.UTC)})
    return result.model_copy(update={"document": doc})


def test_every_row_once_in_its_years_partition(
    tmp_path: Path, results: list[DocumentResult]
) -> None:
    out = _staged(tmp_path, results)
    done = compact(out)
    assert (out / DATASET).is_symlink() and done.documents == len(DOCS)
    staged = pd.concat([pd.read_parquet(p) for p in (out / "indicators").glob("*.parquet")])
    compacted = pd.read_parquet(out / DATASET / "indicators")
    assert len(compacted) == len(staged) == sum(len(r.indicators) for r in results)
    parts = {r.document.doc_id: str(r.document.year or "none") for r in results}
    assert all(
        str(p) == parts[d] for d, p in zip(compacted["doc_id"], compacted["partition"], strict=True)
    )
    assert "year" not in compacted.columns  # year is the documents' column: joins stay plain
    assert list(compacted["doc_id"]) == sorted(compacted["doc_id"])  # sorted by doc_id


def test_pandas_polars_and_duckdb_read_one_typed_dataset(tmp_path: Path,
                                                         results: list[DocumentResult]) -> None:  # fmt: skip
    out = _staged(tmp_path, results)
    compact(out)
    projects = pl.read_parquet(
        out / DATASET / "projects" / "**" / "*.parquet", hive_partitioning=True
    )
    assert projects.schema["total_yuan"] == pl.Decimal(20, 2)
    documents = pl.read_parquet(
        out / DATASET / "documents" / "**" / "*.parquet", hive_partitioning=True
    )
    assert documents.schema["year"] == pl.Int64 and documents.schema["page_count"] == pl.Int64
    con = duckdb.connect(str(out / "budget.duckdb"), read_only=True)
    assert con.sql("select count(*) from projects").fetchall() == [(len(projects),)]
    joined = con.sql("select count(*) from indicators join projects using (doc_id, project_seq)")
    assert joined.fetchall() == [(sum(len(r.indicators) for r in results),)]
    kinds = dict(con.sql("select column_name, column_type from (describe documents)").fetchall())
    assert kinds["year"] == "BIGINT" and kinds["project_count"] == "BIGINT"


def test_a_document_without_a_year_is_null_in_duckdb(tmp_path: Path,
                                                     results: list[DocumentResult]) -> None:  # fmt: skip
    out = _staged(tmp_path, [_with_year(results[0], None), results[1]])
    compact(out)
    con = duckdb.connect(str(out / "budget.duckdb"), read_only=True)
    got = dict(con.sql("select doc_id, year from documents").fetchall())
    assert got[results[0].document.doc_id] is None
    assert got[results[1].document.doc_id] == results[1].document.year


def test_only_the_changed_partition_is_rewritten(tmp_path: Path,
                                                 results: list[DocumentResult]) -> None:  # fmt: skip
    a, b = _with_year(results[0], 2023), _with_year(results[1], 2024)
    out = _staged(tmp_path, [a, b])
    compact(out)
    kept = (out / DATASET / "projects" / "partition=2023" / "part-0.parquet").stat().st_ino
    assert compact(out).files_written == 0  # nothing changed, nothing written
    write_result(_with_year(results[1], 2024), out)  # re-extracted: its files are new
    again = compact(out)
    assert again.changed == [b.document.doc_id] and again.partitions == ["2024"]
    tables = len(TABLES)  # one partition of every table
    assert again.files_written == tables and again.files_linked == tables
    assert (out / DATASET / "projects" / "partition=2023" / "part-0.parquet").stat().st_ino == kept
    assert len(list(out.glob(".dataset-*"))) == 1  # the old version is gone


def test_a_document_moving_year_leaves_its_old_partition(tmp_path: Path,
                                                         results: list[DocumentResult]) -> None:  # fmt: skip
    out = _staged(tmp_path, [_with_year(results[0], 2023), _with_year(results[1], 2024)])
    compact(out)
    write_result(_with_year(results[1], 2023), out)
    moved = compact(out)
    assert moved.partitions == ["2023", "2024"]
    assert not (out / DATASET / "documents" / "partition=2024").exists()
    assert (
        pq.read_table(out / DATASET / "documents" / "partition=2023" / "part-0.parquet").num_rows
        == 2
    )


def test_a_removed_document_leaves_the_dataset(
    tmp_path: Path, results: list[DocumentResult]
) -> None:
    out = _staged(tmp_path, results)
    compact(out)
    gone = results[2].document.doc_id
    for table in ("documents", "projects", "indicators", "issues"):
        (out / table / f"{gone}.parquet").unlink()
    assert compact(out).changed == [gone]
    assert gone not in set(pd.read_parquet(out / DATASET / "documents")["doc_id"])


def test_the_cli_compacts_and_says_what_it_did(tmp_path: Path, results: list[DocumentResult],
                                               capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    from extract.cli import main

    out = _staged(tmp_path, results[:1])
    assert main(["compact", str(out)]) == 0
    assert "1 documents, 1 changed" in capsys.readouterr().out
    assert main(["compact", str(tmp_path / "nothing")]) == 2


def test_a_file_written_before_a_column_existed_gets_it_as_null(
    tmp_path: Path, results: list[DocumentResult]
) -> None:
    out = _staged(tmp_path, results[:1])
    path = out / "documents" / f"{results[0].document.doc_id}.parquet"
    pq.write_table(pq.read_table(path).drop_columns(["scope"]), path)  # an older release's file
    compact(out)
    documents = pd.read_parquet(out / DATASET / "documents")
    assert "scope" in documents.columns and documents["scope"].isna().all()
