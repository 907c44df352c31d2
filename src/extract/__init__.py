"""Turn Chinese public-budget disclosures (项目支出绩效目标表) into typed, traceable data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from extract.enums import Status
from extract.errors import ExtractError, ExtractionError, UnsupportedFormatError

__version__ = "0.1.0"

if TYPE_CHECKING:
    from extract.models import Document, DocumentResult, Indicator, Issue, Project
    from extract.run.pipeline import extract_document, run_document

_MODELS = frozenset({"Document", "DocumentResult", "Indicator", "Issue", "Project"})
_RUN = frozenset({"extract_document", "run_document"})

__all__ = [
    "Document", "DocumentResult", "ExtractError", "ExtractionError", "Indicator", "Issue",
    "Project", "Status", "UnsupportedFormatError", "__version__", "extract_document",
    "run_document",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    """The record models are imported on first use: extracting runs without pydantic."""
    if name in _MODELS:
        from extract import models

        return getattr(models, name)
    if name in _RUN:
        from extract.run import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
