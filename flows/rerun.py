"""Prefect flow: rerun one document end to end (extract → write), e.g. after a fix.

    python flows/rerun.py PATH_OR_URL [...] [--out DIR]

Without a configured Prefect API this starts a temporary local server (about 15 s).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from extract.harvest.apistart import STARTUP_ENV, STARTUP_SECONDS, run_flow

# Before prefect is imported: no offline telemetry, and time for the temporary API server.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault(STARTUP_ENV, STARTUP_SECONDS)

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from extract.cli import format_result, is_url, walk_members
from extract.harvest.remote import fetch_to_store
from extract.models import DocumentResult, Status
from extract.output.writer import write_result
from extract.read.sniff import archive_format
from extract.run.pipeline import extract_document, run_document


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 10])
def fetch_task(document: str, out: str) -> str:
    """A URL is downloaded into the raw store (with retries); a path is used as it is."""
    return str(fetch_to_store(document, Path(out))) if is_url(document) else document


@task(cache_policy=NO_CACHE)
def extract_task(path: str, out: str, source: str | None = None) -> DocumentResult:
    """Extract one document (never raises for a bad document). An archive's members are
    extracted and written here, each as a document of its own (see ``run_document``)."""
    if archive_format(Path(path)) is not None:
        return run_document(Path(path), Path(out), source=source)
    return extract_document(Path(path), source=source)


@task(cache_policy=NO_CACHE)
def write_task(result: DocumentResult, out: str) -> list[str]:
    """Write the document's rows, replacing its earlier rows."""
    return [str(p) for p in write_result(result, Path(out)).values()]


@flow(name="rerun-document", log_prints=True)
def rerun(document: str, out: str = "output") -> dict[str, object]:
    """Run one document end to end and return its documents row as a dict (with, for an
    archive, ``member_statuses``: its members' statuses)."""
    path = fetch_task(document, out)
    result = extract_task(path, out, source=document)
    write_task(result, out)
    for shown, one in walk_members(result, document):
        get_run_logger().info(format_result(one, shown))
    members = [one.document.status.value for _, one in walk_members(result, "")][1:]
    return result.document.model_dump(mode="json") | {"member_statuses": members}


def main(argv: list[str] | None = None) -> int:
    """Run the flow once per document; exit 1 when any document failed."""
    parser = argparse.ArgumentParser(description="Rerun documents through the Prefect flow.")
    parser.add_argument("documents", nargs="+", metavar="PATH_OR_URL")
    parser.add_argument("--out", default="output", help="output folder (default: output)")
    args = parser.parse_args(argv)
    statuses: list[object] = []

    def run_all() -> None:
        for document in args.documents:
            row = rerun(document=document, out=args.out)
            members = row["member_statuses"]
            statuses.extend([row["status"], *(members if isinstance(members, list) else [])])

    code = run_flow(run_all)
    if code:
        return code
    failed = sum(s == Status.FAILED.value for s in statuses)
    print(f"{len(statuses)} document(s), {failed} failed; output in {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
