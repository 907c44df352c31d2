"""Property tests (issue #6): the header matcher and the text extractor on generated input.

Small and fast (about 200 examples each); ``bench/fuzz.py`` runs the long campaign.
``extract_document`` never raises by design, so "no crash" is checked by its message: an
error that starts with ``unexpected`` is an exception the pipeline caught, i.e. a bug.
"""

from __future__ import annotations

import codecs
import math
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from _paths import SEED
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from extract.errors import ExtractionError
from extract.locate.headers import default_spec, find_header
from extract.models import DocumentResult, Layout, Status
from extract.read.txt import extract_txt
from extract.run.pipeline import extract_document
from extract.settings import Settings
from extract.values.parse import parse_value

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PACKED_HEADER = ["项目名称（资金使用单位）", "总计", "财政拨款", "财政专户拨款", "其他资金",
                 "绩效目标", "绩效指标"]  # fmt: skip
PACKED_ROLES = ["project_name", "total", "fiscal", "special_account", "other", "goal",
                "indicators_packed"]  # fmt: skip
SCAN_ROWS = 8

BOMS = (b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Found by bench/fuzz.py (docs/fuzzing.md); the src/ fixes remove these marks.
SPEC = default_spec()
HEADER_WORDS = sorted(SPEC.words)
REJECTED_WORDS = sorted(SPEC.rejected)
NOISE = st.text("abcxyz0123456789.,-（）() ", max_size=8)
CELL = st.one_of(st.none(), st.just(""), st.sampled_from(HEADER_WORDS), NOISE,
                 st.sampled_from(REJECTED_WORDS), st.text(max_size=6))  # fmt: skip
GRID = st.lists(st.lists(CELL, max_size=9), max_size=12)


# ------------------------------------------------------------------------- header matcher


def _grid(*rows: Sequence[str | None]) -> list[list[str | None]]:
    return [list(r) for r in rows]


@FAST
@given(GRID)
def test_find_header_never_raises_and_its_match_is_consistent(grid: list[list[str | None]]) -> None:
    match = find_header(grid, scan_rows=SCAN_ROWS)
    if match is None:
        return
    assert 0 <= match.first_row <= match.last_row < len(grid)
    assert match.first_row < SCAN_ROWS
    block = grid[match.first_row : match.last_row + 1]
    assert match.width == max(len(r) for r in block)
    assert all(0 <= c < match.width for cols in match.columns.values() for c in cols)
    rule = SPEC.layouts[match.layout]
    assert all(role in match.columns for role in rule.required)


@FAST
@given(st.permutations(range(len(PACKED_HEADER))), st.lists(st.lists(NOISE, max_size=7),
       max_size=SCAN_ROWS - 1))  # fmt: skip
def test_packed_header_is_found_in_any_column_order_below_noise(
    order: list[int], noise: list[list[str]]
) -> None:
    header = [PACKED_HEADER[i] for i in order]
    data = [
        "某项目",
        "1.00",
        "1.00",
        "",
        "",
        "目标",
        "1、1-产出指标；11-数量指标；x；年度指标值:1。",
    ]
    match = find_header(_grid(*noise, header, data), scan_rows=SCAN_ROWS)
    assert match is not None and match.layout is Layout.PACKED
    assert match.first_row == len(noise)
    for position, source in enumerate(order):
        assert position in match.columns[PACKED_ROLES[source]]


@FAST
@given(st.lists(st.sampled_from([" ", "\n", "\u3000", "\t"]), min_size=len(PACKED_HEADER),
                max_size=len(PACKED_HEADER)), st.integers(1, 3))  # fmt: skip
def test_wrapped_header_words_match_like_unwrapped(breaks: list[str], at: int) -> None:
    """PDF cells wrap inside words (``财政专户\\n拨款``): white space never changes a match."""
    wrapped = [w[:at] + b + w[at:] for w, b in zip(PACKED_HEADER, breaks, strict=True)]
    plain = find_header(_grid(PACKED_HEADER), scan_rows=SCAN_ROWS)
    match = find_header(_grid(wrapped), scan_rows=SCAN_ROWS)
    assert plain is not None and match is not None
    assert (match.layout, match.columns) == (plain.layout, plain.columns)


@FAST
@given(st.sampled_from(REJECTED_WORDS), st.integers(0, len(PACKED_HEADER)))
def test_a_results_column_rejects_the_table(word: str, at: int) -> None:
    """A 实际完成值/得分 column makes a self-evaluation table: not a target table."""
    header = [*PACKED_HEADER[:at], word, *PACKED_HEADER[at:]]
    assert find_header(_grid(header), scan_rows=SCAN_ROWS) is None


# ------------------------------------------------------------------------- text extractor


@cache
def _seed_parts() -> tuple[list[str], list[str], list[str], dict[str, int]]:
    """Seed lines before the table, the header+合计+unit rows, the project rows, and the
    indicator count of each project as the whole seed gives it."""
    lines = SEED.read_text("utf-8").splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("项目名称"))
    full = extract_document(SEED)
    counts = {p.project_name: 0 for p in full.projects}
    names = {p.project_seq: p.project_name for p in full.projects}
    for ind in full.indicators:
        counts[names[ind.project_seq]] += 1
    table = [ln for ln in lines[start:] if "\t" in ln]
    return lines[:start], table[:3], table[3:], counts


def _extract_bytes(data: bytes, suffix: str = ".txt") -> DocumentResult:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"doc{suffix}"
        path.write_bytes(data)
        return extract_document(path)


def _assert_no_caught_exception(result: DocumentResult) -> None:
    doc = result.document
    assert doc.status in set(Status)
    assert not (doc.error or "").startswith("unexpected"), doc.error
    assert doc.project_count == len(result.projects)
    assert doc.indicator_count == len(result.indicators)
    assert doc.issue_count == len(result.issues)


@FAST
@given(st.binary(max_size=4096))
def test_any_bytes_give_a_result_not_a_crash(data: bytes) -> None:
    result = _extract_bytes(data, ".pdf")
    _assert_no_caught_exception(result)
    if result.document.status is Status.FAILED:
        assert result.document.error


@FAST
@given(st.sampled_from(BOMS), st.binary(max_size=4096))
@example(codecs.BOM_UTF16_LE, b"\x00")  # odd length: a cut UTF-16 file
@example(codecs.BOM_UTF8, b"\x80")  # a UTF-8 BOM before bytes that are not UTF-8
def test_text_extractor_raises_only_extraction_error(bom: bytes, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.txt"
        path.write_bytes(bom + data)
        try:
            extract_txt(path, Settings())
        except ExtractionError as exc:
            assert str(exc)


@FAST
@given(
    st.lists(st.booleans(), min_size=9, max_size=9).filter(any),
    st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
)
def test_any_subset_of_seed_projects_reads_back(
    keep: list[bool], encoding: str, newline: str, blank_lines: bool
) -> None:
    """Dropping projects, re-encoding and changing line ends never changes what is read."""
    before, head, projects, counts = _seed_parts()
    chosen = [row for row, k in zip(projects, keep, strict=True) if k]
    sep = newline * 2 if blank_lines else newline
    text = newline.join(before) + newline + sep.join([*head, *chosen]) + newline
    data = text.encode(encoding)
    if encoding == "utf-16":
        data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    result = _extract_bytes(data)
    _assert_no_caught_exception(result)
    assert result.document.status in (Status.OK, Status.PARTIAL)
    names = [row.split("\t", 1)[0] for row in chosen]
    assert [p.project_name for p in result.projects] == names
    assert len(result.indicators) == sum(counts[n] for n in names)


MUTATION_CHARS = st.sampled_from(["\t", "\n", "\r", "\f", "、", "；", ":", "。", "(cid:12)",
                                  "1、", "-", "≥", "%", "合计", " ", "\x00", "\ufffd"])  # fmt: skip


@FAST
@given(st.lists(st.tuples(st.integers(0, 5000), st.integers(0, 40), MUTATION_CHARS),
                max_size=8))  # fmt: skip
def test_damaged_seed_tables_give_a_result_not_a_crash(
    edits: list[tuple[int, int, str]],
) -> None:
    """Cut and spliced seed tables: whatever comes out, no exception escapes a stage."""
    text = SEED.read_text("utf-8")
    for at, cut, insert in edits:
        at %= len(text) + 1
        text = text[:at] + insert + text[at + cut :]
    result = _extract_bytes(text.encode("utf-8"))
    _assert_no_caught_exception(result)


def test_header_narrower_than_rows_is_not_ok() -> None:
    """Minimised by bench/fuzz.py from a damaged seed: the rows are read against a header that
    lost two cells, so no row has its 绩效指标 where the header says, and none is a project."""
    text = SEED.read_text("utf-8").replace(
        "（资金使用单位）\t总计\t财政拨款\t", "（资金使用单位）\t", 1
    )
    result = _extract_bytes(text.encode("utf-8"))
    _assert_no_caught_exception(result)
    assert result.document.status is not Status.OK or result.projects


def test_overlong_number_is_not_infinite() -> None:
    """Minimised by bench/fuzz.py: the value grammar must not turn digits into infinity."""
    parsed, _ = parse_value("1" + "0" * 309)
    assert parsed.value is None or math.isfinite(parsed.value)
