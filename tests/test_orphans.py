"""A killed ``extract run`` or harvest leaves no process of its own behind (issue #22, part):
the reader and assembler workers (and their page workers) die with the run, and the
harvest's reaper stops the temporary Prefect API server of a killed harvest."""

from __future__ import annotations

import contextlib
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
SERVER_START_TIMEOUT_S = 120.0
REAPER_SEES_S = 1.0


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


def _descendants(root: int) -> dict[int, str]:
    """Live processes below ``root`` and their command lines."""
    from extract.harvest.reaper import descendants

    out = {}
    for pid, _ in descendants(root):
        with contextlib.suppress(OSError):
            out[pid] = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    return out


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
def test_a_killed_harvest_leaves_no_temporary_api_server(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env |= {"PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    args = [sys.executable, "flows/harvest.py", "--sources", "sources.toml",
            "--out", str(tmp_path / "out"), "--quiet"]  # fmt: skip
    harvest = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    servers: list[int] = []
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while not (
            servers := [p for p, cmd in _descendants(harvest.pid).items() if "uvicorn" in cmd]
        ):
            assert harvest.poll() is None, "the harvest ended before its server was seen"
            assert time.monotonic() < deadline, "no temporary API server started"
            time.sleep(POLL_S * 10)
        time.sleep(REAPER_SEES_S)  # the reaper looks every 0.2 s
        harvest.kill()
        harvest.wait(timeout=GRACE_S)
        deadline = time.monotonic() + GRACE_S
        while any(_alive(s) for s in servers) and time.monotonic() < deadline:
            time.sleep(POLL_S)
        assert not [s for s in servers if _alive(s)], "the API server outlived its harvest"
    finally:
        if harvest.poll() is None:
            harvest.kill()
        for pid in servers:  # what the reaper did not stop: stop it here, not in later tests
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
