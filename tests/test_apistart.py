"""A Prefect API that cannot be reached ends a flow with one line, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _paths import ROOT

from extract.harvest.apistart import EXIT_NO_API, STARTUP_ENV, no_api_message, run_flow


def test_a_temporary_server_too_slow_to_start_gets_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv(STARTUP_ENV, "7")
    exc = RuntimeError("Timed out while attempting to connect to ephemeral Prefect API server.")
    message = no_api_message(exc) or ""
    assert "within 7 s" in message and "prefect server start" in message and "\n" not in message


def test_a_set_api_url_that_refuses_gets_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    exc = type("ConnectError", (Exception,), {})("connection refused")
    assert "http://127.0.0.1:9/api cannot be reached" in (no_api_message(exc) or "")


def test_other_errors_are_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    assert no_api_message(ValueError("bad")) is None
    with pytest.raises(ValueError):
        run_flow(lambda: (_ for _ in ()).throw(ValueError("bad")))


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_with_a_one_second_start_exits_with_the_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= {STARTUP_ENV: "1", "PREFECT_HOME": str(tmp_path / "prefect"),
            "PYTHON": sys.executable}  # fmt: skip
    done = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "run", f"OUT={tmp_path / 'out'}"],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode != 0, done.stderr[-2000:]
    assert f"Error {EXIT_NO_API}" in done.stderr  # make reports the flow's exit status 3
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "did not start within 1 s" in lines[0]
