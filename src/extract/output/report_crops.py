"""Source images for the review report: a row's region of its PDF page, outlined."""

from __future__ import annotations

from pathlib import Path
from typing import Any

RENDER_SCALE = 2.0  # 144 dpi
PAD_PT = 6.0
PALETTE_COLORS = 16  # a page crop: ink, paper and the two outlines; a quarter of the bytes
PROJECT_OUTLINE, INDICATOR_OUTLINE = (30, 90, 200), (230, 120, 0)


def render_crops(pdf_path: Path | None, folder: Path, projects: list[dict[str, Any]],
                 indicators: list[dict[str, Any]], *, key: str = "project_seq",
                 prefix: str = "p") -> dict[int, str]:  # fmt: skip
    """A PNG of each row's region (its bbox, padded: a project, a self-evaluation form), the
    row and its indicators (matched on ``key``) outlined; each page rendered once. Returns
    the row's ``key`` → the image's path from a document page."""
    if pdf_path is None or not any(p["bbox_page"] for p in projects):
        return {}
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    pages: dict[int, Any] = {}
    out: dict[int, str] = {}
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        for project in (p for p in projects if p["bbox_page"]):
            number = project["bbox_page"]
            if number not in pages:
                pages[number] = pdf[number - 1].render(scale=RENDER_SCALE).to_pil().convert("RGB")
            full = pages[number]
            x0, top, x1, bottom = _px(project, PAD_PT)
            left, upper = max(0, x0), max(0, top)
            crop = full.crop((left, upper, min(full.width, x1), min(full.height, bottom)))
            draw = ImageDraw.Draw(crop)
            for ind in indicators:
                if ind[key] == project[key] and ind["bbox_page"] == number:
                    draw.rectangle(_shifted(_px(ind), left, upper), outline=INDICATOR_OUTLINE,
                                   width=2)  # fmt: skip
            draw.rectangle(_shifted(_px(project), left, upper), outline=PROJECT_OUTLINE, width=3)
            folder.mkdir(parents=True, exist_ok=True)
            name = f"{prefix}{project[key]}.png"
            crop.quantize(PALETTE_COLORS, Image.Quantize.FASTOCTREE).save(
                folder / name
            )  # text and outlines
            out[project[key]] = f"../img/{folder.name}/{name}"
    finally:
        pdf.close()
    return out


def _shifted(box: tuple[int, int, int, int], left: int, upper: int) -> tuple[int, int, int, int]:
    return (box[0] - left, box[1] - upper, box[2] - left, box[3] - upper)


def _px(row: dict[str, Any], pad: float = 0.0) -> tuple[int, int, int, int]:
    s = RENDER_SCALE
    return (int((row["bbox_x0"] - pad) * s), int((row["bbox_top"] - pad) * s),
            int((row["bbox_x1"] + pad) * s), int((row["bbox_bottom"] + pad) * s))  # fmt: skip
