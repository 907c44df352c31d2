"""A killed ``extract run`` leaves no process of its own behind (issue #22, part): its reader
and assembler workers (and their page workers) die with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _paths import ROOT

DOCS = sorted((ROOT / "fixtures" / "docs").glob("*.pdf"))
GRACE_S = 5.0
POLL_S = 0.02
START_TIMEOUT_S = 30.0


def _children(pid: int) -> set[int]:
    """Every live process whose parent is ``pid`` (read from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, ppid = fields[0], int(fields[1])
        if ppid == pid and state != "Z":
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status is left to collect


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP])
def test_a_killed_run_leaves_no_worker(tmp_path: Path, sig: signal.Signals) -> None:
    args = [sys.executable, "-m", "extract", "run", *map(str, DOCS * 4),
            "--out", str(tmp_path / "out"), "--quiet"]  # fmt: skip
    run = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while len(workers := _children(run.pid)) < 2 and run.poll() is None:
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(POLL_S)
        assert run.poll() is None, "the run ended before it could be killed"
        os.kill(run.pid, sig)
        run.wait(timeout=GRACE_S)
        deadline = time.monotonic() + GRACE_S
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(POLL_S)
        assert not [w for w in workers if _alive(w)], "workers outlived their run"
    finally:
        if run.poll() is None:
            run.kill()
