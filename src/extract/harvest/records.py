"""Pydantic records the harvest passes between steps (and Prefect tasks) and reports."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Outcome(StrEnum):
    """What fetching a document URL came to."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    FAILED = "failed"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DocumentLink(_Record):
    """A document URL found on a listing or article page."""

    url: str
    source: str = Field(description="name of the source that found it")
    region: str
    department: str | None = None
    year: int | None = None
    link_text: str = ""
    found_on: str = Field(description="URL of the page that links it")


class PageFailure(_Record):
    """A page or link that could not be followed, and why."""

    url: str
    reason: str


class Discovery(_Record):
    """Everything one source's listing pages yielded."""

    source: str
    documents: tuple[DocumentLink, ...] = ()
    pages_fetched: int = 0
    failures: tuple[PageFailure, ...] = Field(default=(), description="pages that failed to load")
    skipped: tuple[PageFailure, ...] = Field(default=(), description="links refused: robots, host")


class FetchRecord(_Record):
    """The result of fetching one document (also what its manifest row says)."""

    url: str
    source: str
    outcome: Outcome
    sha256: str | None = None
    raw_path: str | None = Field(default=None, description="file in the raw store, under out")
    format: str | None = None
    http_status: int | None = None
    error: str | None = None
    needs_extraction: bool = False
    fetched_at: dt.datetime | None = None


class ExtractRecord(_Record):
    """What extracting one fetched document produced."""

    url: str
    sha256: str
    status: str = Field(description="ok / partial / no_table / needs_ocr / failed")
    tables_not_read: str | None = Field(None, description="pages of a table printed, not read")
    error: str | None = None
    project_count: int = Field(0, description="for an archive, its members' projects")
    indicator_count: int = 0
    members: int = Field(0, description="an archive: documents unpacked from it and read")
    member_failures: tuple[PageFailure, ...] = Field(
        default=(), description="an archive: members that failed (archive!/member), and why"
    )
