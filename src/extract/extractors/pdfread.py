"""PDF table pages → blocks, by one of two readers: the fast reader (:mod:`.pdffast`,
pypdfium2) for every page it can read, pdfplumber (the reference) for the rest or, when
asked, for all. Both hand pdfplumber's table algorithm the same page objects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from ..enums import Severity
from ..errors import ExtractionError
from .base import Block, Finding
from .pdfclip import drop_hidden_chars, hidden_char_origins
from .pdffast import NeedsReference, read_page
from .pdffonts import page_fonts
from .pdfpage import page_to_blocks
from .pdfpages import SomePagesPDF

PDFIUM, PDFPLUMBER = "pdfium", "pdfplumber"  # the two page readers


def pages_to_blocks(
    path: Path, pages: list[int], reader: str = "auto"
) -> tuple[list[Block], list[Finding], dict[str, int]]:
    """Blocks of the given pages, each page closed after use so memory stays flat; and how
    many pages each reader read. The fast reader (pypdfium2) reads every page it can; the
    rest, or all with ``reader="pdfplumber"``, are read by pdfplumber."""
    blocks: list[Block] = []
    findings: list[Finding] = []
    reference: dict[int, str] = {}
    pdf = open_pdfium(path)
    fonts = page_fonts(path, pages) if reader != PDFPLUMBER else {}
    try:
        for number in pages:
            page = pdf[number - 1]
            try:
                if reader == "pdfplumber":
                    reference[number] = "asked for"
                    continue
                fast = read_page(page, number, fonts.get(number))
            except NeedsReference as exc:
                reference[number] = str(exc)
                continue
            finally:
                page.close()
            _note_hidden(fast.hidden_count, number, findings)
            blocks += page_to_blocks(fast, number, findings)
            fast.close()
        if reference:
            blocks += _reference_blocks(path, sorted(reference), pdf, findings)
    finally:
        pdf.close()
    if reference and reader != "pdfplumber":
        findings.append(Finding(Severity.INFO, "pdf_reference_reader",
            "pages read by pdfplumber instead of the fast reader: "
            + "; ".join(f"p.{n} ({why})" for n, why in sorted(reference.items()))))  # fmt: skip
    return blocks, findings, {PDFIUM: len(pages) - len(reference), PDFPLUMBER: len(reference)}


def _reference_blocks(
    path: Path, pages: list[int], clips: Any, findings: list[Finding]
) -> list[Block]:
    """The pages read by pdfplumber, with the characters a clip path hides dropped."""
    blocks: list[Block] = []
    try:
        # Only the wanted pages are parsed, not every page of a 2,000-page file.
        pdf = SomePagesPDF.open(path, pages=pages)
    except (PdfminerException, PDFSyntaxError, PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ExtractionError(f"pdfplumber cannot open the PDF: {exc!r}") from exc
    with pdf:
        for page in pdf.pages:
            number = page.page_number
            try:
                hidden = _hidden(clips, number)
                _note_hidden(len(hidden), number, findings)
                blocks += page_to_blocks(drop_hidden_chars(page, hidden), number, findings)
            finally:
                page.close()  # releases the page's layout caches
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
