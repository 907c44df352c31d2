"""Turn Chinese public-budget disclosures (项目支出绩效目标表) into typed, traceable data."""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import ExtractError, ExtractionError, UnsupportedFormatError
from .models import Document, DocumentResult, Indicator, Issue, Project, Status

__all__ = [
    "Document", "DocumentResult", "ExtractError", "ExtractionError", "Indicator", "Issue",
    "Project", "Status", "UnsupportedFormatError", "__version__",
]  # fmt: skip
