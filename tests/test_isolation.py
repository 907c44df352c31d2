"""Per-document limits: a worker process with an address-space limit and a timeout."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import time
from pathlib import Path

import pytest
from _paths import FIXTURES, SEED

from extract.models import Format, Status
from extract.read import EXTRACTORS
from extract.records import assemble
from extract.run import isolation
from extract.run.isolation import MB, Worker, extract_isolated
from extract.run.pipeline import extract_document, run_document
from extract.settings import Settings

PDF = FIXTURES / "docs" / "budget-full.pdf"


def test_isolated_result_equals_in_process_result() -> None:
    isolated = extract_isolated(SEED, source=None, settings=Settings())
    direct = extract_document(SEED)
    drop = {"extracted_at"}
    assert isolated.document.model_dump(exclude=drop) == direct.document.model_dump(exclude=drop)
    assert isolated.indicators == direct.indicators


def test_timeout_fails_the_document_and_the_next_one_still_runs(out_dir: Path) -> None:
    slow = run_document(PDF, out_dir, settings=Settings(doc_timeout_s=0.01))
    assert slow.document.status is Status.FAILED
    assert slow.document.error is not None and slow.document.error.startswith("timeout:")
    assert (out_dir / "documents" / f"{slow.document.doc_id}.parquet").exists()
    fine = run_document(SEED, out_dir)
    assert fine.document.status is Status.OK and fine.document.project_count == 9


def test_worker_runs_under_the_address_space_limit() -> None:
    worker = Worker(memory_mb=1536)
    try:
        limits = Path(f"/proc/{worker.process.pid}/limits").read_text()
        deadline = dt.datetime.now() + dt.timedelta(seconds=20)
        while str(1536 * MB) not in limits and dt.datetime.now() < deadline:
            limits = Path(f"/proc/{worker.process.pid}/limits").read_text()
        [line] = [ln for ln in limits.splitlines() if ln.startswith("Max address space")]
        assert line.split()[3:5] == [str(1536 * MB), str(1536 * MB)]
    finally:
        worker.stop()


def test_a_dead_worker_is_reported_as_crashed_and_replaced() -> None:
    worker = Worker(memory_mb=2048)
    worker.process.kill()
    worker.process.join()
    assert worker.run(("read", (str(SEED), None), Settings()), 10.0) == "crashed"


def test_memory_error_is_recorded_with_reason_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    def greedy(path: Path, settings: Settings) -> None:
        raise MemoryError

    monkeypatch.setitem(EXTRACTORS, Format.TXT, greedy)
    result = extract_document(SEED, settings=Settings(doc_memory_mb=64))
    assert result.document.status is Status.FAILED
    assert result.document.error == (
        "memory: the extraction ran out of memory (per-document limit 64 MB)"
    )


def test_while_waiting_runs_during_the_extraction() -> None:
    calls: list[str] = []
    result = extract_isolated(SEED, source=None, settings=Settings(),
                              while_waiting=lambda: calls.append("ran"))  # fmt: skip
    assert calls == ["ran"] and result.document.status is Status.OK
    assert result.document.project_count == 9


def test_time_spent_while_waiting_counts_in_the_timeout() -> None:
    """A worker that never answers: after a 0.8 s while_waiting, a 1 s timeout waits 0.2 s."""
    worker = Worker.__new__(Worker)
    worker.conn, _keep = multiprocessing.Pipe()
    worker.process = multiprocessing.get_context("fork").Process(target=time.sleep, args=(30,))
    worker.process.start()
    started = time.monotonic()
    outcome = worker.run(("read", (str(SEED), None), Settings()), 1.0,
                         while_waiting=lambda: time.sleep(0.8))  # fmt: skip
    elapsed = time.monotonic() - started
    assert outcome == "timeout"
    assert 1.0 <= elapsed < 1.6  # not 0.8 + 1.0
    assert not worker.process.is_alive()


def _gone(pid: int) -> bool:
    """Dead: no such process, or a zombie waiting for its (new) parent to reap it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status


def test_stopping_a_worker_takes_its_page_workers_with_it(tmp_path: Path) -> None:
    """A timeout while page workers read a long PDF must not leave them behind: they would
    wait forever on a queue whose writer is gone."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(PDF))
    long = pdfium.PdfDocument.new()
    while len(long) < 200:  # past the size from which the text-layer pass is shared
        long.import_pages(src)
    path = tmp_path / "long.pdf"
    long.save(str(path))
    worker = Worker(memory_mb=2048)
    try:
        worker.conn.send(("read", (str(path), None), Settings(isolate=False)))
        children: list[int] = []
        deadline = time.monotonic() + 30
        while not children and time.monotonic() < deadline:
            listing = Path(f"/proc/{worker.process.pid}/task/{worker.process.pid}/children")
            children = [int(p) for p in listing.read_text().split()]
            time.sleep(0.01)
        assert children, "the worker never started page workers"
    finally:
        worker.stop()
    deadline = time.monotonic() + 5
    while not all(_gone(p) for p in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(_gone(p) for p in children)


def _fresh_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forked workers (they carry this process's patches), none left from earlier tests."""
    monkeypatch.setattr(isolation, "_start_method", lambda: "fork")
    isolation._stop_all()


def test_a_hanging_assembly_times_out_within_the_document_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The records are built in a worker of their own, under the time left of the limit."""
    _fresh_workers(monkeypatch)
    monkeypatch.setattr(assemble, "extracted_to_result", lambda *a: time.sleep(60))
    started = time.monotonic()
    result = extract_isolated(SEED, source=None, settings=Settings(doc_timeout_s=2.0))
    assert time.monotonic() - started < 4.0
    assert result.document.status is Status.FAILED
    assert result.document.error == "timeout: extraction took longer than 2 s and was stopped"
    monkeypatch.undo()
    isolation._stop_all()
    assert extract_isolated(SEED, source=None, settings=Settings()).document.project_count == 9


def test_a_crashing_assembly_is_reported_with_its_exit_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _fresh_workers(monkeypatch)
    monkeypatch.setattr(assemble, "extracted_to_result", lambda *a: os._exit(3))
    result = extract_isolated(SEED, source=None, settings=Settings())
    assert result.document.status is Status.FAILED
    assert result.document.error is not None
    assert result.document.error.startswith("crashed: the extraction process died (exit code 3)")
    isolation._stop_all()


def test_the_document_is_read_and_assembled_in_two_workers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The reader and the assembler are separate processes, reused for the next document."""
    _fresh_workers(monkeypatch)
    first = extract_isolated(SEED, source=None, settings=Settings())
    workers = dict(isolation._local.workers)
    second = extract_isolated(SEED, source=None, settings=Settings())
    assert first.document.project_count == second.document.project_count == 9
    assert set(workers) == {"read", "assemble"}
    pids = {role: w.process.pid for role, w in isolation._local.workers.items()}
    assert pids == {role: w.process.pid for role, w in workers.items()}
    assert len(set(pids.values())) == 2 and os.getpid() not in pids.values()
    isolation._stop_all()
