"""PDF table pages → blocks, by one of two readers: the fast reader (:mod:`.pdffast`,
pypdfium2) for every page it can read, pdfplumber (the reference) for the rest or, when
asked, for all. Both hand pdfplumber's table algorithm the same page objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from extract.enums import Severity
from extract.errors import ExtractionError
from extract.read.base import Block, Finding
from extract.read.pdf.clip import drop_hidden_chars, hidden_char_origins
from extract.read.pdf.fast import NeedsReference, read_page
from extract.read.pdf.fonts import PageFonts
from extract.read.pdf.page import page_to_blocks
from extract.read.pdf.pages import SomePagesPDF

PDFIUM, PDFPLUMBER = "pdfium", "pdfplumber"  # the two page readers
REFERENCE_NOTE = "pdf_reference_reader"


PageBlocks = tuple[list[Block], list[Finding], dict[str, int]]  # and pages by reader


def pages_to_blocks(path: Path, pages: list[int], reader: str = "auto") -> PageBlocks:
    """Blocks of the given pages, each page closed after use so memory stays flat; and how
    many pages each reader read. The fast reader (pypdfium2) reads every page it can; the
    rest, or all with ``reader="pdfplumber"``, are read by pdfplumber."""
    return combine([read_pages(path, pages, reader)], reader)


def read_pages(path: Path, pages: list[int], reader: str = "auto") -> PagesRead:
    """The given table pages, read by one :class:`TableReader`."""
    pdf = open_pdfium(path)
    try:
        with TableReader(path, pdf, reader) as tables:
            tables.read(pages)
            return tables.finish()
    finally:
        pdf.close()


@dataclass
class PagesRead:
    """What one :class:`TableReader` read: blocks, findings by the page they are about, and
    the pages it left to pdfplumber (with why)."""

    blocks: list[Block] = field(default_factory=list)
    findings: list[tuple[int, Finding]] = field(default_factory=list)
    reference: dict[int, str] = field(default_factory=dict)
    pages: int = 0


def combine(parts: list[PagesRead], reader: str) -> PageBlocks:
    """Several readers' pages as one: the findings in page order, then one note of the
    pages pdfplumber read."""
    blocks = [block for part in parts for block in part.blocks]
    found = sorted((f for part in parts for f in part.findings), key=lambda f: f[0])
    findings = [finding for _, finding in found]
    reference = {n: why for part in parts for n, why in part.reference.items()}
    if reference and reader != PDFPLUMBER:
        findings.append(reference_note(reference))
    pages = sum(part.pages for part in parts)
    return blocks, findings, {PDFIUM: pages - len(reference), PDFPLUMBER: len(reference)}


class TableReader:
    """Reads table pages of one open document, a few at a time, with the fast reader where
    it can; :meth:`finish` reads the rest with pdfplumber and gives what was read."""

    def __init__(self, path: Path, pdf: Any, reader: str = "auto") -> None:
        self.path, self.pdf, self.reader = path, pdf, reader
        self.fonts = PageFonts(path) if reader != PDFPLUMBER else None
        self.done = PagesRead()

    def read(self, numbers: list[int], loaded: dict[int, tuple[Any, Any]] | None = None) -> None:
        """Read the pages; ``loaded`` holds pages (and their text pages) already open, which
        this closes."""
        loaded = loaded or {}
        fonts = self.fonts.get(numbers) if self.fonts is not None else {}
        done = self.done
        for number in numbers:
            page, textpage = loaded.get(number) or (self.pdf[number - 1], None)
            done.pages += 1
            try:
                if self.reader == PDFPLUMBER:
                    done.reference[number] = "asked for"
                    continue
                fast = read_page(page, number, fonts.get(number), textpage)
            except NeedsReference as exc:
                done.reference[number] = str(exc)
                continue
            finally:
                if textpage is not None:
                    textpage.close()
                page.close()
            findings: list[Finding] = []
            _note_hidden(fast.hidden_count, number, findings)
            done.blocks += page_to_blocks(fast, number, findings)
            done.findings += [(number, f) for f in findings]
            fast.close()

    def finish(self) -> PagesRead:
        """What was read, with the pages left to pdfplumber read now."""
        done = self.done
        if done.reference:
            done.blocks += _reference_blocks(self.path, sorted(done.reference), self.pdf,
                                             done.findings)  # fmt: skip
        return done

    def __enter__(self) -> TableReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.fonts is not None:
            self.fonts.close()


def reference_note(reasons: dict[int, str]) -> Finding:
    """The note of the pages pdfplumber read instead of the fast reader, and why."""
    return Finding(Severity.INFO, REFERENCE_NOTE,
        "pages read by pdfplumber instead of the fast reader: "
        + "; ".join(f"p.{n} ({why})" for n, why in sorted(reasons.items())))  # fmt: skip


def _reference_blocks(
    path: Path, pages: list[int], clips: Any, found: list[tuple[int, Finding]]
) -> list[Block]:
    """The pages read by pdfplumber, with the characters a clip path hides dropped; their
    findings go to ``found``, by page."""
    blocks: list[Block] = []
    try:
        # Only the wanted pages are parsed, not every page of a 2,000-page file.
        pdf = SomePagesPDF.open(path, pages=pages)
    except (PdfminerException, PDFSyntaxError, PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ExtractionError(f"pdfplumber cannot open the PDF: {exc!r}") from exc
    with pdf:
        for page in pdf.pages:
            number = page.page_number
            findings: list[Finding] = []
            try:
                hidden = _hidden(clips, number)
                _note_hidden(len(hidden), number, findings)
                blocks += page_to_blocks(drop_hidden_chars(page, hidden), number, findings)
            finally:
                page.close()  # releases the page's layout caches
            found += [(number, f) for f in findings]
    return blocks


def _hidden(clips: Any, number: int) -> set[tuple[str, int, int]]:
    page = clips[number - 1]
    try:
        return hidden_char_origins(page)
    finally:
        page.close()


def _note_hidden(count: int, number: int, findings: list[Finding]) -> None:
    if count:
        findings.append(Finding(Severity.INFO, "clipped_text_dropped",
            f"p.{number}: {count} characters hidden by a clipping path were not read "
            "(a merged cell's text drawn whole on each page it spans)", number))  # fmt: skip


def open_pdfium(path: Path) -> Any:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise ExtractionError(_pdfium_message(exc)) from exc


def _pdfium_message(exc: Exception) -> str:
    text = str(exc)
    if "password" in text.lower():
        return "the PDF is encrypted with a user password: it cannot be opened without it"
    return f"the PDF is damaged and cannot be opened ({text})"
