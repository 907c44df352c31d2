"""End to end: the harvest flow over the bundled mock portal, run twice."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from extract.output.writer import TABLES

pipeline = pytest.importorskip("extract.run.pipeline")
if not hasattr(pipeline, "run_document"):
    pytest.skip("extract.run.pipeline.run_document is not there yet", allow_module_level=True)

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.flow


@pytest.fixture(scope="module")
def harvest_flow() -> ModuleType:
    """``flows/harvest.py`` imported as a module (``flows`` is not a package)."""
    spec = importlib.util.spec_from_file_location("harvest_flow", REPO / "flows" / "harvest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def site(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "fixtures" / "site", tmp_path / "fixtures" / "site")
    shutil.copy(REPO / "sources.toml", tmp_path / "sources.toml")
    return tmp_path


def test_harvest_twice_extracts_once(harvest_flow: ModuleType, site: Path) -> None:
    from prefect.artifacts import Artifact

    out = site / "out"
    first = harvest_flow.harvest(sources=str(site / "sources.toml"), out=str(out))
    assert (first.found, first.new, first.unchanged, first.failed) == (8, 6, 0, 2)
    assert (first.projects, first.indicators) == (23, 116)  # text, PDF and .docx
    assert first.extraction_status == {"ok": 5, "no_table": 1}
    reasons = sorted(f.reason for f in first.failures)
    assert reasons[0] == "404 file not found" and "HTML page" in reasons[1]
    parquet = sorted(out.glob("*/*.parquet"))
    assert len(parquet) == 6 * len(TABLES)  # 6 documents, a file per table
    stamps = [p.stat().st_mtime_ns for p in parquet]
    artifact = Artifact.get(harvest_flow.SUMMARY_ARTIFACT_KEY)
    assert artifact is not None and "| projects written | 23 |" in str(artifact.data)

    second = harvest_flow.harvest(sources=str(site / "sources.toml"), out=str(out))
    assert (second.new, second.changed, second.unchanged, second.extracted) == (0, 0, 6, 0)
    assert sorted(out.glob("*/*.parquet")) == parquet
    assert [p.stat().st_mtime_ns for p in parquet] == stamps


def test_cli_rejects_a_bad_sources_file(
    harvest_flow: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "sources.toml"
    bad.write_text(
        '[[sources]]\nname = "x"\nregion = "r"\nstart_url = ["a.html"]\n', encoding="utf-8"
    )
    assert harvest_flow.main(["--sources", str(bad), "--out", str(tmp_path / "out")]) == 2
    assert "sources[0].start_url" in capsys.readouterr().err
