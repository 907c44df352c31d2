"""Benchmark: `extract run` against plain pdfplumber `extract_tables()` (issue #3).

Generates (once, cached in bench/.cache/) a 100-page budget-style PDF whose performance table
spans 20 pages and a 300-page one, by building .docx files with python-docx and converting them
with LibreOffice, as offices do. Then, each measurement in a fresh process:

  - wall time on all pages: extract_document() vs pdfplumber extract_tables() on every page;
  - wall time on the table pages only (a PDF holding just those pages);
  - peak RSS of each process (the largest of the process and its page workers);
  - the whole `python -m extract run` command (its worker process, Parquet written) against
    the plain pdfplumber script, both as processes.

Each time is given cold (the first run in a fresh interpreter, imports included: what the
extraction of one document costs in a one-off run) and warm (a second run in the same
process: what every further document costs in a harvest, whose worker process is reused).
The runs are interleaved; a ratio is the median of the ratios of the runs paired that way
(this VM's timings vary by up to 30 %), shown with their range and the ratio of the fastest
runs.

    .venv/bin/python bench/bench_pdf.py [--pages 100 300] [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CACHE = Path(__file__).resolve().parent / ".cache"
TABLE_PAGES = 20
OTHER_TABLES = ("部门收支总表", "部门收入总表", "部门支出总表", "财政拨款收支总表", "一般公共预算支出表",
                "一般公共预算基本支出表", "政府性基金预算支出表", "“三公”经费支出表")  # fmt: skip
WIDTHS_CM = (2.2, 1.3, 1.3, 1.3, 1.3, 3.0, 6.5)
HEADER = [
    "项目名称（资金使用单位）",
    "总计",
    "财政拨款",
    "财政专户拨款",
    "其他资金",
    "绩效目标",
    "绩效指标",
]
PROSE = ("本部门严格执行财政拨款预算管理规定，财政拨款收入主要用于保障机构正常运转和履行职能，"
         "其他资金按规定纳入预算管理。绩效目标管理覆盖全部项目支出，")  # fmt: skip


def build_docx(pages: int, path: Path) -> None:
    """A budget document: cover, prose pages, eight other tables, then the table on 20 pages."""
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    for section in doc.sections:
        section.left_margin = section.right_margin = Cm(2)
    doc.add_heading("某市某区基准测试局2024年部门预算", 0)
    prose_pages = pages - 1 - len(OTHER_TABLES) - TABLE_PAGES
    for n in range(prose_pages):
        doc.add_page_break()
        doc.add_paragraph(f"{n + 1}、预算编制说明")
        for _ in range(4):
            doc.add_paragraph(PROSE * 2)
    for title in OTHER_TABLES:
        doc.add_page_break()
        doc.add_paragraph(title)
        table = doc.add_table(rows=1, cols=4, style="Table Grid")
        for cell, text in zip(
            table.rows[0].cells, ["科目编码", "科目名称", "财政拨款", "其他资金"], strict=True
        ):
            cell.text = text
        for i in range(12):
            for cell, text in zip(
                table.add_row().cells,
                [f"201{i:02d}", "一般公共服务支出", "100.00", "0.00"],
                strict=True,
            ):
                cell.text = text
    seq = 0
    for page in range(TABLE_PAGES):
        doc.add_page_break()
        doc.add_paragraph("项目支出绩效目标表" if page == 0 else "项目支出绩效目标表（续）")
        if page == 0:
            doc.add_paragraph("部门名称：某市某区基准测试局")
            doc.add_paragraph("单位：万元")
        table = doc.add_table(rows=1, cols=len(HEADER), style="Table Grid")
        table.autofit = False
        for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
            cell.text = text
        for _ in range(2):
            seq += 1
            items = "".join(f"{k}、1-产出指标；11-数量指标；第{seq}项培训场次{k}；实施周期指标值:≥{k}场；年度指标值:≥{k}场。"
                            for k in range(1, 4))  # fmt: skip
            row = [
                f"基准项目{seq}",
                "10.00",
                "10.00",
                "",
                "",
                "完成年度培训任务，提升服务水平。",
                items,
            ]
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text
        for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, WIDTHS_CM, strict=True):
            grid_col.w = Cm(width)  # LibreOffice lays columns out from the grid
        doc.add_paragraph("")
    doc.save(path)


def build_pdf(pages: int) -> Path:
    """The cached benchmark PDF of about ``pages`` pages."""
    CACHE.mkdir(exist_ok=True)
    pdf = CACHE / f"budget-{pages}.pdf"
    if pdf.exists():
        return pdf
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit(
            "LibreOffice is needed to build the benchmark PDFs: apt-get install libreoffice-writer-nogui"
        )
    with tempfile.TemporaryDirectory() as tmp:
        docx = Path(tmp) / pdf.with_suffix(".docx").name
        build_docx(pages, docx)
        subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
                        "--convert-to", "pdf", "--outdir", str(CACHE), str(docx)],
                       check=True, capture_output=True, timeout=900)  # fmt: skip
    return pdf


def table_pages_pdf(pdf: Path) -> tuple[Path, list[int]]:
    """A PDF of just the pages that hold the performance table, and their numbers."""
    import pypdfium2 as pdfium

    out = pdf.with_name(pdf.stem + "-table-pages.pdf")
    src = pdfium.PdfDocument(str(pdf))
    numbers = [
        i
        for i in range(len(src))
        if "产出指标" in "".join(src[i].get_textpage().get_text_range().split())
    ]
    if not out.exists():
        new = pdfium.PdfDocument.new()
        new.import_pages(src, numbers)
        new.save(str(out))
    return out, [n + 1 for n in numbers]


CHILD = """
import json, resource, sys, time
from pathlib import Path
mode, path = sys.argv[1], Path(sys.argv[2])

def run():
    if mode == "extract":
        from extract.run.pipeline import extract_document
        result = extract_document(path)
        return {"status": result.document.status.value, "projects": len(result.projects),
                "indicators": len(result.indicators), "table_pages": result.document.table_pages}
    import pdfplumber
    rows = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            rows += sum(len(t) for t in page.extract_tables())
            page.close()
    return {"table_rows": rows}

start = time.perf_counter()
detail = run()
cold = time.perf_counter() - start
start = time.perf_counter()
run()
warm = time.perf_counter() - start
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"seconds": cold, "work_seconds": warm, "peak_rss_mb": rss / 1024, **detail}))
"""
"""One measurement: ``seconds``, the first run in a fresh interpreter (imports included: what
one ``extract run`` of one document pays), and ``work_seconds``, a second run of the same
document in that process (what each further document pays in a harvest's reused worker)."""


def run_once(mode: str, pdf: Path) -> dict[str, object]:
    """One measurement in a fresh interpreter; ``process_seconds`` is the wall time of the
    whole process (interpreter start-up included), as a shell user sees it."""
    if mode == "cli":
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "extract", "run", str(pdf), "--out", out,
                            "--quiet"], check=True, capture_output=True)  # fmt: skip
            return {"process_seconds": time.perf_counter() - start}
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(pdf)], check=True, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    # the child runs the work twice: its process time minus the second run is one run's
    result["process_seconds"] = wall - float(result["work_seconds"])  # type: ignore[arg-type]
    return result


def measure(cases: dict[str, tuple[str, Path]], repeat: int) -> dict[str, list[dict[str, object]]]:
    """Every case ``repeat`` times, interleaved (a, b, c, d, a, b, …) so that a slow spell of
    the machine hits all of them alike."""
    runs: dict[str, list[dict[str, object]]] = {key: [] for key in cases}
    for _ in range(repeat):
        for key, (mode, pdf) in cases.items():
            runs[key].append(run_once(mode, pdf))
    return runs


def fastest(runs: list[dict[str, object]], key: str = "seconds") -> dict[str, object]:
    return min(runs, key=lambda r: float(r[key]))  # type: ignore[arg-type]


_TIMES = ("seconds", "work_seconds", "peak_rss_mb", "process_seconds")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[100, 300])
    parser.add_argument("--repeat", type=int, default=7, help="runs per measurement, interleaved")
    args = parser.parse_args()
    report = {}
    for pages in args.pages:
        pdf = build_pdf(pages)
        only, numbers = table_pages_pdf(pdf)
        runs = measure({"all_extract": ("extract", pdf), "all_plumber": ("plumber", pdf),
                        "table_extract": ("extract", only), "table_plumber": ("plumber", only),
                        "all_cli": ("cli", pdf)}, args.repeat)  # fmt: skip
        res: dict[str, Any] = {key: fastest(r) for key, r in runs.items() if key != "all_cli"}
        cli_pairs = sorted(float(c["process_seconds"]) / float(p["process_seconds"])  # type: ignore[arg-type]
                           for c, p in zip(runs["all_cli"], runs["all_plumber"], strict=True))  # fmt: skip
        cli = float(fastest(runs["all_cli"], "process_seconds")["process_seconds"])  # type: ignore[arg-type]
        for kind, key in (("cold", "seconds"), ("warm", "work_seconds")):
            for part in ("all", "table"):
                pairs = sorted(float(e[key]) / float(p[key])  # type: ignore[arg-type]
                               for e, p in zip(runs[f"{part}_extract"], runs[f"{part}_plumber"],
                                               strict=True))  # fmt: skip
                res[f"pairs_{part}_{kind}"] = pairs
                res[f"ratio_{part}_{kind}"] = statistics.median(pairs)
                res[f"fastest_{part}_{kind}"] = (
                    res[f"{part}_extract"][key] / res[f"{part}_plumber"][key]
                )
        report[pages] = res
        print(f"\n{pages}-page document ({len(numbers)} table pages: {numbers[0]}-{numbers[-1]})")
        for key in ("all_extract", "all_plumber", "table_extract", "table_plumber"):
            r = res[key]
            rest = ", ".join(f"{k}={v}" for k, v in r.items() if k not in _TIMES)
            print(f"  {key:<14} {r['seconds']:6.2f} s cold  {r['work_seconds']:6.2f} s warm   "
                  f"peak RSS {r['peak_rss_mb']:5.0f} MB   {rest}")  # fmt: skip
        print("  extract ÷ extract_tables: median of the interleaved pairs (their range; ratio of "
              "the fastest runs)")  # fmt: skip
        for kind in ("cold", "warm"):
            cells = []
            for part, target in (("all", 0.35), ("table", 1.3)):
                pairs = res[f"pairs_{part}_{kind}"]
                cells.append(f"{part} pages {res[f'ratio_{part}_{kind}']:.3f} ({pairs[0]:.3f}-"
                             f"{pairs[-1]:.3f}; {res[f'fastest_{part}_{kind}']:.3f}), "
                             f"target ≤ {target}")  # fmt: skip
            print(f"  {kind}: " + "; ".join(cells).replace("table pages", "table pages only"))
        print(
            f"  peak RSS of extract: {res['all_extract']['peak_rss_mb']:.0f} MB (target < 500 MB)"
        )
        print(f"  whole command `python -m extract run` (worker process, Parquet written), fastest "
              f"{cli:.2f} s; ÷ a plain pdfplumber script as a process: median "
              f"{statistics.median(cli_pairs):.3f} ({cli_pairs[0]:.3f}-{cli_pairs[-1]:.3f})")  # fmt: skip


if __name__ == "__main__":
    main()
