"""The project's own documents (fixtures/docs, made with python-docx and LibreOffice) against
the content the generator put in (<name>.truth.json), and against reviewed golden files."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from _paths import EXPECTED, FIXTURES, REALDOCS, SEED
from golden import check_golden

from extract.models import DocumentResult, Status
from extract.run.pipeline import extract_document
from extract.values.amounts import SCALES

DOCS = FIXTURES / "docs"
TRUTHS = sorted(DOCS.glob("*.truth.json"))
FORMATS = ["pdf", "docx", "doc"]
NEEDS_SOFFICE = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="legacy .doc needs LibreOffice (soffice) on PATH",
)
CASES = [
    pytest.param(t, fmt, id=f"{t.name.split('.')[0]}.{fmt}",
                 marks=[NEEDS_SOFFICE] if fmt == "doc" else [])
    for t in TRUTHS for fmt in FORMATS
    if t.with_name(t.name.replace(".truth.json", f".{fmt}")).exists()
]  # fmt: skip
DROP = {"doc_id", "page", "bbox"}  # what may differ between two formats of the same content


def _doc(truth: Path, fmt: str) -> Path:
    return truth.with_name(truth.name.replace(".truth.json", f".{fmt}"))


_cache: dict[Path, DocumentResult] = {}


def _extract(path: Path) -> DocumentResult:
    if path not in _cache:
        _cache[path] = extract_document(path)
    return _cache[path]


@pytest.mark.parametrize(("truth", "fmt"), CASES)
def test_matches_what_the_generator_put_in(truth: Path, fmt: str) -> None:
    expected = json.loads(truth.read_text("utf-8"))
    result = _extract(_doc(truth, fmt))
    doc = result.document
    assert doc.status is Status.OK, doc.error
    assert doc.layout is not None
    assert (doc.layout.value if doc.layout else None) == expected["layout"]
    for key in ("title", "department", "year", "amount_unit"):
        assert getattr(doc, key) == expected[key], key
    scale = SCALES[expected["amount_unit"]]
    assert [p.project_name for p in result.projects] == [
        p["project_name"] for p in expected["projects"]
    ]
    for got, want in zip(result.projects, expected["projects"], strict=True):
        assert got.unit_name == want["unit_name"]
        assert got.goal == want.get("goal")
        fields = (
            ("total", "fiscal", "other")
            if doc.layout.value == "form"
            else ("total", "fiscal", "special_account", "other")
        )
        for field in fields:
            value = getattr(got, f"{field}_yuan")
            if value is None:  # the table has no such column: the truth must say 0
                assert Decimal(want.get(field) or 0) == 0, field
            else:
                assert value == Decimal(want[field]) * scale, field
        inds = [i for i in result.indicators if i.project_seq == got.project_seq]
        assert [(i.level1_raw, i.level2_raw, i.name, i.period.raw, i.annual.raw) for i in inds] == [
            (i["level1"], i["level2"], i["name"], i.get("period"), i["annual"])
            for i in want["indicators"]
        ]


@pytest.mark.parametrize(("truth", "fmt"), CASES)
def test_golden(truth: Path, fmt: str) -> None:
    name = truth.name.replace(".truth.json", f".{fmt}")
    check_golden(_extract(_doc(truth, fmt)), EXPECTED / name)


def test_pages_are_provenance() -> None:
    """Projects and indicators carry the 1-based page where they are printed."""
    result = _extract(DOCS / "budget-full.pdf")
    pages = {i.page for i in result.indicators}
    assert pages and pages <= set(range(28, 31))
    assert result.document.page_count is not None and result.document.page_count > 30
    assert all(p.page is not None for p in result.projects)


def test_seed_pdf_gives_the_seed_text_rows() -> None:
    pdf, txt = _extract(DOCS / "seed-packed.pdf"), _extract(SEED)
    drop = DROP
    assert [p.model_dump(exclude=drop) for p in pdf.projects] == [
        p.model_dump(exclude=drop) for p in txt.projects
    ]
    assert [i.model_dump(exclude=drop) for i in pdf.indicators] == [
        i.model_dump(exclude=drop) for i in txt.indicators
    ]


def _rows(result: DocumentResult, drop: set[str]) -> tuple[list[dict[str, object]], ...]:
    return ([p.model_dump(exclude=drop) for p in result.projects],
            [i.model_dump(exclude=drop) for i in result.indicators])  # fmt: skip


TWINS = [t.name.replace(".truth.json", "") for t in TRUTHS
         if _doc(t, "docx").exists() and _doc(t, "pdf").exists()]  # fmt: skip


@pytest.mark.parametrize("name", TWINS)
def test_docx_and_its_pdf_give_the_same_rows(name: str) -> None:
    """The .pdf is LibreOffice's print of the .docx: the same projects and indicators, apart
    from page numbers (a .docx has none) and doc_id (other bytes)."""
    docx, pdf = _extract(DOCS / f"{name}.docx"), _extract(DOCS / f"{name}.pdf")
    assert docx.projects and docx.indicators
    assert _rows(docx, DROP) == _rows(pdf, DROP)
    assert {p.page for p in docx.projects} == {None}
    assert all(p.page is not None for p in pdf.projects)
    assert {p.bbox for p in docx.projects} | {i.bbox for i in docx.indicators} == {None}
    assert all(p.bbox is not None and p.bbox.page == p.page for p in pdf.projects)
    assert all(i.bbox is not None and i.bbox.page == i.page for i in pdf.indicators)
    meta = ("title", "department", "year", "amount_unit", "layout", "project_count",
            "indicator_count")  # fmt: skip
    assert [getattr(docx.document, k) for k in meta] == [getattr(pdf.document, k) for k in meta]


DOC_FILES = sorted(DOCS.glob("*.doc"))


@NEEDS_SOFFICE
@pytest.mark.parametrize("path", DOC_FILES, ids=[p.stem for p in DOC_FILES])
def test_doc_gives_the_rows_of_the_docx_it_was_made_from(path: Path) -> None:
    """fixtures/docs/*.doc are LibreOffice's Word 97 export of the .docx beside them."""
    doc, docx = _extract(path), _extract(path.with_suffix(".docx"))
    assert (doc.document.format, doc.document.status) == ("doc", Status.OK), doc.document.error
    assert docx.projects and docx.indicators
    assert _rows(doc, {"doc_id"}) == _rows(docx, {"doc_id"})


def test_doc_fixtures_exist() -> None:
    """The .doc path is exercised by at least one committed fixture (made by make_docs.py)."""
    assert DOC_FILES and all(p.read_bytes()[:4] == bytes.fromhex("d0cf11e0") for p in DOC_FILES)


NEGATIVES = sorted(REALDOCS.glob("*.pdf")) if REALDOCS.is_dir() else []


@pytest.mark.skipif(not NEGATIVES, reason="../shared/realdocs is absent")
@pytest.mark.parametrize("path", NEGATIVES, ids=[p.name[:30] for p in NEGATIVES])
def test_real_budgets_without_the_table_give_no_table(path: Path) -> None:
    result = extract_document(path)
    assert result.document.status is Status.NO_TABLE, result.document.error
    assert (result.projects, result.indicators) == ([], [])
    assert result.document.page_count and result.document.page_count > 5


@pytest.mark.parametrize("name", ["rows-merged", "form", "rows-two-header-rows", "form-wanyuan"])
def test_a_pdf_row_s_bbox_holds_its_text(name: str) -> None:
    """Cropped to its bbox, the page shows the indicator's name, and a project's bbox holds
    the indicators of its first page."""
    import pdfplumber

    result = _extract(DOCS / f"{name}.pdf")
    projects = {p.project_seq: p for p in result.projects}
    with pdfplumber.open(DOCS / f"{name}.pdf") as pdf:
        for ind in result.indicators:
            assert ind.bbox is not None and ind.bbox.page == ind.page
            page = pdf.pages[ind.bbox.page - 1]
            box = (ind.bbox.x0, ind.bbox.top, ind.bbox.x1, ind.bbox.bottom)
            shown = Counter(c["text"] for c in page.crop(box).chars)
            assert not Counter("".join(ind.name.split())) - shown  # every glyph of the name
            project = projects[ind.project_seq].bbox
            if project is not None and project.page == ind.bbox.page:
                assert project.top <= ind.bbox.top and ind.bbox.bottom <= project.bottom + 0.5
