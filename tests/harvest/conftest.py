"""Fixtures of the harvest tests: a scripted local HTTP server, fast settings, a private limiter."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from scripted import FAST, ScriptedServer

from extract.harvest import HarvestSettings, HostLimiter


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    """A fresh scripted server for one test."""
    srv = ScriptedServer()
    srv.thread.start()
    try:
        yield srv
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()


@pytest.fixture
def settings() -> HarvestSettings:
    """Tiny timeouts and backoff so the suite stays fast."""
    return FAST


@pytest.fixture
def limiter() -> HostLimiter:
    """A private limiter, so tests do not share politeness state."""
    return HostLimiter(FAST.max_per_host)
