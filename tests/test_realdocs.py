"""Real published budgets against their reviewed expectations (tests/realdocs/*.truth.json,
written from the rendered pages). Skips when ../shared/corpus is absent."""

from __future__ import annotations

import json
import re
import unicodedata
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from _paths import ROOT, SHARED

from extract.models import DocumentResult, Indicator, Project, TargetValue
from extract.pipeline import extract_document

CORPUS = SHARED / "corpus"
TRUTHS = sorted((ROOT / "tests" / "realdocs").glob("*.truth.json"))
TEXT_KEYS = {"project_name", "unit_name", "goal", "name", "level1", "level2", "nature",
             "scoring", "explanation", "note", "raw", "unit"}  # fmt: skip
MONEY_KEYS = {"total_yuan", "fiscal_yuan", "other_yuan", "special_account_yuan",
              "carryover_yuan"}  # fmt: skip

END_STOPS = "。；;，,"
LEVEL_CODE_RE = re.compile(r"^\d+\s*[-－—]\s*")

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")


def _truth(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text("utf-8"))


@cache
def _result(document: str) -> DocumentResult:
    return extract_document(CORPUS / document, settings={"isolate": False})


def _squash(text: str | None) -> str | None:
    return None if text is None else "".join(unicodedata.normalize("NFKC", text).split())


def _same(key: str, got: Any, want: Any) -> bool:
    if key == "raw":  # a packed item's closing 。 separates items: not part of the value
        return _squash(got or "").rstrip(END_STOPS) == _squash(want or "").rstrip(END_STOPS)
    if key in TEXT_KEYS:
        return _squash(got) == _squash(want)
    if key in MONEY_KEYS:
        return (None if got is None else Decimal(got)) == (None if want is None else Decimal(want))
    if isinstance(want, float | int) and not isinstance(want, bool) and got is not None:
        return abs(float(got) - want) < 1e-9
    return bool(got == want)


def _project_row(p: Project) -> dict[str, Any]:
    return p.model_dump(mode="json")


def _indicator_row(i: Indicator) -> dict[str, Any]:
    row = i.model_dump(mode="json")
    row["level1"], row["level2"] = _without_code(i.level1_raw), _without_code(i.level2_raw)
    return row


def _without_code(level: str | None) -> str | None:
    """``1-产出指标`` (packed cells print the code) → ``产出指标``, as the reviews write it."""
    return None if level is None else LEVEL_CODE_RE.sub("", level)


def _diff(where: str, got: dict[str, Any], want: dict[str, Any]) -> list[str]:
    return [f"{where} {k}: got {got.get(k)!r}, reviewed {v!r}"
            for k, v in want.items() if not _same(k, got.get(k), v)]  # fmt: skip


def _target_diff(where: str, got: TargetValue, want: dict[str, Any] | None) -> list[str]:
    if want is None:
        return [] if got.raw is None else [f"{where}: got {got.raw!r}, reviewed none"]
    return _diff(where, got.model_dump(mode="json"), want)


@pytest.mark.parametrize("path", TRUTHS, ids=[p.name.split(".")[0] for p in TRUTHS])
def test_every_project_in_order(path: Path) -> None:
    truth = _truth(path)
    result = _result(truth["document"])
    assert result.document.status.value in ("ok", "partial"), result.document.error
    got = [(_squash(p.project_name), str(p.total_yuan)) for p in result.projects]
    want = [(_squash(p["project_name"]), p["total_yuan"]) for p in truth["projects"]]
    assert got == want
    codes = [(p.project_code, q["project_code"]) for p, q in zip(result.projects,
             truth["projects"], strict=True) if "project_code" in q]  # fmt: skip
    assert [a for a, _ in codes] == [b for _, b in codes]


@pytest.mark.parametrize("path", TRUTHS, ids=[p.name.split(".")[0] for p in TRUTHS])
def test_reviewed_projects_exact_in_every_field(path: Path) -> None:
    truth = _truth(path)
    result = _result(truth["document"])
    problems: list[str] = []
    for want in truth["detailed"]:
        seq = want["seq"]
        project = result.projects[seq - 1]
        fields = {k: v for k, v in want.items() if k not in ("seq", "indicators")}
        problems += _diff(f"project {seq}", _project_row(project), fields)
        if "indicators" not in want:
            continue
        inds = [i for i in result.indicators if i.project_seq == seq]
        if len(inds) != len(want["indicators"]):
            problems.append(f"project {seq}: {len(inds)} indicators, reviewed "
                            f"{len(want['indicators'])}")  # fmt: skip
            continue
        for n, (ind, w) in enumerate(zip(inds, want["indicators"], strict=True), start=1):
            where = f"project {seq} indicator {n}"
            plain = {k: v for k, v in w.items() if k not in ("annual", "period")}
            problems += _diff(where, _indicator_row(ind), plain)
            problems += _target_diff(f"{where} annual", ind.annual, w.get("annual"))
            if "period" in w:
                problems += _target_diff(f"{where} period", ind.period, w["period"])
    known = {(k["where"], k["got"]) for k in truth.get("known_deviations", [])}
    seen = {k for k in known if any(p.startswith(f"{k[0]}: got {k[1]!r}") for p in problems)}
    problems = [p for p in problems if not any(p.startswith(f"{w}: got {g!r}") for w, g in known)]
    assert not problems, "\n".join(problems[:40])
    assert seen == known, f"known deviations that no longer occur (remove them): {known - seen}"


@pytest.mark.parametrize("path", TRUTHS, ids=[p.name.split(".")[0] for p in TRUTHS])
def test_document_facts(path: Path) -> None:
    truth = _truth(path)
    doc = _result(truth["document"]).document
    got = (doc.amount_unit, doc.department, doc.year)
    assert got == (truth["amount_unit"], truth["department"], truth["year"])


NEGATIVES = sorted((CORPUS / "negative").glob("*")) + sorted((SHARED / "realdocs").glob("*.pdf"))


@pytest.mark.parametrize("path", NEGATIVES, ids=[p.name for p in NEGATIVES])
def test_negatives_give_no_project_rows(path: Path) -> None:
    result = extract_document(path, settings={"isolate": False})
    assert result.projects == [], [p.project_name for p in result.projects[:5]]
    assert result.document.status.value == "no_table"
