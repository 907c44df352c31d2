"""PDF: a cheap text-layer pass (pypdfium2) finds candidate pages; pdfplumber reads tables
only on those, page by page, releasing each page's caches.

pdfplumber returns ``None`` for grid positions covered by a merged cell and ``""`` for an
empty cell; both are kept apart here and resolved by named rules in :mod:`extract.layouts`.
"""

from __future__ import annotations

import multiprocessing
import re
import threading
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from ..enums import Format, Severity, Status
from ..errors import ExtractionError
from ..settings import Settings
from ..textnorm import clean_cell, squash
from .base import Block, ExtractedDocument, Finding, RawRow, RawTable, TextLine, load_assembly
from .pdfclip import drop_hidden_chars, hidden_char_origins
from .pdfpages import SomePagesPDF

# Words that put a page on the candidate list; a page needs MIN_MARKERS hits among them.
CANDIDATE_MARKERS = (
    "一级指标", "二级指标", "三级指标", "指标值", "绩效指标", "产出指标", "效益指标",
    "满意度指标", "数量指标", "质量指标", "时效指标", "指标名称", "指标性质", "计量单位",
    "度量单位", "指标权重",
)  # fmt: skip
MIN_MARKERS = 3
MIN_TEXT_CHARS = 20  # a page with less text than this and an image is a scan
COVER_LINES = 15
DEDUPE_TOLERANCE = 1
DOUBLED_SHARE = 0.05  # above this share of doubled glyphs, a page is deduplicated
UNREADABLE_SHARE = 0.1  # real text has no control characters; glyph codes have many
CID_REPLACEMENT = "\ufffd"  # what a (cid:NNN) glyph becomes: never passed on as text
PARALLEL_MIN_PAGES = 6  # below this, forking workers costs more than it saves
PARALLEL_SCAN_MIN_PAGES = 60  # text-layer pass: a worker pays off from this many pages
TABLE_SETTINGS: dict[str, Any] = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
DESCENT = 0.12  # a glyph box's bottom below its baseline, in ems (typical CJK fonts)
BOX_SLACK = 0.3  # how far (in ems) a font's own metrics may move the box before it is fixed
FORM_NAME_LABEL = "项目名称"  # a form's head names its project
HEADER_SCAN_ROWS = 6  # where a table's header row is looked for
MIN_HEADER_CELLS = 3  # a header row names at least this many columns
DIGIT_RE = re.compile(r"\d")
CID_RE = re.compile(r"\(cid:\d+\)")
JUNK_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")  # control characters, U+FFFD
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass
class PageScan:
    """What the cheap pass learnt about one page."""

    number: int
    text: str
    has_image: bool

    @cached_property
    def marker_count(self) -> int:
        """How often the table's words occur on the page."""
        key = squash(self.text)
        return sum(key.count(m) for m in CANDIDATE_MARKERS)

    @property
    def is_candidate(self) -> bool:
        """Can this page hold the performance table?"""
        return self.marker_count >= MIN_MARKERS

    @property
    def is_unreadable(self) -> bool:
        """A text layer of glyph codes without a Unicode map: control characters, not text."""
        chars = len(self.text) - sum(self.text.count(c) for c in " \t\r\n")
        junk = len(JUNK_RE.findall(self.text))
        return chars >= MIN_TEXT_CHARS and junk > chars * UNREADABLE_SHARE

    @property
    def is_scan(self) -> bool:
        """No text layer worth the name, but an image."""
        return len(self.text.strip()) < MIN_TEXT_CHARS and self.has_image


def extract_pdf(path: Path, settings: Settings) -> ExtractedDocument:
    """Read the candidate pages' tables and the text around them."""
    count = page_count(path)
    parallel = settings.pdf_workers > 1 and _may_fork(count)
    context = multiprocessing.get_context("fork")
    # The workers are forked on first use (the text-layer pass of a long document, or the
    # table pages), from this process as it is then: without pydantic, see _read_tables.
    with ProcessPoolExecutor(max_workers=settings.pdf_workers, mp_context=context) \
            if parallel else nullcontext() as pool:  # fmt: skip
        return _extract_with(path, count, pool, settings.pdf_workers if parallel else 1)


def _extract_with(
    path: Path, count: int, pool: Executor | None, processes: int
) -> ExtractedDocument:
    scans = _scan(path, count, pool)
    doc = ExtractedDocument(format=Format.PDF, page_count=len(scans))
    candidates = candidate_pages(scans)
    scanned = [s.number for s in scans if s.is_scan]
    unreadable = [s.number for s in scans if s.is_unreadable]
    if scans and not candidates and len(unreadable) * 2 >= len(scans):
        doc.status = Status.NEEDS_OCR
        doc.error = (f"{len(unreadable)} of {len(scans)} pages have a text layer without a "
                     "Unicode map (fonts without ToUnicode): the text cannot be read; OCR "
                     "needed")  # fmt: skip
        return doc
    if scans and not candidates and len(scanned) * 2 >= len(scans):
        doc.status = Status.NEEDS_OCR
        doc.error = (
            f"{len(scanned)} of {len(scans)} pages are images without a text layer: OCR needed"
        )
        return doc
    if scanned:
        doc.findings.append(Finding(Severity.WARNING, "pages_without_text",
            f"pages without a text layer (not read): {_ranges(scanned)}"))  # fmt: skip
    doc.blocks += _context_lines(scans, candidates)
    if candidates:
        _read_tables(path, candidates, doc, pool, processes)
        read = set(candidates)
        while extra := repeated_header_pages(scans, read, doc.blocks) + form_head_pages(
            scans, read, doc.blocks
        ):
            _read_tables(path, extra, doc, pool, processes)
            read.update(extra)
        doc.blocks.sort(key=lambda b: b.page or 0)  # stable: in page order, as printed
    return doc


def repeated_header_pages(scans: list[PageScan], read: set[int], blocks: list[Block]) -> list[int]:
    """Unread pages next to a read table page whose text holds that table's header cells:
    the table goes on there with its header printed again, but no marker word."""
    headers = {b.page: cells for b in blocks
               if isinstance(b, RawTable) and b.page and (cells := _header_cells(b))}  # fmt: skip
    found: set[int] = set()
    for page, cells in headers.items():
        for step in (-1, 1):
            n = page + step
            while 1 <= n <= len(scans) and n not in read and n not in found:
                text = squash(scans[n - 1].text)
                if not all(c in text for c in cells):
                    break
                found.add(n)
                n += step
    return sorted(found)


def form_head_pages(scans: list[PageScan], read: set[int], blocks: list[Block]) -> list[int]:
    """Unread pages before a read page whose first table goes on with a form (its goal or
    indicator grid, no 项目名称): the form's head (name, amounts) is on the page before, which
    names no indicator and so was not a candidate."""
    from ..form import continues_form  # the form vocabulary; no pydantic

    firsts: dict[int, RawTable] = {}
    for b in blocks:
        if isinstance(b, RawTable) and b.page and b.page not in firsts:
            firsts[b.page] = b
    found = []
    for page, table in firsts.items():
        before = page - 1
        if before < 1 or before in read or FORM_NAME_LABEL not in squash(scans[before - 1].text):
            continue
        if continues_form([r.cells for r in table.rows]):
            found.append(before)
    return sorted(set(found))


def _header_cells(table: RawTable) -> list[str]:
    """The cells of a table's first header-like row: text in several cells, no digits."""
    for row in table.rows[:HEADER_SCAN_ROWS]:
        cells = [squash(c) for c in row.cells if c and squash(c)]
        if len(cells) >= MIN_HEADER_CELLS and not any(DIGIT_RE.search(c) for c in cells):
            return cells
    return []


def candidate_pages(scans: list[PageScan]) -> list[int]:
    """Pages that can hold the table, plus the page after each when it mentions a marker:
    a continuation page may hold a few indicator rows and no header."""
    strong = {s.number for s in scans if s.is_candidate}
    follow = {s.number for s in scans if s.number - 1 in strong and s.marker_count > 0}
    return sorted(strong | follow)


def page_count(path: Path) -> int:
    """Pages of the PDF; an unreadable or password-protected file raises ExtractionError."""
    pdf = _open_pdfium(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def _scan(path: Path, count: int, pool: Executor | None) -> list[PageScan]:
    """All pages' text layers; with a worker, the second half is read beside the first."""
    if pool is None or count < PARALLEL_SCAN_MIN_PAGES:
        return scan_pages(path)
    half = count // 2
    rest = pool.submit(scan_pages, path, half + 1, count)
    return [*scan_pages(path, 1, half), *rest.result()]


def _open_pdfium(path: Path) -> Any:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise ExtractionError(_pdfium_message(exc)) from exc


def scan_pages(path: Path, first: int = 1, last: int | None = None) -> list[PageScan]:
    """The text layer of pages ``first``..``last`` (1-based, inclusive), fast (pypdfium2)."""
    pdf = _open_pdfium(path)
    scans: list[PageScan] = []
    try:
        for index in range(first - 1, len(pdf) if last is None else last):
            page = pdf[index]
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
                # Only a page with (almost) no text can be a scan: look for images there only.
                has_image = len(text.strip()) < MIN_TEXT_CHARS and any(
                    True
                    for _ in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE], max_depth=1)
                )
            finally:
                textpage.close()
                page.close()
            scan = PageScan(index + 1, text, has_image)
            _ = scan.marker_count  # computed (and cached) where the page was read: in parallel
            scans.append(scan)
    finally:
        pdf.close()
    return scans


def _pdfium_message(exc: Exception) -> str:
    text = str(exc)
    if "password" in text.lower():
        return "the PDF is encrypted with a user password: it cannot be opened without it"
    return f"the PDF is damaged and cannot be opened ({text})"


def _context_lines(scans: list[PageScan], candidates: list[int]) -> list[Block]:
    """Cover lines (department, year) and the page before the table (its title)."""
    wanted = {1}
    if candidates and candidates[0] > 1:
        wanted.add(candidates[0] - 1)
    lines: list[Block] = []
    for scan in scans:
        if scan.number in wanted and scan.number not in candidates:
            texts = [t.strip() for t in scan.text.splitlines() if t.strip()]
            lines += [TextLine(line_text(t), scan.number) for t in texts[:COVER_LINES]]
    return lines


def _read_tables(
    path: Path, pages: list[int], doc: ExtractedDocument, pool: Executor | None, processes: int
) -> None:
    """Table pages in page order, in contiguous chunks, one per worker. While the workers
    read them, this process imports the rest of the pipeline (pydantic and the record
    models, about 0.25 s on a cold start), which a one-off run would otherwise pay after
    the pages; in a long-lived process that import is already done."""
    if pool is None or len(pages) < PARALLEL_MIN_PAGES:
        blocks, findings = pages_to_blocks(path, pages)
    else:
        futures = [pool.submit(pages_to_blocks, path, chunk) for chunk in _chunks(pages, processes)]
        load_assembly()
        parts = [f.result() for f in futures]
        blocks = [b for part, _ in parts for b in part]
        findings = [f for _, part in parts for f in part]
    doc.blocks += blocks
    doc.findings += findings


def pages_to_blocks(path: Path, pages: list[int]) -> tuple[list[Block], list[Finding]]:
    """Blocks of the given pages, each page closed after use so memory stays flat."""
    blocks: list[Block] = []
    findings: list[Finding] = []
    try:
        # Only the wanted pages are parsed, not every page of a 2,000-page file.
        pdf = SomePagesPDF.open(path, pages=pages)
    except (PdfminerException, PDFSyntaxError, PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ExtractionError(f"pdfplumber cannot open the PDF: {exc!r}") from exc
    clips = _open_pdfium(path)  # which characters a clip path hides (pdfminer cannot tell)
    with pdf:
        try:
            for page in pdf.pages:
                number = page.page_number
                try:
                    hidden = _hidden(clips, number, findings)
                    blocks += page_to_blocks(drop_hidden_chars(page, hidden), number, findings)
                finally:
                    page.close()  # releases the page's layout caches
        finally:
            clips.close()
    return blocks, findings


def _hidden(clips: Any, number: int, findings: list[Finding]) -> set[tuple[str, int, int]]:
    page = clips[number - 1]
    try:
        hidden = hidden_char_origins(page)
    finally:
        page.close()
    if hidden:
        findings.append(Finding(Severity.INFO, "clipped_text_dropped",
            f"p.{number}: {len(hidden)} characters hidden by a clipping path were not read "
            "(a merged cell's text drawn whole on each page it spans)", number))  # fmt: skip
    return hidden


def _may_fork(page_count: int) -> bool:
    """Forking is safe only from a single-threaded process, and pays off from a few pages."""
    return (
        page_count >= PARALLEL_MIN_PAGES
        and threading.active_count() == 1
        and not multiprocessing.current_process().daemon
        and "fork" in multiprocessing.get_all_start_methods()
    )


def _chunks(pages: list[int], workers: int) -> list[list[int]]:
    workers = max(1, min(workers, len(pages)))
    size = -(-len(pages) // workers)
    return [pages[i : i + size] for i in range(0, len(pages), size)]


def page_to_blocks(page: Any, number: int, findings: list[Finding]) -> list[Block]:
    """Tables and the text lines outside them, in reading order (top to bottom)."""
    if doubled_share(page.chars) > DOUBLED_SHARE:
        before = len(page.chars)
        page = page.dedupe_chars(tolerance=DEDUPE_TOLERANCE)
        findings.append(Finding(Severity.INFO, "doubled_glyphs",
            f"p.{number}: {before - len(page.chars)} doubled glyphs removed", number))  # fmt: skip
    fix_char_boxes(page.chars)
    tables = sorted(page.find_tables(_table_settings(page)), key=lambda t: t.bbox[1])
    placed: list[tuple[float, Block]] = []
    for table in tables:
        rows = [RawRow(cells=list(r), page=number) for r in table.extract()]
        _flag_cids(rows, number, findings)
        col_x = [round(c.bbox[0], 1) for c in table.columns]
        placed.append((table.bbox[1], RawTable(rows=rows, page=number, col_x=col_x)))
    edges = [0.0, *(y for t in tables for y in (t.bbox[1], t.bbox[3])), float(page.height)]
    for top, bottom in zip(edges[::2], edges[1::2], strict=True):
        if bottom - top < 1:
            continue
        region = page.crop((0, top, page.width, bottom), strict=False)
        for line in region.extract_text_lines(return_chars=False):
            placed.append((line["top"], TextLine(line_text(line["text"]), number)))
    return [block for _, block in sorted(placed, key=lambda p: p[0])]


def fix_char_boxes(chars: list[dict[str, Any]]) -> None:
    """Put each upright glyph's box where its baseline says, when its font's metrics put it
    a line away: some budget PDFs set digits in a font whose descent is a whole em, so
    pdfminer boxes ``120`` one line below the CJK text it is printed in (and a cell's text
    comes out with its numbers on the next line). Boxes within :data:`BOX_SLACK` of the
    usual place are left as they are."""
    for c in chars:
        m, size = c["matrix"], c["size"]
        if not size or m[1] or m[2] or m[0] <= 0 or m[3] <= 0:
            continue  # rotated, skewed or mirrored text: left to pdfminer
        shift = (m[5] - DESCENT * size) - c["y0"]
        if abs(shift) <= BOX_SLACK * size:
            continue
        c["y0"] += shift
        c["y1"] += shift
        c["top"] -= shift
        c["bottom"] -= shift
        c["doctop"] -= shift


def _table_settings(page: Any) -> dict[str, Any]:
    """Ruled tables; the topmost and bottommost rulings are drawn across the page, so that a
    merged cell cut open by the page edge (no bottom border: it goes on over the page) is
    still a cell and not an uncovered hole that loses its text."""
    rulings = [e["top"] for e in page.horizontal_edges]
    if not rulings:
        return TABLE_SETTINGS
    return {**TABLE_SETTINGS, "explicit_horizontal_lines": [min(rulings), max(rulings)]}


def doubled_share(chars: list[dict[str, Any]]) -> float:
    """Share of glyphs drawn twice at the same place (faux bold)."""
    seen: set[tuple[str, int, int]] = set()
    for c in chars:
        seen.add((c["text"], round(c["x0"]), round(c["top"])))
    return 1 - len(seen) / len(chars) if chars else 0.0


def line_text(text: str) -> str:
    """A text line outside tables: cleaned, without glyph codes or control characters."""
    cleaned = CID_RE.sub(CID_REPLACEMENT, clean_cell(text) or "")
    return CONTROL_RE.sub("", cleaned)


def _flag_cids(rows: list[RawRow], number: int, findings: list[Finding]) -> None:
    """Glyphs without a Unicode map come out as ``(cid:NNN)``: count them, flag the page,
    and replace each by U+FFFD so that glyph codes never pass for text."""
    hits = 0
    for row in rows:
        for i, cell in enumerate(row.cells):
            if cell and "(cid:" in cell:
                row.cells[i], n = CID_RE.subn(CID_REPLACEMENT, cell)
                hits += n
    if hits:
        findings.append(Finding(Severity.ERROR, "cid_glyphs",
            f"p.{number}: {hits} glyphs without a Unicode map ((cid:NNN), shown as "
            f"{CID_REPLACEMENT}); the font cannot be read as text, affected cells are "
            "unreliable", number))  # fmt: skip


def _ranges(numbers: list[int]) -> str:
    out: list[str] = []
    for n in numbers:
        if out and out[-1].split("-")[-1] == str(n - 1):
            out[-1] = f"{out[-1].split('-')[0]}-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)
