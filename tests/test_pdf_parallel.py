"""Reading a PDF with forked workers gives exactly what one process gives."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from _paths import FIXTURES

from extract.errors import ConfigError
from extract.read.pdf.reader import (
    _scan_and_read,
    _shares,
    page_count,
)
from extract.read.pdf.readers import combine
from extract.run.pipeline import extract_document
from extract.settings import Settings

SOURCE = FIXTURES / "docs" / "budget-full.pdf"
LONG = 60  # pages


def _long_pdf(tmp_path: Path) -> Path:
    """budget-full.pdf with its prose pages repeated in front: many batches of pages."""
    src = pdfium.PdfDocument(str(SOURCE))
    out = pdfium.PdfDocument.new()
    while len(out) < LONG:
        out.import_pages(src, list(range(0, 20)))
    out.import_pages(src)
    path = tmp_path / "long.pdf"
    out.save(str(path))
    return path


def test_the_text_layer_pass_in_workers_equals_one_process(tmp_path: Path) -> None:
    """Read here until three table pages are met, then the rest dealt to two processes (this
    one and a worker): the same page texts as a plain scan, and the same table pages, blocks
    and findings as one process's pass. budget-full twice: its second table is in the rest."""
    src = pdfium.PdfDocument(str(SOURCE))
    twice = pdfium.PdfDocument.new()
    twice.import_pages(src)
    twice.import_pages(src)
    path = tmp_path / "twice.pdf"
    twice.save(str(path))
    count = page_count(path)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        scans, parts = _scan_and_read(path, count, pool, 2, "auto")
    one_scans, one_parts = _scan_and_read(path, count, None, 1, "auto")
    assert len(parts) == 2 and len(one_parts) == 1
    assert [(s.number, s.text) for s in scans] == _page_texts(path)
    assert [(s.number, s.text) for s in scans] == [(s.number, s.text) for s in one_scans]
    blocks, findings, counts = combine(parts, "auto")
    one_blocks, one_findings, one_counts = combine(one_parts, "auto")
    assert counts == one_counts and counts["pdfium"] >= 6
    assert parts[1].pages >= 1  # the worker read some of the second table's pages
    assert sorted(blocks, key=lambda b: b.page or 0) == one_blocks and findings == one_findings


def _page_texts(path: Path) -> list[tuple[int, str]]:
    """Every page's text layer read plainly with pypdfium2."""
    pdf = pdfium.PdfDocument(str(path))
    return [(i + 1, pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))]


def test_pages_are_dealt_to_the_workers_in_turn() -> None:
    assert _shares(list(range(1, 8)), 2) == [[1, 3, 5, 7], [2, 4, 6]]
    assert _shares([1], 2) == [[1]]
    assert _shares([1, 2, 3], 1) == [[1, 2, 3]]


def test_one_or_two_processes_give_the_same_result(tmp_path: Path) -> None:
    path = _long_pdf(tmp_path)
    one = extract_document(path, settings={"pdf_workers": 1})
    two = extract_document(path, settings={"pdf_workers": 2})
    assert one.document.project_count == 5 and one.document.table_pages == two.document.table_pages
    drop = {"extracted_at"}
    assert one.document.model_dump(exclude=drop) == two.document.model_dump(exclude=drop)
    assert (one.projects, one.indicators, one.issues) == (two.projects, two.indicators, two.issues)


def test_reading_a_document_imports_no_pydantic() -> None:
    """The first half of the pipeline (the reader worker's) runs without pydantic, so a one-off
    run imports the record models in the calling process while the reader reads (the cold-start
    benchmark relies on it). Page workers included: they are forked from the reader."""
    probe = (
        "import sys\n"
        "from extract.run.pipeline import read_document\n"
        "from extract.settings import Settings\n"
        "import extract.read.pdf.reader as pdf\n"
        "pdf.PARALLEL_MIN_PAGES = 2  # the fixture's table has 4 pages, the last 5 of 32:\n"
        "pdf.SHARE_MIN_REST = 2  # a page worker shares them\n"
        f"reading = read_document({str(SOURCE)!r}, source=None, settings=Settings())\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'pyarrow'}))\n"
        "tables = reading.extracted.tables\n"
        "print(reading.error, [t.page for t in tables], reading.extracted.pages_read['pdfplumber'])\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    imported, read = out.stdout.splitlines()
    assert imported == "[]"
    assert read == "None [28, 29, 30] 0"  # the table's three pages, by the fast reader


def test_settings_mapping_is_validated() -> None:
    assert Settings.resolve({"pdf_workers": "3"}).pdf_workers == 3
    assert Settings.resolve(None) == Settings()
    with pytest.raises(ConfigError, match="pdf_worker"):
        Settings.resolve({"pdf_worker": 3})
    with pytest.raises(ConfigError, match="doc_timeout_s"):
        Settings.resolve({"doc_timeout_s": "soon"})


def test_a_document_with_few_table_pages_stays_in_one_process() -> None:
    """budget-full's four table pages come last: no worker is forked for them."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        scans, parts = _scan_and_read(SOURCE, page_count(SOURCE), pool, 2, "auto")
    assert len(parts) == 1 and parts[0].pages == 4 and len(scans) == page_count(SOURCE)
