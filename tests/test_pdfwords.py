"""A cell's text by the short path (extractors/pdfwords.py) is pdfplumber's extract_text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _paths import FIXTURES, SHARED
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pdfplumber.utils.text import extract_text

from extract.read.pdf import page as pdfpage
from extract.read.pdf.readers import pages_to_blocks
from extract.read.pdf.words import cell_text


def _char(text: str, x0: float, width: float, top: float, upright: bool = True) -> dict[str, Any]:
    return {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + 10,
            "doctop": top, "upright": upright, "size": 10.0, "height": 10.0, "width": width,
            "fontname": "F"}  # fmt: skip


GLYPHS = st.builds(
    _char,
    text=st.sampled_from(["中", "文", "1", "a", " ", "\u3000", "%", "ﬁ"]),
    x0=st.integers(0, 80).map(lambda n: n / 2),
    width=st.sampled_from([0.0, 2.5, 5.0, 10.0]),
    top=st.sampled_from([0.0, 1.0, 2.9, 3.0, 3.1, 5.5, 6.0, 9.2, 20.0]),
    upright=st.sampled_from([True, True, True, False]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(GLYPHS, max_size=14))
@example([_char("中", 0, 5, 0.0), _char("文", 5, 5, 3.0)])  # tops exactly 3 pt apart
@example([_char("中", 0, 5, 0.0), _char("文", 5, 5, 3.0), _char("字", 10, 5, 6.0)])  # a chain
@example([_char("1", 0, 5, 0.0), _char("2", 8, 5, 0.0)])  # a gap of exactly 3 pt
@example([_char("1", 6, 5, 0.0), _char("2", 0, 5, 0.0), _char("3", 0, 5, 7.0)])
def test_any_glyphs_give_pdfplumbers_text(chars: list[dict[str, Any]]) -> None:
    assert cell_text(chars) == extract_text(chars)


@pytest.mark.parametrize(
    ("path", "pages"),
    [
        (FIXTURES / "docs" / "budget-full.pdf", [28, 29, 30]),
        (SHARED / "corpus" / "positive" / "gz-zsj-2026.pdf", list(range(1, 13))),
        (SHARED / "corpus" / "positive" / "bj-gxj-2026.pdf", list(range(40, 48))),
    ],
    ids=["fixture", "gz-zsj", "bj-gxj"],
)
def test_real_cells_give_pdfplumbers_text(
    path: Path, pages: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every cell the table step reads on dense real pages (packed gz-zsj, wrapped bj-gxj)."""
    if not path.exists():
        pytest.skip("../shared/corpus is not beside the checkout")
    seen: list[list[dict[str, Any]]] = []

    def recorded(chars: list[dict[str, Any]]) -> str:
        seen.append(list(chars))
        return cell_text(chars)

    monkeypatch.setattr(pdfpage, "cell_text", recorded)
    pages_to_blocks(path, pages)
    assert len(seen) > 50 and any("\n" in extract_text(c) for c in seen)
    assert [cell_text(c) for c in seen] == [extract_text(c) for c in seen]
