"""Per-document steps: fetch into the raw store and manifest; extract new or changed bodies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from extract.enums import Format
from extract.harvest.errors import FetchError, RefusedContentError
from extract.harvest.fetch import Response, Validators
from extract.harvest.manifest import MANIFEST_NAME, Manifest, ManifestRow
from extract.harvest.records import DocumentLink, ExtractRecord, FetchRecord, Outcome, PageFailure
from extract.harvest.session import SourceSession
from extract.harvest.store import (
    RAW_DIR,
    RawStore,
    archive_members,
    remove_outputs,
    sweep_temp,
)
from extract.read.sniff import sniff_data

if TYPE_CHECKING:
    from extract.models import DocumentResult

NOT_DOCUMENT_FORMATS = frozenset({Format.HTML, Format.EMPTY})


class RunDocument(Protocol):
    """The shape of ``extract.run.pipeline.run_document``."""

    def __call__(
        self, path: Path, out_dir: Path, *, source: str | None = None
    ) -> DocumentResult: ...


def out_to_manifest(out_dir: Path | str) -> Manifest:
    """Open (creating if needed) the manifest of an output directory."""
    return Manifest(Path(out_dir) / RAW_DIR / MANIFEST_NAME)


def prepare_out(out_dir: Path | str) -> list[Path]:
    """Create the output layout and delete temp files a killed run left; return those."""
    out_to_manifest(out_dir)
    return sweep_temp(out_dir)


def row_to_validators(row: ManifestRow | None, store: RawStore) -> Validators | None:
    """Validators for a conditional request, only when the stored body is still on disk."""
    if row is None or row.sha256 is None or row.format is None:
        return None
    if not store.path_for(row.sha256, Format(row.format)).exists():
        return None
    return Validators(
        etag=row.etag, last_modified=row.last_modified, mtime_ns=row.mtime_ns, size=row.size
    )


def body_to_format(url: str, body: bytes) -> Format:
    """Sniff a document body; an HTML page or empty body is refused, never stored."""
    fmt = sniff_data(body)
    if fmt is Format.HTML:
        suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
        promised = f"; the link promised {suffix}" if suffix else ""
        raise RefusedContentError(
            url, f"served an HTML page (likely an error page), not a document{promised}"
        )
    if fmt is Format.EMPTY:
        raise RefusedContentError(url, "empty body")
    return fmt


def fetch_document(link: DocumentLink, out_dir: Path | str, session: SourceSession) -> FetchRecord:
    """Fetch one document URL into the raw store and manifest; failures are records."""
    manifest, store = out_to_manifest(out_dir), RawStore(out_dir)
    prev = manifest.get(link.url)
    try:
        response = session.fetcher.get(
            link.url,
            delay=session.delay,
            validators=row_to_validators(prev, store),
            gate=session.gate,
        )
        if response.not_modified:
            return _not_modified(link, response, prev, manifest)
        return _store_body(link, response, prev, manifest, store)
    except FetchError as err:
        now = dt.datetime.now(dt.UTC)
        manifest.record_failure(
            link.url,
            source=link.source,
            fetched_at=now.isoformat(),
            http_status=err.status,
            outcome=Outcome.FAILED.value,
            error=err.reason,
        )
        return FetchRecord(
            url=link.url,
            source=link.source,
            outcome=Outcome.FAILED,
            http_status=err.status,
            error=err.reason,
            fetched_at=now,
        )


def _not_modified(
    link: DocumentLink, response: Response, prev: ManifestRow | None, manifest: Manifest
) -> FetchRecord:
    if prev is None or prev.sha256 is None or prev.format is None:
        raise FetchError(
            link.url, "answered 304 Not Modified but nothing is stored", status=response.status
        )
    values = {
        **prev.__dict__,
        "fetched_at": response.fetched_at.isoformat(),
        "http_status": response.status,
        "outcome": Outcome.UNCHANGED.value,
        "error": None,
        "etag": response.etag or prev.etag,
        "last_modified": response.last_modified or prev.last_modified,
    }
    values.pop("url")
    manifest.record_fetch(link.url, **values)
    return _record(
        link,
        Outcome.UNCHANGED,
        prev.sha256,
        prev.raw_path,
        prev.format,
        response,
        needs=prev.extracted_sha256 != prev.sha256,
    )


def _store_body(
    link: DocumentLink,
    response: Response,
    prev: ManifestRow | None,
    manifest: Manifest,
    store: RawStore,
) -> FetchRecord:
    body = response.body or b""
    fmt = body_to_format(link.url, body)
    sha, path = store.put(body, fmt)  # the file is in place before the manifest names it
    raw_path = f"{RAW_DIR}/{path.name}"
    outcome = (
        Outcome.NEW
        if prev is None or prev.sha256 is None
        else Outcome.UNCHANGED
        if prev.sha256 == sha
        else Outcome.CHANGED
    )
    manifest.record_fetch(
        link.url,
        source=link.source,
        final_url=response.final_url,
        sha256=sha,
        format=fmt.value,
        raw_path=raw_path,
        size=len(body),
        fetched_at=response.fetched_at.isoformat(),
        http_status=response.status,
        etag=response.etag,
        last_modified=response.last_modified,
        mtime_ns=response.mtime_ns,
        content_type=response.content_type,
        outcome=outcome.value,
        error=None,
    )
    needs = prev is None or prev.extracted_sha256 != sha
    return _record(link, outcome, sha, raw_path, fmt.value, response, needs=needs)


def _record(
    link: DocumentLink,
    outcome: Outcome,
    sha: str,
    raw_path: str | None,
    fmt: str | None,
    response: Response,
    *,
    needs: bool,
) -> FetchRecord:
    return FetchRecord(
        url=link.url,
        source=link.source,
        outcome=outcome,
        sha256=sha,
        raw_path=raw_path,
        format=fmt,
        http_status=response.status,
        needs_extraction=needs,
        fetched_at=response.fetched_at,
    )


def extract_document(
    record: FetchRecord, out_dir: Path | str, run: RunDocument
) -> ExtractRecord | None:
    """Extract a new or changed document; ``None`` when there is nothing to do.

    A crash of the extractor is recorded (and retried on the next run), never raised.
    Outputs of the body this URL had before are removed once nothing else refers to them.
    """
    if not record.needs_extraction or record.sha256 is None or record.raw_path is None:
        return None
    out, manifest = Path(out_dir), out_to_manifest(out_dir)
    prev = manifest.get(record.url)
    old = prev.extracted_sha256 if prev else None
    try:
        result = run(out / record.raw_path, out, source=record.url)
    except Exception as err:  # the extractor's bug must not stop the harvest
        reason = f"extractor crashed: {type(err).__name__}: {err}"
        manifest.record_extraction(
            record.url, **_kept_extraction(prev), extract_error=reason, extract_status="failed"
        )
        return ExtractRecord(url=record.url, sha256=record.sha256, status="failed", error=reason)
    doc = result.document
    if old and old != record.sha256:
        _remove_replaced(out, manifest, old, record.url)
    every = list(_with_members(result))
    extracted = ExtractRecord(
        url=record.url,
        sha256=record.sha256,
        status=str(doc.status),
        tables_not_read=doc.tables_not_read,
        error=doc.error,
        project_count=sum(r.document.project_count for r in every),
        indicator_count=sum(r.document.indicator_count for r in every),
        members=len(every) - 1,
        member_failures=tuple(
            PageFailure(url=r.document.source, reason=r.document.error or "failed")
            for r in every[1:]
            if r.document.status == "failed"
        ),
    )
    manifest.record_extraction(
        record.url,
        extracted_sha256=record.sha256,
        extract_status=extracted.status,
        extract_error=doc.error,
        project_count=extracted.project_count,
        indicator_count=extracted.indicator_count,
        extracted_at=dt.datetime.now(dt.UTC).isoformat(),
    )
    return extracted


def _remove_replaced(out: Path, manifest: Manifest, old: str, url: str) -> None:
    """Delete the rows of the body a URL had before, and of the documents unpacked from it
    when it was an archive, unless another URL still refers to them."""
    for doc_id in [old, *archive_members(out, old)]:
        if not manifest.is_referenced(doc_id, except_url=url):
            remove_outputs(out, doc_id)


def _with_members(result: DocumentResult) -> Iterator[DocumentResult]:
    """A result and, for an archive, every document unpacked from it (nested too)."""
    yield result
    for member in result.members:
        yield from _with_members(member)


def _kept_extraction(prev: ManifestRow | None) -> dict[str, object]:
    if prev is None:
        return {}
    return {
        "extracted_sha256": prev.extracted_sha256,
        "project_count": prev.project_count,
        "indicator_count": prev.indicator_count,
        "extracted_at": prev.extracted_at,
    }
