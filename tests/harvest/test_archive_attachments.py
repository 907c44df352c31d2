"""A portal that links an archive: stored once, its members extracted and counted, and their
rows replaced with it when the archive changes."""

from __future__ import annotations

import functools
import shutil
import zipfile
from pathlib import Path

import pyarrow.parquet as pq

from extract.harvest import harvest_config, load_sources
from extract.run.pipeline import run_document

REPO = Path(__file__).resolve().parents[2]
SITE = REPO / "fixtures" / "site"
FORM_PDF = REPO / "fixtures" / "docs" / "form.pdf"
SEED = REPO / "fixtures" / "text" / "seed-huadu.txt"
ARTICLE = "fixtures/site/art/2024_whj.html"
LINK = '<p>附件：<a href="../docs/2024_lj_units.zip">各单位项目支出绩效目标表.zip</a></p>\n'


def _zip(path: Path, members: dict[str, Path]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, doc in members.items():
            zf.write(doc, name)


def _site(tmp_path: Path) -> Path:
    shutil.copytree(SITE, tmp_path / "fixtures" / "site")
    shutil.copy(REPO / "sources.toml", tmp_path / "sources.toml")
    article = tmp_path / ARTICLE
    html = (
        article.read_bytes()
        .decode("gbk")
        .replace('<div class="footer">', LINK + '<div class="footer">')
    )
    article.write_bytes(html.encode("gbk"))
    _zip(tmp_path / "fixtures/site/docs/2024_lj_units.zip",
         {"单位一/form.pdf": FORM_PDF, "单位二/seed.txt": SEED})  # fmt: skip
    return tmp_path


def _documents(out: Path) -> list[dict[str, object]]:
    return [pq.read_table(p).to_pylist()[0] for p in sorted((out / "documents").glob("*.parquet"))]


def test_an_archive_attachment_is_stored_once_and_its_members_read(tmp_path: Path) -> None:
    site = _site(tmp_path)
    config = load_sources(site / "sources.toml")  # the default patterns take .zip
    out = site / "out"
    run = functools.partial(run_document, settings={"isolate": False})
    first = harvest_config(config, out, run)
    assert (first.found, first.new, first.failed) == (9, 7, 2)
    assert first.archive_members == 2
    docs = _documents(out)
    [archive] = [d for d in docs if d["format"] == "zip"]
    members = [d for d in docs if d["container_id"] == archive["doc_id"]]
    assert sorted(str(d["source"]).rsplit("!/", 1)[1] for d in members) == [
        "单位一/form.pdf", "单位二/seed.txt",
    ]  # fmt: skip
    assert archive["member_count"] == 2 and archive["status"] == "ok"
    # the rows of the members count in the run's totals
    assert first.projects == sum(int(str(d["project_count"])) for d in docs)
    stored = [p.suffix for p in (out / "raw").iterdir() if not p.name.startswith("manifest")]
    assert len(stored) == first.new == 7  # one body per new URL: the archive once, no member
    assert stored.count(".zip") == 1
    form_id = next(d["doc_id"] for d in members if d["format"] == "pdf")

    # the portal replaces the archive: the member that left it loses its rows
    _zip(site / "fixtures/site/docs/2024_lj_units.zip", {"单位二/seed.txt": SEED})
    second = harvest_config(config, out, run)
    assert (second.changed, second.archive_members) == (1, 1)
    assert not (out / "documents" / f"{form_id}.parquet").exists()
    assert not (out / "projects" / f"{form_id}.parquet").exists()
    archives = [d for d in _documents(out) if d["format"] == "zip"]
    assert [a["member_count"] for a in archives] == [1]
