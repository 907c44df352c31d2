"""The review report: ``OUT/report/index.html`` (every document, sortable and filterable)
and ``OUT/report/docs/<doc_id>.html`` (its issues, then each project with its fields beside
an image of its source region, the cells outlined from ``bbox``, and each indicator's raw
text beside its parsed target; rows with warnings or errors marked).

Pages and images are made per document and kept while the document is unchanged (its
``extracted_at``), so a 1,000-document run rewrites only what changed."""

from __future__ import annotations

import json
import multiprocessing
import os
import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from extract.output.atomic import write_bytes_atomically
from extract.output.quarantine import read_staged
from extract.output.report_crops import (
    pages_mentioning,
    render_project_pages,
    render_thumbnails,
)
from extract.output.report_document import (
    candidate_pages,
    candidates,
    header,
    problems,
    project_section,
)
from extract.output.report_evaluations import evaluation_pages
from extract.output.report_html import (
    SORT_AND_FILTER_JS,
    Status,
    heading,
    link,
    page,
    paragraph,
    table,
)
from extract.output.writer import read_conformed

REPORT = "report"
ARCHIVE_SEPARATOR = "!/"  # archive!/member in a document's source
STAMPS = ".stamps.json"
PARALLEL_MIN_DOCS = 8  # below this, starting worker processes costs more than it saves
MONEY = ("total_yuan", "fiscal_yuan", "other_yuan", "carryover_yuan", "project_total_yuan")


@dataclass
class Report:
    """What one report run wrote."""

    documents: int = 0
    pages_written: int = 0
    images_written: int = 0
    path: Path | None = None
    kept: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # documents whose page could not be made
    quarantined: list[str] = field(default_factory=list)  # one line per document moved aside


def write_report(out: Path | str) -> Report:
    """Write ``OUT/report``: the overview always, a document's page when it changed."""
    out = Path(out)
    root = out / REPORT
    table, moved = read_staged(out, "documents")  # a corrupt file: that document only
    docs: list[dict[str, Any]] = table.to_pylist()
    stamps_path = root / STAMPS
    old = json.loads(stamps_path.read_text("utf-8")) if stamps_path.exists() else {}
    stamps, result = {}, Report(documents=len(docs), quarantined=moved)
    todo = []
    for doc in docs:
        stamps[doc["doc_id"]] = str(doc["extracted_at"])
        target = root / "docs" / f"{doc['doc_id']}.html"
        if old.get(doc["doc_id"]) == stamps[doc["doc_id"]] and target.exists():
            result.kept.append(doc["doc_id"])
        else:
            todo.append(doc)
    for doc_id, images, failed in _pages(out, root, todo):
        result.pages_written += 1
        result.images_written += images
        if failed:
            result.failed.append(doc_id)
            stamps.pop(doc_id)  # try again next time
    write_bytes_atomically(root / "index.html", _overview(docs).encode("utf-8"))
    write_bytes_atomically(stamps_path, json.dumps(stamps, sort_keys=True).encode("utf-8"))
    result.path = root / "index.html"
    return result


def _pages(out: Path, root: Path, docs: list[dict[str, Any]]) -> list[tuple[str, int, bool]]:
    """Each document's page: on every core when there are many (rendering is the cost)."""
    jobs = [(out, root, doc) for doc in docs]
    if len(jobs) < PARALLEL_MIN_DOCS or (os.cpu_count() or 1) < 2:
        return [_page_or_notice(*job) for job in jobs]
    context = multiprocessing.get_context("forkserver")  # the harvest calls this from a thread
    with ProcessPoolExecutor(max_workers=os.cpu_count(), mp_context=context) as pool:
        return list(pool.map(_page_or_notice, *zip(*jobs, strict=True), chunksize=4))


def _page_or_notice(out: Path, root: Path, doc: dict[str, Any]) -> tuple[str, int, bool]:
    """(doc_id, images written, failed): a page that cannot be made says so instead."""
    try:
        return doc["doc_id"], _write_document(out, root, doc), False
    except Exception as exc:  # a broken source or row: this page says so, the rest go on
        why = paragraph(f"the report page could not be made: {exc!r}", "error")
        html = page(doc["doc_id"], heading(1, doc["file_name"] or doc["doc_id"]) + why)
        write_bytes_atomically(root / "docs" / f"{doc['doc_id']}.html", html.encode("utf-8"))
        return doc["doc_id"], 0, True


def _rows(out: Path, table: str, doc_id: str | None = None) -> list[dict[str, Any]]:
    """A table's rows in the current schema (a file of an older release gets new columns as
    nulls): one document's, or every document's."""
    folder = out / table
    pattern = f"{doc_id}.parquet" if doc_id is not None else "*.parquet"
    files = [str(p) for p in sorted(folder.glob(pattern))] if folder.is_dir() else []
    rows: list[dict[str, Any]] = read_conformed(table, files).to_pylist()
    return rows


def _overview(docs: list[dict[str, Any]]) -> str:
    """Every document, those with errors, then warnings, first: a reviewer starts at the top."""
    statuses = sorted({d["status"] for d in docs})
    options = "".join(f'<option value="{escape(s)}">{escape(s)}</option>' for s in statuses)
    counts = ", ".join(f"{s}: {sum(d['status'] == s for d in docs)}" for s in statuses)
    if unread := sum(1 for d in docs if d.get("tables_not_read")):
        counts += f"; a table printed but not read: {unread}"
    if archives := sum(1 for d in docs if d.get("member_count") is not None):
        members = sum(1 for d in docs if d.get("container_id"))
        counts += f"; {members} unpacked from {archives} archive(s)"
    rows = [([link(f"docs/{d['doc_id']}.html", d["file_name"] or d["source"]), Status(d["status"]),
              d.get("error_count"), d.get("warning_count"), d["format"], d["layout"],
              d["department"], d["year"], d["project_count"], d["indicator_count"],
              d.get("evaluation_count"), d["totals_check"], d["error"]], _row_class(d))
            for d in sorted(docs, key=_problems_first)]  # fmt: skip
    body = (heading(1, "Review report") + paragraph(f"{len(docs)} documents ({counts}); "
            f"{sum(d['project_count'] for d in docs)} projects, "
            f"{sum(d['indicator_count'] for d in docs)} indicators. Documents with errors, then "
            "warnings, come first; click a column's header to sort by it.")
            + '<input id="q" placeholder="filter"><select id="status"><option value="">'
            f"every status</option>{options}</select> shown: <span id=\"shown\">{len(docs)}"
            "</span>" + table(INDEX_COLUMNS, rows, sortable=True, table_id="docs"))  # fmt: skip
    return page("Review report", body, SORT_AND_FILTER_JS)


INDEX_COLUMNS = ["document", "status", "errors", "warnings", "format", "layout", "department",
                 "year", "projects", "indicators", "evaluations", "totals", "error"]  # fmt: skip


def _problems_first(doc: dict[str, Any]) -> tuple[int, int, str]:
    failed = doc["status"] == "failed" or bool(doc.get("tables_not_read"))
    errors = (doc.get("error_count") or 0) + failed
    return (-errors, -(doc.get("warning_count") or 0), doc["file_name"] or "")


def _row_class(doc: dict[str, Any]) -> str:
    if doc["status"] == "failed" or doc.get("tables_not_read") or doc.get("error_count"):
        return "error"
    return "warning" if doc.get("warning_count") else ""


def _write_document(out: Path, root: Path, doc: dict[str, Any]) -> int:
    """One document's page and its images; returns the images written."""
    doc_id = doc["doc_id"]
    projects, indicators = _rows(out, "projects", doc_id), _rows(out, "indicators", doc_id)
    issues = _rows(out, "issues", doc_id)
    unread = doc["status"] in ("no_table", "partial")
    with _source_pdf(out, doc) as pdf:
        crops = render_project_pages(pdf, root / "img" / doc_id, projects, indicators)
        pages = (candidate_pages(doc) or pages_mentioning(pdf)) if unread else []
        thumbs = render_thumbnails(pdf, root / "img" / doc_id, pages)
        forms, form_images = evaluation_pages(
            root, doc, pdf, _rows(out, "evaluations", doc_id),
            _rows(out, "evaluation_indicators", doc_id), issues,
        )  # fmt: skip
    body = header(doc) + problems(issues) + candidates(doc, thumbs)
    if doc.get("member_count") is not None:
        body += _members_section(out, doc_id)
    body += forms
    for project in projects:
        body += project_section(project, indicators, issues, crops.get(project["project_seq"], []))
    html = page(doc["file_name"] or doc_id, body, SORT_AND_FILTER_JS if forms else "")
    write_bytes_atomically(root / "docs" / f"{doc_id}.html", html.encode("utf-8"))
    return sum(len(c) for c in crops.values()) + 2 * len(thumbs) + form_images


def _members_section(out: Path, doc_id: str) -> str:
    """An archive's page: the documents unpacked from it, each linked to its page."""
    members = [d for d in _rows(out, "documents") if d.get("container_id") == doc_id]
    rows = [([link(f"{d['doc_id']}.html", d["source"]), Status(d["status"]), d["format"],
              d["project_count"], d["indicator_count"]], "") for d in members]  # fmt: skip
    return heading(2, f"Documents in this archive ({len(members)})") + table(
        ["document", "status", "format", "projects", "indicators"], rows
    )


@contextmanager
def _source_pdf(out: Path, doc: dict[str, Any]) -> Iterator[Path | None]:
    """The document's bytes: the raw store's copy, else its source path or file:// URL, or
    for a document unpacked from an archive, the member unpacked again for the while."""
    stored = out / "raw" / f"{doc['doc_id']}.pdf"
    source = doc["source"] or ""
    if doc["format"] != "pdf":
        yield None
    elif stored.exists():
        yield stored
    elif doc.get("container_id") and ARCHIVE_SEPARATOR in source:
        with _archive_member(out, doc["container_id"], source) as member:
            yield member
    else:
        yield _local_source(source)


def _local_source(source: str) -> Path | None:
    path = Path(unquote(urlparse(source).path)) if source.startswith("file://") else Path(source)
    return path if path.is_file() else None


@contextmanager
def _archive_member(out: Path, container_id: str, source: str) -> Iterator[Path | None]:
    """A member of a (not nested) archive, from the raw store's copy or the archive's path."""
    from extract.read.archive import unpack
    from extract.read.sniff import sniff_path

    archive_source, name = source.split(ARCHIVE_SEPARATOR, 1)
    stored = [p for p in (out / "raw").glob(f"{container_id}.*") if p.suffix != ".tmp"]
    archive = stored[0] if stored else _local_source(archive_source)
    if archive is None or ARCHIVE_SEPARATOR in name:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="report-member-") as tmp:
        try:
            members = unpack(archive, sniff_path(archive), Path(tmp), only=name)
        except Exception:  # the archive changed or went away: no crops, the page goes on
            members = []
        yield next((m.path for m in members if m.path is not None), None)
