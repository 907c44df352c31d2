"""The HTML review report: an overview and a page per document with the source region's
image beside its rows, kept while a document is unchanged; checked in headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from _paths import ROOT

from extract.models import DocumentResult
from extract.output.report import write_report
from extract.output.writer import write_result
from extract.run.pipeline import extract_document

DOCS = [ROOT / "fixtures" / "docs" / "form.pdf", ROOT / "fixtures" / "docs" / "rows-merged.pdf",
        ROOT / "fixtures" / "docs" / "form.docx"]  # fmt: skip
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", ROOT / "test-artifacts"))


@pytest.fixture(scope="module")
def results() -> list[DocumentResult]:
    return [extract_document(d, settings={"isolate": False}) for d in DOCS]


@pytest.fixture
def out(tmp_path: Path, results: list[DocumentResult]) -> Path:
    for result in results:
        write_result(result, tmp_path)
    return tmp_path


def test_every_document_has_its_page_and_pdf_projects_their_image(
    out: Path, results: list[DocumentResult]
) -> None:
    done = write_report(out)
    index = (out / "report" / "index.html").read_text("utf-8")
    for result in results:
        doc_id = result.document.doc_id
        assert f"docs/{doc_id}.html" in index
        page = (out / "report" / "docs" / f"{doc_id}.html").read_text("utf-8")
        images = re.findall(r'<img src="([^"]+)"', page)
        spans = {(i.project_seq, i.bbox.page) for i in result.indicators if i.bbox is not None}
        spans |= {(p.project_seq, p.bbox.page) for p in result.projects if p.bbox is not None}
        assert len(images) == len(spans)  # every page of every project; the .docx has none
        assert all((out / "report" / "docs" / src).resolve().is_file() for src in images)
        for ind in result.indicators:
            assert ind.name in page
    assert done.pages_written == len(results) and done.images_written > 0


def test_warnings_are_marked_on_their_rows(out: Path, results: list[DocumentResult]) -> None:
    write_report(out)
    for result in results:
        marked = [i for i in result.issues if i.indicator_seq is not None
                  and i.severity.value in ("warning", "error")]  # fmt: skip
        page = (out / "report" / "docs" / f"{result.document.doc_id}.html").read_text("utf-8")
        assert len(re.findall(r'<tr class="(?:warning|error)"', page)) >= len(
            {(i.project_seq, i.indicator_seq) for i in marked}
        )


def test_an_unchanged_document_keeps_its_page(out: Path, results: list[DocumentResult]) -> None:
    write_report(out)
    again = write_report(out)
    assert again.pages_written == 0 and len(again.kept) == len(results)
    write_result(extract_document(DOCS[0], settings={"isolate": False}), out)  # re-extracted
    third = write_report(out)
    assert third.pages_written == 1 and results[0].document.doc_id not in third.kept


def _chromium(*args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                           "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000",
                           *args], capture_output=True, text=True, timeout=120, check=False)  # fmt: skip


def _console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_the_report_renders_in_a_browser(out: Path, results: list[DocumentResult]) -> None:
    write_report(out)
    index = _chromium("--dump-dom", (out / "report" / "index.html").as_uri())
    assert index.returncode == 0 and not _console_errors(index.stderr)
    rows = re.findall(r'<tr class="[^"]*" data-status="(\w+)"', index.stdout)
    assert len(rows) == len(results)
    assert f"{len(results)} documents" in index.stdout
    doc = results[0].document.doc_id
    page = (out / "report" / "docs" / f"{doc}.html").as_uri()
    shown = _chromium("--dump-dom", page)
    assert not _console_errors(shown.stderr)
    loaded = re.search(r'data-images="(\d+)" data-images-loaded="(\d+)"', shown.stdout)
    assert loaded and int(loaded.group(1)) >= 1 and loaded.group(1) == loaded.group(2)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report-document.png"
    taken = _chromium("--hide-scrollbars", "--window-size=1400,1100", f"--screenshot={shot}", page)
    assert taken.returncode == 0 and shot.stat().st_size > 10_000


def test_a_source_that_cannot_be_rendered_gets_a_page_saying_so(
    out: Path, results: list[DocumentResult]
) -> None:
    broken = results[0].document.doc_id
    (out / "raw").mkdir(exist_ok=True)
    (out / "raw" / f"{broken}.pdf").write_bytes(b"%PDF-1.4 not really")  # the store's copy
    done = write_report(out)
    assert done.failed == [broken] and done.pages_written == len(results)
    assert "could not be made" in (out / "report" / "docs" / f"{broken}.html").read_text("utf-8")
    assert write_report(out).pages_written == 1  # tried again, the others kept


def test_text_from_a_document_is_escaped(tmp_path: Path, results: list[DocumentResult]) -> None:
    hostile = "<script>alert(1)</script>"
    result = results[0]
    project = result.projects[0].model_copy(update={"project_name": hostile})
    issue = result.issues[0].model_copy(update={"message": hostile, "project_seq": 1,
                                                "indicator_seq": None}) if result.issues else None  # fmt: skip
    changed = result.model_copy(update={"projects": [project, *result.projects[1:]],
                                        "issues": [issue] if issue else []})  # fmt: skip
    write_result(changed, tmp_path)
    write_report(tmp_path)
    page = (tmp_path / "report" / "docs" / f"{result.document.doc_id}.html").read_text("utf-8")
    assert hostile not in page and "&lt;script&gt;" in page


def test_many_documents_are_made_on_every_core(out: Path, results: list[DocumentResult],
                                               monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    import extract.output.report as report

    monkeypatch.setattr(report, "PARALLEL_MIN_DOCS", 2)  # the worker processes' path
    done = write_report(out)
    assert done.pages_written == len(results) and not done.failed
    spans = {(r.document.doc_id, i.project_seq, i.bbox.page)
             for r in results for i in [*r.projects, *r.indicators] if i.bbox}  # fmt: skip
    assert done.images_written == len(spans)  # an image per page a project spans
    for result in results:
        assert (out / "report" / "docs" / f"{result.document.doc_id}.html").stat().st_size > 1000
