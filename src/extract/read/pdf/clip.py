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
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        clips = ClipCache()
        x, y = ctypes.c_double(), ctypes.c_double()
        rect = pdfium_c.FS_RECTF()
        hidden = set()
        for index in range(pdfium_c.FPDFText_CountChars(raw)):
            obj = pdfium_c.FPDFText_GetTextObject(raw, index)
            if not obj or not pdfium_c.FPDFText_GetLooseCharBox(raw, index, rect):
                continue
            if clips.hides(obj, bytes(obj), rect):
                pdfium_c.FPDFText_GetCharOrigin(raw, index, x, y)
                char = glyph_text(pdfium_c.FPDFText_GetUnicode(raw, index))
                hidden.add((char, round(x.value * ORIGIN_GRID), round(y.value * ORIGIN_GRID)))
        return hidden
    finally:
        textpage.close()


class ClipCache:
    """Whether a glyph is hidden by its text object's clip path: the object reaches outside
    its clip box, and the glyph's loose box (the font's full height, the same for every glyph
    of a line) has its centre outside it. A line cut by the clip edge thus goes to the page
    that shows the larger part of it, whole: never to both, never lost. Clip boxes and the
    objects' verdicts are computed once per page."""

    def __init__(self) -> None:
        self.boxes: dict[tuple[bytes, ...], Box | None] = {}  # shared clip path → its box
        self.objects: dict[bytes, Box | None] = {}  # text object → its clip box
        self.reaching: dict[bytes, bool] = {}  # text object → reaches outside its box

    def hides(self, obj: Any, address: bytes, rect: Any) -> bool:
        if address not in self.objects:
            self.objects[address] = clip_box(obj, self.boxes)
        clip = self.objects[address]
        if clip is None:
            return False
        x, y = (rect.left + rect.right) / 2, (rect.top + rect.bottom) / 2
        if clip[0] <= x <= clip[2] and clip[1] <= y <= clip[3]:
            return False
        if address not in self.reaching:
            self.reaching[address] = _reaches_past(obj, clip)
        return self.reaching[address]


def glyph_text(code: int) -> str:
    """A text page's character as pdfminer reads it (pdfium marks a line-end hyphen)."""
    return "-" if code == HYPHEN_MARK else chr(code)


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


def _reaches_past(obj: Any, clip: Box) -> bool:
    """Do the object's bounds reach outside its clip box (beyond the tolerance)?"""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return False
    bounds = (left.value, bottom.value, right.value, top.value)
    return not _inside(bounds, clip, CLIP_TOLERANCE_PT)


def clip_box(obj: Any, boxes: dict[tuple[bytes, ...], Box | None]) -> Box | None:
    """The bounding box of an object's clip region: the intersection of its clip paths.
    Objects drawn under one clip share its path data: the address of each path's first
    point identifies it while the page is loaded, and its box is computed once."""
    clip = pdfium_c.FPDFPageObj_GetClipPath(obj)
    if not clip:
        return None
    paths = range(pdfium_c.FPDFClipPath_CountPaths(clip))
    key = tuple(bytes(pdfium_c.FPDFClipPath_GetPathSegment(clip, path, 0)) for path in paths)
    if key not in boxes:
        boxes[key] = _paths_box(clip, paths)
    return boxes[key]


def _paths_box(clip: Any, paths: range) -> Box | None:
    box: Box | None = None
    x, y = ctypes.c_float(), ctypes.c_float()
    segment_at, point_of = pdfium_c.FPDFClipPath_GetPathSegment, pdfium_c.FPDFPathSegment_GetPoint
    for path in paths:
        xs, ys = [], []
        for n in range(pdfium_c.FPDFClipPath_CountPathSegments(clip, path)):
            point_of(segment_at(clip, path, n), x, y)
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
