"""Tunable numbers of the harvest (timeouts, retries, limits) in one frozen settings model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from extract.harvest.errors import ConfigError

DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 30.0
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF_SECONDS = 1.0
DEFAULT_BACKOFF_MAX_SECONDS = 30.0
DEFAULT_MAX_PER_HOST = 2
DEFAULT_REQUEST_DELAY = 1.0
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
DEFAULT_MAX_REDIRECTS = 5
DEFAULT_MAX_PAGES = 50
DEFAULT_RESPECT_ROBOTS = True
DEFAULT_ROBOTS_TTL = 3600.0  # RFC 9309 §2.4: do not cache robots.txt for more than 24 h
DEFAULT_TRUST_ENV = True
DEFAULT_USER_AGENT = "budget-extract/0.1 (budget disclosure harvester)"
DEFAULT_CHUNK_BYTES = 64 * 1024


class HarvestSettings(BaseModel):
    """Network behaviour shared by every source; per-source overrides live in the source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    connect_timeout: float = Field(default=DEFAULT_CONNECT_TIMEOUT, gt=0, description="s")
    read_timeout: float = Field(default=DEFAULT_READ_TIMEOUT, gt=0, description="s per read")
    retries: int = Field(
        default=DEFAULT_RETRIES,
        ge=0,
        description="extra attempts on timeouts, resets, truncation and 5xx",
    )
    backoff_seconds: float = Field(
        default=DEFAULT_BACKOFF_SECONDS,
        ge=0,
        description="delay before the first retry, doubled each time",
    )
    backoff_max_seconds: float = Field(default=DEFAULT_BACKOFF_MAX_SECONDS, ge=0)
    max_per_host: int = Field(
        default=DEFAULT_MAX_PER_HOST, ge=1, description="requests in flight per host"
    )
    request_delay: float = Field(
        default=DEFAULT_REQUEST_DELAY,
        ge=0,
        description="seconds between request starts on one host",
    )
    max_bytes: int = Field(
        default=DEFAULT_MAX_BYTES, gt=0, description="size cap of one response body"
    )
    max_redirects: int = Field(default=DEFAULT_MAX_REDIRECTS, ge=0)
    max_pages: int = Field(
        default=DEFAULT_MAX_PAGES, ge=1, description="listing and article pages per source"
    )
    respect_robots: bool = DEFAULT_RESPECT_ROBOTS
    robots_ttl: float = Field(
        default=DEFAULT_ROBOTS_TTL,
        ge=0,
        description="seconds a robots.txt is trusted before re-reading",
    )
    trust_env: bool = Field(default=DEFAULT_TRUST_ENV, description="let httpx read proxy variables")
    user_agent: str = Field(
        default=DEFAULT_USER_AGENT,
        pattern=r"^[\x20-\x7e]+$",
        description="printable ASCII (an HTTP header)",
    )
    chunk_bytes: int = Field(default=DEFAULT_CHUNK_BYTES, gt=0)

    @classmethod
    def resolve(cls, value: HarvestSettings | Mapping[str, Any] | None = None) -> HarvestSettings:
        """Accept ``None`` (defaults), a mapping of overrides, or an instance."""
        if value is None:
            return cls()
        if isinstance(value, HarvestSettings):
            return value
        try:
            return cls.model_validate(dict(value))
        except ValidationError as err:
            raise ConfigError.from_validation_error(err) from err

    def backoff_for(self, attempt: int) -> float:
        """Delay before retry number ``attempt`` (0-based): exponential, capped."""
        return float(min(self.backoff_seconds * 2**attempt, self.backoff_max_seconds))
