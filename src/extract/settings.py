"""Tunable thresholds in one frozen settings object; every default is a named constant."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from extract.errors import ConfigError

DEFAULT_AMOUNT_UNIT = "万元"
DEFAULT_HEADER_SCAN_ROWS = 8
DEFAULT_MIN_HEADER_MATCHES = 3
DEFAULT_AMOUNT_TOLERANCE_YUAN = "0.01"
DEFAULT_PDF_WORKERS = min(2, os.cpu_count() or 1)  # processes reading a PDF's table pages
DEFAULT_SOFFICE_TIMEOUT_S = 120.0  # LibreOffice .doc → .docx conversion
DEFAULT_DOC_TIMEOUT_S = 120.0  # one document's extraction, in its worker process
DEFAULT_DOC_MEMORY_MB = 2048  # address-space limit of the worker process
PdfReader = Literal["auto", "pdfplumber"]  # pypdfium2 where it can read a page, or pdfplumber


@dataclass(frozen=True)
class Settings:
    """Extraction settings. A plain frozen dataclass, so that extracting needs no pydantic;
    :meth:`resolve` validates a mapping of overrides (types, unknown keys) with pydantic."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}

    default_amount_unit: str = DEFAULT_AMOUNT_UNIT
    header_scan_rows: int = DEFAULT_HEADER_SCAN_ROWS
    min_header_matches: int = DEFAULT_MIN_HEADER_MATCHES
    amount_tolerance_yuan: str = DEFAULT_AMOUNT_TOLERANCE_YUAN
    pdf_workers: int = DEFAULT_PDF_WORKERS
    pdf_reader: PdfReader = "auto"  # PDF table pages: see extractors.pdfread.pages_to_blocks
    soffice_timeout_s: float = DEFAULT_SOFFICE_TIMEOUT_S
    isolate: bool = True  # extract in a worker process under the two limits below
    doc_timeout_s: float = DEFAULT_DOC_TIMEOUT_S
    doc_memory_mb: int = DEFAULT_DOC_MEMORY_MB

    @classmethod
    def resolve(cls, value: Settings | Mapping[str, Any] | None) -> Settings:
        """Accept ``None`` (defaults), a mapping of overrides, or an instance.

        A mapping is validated: a wrong type or an unknown key raises :class:`ConfigError`
        naming the key(s)."""
        if value is None:
            return cls()
        if isinstance(value, Settings):
            return value
        from pydantic import TypeAdapter, ValidationError

        try:
            return TypeAdapter(cls).validate_python(dict(value))
        except ValidationError as exc:
            keys = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
            raise ConfigError(f"invalid settings key(s): {keys}: {exc}") from exc
