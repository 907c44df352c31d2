"""The closed vocabularies of the records (formats, statuses, layouts …), as string enums.

Kept apart from the pydantic models so that the extractors, which need only these, run without
importing pydantic: a one-off run imports the models while its page workers read the PDF.
"""

from __future__ import annotations

from enum import StrEnum


class Format(StrEnum):
    """A document format, as sniffed from the bytes."""

    PDF = "pdf"
    DOCX = "docx"
    OLE2 = "doc"  # OLE2 compound file holding a Word document: .doc, WPS .wps
    XLS = "xls"  # OLE2 compound file holding an Excel workbook: .xls, WPS .et
    XLSX = "xlsx"
    TXT = "txt"
    HTML = "html"
    RTF = "rtf"
    ZIP = "zip"  # an archive (a zip that is not .docx/.xlsx)
    OOXML = "ooxml"  # an Office package that is neither .docx nor .xlsx (.pptx, damaged)
    SEVEN_Z = "7z"
    RAR = "rar"
    EMPTY = "empty"
    UNKNOWN = "unknown"


ARCHIVE_FORMATS = frozenset({Format.ZIP, Format.SEVEN_Z, Format.RAR})


class Status(StrEnum):
    """What became of a document."""

    OK = "ok"
    PARTIAL = "partial"
    NO_TABLE = "no_table"
    NEEDS_OCR = "needs_ocr"
    FAILED = "failed"


class Severity(StrEnum):
    """How much an issue matters: ``error`` makes the document ``partial``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class Op(StrEnum):
    """Comparison operator of a target value."""

    GE = ">="
    LE = "<="
    GT = ">"
    LT = "<"
    EQ = "="
    RANGE = "range"


class Layout(StrEnum):
    """Shape of the performance table (SPEC §2)."""

    PACKED = "packed"
    ROWS = "rows"
    FORM = "form"


class RowKind(StrEnum):
    """Kinds of rows in a performance table."""

    TOTAL = "total"
    UNIT = "unit"
    PROJECT = "project"
