"""The two PDF page readers side by side: what the fast reader (pypdfium2) and the reference
(pdfplumber) make of the same document, page by page, and the records built from each.

Used by the differential test and by ``bench/diff_readers.py``. Text and structure must be
equal; positions (row boxes, column edges) may differ by float rounding only: pdfium keeps
coordinates in single precision, pdfminer in double.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pypdfium2.raw as pdfium_c

from extract.locate.pages import more_table_pages
from extract.read.base import Block, ExtractedDocument, RawTable, TextLine
from extract.read.pdf.reader import extract_pdf
from extract.read.pdf.readers import REFERENCE_NOTE
from extract.settings import Settings

POSITION_TOLERANCE = 0.11  # points: a rounded box (0.1 pt) may land one step apart
FALLBACK = REFERENCE_NOTE  # the fast run's note of the pages it left to pdfplumber
# which reader read the pages, and the issue count that includes the note above
RECORD_FIELDS_IGNORED = frozenset({"pages_pdfium", "pages_pdfplumber", "issue_count"})


@dataclass
class ReaderComparison:
    """Where the two readers disagree on one document."""

    pages: dict[int, str] = field(default_factory=dict)  # page → the first difference
    records: list[str] = field(default_factory=list)  # tables whose records differ
    pages_read: dict[str, int] = field(default_factory=dict)  # the fast run's readers
    fallback_reasons: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not self.pages and not self.records


def hide_system_fonts() -> None:
    """Make pdfium in this process find no installed font, as on a machine without CJK
    fonts: a font the PDF does not embed is drawn with pdfium's own Latin fallback. Call it
    before the first document is opened; it lasts for the process."""
    info = pdfium_c.FPDF_SYSFONTINFO()
    info.version = 1
    kinds = dict(pdfium_c.FPDF_SYSFONTINFO._fields_)
    nothing: dict[str, Any] = {
        "Release": lambda this: None,
        "EnumFonts": lambda this, mapper: None,
        "MapFont": lambda this, weight, italic, charset, pitch, face, exact: None,
        "GetFont": lambda this, face: None,
        "GetFontData": lambda this, font, table, buffer, size: 0,
        "GetFaceName": lambda this, font, buffer, size: 0,
        "GetFontCharset": lambda this, font: 0,
        "DeleteFont": lambda this, font: None,
    }
    for name, callback in nothing.items():
        setattr(info, name, kinds[name](callback))
    _NO_FONTS.append(info)  # pdfium keeps the pointer: the callbacks must outlive it
    pdfium_c.FPDF_SetSystemFontInfo(ctypes.byref(info))


_NO_FONTS: list[Any] = []


def compare_readers(path: Path, settings: Settings | None = None) -> ReaderComparison:
    """Extract ``path`` with both readers (in this process) and compare pages and records."""
    base = replace(settings or Settings(), isolate=False, pdf_workers=1)
    fast = extract_pdf(path, replace(base, pdf_reader="auto"), more_table_pages)
    reference = extract_pdf(path, replace(base, pdf_reader="pdfplumber"), more_table_pages)
    out = ReaderComparison(pages_read=dict(fast.pages_read))
    out.fallback_reasons = [f.message for f in fast.findings if f.code == FALLBACK]
    fast_pages, ref_pages = _by_page(fast.blocks), _by_page(reference.blocks)
    for page in sorted(fast_pages.keys() | ref_pages.keys()):
        why = _first_difference(ref_pages.get(page, []), fast_pages.get(page, []))
        if why:
            out.pages[page] = why
    out.records = _record_differences(path, fast, reference, base)
    return out


def _by_page(blocks: list[Block]) -> dict[int, list[Block]]:
    pages: dict[int, list[Block]] = {}
    for block in blocks:
        pages.setdefault(block.page or 0, []).append(block)
    return pages


def _first_difference(ref: list[Block], fast: list[Block]) -> str | None:
    """The first way the fast reader's blocks differ from the reference's, or None."""
    if [type(b).__name__ for b in ref] != [type(b).__name__ for b in fast]:
        return f"blocks {_kinds(ref)} (pdfplumber) against {_kinds(fast)} (fast)"
    for a, b in zip(ref, fast, strict=True):
        if isinstance(a, TextLine) and isinstance(b, TextLine) and a.text != b.text:
            return f"text line {a.text!r} against {b.text!r}"
        if isinstance(a, RawTable) and isinstance(b, RawTable) and (why := _table_diff(a, b)):
            return why
    return None


def _kinds(blocks: list[Block]) -> str:
    return "".join("T" if isinstance(b, RawTable) else "l" for b in blocks)


def _table_diff(a: RawTable, b: RawTable) -> str | None:
    if len(a.rows) != len(b.rows):
        return f"table of {len(a.rows)} rows against {len(b.rows)}"
    if not _close(a.col_x or [], b.col_x or []):
        return f"column edges {a.col_x} against {b.col_x}"
    for n, (ra, rb) in enumerate(zip(a.rows, b.rows, strict=True), 1):
        if ra.cells != rb.cells:
            return f"row {n}: {ra.cells!r} against {rb.cells!r}"
        if (ra.box is None) != (rb.box is None) or not _close(ra.box or (), rb.box or ()):
            return f"row {n}: box {ra.box} against {rb.box}"
    return None


def _close(a: Any, b: Any) -> bool:
    return len(a) == len(b) and all(
        abs(x - y) <= POSITION_TOLERANCE for x, y in zip(a, b, strict=True)
    )


def _record_differences(
    path: Path, fast: ExtractedDocument, reference: ExtractedDocument, settings: Settings
) -> list[str]:
    """The tables (documents, projects, indicators, issues) whose rows differ."""
    from extract.enums import Format
    from extract.records.assemble import extracted_to_result
    from extract.run.reading import failed_document, file_facts

    facts = file_facts(path, None)  # once: both readers' rows carry the same facts

    def rows(extracted: ExtractedDocument) -> dict[str, list[dict[str, Any]]]:
        doc = failed_document(facts, Format.PDF, None)
        result = extracted_to_result(doc, extracted, settings)
        tables: dict[str, list[Any]] = {"documents": [result.document], "projects": result.projects,
                  "indicators": result.indicators, "issues": result.issues}  # fmt: skip
        return {name: [_comparable(r) for r in records if getattr(r, "code", "") != FALLBACK]
                for name, records in tables.items()}  # fmt: skip

    a, b = rows(reference), rows(fast)
    return [name for name in a if not _same_rows(a[name], b[name])]


def _comparable(record: Any) -> dict[str, Any]:
    data: dict[str, Any] = record.model_dump(mode="json")
    for name in RECORD_FIELDS_IGNORED:
        data.pop(name, None)
    box = data.pop("bbox", None) or {}
    data.update({f"bbox_{k}": v for k, v in box.items()})
    return data


def _same_rows(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> bool:
    """Equal rows, but for the bbox columns, which may differ by rounding."""
    if len(a) != len(b):
        return False
    for ra, rb in zip(a, b, strict=True):
        boxes = [k for k in ra if k.startswith("bbox_") and k != "bbox_page"]
        plain = {k: v for k, v in ra.items() if k not in boxes}
        if plain != {k: v for k, v in rb.items() if k not in boxes}:
            return False
        if not _close([ra[k] or 0 for k in boxes], [rb.get(k) or 0 for k in boxes]):
            return False
    return True
