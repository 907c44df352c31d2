"""PDF: a cheap text-layer pass (pypdfium2) finds candidate pages; only those are read as
tables (:mod:`.readers`: the fast reader, pdfplumber where needed), page by page, most of them
in the pass itself while the page is loaded, in forked page workers for longer tables.

pdfplumber returns ``None`` for grid positions covered by a merged cell and ``""`` for an
empty cell; both are kept apart here and resolved by named rules in :mod:`extract.layouts.dispatch`.
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from extract.enums import Format, Severity, Status
from extract.procs import die_with_parent, may_fork
from extract.read.base import Block, ExtractedDocument, Finding, TextLine
from extract.read.pdf.page import line_text
from extract.read.pdf.readers import (
    PageBlocks,
    PagesRead,
    TableReader,
    combine,
    open_pdfium,
    pages_to_blocks,
    read_pages,
)
from extract.settings import Settings
from extract.values.textnorm import squash

__all__ = ["candidate_pages", "extract_pdf", "page_count", "pages_to_blocks", "scan_and_read"]

# Words that put a page on the candidate list; a page needs MIN_MARKERS hits among them.
CANDIDATE_MARKERS = (
    "一级指标", "二级指标", "三级指标", "指标值", "绩效指标", "产出指标", "效益指标",
    "满意度指标", "数量指标", "质量指标", "时效指标", "指标名称", "指标性质", "计量单位",
    "度量单位", "指标权重",
)  # fmt: skip
MIN_MARKERS = 3
MIN_TEXT_CHARS = 20  # a page with less text than this and an image is a scan
COVER_LINES = 15
UNREADABLE_SHARE = 0.1  # real text has no control characters; glyph codes have many
PARALLEL_MIN_PAGES = 6  # below this, forking workers costs more than it saves
SCAN_BATCH = 8  # pages scanned together, their table pages read before the next batch
LEAD_BATCH = 1  # pages this process reads at a time before the rest may be shared
SHARE_AFTER = 1  # table pages met before the rest of the document is shared with workers
SHARE_MIN_REST = 8  # pages that must be left for sharing them to pay
JUNK_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")  # control characters, U+FFFD


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


# The pages a read table goes on to, beyond the candidates (the locate stage's rule,
# :func:`extract.locate.pages.more_table_pages`): (scans, pages read, blocks) → page numbers.
MorePages = Callable[[list["PageScan"], set[int], list[Block]], list[int]]


def extract_pdf(
    path: Path, settings: Settings, more_pages: MorePages | None = None
) -> ExtractedDocument:
    """Read the candidate pages' tables and the text around them, then the pages
    ``more_pages`` finds the tables go on to, until it finds none."""
    count = page_count(path)
    parallel = settings.pdf_workers > 1 and _may_fork(count)
    context = multiprocessing.get_context("fork")
    # The workers are forked on first use (the text-layer pass of a long document, or the
    # table pages), from this process as it is then: without pydantic (extract.run.pipeline).
    with ProcessPoolExecutor(max_workers=settings.pdf_workers, mp_context=context,
                             initializer=die_with_parent) \
            if parallel else nullcontext() as pool:  # fmt: skip
        workers = settings.pdf_workers if parallel else 1
        return _extract_with(path, count, pool, workers, settings.pdf_reader, more_pages)


def _extract_with(
    path: Path, count: int, pool: Executor | None, processes: int, reader: str,
    more_pages: MorePages | None = None,
) -> ExtractedDocument:  # fmt: skip
    scans, first = _scan_and_read(path, count, pool, processes, reader)
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
        read = {s.number for s in scans if s.is_candidate}  # read by the text-layer pass
        rest = [n for n in candidates if n not in read]
        _add(doc, combine([*first, *_read_parts(path, rest, pool, processes, reader)], reader))
        read.update(rest)
        while more_pages and (extra := more_pages(scans, read, doc.blocks)):
            _read_tables(path, extra, doc, pool, processes, reader)
            read.update(extra)
        doc.blocks.sort(key=lambda b: b.page or 0)  # stable: in page order, as printed
    return doc


def candidate_pages(scans: list[PageScan]) -> list[int]:
    """Pages that can hold the table, plus the page after each when it mentions a marker:
    a continuation page may hold a few indicator rows and no header."""
    strong = {s.number for s in scans if s.is_candidate}
    follow = {s.number for s in scans if s.number - 1 in strong and s.marker_count > 0}
    return sorted(strong | follow)


def page_count(path: Path) -> int:
    """Pages of the PDF; an unreadable or password-protected file raises ExtractionError."""
    pdf = open_pdfium(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def _scan_and_read(
    path: Path, count: int, pool: Executor | None, processes: int, reader: str
) -> tuple[list[PageScan], list[PagesRead]]:
    """Every page's text layer, and the tables of the pages that hold the table's words,
    read while the page is loaded. This process reads from the first page on; once it has
    met :data:`SHARE_AFTER` table pages with at least :data:`SHARE_MIN_REST` pages to go, the
    rest is dealt out in turn to the workers and to it (it keeps the smallest share). When
    the table pages end a document, they stay in one process: the run is then short, its
    time the process start, and a worker's fork and second parse of the page fonts would add
    to the work while the calling process imports beside it."""
    numbers = list(range(1, count + 1))
    futures = []
    with PassReader(path, reader) as here:
        at = 0
        while at < len(numbers):
            rest = numbers[at:]
            if pool is not None and here.candidates >= SHARE_AFTER and len(rest) >= SHARE_MIN_REST:
                *theirs, mine = _shares(rest, processes)  # the last share is the smallest
                futures = [pool.submit(scan_and_read, path, share, reader) for share in theirs]
                here.scan(mine)
                break
            here.scan(rest[:LEAD_BATCH])
            at += LEAD_BATCH
        results = [(here.scans, here.finish()), *(f.result() for f in futures)]
    scans = sorted((scan for found, _ in results for scan in found), key=lambda s: s.number)
    return scans, [done for _, done in results]


def scan_and_read(
    path: Path, numbers: list[int], reader: str = "auto"
) -> tuple[list[PageScan], PagesRead]:
    """The text layer of the given pages and the tables of those that are candidates by
    their own words (:class:`PassReader`)."""
    with PassReader(path, reader) as here:
        here.scan(numbers)
        return here.scans, here.finish()


class PassReader:
    """The text-layer pass over one document, reading each candidate page's tables while the
    page is loaded (it is parsed once): a batch of pages is scanned, then its table pages are
    read, so no more than a batch is open at a time."""

    def __init__(self, path: Path, reader: str) -> None:
        self.pdf = open_pdfium(path)
        try:
            self.tables = TableReader(path, self.pdf, reader)
        except BaseException:
            self.pdf.close()
            raise
        self.scans: list[PageScan] = []
        self.candidates = 0

    def scan(self, numbers: list[int]) -> None:
        for start in range(0, len(numbers), SCAN_BATCH):
            loaded: dict[int, tuple[object, object]] = {}
            for number in numbers[start : start + SCAN_BATCH]:
                page = self.pdf[number - 1]
                textpage = page.get_textpage()
                self.scans.append(scan := _scan_page(number, page, textpage))
                if scan.is_candidate:
                    loaded[number] = (page, textpage)
                else:
                    textpage.close()
                    page.close()
            self.candidates += len(loaded)
            self.tables.read(sorted(loaded), loaded)

    def finish(self) -> PagesRead:
        return self.tables.finish()

    def __enter__(self) -> PassReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.tables.close()
        self.pdf.close()


def _scan_page(number: int, page: Any, textpage: Any) -> PageScan:
    text = textpage.get_text_range()
    # Only a page with (almost) no text can be a scan: look for images there only.
    has_image = len(text.strip()) < MIN_TEXT_CHARS and any(
        True for _ in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE], max_depth=1)
    )
    scan = PageScan(number, text, has_image)
    _ = scan.marker_count  # computed (and cached) where the page was read: in parallel
    return scan


def _shares(numbers: list[int], workers: int) -> list[list[int]]:
    """The pages dealt to the workers one by one, in turn: table pages bunch together, and a
    few of them are most of the work."""
    shares = [numbers[i :: max(1, workers)] for i in range(max(1, workers))]
    return [share for share in shares if share]


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
    path: Path, pages: list[int], doc: ExtractedDocument, pool: Executor | None,
    processes: int, reader: str,
) -> None:  # fmt: skip
    """Table pages in page order, in contiguous chunks, one per worker."""
    _add(doc, combine(_read_parts(path, pages, pool, processes, reader), reader))


def _read_parts(
    path: Path, pages: list[int], pool: Executor | None, processes: int, reader: str
) -> list[PagesRead]:
    if not pages:
        return []
    if pool is None or len(pages) < PARALLEL_MIN_PAGES:
        return [read_pages(path, pages, reader)]
    futures = [pool.submit(read_pages, path, chunk, reader) for chunk in _chunks(pages, processes)]
    return [f.result() for f in futures]


def _add(doc: ExtractedDocument, read: PageBlocks) -> None:
    blocks, findings, counts = read
    doc.blocks += blocks
    doc.findings += findings
    for name, count in counts.items():
        doc.pages_read[name] = doc.pages_read.get(name, 0) + count


def _may_fork(page_count: int) -> bool:
    """Forking is safe only from a single-threaded process, and pays off from a few pages."""
    return page_count >= PARALLEL_MIN_PAGES and may_fork()


def _chunks(pages: list[int], workers: int) -> list[list[int]]:
    workers = max(1, min(workers, len(pages)))
    size = -(-len(pages) // workers)
    return [pages[i : i + size] for i in range(0, len(pages), size)]


def _ranges(numbers: list[int]) -> str:
    out: list[str] = []
    for n in numbers:
        if out and out[-1].split("-")[-1] == str(n - 1):
            out[-1] = f"{out[-1].split('-')[0]}-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)
