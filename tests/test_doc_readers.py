"""Legacy .doc (and WPS .wps) on a fresh machine: the Word 97 reader first, LibreOffice where
that one cannot read the file or finds no table; the same rows as the .docx twin either way."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from _paths import FIXTURES

from extract.enums import Format
from extract.errors import ExtractionError
from extract.models import DocumentResult, Status
from extract.read import doc as doc_module
from extract.read.base import ExtractedDocument, TextLine
from extract.run.pipeline import extract_document

DOCS = FIXTURES / "docs"
TWINS = sorted(p.stem for p in DOCS.glob("*.doc"))
DROP = {"doc_id", "page"}
HAS_SOFFICE = shutil.which("soffice") is not None


def _rows(result: DocumentResult) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return (
        [p.model_dump(exclude=DROP) for p in result.projects],
        [i.model_dump(exclude=DROP) for i in result.indicators],
    )


def _no_libreoffice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("soffice") is None


def test_there_are_doc_twins_with_packed_merged_and_form_tables() -> None:
    assert {"packed-nested", "rows-merged", "form", "rows-split-tables"} <= set(TWINS)


@pytest.mark.parametrize("name", TWINS)
def test_a_doc_without_libreoffice_gives_the_rows_of_its_docx(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_libreoffice(monkeypatch, tmp_path)
    doc = extract_document(DOCS / f"{name}.doc")
    assert (doc.document.status, doc.document.reader) == (Status.OK, "word97")
    assert _rows(doc) == _rows(extract_document(DOCS / f"{name}.docx"))


def test_a_wps_file_is_read_like_a_doc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """WPS Writer saves .wps in the Word 97 format: the bytes of a .doc under WPS's name."""
    _no_libreoffice(monkeypatch, tmp_path)
    wps = tmp_path / "2024年项目支出绩效目标表.wps"
    shutil.copyfile(DOCS / "packed-nested.doc", wps)
    result = extract_document(wps)
    assert (result.document.format, result.document.reader) == (Format.OLE2.value, "word97")
    assert _rows(result) == _rows(extract_document(DOCS / "packed-nested.docx"))


def _word97_finds_no_table(path: Path) -> ExtractedDocument:
    return ExtractedDocument(format=Format.OLE2, blocks=[TextLine("正文")], reader="word97")


def _word97_refuses(path: Path) -> ExtractedDocument:
    raise ExtractionError("the .doc is a Word 6/95 or older file (nFib 0x0065), which is not read")


CASES = [(_word97_refuses, name) for name in TWINS] + [(_word97_finds_no_table, "rows-merged")]


@pytest.mark.skipif(not HAS_SOFFICE, reason="needs LibreOffice (soffice)")
@pytest.mark.parametrize(("first", "name"), CASES)
def test_libreoffice_reads_what_the_word97_reader_cannot(
    first: Any, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(doc_module, "read_word97", first)
    result = extract_document(DOCS / f"{name}.doc")
    assert (result.document.status, result.document.reader) == (Status.OK, "libreoffice")
    assert _rows(result) == _rows(extract_document(DOCS / f"{name}.docx"))


def test_without_either_reader_the_document_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_libreoffice(monkeypatch, tmp_path)
    monkeypatch.setattr(doc_module, "read_word97", _word97_refuses)
    result = extract_document(DOCS / "rows-merged.doc")
    assert result.document.status is Status.FAILED
    assert result.document.error == (
        "the .doc is a Word 6/95 or older file (nFib 0x0065), which is not read; "
        + doc_module.INSTALL_HINT
    )


def test_a_document_without_a_table_keeps_the_word97_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_libreoffice(monkeypatch, tmp_path)
    monkeypatch.setattr(doc_module, "read_word97", _word97_finds_no_table)
    result = extract_document(DOCS / "rows-merged.doc")
    assert (result.document.status, result.document.reader) == (Status.NO_TABLE, "word97")
