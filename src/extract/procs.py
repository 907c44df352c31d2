"""Whether this process may fork: only when it runs a single thread, counted by the kernel
(``/proc/self/task``), since a thread started by a C library (an HTTP client, Prefect's
server, Arrow's pool) is invisible to :func:`threading.active_count` yet may hold a lock
that a forked child would wait on forever."""

from __future__ import annotations

import multiprocessing
import os
import threading

TASKS = "/proc/self/task"


def may_fork() -> bool:
    """True in a single-threaded, non-daemon process on a platform that forks."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    if multiprocessing.current_process().daemon or threading.active_count() != 1:
        return False
    try:
        return len(os.listdir(TASKS)) == 1
    except OSError:  # no /proc: the interpreter's own count is all there is
        return True
