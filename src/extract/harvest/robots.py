"""robots.txt: read once per site with ``urllib.robotparser`` and asked before every fetch."""

from __future__ import annotations

import threading
import time
from pathlib import PurePosixPath
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from extract.harvest.errors import FetchError
from extract.harvest.fetch import Fetcher

ROBOTS_FILE = "robots.txt"
ALLOW_ALL: list[str] = []
DISALLOW_ALL = ["User-agent: *", "Disallow: /"]


class RobotsPolicy:
    """Answer "may this URL be fetched?" for http(s) origins and local site roots.

    Following RFC 9309 §2.3.1: a robots.txt answering 4xx means no rules (allow all); one
    that cannot be fetched (5xx after retries, timeout, network error) means disallow all.
    For ``file://`` URLs the site root is the longest ``file_roots`` directory holding the
    file, its ``robots.txt`` is read from there, and rules match the path below the root.
    A robots.txt is re-read after ``settings.robots_ttl`` seconds (long-lived Dask workers).
    """

    def __init__(
        self,
        fetcher: Fetcher,
        *,
        file_roots: tuple[str, ...] = (),
        delay: float = 0.0,
        enabled: bool = True,
    ) -> None:
        self.fetcher = fetcher
        self.user_agent = fetcher.settings.user_agent
        self.file_roots = tuple(
            sorted((r.rstrip("/") + "/" for r in file_roots), key=len, reverse=True)
        )
        self.delay = delay
        self.enabled = enabled
        self.ttl = fetcher.settings.robots_ttl
        self._parsers: dict[str, tuple[float, RobotFileParser]] = {}
        self._lock = threading.Lock()

    def reason(self, url: str) -> str | None:
        """``None`` when allowed, else why not (suitable as a ``fetch.Gate``)."""
        return None if self.allowed(url) else "disallowed by robots.txt"

    def allowed(self, url: str) -> bool:
        """True when the site's robots.txt lets our user agent fetch ``url``."""
        if not self.enabled:
            return True
        located = self._locate(url)
        if located is None:
            return True
        robots_url, path = located
        if path == "/" + ROBOTS_FILE:
            return True
        return self._parser(robots_url).can_fetch(self.user_agent, path)

    def _locate(self, url: str) -> tuple[str, str] | None:
        """(robots.txt URL, path to match) for ``url``; ``None`` when no site applies."""
        parts = urlsplit(url)
        if parts.scheme in ("http", "https"):
            robots = urlunsplit((parts.scheme, parts.netloc, "/" + ROBOTS_FILE, "", ""))
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            return robots, path
        for root in self.file_roots:
            if url.startswith(root):
                return root + ROBOTS_FILE, "/" + url[len(root) :]
        return None

    def _parser(self, robots_url: str) -> RobotFileParser:
        with self._lock:
            loaded_at, parser = self._parsers.get(robots_url, (None, None))
            now = time.monotonic()
            if parser is None or loaded_at is None or now - loaded_at > self.ttl:
                parser = self._load(robots_url)
                self._parsers[robots_url] = (now, parser)
            return parser

    def _load(self, robots_url: str) -> RobotFileParser:
        parser = RobotFileParser(robots_url)
        try:
            response = self.fetcher.get(robots_url, delay=self.delay)
        except FetchError as err:
            unavailable = err.status is not None and 400 <= err.status < 500
            parser.parse(ALLOW_ALL if unavailable else DISALLOW_ALL)
            return parser
        body = response.body or b""
        parser.parse(body.decode("utf-8", errors="replace").splitlines())
        return parser


def file_url_to_root(url: str) -> str:
    """The directory URL holding a ``file://`` start page (the default local site root)."""
    parts = urlsplit(url)
    parent = str(PurePosixPath(parts.path).parent)
    return urlunsplit(("file", parts.netloc, parent.rstrip("/") + "/", "", ""))
