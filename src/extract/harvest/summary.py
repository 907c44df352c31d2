"""The end-of-run summary: counts by outcome, failures with reasons, rows written; as Markdown."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field

from extract.harvest.records import (
    Discovery,
    DocumentLink,
    ExtractRecord,
    FetchRecord,
    Outcome,
    PageFailure,
)


class HarvestSummary(BaseModel):
    """What one harvest run did."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    found: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    extracted: int = 0
    archive_members: int = Field(0, description="documents unpacked from archives and read")
    extraction_status: dict[str, int] = Field(default_factory=dict)
    tables_not_read: tuple[PageFailure, ...] = Field(
        default=(), description="documents printing an indicator table no reader read"
    )
    projects: int = 0
    indicators: int = 0
    pages_fetched: int = 0
    failures: tuple[PageFailure, ...] = Field(default=(), description="failed documents, why")
    page_failures: tuple[PageFailure, ...] = ()
    skipped: tuple[PageFailure, ...] = ()
    expected: tuple[str, ...] = Field(
        default=(), description="failed URLs the sources file expects to fail (a demo's)"
    )
    dataset: str | None = Field(default=None, description="the compaction's summary line")
    report: str | None = Field(default=None, description="the review report's index page")


def dedupe_links(discoveries: Iterable[Discovery]) -> list[DocumentLink]:
    """All document links of a run, the first source to find a URL keeping it."""
    links: dict[str, DocumentLink] = {}
    for discovery in discoveries:
        for link in discovery.documents:
            links.setdefault(link.url, link)
    return list(links.values())


def results_to_summary(
    discoveries: Sequence[Discovery],
    fetches: Sequence[FetchRecord],
    extractions: Sequence[ExtractRecord | None],
) -> HarvestSummary:
    """Count a run's outcomes; rows are counted once per distinct document body."""
    outcomes = Counter(f.outcome for f in fetches)
    done = [e for e in extractions if e is not None]
    failures = [
        PageFailure(url=f.url, reason=f.error or "failed")
        for f in fetches
        if f.outcome is Outcome.FAILED
    ]
    failures += [
        PageFailure(url=e.url, reason=f"extraction {e.status}: {e.error}")
        for e in done
        if e.status == "failed"
    ]
    failures += [f for e in done for f in e.member_failures]
    unique = {e.sha256: e for e in done}.values()
    return HarvestSummary(
        found=len(fetches),
        new=outcomes[Outcome.NEW],
        changed=outcomes[Outcome.CHANGED],
        unchanged=outcomes[Outcome.UNCHANGED],
        failed=len(failures),
        extracted=len(done),
        archive_members=sum(e.members for e in unique),
        extraction_status=dict(Counter(e.status for e in done)),
        tables_not_read=tuple(
            PageFailure(url=e.url, reason=f"pages {e.tables_not_read}: {e.error}")
            for e in unique
            if e.tables_not_read
        ),
        projects=sum(e.project_count for e in unique),
        indicators=sum(e.indicator_count for e in unique),
        pages_fetched=sum(d.pages_fetched for d in discoveries),
        failures=tuple(failures),
        page_failures=tuple(f for d in discoveries for f in d.failures),
        skipped=tuple(s for d in discoveries for s in d.skipped),
    )


def summary_to_markdown(summary: HarvestSummary, *, title: str = "Harvest summary") -> str:
    """A Markdown report (used for stdout and the Prefect artifact)."""
    rows = _count_rows(summary)
    lines = [f"# {title}", "", "| | count |", "|---|---:|"]
    lines += [f"| {name} | {count} |" for name, count in rows]
    if summary.extraction_status:
        status = ", ".join(f"{k}: {v}" for k, v in sorted(summary.extraction_status.items()))
        lines += ["", f"Extraction status: {status}"]
    if summary.tables_not_read:
        lines += ["", f"**Tables printed but not read: {len(summary.tables_not_read)} "
                  "document(s)** (partial; a template this version does not read)"]  # fmt: skip
    for heading, items in (
        ("Failed documents", summary.failures),
        ("Tables printed but not read", summary.tables_not_read),
        ("Pages that failed to load", summary.page_failures),
        ("Links skipped", summary.skipped),
    ):
        if items:
            lines += ["", f"## {heading}", ""]
            lines += [f"- `{f.url}`: {_one_line(f.reason)}" for f in items]
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def summary_to_text(summary: HarvestSummary, *, title: str = "Harvest summary") -> str:
    """The summary as a plain table for a terminal or a log: counts aligned, then the
    failures (those the sources file expects marked as such) and the dataset and report."""
    rows = _count_rows(summary)
    width = max(len(name) for name, _ in rows)
    lines = [title, "-" * len(title), *(f"  {name:<{width}}  {n:>6}" for name, n in rows)]
    if summary.extraction_status:
        status = ", ".join(f"{k} {v}" for k, v in sorted(summary.extraction_status.items()))
        lines.append(f"  extraction status: {status}")
    sections = (
        ("Failed documents", summary.failures),
        ("Tables printed but not read", summary.tables_not_read),
        ("Pages that failed to load", summary.page_failures),
        ("Links skipped", summary.skipped),
    )
    for heading, items in sections:
        if items:
            lines += ["", f"{heading}:", *(_failure_line(f, summary.expected) for f in items)]
    if summary.expected:
        lines += ["", f"{len(summary.expected)} of the failures are expected "
                  f"({EXPECTED_NOTE})."]  # fmt: skip
    if summary.dataset:
        lines += ["", summary.dataset]
    if summary.report:
        lines.append(f"Review report: {summary.report}")
    return "\n".join(lines) + "\n"


EXPECTED_NOTE = "sources.toml expected_failures: the bundled demo serves them broken on purpose"


def _failure_line(f: PageFailure, expected: tuple[str, ...]) -> str:
    mark = "  [expected]" if f.url in expected else ""
    return f"  {f.url}{mark}\n      {_one_line(f.reason)}"


def _count_rows(summary: HarvestSummary) -> list[tuple[str, int]]:
    return [
        ("documents found", summary.found), ("new", summary.new), ("changed", summary.changed),
        ("unchanged", summary.unchanged), ("failed", summary.failed),
        ("extracted", summary.extracted),
        ("documents unpacked from archives", summary.archive_members),
        ("projects written", summary.projects), ("indicators written", summary.indicators),
        ("listing/article pages fetched", summary.pages_fetched),
    ]  # fmt: skip
