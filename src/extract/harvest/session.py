"""A source's fetching context: one HTTP client, its robots.txt cache and its scope gate."""

from __future__ import annotations

import threading

from extract.harvest.discover import scope_reason, source_to_file_roots
from extract.harvest.fetch import Fetcher
from extract.harvest.robots import RobotsPolicy
from extract.harvest.settings import HarvestSettings
from extract.harvest.sources import Source


class SourceSession:
    """Everything needed to fetch politely for one source; thread-safe, reusable."""

    def __init__(
        self,
        source: Source,
        settings: HarvestSettings | None = None,
        *,
        fetcher: Fetcher | None = None,
    ) -> None:
        self.source = source
        self.fetcher = fetcher or Fetcher(settings)
        self.settings = self.fetcher.settings
        self.delay = source.delay(self.settings)
        self.file_roots = source_to_file_roots(source)
        self.robots = RobotsPolicy(
            self.fetcher,
            file_roots=self.file_roots,
            delay=self.delay,
            enabled=self.settings.respect_robots,
        )

    def gate(self, url: str) -> str | None:
        """``None`` when ``url`` may be fetched for this source, else why not."""
        return scope_reason(url, self.source, self.file_roots) or self.robots.reason(url)

    def close(self) -> None:
        """Close the HTTP client."""
        self.fetcher.close()

    def __enter__(self) -> SourceSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_SESSIONS: dict[tuple[Source, HarvestSettings], SourceSession] = {}
_LOCK = threading.Lock()


def session_for(source: Source, settings: HarvestSettings) -> SourceSession:
    """The process-wide session of a source, so threads and tasks share robots.txt and sockets.

    Call ``reset_sessions()`` at the start of a run so robots.txt is read afresh.
    """
    with _LOCK:
        key = (source, settings)
        if key not in _SESSIONS:
            _SESSIONS[key] = SourceSession(source, settings)
        return _SESSIONS[key]


def reset_sessions() -> None:
    """Close and forget every cached session."""
    with _LOCK:
        for session in _SESSIONS.values():
            session.close()
        _SESSIONS.clear()
