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

from extract.harvest.reaper import alive, descendants

DOCS = sorted((ROOT / "fixtures" / "docs").glob("*.pdf"))
GRACE_S = 10.0  # the reaper: 0.2 s to see the harvest gone, 3 s of SIGTERM, then SIGKILL; slack for a busy machine
POLL_S = 0.02
START_TIMEOUT_S = 30.0
SERVER_START_TIMEOUT_S = 120.0
REAPER_SEES_S = 2.0


def _workers(pid: int) -> set[int]:
    return {p for p, _ in descendants(pid)}


def _left_after_grace(pids: set[int]) -> list[int]:
    """The processes still running after the grace period."""
    deadline = time.monotonic() + GRACE_S
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(POLL_S)
    return sorted(p for p in pids if alive(p))


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP])
def test_a_killed_run_leaves_no_worker(tmp_path: Path, sig: signal.Signals) -> None:
    args = [sys.executable, "-m", "extract", "run", *map(str, DOCS * 4),
            "--out", str(tmp_path / "out"), "--quiet"]  # fmt: skip
    run = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while len(workers := _workers(run.pid)) < 2 and run.poll() is None:
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(POLL_S)
        assert run.poll() is None, "the run ended before it could be killed"
        os.kill(run.pid, sig)
        run.wait(timeout=GRACE_S)
        assert _left_after_grace(workers) == [], "workers outlived their run"
    finally:
        if run.poll() is None:
            run.kill()


def _descendants(root: int) -> dict[int, str]:
    """Live processes below ``root`` and their command lines."""
    out = {}
    for pid in _workers(root):
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
        assert _left_after_grace(set(servers)) == [], "the API server outlived its harvest"
    finally:
        if harvest.poll() is None:
            harvest.kill()
        for pid in servers:  # what the reaper did not stop: stop it here, not in later tests
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
