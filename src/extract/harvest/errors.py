"""Errors raised by the harvest library: ``HarvestError`` under the package's ``ExtractError``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from extract import errors as base

if TYPE_CHECKING:
    from pydantic import ValidationError


class HarvestError(base.ExtractError):
    """Base class of every error the harvest library raises."""


class ConfigError(HarvestError, base.ConfigError):
    """The sources file is unreadable or invalid; ``key`` names the offending key."""

    def __init__(self, message: str, *, key: str | None = None, path: str | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.path = path

    @classmethod
    def from_validation_error(cls, err: ValidationError, *, path: str | None = None) -> ConfigError:
        """Build one error that names the key path of every problem pydantic found.

        Errors on a container whose child also failed are dropped: pydantic reports a
        tuple of sources as "too short" once its only item is invalid, which is noise.
        """
        locs = [tuple(e["loc"]) for e in err.errors()]
        keep = [
            e
            for e, loc in zip(err.errors(), locs, strict=True)
            if not any(len(o) > len(loc) and o[: len(loc)] == loc for o in locs)
        ]
        parts = [f"{_loc_to_key(tuple(e['loc']))!r}: {e['msg']}" for e in keep]
        where = f"{path}: " if path else ""
        key = _loc_to_key(tuple(keep[0]["loc"]))
        return cls(f"{where}invalid key {'; '.join(parts)}", key=key, path=path)


class FetchError(HarvestError, base.FetchError):
    """A URL could not be fetched as a document; ``status`` is the HTTP status, if any."""

    retryable: bool = False

    def __init__(self, url: str, reason: str, *, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status


class TransientFetchError(FetchError):
    """A failure worth retrying: timeout, reset, truncated body or 5xx."""

    retryable = True


class RefusedContentError(FetchError):
    """The body is not a document (an HTML error page, an empty body) or exceeds the size cap."""


def _loc_to_key(loc: tuple[int | str, ...]) -> str:
    """``("sources", 0, "links", "url_patterns")`` → ``sources[0].links.url_patterns``."""
    key = ""
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return key or "<root>"
