"""Raw store and manifest: atomic writes, temp sweeping, failures keep the last good row."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from extract.harvest import Manifest, RawStore
from extract.harvest.store import remove_outputs, sweep_temp, write_atomic
from extract.models import Format


def test_put_is_content_addressed_and_idempotent(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    sha, path = store.put(b"%PDF-1.4 x", Format.PDF)
    again = store.put(b"%PDF-1.4 x", Format.PDF)
    assert again == (sha, path)
    assert path == tmp_path / "raw" / f"{sha}.pdf"
    assert store.path_for(sha, Format.UNKNOWN).name == f"{sha}.bin"
    assert [p.name for p in (tmp_path / "raw").iterdir()] == [path.name]


def test_failed_write_leaves_no_temp_and_no_target(tmp_path: Path, monkeypatch) -> None:
    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(tmp_path / "raw" / "x.pdf", b"data")
    assert list((tmp_path / "raw").iterdir()) == []


def test_sweep_removes_only_dead_writers_temp_files(tmp_path: Path) -> None:
    _, kept = RawStore(tmp_path).put(b"hello", Format.TXT)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    stale = tmp_path / "raw" / f".{kept.name}.abc123.{dead}.tmp"
    stale_output = tmp_path / "projects" / f".d1.parquet.{dead}.tmp"
    live = tmp_path / "raw" / f".{kept.name}.xyz.{os.getpid()}.tmp"
    for path in (stale, stale_output, live):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"partial")
    assert sorted(sweep_temp(tmp_path)) == sorted([stale, stale_output])
    assert sorted(p.name for p in (tmp_path / "raw").iterdir()) == sorted([kept.name, live.name])


def test_manifest_failure_keeps_hash_and_validators(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / "m.sqlite")
    manifest.record_fetch("u", source="s", sha256="abc", etag='"1"', outcome="new", size=3)
    manifest.record_failure("u", source="s", http_status=500, outcome="failed", error="HTTP 500")
    row = manifest.get("u")
    assert row is not None
    assert (row.sha256, row.etag, row.size) == ("abc", '"1"', 3)
    assert (row.outcome, row.error, row.http_status) == ("failed", "HTTP 500", 500)
    assert manifest.get("other") is None


def test_manifest_references(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / "m.sqlite")
    manifest.record_fetch("a", sha256="new")
    manifest.record_extraction("a", extracted_sha256="old")
    manifest.record_fetch("b", sha256="old")
    assert manifest.is_referenced("old", except_url="a")
    assert not manifest.is_referenced("new", except_url="a")
    assert [r.url for r in manifest.rows()] == ["a", "b"]


def test_remove_outputs(tmp_path: Path) -> None:
    for table in ("documents", "projects", "indicators", "issues"):
        write_atomic(tmp_path / table / "d1.parquet", b"x")
        write_atomic(tmp_path / table / "d2.parquet", b"x")
    assert len(remove_outputs(tmp_path, "d1")) == 4
    assert sorted(p.name for p in tmp_path.glob("*/*.parquet")) == ["d2.parquet"] * 4


def test_a_corrupt_manifest_is_set_aside_with_a_message(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "manifest.sqlite"
    path.write_bytes(b"this is not a database, it was cut by a full disk" * 100)
    manifest = Manifest(path)
    assert manifest.set_aside is not None and manifest.set_aside.exists()
    assert manifest.set_aside.read_bytes().startswith(b"this is not a database")
    assert "moved to" in caplog.text and str(path) in caplog.text
    manifest.record_fetch("u", sha256="abc")  # the new manifest works
    assert [r.url for r in Manifest(path).rows()] == ["u"]
    assert Manifest(path).set_aside is None  # and stays
