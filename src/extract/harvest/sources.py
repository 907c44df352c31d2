"""The sources file (``sources.toml``): which portals to harvest and how to read them."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from extract.harvest.errors import ConfigError
from extract.harvest.settings import HarvestSettings

DEFAULT_DOCUMENT_URL_PATTERNS = (r"\.(?:pdf|docx?|xlsx?|txt|wps|et|zip|rar|7z)(?:$|[?#])",)
DEFAULT_NEXT_TEXT_PATTERNS = ("下一页", "下页", r"^\s*next\b")
SUPPORTED_SCHEMES = ("http", "https", "file")


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LinkRule(_Frozen):
    """Recognise links: the URL matches a URL pattern and (if any are set) the text a text pattern.

    Patterns are Python regular expressions, searched case-insensitively.
    """

    url_patterns: tuple[str, ...] = DEFAULT_DOCUMENT_URL_PATTERNS
    text_patterns: tuple[str, ...] = ()

    @field_validator("url_patterns", "text_patterns")
    @classmethod
    def _compiles(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as err:
                raise ValueError(f"bad regular expression {pattern!r}: {err}") from err
        return patterns

    def matches(self, url: str, text: str) -> bool:
        """True when ``url`` (and ``text``, if text patterns are set) match this rule."""
        if not any(re.search(p, url, re.IGNORECASE) for p in self.url_patterns):
            return False
        if not self.text_patterns:
            return True
        return any(re.search(p, text, re.IGNORECASE) for p in self.text_patterns)


class Pagination(_Frozen):
    """How a listing continues: a next link (by text or rel=next) or a page-number URL template.

    ``page_url`` holds ``{n}`` and is resolved against the start URL, e.g. ``index_{n}.html``
    with ``first_page = 1`` gives index.html → index_1.html → index_2.html.
    """

    next_text: tuple[str, ...] = DEFAULT_NEXT_TEXT_PATTERNS
    page_url: str | None = None
    first_page: int = Field(default=1, ge=0)

    @field_validator("page_url")
    @classmethod
    def _has_placeholder(cls, value: str | None) -> str | None:
        if value is not None and "{n}" not in value:
            raise ValueError("must contain the page-number placeholder {n}")
        return value


class Source(_Frozen):
    """One portal (or one department's disclosure column) to harvest."""

    name: str = Field(min_length=1)
    region: str = Field(min_length=1, description="地区, e.g. 广东省广州市花都区")
    department: str | None = None
    year: int | None = Field(default=None, ge=1990, le=2100)
    start_urls: tuple[str, ...] = Field(min_length=1, description="listing pages")
    documents: LinkRule = Field(default_factory=LinkRule)
    articles: LinkRule | None = Field(default=None, description="optional hop to article pages")
    pagination: Pagination = Field(default_factory=Pagination)
    allowed_hosts: tuple[str, ...] = Field(default=(), description="default: the start URLs' hosts")
    max_pages: int | None = Field(default=None, ge=1, description="default: harvest.max_pages")
    request_delay: float | None = Field(
        default=None, ge=0, description="default: harvest.request_delay"
    )
    expected_failures: tuple[str, ...] = Field(
        default=(),
        description="regular expressions of document URLs known to fail (a demo's broken "
        "links): still failures, marked as expected in the summary",
    )

    @field_validator("start_urls")
    @classmethod
    def _absolute(cls, urls: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        base = (info.context or {}).get("base_dir")
        return tuple(path_or_url_to_url(u, Path(base) if base else None) for u in urls)

    @field_validator("allowed_hosts")
    @classmethod
    def _lower(cls, hosts: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(h.strip().lower() for h in hosts)

    def hosts(self) -> frozenset[str]:
        """Hosts this source may fetch from (``""`` stands for local files)."""
        if self.allowed_hosts:
            return frozenset(self.allowed_hosts)
        return frozenset((urlsplit(u).hostname or "").lower() for u in self.start_urls)

    def page_limit(self, settings: HarvestSettings) -> int:
        """Listing and article pages this source may fetch."""
        return self.max_pages if self.max_pages is not None else settings.max_pages

    def delay(self, settings: HarvestSettings) -> float:
        """Seconds between two request starts on one host."""
        return self.request_delay if self.request_delay is not None else settings.request_delay


class SourcesConfig(_Frozen):
    """The whole sources file: ``[harvest]`` settings and ``[[sources]]``."""

    harvest: HarvestSettings = Field(default_factory=HarvestSettings)
    sources: tuple[Source, ...] = Field(min_length=1)

    @field_validator("sources")
    @classmethod
    def _unique_names(cls, sources: tuple[Source, ...]) -> tuple[Source, ...]:
        seen: set[str] = set()
        for source in sources:
            if source.name in seen:
                raise ValueError(f"duplicate source name {source.name!r}")
            seen.add(source.name)
        return sources


def path_or_url_to_url(value: str, base_dir: Path | None) -> str:
    """Make a start URL absolute: a bare path becomes ``file://``, relative to ``base_dir``."""
    scheme = urlsplit(value).scheme.lower()
    if scheme in SUPPORTED_SCHEMES:
        return value
    if len(scheme) > 1:  # one letter is a Windows drive, not a scheme
        raise ValueError(f"unsupported URL scheme {scheme!r} in {value!r}")
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = (base_dir or Path.cwd()) / path
    return path.resolve().as_uri()


def mapping_to_config(
    data: Mapping[str, Any], *, base_dir: Path | None = None, origin: str | None = None
) -> SourcesConfig:
    """Validate parsed TOML; a ``ConfigError`` names the first bad key path."""
    context = {"base_dir": str(base_dir) if base_dir else None}
    try:
        return SourcesConfig.model_validate(dict(data), context=context)
    except ValidationError as err:
        raise ConfigError.from_validation_error(err, path=origin) from err


def load_sources(path: str | Path) -> SourcesConfig:
    """Read and validate a sources file; relative paths resolve against its directory."""
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as err:
        raise ConfigError(f"{file}: cannot read sources file: {err}", path=str(file)) from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{file}: not valid TOML: {err}", path=str(file)) from err
    return mapping_to_config(data, base_dir=file.resolve().parent, origin=str(file))
