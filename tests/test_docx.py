"""Word documents: .docx read with python-docx (grids from the XML), legacy .doc through
LibreOffice where the Word 97 reader cannot (tests/test_doc_readers.py has both), and the Word
look-alikes (RTF, HTML, a zip without word/document.xml) refused."""

from __future__ import annotations

import os
import shutil
import stat
import time
import zipfile
from pathlib import Path

import pytest
from _paths import FIXTURES
from docx import Document
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from extract.errors import ExtractionError
from extract.models import Status
from extract.read.base import RawTable, TextLine
from extract.read.doc import extract_doc
from extract.read.docx import extract_docx
from extract.read.sniff import OLE2_MAGIC, ole_kind
from extract.run.pipeline import extract_document, run_document
from extract.settings import DEFAULT_SOFFICE_TIMEOUT_S, Settings

DOCS = FIXTURES / "docs"
ROWS_HEADER = ["项目名称", "资金总额", "财政拨款", "其他资金", "绩效目标",
               "一级指标", "二级指标", "三级指标", "指标值"]  # fmt: skip


def _save(doc: object, path: Path) -> Path:
    doc.save(str(path))  # type: ignore[attr-defined]
    return path


def _fill(table: object, rows: list[list[str]]) -> None:
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value  # type: ignore[attr-defined]


def _grid(path: Path, index: int = 0) -> list[list[str | None]]:
    return [row.cells for row in extract_docx(path, Settings()).tables[index].rows]


# --- merged cells ---------------------------------------------------------------------------


def test_horizontal_merge_keeps_text_in_the_first_position(tmp_path: Path) -> None:
    doc = Document()
    table = doc.add_table(rows=2, cols=3)
    _fill(table, [["", "", "C"], ["D", "", "F"]])
    table.cell(0, 0).merge(table.cell(0, 1)).text = "AB"
    assert _grid(_save(doc, tmp_path / "h.docx")) == [["AB", None, "C"], ["D", "", "F"]]


def test_vertical_merge_continue_cells_are_none(tmp_path: Path) -> None:
    doc = Document()
    table = doc.add_table(rows=3, cols=2)
    _fill(table, [["", "x1"], ["", "x2"], ["B", "x3"]])
    table.cell(0, 0).merge(table.cell(1, 0)).text = "项目甲"
    assert _grid(_save(doc, tmp_path / "v.docx")) == [["项目甲", "x1"], [None, "x2"], ["B", "x3"]]


def test_block_merge_covers_both_directions(tmp_path: Path) -> None:
    doc = Document()
    table = doc.add_table(rows=3, cols=3)
    _fill(table, [["", "", "c"], ["", "", "f"], ["g", "h", "i"]])
    table.cell(0, 0).merge(table.cell(1, 1)).text = "块"
    grid = _grid(_save(doc, tmp_path / "b.docx"))
    assert grid == [["块", None, "c"], [None, None, "f"], ["g", "h", "i"]]


def test_grid_before_and_after_positions_are_none(tmp_path: Path) -> None:
    doc = Document()
    table = doc.add_table(rows=2, cols=3)
    _fill(table, [["a", "b", "c"], ["", "e", ""]])
    tr = table.rows[1]._tr
    tcs = tr.tc_lst
    tr.remove(tcs[0])
    tr.remove(tcs[2])
    trPr = tr.get_or_add_trPr()
    for tag in ("w:gridBefore", "w:gridAfter"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "1")
        trPr.append(el)
    assert _grid(_save(doc, tmp_path / "g.docx")) == [["a", "b", "c"], [None, "e", None]]


def test_cell_paragraphs_are_joined_like_wrapped_pdf_lines(tmp_path: Path) -> None:
    doc = Document()
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "完善基层文化\n服务网络"  # two runs joined by a line break
    cell = table.cell(0, 1)
    cell.paragraphs[0].text = "total"
    cell.add_paragraph("amount")
    assert _grid(_save(doc, tmp_path / "p.docx")) == [["完善基层文化服务网络", "total amount"]]


def test_tracked_insertions_count_and_deletions_do_not(tmp_path: Path) -> None:
    doc = Document()
    p = doc.add_paragraph("部门名称：")
    ins = '<w:ins {} w:id="1" w:author="a"><w:r><w:t>某市某区</w:t></w:r></w:ins>'
    dele = '<w:del {} w:id="2" w:author="a"><w:r><w:delText>旧名</w:delText></w:r></w:del>'
    p._p.append(parse_xml(ins.format(nsdecls("w"))))
    p._p.append(parse_xml(dele.format(nsdecls("w"))))
    p.add_run("水务局")
    blocks = extract_docx(_save(doc, tmp_path / "t.docx"), Settings()).blocks
    assert blocks == [TextLine("部门名称：某市某区水务局")]


# --- document order and nesting -------------------------------------------------------------


def test_paragraphs_and_tables_come_in_document_order(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("2024年项目支出绩效目标表")
    doc.add_table(rows=1, cols=2).cell(0, 0).text = "表一"
    doc.add_paragraph("")  # empty paragraphs carry nothing
    doc.add_paragraph().add_run("部门名称：某局").add_break()  # a soft line break…
    doc.paragraphs[-1].add_run("单位：万元")  # …starts a new line
    doc.add_table(rows=1, cols=2).cell(0, 1).text = "表二"
    blocks = extract_docx(_save(doc, tmp_path / "o.docx"), Settings()).blocks
    kinds = [
        (type(b).__name__, b.text if isinstance(b, TextLine) else b.rows[0].cells) for b in blocks
    ]
    assert kinds == [
        ("TextLine", "2024年项目支出绩效目标表"),
        ("RawTable", ["表一", ""]),
        ("TextLine", "部门名称：某局"),
        ("TextLine", "单位：万元"),
        ("RawTable", ["", "表二"]),
    ]
    assert all(getattr(b, "page", None) is None for b in blocks)


def test_nested_table_follows_its_outer_table_and_is_not_in_its_cell(tmp_path: Path) -> None:
    doc = Document()
    outer = doc.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "外"
    host = outer.cell(0, 1)
    host.paragraphs[0].text = "说明"
    inner = host.add_table(rows=1, cols=2)
    _fill(inner, [["内1", "内2"]])
    doc.add_paragraph("之后")
    blocks = extract_docx(_save(doc, tmp_path / "n.docx"), Settings()).blocks
    assert [type(b).__name__ for b in blocks] == ["RawTable", "RawTable", "TextLine"]
    assert blocks[0].rows[0].cells == ["外", "说明"]  # type: ignore[union-attr]
    assert blocks[1].rows[0].cells == ["内1", "内2"]  # type: ignore[union-attr]


def test_a_one_cell_layout_table_is_unwrapped(tmp_path: Path) -> None:
    doc = Document()
    frame = doc.add_table(rows=1, cols=1).cell(0, 0)
    frame.paragraphs[0].text = "部门名称：某局"
    _fill(frame.add_table(rows=1, cols=2), [["甲", "乙"]])
    frame.add_paragraph("注：空白表示零。")
    blocks = extract_docx(_save(doc, tmp_path / "w.docx"), Settings()).blocks
    assert blocks == [
        TextLine("部门名称：某局"),
        RawTable(rows=blocks[1].rows, col_x=blocks[1].col_x),
        TextLine("注：空白表示零。"),
    ]
    assert blocks[1].rows[0].cells == ["甲", "乙"]  # type: ignore[union-attr]


def test_packed_nested_fixture_reads_the_inner_table_only() -> None:
    """fixtures/docs/packed-nested.docx: the packed table sits in a borderless 1x1 table."""
    doc = extract_docx(DOCS / "packed-nested.docx", Settings())
    [table] = doc.tables
    assert table.rows[0].cells[0] == "项目名称（资金使用单位）"
    assert "部门名称：某市某区退役军人事务局单位：万元" in [
        b.text for b in doc.blocks if isinstance(b, TextLine)
    ]


# --- end to end through the shared table code -------------------------------------------------


def test_rows_table_with_merged_project_cells_gives_one_project(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("2024年项目支出绩效目标表")
    doc.add_paragraph("部门名称：某区某局")
    table = doc.add_table(rows=4, cols=9)
    _fill(table, [ROWS_HEADER,
                  ["", "", "", "", "", "", "", "培训人次", "≥1,200人次"],
                  ["", "", "", "", "", "", "", "培训合格率", "≥95%"],
                  ["", "", "", "", "", "", "满意度指标", "学员满意度", "≥90%"]])  # fmt: skip
    for col, value in enumerate(["职业技能培训", "1,250.50", "1,200.00", "50.50", "开展培训"]):
        table.cell(1, col).merge(table.cell(3, col)).text = value
    table.cell(1, 5).merge(table.cell(2, 5)).text = "产出指标"
    table.cell(1, 6).merge(table.cell(2, 6)).text = "数量指标"
    table.cell(3, 5).text = "满意度指标"
    result = extract_document(_save(doc, tmp_path / "rows.docx"))
    assert result.document.status is Status.OK, result.document.error
    assert (result.document.format, result.document.layout) == ("docx", "rows")
    [project] = result.projects
    assert (project.project_name, str(project.total_yuan)) == ("职业技能培训", "12505000.00")
    assert [(i.level1_raw, i.level2_raw, i.name) for i in result.indicators] == [
        ("产出指标", "数量指标", "培训人次"),
        ("产出指标", "数量指标", "培训合格率"),
        ("满意度指标", "满意度指标", "学员满意度"),
    ]


def test_tables_split_one_per_page_are_stitched() -> None:
    """fixtures/docs/rows-split-tables.docx: three tables, each with its own header, a
    project cut by a table boundary continuing with empty name and amount cells."""
    extracted = extract_docx(DOCS / "rows-split-tables.docx", Settings())
    assert len(extracted.tables) == 3
    result = extract_document(DOCS / "rows-split-tables.docx")
    assert [len([i for i in result.indicators if i.project_seq == p.project_seq])
            for p in result.projects] == [6, 7, 5]  # fmt: skip
    joined = [i.message for i in result.issues if i.code == "fragment_joined"]
    assert joined == ["table fragment joined to the table above (header repeated)"] * 2


# --- refused look-alikes ----------------------------------------------------------------------


def test_zip_without_document_xml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/styles.xml", "<w:styles/>")
    for result in (extract_document(path), run_document(path, tmp_path / "out")):
        assert (result.document.format, result.document.status) == ("ooxml", Status.FAILED)
        assert result.document.error == (
            "the file is an Office package without word/document.xml or xl/workbook.xml: "
            "not a .docx or .xlsx (a .pptx, or a damaged document)"
        )


def test_a_zip_of_no_documents_says_so(tmp_path: Path) -> None:
    path = tmp_path / "styles.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/styles.xml", "<w:styles/>")
        zf.writestr("logo.png", b"\x89PNG\r\n\x1a\n")
    archive = run_document(path, tmp_path / "out")
    assert (archive.document.status, archive.members) == (Status.NO_TABLE, [])
    assert archive.document.error == "the archive holds no document (2 members)"
    skipped = [i.message for i in archive.issues if i.code == "archive_member_skipped"]
    assert skipped == [
        "word/styles.xml: not a document (txt): skipped",
        "logo.png: not a document (unknown): skipped",
    ]


def test_damaged_docx_is_a_failed_document_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<not xml")
    doc = extract_document(path).document
    assert (doc.format, doc.status) == ("docx", Status.FAILED)
    assert doc.error is not None and "damaged" in doc.error


def test_rtf_named_doc_is_refused_with_a_resave_hint(tmp_path: Path) -> None:
    path = tmp_path / "项目支出绩效目标表.doc"
    path.write_bytes(b"{\\rtf1\\ansi\\ansicpg936 {\\fonttbl{\\f0 SimSun;}} hello}")
    doc = extract_document(path).document
    assert (doc.format, doc.status) == ("rtf", Status.FAILED)
    assert doc.error == "the file is RTF, not a Word document; open and re-save it as .docx"


def test_html_named_doc_is_refused_as_a_web_page(tmp_path: Path) -> None:
    path = tmp_path / "项目支出绩效目标表.doc"
    path.write_text("<html><head><title>404 Not Found</title></head></html>", encoding="utf-8")
    doc = extract_document(path).document
    assert (doc.format, doc.status) == ("html", Status.FAILED)
    assert doc.error is not None and doc.error.startswith(
        "the file is an HTML page, not a document"
    )
    assert ".doc" in doc.error  # says a web page may carry a Word name


# --- legacy .doc through LibreOffice (a stand-in soffice: no LibreOffice needed) ---------------

FAKE_SOFFICE = """#!/bin/sh
printf '%s\\n' "$@" > "$FAKE_LOG"
out=""; prev=""
for a in "$@"; do [ "$prev" = "--outdir" ] && out="$a"; prev="$a"; done
case "$FAKE_MODE" in
  ok) mkdir -p "$out" && cp "$FAKE_DOCX" "$out/document.docx" ;;
  slow) exec sleep 30 ;;
  fail) echo "Error: source file could not be loaded" >&2; exit 1 ;;
  none) : ;;
esac
"""


@pytest.fixture
def fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A shell script named soffice first on PATH; FAKE_MODE picks its behaviour."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    script = bindir / "soffice"
    script.write_text(FAKE_SOFFICE)
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_LOG", str(tmp_path / "args.txt"))
    monkeypatch.setenv("FAKE_DOCX", str(DOCS / "rows-merged.docx"))
    monkeypatch.setenv("FAKE_MODE", "ok")
    return tmp_path / "args.txt"


def _ole2_file(tmp_path: Path, stream: str = "WordDocument") -> Path:
    path = tmp_path / "input" / "预算 公开.doc"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(OLE2_MAGIC + b"\x00" * 504 + stream.encode("utf-16-le") + b"\x00\x00")
    return path


def test_doc_is_converted_in_a_private_profile_and_read_as_docx(
    tmp_path: Path, fake_soffice: Path
) -> None:
    source = _ole2_file(tmp_path)
    before = source.read_bytes()
    result = extract_document(source)
    assert (result.document.format, result.document.status) == ("doc", Status.OK)
    assert len(result.projects) == 7  # rows-merged.docx, handed back by the stand-in
    args = fake_soffice.read_text().splitlines()
    assert args[:2] == ["--headless", "--norestore"]
    profile = next(a for a in args if a.startswith("-env:UserInstallation=file://"))
    workdir = Path(profile.removeprefix("-env:UserInstallation=file://")).parent
    assert args[-1] == str(workdir / "document.doc")  # a copy, not the user's file
    assert not workdir.exists()  # the temporary directory is gone
    assert source.read_bytes() == before and os.listdir(source.parent) == [source.name]


def test_doc_without_libreoffice_says_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("extract.read.doc.shutil.which", lambda name: None)
    with pytest.raises(ExtractionError, match=r"install.*apt-get install libreoffice-writer-nogui"):
        extract_doc(_ole2_file(tmp_path), Settings())
    assert "LibreOffice" in extract_document(_ole2_file(tmp_path)).document.error  # type: ignore[operator]


def test_doc_conversion_timeout_is_an_extraction_error(
    tmp_path: Path, fake_soffice: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_MODE", "slow")
    start = time.monotonic()
    with pytest.raises(ExtractionError, match=r"within 0\.5 s \(timed out"):
        extract_doc(_ole2_file(tmp_path), Settings(soffice_timeout_s=0.5))
    assert time.monotonic() - start < 10


def test_doc_conversion_failure_quotes_libreoffice(
    tmp_path: Path, fake_soffice: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_MODE", "fail")
    with pytest.raises(ExtractionError, match=r"exit 1\): Error: source file could not be loaded"):
        extract_doc(_ole2_file(tmp_path), Settings())


def test_no_output_message_names_what_the_ole2_file_holds(
    tmp_path: Path, fake_soffice: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_MODE", "none")
    # Refused from the stream names, before LibreOffice is asked.
    with pytest.raises(
        ExtractionError, match=r"not a Word document: the file is an Excel workbook"
    ):
        extract_doc(_ole2_file(tmp_path, "Workbook"), Settings())
    with pytest.raises(ExtractionError, match=r"not a Word document: .*without a WordDocument"):
        extract_doc(_ole2_file(tmp_path, "Unknown"), Settings())
    with pytest.raises(ExtractionError, match=r"could not read this Word \.doc \(damaged or pass"):
        extract_doc(_ole2_file(tmp_path, "WordDocument"), Settings())


def test_ole_kind_reads_stream_names() -> None:
    assert (
        ole_kind(OLE2_MAGIC + "WordDocument".encode("utf-16-le") + b"\x00\x00") == "a Word document"
    )
    assert ole_kind(OLE2_MAGIC + b"\x00" * 64) is None


def test_soffice_timeout_is_a_setting() -> None:
    assert Settings().soffice_timeout_s == DEFAULT_SOFFICE_TIMEOUT_S == 120
    assert Settings.resolve({"soffice_timeout_s": 5}).soffice_timeout_s == 5


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (soffice)")
def test_damaged_word_ole2_through_real_libreoffice(tmp_path: Path) -> None:
    """Real LibreOffice exits 0 and writes nothing when it cannot load a file: that is a
    failed document whose reason says why each of the two readers could not read it."""
    doc = extract_document(_ole2_file(tmp_path, "WordDocument")).document
    assert (doc.format, doc.status) == ("doc", Status.FAILED)
    first, _, second = (doc.error or "").partition("; LibreOffice could not read it either: ")
    assert first.startswith("the .doc is damaged: its OLE2 container cannot be read")
    assert second.startswith(
        "LibreOffice wrote no .docx: it could not read this Word .doc (damaged or password"
    )


def test_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    """A 1 MB .docx whose document.xml inflates to 1 GiB: refused from the zip directory."""
    import time
    import zipfile

    from extract.run.pipeline import extract_document

    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            for _ in range(64):
                fh.write(b"\0" * (1 << 24))
    assert bomb.stat().st_size < 2_000_000
    start = time.perf_counter()
    result = extract_document(bomb)
    assert time.perf_counter() - start < 2
    assert result.document.status.value == "failed"
    assert "refused as a zip bomb" in (result.document.error or "")


def test_a_table_knows_its_columns_left_edges(tmp_path: Path) -> None:
    """Each grid column's left edge in points, from w:tblInd and the w:gridCol widths: a table
    that goes on after a page break with another grid finds its columns by them."""
    from docx.shared import Cm

    doc = Document()
    table = doc.add_table(rows=1, cols=3)
    for col, width in zip(table.columns, (Cm(2), Cm(3), Cm(4)), strict=True):
        col.width = width
    indent = OxmlElement("w:tblInd")
    indent.set(qn("w:w"), "200")  # twips: 10 pt
    indent.set(qn("w:type"), "dxa")
    table._tbl.tblPr.append(indent)
    doc.save(path := tmp_path / "t.docx")
    [block] = [b for b in extract_docx(path, Settings()).blocks if isinstance(b, RawTable)]
    assert block.col_x is not None
    assert block.col_x == pytest.approx([10, 10 + Cm(2).pt, 10 + Cm(5).pt], abs=0.2)
