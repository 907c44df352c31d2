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
from pdfplumber.page import fix_fontname_bytes

from extract.read.pdf.pages import find_pages

MAX_FORM_DEPTH = 8
SIMPLE_FONT = 3  # the rank of a simple font's BaseFont among a font's names


@dataclass(frozen=True)
class FontInfo:
    """pdfminer's name and descent (in ems) of one font."""

    fontname: str
    descent: float
    type3: bool = False


def page_fonts(path: Path, pages: list[int]) -> dict[int, dict[str, FontInfo]]:
    """The fonts of the wanted pages, by the names pdfium may report (:func:`_by_name`);
    empty when pdfminer cannot read the page tree (pdfium's own numbers are used then)."""
    with PageFonts(path) as fonts:
        return fonts.get(pages)


class PageFonts:
    """One document's page fonts, asked for a few pages at a time: the file is parsed once
    (the first page's fonts may resolve most of its objects)."""

    def __init__(self, path: Path) -> None:
        self.file = open(path, "rb")
        self.doc: PDFDocument | None = None
        try:
            self.doc = PDFDocument(PDFParser(self.file))
        except Exception:  # a damaged file: no page's fonts are known
            self.doc = None

    def get(self, pages: list[int]) -> dict[int, dict[str, FontInfo]]:
        by_page: dict[int, dict[str, FontInfo]] = {}
        if self.doc is None or not pages:
            return by_page
        try:
            for number, _, attrs in find_pages(self.doc, set(pages)):
                named: list[tuple[int, str, FontInfo]] = []
                _collect(resolve1(attrs.get("Resources")), named, set(), 0)
                by_page[number] = _by_name(named)
        except Exception:  # a damaged tree or font dictionary: no page's fonts are known
            return {}
        return by_page

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> PageFonts:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def base_name(name: str) -> str:
    """A font name without its subset tag (``ABCDEF+SimSun`` → ``SimSun``)."""
    tag, plus, rest = name.partition("+")
    return rest if plus and len(tag) == 6 and tag.isupper() else name


def _by_name(named: list[tuple[int, str, FontInfo]]) -> dict[str, FontInfo]:
    """Each font under every name pdfium may give it, a descriptor's FontName before a
    BaseFont (two fonts may share a BaseFont), and under those names without a subset tag
    (pdfium drops it from a simple font's name) where no font has that name itself."""
    fonts: dict[str, FontInfo] = {}
    for _, name, info in sorted(named, key=lambda entry: entry[0]):
        fonts.setdefault(name, info)
    for _, name, info in sorted(named, key=lambda entry: entry[0] != SIMPLE_FONT):
        fonts.setdefault(base_name(name), info)
    return fonts


def _collect(
    resources: Any, named: list[tuple[int, str, FontInfo]], seen: set[int], depth: int
) -> None:
    """Fonts of a resource dictionary and of the forms it holds, with their names (the
    number says which kind of name: :func:`_names`)."""
    if not isinstance(resources, dict) or depth > MAX_FORM_DEPTH or id(resources) in seen:
        return
    seen.add(id(resources))
    for spec in dict_value(resources.get("Font", {})).values():
        spec = resolve1(spec)
        if isinstance(spec, dict) and (info := _font_info(spec)) is not None:
            named.extend((rank, name, info) for rank, name in _names(spec))
    for xobject in dict_value(resources.get("XObject", {})).values():
        stream = resolve1(xobject)
        attrs = getattr(stream, "attrs", None)
        if isinstance(attrs, dict) and _name(attrs.get("Subtype")) == "Form":
            _collect(resolve1(attrs.get("Resources")), named, seen, depth + 1)


def _names(spec: dict[str, Any]) -> list[tuple[int, str]]:
    """The descriptor's FontName (0); the BaseFont of the font that holds the glyphs (1: a
    Type0 font's descendant, or a simple font itself); the font's own BaseFont (2 for a
    Type0 font, :data:`SIMPLE_FONT` for a simple one, which the tagless aliases prefer)."""
    font = spec
    rank = SIMPLE_FONT
    if _name(spec.get("Subtype")) == "Type0":
        descendants = list_value(spec.get("DescendantFonts", []))
        font = dict_value(descendants[0]) if descendants else {}
        rank = 2
    descriptor = resolve1(font.get("FontDescriptor"))
    names = [(rank, _name(spec.get("BaseFont"))), (1, _name(font.get("BaseFont")))]
    if isinstance(descriptor, dict):
        names.append((0, _name(descriptor.get("FontName"))))
    return [(rank, name) for rank, name in names if name]


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
    fontname = resolve1(descriptor.get("FontName", "unknown"))
    if isinstance(fontname, PSLiteral):
        fontname = pdfminer_name(fontname.name)
    elif isinstance(fontname, bytes):  # a string, not a name: pdfplumber mends its bytes
        fontname = fix_fontname_bytes(fontname)
    return FontInfo(str(fontname), -abs(descent) / 1000)


def pdfminer_name(name: str | bytes) -> str:
    """A name object's text as pdfminer gives it (``literal_name``): UTF-8 where the bytes
    are, else Python's text of the bytes (``b'ABCDEE+\\xcb\\xce\\xcc\\xe5'``)."""
    if isinstance(name, str):
        return name
    try:
        return name.decode("utf-8")
    except UnicodeDecodeError:
        return str(name)


def _name(value: Any) -> str:
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        value = value.name
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value if isinstance(value, str) else ""
