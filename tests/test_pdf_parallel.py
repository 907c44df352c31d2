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
from extract.extractors.pdf import PARALLEL_SCAN_MIN_PAGES, _scan, page_count, scan_pages
from extract.pipeline import extract_document
from extract.settings import Settings

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


def test_page_workers_are_forked_before_pydantic_is_imported() -> None:
    """The extraction half of the pipeline runs without pydantic, so a one-off run imports the
    record models while its page workers read the table (the cold-start benchmark relies on
    it); the models are loaded by the time the result is built."""
    probe = (
        "import sys\n"
        "import extract.extractors.base as base\n"
        "from extract.pipeline import extract_document\n"
        "from extract.extractors.pdf import extract_pdf\n"
        "assert not [m for m in sys.modules if m.startswith('pydantic')], 'pydantic imported'\n"
        "seen = []\n"
        "real = base.load_assembly\n"
        "def spy():\n"
        "    seen.append('pydantic' in sys.modules)\n"
        "    real()\n"
        "import extract.extractors.pdf as pdf\n"
        "pdf.load_assembly = spy\n"
        "pdf.PARALLEL_MIN_PAGES = 2  # the fixture's table has 3 pages\n"
        f"result = extract_document({str(SOURCE)!r})\n"
        "assert seen == [False], seen\n"
        "print(result.document.status, result.document.project_count)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["ok", "5"]


def test_settings_mapping_is_validated() -> None:
    assert Settings.resolve({"pdf_workers": "3"}).pdf_workers == 3
    assert Settings.resolve(None) == Settings()
    with pytest.raises(ConfigError, match="pdf_worker"):
        Settings.resolve({"pdf_worker": 3})
    with pytest.raises(ConfigError, match="doc_timeout_s"):
        Settings.resolve({"doc_timeout_s": "soon"})
