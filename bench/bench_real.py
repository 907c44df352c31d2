"""Benchmark (issue #13): `extract run` against pdfplumber `extract_tables()` on every page,
on the real budgets of ../shared/corpus/positive, whole processes timed in alternating
pairs (one warm-up each, then A B A B …), the ratio taken pair by pair so that it holds while
the machine's speed drifts.

    .venv/bin/python bench/bench_real.py [--runs 3] [-k TEXT] [--json FILE]

Prints per document the median wall seconds of both, their ratio, the pages the table step
read (and how many of them pdfplumber read, the fast reader having left them), the table pages
per second of the whole `extract run` process, then the median ratio over the documents.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "positive"
PYTHON = sys.executable
PLUMBER = "import sys, pdfplumber\nwith pdfplumber.open(sys.argv[1]) as pdf:\n    " \
          "[p.extract_tables() for p in pdf.pages]\n"  # fmt: skip


def paired_runs(doc: Path, out: Path, runs: int, plumber: Path) -> dict[str, float]:
    """Median wall seconds of A (extract run) and B (pdfplumber), and of the pairs' A/B."""
    extract = [PYTHON, "-m", "extract", "run", str(doc), "--out", str(out), "--quiet"]
    reference = [PYTHON, str(plumber), str(doc)]
    _wall(extract), _wall(reference)  # warm-up: the file and the imports in the page cache
    pairs = [(_wall(extract), _wall(reference)) for _ in range(runs)]
    return {"extract_s": statistics.median(a for a, _ in pairs),
            "pdfplumber_s": statistics.median(b for _, b in pairs),
            "ratio": statistics.median(a / b for a, b in pairs)}  # fmt: skip


def _wall(cmd: list[str]) -> float:
    """Wall seconds of one whole process."""
    started = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def pages_read(out: Path) -> tuple[int, int]:
    """Table-step pages of the run: read by the fast reader, and left to pdfplumber."""
    rows = [r for f in (out / "documents").glob("*.parquet") for r in pq.read_table(f).to_pylist()]
    if not rows:
        return 0, 0
    return rows[0]["pages_pdfium"] or 0, rows[0]["pages_pdfplumber"] or 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("-k", dest="only", default="")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "real-latest.json")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        plumber = Path(tmp) / "plumber.py"
        plumber.write_text(PLUMBER, "utf-8")
        print(
            "| document | extract run | pdfplumber | ratio | table pages | by pdfplumber "
            "| pages/s |"
        )
        print("|---|---|---|---|---|---|---|")
        for doc in sorted(CORPUS.glob("*.pdf")):
            if args.only not in doc.name:
                continue
            out = Path(tmp) / doc.stem
            row = {"document": doc.name, **paired_runs(doc, out, args.runs, plumber)}
            fast, reference = pages_read(out)
            row["table_pages"], row["fallback_pages"] = fast + reference, reference
            row["pages_per_s"] = row["table_pages"] / row["extract_s"] if row["extract_s"] else 0
            results.append(row)
            print(f"| {doc.stem} | {row['extract_s']:.2f} s | {row['pdfplumber_s']:.2f} s | "
                  f"{row['ratio']:.2f} | {row['table_pages']} | {reference} | "
                  f"{row['pages_per_s']:.1f} |", flush=True)  # fmt: skip
    ratios = [r["ratio"] for r in results if r["ratio"] == r["ratio"]]
    if ratios:
        pages = sum(r["table_pages"] for r in results)
        fallback = sum(r["fallback_pages"] for r in results)
        seconds = sum(r["extract_s"] for r in results)
        print(f"\nmedian ratio {statistics.median(ratios):.2f} over {len(ratios)} documents "
              f"(max {max(ratios):.2f}); table pages per second of the whole process: median "
              f"{statistics.median(r['pages_per_s'] for r in results):.1f}, over all documents "
              f"{pages / seconds:.1f} ({pages} pages in {seconds:.1f} s); pages left to "
              f"pdfplumber: {fallback} of {pages} ({fallback / pages:.1%})")  # fmt: skip
    args.json.write_text(json.dumps(results, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
