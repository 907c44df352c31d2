"""The extractor registry: one module per format, chosen by the sniffed format."""

from __future__ import annotations

import importlib
from pathlib import Path

from ..enums import Format
from ..errors import UnsupportedFormatError
from ..settings import Settings
from .base import ExtractedDocument, Extractor


def _lazy(module: str, name: str) -> Extractor:
    """An extractor whose module (python-docx, pdfplumber …) is imported on first use."""

    def extract(path: Path, settings: Settings) -> ExtractedDocument:
        function: Extractor = getattr(importlib.import_module(module, __name__), name)
        return function(path, settings)

    extract.__name__ = name
    return extract


EXTRACTORS: dict[Format, Extractor] = {
    Format.PDF: _lazy(".pdf", "extract_pdf"),
    Format.DOCX: _lazy(".docx", "extract_docx"),
    Format.OLE2: _lazy(".doc", "extract_doc"),
    Format.TXT: _lazy(".txt", "extract_txt"),
    Format.XLSX: _lazy(".xlsx", "extract_xlsx"),
}

UNSUPPORTED_MESSAGES: dict[Format, str] = {
    Format.EMPTY: "the file is empty (0 bytes)",
    Format.HTML: "the file is an HTML page, not a document (an error or landing page, or a Word "
    "web page saved under a .doc name: open it in Word and re-save it as .docx)",
    Format.RTF: "the file is RTF, not a Word document; open and re-save it as .docx",
    Format.ZIP: "the file is a zip archive without word/document.xml: not a .docx",
    Format.UNKNOWN: "unrecognised bytes: not PDF, Word, Excel or text",
}


def extractor_for(fmt: Format) -> Extractor:
    """The extractor of a format, or :class:`UnsupportedFormatError` with a clear reason."""
    try:
        return EXTRACTORS[fmt]
    except KeyError:
        reason = UNSUPPORTED_MESSAGES.get(fmt, f"no extractor for {fmt.value} documents yet")
        raise UnsupportedFormatError(reason) from None
