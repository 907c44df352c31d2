"""The rerun flow: one document end to end through Prefect tasks."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "flows"))

from rerun import rerun  # noqa: E402


def test_rerun_flow_writes_the_dataset(tmp_path: Path) -> None:
    seed = ROOT / "fixtures" / "text" / "seed-huadu.txt"
    row = rerun(document=str(seed), out=str(tmp_path))
    assert (row["status"], row["project_count"], row["indicator_count"]) == ("ok", 9, 25)
    assert len(pd.read_parquet(tmp_path / "indicators")) == 25
    assert pd.read_parquet(tmp_path / "documents")["status"].tolist() == ["ok"]


def test_rerun_of_an_archive_writes_its_members(tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "units.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(ROOT / "fixtures" / "text" / "seed-huadu.txt", "单位/seed.txt")
    row = rerun(document=str(archive), out=str(tmp_path / "out"))
    assert (row["format"], row["status"], row["member_count"]) == ("zip", "ok", 1)
    assert row["member_statuses"] == ["ok"]
    docs = pd.read_parquet(tmp_path / "out" / "documents")
    assert sorted(docs["format"]) == ["txt", "zip"]
    assert len(pd.read_parquet(tmp_path / "out" / "indicators")) == 25
