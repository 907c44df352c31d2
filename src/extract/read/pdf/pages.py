"""Random access to a few pages of a long PDF for pdfplumber.

``pdfplumber.open(path, pages=[...])`` still walks the whole page tree and builds a pdfminer
``PDFPage`` (resources, boxes, content streams) for every page of the document before it skips
the unwanted ones: 0.05 s per 100 pages, paid again by every page worker, and 1 s for a
2,000-page document of which only 20 pages hold the table. The page tree says how many pages
each subtree holds (``/Count``), so the wanted pages can be reached directly, parsing only the
nodes on their way. Anything unexpected in the tree (a wrong ``/Count``, a cycle, a missing
``/Type``) makes the lookup give up, and pdfplumber's own walk decides as before.
"""

from __future__ import annotations

from typing import Any

from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import LITERAL_PAGE, LITERAL_PAGES, PDFPage
from pdfminer.pdftypes import PDFObjRef, dict_value, int_value, list_value, resolve1
from pdfplumber.page import Page
from pdfplumber.pdf import PDF

MAX_TREE_DEPTH = 64  # real page trees are a few levels deep


class TreeInconsistent(Exception):
    """The page tree does not match its own /Count entries: use the full walk."""


class SomePagesPDF(PDF):
    """A pdfplumber PDF whose ``pages`` (with a ``pages=`` list) are looked up by /Count."""

    @property
    def pages(self) -> list[Page]:
        if hasattr(self, "_pages"):
            return self._pages
        found = None
        if self.pages_to_parse is not None:
            try:
                found = find_pages(self.doc, set(self.pages_to_parse))
            except Exception:  # TreeInconsistent, or pdfminer's errors on a damaged tree:
                found = None  # pdfplumber's own walk decides
        if found is None:
            full: list[Page] = PDF.pages.fget(self)  # type: ignore[attr-defined]
            return full
        doctop = 0.0
        self._pages = []
        for number, pageid, attrs in found:
            page = Page(self, PDFPage(self.doc, pageid, attrs, None), page_number=number,
                        initial_doctop=doctop)  # fmt: skip
            self._pages.append(page)
            doctop += float(page.height)
        return self._pages


def find_pages(doc: PDFDocument, wanted: set[int]) -> list[tuple[int, object, dict[str, Any]]]:
    """``(page number, object id, attributes with the inherited ones)`` of the wanted pages
    (1-based) that exist, in page order; :class:`TreeInconsistent` when the tree's counts lie."""
    root = doc.catalog.get("Pages")
    if root is None:
        raise TreeInconsistent("no /Pages in the catalog")
    found: list[tuple[int, object, dict[str, Any]]] = []
    _visit(root, dict(doc.catalog), 1, wanted, found, set(), 0)
    return found


def _visit(
    ref: Any, parent: dict[str, Any], first: int, wanted: set[int],
    found: list[tuple[int, object, dict[str, Any]]], seen: set[object], depth: int,
) -> int:  # fmt: skip
    """Collect the wanted pages under ``ref``, whose first page is ``first``; return how many
    pages it holds."""
    if depth > MAX_TREE_DEPTH:
        raise TreeInconsistent("page tree too deep")
    objid = ref.objid if isinstance(ref, PDFObjRef) else id(ref)
    if objid in seen:
        raise TreeInconsistent("cycle in the page tree")
    seen.add(objid)
    props = dict(dict_value(resolve1(ref)))
    for key in PDFPage.INHERITABLE_ATTRS:
        if key not in props and key in parent:
            props[key] = parent[key]
    kind = props.get("Type")
    if kind is LITERAL_PAGE:
        if first in wanted:
            found.append((first, objid, props))
        return 1
    if kind is not LITERAL_PAGES or "Kids" not in props or "Count" not in props:
        raise TreeInconsistent(f"page tree node of type {kind!r}")
    kids = list_value(props["Kids"])
    count = int_value(props["Count"])
    number = first
    for kid in kids:
        # Kids of a node with as many pages as kids hold one page each: no need to parse them
        # to know that. Otherwise a kid's size is its own /Count (1 for a page).
        size = 1 if count == len(kids) else _size(kid)
        if any(number <= w < number + size for w in wanted):
            if _visit(kid, props, number, wanted, found, seen, depth + 1) != size:
                raise TreeInconsistent("a /Count does not match the pages below it")
        number += size
    if number - first != count:
        raise TreeInconsistent("/Count does not match the kids")
    return count


def _size(ref: Any) -> int:
    props = dict_value(resolve1(ref))
    if props.get("Type") is LITERAL_PAGE:
        return 1
    if props.get("Type") is LITERAL_PAGES and "Count" in props:
        size = int_value(props["Count"])
        if size >= 0:
            return size
    raise TreeInconsistent("page tree kid without a size")
