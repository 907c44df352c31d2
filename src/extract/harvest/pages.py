"""Listing and article pages: bytes → text (charset from header or meta) → absolute links."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, urldefrag, urljoin, urlsplit, urlunsplit

import lxml.etree
import lxml.html

# Portals label GBK pages "gb2312" or "gbk"; GB18030 is a superset of both, so decoding
# with it never fails where the label was merely too narrow.
CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
}
FALLBACK_CHARSETS = ("utf-8", "gb18030")
META_SNIFF_BYTES = 4096
SKIPPED_HREF_SCHEMES = ("javascript:", "mailto:", "tel:", "data:")
URL_SAFE_CHARS = "/%:@!$&'()*+,;=~-._"

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Link:
    """An ``<a href>`` resolved to an absolute URL, with its visible text."""

    url: str
    text: str
    rel_next: bool = False


def charset_from_content_type(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header, if any."""
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def charset_from_meta(body: bytes) -> str | None:
    """The charset a ``<meta charset>`` or ``http-equiv`` tag declares in the page head."""
    match = _META_CHARSET.search(body[:META_SNIFF_BYTES])
    return match.group(1).decode("ascii") if match else None


def _canonical_charset(name: str | None) -> str | None:
    if not name:
        return None
    name = CHARSET_ALIASES.get(name.strip().lower(), name.strip().lower())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def body_to_text(body: bytes, content_type: str | None = None) -> str:
    """Decode a page: BOM, then the header charset, then the meta charset, then fallbacks.

    The first candidate that decodes without error wins, so a server that mislabels a
    GBK page as UTF-8 in its header is still read correctly from its meta tag.
    """
    if body.startswith(codecs.BOM_UTF8):
        return body[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    declared = (charset_from_content_type(content_type), charset_from_meta(body))
    candidates = [c for c in map(_canonical_charset, (*declared, *FALLBACK_CHARSETS)) if c]
    for charset in dict.fromkeys(candidates):
        try:
            return body.decode(charset)
        except UnicodeDecodeError:
            continue
    return body.decode("gb18030", errors="replace")


def normalize_url(url: str) -> str:
    """Drop the fragment and percent-encode what a browser would (spaces, non-ASCII)."""
    url, _ = urldefrag(url.strip())
    parts = urlsplit(url)
    return urlunsplit(
        (
            parts.scheme.lower(),
            parts.netloc.lower(),
            quote(parts.path, safe=URL_SAFE_CHARS) or ("/" if parts.netloc else ""),
            quote(parts.query, safe=URL_SAFE_CHARS + "?"),
            "",
        )
    )


def html_to_links(text: str, base_url: str) -> list[Link]:
    """Every followable ``<a href>`` in document order, resolved and de-duplicated by URL.

    Link text is NFKC-normalised (full-width digits → ASCII) so patterns like ``20\\d\\d年``
    match; an image link without text falls back to its ``title``.
    """
    try:
        root = lxml.html.document_fromstring(_XML_DECL.sub("", text) or "<html/>")
    except (lxml.etree.ParserError, ValueError):
        return []
    base = root.xpath("string(//base/@href)").strip()
    base_url = urljoin(base_url, base) if base else base_url
    links: dict[str, Link] = {}
    for anchor in root.iterfind(".//a[@href]"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith("#") or href.lower().startswith(SKIPPED_HREF_SCHEMES):
            continue
        url = normalize_url(urljoin(base_url, href))
        text_ = anchor.text_content().strip() or (anchor.get("title") or "")
        text_ = _SPACES.sub(" ", unicodedata.normalize("NFKC", text_))
        rel_next = "next" in (anchor.get("rel") or "").lower().split()
        if url not in links:
            links[url] = Link(url=url, text=text_.strip(), rel_next=rel_next)
    return list(links.values())
