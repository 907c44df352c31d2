"""Fetch one URL (http, https, file): timeouts, retries, redirects, a size cap, politeness."""

from __future__ import annotations

import datetime as dt
import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import httpx

from extract.harvest.errors import FetchError, RefusedContentError, TransientFetchError
from extract.harvest.limiter import HostLimiter, shared_limiter
from extract.harvest.settings import HarvestSettings

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
NOT_MODIFIED = 304
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

Gate = Callable[[str], str | None]
"""Return ``None`` when a URL may be fetched, else the reason it may not."""


@dataclass(frozen=True)
class Validators:
    """What the manifest remembers of the previous fetch, for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None
    mtime_ns: int | None = None
    size: int | None = None


@dataclass(frozen=True)
class Response:
    """A fetched body (``None`` when the server said 304 / the file is unchanged)."""

    url: str
    final_url: str
    status: int
    body: bytes | None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    mtime_ns: int | None = None
    fetched_at: dt.datetime = EPOCH

    @property
    def not_modified(self) -> bool:
        """True for a 304 (or an unchanged local file): there is no body."""
        return self.status == NOT_MODIFIED


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Fetcher:
    """Fetch http(s) and file URLs behind one ``get``; use as a context manager."""

    def __init__(
        self,
        settings: HarvestSettings | None = None,
        *,
        limiter: HostLimiter | None = None,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = HarvestSettings.resolve(settings)
        self.limiter = limiter or shared_limiter(self.settings.max_per_host)
        self._sleep = sleep
        self._own_client = client is None
        self.client = client or settings_to_client(self.settings)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client if this fetcher created it."""
        if self._own_client:
            self.client.close()

    def get(
        self,
        url: str,
        *,
        delay: float = 0.0,
        validators: Validators | None = None,
        gate: Gate | None = None,
    ) -> Response:
        """Fetch ``url``; raise ``FetchError`` (after retries, for transient failures)."""
        if urlsplit(url).scheme.lower() == "file":
            return file_url_to_response(url, validators, self.settings.max_bytes)
        attempt = 0
        while True:
            try:
                return self._follow(url, delay, validators, gate)
            except TransientFetchError:
                if attempt >= self.settings.retries:
                    raise
                self._sleep(self.settings.backoff_for(attempt))
                attempt += 1

    def _follow(
        self, url: str, delay: float, validators: Validators | None, gate: Gate | None
    ) -> Response:
        current = url
        for _ in range(self.settings.max_redirects + 1):
            response, location = self._request_once(url, current, delay, validators)
            if location is None:
                return response
            target = urljoin(current, location)
            if urlsplit(target).scheme.lower() not in ("http", "https"):
                raise FetchError(url, f"redirect to unsupported URL {target!r}")
            reason = gate(target) if gate else None
            if reason:
                raise FetchError(url, f"redirect to {target} refused: {reason}")
            current = target
        raise FetchError(url, f"more than {self.settings.max_redirects} redirects")

    def _request_once(
        self, url: str, current: str, delay: float, validators: Validators | None
    ) -> tuple[Response, str | None]:
        host = (urlsplit(current).hostname or "").lower()
        with self.limiter.slot(host, delay):
            try:
                with self.client.stream(
                    "GET", current, headers=validators_to_headers(validators)
                ) as resp:
                    return self._read(url, current, resp)
            except httpx.TimeoutException as err:
                raise TransientFetchError(url, f"timed out ({type(err).__name__})") from err
            except httpx.RemoteProtocolError as err:
                raise TransientFetchError(url, f"connection broken: {err}") from err
            except httpx.TransportError as err:
                raise TransientFetchError(url, f"network error: {err!r}") from err

    def _read(self, url: str, current: str, resp: httpx.Response) -> tuple[Response, str | None]:
        status = resp.status_code
        base = Response(
            url=url,
            final_url=current,
            status=status,
            body=None,
            content_type=resp.headers.get("content-type"),
            etag=resp.headers.get("etag"),
            last_modified=resp.headers.get("last-modified"),
            fetched_at=_now(),
        )
        if status in REDIRECT_STATUSES and "location" in resp.headers:
            return base, resp.headers["location"]
        if status == NOT_MODIFIED:
            return base, None
        if status >= 500:
            raise TransientFetchError(url, f"HTTP {status} {resp.reason_phrase}", status=status)
        if status >= 400:
            raise FetchError(url, f"HTTP {status} {resp.reason_phrase}", status=status)
        body = stream_to_bytes(url, resp, self.settings)
        return replace(base, body=body), None


def settings_to_client(settings: HarvestSettings) -> httpx.Client:
    """An httpx client with the configured timeouts; redirects are followed by ``Fetcher``."""
    timeout = httpx.Timeout(
        connect=settings.connect_timeout,
        read=settings.read_timeout,
        write=settings.read_timeout,
        pool=None,
    )
    return httpx.Client(
        timeout=timeout,
        follow_redirects=False,
        trust_env=settings.trust_env,
        headers={"User-Agent": settings.user_agent},
    )


def validators_to_headers(validators: Validators | None) -> dict[str, str]:
    """Conditional-request headers from the previous fetch."""
    headers: dict[str, str] = {}
    if validators and validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators and validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers


def stream_to_bytes(url: str, resp: httpx.Response, settings: HarvestSettings) -> bytes:
    """Read a body, aborting past the size cap; a short body is a (transient) error.

    The cap applies to the decoded bytes (so a gzip bomb is stopped too); the truncation
    check compares the bytes on the wire with Content-Length.
    """
    declared = _content_length(resp)
    if declared is not None and declared > settings.max_bytes:
        raise RefusedContentError(url, f"too large: {declared} bytes > cap {settings.max_bytes}")
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in resp.iter_bytes(settings.chunk_bytes):
            size += len(chunk)
            if size > settings.max_bytes:
                raise RefusedContentError(url, f"too large: over cap {settings.max_bytes} bytes")
            chunks.append(chunk)
    except httpx.RemoteProtocolError as err:
        raise _truncated(url, resp.num_bytes_downloaded, declared, err) from err
    if declared is not None and resp.num_bytes_downloaded < declared:
        raise _truncated(url, resp.num_bytes_downloaded, declared, None)
    return b"".join(chunks)


def _truncated(
    url: str, got: int, declared: int | None, err: Exception | None
) -> TransientFetchError:
    expected = f" of {declared}" if declared is not None else ""
    detail = f" ({err})" if err else ""
    return TransientFetchError(url, f"truncated body: received {got}{expected} bytes{detail}")


def _content_length(resp: httpx.Response) -> int | None:
    try:
        return int(resp.headers["content-length"])
    except (KeyError, ValueError):
        return None


def file_url_to_response(url: str, validators: Validators | None, max_bytes: int) -> Response:
    """Read a ``file://`` URL; unchanged mtime and size answer like a 304."""
    path = Path(url2pathname(urlsplit(url).path))
    try:
        stat = path.stat()
    except FileNotFoundError as err:
        raise FetchError(url, "404 file not found", status=404) from err
    except OSError as err:
        raise FetchError(url, f"cannot read file: {err}") from err
    if not path.is_file():
        raise FetchError(url, "not a regular file", status=404)
    unchanged = Response(
        url=url,
        final_url=url,
        status=NOT_MODIFIED,
        body=None,
        last_modified=email.utils.formatdate(stat.st_mtime, usegmt=True),
        mtime_ns=stat.st_mtime_ns,
        fetched_at=_now(),
    )
    if validators and (validators.mtime_ns, validators.size) == (stat.st_mtime_ns, stat.st_size):
        return unchanged
    if stat.st_size > max_bytes:
        raise RefusedContentError(url, f"too large: {stat.st_size} bytes > cap {max_bytes}")
    return replace(unchanged, status=200, body=path.read_bytes())
