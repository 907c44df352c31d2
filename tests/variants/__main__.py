"""Run many variants and report pass/fail per dimension and family (``make variants``).

    PYTHONPATH=tests .venv/bin/python -m variants [--count N] [--seed S] [--formats docx,xlsx,pdf]

Exit status 1 when any variant gives other records than its content; the first failing
file of each dimension is kept in a temporary folder, whose path is printed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .dims import EXTRA_FORMATS, FAMILY_NAMES, FORMATS, Variant, plan
from .run import Made, Outcome, check, make


def _alone(made: list[Made], outcomes: list[Outcome]) -> dict[tuple[str, str, str], bool]:
    """(family, format, dim=option) → whether that option alone passed."""
    return {(m.variant.family, m.variant.fmt, m.variant.dims_label): o.ok
            for m, o in zip(made, outcomes, strict=True) if m.variant.kind == "single"}  # fmt: skip


def _row_key(v: Variant, ok: bool, alone: dict[tuple[str, str, str], bool]) -> str:
    """The table row of a variant; a failing combination whose options all pass alone (or
    were not run alone) is an interaction."""
    if v.kind != "combined":
        return v.dims_label
    if ok or any(alone.get((v.family, v.fmt, f"{d}={o}")) is False for d, o in v.options):
        return "combined"
    return "combined (interaction)"


def report(made: list[Made], outcomes: list[Outcome], keep: Path) -> int:
    """Print the tables and the first failure of each dimension; the number of failures."""
    cells: dict[tuple[str, str], list[tuple[bool, str]]] = defaultdict(list)
    by_format: dict[tuple[str, str], list[tuple[bool, str]]] = defaultdict(list)
    first: dict[str, tuple[Made, Outcome]] = {}
    alone = _alone(made, outcomes)
    for m, o in zip(made, outcomes, strict=True):
        key = _row_key(m.variant, o.ok, alone)
        for column in (m.variant.family, "all"):
            cells[(key, column)].append((o.ok, m.variant.fmt))
        by_format[(m.variant.fmt, m.variant.family)].append((o.ok, ""))
        if not o.ok:
            first.setdefault(f"{m.variant.family}:{key}", (m, o))
    columns = [*[f for f in FAMILY_NAMES if any(k[1] == f for k in cells)], "all"]
    rows = list(dict.fromkeys(_row_key(m.variant, o.ok, alone)
                              for m, o in zip(made, outcomes, strict=True)))  # fmt: skip
    tail: list[str] = [r for r in ("combined", "combined (interaction)") if r in rows]
    rows = [r for r in rows if r not in tail] + tail

    def fmt(results: list[tuple[bool, str]]) -> str:
        """``2/3 FAIL:pdf`` (the formats that failed), or ``30/57 (27 FAIL)``."""
        if not results:
            return "-"
        bad = [f for ok, f in results if not ok]
        text = f"{len(results) - len(bad)}/{len(results)}"
        if bad and all(bad) and len(bad) <= 2:
            return f"{text} FAIL:{','.join(dict.fromkeys(bad))}"
        return f"{text} ({len(bad)} FAIL)" if bad else text

    width = max(len(r) for r in rows) + 2
    print(f"{'dimension':<{width}}" + "".join(f"{c:<20}" for c in columns))
    for r in rows:
        print(f"{r:<{width}}" + "".join(f"{fmt(cells[(r, c)]):<20}" for c in columns))
    print()
    print(f"{'format':<{width}}" + "".join(f"{c:<20}" for c in columns))
    for f in dict.fromkeys(m.variant.fmt for m in made):
        per = [fmt(by_format[(f, c)]) if c != "all" else
               fmt([x for (ff, _), v in by_format.items() if ff == f for x in v]) for c in columns]  # fmt: skip
        print(f"{f:<{width}}" + "".join(f"{p:<20}" for p in per))
    if first:
        print("\nfirst failure of each dimension (files kept in", keep, ")")
    keep.mkdir(parents=True, exist_ok=True)
    for label, (m, o) in first.items():
        kept = keep / m.path.name
        shutil.copyfile(m.path, kept)
        print(f"\n{label}  {m.variant.dims_label}  status={o.status}\n  {kept}")
        for line in o.diffs:
            print("   ", line)
    return sum(not o.ok for o in outcomes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="variants", description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="variants to run (default 300)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the plan (default 1)")
    parser.add_argument("--formats", default=",".join(FORMATS), help="docx,xlsx,pdf (and doc)")
    parser.add_argument("--families", default=",".join(FAMILY_NAMES), help="rows,packed,form")
    parser.add_argument("--jobs", type=int, default=2, help="processes (default 2)")
    args = parser.parse_args(argv)
    formats = tuple(f for f in args.formats.split(",") if f)
    families = tuple(f for f in args.families.split(",") if f)
    if not set(formats) <= {*FORMATS, *EXTRA_FORMATS} or not set(families) <= set(FAMILY_NAMES):
        parser.error(f"formats among {FORMATS + EXTRA_FORMATS}, families among {FAMILY_NAMES}")
    start = time.monotonic()
    variants = plan(args.count, args.seed, formats, families)
    tmp = Path(tempfile.mkdtemp(prefix="variants-"))
    made = make(variants, tmp / "files", jobs=args.jobs)
    made_s = time.monotonic() - start
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        outcomes = list(pool.map(check, made, chunksize=4))
    failures = report(made, outcomes, tmp / "failures")
    shutil.rmtree(tmp / "files", ignore_errors=True)
    if not failures:
        shutil.rmtree(tmp, ignore_errors=True)
    elapsed = time.monotonic() - start
    print(f"\n{len(made)} variants (seed {args.seed}, {','.join(formats)}): "
          f"{len(made) - failures} passed, {failures} failed in {elapsed:.0f} s "
          f"({made_s:.0f} s writing and converting)")  # fmt: skip
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
