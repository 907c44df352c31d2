"""Run a harvest and SIGKILL the process on the n-th call of a chosen function.

Usage: python kill_harness.py SOURCES OUT TARGET N, where TARGET is one of the names in
``TARGETS``. Used by test_kill_safety.py; not a test module itself.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from typing import Any

from fakes import FakeRun

from extract.harvest import documents, harvest_config, load_sources
from extract.harvest.manifest import Manifest
from extract.output import atomic

TARGETS: dict[str, tuple[Any, str]] = {
    "os.replace": (atomic.os, "replace"),  # temp file written, not yet renamed
    "record_fetch": (Manifest, "record_fetch"),  # raw file in place, manifest not updated
    "record_extraction": (Manifest, "record_extraction"),  # outputs written, not recorded
    "remove_outputs": (documents, "remove_outputs"),  # changed body: old outputs still there
}


def kill_on_call(owner: Any, name: str, n: int) -> None:
    """Replace ``owner.name`` by a wrapper that kills the process on its n-th call."""
    original: Callable[..., Any] = getattr(owner, name)
    calls = {"count": 0}

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls["count"] += 1
        if calls["count"] == n:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(*args, **kwargs)

    setattr(owner, name, wrapper)


def main(argv: list[str]) -> int:
    sources, out, target, n = argv
    kill_on_call(*TARGETS[target], int(n))
    harvest_config(load_sources(sources), out, FakeRun())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
