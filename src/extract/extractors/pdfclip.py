"""Text hidden by a clipping path: drawn into the content stream, never visible on the page.

Some budget systems draw a tall merged cell's whole text on every page it spans and clip it to
the part of the cell on that page; the rest of the text lies over the title, the header row or
the page margin. pdfminer (and so pdfplumber) ignores clipping and reads those characters as
if they were printed, so a header cell reads ``服务项目名称`` and a title row ``济预性算、表…``.
pypdfium2 knows each text object's clip path: a character whose box lies outside its object's
clip box is hidden, and is dropped from the pdfplumber page before the tables are read.
"""

from __future__ import annotations

import ctypes
from typing import Any

import pypdfium2.raw as pdfium_c

CLIP_TOLERANCE_PT = 1.0  # a glyph's box may overhang its clip box by this much and be visible
HYPHEN_MARK = 0x02  # pdfium's code for a hyphen that ends a line
ORIGIN_GRID = 2  # origins are compared on a half-point grid (pdfium and pdfminer round apart)

Box = tuple[float, float, float, float]  # left, bottom, right, top (PDF user space)


def hidden_char_origins(page: Any) -> set[tuple[str, int, int]]:
    """``(char, x, y)`` of every character of a pypdfium2 page that its clip path hides;
    ``x, y`` is the glyph origin on the :data:`ORIGIN_GRID`. Empty when nothing is clipped."""
    clipped = _partly_clipped_objects(page)
    if not clipped:
        return set()
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        x, y = ctypes.c_double(), ctypes.c_double()
        hidden = set()
        for index in _hidden_in(textpage, clipped):
            pdfium_c.FPDFText_GetCharOrigin(raw, index, x, y)
            char = glyph_text(pdfium_c.FPDFText_GetUnicode(raw, index))
            hidden.add((char, round(x.value * ORIGIN_GRID), round(y.value * ORIGIN_GRID)))
        return hidden
    finally:
        textpage.close()


def glyph_text(code: int) -> str:
    """A text page's character as pdfminer reads it (pdfium marks a line-end hyphen)."""
    return "-" if code == HYPHEN_MARK else chr(code)


def hidden_char_indices(page: Any, textpage: Any) -> set[int]:
    """Indices (in the text page) of the characters that their clip path hides."""
    clipped = _partly_clipped_objects(page)
    return _hidden_in(textpage, clipped) if clipped else set()


def drop_hidden_chars(page: Any, hidden: set[tuple[str, int, int]]) -> Any:
    """The pdfplumber page without the hidden characters (the page itself when none are).
    Origins are matched within one grid step: pdfium and pdfminer round them apart."""
    if not hidden:
        return page
    return page.filter(lambda obj: obj.get("object_type") != "char" or not _is_hidden(obj, hidden))


def _is_hidden(char: dict[str, Any], hidden: set[tuple[str, int, int]]) -> bool:
    text, x, y = _key(char)
    return any((text, x + dx, y + dy) in hidden for dx in (0, -1, 1) for dy in (0, -1, 1))


def _key(char: dict[str, Any]) -> tuple[str, int, int]:
    matrix = char["matrix"]
    return char["text"], round(matrix[4] * ORIGIN_GRID), round(matrix[5] * ORIGIN_GRID)


def _partly_clipped_objects(page: Any) -> dict[int, Box]:
    """Text objects whose bounds reach outside their clip box, by address → clip box."""
    out: dict[int, Box] = {}
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], max_depth=2):
        clip = _clip_box(obj.raw)
        if clip is None:
            continue
        left, bottom, right, top = obj.get_bounds()
        if not _inside((left, bottom, right, top), clip, CLIP_TOLERANCE_PT):
            out[_address(obj.raw)] = clip
    return out


def _hidden_in(textpage: Any, clipped: dict[int, Box]) -> set[int]:
    """Characters whose loose box (the font's full height, the same for every glyph of a
    line) has its centre outside the object's clip box. A line cut by the clip edge thus
    goes to the page that shows the larger part of it, whole: never to both, never lost."""
    hidden: set[int] = set()
    raw = textpage.raw
    rect = pdfium_c.FS_RECTF()
    for index in range(pdfium_c.FPDFText_CountChars(raw)):
        obj = pdfium_c.FPDFText_GetTextObject(raw, index)
        clip = clipped.get(_address(obj)) if obj else None
        if clip is None or not pdfium_c.FPDFText_GetLooseCharBox(raw, index, rect):
            continue
        centre = ((rect.left + rect.right) / 2, (rect.top + rect.bottom) / 2)
        if not _inside((*centre, *centre), clip, 0.0):
            hidden.add(index)
    return hidden


def _clip_box(obj: Any) -> Box | None:
    """The bounding box of an object's clip region: the intersection of its clip paths."""
    clip = pdfium_c.FPDFPageObj_GetClipPath(obj)
    if not clip:
        return None
    box: Box | None = None
    x, y = ctypes.c_float(), ctypes.c_float()
    for path in range(pdfium_c.FPDFClipPath_CountPaths(clip)):
        xs, ys = [], []
        for n in range(pdfium_c.FPDFClipPath_CountPathSegments(clip, path)):
            segment = pdfium_c.FPDFClipPath_GetPathSegment(clip, path, n)
            pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
            xs.append(x.value)
            ys.append(y.value)
        if xs:
            part = (min(xs), min(ys), max(xs), max(ys))
            box = part if box is None else _intersect(box, part)
    return box


def _intersect(a: Box, b: Box) -> Box:
    return max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])


def _inside(inner: Box, outer: Box, tolerance: float) -> bool:
    return (
        inner[0] >= outer[0] - tolerance
        and inner[1] >= outer[1] - tolerance
        and inner[2] <= outer[2] + tolerance
        and inner[3] <= outer[3] + tolerance
    )


def _address(obj: Any) -> int:
    return ctypes.cast(obj, ctypes.c_void_p).value or 0
