"""Per-host politeness: at most N requests at once and a minimum gap between request starts."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from extract.harvest.settings import DEFAULT_MAX_PER_HOST


class HostLimiter:
    """Thread-safe limiter keyed by host name.

    ``slot(host, delay)`` blocks until fewer than ``max_per_host`` requests to ``host`` are in
    flight and at least ``delay`` seconds have passed since the previous request to it started.
    One instance is shared by every thread of a process (see ``shared_limiter``); processes
    (Dask workers) each have their own, so the limit then holds per worker.
    """

    def __init__(
        self,
        max_per_host: int = DEFAULT_MAX_PER_HOST,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.max_per_host = max_per_host
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._gates: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}

    def _gate(self, host: str) -> threading.BoundedSemaphore:
        with self._lock:
            if host not in self._gates:
                self._gates[host] = threading.BoundedSemaphore(self.max_per_host)
            return self._gates[host]

    def _reserve_start(self, host: str, delay: float) -> float:
        """Book the next start time for ``host`` and return how long to wait for it."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next_start.get(host, now))
            self._next_start[host] = start + delay
            return start - now

    @contextmanager
    def slot(self, host: str, delay: float = 0.0) -> Iterator[None]:
        """Hold one of the host's request slots for the duration of the block."""
        gate = self._gate(host)
        with gate:
            wait = self._reserve_start(host, delay)
            if wait > 0:
                self._sleep(wait)
            yield


_SHARED: dict[int, HostLimiter] = {}
_SHARED_LOCK = threading.Lock()


def shared_limiter(max_per_host: int = DEFAULT_MAX_PER_HOST) -> HostLimiter:
    """The process-wide limiter for ``max_per_host`` (threads of one run share it)."""
    with _SHARED_LOCK:
        if max_per_host not in _SHARED:
            _SHARED[max_per_host] = HostLimiter(max_per_host)
        return _SHARED[max_per_host]
