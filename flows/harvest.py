"""Prefect flow: discover → fetch → extract new or changed documents → Parquet, with a summary.

Run: ``python flows/harvest.py [--sources FILE] [--out DIR] [--dask tcp://host:8786]``;
``--serve`` keeps it running with the yearly and monthly schedules (docs/harvest.md).
Every task is a thin wrapper over a function of ``extract.harvest``, where the logic lives
and is tested without Prefect.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from extract.harvest.apistart import STARTUP_ENV, STARTUP_SECONDS, run_flow
from extract.harvest.reaper import start_reaper

# Before prefect is imported: no offline telemetry, and time for the temporary API server.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault(STARTUP_ENV, STARTUP_SECONDS)

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture, as_completed
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
    Outcome,
    PageFailure,
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
    summary_to_text,
)
from extract.run.progress import RunProgress

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
    get_run_logger().info(
        "%s: %d documents on %d pages, %d page failures",
        source.name,
        len(found.documents),
        found.pages_fetched,
        len(found.failures),
    )
    return found


@task(cache_policy=NO_CACHE, task_run_name="fetch {link.url}")
def fetch_task(
    link: DocumentLink, source: Source, settings: HarvestSettings, out: str
) -> FetchRecord:
    """Download one document into the raw store (retries happen inside)."""
    record = fetch_document(link, out, session_for(source, settings))
    reason = f": {record.error}" if record.error else ""
    get_run_logger().info("%s%s", record.outcome.value, reason)
    return record


@task(cache_policy=NO_CACHE, task_run_name="extract {record.url}")
def extract_task(record: FetchRecord, out: str) -> ExtractRecord | None:
    """Extract a new or changed document to Parquet."""
    from extract.run.pipeline import run_document  # heavy imports only where extraction runs

    result = extract_document(record, out, run_document)
    if result is not None:
        get_run_logger().info(
            "%s: %d projects, %d indicators%s",
            result.status,
            result.project_count,
            result.indicator_count,
            f" ({result.error})" if result.error else "",
        )
    return result


@task(cache_policy=NO_CACHE, task_run_name="compact {out}")
def compact_task(out: str) -> str:
    """Rewrite the changed partitions of the analysts' dataset and its DuckDB tables."""
    from extract.output.compact import compact, summary_line

    line = summary_line(compact(out), Path(out))
    get_run_logger().info("%s", line)
    return line


@task(cache_policy=NO_CACHE, task_run_name="report {out}")
def report_task(out: str) -> str:
    """Write the HTML review report (pages of changed documents only)."""
    from extract.output.report import write_report

    done = write_report(out)
    get_run_logger().info("report: %s (%d pages written)", done.path, done.pages_written)
    return str(done.path)


@flow(
    name="harvest",
    log_prints=True,
    task_runner=ThreadPoolTaskRunner(max_workers=DEFAULT_WORKERS),  # type: ignore[arg-type]
)
def harvest(
    sources: str = str(DEFAULT_SOURCES), out: str = str(DEFAULT_OUT), quiet: bool = False
) -> HarvestSummary:
    """Harvest every source of a sources file into ``out`` and report what happened; on a
    terminal (and not ``quiet``) a progress bar counts the documents fetched and extracted."""
    config = load_sources(sources)
    prepare_out(out)
    reset_sessions()  # read robots.txt afresh on every run
    by_name = {s.name: s for s in config.sources}
    discoveries = [
        _discovered(f, s)
        for s, f in [(s, discover_task.submit(s, config.harvest)) for s in config.sources]
    ]
    fetches = {
        fetch_task.submit(link, by_name[link.source], config.harvest, out): link
        for link in dedupe_links(discoveries)
    }
    with RunProgress(len(fetches), quiet=quiet) as bar:
        records, extracts = _extract_as_fetched(fetches, out, bar)
        for done in as_completed(extracts):
            result = done.result(raise_on_failure=False)
            bar.advance(failed=not isinstance(result, ExtractRecord) or result.status == "failed")
    summary = results_to_summary(discoveries, records, [f.result() for f in extracts])
    expected = tuple(f.url for f in summary.failures if _expected(f.url, config.sources))
    summary = summary.model_copy(update={"expected": expected, "dataset": compact_task(out),
                                         "report": report_task(out)})  # fmt: skip
    markdown = (summary_to_markdown(summary) + f"\n\nDataset: {summary.dataset}\n\n"
                f"Review report: [{summary.report}](file://{summary.report})\n")  # fmt: skip
    get_run_logger().info(
        "harvest done: %d found, %d failed (%d expected), %d projects",
        summary.found, summary.failed, len(expected), summary.projects,
    )  # fmt: skip
    create_markdown_artifact(
        key=SUMMARY_ARTIFACT_KEY, markdown=markdown, description=f"harvest of {sources} into {out}"
    )
    return summary


def _expected(url: str, sources: tuple[Source, ...]) -> bool:
    return any(re.search(p, url) for s in sources for p in s.expected_failures)


def _extract_as_fetched(
    fetches: dict[PrefectFuture[FetchRecord], DocumentLink], out: str, bar: RunProgress
) -> tuple[list[FetchRecord], list[PrefectFuture[ExtractRecord | None]]]:
    """Submit an extract task for each new or changed document as soon as it is fetched.

    Documents with the same body are extracted one after the other, so two URLs serving
    the same file never write the same Parquet names at once.
    """
    records: list[FetchRecord] = []
    extracts: list[PrefectFuture[ExtractRecord | None]] = []
    last_by_sha: dict[str, PrefectFuture[ExtractRecord | None]] = {}
    for future in as_completed(list(fetches)):
        record = _fetched(future, fetches[future])
        records.append(record)
        if not record.needs_extraction or record.sha256 is None:
            bar.advance(failed=record.outcome is Outcome.FAILED)  # done: nothing to extract
            continue
        previous = last_by_sha.get(record.sha256)
        extract = extract_task.submit(
            record, out, return_state=False, wait_for=[previous] if previous else []
        )
        last_by_sha[record.sha256] = extract
        extracts.append(extract)
    return records, extracts


def _fetched(future: PrefectFuture[FetchRecord], link: DocumentLink) -> FetchRecord:
    """The task's record; a crashed task (a bug, not a bad document) becomes a failure."""
    result = future.result(raise_on_failure=False)
    if isinstance(result, FetchRecord):
        return result
    return FetchRecord(
        url=link.url,
        source=link.source,
        outcome=Outcome.FAILED,
        error=f"fetch task crashed: {result!r}",
    )


def _discovered(future: PrefectFuture[Discovery], source: Source) -> Discovery:
    """The task's discovery; a crashed task becomes a page failure of its source."""
    result = future.result(raise_on_failure=False)
    if isinstance(result, Discovery):
        return result
    failure = PageFailure(url=source.start_urls[0], reason=f"discovery crashed: {result!r}")
    return Discovery(source=source.name, failures=(failure,))


def argv_to_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    parser.add_argument("--sources", default=str(DEFAULT_SOURCES), help="sources TOML file")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="output directory")
    parser.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run tasks on an existing Dask cluster, e.g. tcp://host:8786",
    )
    parser.add_argument(
        "--quiet", action="store_true", help="no progress bar (there is none without a terminal)"
    )
    parser.add_argument(
        "--serve",
        action="store_true",
        help="serve with the yearly and monthly schedules (needs a Prefect server)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Check the sources file, then run (or serve) the flow; exit 2 on a bad config."""
    args = argv_to_args(argv)
    try:
        load_sources(args.sources)  # reject a bad file before Prefect starts
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    params = {"sources": str(Path(args.sources).resolve()), "out": str(Path(args.out).resolve()),
              "quiet": args.quiet}  # fmt: skip
    runnable = harvest
    if args.dask:
        from prefect_dask.task_runners import DaskTaskRunner

        runner = DaskTaskRunner(address=args.dask)
        runnable = harvest.with_options(task_runner=runner)  # type: ignore[arg-type]
    if args.serve:
        runnable.serve(
            name="harvest",
            parameters=params,
            schedules=[
                Cron(YEARLY_CRON, timezone=SCHEDULE_TIMEZONE),
                Cron(MONTHLY_CRON, timezone=SCHEDULE_TIMEZONE),
            ],
        )
        return 0
    start_reaper()  # a killed harvest leaves no temporary API server behind
    done: list[HarvestSummary] = []
    code = run_flow(lambda: done.append(runnable(**params)))
    if done:  # the summary as a table, after Prefect's log lines
        print("\n" + summary_to_text(done[0]))
    return code


if __name__ == "__main__":
    sys.exit(main())
