"""Differential check (issue #13): the fast PDF reader (pypdfium2) against the reference
(pdfplumber) on every table page of the corpus positives and of the fixture PDFs.

    .venv/bin/python bench/diff_readers.py [-k TEXT] [--no-system-fonts] [FILE.pdf ...]

Prints each document's table pages, how many the fast reader read and how many it left to
pdfplumber (with the reason), every page whose blocks differ (and the first difference), and
every records table that differs. Exit status 1 when anything differs. ``--no-system-fonts``
hides the installed fonts from pdfium, as on a machine without CJK fonts (where a font the
PDF does not embed has no glyphs, and its pages go to pdfplumber).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extract.run.pdfdiff import compare_readers, hide_system_fonts

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "positive"
FIXTURES = ROOT / "fixtures" / "docs"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("-k", dest="only", default="")
    parser.add_argument("--no-system-fonts", action="store_true")
    args = parser.parse_args()
    if args.no_system_fonts:
        hide_system_fonts()
    files = args.files or [*sorted(CORPUS.glob("*.pdf")), *sorted(FIXTURES.glob("*.pdf"))]
    totals = {"pdfium": 0, "pdfplumber": 0, "differing pages": 0, "differing records": 0}
    for path in files:
        if args.only not in path.name:
            continue
        result = compare_readers(path)
        fast, ref = result.pages_read.get("pdfium", 0), result.pages_read.get("pdfplumber", 0)
        totals["pdfium"] += fast
        totals["pdfplumber"] += ref
        totals["differing pages"] += len(result.pages)
        totals["differing records"] += bool(result.records)
        verdict = "identical" if result.identical else "DIFFERS"
        print(f"{path.name}: {fast} pages fast, {ref} by pdfplumber: {verdict}", flush=True)
        for reason in result.fallback_reasons:
            print(f"  fallback: {reason}")
        for page, why in result.pages.items():
            print(f"  p.{page}: {why[:300]}")
        if result.records:
            print(f"  records differ: {', '.join(result.records)}")
    pages = totals["pdfium"] + totals["pdfplumber"]
    share = totals["pdfplumber"] / pages if pages else 0.0
    print(f"\n{pages} table pages: {totals['pdfium']} fast, {totals['pdfplumber']} by pdfplumber "
          f"({share:.1%}); {totals['differing pages']} pages differ; records differ in "
          f"{totals['differing records']} documents")  # fmt: skip
    return 1 if totals["differing pages"] or totals["differing records"] else 0


if __name__ == "__main__":
    sys.exit(main())
