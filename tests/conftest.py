"""Shared fixtures for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """A fresh output folder."""
    return tmp_path / "out"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the Prefect flow tests (tests/flows) last. Their session-wide test server keeps
    background services running, which draw from the global ``random``; Hypothesis reports
    that as a strategy using ``random`` when it happens during one of its tests."""
    flows = [i for i in items if i.path.parent.name == "flows"]
    others = [i for i in items if i not in flows]
    items[:] = others + flows
