"""Documents named by URL (http, https, file): fetched into the raw store, then extracted."""

from __future__ import annotations

from pathlib import Path

from extract.harvest.fetch import Fetcher
from extract.harvest.store import RawStore
from extract.read.sniff import sniff_data


def fetch_to_store(url: str, out_dir: Path) -> Path:
    """Download ``url`` (with the harvest's timeouts, retries and size cap) into
    ``out_dir/raw/<sha256>.<ext>`` and return the stored file. Raises ``FetchError``."""
    with Fetcher() as fetcher:
        response = fetcher.get(url)
    body = response.body or b""
    _, path = RawStore(out_dir).put(body, sniff_data(body))
    return path
