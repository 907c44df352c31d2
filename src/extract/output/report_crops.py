"""Source images for the review report: a row's region of its PDF page, outlined."""

from __future__ import annotations

from pathlib import Path
from typing import Any

RENDER_SCALE = 2.0  # 144 dpi
JPEG_QUALITY = 70  # a project's pages: JPEG encodes 5x faster than a quantized PNG, as legible
PAD_PT = 6.0
PROJECT_OUTLINE, INDICATOR_OUTLINE = (30, 90, 200), (230, 120, 0)


def _shifted(box: tuple[int, int, int, int], left: int, upper: int) -> tuple[int, int, int, int]:
    return (box[0] - left, box[1] - upper, box[2] - left, box[3] - upper)


def _px(row: dict[str, Any], pad: float = 0.0) -> tuple[int, int, int, int]:
    s = RENDER_SCALE
    return (int((row["bbox_x0"] - pad) * s), int((row["bbox_top"] - pad) * s),
            int((row["bbox_x1"] + pad) * s), int((row["bbox_bottom"] + pad) * s))  # fmt: skip


def render_project_pages(pdf_path: Path | None, folder: Path, projects: list[dict[str, Any]],
                         indicators: list[dict[str, Any]], *, key: str = "project_seq",
                         prefix: str = "p") -> dict[int, list[str]]:  # fmt: skip
    """Every page a project (or a self-evaluation form: ``key`` = ``evaluation_seq``) spans,
    one image each: on each page the region of its rows there (its own box on its first page,
    its indicators' boxes on every page), padded, the rows outlined. Returns the row's ``key``
    → the images' paths from a document page."""
    regions = _regions(projects, indicators, key)
    if pdf_path is None or not regions:
        return {}
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    out: dict[int, list[str]] = {}
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        for number in sorted({page for _, page in regions}):
            full = pdf[number - 1].render(scale=RENDER_SCALE, rev_byteorder=True).to_pil()
            for (seq, page), (box, rows) in sorted(regions.items()):
                if page != number:
                    continue
                x0, top, x1, bottom = _px(box, PAD_PT)
                left, upper = max(0, x0), max(0, top)
                crop = full.crop((left, upper, min(full.width, x1), min(full.height, bottom)))
                draw = ImageDraw.Draw(crop)
                for row, colour in rows:
                    draw.rectangle(_shifted(_px(row), left, upper), outline=colour, width=2)
                folder.mkdir(parents=True, exist_ok=True)
                name = f"{prefix}{seq}-{page}.jpg"
                crop.save(folder / name, quality=JPEG_QUALITY)
                out.setdefault(seq, []).append(f"../img/{folder.name}/{name}")
    finally:
        pdf.close()
    return out


Region = tuple[dict[str, float], list[tuple[dict[str, Any], tuple[int, int, int]]]]


def _regions(projects: list[dict[str, Any]], indicators: list[dict[str, Any]],
             key: str) -> dict[tuple[int, int], Region]:  # fmt: skip
    """(its ``key``, page) → the box around a row's rows on that page, and those to outline."""
    out: dict[tuple[int, int], Region] = {}
    rows = [(p, PROJECT_OUTLINE) for p in projects if p["bbox_page"]]
    rows += [(i, INDICATOR_OUTLINE) for i in indicators if i["bbox_page"]]
    for row, colour in rows:
        at = (row[key], row["bbox_page"])
        box, outlined = out.get(at, ({}, []))
        out[at] = (_union(box, row), [*outlined, (row, colour)])
    return out


def _union(box: dict[str, float], row: dict[str, Any]) -> dict[str, float]:
    if not box:
        return {k: row[k] for k in BOX_KEYS}
    return {
        "bbox_x0": min(box["bbox_x0"], row["bbox_x0"]),
        "bbox_top": min(box["bbox_top"], row["bbox_top"]),
        "bbox_x1": max(box["bbox_x1"], row["bbox_x1"]),
        "bbox_bottom": max(box["bbox_bottom"], row["bbox_bottom"]),
    }


BOX_KEYS = ("bbox_x0", "bbox_top", "bbox_x1", "bbox_bottom")
THUMB_SCALE, FULL_SCALE = 0.35, 1.5
MAX_THUMBS = 12


def render_thumbnails(pdf_path: Path | None, folder: Path,
                      pages: list[int]) -> list[tuple[int, str, str]]:  # fmt: skip
    """(page, thumbnail, full page) images of the pages a reviewer should look at (a verdict
    of no table, or a table not read), at most :data:`MAX_THUMBS`."""
    if pdf_path is None or not pages:
        return []
    import pypdfium2 as pdfium

    out = []
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        for number in [p for p in pages if 1 <= p <= len(pdf)][:MAX_THUMBS]:
            page = pdf[number - 1]
            folder.mkdir(parents=True, exist_ok=True)
            for scale, name in ((THUMB_SCALE, f"t{number}.png"), (FULL_SCALE, f"f{number}.png")):
                page.render(scale=scale).to_pil().convert("L").save(folder / name)
            out.append((number, f"../img/{folder.name}/t{number}.png",
                        f"../img/{folder.name}/f{number}.png"))  # fmt: skip
    finally:
        pdf.close()
    return out


CANDIDATE_WORDS = ("绩效目标", "绩效指标", "项目支出", "指标值")


def pages_mentioning(pdf_path: Path | None, words: tuple[str, ...] = CANDIDATE_WORDS) -> list[int]:
    """The pages whose text layer holds one of ``words``: where a reviewer looks for a table
    the extraction did not find (pypdfium2 reads a page's text in about 2 ms)."""
    if pdf_path is None:
        return []
    import pypdfium2 as pdfium

    found = []
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        for number in range(1, len(pdf) + 1):
            text = pdf[number - 1].get_textpage().get_text_range()
            if any(w in "".join(text.split()) for w in words):
                found.append(number)
            if len(found) >= MAX_THUMBS:
                break
    finally:
        pdf.close()
    return found
