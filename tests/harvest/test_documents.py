"""Per-document fetch into the raw store and manifest, and extraction of new or changed bodies."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from fakes import FakeRun
from scripted import PDF, Reply, ScriptedServer, make_source

from extract.harvest import (
    DocumentLink,
    Fetcher,
    Outcome,
    SourceSession,
    extract_document,
    fetch_document,
)
from extract.harvest.documents import out_to_manifest


def session(server: ScriptedServer, settings, limiter) -> SourceSession:
    return SourceSession(make_source(server), fetcher=Fetcher(settings, limiter=limiter))


def link(server: ScriptedServer, path: str) -> DocumentLink:
    return DocumentLink(
        url=server.url(path), source="test", region="测试区", found_on=server.url("/index.html")
    )


def raw_files(out: Path) -> list[str]:
    return sorted(
        p.name
        for p in (out / "raw").iterdir()
        if p.name != "manifest.sqlite" and not p.name.startswith("manifest.sqlite-")
    )


def test_new_document_is_stored_by_hash_with_sniffed_extension(
    server, settings, limiter, tmp_path: Path
) -> None:
    server.route(
        "/attachment.txt",
        Reply(
            200,
            PDF,
            headers={
                "ETag": '"e1"',
                "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT",
                "Content-Type": "application/octet-stream",
                "Content-Disposition": 'attachment; filename="../../evil.sh"',
            },
        ),
    )
    with session(server, settings, limiter) as s:
        record = fetch_document(link(server, "/attachment.txt"), tmp_path, s)
    sha = hashlib.sha256(PDF).hexdigest()
    assert record.outcome is Outcome.NEW and record.needs_extraction
    assert record.raw_path == f"raw/{sha}.pdf"
    assert raw_files(tmp_path) == [f"{sha}.pdf"]
    row = out_to_manifest(tmp_path).get(server.url("/attachment.txt"))
    assert row is not None
    assert (row.sha256, row.http_status, row.etag, row.size, row.outcome) == (
        sha,
        200,
        '"e1"',
        len(PDF),
        "new",
    )
    assert row.last_modified == "Mon, 01 Jan 2024 00:00:00 GMT"
    assert row.content_type == "application/octet-stream"


def test_html_served_as_pdf_is_refused(server, settings, limiter, tmp_path: Path) -> None:
    server.route(
        "/budget.pdf",
        Reply(
            200,
            b"<!DOCTYPE html><html><body>404</body></html>",
            headers={"Content-Type": "application/pdf"},
        ),
    )
    with session(server, settings, limiter) as s:
        record = fetch_document(link(server, "/budget.pdf"), tmp_path, s)
    assert record.outcome is Outcome.FAILED
    assert record.error is not None and "HTML page" in record.error and ".pdf" in record.error
    assert raw_files(tmp_path) == []
    row = out_to_manifest(tmp_path).get(server.url("/budget.pdf"))
    assert row is not None and row.outcome == "failed" and row.sha256 is None


def test_html_without_a_suffix_is_refused_too(server, settings, limiter, tmp_path: Path) -> None:
    server.route("/download?id=7", Reply(200, b"<html><body>login required</body></html>"))
    with session(server, settings, limiter) as s:
        record = fetch_document(link(server, "/download?id=7"), tmp_path, s)
    assert record.error == "served an HTML page (likely an error page), not a document"


def test_404_is_recorded_not_retried(server, settings, limiter, tmp_path: Path) -> None:
    with session(server, settings, limiter) as s:
        record = fetch_document(link(server, "/gone.pdf"), tmp_path, s)
    assert (record.outcome, record.http_status) == (Outcome.FAILED, 404)
    assert server.hits("/gone.pdf") == 1
    assert extract_document(record, tmp_path, FakeRun()) is None


def test_truncated_body_is_not_a_document(server, settings, limiter, tmp_path: Path) -> None:
    server.route("/cut.pdf", Reply(200, PDF * 10, truncate_to=20))
    with session(server, settings, limiter) as s:
        record = fetch_document(link(server, "/cut.pdf"), tmp_path, s)
    assert record.outcome is Outcome.FAILED
    assert record.error is not None and record.error.startswith("truncated body: received 20 of")
    assert server.hits("/cut.pdf") == settings.retries + 1
    assert raw_files(tmp_path) == []


def test_304_on_second_run_neither_downloads_nor_extracts(
    server, settings, limiter, tmp_path: Path
) -> None:
    def conditional(headers: dict[str, str]) -> Reply:
        if headers.get("if-none-match") == '"v1"':
            return Reply(304)
        return Reply(200, PDF, headers={"ETag": '"v1"'})

    server.route("/a.pdf", conditional)
    run = FakeRun()
    with session(server, settings, limiter) as s:
        first = fetch_document(link(server, "/a.pdf"), tmp_path, s)
        extracted = extract_document(first, tmp_path, run)
        raw = tmp_path / str(first.raw_path)
        stamp = raw.stat().st_mtime_ns
        second = fetch_document(link(server, "/a.pdf"), tmp_path, s)
        again = extract_document(second, tmp_path, run)
    assert extracted is not None and extracted.project_count == 2
    assert second.outcome is Outcome.UNCHANGED and not second.needs_extraction
    assert again is None and len(run.calls) == 1
    assert server.headers_of("/a.pdf")[1]["if-none-match"] == '"v1"'
    assert raw.stat().st_mtime_ns == stamp
    row = out_to_manifest(tmp_path).get(server.url("/a.pdf"))
    assert row is not None and (row.http_status, row.outcome) == (304, "unchanged")
    assert row.extracted_sha256 == row.sha256


def test_200_with_same_bytes_is_unchanged(server, settings, limiter, tmp_path: Path) -> None:
    server.route("/a.pdf", Reply(200, PDF))
    run = FakeRun()
    with session(server, settings, limiter) as s:
        extract_document(fetch_document(link(server, "/a.pdf"), tmp_path, s), tmp_path, run)
        second = fetch_document(link(server, "/a.pdf"), tmp_path, s)
    assert second.outcome is Outcome.UNCHANGED
    assert extract_document(second, tmp_path, run) is None
    assert len(run.calls) == 1


def test_changed_document_replaces_old_outputs(server, settings, limiter, tmp_path: Path) -> None:
    v2 = PDF + b"% second edition\n"
    server.route("/a.pdf", Reply(200, PDF), Reply(200, v2))
    run = FakeRun()
    with session(server, settings, limiter) as s:
        extract_document(fetch_document(link(server, "/a.pdf"), tmp_path, s), tmp_path, run)
        second = fetch_document(link(server, "/a.pdf"), tmp_path, s)
        extract_document(second, tmp_path, run)
    old, new = hashlib.sha256(PDF).hexdigest(), hashlib.sha256(v2).hexdigest()
    assert second.outcome is Outcome.CHANGED
    assert sorted(p.name for p in (tmp_path / "projects").iterdir()) == [f"{new}.parquet"]
    assert raw_files(tmp_path) == sorted([f"{old}.pdf", f"{new}.pdf"])  # raw history is kept


def test_shared_body_keeps_outputs_for_the_other_url(
    server, settings, limiter, tmp_path: Path
) -> None:
    server.route("/a.pdf", Reply(200, PDF), Reply(200, PDF + b"%v2\n"))
    server.route("/mirror.pdf", Reply(200, PDF))
    run = FakeRun()
    with session(server, settings, limiter) as s:
        for path in ("/a.pdf", "/mirror.pdf", "/a.pdf"):
            extract_document(fetch_document(link(server, path), tmp_path, s), tmp_path, run)
    old = hashlib.sha256(PDF).hexdigest()
    assert (tmp_path / "projects" / f"{old}.parquet").exists()


def test_failure_keeps_last_good_body_for_the_next_run(
    server, settings, limiter, tmp_path: Path
) -> None:
    server.route(
        "/a.pdf",
        Reply(200, PDF, headers={"ETag": '"v1"'}),
        Reply(500),
        Reply(500),
        Reply(500),
        Reply(304),
    )
    with session(server, settings, limiter) as s:
        fetch_document(link(server, "/a.pdf"), tmp_path, s)
        failed = fetch_document(link(server, "/a.pdf"), tmp_path, s)
        third = fetch_document(link(server, "/a.pdf"), tmp_path, s)
    assert failed.outcome is Outcome.FAILED and failed.http_status == 500
    assert third.outcome is Outcome.UNCHANGED
    assert third.sha256 == hashlib.sha256(PDF).hexdigest()


def test_missing_raw_file_means_unconditional_refetch(
    server, settings, limiter, tmp_path: Path
) -> None:
    server.route("/a.pdf", Reply(200, PDF, headers={"ETag": '"v1"'}))
    with session(server, settings, limiter) as s:
        first = fetch_document(link(server, "/a.pdf"), tmp_path, s)
        (tmp_path / str(first.raw_path)).unlink()
        fetch_document(link(server, "/a.pdf"), tmp_path, s)
    assert "if-none-match" not in server.headers_of("/a.pdf")[1]
    assert (tmp_path / str(first.raw_path)).exists()


def test_extractor_crash_is_recorded_and_retried(server, settings, limiter, tmp_path: Path) -> None:
    server.route("/a.pdf", Reply(200, PDF))
    with session(server, settings, limiter) as s:
        record = fetch_document(link(server, "/a.pdf"), tmp_path, s)
        crashed = extract_document(record, tmp_path, FakeRun(fail_on=b"%PDF"))
        again = fetch_document(link(server, "/a.pdf"), tmp_path, s)
    assert crashed is not None and crashed.status == "failed"
    assert crashed.error == "extractor crashed: RuntimeError: extractor bug"
    assert again.outcome is Outcome.UNCHANGED and again.needs_extraction


def test_manifest_is_wal_with_one_row_per_url(server, settings, limiter, tmp_path: Path) -> None:
    server.route("/a.pdf", Reply(200, PDF))
    with session(server, settings, limiter) as s:
        for _ in range(3):
            fetch_document(link(server, "/a.pdf"), tmp_path, s)
    with sqlite3.connect(tmp_path / "raw" / "manifest.sqlite") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
