"""Turn Chinese public-budget disclosures (项目支出绩效目标表) into typed, traceable data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .enums import Status
from .errors import ExtractError, ExtractionError, UnsupportedFormatError

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .models import Document, DocumentResult, Indicator, Issue, Project

_MODELS = frozenset({"Document", "DocumentResult", "Indicator", "Issue", "Project"})

__all__ = [
    "Document", "DocumentResult", "ExtractError", "ExtractionError", "Indicator", "Issue",
    "Project", "Status", "UnsupportedFormatError", "__version__",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    """The record models are imported on first use: extracting runs without pydantic."""
    if name in _MODELS:
        from . import models

        return getattr(models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
