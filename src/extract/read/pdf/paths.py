"""A page's paths (inside forms too) read through pypdfium2 as pdfplumber's rect, line and
curve objects: each path is cut into subpaths at each move and classified as pdfminer's
``paint_path`` does (a closed axis-aligned four-corner subpath is a rectangle, a two-point one
a line, anything else a curve), in page space, with its paint (fill, stroke, colours)."""

from __future__ import annotations

import ctypes
from typing import Any

import pypdfium2.raw as pdfium_c

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MAX_FORM_DEPTH = 8


class NeedsReference(Exception):
    """This page is read by pdfplumber (the reason is the message)."""


def walk(
    parent: Any, number: int, height: float, texts: dict[bytes, tuple[int, Any]],
    outer: Matrix = IDENTITY, depth: int = 0,
) -> list[tuple[str, dict[str, Any]]]:  # fmt: skip
    """Every path of the page (inside forms too) as pdfplumber's rect/line/curve objects;
    every text object goes into ``texts`` with its place in the content stream."""
    out: list[tuple[str, dict[str, Any]]] = []
    is_form = depth > 0
    count = (pdfium_c.FPDFFormObj_CountObjects if is_form else pdfium_c.FPDFPage_CountObjects)(
        parent
    )
    get = pdfium_c.FPDFFormObj_GetObject if is_form else pdfium_c.FPDFPage_GetObject
    for index in range(count):
        obj = get(parent, index)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            texts[bytes(obj)] = (len(texts), obj)
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            out += _path_objects(obj, _concat(object_matrix(obj), outer), number, height)
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            if depth >= MAX_FORM_DEPTH:
                raise NeedsReference("forms nested too deep")
            inner = _concat(object_matrix(obj), outer)
            out += walk(obj, number, height, texts, inner, depth + 1)
    return out


def object_matrix(obj: Any) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _concat(inner: Matrix, outer: Matrix) -> Matrix:
    """``inner`` then ``outer`` (PDF row-vector convention: inner × outer)."""
    a, b, c, d, e, f = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)  # fmt: skip


def _path_objects(
    obj: Any, m: Matrix, number: int, height: float
) -> list[tuple[str, dict[str, Any]]]:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke)
    paint = {"fill": bool(fill.value), "stroke": bool(stroke.value),
             "non_stroking_color": _color(obj, pdfium_c.FPDFPageObj_GetFillColor),
             "stroking_color": _color(obj, pdfium_c.FPDFPageObj_GetStrokeColor),
             "linewidth": _stroke_width(obj), "page_number": number}  # fmt: skip
    out = []
    for shape, pts in _subpaths(obj, m):
        kind = _classify(shape, pts)
        if kind:
            out.append((kind, _shape_object(kind, pts, height, paint)))
    return out


def _subpaths(obj: Any, m: Matrix) -> list[tuple[str, list[tuple[float, float]]]]:
    """Each subpath as pdfminer sees it: its operators (m, l, c, h) and one point per
    operator (a curve's end point; a close's is the subpath's start), in page space."""
    x, y = ctypes.c_float(), ctypes.c_float()
    a, b, c, d, e, f = m
    parts: list[tuple[str, list[tuple[float, float]]]] = []
    shape, pts = "", list[tuple[float, float]]()
    bezier = 0
    for n in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, n)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = (x.value * a + y.value * c + e, x.value * b + y.value * d + f)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            if shape:
                parts.append((shape, pts))
            shape, pts = "m", [point]
        elif kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3 == 0:  # pdfium gives a curve's two control points and its end
                shape, pts = shape + "c", [*pts, point]
        else:
            shape, pts = shape + "l", [*pts, point]
        if pdfium_c.FPDFPathSegment_GetClose(segment) and pts:
            shape, pts = shape + "h", [*pts, pts[0]]
    if shape:
        parts.append((shape, pts))
    return parts


def _classify(shape: str, pts: list[tuple[float, float]]) -> str | None:
    """pdfminer's ``paint_path`` rules: a line, a rectangle, or a curve."""
    if not shape.startswith("m"):
        return None
    if len(shape) > 3 and shape.endswith("lh") and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    if shape in ("mlh", "ml"):
        return "line"
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        )
        if pts[0] == pts[4] and square:
            return "rect"
    return "curve"


def _shape_object(
    kind: str, pts: list[tuple[float, float]], height: float, paint: dict[str, Any]
) -> dict[str, Any]:
    if kind == "line":
        pts = pts[:2]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    obj = {"object_type": kind, **paint, "x0": x0, "x1": x1, "y0": y0, "y1": y1,
           "width": x1 - x0, "height": y1 - y0, "top": height - y1, "bottom": height - y0,
           "doctop": height - y1}  # fmt: skip
    if kind != "rect":
        obj["pts"] = [(px, height - py) for px, py in pts]
    return obj


def _color(obj: Any, getter: Any) -> tuple[float, ...]:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj, r, g, b, a):
        return ()
    return (r.value / 255, g.value / 255, b.value / 255)


def _stroke_width(obj: Any) -> float:
    width = ctypes.c_float()
    pdfium_c.FPDFPageObj_GetStrokeWidth(obj, width)
    return width.value
