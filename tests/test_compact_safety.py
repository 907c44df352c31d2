"""Compactions that overlap or die (issue #22, part): one at a time per folder, a dataset
that heals what a killed compaction left, and output paths that are data, not patterns."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import time
from pathlib import Path

import duckdb
import pytest
from _paths import ROOT

from extract.errors import FolderBusyError
from extract.models import DocumentResult
from extract.output.compact import DATASET, DUCKDB_FILE, VERSION_PREFIX, compact, glob_escape
from extract.output.lock import folder_lock
from extract.output.writer import write_result
from extract.run.pipeline import extract_document

DOCS = ["form.docx", "rows-merged.docx", "packed-no-codes.docx"]
ROUNDS = 6  # rounds of two compactions at once; each round restamps every document


@pytest.fixture(scope="module")
def results() -> list[DocumentResult]:
    return [extract_document(ROOT / "fixtures" / "docs" / d, settings={"isolate": False})
            for d in DOCS]  # fmt: skip


def _stage(out: Path, results: list[DocumentResult], year: int) -> None:
    for result in results:
        doc = result.document.model_copy(
            update={"year": year, "extracted_at": dt.datetime.now(dt.UTC)}
        )
        write_result(result.model_copy(update={"document": doc}), out)


def _count(out: Path, table: str) -> int:
    with duckdb.connect(str(out / DUCKDB_FILE), read_only=True) as con:
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else -1


def _compact_in_child(out: str) -> None:
    compact(out)


def test_two_compactions_at_once_lose_no_row(tmp_path: Path, results: list[DocumentResult]) -> None:
    out = tmp_path / "out"
    projects = sum(len(r.projects) for r in results)
    indicators = sum(len(r.indicators) for r in results)
    ctx = multiprocessing.get_context("fork")
    for round_ in range(ROUNDS):
        _stage(out, results, 2020 + round_ % 3)  # other years: partitions move between rounds
        workers = [ctx.Process(target=_compact_in_child, args=(str(out),)) for _ in range(2)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(timeout=120)
            assert w.exitcode == 0
        assert (_count(out, "projects"), _count(out, "indicators")) == (projects, indicators)
        assert (out / DATASET).is_symlink()
        assert len(list(out.glob(f"{VERSION_PREFIX}*"))) == 1  # the others were swept


def test_a_second_compaction_waits_then_says_who_holds_the_folder(tmp_path: Path) -> None:
    with folder_lock(tmp_path, wait_s=1):
        started = time.monotonic()
        with pytest.raises(FolderBusyError, match=rf"process {os.getpid()}"):
            compact(tmp_path, wait_s=0.3)
        assert time.monotonic() - started >= 0.3
    assert compact(tmp_path, wait_s=0.3).documents == 0  # free again


def test_a_compaction_killed_after_its_switch_is_healed(
    tmp_path: Path, results: list[DocumentResult]
) -> None:
    out = tmp_path / "out"
    _stage(out, results, 2024)
    compact(out)
    (out / DUCKDB_FILE).unlink()  # killed before budget.duckdb was written
    part = next((out / DATASET / "projects").glob("*/part-0.parquet"))
    part.unlink()  # and a part lost
    (out / f"{VERSION_PREFIX}99").mkdir()  # a version a killed compaction left half-written
    (out / f".{DUCKDB_FILE}.1234.tmp").write_bytes(b"half")
    again = compact(out)
    assert again.files_written > 0  # rebuilt, not "nothing changed"
    assert _count(out, "projects") == sum(len(r.projects) for r in results)
    assert not (out / f"{VERSION_PREFIX}99").exists()
    assert not list(out.glob(f".{DUCKDB_FILE}.*.tmp"))
    assert compact(out).files_written == 0  # complete now: nothing to do


@pytest.mark.parametrize("name", ["out [2024]", "out*all", "out?", "预算 输出's"])
def test_output_paths_are_data_not_patterns(
    tmp_path: Path, results: list[DocumentResult], name: str
) -> None:
    out = tmp_path / name
    _stage(out, results, 2024)
    compact(out)
    assert _count(out, "projects") == sum(len(r.projects) for r in results)


def test_glob_escape_keeps_the_path_literal() -> None:
    assert glob_escape("/d/out [2024]/x*?") == "/d/out [[]2024]/x[*][?]"


@pytest.mark.parametrize("table", ["documents", "projects", "indicators"])
def test_a_corrupt_staged_file_is_one_documents_problem(
    tmp_path: Path, results: list[DocumentResult], table: str
) -> None:
    out = tmp_path / "out"
    _stage(out, results, 2024)
    bad = results[1].document.doc_id
    path = out / table / f"{bad}.parquet"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # truncated
    done = compact(out)
    (line,) = done.quarantined
    assert bad[:12] in line and "extract run" in line
    if table != "documents":  # a corrupt documents file cannot name its source
        assert results[1].document.source in line
    assert (out / "quarantine" / table / f"{bad}.parquet").exists()
    assert not (out / "documents" / f"{bad}.parquet").exists()
    others = [r for r in results if r.document.doc_id != bad]
    assert _count(out, "projects") == sum(len(r.projects) for r in others)
    assert compact(out).quarantined == []  # the folder is clean again


def test_a_corrupt_compacted_part_is_written_again_not_linked(
    tmp_path: Path, results: list[DocumentResult]
) -> None:
    out = tmp_path / "out"
    _stage(out, results[:2], 2024)
    _stage(out, results[2:], 2023)
    compact(out)
    part = out / DATASET / "projects" / "partition=2023" / "part-0.parquet"
    data = part.read_bytes()
    part.unlink()  # the link's other names keep the old bytes: write a new, broken file
    part.write_bytes(data[: len(data) // 2])
    _stage(out, results[:2], 2024)  # only year 2024 changes
    compact(out)
    assert _count(out, "projects") == sum(len(r.projects) for r in results)


def test_the_report_moves_a_corrupt_documents_file_aside_and_goes_on(
    tmp_path: Path, results: list[DocumentResult]
) -> None:
    from extract.output.report import write_report

    out = tmp_path / "out"
    _stage(out, results, 2024)
    bad = results[0].document.doc_id
    (out / "documents" / f"{bad}.parquet").write_bytes(b"PAR1 not a footer")
    done = write_report(out)
    assert done.documents == len(results) - 1
    assert len(done.quarantined) == 1 and bad[:12] in done.quarantined[0]
    assert (out / "report" / "index.html").exists()


def test_a_folder_in_the_way_of_the_dataset_is_one_line(
    tmp_path: Path, results: list[DocumentResult], capsys: pytest.CaptureFixture[str]
) -> None:
    from extract.cli import main

    out = tmp_path / "out"
    _stage(out, results, 2024)
    (out / DATASET).mkdir()  # a folder of the user's own where the link goes
    assert main(["compact", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "move it away" in err[0]
    assert not list(out.glob(f"{VERSION_PREFIX}*"))  # the version built is swept next time


def test_run_compact_and_report_on_a_path_of_every_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from _paths import SEED

    from extract.cli import main

    out = tmp_path / "out [2024] 预算*?"
    assert main(["run", str(SEED), "--out", str(out), "--quiet"]) == 0
    stale = out / "projects" / ".x.parquet.abc.999999999.tmp"  # a writer that died
    stale.write_bytes(b"half")
    assert main(["compact", str(out)]) == 0
    assert main(["report", str(out)]) == 0
    assert _count(out, "projects") == 9 and (out / "report" / "index.html").exists()
    assert not stale.exists()
