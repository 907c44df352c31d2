"""Reading a PDF with forked workers gives exactly what one process gives."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pypdfium2 as pdfium
from _paths import FIXTURES

from extract.extractors.pdf import PARALLEL_SCAN_MIN_PAGES, _scan, page_count, scan_pages
from extract.pipeline import extract_document

SOURCE = FIXTURES / "docs" / "budget-full.pdf"


def _long_pdf(tmp_path: Path) -> Path:
    """budget-full.pdf with its prose pages repeated in front: over the parallel-scan size."""
    src = pdfium.PdfDocument(str(SOURCE))
    out = pdfium.PdfDocument.new()
    while len(out) < PARALLEL_SCAN_MIN_PAGES:
        out.import_pages(src, list(range(0, 20)))
    out.import_pages(src)
    path = tmp_path / "long.pdf"
    out.save(str(path))
    return path


def test_parallel_scan_equals_serial_scan(tmp_path: Path) -> None:
    path = _long_pdf(tmp_path)
    count = page_count(path)
    assert count >= PARALLEL_SCAN_MIN_PAGES
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        parallel = _scan(path, count, pool)
    serial = scan_pages(path)
    assert [(s.number, s.text) for s in parallel] == [(s.number, s.text) for s in serial]


def test_one_or_two_processes_give_the_same_result(tmp_path: Path) -> None:
    path = _long_pdf(tmp_path)
    one = extract_document(path, settings={"pdf_workers": 1})
    two = extract_document(path, settings={"pdf_workers": 2})
    assert one.document.project_count == 5 and one.document.table_pages == two.document.table_pages
    drop = {"extracted_at"}
    assert one.document.model_dump(exclude=drop) == two.document.model_dump(exclude=drop)
    assert (one.projects, one.indicators, one.issues) == (two.projects, two.indicators, two.issues)
