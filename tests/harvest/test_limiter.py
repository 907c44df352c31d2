"""Per-host limiter: at most two requests at once per host and a gap between starts."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from scripted import PDF, Reply, ScriptedServer

from extract.harvest import Fetcher, HostLimiter


def test_at_most_two_at_once_per_host_but_hosts_are_independent() -> None:
    limiter = HostLimiter(2)
    active: dict[str, int] = {"a": 0, "b": 0}
    peak: dict[str, int] = {"a": 0, "b": 0}
    lock = threading.Lock()

    def work(host: str) -> None:
        with limiter.slot(host):
            with lock:
                active[host] += 1
                peak[host] = max(peak[host], active[host])
            time.sleep(0.03)
            with lock:
                active[host] -= 1

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(work, ["a", "b"] * 6))
    assert peak == {"a": 2, "b": 2}


def test_delay_between_request_starts() -> None:
    limiter = HostLimiter(2)
    starts: list[float] = []

    def work(_: int) -> None:
        with limiter.slot("h", delay=0.05):
            starts.append(time.monotonic())

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(work, range(4)))
    gaps = [b - a for a, b in zip(sorted(starts), sorted(starts)[1:], strict=False)]
    assert min(gaps) >= 0.045


def test_fetcher_threads_respect_the_limit(server: ScriptedServer, settings) -> None:
    server.route("/a.pdf", Reply(200, PDF, delay=0.05))
    limiter = HostLimiter(2)
    with Fetcher(settings, limiter=limiter) as fetcher, ThreadPoolExecutor(6) as pool:
        bodies = list(pool.map(lambda _: fetcher.get(server.url("/a.pdf")).body, range(6)))
    assert bodies == [PDF] * 6
    assert server.max_active == 2
