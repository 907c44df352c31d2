"""The Prefect API a flow needs: a generous start for the temporary server, and one line
saying what to do when no API can be reached (never a traceback). Prefect is not imported
here: the defaults must be in the environment before it is."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

STARTUP_ENV = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"
# The temporary API server needs 13-20 s on 2 cores; Prefect gives up after 20 s by default.
STARTUP_SECONDS = "120"
EXIT_NO_API = 3
CONNECT_ERRORS = ("ConnectError", "ConnectTimeout", "ReadTimeout")  # httpx, a set API URL


def no_api_message(exc: BaseException) -> str | None:
    """One line for a failure to reach the Prefect API, or None for any other error."""
    url = os.environ.get("PREFECT_API_URL")
    if url is None and isinstance(exc, RuntimeError) and "Prefect API server" in str(exc):
        seconds = os.environ.get(STARTUP_ENV, STARTUP_SECONDS)
        return (f"error: the temporary Prefect API server did not start within {seconds} s; "
                "run `prefect server start` and set PREFECT_API_URL=http://127.0.0.1:4200/api, "
                f"or allow it more time with {STARTUP_ENV}")  # fmt: skip
    if url is not None and type(exc).__name__ in CONNECT_ERRORS:
        return (f"error: the Prefect API at {url} cannot be reached; start it with `prefect "
                "server start`, or unset PREFECT_API_URL to use a temporary one")  # fmt: skip
    return None


def run_flow(run: Callable[[], Any]) -> int:
    """Run a flow; a Prefect API that cannot be reached ends it with one line and exit 3."""
    try:
        run()
    except Exception as exc:  # anything else is re-raised below
        if (message := no_api_message(exc)) is None:
            raise
        print(message, file=sys.stderr)
        return EXIT_NO_API
    return 0
