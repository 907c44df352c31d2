"""Read: bytes → blocks. Sniffing, and one reader per format, chosen by the sniffed format.

Enters: a file path and the settings. Leaves: an :class:`extract.read.base.ExtractedDocument`
(its text lines and raw tables, with page numbers and boxes where the format has them, and the
findings of reading). :mod:`.sniff` names the format from the bytes; :mod:`.pdf`,
:mod:`.docx`, :mod:`.doc` (.doc, .wps), :mod:`.xlsx`, :mod:`.xls` (.xls, .et) and :mod:`.txt`
read it; :mod:`.archive` unpacks .zip, .7z and .rar archives safely, member by member.
Nothing here knows what a project is.

May import: ``extract.values`` (text normalisation) and the top-level foundation modules
(enums, errors, settings, procs); never a stage above (locate, layouts, records, output, run).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from extract.enums import Format
from extract.errors import UnsupportedFormatError
from extract.read.base import ExtractedDocument, Extractor
from extract.settings import Settings


def _lazy(module: str, name: str) -> Extractor:
    """An extractor whose module (python-docx, pdfplumber …) is imported on first use."""

    def extract(path: Path, settings: Settings, **hints: Any) -> ExtractedDocument:
        function: Extractor = getattr(importlib.import_module(module), name)
        return function(path, settings, **hints)

    extract.__name__ = name
    return extract


EXTRACTORS: dict[Format, Extractor] = {
    Format.PDF: _lazy("extract.read.pdf.reader", "extract_pdf"),
    Format.DOCX: _lazy("extract.read.docx", "extract_docx"),
    Format.OLE2: _lazy("extract.read.doc", "extract_doc"),
    Format.TXT: _lazy("extract.read.txt", "extract_txt"),
    Format.XLSX: _lazy("extract.read.xlsx", "extract_xlsx"),
    Format.XLS: _lazy("extract.read.xls", "extract_xls"),
}

_ARCHIVE = (
    "the file is an archive, not one document: run_document and `extract run` read its members"
)
UNSUPPORTED_MESSAGES: dict[Format, str] = {
    Format.EMPTY: "the file is empty (0 bytes)",
    Format.HTML: "the file is an HTML page, not a document (an error or landing page, or a Word "
    "web page saved under a .doc name: open it in Word and re-save it as .docx)",
    Format.RTF: "the file is RTF, not a Word document; open and re-save it as .docx",
    Format.OOXML: "the file is an Office package without word/document.xml or "
    "xl/workbook.xml: not a .docx or .xlsx (a .pptx, or a damaged document)",
    Format.ZIP: _ARCHIVE,
    Format.SEVEN_Z: _ARCHIVE,
    Format.RAR: _ARCHIVE,
    Format.UNKNOWN: "unrecognised bytes: not PDF, Word, Excel or text",
}


def extractor_for(fmt: Format) -> Extractor:
    """The extractor of a format, or :class:`UnsupportedFormatError` with a clear reason."""
    try:
        return EXTRACTORS[fmt]
    except KeyError:
        reason = UNSUPPORTED_MESSAGES.get(fmt, f"no extractor for {fmt.value} documents yet")
        raise UnsupportedFormatError(reason) from None
