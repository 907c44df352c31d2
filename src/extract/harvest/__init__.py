"""Harvest: budget disclosures from government portals → a raw store, a manifest, and the
documents handed to the run stage.

Enters: ``sources.toml`` (portals, link rules, schedules). Leaves: fetched files in the raw
store, ``raw/manifest.sqlite``, and one extraction per new or changed document. The Prefect
flows in ``flows/`` call it.

May import: every stage (it stands above them with the CLI): ``extract.run`` to extract,
``extract.output`` to write, ``extract.read.sniff`` to check what a portal sent.
"""

from __future__ import annotations

from extract.harvest.discover import discover_source
from extract.harvest.documents import RunDocument, extract_document, fetch_document, prepare_out
from extract.harvest.errors import (
    ConfigError,
    FetchError,
    HarvestError,
    RefusedContentError,
    TransientFetchError,
)
from extract.harvest.fetch import Fetcher, Response, Validators
from extract.harvest.limiter import HostLimiter, shared_limiter
from extract.harvest.manifest import Manifest, ManifestRow
from extract.harvest.records import (
    Discovery,
    DocumentLink,
    ExtractRecord,
    FetchRecord,
    Outcome,
    PageFailure,
)
from extract.harvest.robots import RobotsPolicy
from extract.harvest.run import harvest_config
from extract.harvest.session import SourceSession, reset_sessions, session_for
from extract.harvest.settings import HarvestSettings
from extract.harvest.sources import LinkRule, Pagination, Source, SourcesConfig, load_sources
from extract.harvest.store import RawStore
from extract.harvest.summary import (
    HarvestSummary,
    dedupe_links,
    results_to_summary,
    summary_to_markdown,
    summary_to_text,
)

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
    "summary_to_text",
]
