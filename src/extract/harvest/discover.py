"""Walk a source's listing pages (pagination, optional article hop) and collect document links."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from extract.enums import Format
from extract.harvest.errors import FetchError
from extract.harvest.fetch import Fetcher
from extract.harvest.pages import Link, body_to_text, html_to_links, normalize_url
from extract.harvest.records import Discovery, DocumentLink, PageFailure
from extract.harvest.robots import RobotsPolicy, file_url_to_root
from extract.harvest.sources import Pagination, Source
from extract.read.sniff import sniff_data

PAGE_FORMATS = frozenset({Format.HTML, Format.TXT, Format.EMPTY})
LISTING, ARTICLE = "listing", "article"


def source_to_file_roots(source: Source) -> tuple[str, ...]:
    """Local site roots of a source: the directories of its ``file://`` start pages."""
    return tuple(
        dict.fromkeys(
            normalize_url(file_url_to_root(u))
            for u in source.start_urls
            if urlsplit(u).scheme == "file"
        )
    )


def scope_reason(
    url: str, source: Source, file_roots: tuple[str, ...], found_on: str | None = None
) -> str | None:
    """``None`` when ``url`` is inside the source's allowed hosts (or local roots), else why not.

    A local file is in scope only below a ``file://`` start page's directory, and only when
    linked from a local page: a web page never leads to a file on this machine.
    """
    parts = urlsplit(url)
    if parts.scheme == "file":
        if found_on is not None and urlsplit(found_on).scheme != "file":
            return "local file linked from a web page"
        if any(url.startswith(root) for root in file_roots):
            return None
        return "local file outside the source's directory"
    if parts.scheme not in ("http", "https"):
        return f"unsupported scheme {parts.scheme!r}"
    host = (parts.hostname or "").lower()
    return None if host in source.hosts() else f"host {host!r} not in allowed_hosts"


def next_page_url(
    links: list[Link], pagination: Pagination, start_url: str, index: int
) -> str | None:
    """URL of listing page ``index + 1`` (page 0 is the start URL), or ``None``."""
    if pagination.page_url is not None:
        return normalize_url(
            urljoin(start_url, pagination.page_url.format(n=pagination.first_page + index))
        )
    for link in links:
        if link.rel_next or any(re.search(p, link.text, re.I) for p in pagination.next_text):
            return link.url
    return None


def guess_year(*texts: str) -> int | None:
    """A budget year printed in link text (``2024年``), if any."""
    for text in texts:
        match = re.search(r"(20\d\d)\s*年", text)
        if match:
            return int(match.group(1))
    return None


@dataclass
class _Page:
    url: str
    kind: str
    index: int = 0
    start_url: str = ""
    text: str = ""


@dataclass
class _Crawl:
    source: Source
    fetcher: Fetcher
    robots: RobotsPolicy
    roots: tuple[str, ...]
    delay: float
    queue: deque[_Page] = field(default_factory=deque)
    seen: set[str] = field(default_factory=set)
    documents: dict[str, DocumentLink] = field(default_factory=dict)
    failures: list[PageFailure] = field(default_factory=list)
    skipped: dict[str, PageFailure] = field(default_factory=dict)
    pages_fetched: int = 0

    def gate(self, url: str, found_on: str | None = None) -> str | None:
        """Why ``url`` may not be fetched (scope, robots.txt), or ``None``."""
        return scope_reason(url, self.source, self.roots, found_on) or self.robots.reason(url)

    def enqueue(self, page: _Page, found_on: str | None = None) -> None:
        """Queue a page once; a page out of scope is recorded as skipped instead."""
        if page.url in self.seen:
            return
        self.seen.add(page.url)
        reason = self.gate(page.url, found_on)
        if reason:
            self.skipped.setdefault(page.url, PageFailure(url=page.url, reason=reason))
        else:
            self.queue.append(page)


def discover_source(source: Source, fetcher: Fetcher, robots: RobotsPolicy) -> Discovery:
    """Crawl one source up to its page limit; failures are recorded, never raised."""
    crawl = _Crawl(
        source, fetcher, robots, source_to_file_roots(source), source.delay(fetcher.settings)
    )
    for url in source.start_urls:
        crawl.enqueue(_Page(normalize_url(url), LISTING, 0, normalize_url(url)))
    limit = source.page_limit(fetcher.settings)
    while crawl.queue:
        if crawl.pages_fetched >= limit:
            left = ", ".join(p.url for p in crawl.queue)
            reason = f"page limit {limit} reached; not visited: {left}"
            crawl.failures.append(PageFailure(url=crawl.queue[0].url, reason=reason))
            break
        _visit(crawl, crawl.queue.popleft())
    return Discovery(
        source=source.name,
        documents=tuple(crawl.documents.values()),
        pages_fetched=crawl.pages_fetched,
        failures=tuple(crawl.failures),
        skipped=tuple(crawl.skipped.values()),
    )


def _visit(crawl: _Crawl, page: _Page) -> None:
    links = _load_links(crawl, page)
    if links is None:
        return
    found = 0
    for link in links:
        found += _classify(crawl, page, link)
    if page.kind != LISTING:
        return
    templated = crawl.source.pagination.page_url is not None
    if templated and found == 0 and page.index > 0:
        return  # a numbered page without anything new: the listing has ended
    nxt = next_page_url(links, crawl.source.pagination, page.start_url, page.index)
    if nxt:
        crawl.enqueue(_Page(nxt, LISTING, page.index + 1, page.start_url), page.url)


def _load_links(crawl: _Crawl, page: _Page) -> list[Link] | None:
    crawl.pages_fetched += 1
    try:
        response = crawl.fetcher.get(page.url, delay=crawl.delay, gate=crawl.gate)
    except FetchError as err:
        numbered_end = crawl.source.pagination.page_url is not None and page.index > 0
        if not (numbered_end and err.status == 404):
            crawl.failures.append(PageFailure(url=page.url, reason=err.reason))
        return None
    body = response.body or b""
    fmt = sniff_data(body)
    if fmt not in PAGE_FORMATS:
        crawl.failures.append(PageFailure(url=page.url, reason=f"not an HTML page ({fmt.value})"))
        return None
    return html_to_links(body_to_text(body, response.content_type), response.final_url)


def _classify(crawl: _Crawl, page: _Page, link: Link) -> int:
    """File ``link`` as a document or an article page; return 1 if it is new."""
    rules = crawl.source
    if rules.documents.matches(link.url, link.text):
        if link.url in crawl.documents or link.url in crawl.skipped:
            return 0
        reason = crawl.gate(link.url, page.url)
        if reason:
            crawl.skipped[link.url] = PageFailure(url=link.url, reason=reason)
            return 0
        crawl.documents[link.url] = DocumentLink(
            url=link.url,
            source=rules.name,
            region=rules.region,
            department=rules.department,
            year=rules.year or guess_year(link.text, page.text),
            link_text=link.text,
            found_on=page.url,
        )
        return 1
    if page.kind == LISTING and rules.articles and rules.articles.matches(link.url, link.text):
        new = link.url not in crawl.seen
        crawl.enqueue(_Page(link.url, ARTICLE, 0, page.start_url, link.text), page.url)
        return int(new)
    return 0
