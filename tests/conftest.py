"""Shared fixtures for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """A fresh output folder."""
    return tmp_path / "out"
