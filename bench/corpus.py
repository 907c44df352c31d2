"""Real-corpus harness (issue #10): every document under ``../shared/corpus/`` (and
``../shared/realdocs/``) through the extractor, with health figures per document and in total.

    .venv/bin/python bench/corpus.py [--corpus DIR] [--json OUT.json] [--compare OLD.json] [-k STEM]

Per document: status, layout, table pages, projects (and the count of its reviewed
expectation in ``tests/realdocs/`` where there is one), indicators, issues by code, seconds,
and the health figures below. Every negative must give 0 projects; the script exits 1 when
one does not, or when a reviewed document's project count differs.

- ``amount_ok``: projects whose 总计 = 财政拨款 + 其他资金 (+ 财政专户拨款 …) holds, of those with
  a total and at least one component; ``sum_check``: whether the projects add up to a printed
  合计 / unit subtotal (``match``, ``mismatch``, or ``-`` when none is printed);
- ``canonical``: indicators whose 一级 and 二级 names are canonical, of those with levels printed;
- ``parsed``: indicators whose annual (or else period) target parsed to a number or a date;
- ``empty``: projects with no indicator, and indicators with an empty name or value.
Each row also keeps digests of the projects (names, codes, units, totals, goals), the
indicators (levels, names, targets) and the document facts, so that ``--compare`` names a
document whose content changed where every count stayed the same.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from extract.models import DocumentResult, Indicator, Project, TargetValue  # noqa: E402
from extract.run.isolation import extract_isolated  # noqa: E402
from extract.settings import Settings  # noqa: E402

SHARED = ROOT.parent / "shared"
TRUTHS = ROOT / "tests" / "realdocs"
SUFFIXES = {".pdf", ".docx", ".doc", ".xlsx", ".xls", ".txt"}
TOLERANCE = Decimal("0.01")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    parser.add_argument("--realdocs", type=Path, default=SHARED / "realdocs")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "corpus-latest.json")
    parser.add_argument("--compare", type=Path, help="an earlier --json to compare with")
    parser.add_argument("-k", dest="only", help="only documents whose path contains this")
    args = parser.parse_args(argv)
    docs = _documents(args.corpus, args.realdocs, args.only)
    if not docs:
        print(f"no documents under {args.corpus}", file=sys.stderr)
        return 2
    rows = []
    for group, path in docs:
        row = measure(group, path)
        rows.append(row)
        print(_line(row), flush=True)
    summary = _summary(rows)
    print(_summary_text(summary))
    args.json.write_text(json.dumps({"documents": rows, "summary": summary},
                                    ensure_ascii=False, indent=1), "utf-8")  # fmt: skip
    if args.compare:
        print(_compare(json.loads(args.compare.read_text("utf-8")), rows))
    return 1 if summary["failures"] else 0


def _documents(corpus: Path, realdocs: Path, only: str | None) -> list[tuple[str, Path]]:
    found = []
    for group, folder in (("positive", corpus / "positive"), ("negative", corpus / "negative"),
                          ("negative", realdocs)):  # fmt: skip
        if folder.is_dir():
            found += [(group, p) for p in sorted(folder.iterdir()) if p.suffix.lower() in SUFFIXES]
    return [(g, p) for g, p in found if only is None or only in str(p)]


def measure(group: str, path: Path) -> dict[str, Any]:
    """Extract one document and compute its figures."""
    started = time.monotonic()
    result = extract_isolated(path, source=str(path), settings=Settings())
    seconds = time.monotonic() - started
    if isinstance(result, str):  # not expected from extract_isolated, but never crash here
        raise RuntimeError(result)
    doc = result.document
    truth = _truth(path)
    return {
        "document": f"{path.parent.name}/{path.name}", "group": group,
        "status": doc.status.value, "layout": doc.layout.value if doc.layout else None,
        "table_pages": doc.table_pages, "projects": len(result.projects),
        "expected_projects": len(truth["projects"]) if truth else None,
        "indicators": len(result.indicators), "issues": dict(_issue_codes(result)),
        "evaluations": len(result.evaluations),
        "evaluation_indicators": len(result.evaluation_indicators),
        "evaluation_met": sum(1 for i in result.evaluation_indicators if i.met is not None),
        "seconds": round(seconds, 2), **_health(result), **_digests(result),
    }  # fmt: skip


def _digests(result: DocumentResult) -> dict[str, str]:
    """Short digests of what was read, so that --compare shows a change of names, amounts
    or values even where every count stays the same."""
    projects = [(p.project_name, p.project_code, p.unit_name, str(p.total_yuan), p.goal)
                for p in result.projects]  # fmt: skip
    indicators = [(i.project_seq, i.level1_name, i.level2_name, i.name, i.annual.raw,
                   i.annual.op, i.annual.value, i.annual.unit) for i in result.indicators]  # fmt: skip
    doc = result.document
    facts = (doc.department, doc.scope, doc.year, doc.amount_unit, doc.tables_skipped,
             doc.tables_not_read)  # fmt: skip
    return {"projects_digest": _digest(projects), "indicators_digest": _digest(indicators),
            "facts_digest": _digest(facts)}  # fmt: skip


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()[:12]


def _truth(path: Path) -> dict[str, Any] | None:
    file = TRUTHS / f"{path.stem}.truth.json"
    return json.loads(file.read_text("utf-8")) if file.exists() else None


def _issue_codes(result: DocumentResult) -> Counter[str]:
    return Counter(f"{i.severity.value}:{i.code}" for i in result.issues)


def _health(result: DocumentResult) -> dict[str, Any]:
    projects, indicators = result.projects, result.indicators
    checkable = [p for p in projects if _identity(p) is not None]
    levelled = [i for i in indicators if i.level1_raw or i.level2_raw]
    with_inds = {i.project_seq for i in indicators}
    codes = {i.code for i in result.issues}
    return {
        "amount_checkable": len(checkable),
        "amount_ok": sum(1 for p in checkable if _identity(p)),
        "sum_check": result.document.totals_check or "-",
        "levelled": len(levelled),
        "canonical": sum(1 for i in levelled if i.level1_name and i.level2_name),
        "parsed": sum(1 for i in indicators if _parsed(_target(i))),
        "projects_without_indicators": sum(1 for p in projects if p.project_seq not in with_inds),
        "indicators_empty": sum(1 for i in indicators if not i.name or not _target(i).raw),
        "unsplit_cells": sum(1 for i in result.issues if i.code == "indicators_unparsed"),
        "amount_mismatch_codes": sorted(c for c in codes if c.startswith("amount_")),
    }


def _identity(p: Project) -> bool | None:
    parts = [p.fiscal_yuan, p.special_account_yuan, p.other_yuan, p.government_fund_yuan]
    if p.total_yuan is None or all(x is None for x in parts):
        return None
    total = sum((x or Decimal(0) for x in parts), Decimal(0))
    with_carry = total + (p.carryover_yuan or Decimal(0))
    return abs(p.total_yuan - total) <= TOLERANCE or abs(p.total_yuan - with_carry) <= TOLERANCE


def _target(i: Indicator) -> TargetValue:
    return i.annual if i.annual.raw else i.period


def _parsed(t: TargetValue) -> bool:
    return t.value is not None or t.date is not None


def _line(r: dict[str, Any]) -> str:
    expected = "" if r["expected_projects"] is None else f"/{r['expected_projects']}"
    mark = " !" if _failure(r) else ""
    return (f"{r['status']:<9} {r['document']:<40} {r['layout'] or '-':<6} "
            f"pp={r['table_pages'] or '-':<7} proj={r['projects']}{expected:<4} "
            f"ind={r['indicators']:<4} amt={r['amount_ok']}/{r['amount_checkable']} "
            f"sum={r['sum_check']:<8} canon={r['canonical']}/{r['levelled']} "
            f"parsed={r['parsed']}/{r['indicators']} noind={r['projects_without_indicators']} "
            f"empty={r['indicators_empty']} {r['seconds']}s{mark}")  # fmt: skip


def _failure(r: dict[str, Any]) -> str | None:
    if r["group"] == "negative" and r["projects"]:
        return "negative with projects"
    if r["expected_projects"] is not None and r["projects"] != r["expected_projects"]:
        return "project count differs from the reviewed expectation"
    return None


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    pos = [r for r in rows if r["group"] == "positive"]
    neg = [r for r in rows if r["group"] == "negative"]

    def total(key: str, among: list[dict[str, Any]] = pos) -> int:
        return sum(r[key] for r in among)

    issues: Counter[str] = Counter()
    for r in rows:
        issues.update(r["issues"])
    return {
        "documents": len(rows), "positives": len(pos), "negatives": len(neg),
        "status": dict(Counter(r["status"] for r in pos)),
        "reviewed": sum(1 for r in pos if r["expected_projects"] is not None),
        "reviewed_exact_count": sum(1 for r in pos if r["expected_projects"] is not None
                                    and r["projects"] == r["expected_projects"]),
        "projects": total("projects"), "indicators": total("indicators"),
        "amount_ok": total("amount_ok"), "amount_checkable": total("amount_checkable"),
        "sum_match": sum(1 for r in pos if r["sum_check"] == "match"),
        "sum_mismatch": sum(1 for r in pos if r["sum_check"] == "mismatch"),
        "canonical": total("canonical"), "levelled": total("levelled"),
        "parsed": total("parsed"),
        "projects_without_indicators": total("projects_without_indicators"),
        "indicators_empty": total("indicators_empty"),
        "negative_projects": total("projects", neg),
        "evaluations": sum(r.get("evaluations", 0) for r in rows),
        "evaluation_indicators": sum(r.get("evaluation_indicators", 0) for r in rows),
        "evaluation_met": sum(r.get("evaluation_met", 0) for r in rows),
        "seconds": round(sum(r["seconds"] for r in rows), 1),
        "issues": dict(issues.most_common()),
        "failures": [f"{r['document']}: {f}" for r in rows if (f := _failure(r))],
    }  # fmt: skip


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.1f} %)" if b else f"{a}/0"


def _summary_text(s: dict[str, Any]) -> str:
    lines = [
        "",
        f"documents {s['documents']}: {s['positives']} positive, {s['negatives']} negative; "
        f"{s['seconds']} s",
        f"positives by status: {s['status']}",
        f"reviewed positives with the expected project count: "
        f"{s['reviewed_exact_count']}/{s['reviewed']}",
        f"projects {s['projects']}, indicators {s['indicators']}",
        f"amount identity holds: {_pct(s['amount_ok'], s['amount_checkable'])}; "
        f"documents matching a printed 合计/subtotal: {s['sum_match']} "
        f"(mismatch: {s['sum_mismatch']})",
        f"canonical L1/L2: {_pct(s['canonical'], s['levelled'])}; "
        f"values parsed: {_pct(s['parsed'], s['indicators'])}",
        f"projects without indicators: {s['projects_without_indicators']}; indicators with an "
        f"empty name or value: {s['indicators_empty']}",
        f"negatives' project rows: {s['negative_projects']}",
        f"self-evaluation forms: {s['evaluations']}, their indicators "
        f"{s['evaluation_indicators']} (target and result compared: {s['evaluation_met']})",
        "issues: " + ", ".join(f"{k}={v}" for k, v in list(s["issues"].items())[:15]),
    ]
    lines += [f"FAIL {f}" for f in s["failures"]]
    return "\n".join(lines)


def _compare(old: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    before = {r["document"]: r for r in old["documents"]}
    keys = ("status", "projects", "indicators", "amount_ok", "canonical", "parsed",
            "projects_without_indicators", "indicators_empty", "sum_check")  # fmt: skip
    contents = ("projects_digest", "indicators_digest", "facts_digest")
    out = ["", "changes against the earlier run:"]
    for r in rows:
        o = before.get(r["document"])
        if o is None:
            out.append(f"  {r['document']}: new")
            continue
        diffs = [f"{k} {o.get(k)}→{r[k]}" for k in keys if o.get(k) != r[k]]
        diffs += [f"{k.removesuffix('_digest')} changed" for k in contents
                  if k in o and o[k] != r.get(k)]  # fmt: skip
        if diffs:
            out.append(f"  {r['document']}: " + ", ".join(diffs))
    return "\n".join(out if len(out) > 2 else [*out, "  none"])


if __name__ == "__main__":
    sys.exit(main())
