"""One compaction at a time per output folder: an OS lock (``fcntl.flock``) on
``OUT/.compact.lock``, held from choosing the new version to writing ``budget.duckdb``. The
lock goes with its process: a compaction that is killed frees the folder at once."""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from extract.errors import FolderBusyError

LOCK_FILE = ".compact.lock"
POLL_S = 0.1


@contextlib.contextmanager
def folder_lock(out: Path, wait_s: float) -> Iterator[None]:
    """Hold ``out``'s compaction lock; wait up to ``wait_s`` seconds for another holder, then
    raise :class:`FolderBusyError` naming it."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_s
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise FolderBusyError(
                    f"another compaction of {out} is running{_holder(path)}; waited "
                    f"{wait_s:g} s: run `extract compact {out}` again when it has ended"
                )
            time.sleep(POLL_S)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(path: Path) -> str:
    try:
        pid = path.read_text("ascii").strip()
    except OSError:
        return ""
    return f" (process {pid})" if pid.isdigit() else ""
