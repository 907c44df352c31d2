"""The two .doc readers side by side: time per document of the Word 97 reader (median of
``--runs``) and of LibreOffice's conversion (once, where soffice is installed), and whether
they give the same tables.

    .venv/bin/python bench/doc_readers.py [--runs 20] [DOC ...]   # default: fixtures/docs/*.doc
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

from extract.read.base import RawTable
from extract.read.doc import read_libreoffice, read_word97
from extract.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def _tables(blocks: list[object]) -> list[list[list[str | None]]]:
    return [[r.cells for r in b.rows] for b in blocks if isinstance(b, RawTable)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    docs = args.docs or sorted((ROOT / "fixtures" / "docs").glob("*.doc"))
    soffice = shutil.which("soffice")
    print(f"{'document':<28} {'KB':>6} {'word97 ms':>10} {'LibreOffice ms':>15}  same tables")
    for doc in docs:
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            ours = read_word97(doc)
            times.append(time.perf_counter() - start)
        office, same = "–", "–"
        if soffice:
            start = time.perf_counter()
            theirs = read_libreoffice(doc, soffice, Settings())
            office = f"{(time.perf_counter() - start) * 1000:,.0f}"
            same = str(_tables(list(ours.blocks)) == _tables(list(theirs.blocks)))
        ms = statistics.median(times) * 1000
        print(f"{doc.name:<28} {doc.stat().st_size / 1024:>6.0f} {ms:>10.1f} {office:>15}  {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
