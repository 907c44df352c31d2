"""Prefect flow: discover → fetch → extract new or changed documents → Parquet, with a summary.

Run: ``python flows/harvest.py [--sources FILE] [--out DIR] [--dask tcp://host:8786]``;
``--serve`` keeps it running with the yearly and monthly schedules (docs/harvest.md).
Every task is a thin wrapper over a function of ``extract.harvest``, where the logic lives
and is tested without Prefect.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

# Opt out of Prefect's anonymous usage telemetry unless the user decided otherwise;
# must be set before prefect is imported.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.schedules import Cron
from prefect.task_runners import ThreadPoolTaskRunner

from extract.harvest import (
    ConfigError,
    Discovery,
    DocumentLink,
    ExtractRecord,
    FetchRecord,
    HarvestSettings,
    HarvestSummary,
    Source,
    dedupe_links,
    discover_source,
    extract_document,
    fetch_document,
    load_sources,
    prepare_out,
    reset_sessions,
    results_to_summary,
    session_for,
    summary_to_markdown,
)

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCES = REPO / "sources.toml"
DEFAULT_OUT = REPO / "output"
DEFAULT_WORKERS = os.cpu_count() or 4
SCHEDULE_TIMEZONE = "Asia/Shanghai"
# Budgets are disclosed within 20 days of approval, mostly in February and March:
# a full pass each year in late March, and a monthly pass for late and corrected files.
YEARLY_CRON = "0 3 25 3 *"
MONTHLY_CRON = "0 4 1 * *"
SUMMARY_ARTIFACT_KEY = "harvest-summary"


@task(cache_policy=NO_CACHE, task_run_name="discover {source.name}")
def discover_task(source: Source, settings: HarvestSettings) -> Discovery:
    """Walk one source's listing pages."""
    session = session_for(source, settings)
    found = discover_source(source, session.fetcher, session.robots)
    get_run_logger().info("%s: %d documents on %d pages, %d page failures", source.name,
                          len(found.documents), found.pages_fetched, len(found.failures))
    return found


@task(cache_policy=NO_CACHE, task_run_name="fetch {link.url}")
def fetch_task(link: DocumentLink, source: Source, settings: HarvestSettings,
               out: str) -> FetchRecord:
    """Download one document into the raw store (retries happen inside)."""
    record = fetch_document(link, out, session_for(source, settings))
    reason = f": {record.error}" if record.error else ""
    get_run_logger().info("%s%s", record.outcome.value, reason)
    return record


@task(cache_policy=NO_CACHE, task_run_name="extract {record.url}")
def extract_task(record: FetchRecord, out: str) -> ExtractRecord | None:
    """Extract a new or changed document to Parquet."""
    from extract.pipeline import run_document  # heavy imports only where extraction runs

    result = extract_document(record, out, run_document)
    if result is not None:
        get_run_logger().info("%s: %d projects, %d indicators%s", result.status,
                              result.project_count, result.indicator_count,
                              f" ({result.error})" if result.error else "")
    return result


@flow(name="harvest", log_prints=True,
      task_runner=ThreadPoolTaskRunner(max_workers=DEFAULT_WORKERS))  # type: ignore[arg-type]
def harvest(sources: str = str(DEFAULT_SOURCES), out: str = str(DEFAULT_OUT)) -> HarvestSummary:
    """Harvest every source of a sources file into ``out`` and report what happened."""
    config = load_sources(sources)
    prepare_out(out)
    reset_sessions()  # read robots.txt afresh on every run
    by_name = {s.name: s for s in config.sources}
    discoveries = [f.result() for f in
                   [discover_task.submit(s, config.harvest) for s in config.sources]]
    fetches = [fetch_task.submit(link, by_name[link.source], config.harvest, out)
               for link in dedupe_links(discoveries)]
    records = [f.result() for f in fetches]
    extracts = _submit_extractions(records, out)
    summary = results_to_summary(discoveries, records, [f.result() for f in extracts])
    markdown = summary_to_markdown(summary)
    print(markdown)
    create_markdown_artifact(key=SUMMARY_ARTIFACT_KEY, markdown=markdown,
                             description=f"harvest of {sources} into {out}")
    return summary


def _submit_extractions(records: list[FetchRecord],
                        out: str) -> list[PrefectFuture[ExtractRecord | None]]:
    """One extract task per new or changed record; records with the same body run one after
    the other, so two URLs serving the same file never write the same Parquet names at once."""
    last_by_sha: dict[str, PrefectFuture[ExtractRecord | None]] = {}
    futures = []
    for record in (r for r in records if r.needs_extraction):
        previous = last_by_sha.get(record.sha256 or "")
        future = extract_task.submit(record, out, return_state=False,
                                     wait_for=[previous] if previous else [])
        if record.sha256:
            last_by_sha[record.sha256] = future
        futures.append(future)
    return futures


def argv_to_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", default=str(DEFAULT_SOURCES), help="sources TOML file")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="output directory")
    parser.add_argument("--dask", metavar="ADDRESS",
                        help="run tasks on an existing Dask cluster, e.g. tcp://host:8786")
    parser.add_argument("--serve", action="store_true",
                        help="serve with the yearly and monthly schedules (needs a Prefect server)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Check the sources file, then run (or serve) the flow; exit 2 on a bad config."""
    args = argv_to_args(argv)
    try:
        load_sources(args.sources)  # reject a bad file before Prefect starts
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    params = {"sources": str(Path(args.sources).resolve()), "out": str(Path(args.out).resolve())}
    runnable = harvest
    if args.dask:
        from prefect_dask.task_runners import DaskTaskRunner

        runner = DaskTaskRunner(address=args.dask)
        runnable = harvest.with_options(task_runner=runner)  # type: ignore[arg-type]
    if args.serve:
        runnable.serve(name="harvest", parameters=params, schedules=[
            Cron(YEARLY_CRON, timezone=SCHEDULE_TIMEZONE),
            Cron(MONTHLY_CRON, timezone=SCHEDULE_TIMEZONE)])
        return 0
    runnable(**params)
    return 0


if __name__ == "__main__":
    sys.exit(main())
