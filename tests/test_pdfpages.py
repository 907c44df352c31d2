"""Looking pages up through the page tree's /Count gives what pdfplumber's full walk gives."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from _paths import FIXTURES

from extract.read.pdf.pages import SomePagesPDF, TreeInconsistent, find_pages
from extract.read.pdf.reader import pages_to_blocks

# Page tree of the hand-made PDF: nested Pages nodes of uneven size (pages 1-7).
TREE = [[1, 2], [3, [4, 5, 6]], 7]


def _tree_pdf(path: Path, tree: list[object], *, lie: bool = False) -> Path:
    """A PDF whose pages say "page N", with ``tree`` as its page tree. ``lie`` makes the
    second kid's /Count one too large (a damaged file)."""
    objects: dict[int, bytes] = {}
    next_id = [3]  # 1 catalog, 2 font

    def alloc() -> int:
        next_id[0] += 1
        return next_id[0] - 1

    def node(spec: object, parent: int) -> tuple[int, int]:
        own = alloc()
        if isinstance(spec, int):
            content = alloc()
            stream = f"BT /F1 24 Tf 72 700 Td (page {spec}) Tj ET".encode()
            objects[content] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
            objects[own] = (f"<< /Type /Page /Parent {parent} 0 R /Contents {content} 0 R "
                            "/Resources << /Font << /F1 2 0 R >> >> >>").encode()  # fmt: skip
            return own, 1
        kids = [node(k, own) for k in spec]  # type: ignore[attr-defined]
        count = sum(c for _, c in kids)
        if lie and spec is tree[1]:
            count += 1
        refs = " ".join(f"{k} 0 R" for k, _ in kids)
        parent_entry = f"/Parent {parent} 0 R " if parent != 1 else ""
        objects[own] = (f"<< /Type /Pages {parent_entry}/Kids [{refs}] /Count {count} "
                        "/MediaBox [0 0 595 842] >>").encode()  # fmt: skip
        return own, count

    root_id = alloc()
    objects[root_id] = b""
    kids = [node(k, root_id) for k in tree]
    total = sum(c for _, c in kids)
    refs = " ".join(f"{k} 0 R" for k, _ in kids)
    objects[root_id] = (
        f"<< /Type /Pages /Kids [{refs}] /Count {total} /MediaBox [0 0 595 842] >>".encode()
    )
    objects[1] = f"<< /Type /Catalog /Pages {root_id} 0 R >>".encode()
    objects[2] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for objid in sorted(objects):
        offsets[objid] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (objid, objects[objid])
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for objid in range(1, size):
        out += b"%010d 00000 n \n" % offsets[objid]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    path.write_bytes(bytes(out))
    return path


def _pages(cls: type[pdfplumber.PDF], path: Path, wanted: list[int]) -> list[tuple[int, str]]:
    with cls.open(path, pages=wanted) as pdf:
        return [(p.page_number, p.extract_text()) for p in pdf.pages]


@pytest.mark.parametrize("wanted", [[1], [4], [3, 6], [2, 5, 7], [7, 9], list(range(1, 8))])
def test_nested_tree_pages_are_found_by_count(tmp_path: Path, wanted: list[int]) -> None:
    path = _tree_pdf(tmp_path / "tree.pdf", TREE)
    with SomePagesPDF.open(path) as pdf:
        found = find_pages(pdf.doc, set(wanted))
    assert [n for n, _, _ in found] == [w for w in wanted if w <= 7]
    got = _pages(SomePagesPDF, path, wanted)
    assert got == [(n, f"page {n}") for n in wanted if n <= 7]
    assert got == _pages(pdfplumber.PDF, path, wanted)


def test_a_lying_count_falls_back_to_the_full_walk(tmp_path: Path) -> None:
    path = _tree_pdf(tmp_path / "lie.pdf", TREE, lie=True)
    with SomePagesPDF.open(path) as pdf, pytest.raises(TreeInconsistent):
        find_pages(pdf.doc, {7})
    # pdfplumber counts the leaves: page 7 is still the one that says "page 7"
    assert _pages(SomePagesPDF, path, [5, 7]) == [(5, "page 5"), (7, "page 7")]


def test_pages_and_doctop_match_pdfplumber_on_a_fixture() -> None:
    path = FIXTURES / "docs" / "budget-full.pdf"
    wanted = [3, 28, 29, 30]
    with pdfplumber.open(path, pages=wanted) as a, SomePagesPDF.open(path, pages=wanted) as b:
        assert [(p.page_number, p.initial_doctop, p.bbox, p.page_obj.pageid) for p in a.pages] == [
            (p.page_number, p.initial_doctop, p.bbox, p.page_obj.pageid) for p in b.pages
        ]
    blocks, _, counts = pages_to_blocks(path, [28, 29, 30], "pdfplumber")
    assert counts == {"pdfium": 0, "pdfplumber": 3}
    assert {b.page for b in blocks} == {28, 29, 30}
