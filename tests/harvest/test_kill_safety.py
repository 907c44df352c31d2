"""SIGKILL mid-harvest, then rerun: the dataset equals that of an uninterrupted run."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from fakes import FakeRun

from extract.harvest import harvest_config, load_sources

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
STABLE_COLUMNS = (
    "url",
    "sha256",
    "format",
    "raw_path",
    "size",
    "extracted_sha256",
    "extract_status",
    "project_count",
    "indicator_count",
)


def dataset(out: Path) -> dict[str, object]:
    """Every file (name → bytes) except the manifest, plus its run-independent columns."""
    files = {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith("manifest.sqlite")
    }
    with sqlite3.connect(out / "raw" / "manifest.sqlite") as conn:
        rows = conn.execute(f"SELECT {', '.join(STABLE_COLUMNS)} FROM documents ORDER BY url")
        return {"files": files, "manifest": rows.fetchall()}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("kill")
    shutil.copytree(REPO / "fixtures" / "site", root / "fixtures" / "site")
    shutil.copy(REPO / "sources.toml", root / "sources.toml")
    return root


@pytest.fixture(scope="module")
def clean(site: Path) -> dict[str, object]:
    out = site / "clean"
    harvest_config(load_sources(site / "sources.toml"), out, FakeRun())
    return dataset(out)


@pytest.mark.parametrize(
    ("target", "n"),
    [
        ("os.replace", 2),  # while storing the second raw file
        ("record_fetch", 3),  # third document stored but not in the manifest
        ("record_extraction", 2),  # second document's outputs written, manifest not told
        ("os.replace", 7),  # inside the extractor's per-table writes
    ],
)
def test_killed_run_then_rerun_equals_clean_run(
    site: Path, clean: dict[str, object], target: str, n: int
) -> None:
    out = site / f"killed-{target}-{n}"
    proc = subprocess.run(
        [
            sys.executable,
            str(HERE / "kill_harness.py"),
            str(site / "sources.toml"),
            str(out),
            target,
            str(n),
        ],
        cwd=HERE,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    assert dataset(out) != clean  # the kill did leave the job unfinished
    harvest_config(load_sources(site / "sources.toml"), out, FakeRun())
    assert dataset(out) == clean
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_changed_document_killed_before_old_outputs_removed(site: Path) -> None:
    out = site / "changed"
    sources = site / "sources.toml"
    harvest_config(load_sources(sources), out, FakeRun())
    doc = site / "fixtures/site/docs/2023_lj_bgs_jxmb.txt"
    original = doc.read_bytes()
    try:
        doc.write_bytes(original + "\n注：修订版。".encode())
        proc = subprocess.run(
            [
                sys.executable,
                str(HERE / "kill_harness.py"),
                str(sources),
                str(out),
                "remove_outputs",
                "1",
            ],
            cwd=HERE,
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
        assert len(list((out / "projects").iterdir())) == 7  # old and new outputs, for now
        harvest_config(load_sources(sources), out, FakeRun())
        assert len(list((out / "projects").iterdir())) == 6
    finally:
        doc.write_bytes(original)
