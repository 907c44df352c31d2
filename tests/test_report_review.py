"""The review report as a reviewer uses it: problems first, grouped, each linked to its row;
info collapsed; every page a project spans, each image opening at full size; the pages to check
for a verdict of no table; the index sorted by errors, then warnings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _paths import FIXTURES, SEED, SHARED
from test_report import CHROMIUM, _chromium, _console_errors

from extract.output.report import write_report
from extract.output.writer import write_result
from extract.run.pipeline import extract_document

SPLIT = FIXTURES / "docs" / "rows-merged.pdf"  # 7 projects, two cross a page break
PROSE = FIXTURES / "docs" / "budget-full.pdf"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    out = tmp_path_factory.mktemp("review")
    ids = {}
    for path in (SEED, SPLIT, PROSE):
        result = extract_document(path, settings={"isolate": False})
        write_result(result, out)
        ids[path.name] = result.document.doc_id
    no_table = out / "notes.txt"
    no_table.write_text("部门预算编制说明\n财政拨款收入100万元。\n", encoding="utf-8")
    result = extract_document(no_table, settings={"isolate": False})
    write_result(result, out)
    ids["notes.txt"] = result.document.doc_id
    write_report(out)
    return out / "report", ids


def _page(report: tuple[Path, dict[str, str]], name: str) -> str:
    root, ids = report
    return (root / "docs" / f"{ids[name]}.html").read_text("utf-8")


def test_problems_come_first_and_link_to_their_rows(report: tuple[Path, dict[str, str]]) -> None:
    html = _page(report, SEED.name)
    headings = re.findall(r"<h2>([^<]*)</h2>", html)
    assert headings[0].startswith("Problems (")
    targets = re.findall(r'href="#(p\d+(?:-i\d+)?)"', html)
    assert "p8-i2" in targets  # the seed's one warning: project 8, indicator 2
    for target in targets:
        assert f'id="{target}"' in html  # every link lands on a row or project


def test_repeated_issues_are_grouped_and_info_collapsed() -> None:
    from extract.output.report_document import problems

    issue = {"severity": "warning", "code": "project_without_indicators", "indicator_seq": None,
             "page": 3}  # fmt: skip
    issues = [{**issue, "project_seq": n, "message": f"project {n} '甲{n}' has no indicator"}
              for n in range(1, 60)]  # fmt: skip
    issues += [{"severity": "info", "code": "fragment_joined", "project_seq": None,
                "indicator_seq": None, "page": n, "message": "joined"} for n in range(76)]  # fmt: skip
    html = problems(issues)
    assert html.count("<tr") == 2  # the header and one group of 59
    assert "<td>59</td>" in html and "… 47 more" in html
    assert "<details><summary>info: fragment_joined × 76</summary>" in html


def test_every_page_of_a_project_has_its_image_opening_full_size(
    report: tuple[Path, dict[str, str]],
) -> None:
    root, _ = report
    html = _page(report, SPLIT.name)
    crossing = [seq for seq in set(re.findall(r'src="\.\./img/[^/]+/p(\d+)-\d+\.jpg"', html))
                if len(re.findall(rf'src="\.\./img/[^/]+/p{seq}-\d+\.jpg"', html)) > 1]  # fmt: skip
    assert len(crossing) == 2  # the two projects that cross a page break: two images each
    for href, src in re.findall(r'<a href="([^"]+)" target="_blank"><img src="([^"]+)"', html):
        assert href == src and (root / "docs" / src).resolve().is_file()


def test_a_no_table_verdict_shows_the_pages_to_check(report: tuple[Path, dict[str, str]]) -> None:
    read = _page(report, PROSE.name)  # a whole budget whose table was read: nothing to check
    notes = _page(report, "notes.txt")  # text: no table, no pages to show
    assert "Pages to check" in notes and "no table of another kind was recognised" in notes
    assert "Pages to check" not in read and 'class="thumbs"' not in read


def test_the_index_puts_errors_then_warnings_first(report: tuple[Path, dict[str, str]]) -> None:
    root, _ = report
    index = (root / "index.html").read_text("utf-8")
    assert '<th title="click to sort">errors</th>' in index
    rows = re.findall(r'<tr class="(\w*)" data-status="\w+">(.*?)</tr>', index)
    ranks = [{"error": 0, "warning": 1, "": 2}[cls] for cls, _ in rows]
    assert ranks == sorted(ranks) and 1 in ranks


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_a_reviewer_sees_the_problems_first_in_a_browser(
    report: tuple[Path, dict[str, str]],
) -> None:
    root, ids = report
    page = (root / "docs" / f"{ids[SPLIT.name]}.html").as_uri()
    shown = _chromium("--dump-dom", page)
    assert shown.returncode == 0 and not _console_errors(shown.stderr)
    body = shown.stdout
    assert body.index("Problems (") < body.index('class="project"')  # the first screen
    loaded = re.search(r'data-images="(\d+)" data-images-loaded="(\d+)"', body)
    assert loaded and int(loaded.group(1)) >= 9 and loaded.group(1) == loaded.group(2)
    crop = re.search(r'<a href="([^"]+\.jpg)" target="_blank">', body)
    assert crop is not None
    opened = _chromium("--dump-dom", (root / "docs" / crop.group(1)).resolve().as_uri())
    assert opened.returncode == 0 and "<img" in opened.stdout  # the crop opens at full size


NOBIAO = SHARED / "corpus" / "negative" / "sh-jdkfzx-2026-nobiao.pdf"


@pytest.mark.skipif(not NOBIAO.exists(), reason="the corpus is not beside the checkout")
def test_a_no_table_pdf_shows_thumbnails_of_the_pages_naming_the_table(tmp_path: Path) -> None:
    """A real budget that states its 绩效目标 in prose: no table, and the pages that name the
    table's parts shown small, each opening at full size."""
    result = extract_document(NOBIAO, settings={"isolate": False})
    assert result.document.status.value == "no_table"
    write_result(result, tmp_path)
    write_report(tmp_path)
    root = tmp_path / "report"
    html = (root / "docs" / f"{result.document.doc_id}.html").read_text("utf-8")
    thumbs = re.findall(
        r'<a href="([^"]+/f(\d+)\.png)" target="_blank"><img src="([^"]+/t(\d+)\.png)"', html
    )
    assert thumbs and all(full_page == thumb_page for _, full_page, _, thumb_page in thumbs)
    for full, _, thumb, _ in thumbs:
        assert (root / "docs" / full).resolve().is_file() and (
            root / "docs" / thumb
        ).resolve().is_file()
