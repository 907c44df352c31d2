"""Whether this process may fork: only when it runs a single thread, counted by the kernel
(``/proc/self/task``), since a thread started by a C library (an HTTP client, Prefect's
server, Arrow's pool) is invisible to :func:`threading.active_count` yet may hold a lock
that a forked child would wait on forever."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import threading

TASKS = "/proc/self/task"
PR_SET_PDEATHSIG = 1  # prctl(2): the signal this process gets when its parent dies


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


def die_with_parent() -> None:
    """Have the kernel kill this (worker) process when its parent dies, on Linux: a worker
    blocked on its pipe would otherwise wait for a parent that is gone, for good."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the pipe's end of file is all there is
        return
    if os.getppid() == 1:  # the parent died before the request was made
        os._exit(1)
