"""What a killed harvest started dies with it: a reaper process watches the harvest and, once
it is gone, stops the processes it had started (the temporary Prefect API server, workers)
that outlived it. Linux only (it reads ``/proc``); elsewhere nothing is started.

    python -m extract.harvest.reaper PID
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

PROC = Path("/proc")
POLL_S = 0.2  # a process started less than this before the harvest dies may be missed
TERM_GRACE_S = 3.0

Stamp = tuple[int, str]  # a pid and its start time: a pid the kernel reuses is not ours


def start_reaper() -> subprocess.Popen[bytes] | None:
    """Start the reaper of this process, in a session of its own (a Ctrl-C to the terminal's
    process group must not stop it before it has cleaned up)."""
    if not PROC.is_dir():
        return None
    return subprocess.Popen(
        [sys.executable, "-m", "extract.harvest.reaper", str(os.getpid())],
        start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _stat(pid: int) -> list[str] | None:
    try:
        return (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _stamp(pid: int) -> Stamp | None:
    fields = _stat(pid)
    return None if fields is None or fields[0] == "Z" else (pid, fields[19])


def alive(pid: int) -> bool:
    """Is ``pid`` running (a zombie has ended: only its exit status is left)?"""
    return _stamp(pid) is not None


def descendants(root: int) -> set[Stamp]:
    """Every live process below ``root``, with its start time."""
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: set[Stamp] = set()
    todo = list(children.get(root, []))
    while todo:
        pid = todo.pop()
        if (stamp := _stamp(pid)) is not None:
            found.add(stamp)
            todo += children.get(pid, [])
    return found


def reap(parent: int) -> int:
    """Watch ``parent``; when it has ended, stop what it left (SIGTERM, then SIGKILL)."""
    me = os.getpid()
    known: set[Stamp] = set()
    while alive(parent):
        known = {s for s in descendants(parent) if s[0] != me}
        time.sleep(POLL_S)
    left = [pid for pid, started in known if _stamp(pid) == (pid, started)]
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in left:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, sig)
        deadline = time.monotonic() + TERM_GRACE_S
        while left and time.monotonic() < deadline:
            left = [pid for pid, started in known if _stamp(pid) == (pid, started)]
            time.sleep(POLL_S / 5)
    return 0


if __name__ == "__main__":
    sys.exit(reap(int(sys.argv[1])))
