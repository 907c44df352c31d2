"""Harvest budget disclosures from government portals into a raw store and manifest."""

from __future__ import annotations

from .discover import discover_source
from .documents import RunDocument, extract_document, fetch_document, prepare_out
from .errors import ConfigError, FetchError, HarvestError, RefusedContentError, TransientFetchError
from .fetch import Fetcher, Response, Validators
from .limiter import HostLimiter, shared_limiter
from .manifest import Manifest, ManifestRow
from .records import Discovery, DocumentLink, ExtractRecord, FetchRecord, Outcome, PageFailure
from .robots import RobotsPolicy
from .run import harvest_config
from .session import SourceSession, reset_sessions, session_for
from .settings import HarvestSettings
from .sources import LinkRule, Pagination, Source, SourcesConfig, load_sources
from .store import RawStore
from .summary import HarvestSummary, dedupe_links, results_to_summary, summary_to_markdown

__all__ = [
    "ConfigError",
    "Discovery",
    "DocumentLink",
    "ExtractRecord",
    "FetchError",
    "FetchRecord",
    "Fetcher",
    "HarvestError",
    "HarvestSettings",
    "HarvestSummary",
    "HostLimiter",
    "LinkRule",
    "Manifest",
    "ManifestRow",
    "Outcome",
    "PageFailure",
    "Pagination",
    "RawStore",
    "RefusedContentError",
    "Response",
    "RobotsPolicy",
    "RunDocument",
    "Source",
    "SourceSession",
    "SourcesConfig",
    "TransientFetchError",
    "Validators",
    "dedupe_links",
    "discover_source",
    "extract_document",
    "fetch_document",
    "harvest_config",
    "load_sources",
    "prepare_out",
    "reset_sessions",
    "results_to_summary",
    "session_for",
    "shared_limiter",
    "summary_to_markdown",
]
