"""A page's characters and paths read through pypdfium2, in the shape of pdfplumber's objects.

pdfplumber's cost on a budget's table pages is pdfminer's pure-Python parse of every glyph
and path, not its table algorithm. pdfium parses the page in C; this module reads what the
table step needs from it (glyphs: text, box, font name and size, upright; paths: rectangles,
lines, curves with their paint) and hands it to pdfplumber's own algorithm through a page
object whose ``objects`` are already known, so the cells come out as pdfplumber's would.

The boxes are pdfminer's, rebuilt from pdfium's numbers: a glyph spans its advance from its
origin, and from its font's descent up one font size (``matrix`` × text space). Paths are
read by :mod:`.pdfpaths`.

A page the fast path cannot read as pdfminer would raises :class:`NeedsReference`, and the
caller reads it with pdfplumber: a rotated page or one whose MediaBox does not start at the
origin, rotated or mirrored text, glyphs without a Unicode map (pdfplumber's ``(cid:N)``),
Type3 fonts, forms nested deeper than :data:`.pdfpaths.MAX_FORM_DEPTH`.
"""

from __future__ import annotations

import ctypes
from functools import lru_cache
from typing import Any

import pypdfium2.raw as pdfium_c
from pdfplumber.page import Page

from extract.read.pdf.clip import ClipCache, glyph_text
from extract.read.pdf.fonts import FontInfo, base_name, pdfminer_name
from extract.read.pdf.paths import Matrix, NeedsReference, object_matrix, walk

__all__ = ["NeedsReference", "PrereadPage", "read_page"]

SPACE = 0x20
# pdfium's own multiple-master fonts, which it draws a font with when neither the PDF nor the
# system has it ("Chrome Sans MM", "Chrome Serif MM"; "Foxit Sans MM" in older builds)
GENERIC_FALLBACK = " MM"


class PrereadPage(Page):
    """A pdfplumber page whose objects were read elsewhere: every pdfplumber method that
    works on objects (filter, crop, dedupe_chars, find_tables, extract_text_lines) works."""

    def __init__(
        self, number: int, width: float, height: float, objects: dict[str, list[dict[str, Any]]],
        hidden_count: int = 0,
    ) -> None:  # fmt: skip
        self.pdf = None  # type: ignore[assignment]
        self.root_page = self
        self.page_obj = None  # type: ignore[assignment]
        self.page_number = number
        self.initial_doctop = 0
        self.rotation = 0
        self.mediabox = self.cropbox = self.bbox = (0, 0, width, height)
        self._objects = objects
        self.hidden_count = hidden_count  # characters a clip path hides, left out
        self.get_textmap = lru_cache()(self._get_textmap)

    @property
    def objects(self) -> dict[str, list[dict[str, Any]]]:
        return self._objects

    def close(self) -> None:
        self.get_textmap.cache_clear()


def read_page(
    page: Any, number: int, fonts: dict[str, FontInfo] | None = None, textpage: Any = None
) -> PrereadPage:
    """The pdfplumber page for a pypdfium2 page; :class:`NeedsReference` when it cannot be.
    ``fonts`` is what pdfminer knows of the page's fonts (:mod:`.pdffonts`), by name;
    ``textpage``, the page's text page where the caller has one (and closes it)."""
    if pdfium_c.FPDFPage_GetRotation(page.raw) % 4:
        raise NeedsReference("rotated page")
    left, bottom, right, top = page.get_mediabox()
    if left or bottom:
        raise NeedsReference("MediaBox not at the origin")
    height = top - bottom
    texts: dict[bytes, tuple[int, Any]] = {}  # text object address → (stream order, object)
    objects: dict[str, list[dict[str, Any]]] = {}
    for kind, obj in walk(page.raw, number, height, texts):
        objects.setdefault(kind, []).append(obj)
    objects["char"], hidden = _chars(page, textpage, number, height, texts, fonts)
    return PrereadPage(number, right - left, height, objects, hidden)


def _chars(
    page: Any,
    textpage: Any,
    number: int,
    height: float,
    texts: dict[bytes, tuple[int, Any]],
    known: dict[str, FontInfo] | None,
) -> tuple[list[dict[str, Any]], int]:
    """The glyphs in content-stream order (as pdfminer reads them), from the text page, plus
    the space glyphs pdfium leaves out of it; and how many a clip path hides (as
    :mod:`.pdfclip` decides for the reference reader)."""
    own = textpage is None
    if own:
        textpage = page.get_textpage()
    try:
        raw = textpage.raw
        fonts = FontCache(known)
        clips = ClipCache()
        m, rect = pdfium_c.FS_MATRIX(), pdfium_c.FS_RECTF()
        x, y = ctypes.c_double(), ctypes.c_double()
        keyed: list[tuple[tuple[int, int], dict[str, Any]]] = []
        seen: set[bytes] = set()
        hidden = 0
        count = pdfium_c.FPDFText_CountChars(raw)
        for i in range(count):
            obj = pdfium_c.FPDFText_GetTextObject(raw, i)
            address = bytes(obj)
            seen.add(address)
            if pdfium_c.FPDFText_IsGenerated(raw, i):
                continue
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            if 0xDC00 <= code < 0xE000:
                continue  # the second half of a surrogate pair: taken with the first
            fontname, size, descent, _ = fonts.get(obj, address)
            if pdfium_c.FPDFText_HasUnicodeMapError(raw, i):
                raise NeedsReference("glyphs without a Unicode map")
            pdfium_c.FPDFText_GetMatrix(raw, i, m)  # (its e, f are not always the origin)
            if m.b or m.c or m.a <= 0 or m.d <= 0:
                raise NeedsReference("rotated or mirrored text")
            pdfium_c.FPDFText_GetCharOrigin(raw, i, x, y)
            if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect):
                rect.left = rect.right = x.value  # no box: a glyph without width, never hidden
                rect.bottom = rect.top = y.value
            elif clips.hides(obj, address, rect):
                hidden += 1
                continue
            text = glyph_text(code)
            if 0xD800 <= code < 0xDC00 and i + 1 < count:
                low = pdfium_c.FPDFText_GetUnicode(raw, i + 1)
                text = chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00))
            order = (texts[address][0] if address in texts else -1, i)
            char = _char(text, fontname, size, descent, (m.a, 0, 0, m.d, x.value, y.value),
                         max(x.value, rect.right), number, height)  # fmt: skip
            keyed.append((order, char))
        for address, (place, obj) in texts.items():
            if address not in seen:  # a text object without ink: pdfium drops it
                keyed.append(((place, -1), _space_object(obj, address, fonts, number, height)))
        return [char for _, char in sorted(keyed, key=lambda k: k[0])], hidden
    finally:
        if own:
            textpage.close()


def _char(
    text: str, fontname: str, size: float, descent: float, m: Matrix, right: float,
    number: int, height: float,
) -> dict[str, Any]:  # fmt: skip
    """pdfminer's box: from the origin across the advance, and from the descent up one
    font size, in text space scaled by the matrix."""
    a, _, _, d, x0, baseline = m
    x1 = max(x0, right)
    y0 = baseline + d * descent * size
    y1 = y0 + d * size
    return {
        "object_type": "char", "page_number": number, "text": text, "fontname": fontname,
        "size": y1 - y0, "adv": (x1 - x0) / a, "upright": True,
        "x0": x0, "x1": x1, "y0": y0, "y1": y1, "width": x1 - x0, "height": y1 - y0,
        "top": height - y1, "bottom": height - y0, "doctop": height - y1, "matrix": m,
    }  # fmt: skip


def _space_object(
    obj: Any, address: bytes, fonts: FontCache,
    number: int, height: float,
) -> dict[str, Any]:  # fmt: skip
    """One space glyph for a text object pdfium leaves out of the text page: one that draws
    nothing, which is one of spaces, unless its font is one pdfium cannot draw."""
    fontname, size, descent, font = fonts.get(obj, address)
    if fonts.undrawable(font):
        raise NeedsReference(f"a font neither embedded nor installed ({fontname})")
    m = object_matrix(obj)
    width = ctypes.c_float()
    pdfium_c.FPDFFont_GetGlyphWidth(font, SPACE, ctypes.c_float(size), width)
    matrix = (m[0], 0.0, 0.0, m[3], m[4], m[5])
    return _char(" ", fontname, size, descent, matrix, m[4] + m[0] * width.value, number, height)


class FontCache:
    """Font name, font size, descent (in ems) and font handle of each text object, with
    pdfminer's name and descent where the font dictionaries gave them."""

    def __init__(self, known: dict[str, FontInfo] | None) -> None:
        self.known = known
        self.objects: dict[bytes, tuple[str, float, float, Any]] = {}
        self.fonts: dict[tuple[bytes, float], tuple[str, float, float, Any]] = {}
        self.generic: dict[bytes, bool] = {}

    def __getitem__(self, address: bytes) -> tuple[str, float, float, Any]:
        return self.objects[address]

    def get(self, obj: Any, address: bytes) -> tuple[str, float, float, Any]:
        if address in self.objects:
            return self.objects[address]
        size = ctypes.c_float()
        pdfium_c.FPDFTextObj_GetFontSize(obj, size)
        font = pdfium_c.FPDFTextObj_GetFont(obj)
        key = (bytes(font), size.value)
        if key not in self.fonts:
            self.fonts[key] = self._describe(font, size.value)
        self.objects[address] = self.fonts[key]
        return self.objects[address]

    def undrawable(self, font: Any) -> bool:
        """Whether pdfium has no glyphs for the font: it is not embedded and no installed font
        matches it, so pdfium draws it with its generic fallback (Latin only). Its CJK glyphs
        then have no ink, and a text object of them is left out of the text page."""
        key = bytes(font)
        if key not in self.generic:
            self.generic[key] = not pdfium_c.FPDFFont_GetIsEmbedded(font) and _family_name(
                font
            ).endswith(GENERIC_FALLBACK)
        return self.generic[key]

    def _describe(self, font: Any, size: float) -> tuple[str, float, float, Any]:
        name = _font_name(font)
        info = None
        if self.known is not None:
            info = self.known.get(name) or self.known.get(base_name(name))
        if not name or (info is not None and info.type3):
            raise NeedsReference("a Type3 font (glyphs drawn by the PDF itself)")
        if info is None:
            descent = ctypes.c_float()
            pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(1000.0), descent)
            info = FontInfo(pdfminer_name(name.encode("latin-1")), descent.value / 1000)
        return (info.fontname, size, info.descent, font)


def _font_name(font: Any) -> str:
    """The font's ``/BaseFont``, its bytes read as Latin-1 (as :mod:`.pdffonts` keys it)."""
    return _font_bytes(pdfium_c.FPDFFont_GetBaseFontName, font).decode("latin-1")


def _family_name(font: Any) -> str:
    """The family of the font pdfium draws with: for a font that is not embedded, the
    installed font it substitutes, or its own fallback (``Chrome Sans MM``)."""
    return _font_bytes(pdfium_c.FPDFFont_GetFamilyName, font).decode("utf-8", "replace")


def _font_bytes(getter: Any, font: Any) -> bytes:
    length = getter(font, None, 0)
    if length <= 1:
        return b""
    buffer = ctypes.create_string_buffer(length)
    getter(font, buffer, length)
    return buffer.value
