"""The extractor registry: one module per format, chosen by the sniffed format."""

from __future__ import annotations

from ..errors import UnsupportedFormatError
from ..models import Format
from .base import Extractor
from .doc import extract_doc
from .docx import extract_docx
from .pdf import extract_pdf
from .txt import extract_txt

EXTRACTORS: dict[Format, Extractor] = {
    Format.PDF: extract_pdf,
    Format.DOCX: extract_docx,
    Format.OLE2: extract_doc,
    Format.TXT: extract_txt,
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
