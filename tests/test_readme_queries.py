"""The README's three analyst questions, run as printed in DuckDB, pandas and polars on a copied
output folder opened from another directory: the three engines give the same answers, `year`
is NULL for the document that prints none, and the integers are integers."""

from __future__ import annotations

import math
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from _paths import FIXTURES, ROOT, SEED

from extract.cli import main

README = (ROOT / "README.md").read_text("utf-8")
BLOCK = next(
    b for b in re.findall(r"```python\n(.*?)```", README, re.S) if 'out = "extracted"' in b
)


@pytest.fixture(scope="module")
def moved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run's folder, then moved elsewhere: nothing may point back at where it was made."""
    made = tmp_path_factory.mktemp("made")
    assert main(["run", str(SEED), str(FIXTURES / "docs" / "form.pdf"),
                 str(FIXTURES / "docs" / "rows-merged.docx"), "--out", str(made / "out")]) == 0  # fmt: skip
    there = tmp_path_factory.mktemp("moved") / "copy of out"
    shutil.move(str(made / "out"), there)
    shutil.rmtree(made)
    return there


def _value(v: Any) -> Any:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    if isinstance(v, Decimal | float):
        return round(float(v), 2)
    return v.item() if hasattr(v, "item") else v


def _rows(result: Any) -> list[tuple[Any, ...]]:
    if hasattr(result, "fetchall"):  # DuckDB
        rows = result.fetchall()
    elif hasattr(result, "rows"):  # polars
        rows = result.rows()
    else:  # pandas: a Series or DataFrame indexed by the group keys
        frame = result.reset_index() if hasattr(result, "reset_index") else result
        rows = list(frame.itertuples(index=False, name=None))
    return sorted((tuple(_value(v) for v in row) for row in rows), key=repr)


def test_the_three_engines_answer_the_readmes_questions_alike(
    moved: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # another working directory
    preamble, *questions = re.split(r"\n(?=# \d\.)", BLOCK)
    scope: dict[str, Any] = {}
    exec(preamble.replace('out = "extracted"', f"out = {str(moved)!r}"), scope)
    assert len(questions) == 3
    answers = []
    for question in questions:
        lines = [ln for ln in question.splitlines()[1:] if ln.strip()]
        assert len(lines) == 3, question  # DuckDB, pandas, polars
        got = [_rows(eval(line, scope)) for line in lines]
        assert got[0] == got[1] == got[2], question.splitlines()[0]
        answers.append(got[0])
    money = dict(((d, y), v) for d, y, v in answers[0])
    assert any(year is None for _, year in money) and any(year == 2024 for _, year in money)
    assert sum(n for _, n, _ in answers[1]) == 25 + 22 + 50  # every indicator, once
    assert answers[2] and all(isinstance(n, int) for _, n in answers[2])


def test_year_and_integer_types_agree_in_every_engine(moved: Path) -> None:
    import duckdb
    import polars as pl

    frame = pd.read_parquet(moved / "dataset" / "documents")
    assert str(frame["year"].dtype) == "Int64" and str(frame["page_count"].dtype) == "Int64"
    one = pd.read_parquet(next((moved / "documents").glob("*.parquet")))
    assert str(one["page_count"].dtype) == "Int64"  # a per-document file too
    polars = pl.read_parquet(
        moved / "dataset" / "documents" / "**" / "*.parquet", hive_partitioning=True
    )
    with duckdb.connect(str(moved / "budget.duckdb"), read_only=True) as con:
        duck = dict(con.sql("SELECT file_name, year FROM documents").fetchall())
    assert duck == dict(
        zip(frame["file_name"], [None if y is pd.NA else y for y in frame["year"]], strict=True)
    )
    assert duck == dict(zip(polars["file_name"], polars["year"], strict=True))
    assert duck["seed-huadu.txt"] is None and duck["form.pdf"] == 2024
