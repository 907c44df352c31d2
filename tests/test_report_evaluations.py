"""The review report's self-evaluation pages: one per form, fields and indicators beside the
outlined source region, the targets not met marked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _paths import FIXTURES
from test_report import CHROMIUM, _chromium, _console_errors

from extract.output.report import write_report
from extract.output.writer import write_result
from extract.run.pipeline import extract_document

JUESUAN = FIXTURES / "evaluations" / "juesuan-2024.pdf"


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("report-evaluations")
    result = extract_document(JUESUAN, settings={"isolate": False})
    write_result(result, out)
    write_report(out)
    return out / "report", result.document.doc_id


def test_one_page_per_form_listed_on_the_document_page(reported: tuple[Path, str]) -> None:
    root, doc_id = reported
    pages = sorted(p.name for p in (root / "docs").glob(f"{doc_id}.e*.html"))
    assert pages == [f"{doc_id}.e{n}.html" for n in (1, 2, 3)]
    listing = (root / "docs" / f"{doc_id}.html").read_text("utf-8")
    assert "Self-evaluations (3)" in listing
    assert all(f'href="{name}"' in listing for name in pages)
    # the form with a missed target is marked in the list, with its count
    assert re.search(r'<tr class="warning"[^>]*><td>2</td>.*?<td>1</td></tr>', listing)


def test_a_form_page_marks_what_was_not_met(reported: tuple[Path, str]) -> None:
    root, doc_id = reported
    html = (root / "docs" / f"{doc_id}.e2.html").read_text("utf-8")
    assert "动物疫病防控经费" in html and "NOT MET" in html
    missed = re.findall(r'<tr class="error"[^>]*>(.*?)</tr>', html)
    assert len(missed) == 1 and "≥95%" in missed[0] and "90%" in missed[0]
    [crop] = (root / "img" / doc_id).glob("e2-*.jpg")  # the outlined source, on its page
    assert crop.stat().st_size > 5_000 and f'href="../img/{doc_id}/{crop.name}"' in html


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_a_form_page_renders_with_its_image(reported: tuple[Path, str]) -> None:
    root, doc_id = reported
    shown = _chromium("--dump-dom", (root / "docs" / f"{doc_id}.e1.html").as_uri())
    assert shown.returncode == 0 and not _console_errors(shown.stderr)
    loaded = re.search(r'data-images="(\d+)" data-images-loaded="(\d+)"', shown.stdout)
    import json

    truth = json.loads((JUESUAN.with_suffix(".truth.json")).read_text("utf-8"))
    pages = len(truth["forms"][0]["pages"])  # form 1 goes on over a page: an image per page
    assert pages == 2 and loaded and loaded.group(1) == loaded.group(2) == str(pages)
