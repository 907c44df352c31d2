"""Paths the tests share (importable as ``from _paths import …``)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
EXPECTED = FIXTURES / "expected"
SHARED = ROOT.parent / "shared"
SEED = FIXTURES / "text" / "seed-huadu.txt"
SEED_GB18030_CRLF = FIXTURES / "text" / "seed-huadu-gb18030-crlf.txt"
SHARED_SEED = SHARED / "seed" / "000_7111b0fb207c13b8.txt"
REALDOCS = SHARED / "realdocs"
