"""A document's page of the review report, problems first: its errors and warnings, grouped
where they repeat, each linked to the project or indicator row it concerns; the info notes
collapsed into counts; for a ``no_table`` or ``table_not_read`` verdict, thumbnails of the pages
to check and the tables skipped by kind; then every project with every page it spans, each
crop full width and opening at full resolution, and its indicator rows (each a link target)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from html import escape
from typing import Any

from extract.output.report_html import Raw, heading, image, link, paragraph, table

MONEY = ("total_yuan", "fiscal_yuan", "other_yuan", "carryover_yuan", "project_total_yuan")
FIELDS = ("project_seq", "project_name", "project_code", "unit_name", *MONEY, "goal",
          "goal_total", "page")  # fmt: skip
NO_IMAGE = '<p class="muted">no source image (not a PDF, or the source is not at hand)</p>'
INDICATOR_COLUMNS = ["#", "page", "一级", "二级", "三级指标", "年度指标值 (raw)", "op", "value",
                     "unit", "date", "实施期 (raw)", "issues"]  # fmt: skip
MAX_WHERE = 12  # links listed for one group of repeated issues


def header(doc: dict[str, Any]) -> str:
    """The title line and what became of the document."""
    facts = (f"{doc['status']} · {doc['format']} · {doc['layout'] or 'no layout'} · "
             f"{doc['department'] or 'department unknown'} · {doc['year'] or 'year unknown'} · "
             f"pages {doc['table_pages'] or '–'} · {doc['source']}")  # fmt: skip
    body = heading(1, doc["file_name"] or doc["source"]) + paragraph(facts)
    if doc.get("error") and doc["status"] != "ok":
        body += paragraph(doc["error"], "issue")
    return body + '<p><a href="../index.html">all documents</a></p>'


def problems(issues: list[dict[str, Any]]) -> str:
    """Errors and warnings, repeated ones grouped, with links to their rows; info as counts."""
    shown = [i for i in issues if i["severity"] in ("error", "warning")]
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for issue in sorted(shown, key=lambda i: i["severity"] != "error"):
        groups[(issue["severity"], issue["code"], _pattern(issue["message"]))].append(issue)
    rows = [([severity, code, len(group), group[0]["message"], _where(group)], severity)
            for (severity, code, _), group in groups.items()]  # fmt: skip
    body = heading(2, f"Problems ({len(shown)})", ) + (
        table(["severity", "code", "times", "message (the first)", "where"], rows)
        if rows else paragraph("no errors or warnings"))  # fmt: skip
    info = Counter(i["code"] for i in issues if i["severity"] == "info")
    if info:
        counts = ", ".join(f"{code} × {n}" for code, n in info.most_common())
        listed = "".join(f"<li>{escape(i['code'])}: {escape(i['message'])}</li>"
                         for i in issues if i["severity"] == "info")  # fmt: skip
        body += (f"<details><summary>info: {escape(counts)}</summary><ul>{listed}</ul>"
                 "</details>")  # fmt: skip
    return body


def _pattern(message: str) -> str:
    """A message with its numbers and quoted parts blanked: repeated issues group together."""
    return re.sub(r"\d+(?:\.\d+)?|'[^']*'|\"[^\"]*\"", "#", message)


def _where(group: list[dict[str, Any]]) -> Raw:
    """Links to the rows an issue group concerns (its project, or indicator), else its pages."""
    links = []
    for issue in group[:MAX_WHERE]:
        project, indicator, page = issue["project_seq"], issue["indicator_seq"], issue["page"]
        if project is not None and indicator is not None:
            links.append(link(f"#p{project}-i{indicator}", f"{project}.{indicator}"))
        elif project is not None:
            links.append(link(f"#p{project}", f"project {project}"))
        elif page is not None:
            links.append(Raw(escape(f"p.{page}")))
    more = f" … {len(group) - MAX_WHERE} more" if len(group) > MAX_WHERE else ""
    return Raw(" ".join(links) + escape(more))


def candidates(doc: dict[str, Any], thumbs: list[tuple[int, str, str]]) -> str:
    """A verdict of no table (or of a table not read): the tables skipped by kind and the
    pages to look at, each opening at full size."""
    if doc["status"] not in ("no_table", "partial") and not doc.get("tables_not_read"):
        return ""
    body = heading(2, "Pages to check")
    skipped = [part.strip() for part in (doc.get("tables_skipped") or "").split(";") if part]
    body += table(["kind", "pages"], [(part.split(":", 1), "") for part in skipped]) \
        if skipped else paragraph("no table of another kind was recognised")  # fmt: skip
    if doc.get("tables_not_read"):
        unread = f"a table printed but not read: pages {doc['tables_not_read']}"
        body += paragraph(unread, "issue")
    if thumbs:
        body += paragraph(
            "the pages that name the table's parts (绩效目标, 绩效指标, 项目支出 …) "
            "or hold the tables above; a click opens a page at full size"
        )
        cells = "".join(f'<a href="{escape(full)}" target="_blank">{image(thumb, f"page {n}")}</a>'
                        for n, thumb, full in thumbs)  # fmt: skip
        body += f'<div class="thumbs">{cells}</div>'
    return body


def candidate_pages(doc: dict[str, Any]) -> list[int]:
    """The pages named by ``tables_not_read`` and ``tables_skipped`` (``12-14``, ``3``)."""
    texts = [doc.get("tables_not_read") or ""]
    texts += [part.split(":", 1)[-1] for part in (doc.get("tables_skipped") or "").split(";")]
    pages: set[int] = set()
    for text in texts:
        for first, last in re.findall(r"(\d+)(?:-(\d+))?", text):
            pages.update(range(int(first), int(last or first) + 1))
    return sorted(pages)


def project_section(project: dict[str, Any], indicators: list[dict[str, Any]],
                    issues: list[dict[str, Any]], crops: list[str]) -> str:  # fmt: skip
    """A project: its fields, its notes, its images (one per page), its indicator rows."""
    seq = project["project_seq"]
    own = [i for i in issues if i["project_seq"] == seq and i["indicator_seq"] is None]
    fields = table(["field", "value"], [([k, project[k]], "") for k in FIELDS])
    notes = "".join(paragraph(f"{i['severity']}: {i['message']}", "issue") for i in own)
    shown = "".join(f'<a href="{escape(c)}" target="_blank">{image(c, f"project {seq}")}</a>'
                    for c in crops) or NO_IMAGE  # fmt: skip
    rows = []
    for ind in (i for i in indicators if i["project_seq"] == seq):
        mine = [i for i in issues if i["project_seq"] == seq
                and i["indicator_seq"] == ind["indicator_seq"]]  # fmt: skip
        rows.append(([ind["indicator_seq"], ind["page"], ind["level1_raw"], ind["level2_raw"],
                      ind["name"], ind["annual_raw"], ind["annual_op"], ind["annual_value"],
                      ind["annual_unit"], ind["annual_date"], ind["period_raw"],
                      "; ".join(i["message"] for i in mine) or None], _severity(mine),
                     f"p{seq}-i{ind['indicator_seq']}"))  # fmt: skip
    grid = table(INDICATOR_COLUMNS, rows)
    title = heading(2, f"{seq}. {project['project_name']}")
    return (f'<section class="project" id="p{seq}"><div class="fields">{title}{fields}{notes}'
            f'</div><div class="crops">{shown}</div></section>{grid}')  # fmt: skip


def _severity(issues: list[dict[str, Any]]) -> str:
    kinds = {i["severity"] for i in issues}
    return "error" if "error" in kinds else "warning" if "warning" in kinds else ""
