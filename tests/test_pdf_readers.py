"""The fast PDF page reader (pypdfium2) against the reference (pdfplumber): the same blocks
on every table page, the same records, and pdfplumber for the pages the fast reader cannot
read as pdfminer would (issue #13)."""

from __future__ import annotations

import math
import multiprocessing
import subprocess
import sys
import zlib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pytest
from _paths import FIXTURES, SHARED

from extract.models import Indicator, TargetValue
from extract.output.writer import records_to_arrow
from extract.read.pdf.fast import NeedsReference, read_page
from extract.read.pdf.fonts import base_name, page_fonts
from extract.read.pdf.reader import pages_to_blocks
from extract.run.pdfdiff import ReaderComparison, compare_readers, hide_system_fonts

FIXTURE_PDFS = sorted((FIXTURES / "docs").glob("*.pdf"))
CORPUS_PDFS = sorted((SHARED / "corpus" / "positive").glob("*.pdf"))


def _verdict(path: Path) -> tuple[str, dict[int, str], list[str], dict[str, int]]:
    result = compare_readers(path)
    return path.name, result.pages, result.records, result.pages_read


@pytest.mark.parametrize("path", FIXTURE_PDFS, ids=lambda p: p.name)
def test_fixture_pdfs_read_the_same_with_both_readers(path: Path) -> None:
    _, pages, records, read = _verdict(path)
    assert pages == {} and records == []
    assert read["pdfium"] > 0 and read["pdfplumber"] == 0


def _one_per_city(paths: list[Path]) -> list[Path]:
    """The smallest real budget of each city (the file name's first part): every template
    family, in a fraction of the time. ``make corpus`` compares all of them
    (bench/diff_readers.py)."""
    smallest: dict[str, Path] = {}
    for path in sorted(paths, key=lambda p: p.stat().st_size):
        smallest.setdefault(path.name.split("-")[0], path)
    return sorted(smallest.values())


@pytest.mark.skipif(not CORPUS_PDFS, reason="../shared/corpus is not beside the checkout")
def test_corpus_positives_read_the_same_with_both_readers() -> None:
    """Every table page of a real budget of each city: identical blocks and records; no page
    needs the reference reader."""
    sample = _one_per_city(CORPUS_PDFS)
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("forkserver")) as pool:
        verdicts = list(pool.map(_verdict, sample))
    differing = {name: (pages, records) for name, pages, records, _ in verdicts if pages or records}
    assert differing == {} and len(sample) >= 8
    fast = sum(read["pdfium"] for *_, read in verdicts)
    reference = sum(read["pdfplumber"] for *_, read in verdicts)
    assert fast > 50 and reference < 0.05 * (fast + reference)


def _read_without_system_fonts(path: Path, number: int) -> tuple[ReaderComparison, str]:
    """In a worker whose pdfium finds no installed font: both readers on the document, and
    why the fast reader refuses page ``number`` (empty if it reads it)."""
    result = compare_readers(path)
    try:
        read_page(
            pdfium.PdfDocument(str(path))[number - 1], number, page_fonts(path, [number])[number]
        )
    except NeedsReference as refused:
        return result, str(refused)
    return result, ""


@pytest.mark.skipif(not CORPUS_PDFS, reason="../shared/corpus is not beside the checkout")
def test_a_font_neither_embedded_nor_installed_sends_its_page_to_pdfplumber() -> None:
    """cq-jxw p.28 draws a few glyphs in FZFSK, which the PDF does not embed. Where no CJK
    font is installed, pdfium has no glyph for them and leaves one-glyph text objects out of
    its text page ('，' and '次。' were lost); that page goes to pdfplumber, the others do not."""
    path = SHARED / "corpus" / "positive" / "cq-jxw-2026.pdf"
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(1, mp_context=context, initializer=hide_system_fonts) as pool:
        result, refused = pool.submit(_read_without_system_fonts, path, 28).result()
    assert refused == "a font neither embedded nor installed (FZFSK--GBK1-0)"
    assert result.identical, (result.pages, result.records)
    assert result.pages_read == {"pdfium": 3, "pdfplumber": 1}
    assert "p.28 (a font neither embedded nor installed" in result.fallback_reasons[0]


def test_font_names_are_pdfminers_for_gbk_names_and_same_named_subsets() -> None:
    """pdfplumber names a glyph's font by its descriptor's FontName: a GBK name as Python's
    text of its bytes (bj-sthjj: b'ABCDEE+\\xcb\\xce\\xcc\\xe5'), and of two fonts called
    SimSun, each its own (yt-zjj p.97). The fast reader gives the same names, which
    dedupe_chars compares."""
    seen: set[str] = set()
    for name, number in [("bj-sthjj-2026.pdf", 3), ("yt-zjj-2026.pdf", 97)]:
        path = SHARED / "corpus" / "positive" / name
        if not path.exists():
            pytest.skip("../shared/corpus is not beside the checkout")
        fast = read_page(pdfium.PdfDocument(str(path))[number - 1], number,
                         page_fonts(path, [number])[number])  # fmt: skip
        with pdfplumber.open(path) as pdf:
            reference = {_at(c): c["fontname"] for c in pdf.pages[number - 1].chars}
        names = [(reference[_at(c)], c["fontname"]) for c in fast.chars if _at(c) in reference]
        assert len(names) > 300 and [a for a, _ in names] == [b for _, b in names]
        seen |= {a for a, _ in names}
    assert {"b'ABCDEE+\\xcb\\xce\\xcc\\xe5'", "GLFZDZ+SimSun", "SimSun"} <= seen


def _at(char: dict[str, Any]) -> tuple[str, float, float]:
    return char["text"], round(char["x0"], 1), round(char["top"], 1)


# --- pages the fast reader leaves to pdfplumber ------------------------------------------


def _pdf(path: Path, content: bytes, font: bytes, extra: tuple[bytes, ...] = ()) -> Path:
    """A one-page PDF whose content stream is ``content`` and font /F1 is object 5."""
    stream = zlib.compress(content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        font,
        *extra,
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)  # fmt: skip
    path.write_bytes(bytes(out))
    return path


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TYPE3 = (b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] "
         b"/FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << /a 6 0 R >> "
         b"/Encoding << /Type /Encoding /Differences [97 /a] >> "
         b"/FirstChar 97 /LastChar 97 /Widths [1000] >>")  # fmt: skip
SQUARE = b"<< /Length 30 >>\nstream\n1000 0 d0 0 0 1000 1000 re f\nendstream"


@pytest.mark.parametrize(
    ("content", "font", "extra", "reason"),
    [
        (b"BT /F1 12 Tf 0 1 -1 0 300 400 Tm (rotated) Tj ET", HELVETICA, (), "rotated"),
        (b"BT /F1 12 Tf 100 700 Td (aaa) Tj ET", TYPE3, (SQUARE,), "Type3"),
    ],
    ids=["rotated-text", "type3-font"],
)
def test_pages_the_fast_reader_cannot_read_go_to_pdfplumber(
    tmp_path: Path, content: bytes, font: bytes, extra: tuple[bytes, ...], reason: str
) -> None:
    path = _pdf(tmp_path / "page.pdf", content, font, extra)
    pdf = pdfium.PdfDocument(str(path))
    with pytest.raises(NeedsReference, match=reason):
        read_page(pdf[0], 1, page_fonts(path, [1]).get(1))
    blocks, findings, counts = pages_to_blocks(path, [1])
    assert counts == {"pdfium": 0, "pdfplumber": 1}
    assert [f.code for f in findings] == ["pdf_reference_reader"] and reason in findings[0].message
    reference, _, _ = pages_to_blocks(path, [1], "pdfplumber")
    assert blocks == reference


def test_a_rotated_page_goes_to_pdfplumber_and_the_others_do_not(tmp_path: Path) -> None:
    source = FIXTURES / "docs" / "rows-merged.pdf"
    pdf = pdfium.PdfDocument(str(source))
    pdf[1].set_rotation(90)
    path = tmp_path / "rotated.pdf"
    pdf.save(str(path))
    blocks, findings, counts = pages_to_blocks(path, [1, 2, 3])
    assert counts == {"pdfium": 2, "pdfplumber": 1}
    assert "p.2 (rotated page)" in findings[-1].message
    reference, _, _ = pages_to_blocks(path, [1, 2, 3], "pdfplumber")
    assert sorted(blocks, key=lambda b: b.page or 0) == sorted(reference, key=lambda b: b.page or 0)


def test_glyphs_without_a_unicode_map_go_to_pdfplumber() -> None:
    """pdfplumber shows them as (cid:N), which the extractor flags; the fast reader cannot."""
    path = FIXTURES / "bad" / "cid-glyphs.pdf"
    _, findings, counts = pages_to_blocks(path, [1, 2])
    assert counts == {"pdfium": 0, "pdfplumber": 2}
    assert {f.code for f in findings} >= {"pdf_reference_reader", "cid_glyphs"}


# --- the pieces ------------------------------------------------------------------------


def test_glyph_descent_is_pdfminers_from_the_font_dictionary() -> None:
    """The fixtures' fonts declare Descent 0 (pdfium would use the font file's own): the
    digits of a title keep the top of the CJK text around them, as in pdfplumber."""
    path = FIXTURES / "docs" / "form.pdf"
    fonts = page_fonts(path, [2])[2]
    assert {info.descent for info in fonts.values()} == {0.0}
    page = read_page(pdfium.PdfDocument(str(path))[1], 2, fonts)
    title = [c for c in page.chars if c["top"] < 80]
    assert "2024" in "".join(c["text"] for c in title)
    assert len({round(c["top"], 3) for c in title}) == 1


def test_base_name_drops_only_a_subset_tag() -> None:
    assert base_name("ABCDEF+SimSun") == base_name("SimSun") == "SimSun"
    assert base_name("Abc+Font") == "Abc+Font"


def test_may_fork_only_without_other_threads() -> None:
    """In a fresh interpreter (this one runs pytest's and the libraries' threads)."""
    probe = ("import threading\nfrom extract.procs import may_fork\nalone = may_fork()\n"
             "stop = threading.Event()\nthreading.Thread(target=stop.wait).start()\n"
             "print(alone, may_fork())\nstop.set()\n")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]


def test_the_writer_converts_dates_decimals_and_nans() -> None:
    import datetime as dt

    base = {"doc_id": "d", "project_seq": 1, "indicator_seq": 1, "name": "n", "page": 1}
    dated = Indicator(**base, annual=TargetValue(raw="2026年6月底前", date=dt.date(2026, 6, 30)))
    table = records_to_arrow(Indicator, [dated])
    assert table.column("annual_date").to_pylist() == [dt.date(2026, 6, 30)]
    assert table.schema.field("name").metadata  # the descriptions stay on the fields
    odd = Indicator(**{**base, "indicator_seq": 2}, annual=TargetValue(raw="x", value=math.nan))
    fallback = records_to_arrow(Indicator, [dated, odd])  # JSON has no NaN: the usual way
    assert math.isnan(fallback.column("annual_value").to_pylist()[1])
