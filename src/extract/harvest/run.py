"""A whole harvest without Prefect: discover → fetch → extract → summary (sequential)."""

from __future__ import annotations

from pathlib import Path

from extract.harvest.discover import discover_source
from extract.harvest.documents import RunDocument, extract_document, fetch_document, prepare_out
from extract.harvest.records import Discovery, ExtractRecord, FetchRecord
from extract.harvest.session import SourceSession
from extract.harvest.sources import SourcesConfig
from extract.harvest.summary import HarvestSummary, dedupe_links, results_to_summary


def harvest_config(config: SourcesConfig, out_dir: Path | str, run: RunDocument) -> HarvestSummary:
    """Harvest every source of ``config`` into ``out_dir``; the flow does the same in tasks."""
    prepare_out(out_dir)
    sessions = {s.name: SourceSession(s, config.harvest) for s in config.sources}
    try:
        discoveries: list[Discovery] = [
            discover_source(s.source, s.fetcher, s.robots) for s in sessions.values()
        ]
        fetches: list[FetchRecord] = [
            fetch_document(link, out_dir, sessions[link.source])
            for link in dedupe_links(discoveries)
        ]
        extractions: list[ExtractRecord | None] = [
            extract_document(record, out_dir, run) for record in fetches
        ]
    finally:
        for session in sessions.values():
            session.close()
    return results_to_summary(discoveries, fetches, extractions)
