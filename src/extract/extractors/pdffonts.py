"""What pdfminer knows of a page's fonts, read from the font dictionaries alone (no content
stream is parsed): the descent it boxes glyphs with and the font name it reports.

pdfminer takes a glyph's descent from the font descriptor's ``/Descent`` (0 when absent, AFM
metrics for the standard 14 fonts, the ``/FontBBox`` for Type3), while pdfium replaces a
descriptor's ``Ascent 0 / Descent 0`` with the font file's own metrics. The fast reader
boxes glyphs with pdfminer's number, so that a line of CJK text and the digits in it keep
the same top, as they do in pdfplumber.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pdfminer.fontmetrics import FONT_METRICS
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import dict_value, list_value, num_value, resolve1
from pdfminer.psparser import PSLiteral

from .pdfpages import find_pages

MAX_FORM_DEPTH = 8


@dataclass(frozen=True)
class FontInfo:
    """pdfminer's name and descent (in ems) of one font."""

    fontname: str
    descent: float
    type3: bool = False


def page_fonts(path: Path, pages: list[int]) -> dict[int, dict[str, FontInfo]]:
    """The fonts of the wanted pages, by base font name without a subset tag; empty when
    pdfminer cannot read the page tree (pdfium's own numbers are used then)."""
    by_page: dict[int, dict[str, FontInfo]] = {}
    with open(path, "rb") as file:
        try:
            doc = PDFDocument(PDFParser(file))
            for number, _, attrs in find_pages(doc, set(pages)):
                fonts: dict[str, FontInfo] = {}
                _collect(resolve1(attrs.get("Resources")), fonts, set(), 0)
                by_page[number] = fonts
        except Exception:  # a damaged tree or font dictionary: no page's fonts are known
            return {}
    return by_page


def base_name(name: str) -> str:
    """A font name without its subset tag (``ABCDEF+SimSun`` → ``SimSun``)."""
    tag, plus, rest = name.partition("+")
    return rest if plus and len(tag) == 6 and tag.isupper() else name


def _collect(resources: Any, fonts: dict[str, FontInfo], seen: set[int], depth: int) -> None:
    """Fonts of a resource dictionary and of the forms it holds."""
    if not isinstance(resources, dict) or depth > MAX_FORM_DEPTH or id(resources) in seen:
        return
    seen.add(id(resources))
    for spec in dict_value(resources.get("Font", {})).values():
        spec = resolve1(spec)
        if isinstance(spec, dict) and (info := _font_info(spec)) is not None:
            fonts.setdefault(base_name(_name(spec.get("BaseFont"))), info)
    for xobject in dict_value(resources.get("XObject", {})).values():
        stream = resolve1(xobject)
        attrs = getattr(stream, "attrs", None)
        if isinstance(attrs, dict) and _name(attrs.get("Subtype")) == "Form":
            _collect(resolve1(attrs.get("Resources")), fonts, seen, depth + 1)


def _font_info(spec: dict[str, Any]) -> FontInfo | None:
    subtype = _name(spec.get("Subtype"))
    basefont = _name(spec.get("BaseFont"))
    if subtype == "Type3":
        return FontInfo(basefont or "unknown", 0.0, type3=True)
    if subtype == "Type0":
        descendants = list_value(spec.get("DescendantFonts", []))
        spec = dict_value(descendants[0]) if descendants else {}
    descriptor = resolve1(spec.get("FontDescriptor"))
    if not isinstance(descriptor, dict):
        metrics = FONT_METRICS.get(base_name(basefont))
        if metrics is None:
            return FontInfo(basefont or "unknown", 0.0)
        descriptor = metrics[0]
    descent = num_value(descriptor.get("Descent", 0))
    fontname = _name(descriptor.get("FontName")) or "unknown"
    return FontInfo(fontname, -abs(descent) / 1000)


def _name(value: Any) -> str:
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        value = value.name
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value if isinstance(value, str) else ""
