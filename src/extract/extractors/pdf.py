"""PDF: a cheap text-layer pass (pypdfium2) finds candidate pages; pdfplumber reads tables
only on those, page by page, releasing each page's caches.

pdfplumber returns ``None`` for grid positions covered by a merged cell and ``""`` for an
empty cell; both are kept apart here and resolved by named rules in :mod:`extract.layouts`.
"""

from __future__ import annotations

import multiprocessing
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from ..errors import ExtractionError
from ..models import Format, Severity, Status
from ..settings import Settings
from ..textnorm import clean_cell, squash
from .base import Block, ExtractedDocument, Finding, RawRow, RawTable, TextLine

# Words that put a page on the candidate list; a page needs MIN_MARKERS hits among them.
CANDIDATE_MARKERS = (
    "一级指标", "二级指标", "三级指标", "指标值", "绩效指标", "产出指标", "效益指标",
    "满意度指标", "数量指标", "质量指标", "时效指标",
)  # fmt: skip
MIN_MARKERS = 3
MIN_TEXT_CHARS = 20  # a page with less text than this and an image is a scan
COVER_LINES = 15
DEDUPE_TOLERANCE = 1
DOUBLED_SHARE = 0.05  # above this share of doubled glyphs, a page is deduplicated
UNREADABLE_SHARE = 0.1  # real text has no control characters; glyph codes have many
CID_REPLACEMENT = "\ufffd"  # what a (cid:NNN) glyph becomes: never passed on as text
PARALLEL_MIN_PAGES = 6  # below this, forking workers costs more than it saves
TABLE_SETTINGS: dict[str, Any] = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
CID_RE = re.compile(r"\(cid:\d+\)")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass
class PageScan:
    """What the cheap pass learnt about one page."""

    number: int
    text: str
    has_image: bool

    @property
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
        chars = [c for c in self.text if c not in " \t\r\n"]
        junk = sum(1 for c in chars if ord(c) < 0x20 or c == "\ufffd")
        return len(chars) >= MIN_TEXT_CHARS and junk > len(chars) * UNREADABLE_SHARE

    @property
    def is_scan(self) -> bool:
        """No text layer worth the name, but an image."""
        return len(self.text.strip()) < MIN_TEXT_CHARS and self.has_image


def extract_pdf(path: Path, settings: Settings) -> ExtractedDocument:
    """Read the candidate pages' tables and the text around them."""
    scans = list(scan_pages(path))
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
        _read_tables(path, candidates, doc, settings.pdf_workers)
    return doc


def candidate_pages(scans: list[PageScan]) -> list[int]:
    """Pages that can hold the table, plus the page after each when it mentions a marker:
    a continuation page may hold a few indicator rows and no header."""
    strong = {s.number for s in scans if s.is_candidate}
    follow = {s.number for s in scans if s.number - 1 in strong and s.marker_count > 0}
    return sorted(strong | follow)


def scan_pages(path: Path) -> Iterator[PageScan]:
    """The text layer of every page, fast (pypdfium2)."""
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise ExtractionError(_pdfium_message(exc)) from exc
    try:
        for index in range(len(pdf)):
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
            yield PageScan(index + 1, text, has_image)
    finally:
        pdf.close()


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


def _read_tables(path: Path, pages: list[int], doc: ExtractedDocument, workers: int) -> None:
    """Table pages in page order; on several cores, contiguous chunks in forked workers."""
    chunks = _chunks(pages, workers if _may_fork(len(pages)) else 1)
    if len(chunks) == 1:
        blocks, findings = pages_to_blocks(path, pages)
    else:
        # This process reads the first chunk while forked workers read the others.
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=len(chunks) - 1, mp_context=context) as pool:
            rest = pool.map(pages_to_blocks, [path] * (len(chunks) - 1), chunks[1:])
            parts = [pages_to_blocks(path, chunks[0]), *rest]
        blocks = [b for part, _ in parts for b in part]
        findings = [f for _, part in parts for f in part]
    doc.blocks += blocks
    doc.findings += findings


def pages_to_blocks(path: Path, pages: list[int]) -> tuple[list[Block], list[Finding]]:
    """Blocks of the given pages, each page closed after use so memory stays flat."""
    blocks: list[Block] = []
    findings: list[Finding] = []
    try:
        # Only the wanted pages become Page objects (not every page of a 2,000-page file).
        pdf = pdfplumber.open(path, pages=pages)
    except (PdfminerException, PDFSyntaxError, PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ExtractionError(f"pdfplumber cannot open the PDF: {exc!r}") from exc
    with pdf:
        for page in pdf.pages:
            number = page.page_number
            try:
                blocks += page_to_blocks(page, number, findings)
            finally:
                page.close()  # releases the page's layout caches
    return blocks, findings


def _may_fork(page_count: int) -> bool:
    """Forking is safe only from a single-threaded process, and pays off from a few pages."""
    return (
        page_count >= PARALLEL_MIN_PAGES
        and threading.active_count() == 1
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
    tables = sorted(page.find_tables(TABLE_SETTINGS), key=lambda t: t.bbox[1])
    placed: list[tuple[float, Block]] = []
    for table in tables:
        rows = [RawRow(cells=list(r), page=number) for r in table.extract()]
        _flag_cids(rows, number, findings)
        placed.append((table.bbox[1], RawTable(rows=rows, page=number)))
    edges = [0.0, *(y for t in tables for y in (t.bbox[1], t.bbox[3])), float(page.height)]
    for top, bottom in zip(edges[::2], edges[1::2], strict=True):
        if bottom - top < 1:
            continue
        region = page.crop((0, top, page.width, bottom), strict=False)
        for line in region.extract_text_lines(return_chars=False):
            placed.append((line["top"], TextLine(line_text(line["text"]), number)))
    return [block for _, block in sorted(placed, key=lambda p: p[0])]


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
