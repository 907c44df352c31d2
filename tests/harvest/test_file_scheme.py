"""file:// sources behave like http: discovery of the bundled mock portal, fetch, unchanged."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from fakes import FakeRun

from extract.harvest import (
    DocumentLink,
    Outcome,
    SourceSession,
    discover_source,
    fetch_document,
    harvest_config,
    load_sources,
)
from extract.harvest.documents import out_to_manifest

REPO = Path(__file__).resolve().parents[2]
SITE = REPO / "fixtures" / "site"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A private copy of the mock portal and of the repo's sources.toml beside it."""
    shutil.copytree(SITE, tmp_path / "fixtures" / "site")
    shutil.copy(REPO / "sources.toml", tmp_path / "sources.toml")
    return tmp_path


def names(urls: list[str]) -> list[str]:
    return [u.rsplit("/", 1)[-1] for u in urls]


def test_mock_portal_discovery(site: Path) -> None:
    config = load_sources(site / "sources.toml")
    with SourceSession(config.sources[0], config.harvest) as s:
        found = discover_source(s.source, s.fetcher, s.robots)
    assert found.pages_fetched == 9  # 3 listing pages (GBK) + 6 article pages
    assert names([d.url for d in found.documents]) == [
        "2024_lj_bgs_jxmb.txt",
        "2024_lj_bgs_notes.txt",
        "2024_lj_jyj_jxmb.txt",
        "2024_lj_jyj_scan.pdf",
        "2024_lj_whj_jxmb.pdf",
        "2024_lj_nyj_jxmb.docx",
        "2024_lj_sjj_budget.pdf",
        "2023_lj_bgs_jxmb.txt",
    ]
    assert {d.year for d in found.documents} == {2023, 2024}
    skipped = {u.rsplit("/", 1)[-1]: r for u, r in ((s.url, s.reason) for s in found.skipped)}
    assert skipped["2022_lj_wjw_jxmb.txt"] == "disallowed by robots.txt"
    assert "not in allowed_hosts" in skipped["2024_yusuan.pdf"]
    assert found.failures == ()


def test_mock_portal_harvest_then_rerun(site: Path) -> None:
    config = load_sources(site / "sources.toml")
    out = site / "out"
    run = FakeRun()
    first = harvest_config(config, out, run)
    assert (first.found, first.new, first.unchanged, first.failed) == (8, 6, 0, 2)
    reasons = {f.url.rsplit("/", 1)[-1]: f.reason for f in first.failures}
    assert reasons["2024_lj_jyj_scan.pdf"] == "404 file not found"
    assert "HTML page" in reasons["2024_lj_sjj_budget.pdf"]
    assert len(run.calls) == 6 and first.projects == 12
    second = harvest_config(config, out, run)
    assert (second.new, second.unchanged, second.failed, second.extracted) == (0, 6, 2, 0)
    assert len(run.calls) == 6


def test_gb18030_crlf_document_is_stored_byte_for_byte(site: Path) -> None:
    doc = site / "fixtures/site/docs/2024_lj_jyj_jxmb.txt"
    data = doc.read_bytes()
    assert b"\r\n" in data and "教育局".encode("gb18030") in data
    config = load_sources(site / "sources.toml")
    with SourceSession(config.sources[0], config.harvest) as s:
        record = fetch_document(_link(doc), site / "out", s)
    assert record.format == "txt"
    assert (site / "out" / str(record.raw_path)).read_bytes() == data


def test_file_unchanged_by_mtime_and_by_sha256(site: Path) -> None:
    doc = site / "fixtures/site/docs/2023_lj_bgs_jxmb.txt"
    config = load_sources(site / "sources.toml")
    out = site / "out"
    with SourceSession(config.sources[0], config.harvest) as s:
        first = fetch_document(_link(doc), out, s)
        same_mtime = fetch_document(_link(doc), out, s)
        os.utime(doc, ns=(doc.stat().st_atime_ns, doc.stat().st_mtime_ns + 10**9))
        touched = fetch_document(_link(doc), out, s)
        doc.write_bytes(doc.read_bytes() + "\n注：修订版。".encode())
        edited = fetch_document(_link(doc), out, s)
    assert first.outcome is Outcome.NEW
    assert same_mtime.outcome is Outcome.UNCHANGED and same_mtime.http_status == 304
    assert touched.outcome is Outcome.UNCHANGED and touched.http_status == 200
    assert edited.outcome is Outcome.CHANGED and edited.sha256 != first.sha256
    row = out_to_manifest(out).get(_link(doc).url)
    assert row is not None and row.mtime_ns == doc.stat().st_mtime_ns


def _link(path: Path) -> DocumentLink:
    return DocumentLink(
        url=path.as_uri(),
        source="linjiang-mock",
        region="示范市临江区",
        found_on=path.parent.as_uri(),
    )
