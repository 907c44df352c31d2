"""Soak (issue #22): harvests, reruns and compactions of one output folder, overlapping and
killed at random, for N minutes; then one clean pass and a check that the dataset holds
exactly what a clean run in a fresh folder gives, and that no process was left behind.

    .venv/bin/python bench/soak.py [--minutes 30] [--seed 1] [--out DIR]

The harvest is the bundled mock portal (sources.toml, offline) without Prefect
(``extract.harvest.harvest_config``); the reruns are ``extract run`` on the fixture PDFs and
.docx; the compactions ``extract compact``. Exit 1 on a lost or extra row, or a leftover.
"""

from __future__ import annotations

import argparse
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
DOCS = [
    str(p) for p in sorted((ROOT / "fixtures" / "docs").glob("*")) if p.suffix in (".pdf", ".docx")
]
HARVEST = ("from pathlib import Path; import sys; from extract.harvest import harvest_config, "
           "load_sources; from extract.run.pipeline import run_document; "
           "harvest_config(load_sources('sources.toml'), Path(sys.argv[1]), run_document)")  # fmt: skip
KILLS = (signal.SIGKILL, signal.SIGTERM, signal.SIGINT)
CONTENT = {
    "projects": "doc_id, project_seq, project_name, total_yuan",
    "indicators": "doc_id, project_seq, indicator_seq, name, annual_raw",
    "documents": "doc_id, status, project_count, indicator_count",
}


def _command(action: str, out: Path) -> list[str]:
    py = sys.executable
    if action == "harvest":
        return [py, "-c", HARVEST, str(out)]
    if action == "run":
        return [py, "-m", "extract", "run", *DOCS, "--out", str(out), "--quiet"]
    return [py, "-m", "extract", "compact", str(out)]


def _start(action: str, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(_command(action, out), cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip


def _clean_pass(out: Path) -> None:
    """What a person does after the storm: harvest and rerun once, then compact."""
    for action in ("harvest", "run", "compact"):
        subprocess.run(_command(action, out), cwd=ROOT, check=False, capture_output=True)


def _content(out: Path) -> dict[str, list[tuple[object, ...]]]:
    with duckdb.connect(str(out / "budget.duckdb"), read_only=True) as con:
        return {t: con.execute(f"SELECT {cols} FROM {t} ORDER BY ALL").fetchall()
                for t, cols in CONTENT.items()}  # fmt: skip


def _leftovers(out: Path) -> list[str]:
    found = subprocess.run(["pgrep", "-af", str(out)], capture_output=True, text=True).stdout
    return [line for line in found.splitlines() if "pgrep" not in line]


def soak(out: Path, minutes: float, rng: random.Random) -> dict[str, int]:
    counts = {"started": 0, "killed": 0}
    deadline = time.monotonic() + minutes * 60
    while time.monotonic() < deadline:
        procs = [_start(rng.choice(("harvest", "run", "compact", "compact")), out)
                 for _ in range(rng.randint(1, 3))]  # fmt: skip
        counts["started"] += len(procs)
        time.sleep(rng.uniform(0.2, 4.0))
        for proc in procs:
            if proc.poll() is None and rng.random() < 0.5:
                proc.send_signal(rng.choice(KILLS))
                counts["killed"] += 1
        for proc in procs:
            try:
                proc.wait(timeout=300)
            except subprocess.TimeoutExpired:
                proc.kill()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="the folder to soak (default: a temporary one)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        out = args.out or Path(tmp) / "out [soak]"
        started = time.monotonic()
        counts = soak(out, args.minutes, random.Random(args.seed))
        _clean_pass(out)
        time.sleep(6)  # a killed process's workers have 5 s to go
        clean = Path(tmp) / "clean"
        _clean_pass(clean)
        got, want = _content(out), _content(clean)
        lost = {t: len(set(want[t]) - set(got[t])) for t in CONTENT}
        extra = {t: len(set(got[t]) - set(want[t])) for t in CONTENT}
        left = _leftovers(out)
        print(f"{counts['started']} processes started, {counts['killed']} killed, "
              f"{time.monotonic() - started:.0f} s; rows lost {lost}, extra {extra}; "
              f"rows {({t: len(v) for t, v in want.items()})}; leftover processes {len(left)}")  # fmt: skip
        for line in left:
            print(f"  left: {line}")
        return 1 if any(lost.values()) or any(extra.values()) or left else 0


if __name__ == "__main__":
    sys.exit(main())
