"""Fuzzing campaign (issue #6), outside CI: long Hypothesis runs over the parsers and the text
extractor. Arbitrary input must never raise (the parsers document no exception), the text
extractor may raise only ExtractionError, and extract_document must never catch one either
(its ``unexpected …`` message is an exception that escaped a stage).

    .venv/bin/python bench/fuzz.py                       # 200,000 examples, 2 processes
    .venv/bin/python bench/fuzz.py --examples 20000 --targets parse_value,split_packed

Examples are shared out by weight (fast targets get more). Each failure is printed with
Hypothesis' minimal falsifying example; ``--json`` writes a machine-readable summary.
The bugs it found (F1–F3) are fixed; see docs/fuzzing.md.
"""

from __future__ import annotations

import argparse
import codecs
import json
import math
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from hypothesis.reporting import with_reporter

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "fixtures" / "text" / "seed-huadu.txt"
DEFAULT_EXAMPLES = 200_000
DEFAULT_JOBS = 2
SCAN_ROWS = 8
BOMS = (b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
CJK = "产出效益满意度数量质量时效成本社会经济生态可持续影响服务对象指标项目培训人次完成率合格"
VALUE_CHARS = "0123456789.,%‰-~～—至到≥≤≧≦<>=＞＜《》人次个户万亿元年月日天前底内以上下约左右（）() 十二两百千零"
LEVEL_WARNINGS = frozenset({"unknown_level1", "unknown_level2", "level_code_mismatch"})

# ---------------------------------------------------------------------------- strategies


def value_text() -> st.SearchStrategy[str]:
    """Printed target values: arbitrary text, value-alphabet text, and composed values."""
    composed = st.builds(
        lambda pre, num, unit, post: f"{pre}{num}{unit}{post}",
        st.sampled_from(["", "≥", "≤", ">", "<", "=", "大于等于", "不低于", "不超过", "约", "控制在", "》"]),
        st.one_of(st.decimals(0, 10**6, places=2, allow_nan=False).map(str),
                  st.integers(0, 10**30).map(str), st.text("0123456789.", min_size=1, max_size=40),
                  st.text("0123456789", min_size=300, max_size=420),  # past float's range
                  st.sampled_from(["十二", "一百", "两", "三千五百"])),
        st.sampled_from(["", "%", "人", "人次", "万人次", "万元", "(平方米)", "元/人", "天", "个工作日"]),
        st.sampled_from(["", "以上", "及以上", "以内", "左右", "-100%", "～200", "。", "前"]),
    )  # fmt: skip
    return st.one_of(st.text(max_size=60), st.text(VALUE_CHARS, max_size=24), composed)


FIELD_TEXT = st.text(CJK + "，。%≥", min_size=1, max_size=12).filter(
    lambda s: s.strip(" \t\n；;。，,") == s
)
VALUE_FIELD = st.text(CJK + "0123456789.%≥≤，", min_size=1, max_size=12).filter(
    lambda s: s.strip(" \t\n；;。，,") == s
)
LEVEL_NAME = st.text(CJK, min_size=1, max_size=8)


@st.composite
def packed_cell(draw: st.DrawFn) -> tuple[str, list[tuple[str, str, str, str, str]]]:
    """A well-formed packed 绩效指标 cell and the items it was built from."""
    items = draw(st.lists(st.tuples(
        st.builds(lambda c, n: f"{c}-{n}", st.integers(1, 9), LEVEL_NAME),
        st.builds(lambda c, n: f"{c}-{n}", st.integers(11, 39), LEVEL_NAME),
        FIELD_TEXT, VALUE_FIELD, VALUE_FIELD,
    ), min_size=1, max_size=8))  # fmt: skip
    sep = draw(st.sampled_from(["；", ";"]))
    colon = draw(st.sampled_from([":", "："]))
    cell = "".join(
        f"{n}、{l1}{sep}{l2}{sep}{name}{sep}实施周期指标值{colon}{p}{sep}年度指标值{colon}{a}。"
        for n, (l1, l2, name, p, a) in enumerate(items, start=1)
    )
    return cell, items


def header_grid() -> st.SearchStrategy[list[list[str | None]]]:
    """Random grids of header words, rejected words, noise, ``None`` and ``""``."""
    from extract.locate.headers import default_spec

    spec = default_spec()
    cell = st.one_of(st.none(), st.just(""), st.sampled_from(sorted(spec.words)),
                     st.sampled_from(sorted(spec.rejected)), st.text(max_size=8),
                     st.sampled_from(sorted(spec.words)).map(lambda w: f"{w}（万元）"),
                     st.sampled_from(sorted(spec.words)).map(lambda w: w[:1] + "\n" + w[1:]))  # fmt: skip
    return st.lists(st.lists(cell, max_size=12), max_size=14)


def level_label() -> st.SearchStrategy[str | None]:
    """一级/二级 labels: framework names and synonyms with codes and separators, or noise."""
    from extract.values.framework import default_framework

    fw = default_framework()
    names = sorted({c.name for c in [*fw.level1.values(), *fw.level2.values()]} |
                   set(fw.level1) | set(fw.level2))  # fmt: skip
    coded = st.builds(
        lambda code, sep, name, tail: f"{code}{sep}{name}{tail}",
        st.sampled_from(["", "1", "2", "3", "11", "22", "24", "31", "999", "０１"]),
        st.sampled_from(["", "-", "－", "—", ".", "、", " "]),
        st.sampled_from(names), st.sampled_from(["", "指标", " ", "\n"]),
    )  # fmt: skip
    return st.one_of(st.none(), st.just(""), coded, st.text(max_size=20))


@st.composite
def text_document(draw: st.DrawFn) -> bytes:
    """Bytes for the text extractor: noise, BOM + noise, or a damaged or re-encoded seed."""
    kind = draw(st.sampled_from(["bytes", "bom", "seed_edit", "table", "rows"]))
    if kind == "bytes":
        return draw(st.binary(max_size=4096))
    if kind == "bom":
        bom: bytes = draw(st.sampled_from(BOMS[1:]))
        return bom + draw(st.binary(max_size=512))
    if kind == "table":
        from extract.locate.headers import default_spec

        words = sorted(default_spec().words)
        cell = st.one_of(st.sampled_from(words), st.text(max_size=10), value_text())
        rows = draw(st.lists(st.lists(cell, min_size=1, max_size=9), max_size=20))
        text = "\n".join("\t".join(r) for r in rows)
    elif kind == "rows":
        text = "\n".join("\t".join(r) for r in draw(rows_layout_table()))
    else:
        text = SEED.read_text("utf-8")
        edits = draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, 60),
                     st.sampled_from(["\t", "\n", "\r", "\f", "、", "；", ":", "。", "1、",
                                      "合计", "\t\t\t", "单位：元", "(cid:7)", "≥", " "])),
                     max_size=10))  # fmt: skip
        for at, cut, insert in edits:
            text = text[:at] + insert + text[at + cut :]
    encoding = draw(st.sampled_from(["utf-8", "gb18030", "utf-16", "utf-8-sig"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return text.replace("\n", newline).encode(encoding, errors="replace")


ROWS_HEADER = ["项目名称", "资金总额", "财政拨款", "绩效目标", "一级指标", "二级指标", "三级指标",
               "指标值", "计量单位", "指标性质", "备注", "年度指标值", "实施周期指标值"]  # fmt: skip
LEVELS = ["产出指标", "效益指标", "满意度指标", "成本指标", "数量指标", "质量指标", "时效指标",
          "社会效益指标", "可持续影响指标", "服务对象满意度指标", "经济成本指标", ""]  # fmt: skip


@st.composite
def rows_layout_table(draw: st.DrawFn) -> list[list[str]]:
    """A rows-layout table (one indicator per row) with blanks where a PDF or a .docx would
    merge cells: a header of rows-layout words in any order, then rows of plausible cells."""
    header = draw(st.lists(st.sampled_from(ROWS_HEADER), min_size=3, max_size=10, unique=True))
    cell = st.one_of(st.just(""), st.sampled_from(LEVELS), value_text(),
                     st.sampled_from(["培训经费", "合计", "单位：万元", "12.50", "1,280.00", "—"]))  # fmt: skip
    rows = draw(st.lists(st.lists(cell, min_size=len(header), max_size=len(header)),
                         max_size=25))  # fmt: skip
    return [header, *rows]


# ---------------------------------------------------------------------------- targets


def target_parse_value() -> Callable[..., None]:
    """parse_value: never raises, keeps the raw text, and returns a coherent value."""
    from extract.models import Op
    from extract.values.parse import parse_value

    @given(value_text(), st.one_of(st.none(), st.integers(1990, 2100)))
    def check(text: str, year: int | None) -> None:
        parsed, warnings = parse_value(text, year=year)
        assert parsed.raw == text
        assert all(w.code and w.message for w in warnings)
        if not all(n is None or math.isfinite(n) for n in (parsed.value, parsed.value_max)):
            raise AssertionError(f"{text!r} gives {parsed.value}, {parsed.value_max}")  # F3
        if parsed.op is Op.RANGE:
            assert parsed.value is not None and parsed.value_max is not None
        if parsed.qualitative:
            assert parsed.value is None and parsed.op is None

    return check


def target_split_packed() -> Callable[..., None]:
    """split_packed: never raises; a well-formed cell gives back exactly its items."""
    from extract.values.packed import split_packed

    @given(st.one_of(st.text(max_size=200),
                     st.text(st.sampled_from(list("1234、.-；;:：。产出指标数量年度实施周期值≥% \n")),
                             max_size=120), packed_cell().map(lambda c: c[0])))  # fmt: skip
    def never_raises(cell: str) -> None:
        items = split_packed(cell)
        assert items is None or (items and all(isinstance(i.name, str) for i in items))

    @given(packed_cell())
    def roundtrip(built: tuple[str, list[tuple[str, str, str, str, str]]]) -> None:
        cell, items = built
        got = split_packed(cell)
        assert got is not None
        assert [(i.level1, i.level2, i.name, i.period, i.annual) for i in got] == items

    return _compose(never_raises, roundtrip)


def target_find_header() -> Callable[..., None]:
    """find_header: never raises on random grids; a match is inside the grid and complete."""
    from extract.locate.headers import default_spec, find_header

    spec = default_spec()

    @given(header_grid(), st.integers(1, 10), st.integers(1, 5))
    def check(grid: list[list[str | None]], scan_rows: int, min_matches: int) -> None:
        match = find_header(grid, scan_rows=scan_rows, min_matches=min_matches)
        if match is None:
            return
        assert 0 <= match.first_row <= match.last_row < len(grid)
        assert match.first_row < scan_rows
        block = grid[match.first_row : match.last_row + 1]
        assert match.width == max(len(r) for r in block)
        assert all(0 <= c < match.width for cols in match.columns.values() for c in cols)
        assert all(role in match.columns for role in spec.layouts[match.layout].required)

    return check


def target_resolve_levels() -> Callable[..., None]:
    """resolve_levels: never raises; canonical names come from the framework; L2 wins."""
    from extract.values.framework import default_framework, resolve_levels

    fw = default_framework()
    l1_names = {c.name for c in fw.level1.values()}
    l2_by_name = {c.name: c for c in fw.level2.values()}

    @given(level_label(), level_label())
    def check(l1: str | None, l2: str | None) -> None:
        out = resolve_levels(l1, l2)
        assert out.level1_raw == (l1 or None) and out.level2_raw == (l2 or None)
        assert out.level1_name is None or out.level1_name in l1_names
        assert out.level2_name is None or out.level2_name in l2_by_name
        assert {code for code, _ in out.warnings} <= LEVEL_WARNINGS
        cat2 = l2_by_name.get(out.level2_name or "")
        if cat2 is not None and cat2.parent and out.level1_name is not None:
            assert out.level1_name == cat2.parent, (l1, l2, out)

    return check


def target_txt() -> Callable[..., None]:
    """extract_txt raises only ExtractionError; extract_document catches nothing unexpected."""
    from extract.errors import ExtractionError
    from extract.models import Status
    from extract.read.txt import extract_txt
    from extract.run.pipeline import extract_document
    from extract.settings import Settings

    tmp = Path(tempfile.mkdtemp(prefix="fuzz-txt-"))

    @given(text_document())
    def check(data: bytes) -> None:
        path = tmp / "doc.txt"
        path.write_bytes(data)
        try:
            extract_txt(path, Settings())
        except ExtractionError:
            pass
        result = extract_document(path)
        doc = result.document
        assert doc.status in set(Status)
        assert not (doc.error or "").startswith("unexpected"), doc.error
        assert (doc.project_count, doc.indicator_count, doc.issue_count) == (
            len(result.projects), len(result.indicators), len(result.issues))  # fmt: skip
        if not result.projects:
            # F2: a table read into zero projects was 'ok'; now it is 'partial' with an error.
            assert doc.status is not Status.OK, "status ok without any project"
            if doc.status is Status.PARTIAL:
                assert any(i.severity.value == "error" for i in result.issues), doc.error

    return check


def _compose(*tests: Callable[..., None]) -> Callable[..., None]:
    def run() -> None:
        for test in tests:
            test()

    run.hypothesis_parts = tests  # type: ignore[attr-defined]
    return run


TARGETS: dict[str, tuple[Callable[[bool], Callable[..., None]], float]] = {
    "split_packed": (target_split_packed, 0.15),
    "find_header": (target_find_header, 0.15),
    "txt": (target_txt, 0.10),
    "parse_value": (target_parse_value, 0.40),
    "resolve_levels": (target_resolve_levels, 0.20),
}
"""Target → (factory, share of the examples); slowest first, so two processes finish together."""


# ---------------------------------------------------------------------------- runner


@dataclass
class Outcome:
    """What one target's run found."""

    target: str
    examples: int
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)


def run_target(name: str, examples: int, seed: int | None) -> Outcome:
    """Run one target's property (or properties) for ``examples`` examples."""
    factory, _ = TARGETS[name]
    test = factory()
    parts = getattr(test, "hypothesis_parts", (test,))
    outcome = Outcome(name, examples)
    start = time.monotonic()
    for part in parts:
        lines: list[object] = []
        configured = settings(
            max_examples=max(1, examples // len(parts)), deadline=None, database=None,
            phases=[Phase.generate, Phase.shrink], print_blob=False,
            suppress_health_check=list(HealthCheck),
        )(part)  # fmt: skip
        if seed is not None:
            configured = hypothesis_seed(seed)(configured)
        try:
            with with_reporter(lines.append):
                configured()
        except Exception as exc:  # every failure is a finding
            subs = exc.exceptions if isinstance(exc, BaseExceptionGroup) else (exc,)
            outcome.failures += ["\n".join([*map(str, lines), describe(e)]) for e in subs]
    outcome.seconds = time.monotonic() - start
    return outcome


def describe(exc: BaseException) -> str:
    """The exception, where it was raised, and Hypothesis' notes (the falsifying example)."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"  at {frames[-1].filename}:{frames[-1].lineno} in {frames[-1].name}" if frames else ""
    return "".join(traceback.format_exception_only(type(exc), exc)).strip() + "\n" + where


def share_out(total: int, names: list[str]) -> dict[str, int]:
    """Examples per target, by weight."""
    weight = sum(TARGETS[n][1] for n in names)
    return {n: max(1, round(total * TARGETS[n][1] / weight)) for n in names}


def main(argv: list[str] | None = None) -> int:
    """Run the campaign; exit 1 when any target failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=DEFAULT_EXAMPLES, help="total examples")
    parser.add_argument("--targets", default=",".join(TARGETS), help="comma-separated targets")
    parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS, help="parallel processes")
    parser.add_argument("--seed", type=int, default=None, help="fixed seed (reproducible run)")
    parser.add_argument("--json", type=Path, help="write the summary here")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.targets.split(",") if n.strip()]
    unknown = sorted(set(names) - set(TARGETS))
    if unknown:
        parser.error(f"unknown target(s): {', '.join(unknown)}; known: {', '.join(TARGETS)}")
    plan = share_out(args.examples, names)
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(run_target, n, plan[n], args.seed)
                   for n in names]  # fmt: skip
        outcomes = [f.result() for f in futures]
    for o in outcomes:
        status = f"{len(o.failures)} FAILURE(S)" if o.failures else "ok"
        print(f"{o.target:<15} {o.examples:>8} examples  {o.seconds:7.1f} s  {status}")
        for failure in o.failures:
            print("    " + failure.replace("\n", "\n    "))
    if args.json:
        args.json.write_text(json.dumps([asdict(o) for o in outcomes], ensure_ascii=False,
                                        indent=2))  # fmt: skip
    return 1 if any(o.failures for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
