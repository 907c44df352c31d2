"""The review report's self-evaluation pages: one page per form (``docs/<doc_id>.e<seq>.html``)
with its fields and indicators beside the outlined source region, targets not met marked; the
document's page lists the forms with how many targets each missed."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from extract.output.atomic import write_bytes_atomically
from extract.output.report_crops import render_project_pages
from extract.output.report_document import NO_IMAGE
from extract.output.report_html import heading, image, link, page, paragraph, table

FIELDS = ("evaluation_seq", "project_name", "project_code", "department", "unit_name",
          "evaluated_year", "amount_unit", "budget_start_yuan", "budget_yuan", "spent_yuan",
          "carryover_yuan", "execution_rate_raw", "execution_score_raw", "score_raw", "grade",
          "goal", "goal_result", "page")  # fmt: skip
NOT_MET = "error"  # the row class of a target not met


def evaluation_pages(root: Path, doc: dict[str, Any], pdf: Path | None,
                     evaluations: list[dict[str, Any]], indicators: list[dict[str, Any]],
                     issues: list[dict[str, Any]]) -> tuple[str, int]:  # fmt: skip
    """Write one page per form; return the document page's list of them and the number of
    images written."""
    if not evaluations:
        return "", 0
    doc_id = doc["doc_id"]
    crops = render_project_pages(pdf, root / "img" / doc_id, evaluations, indicators,
                         key="evaluation_seq", prefix="e")  # fmt: skip
    rows = []
    for e in evaluations:
        seq = e["evaluation_seq"]
        own = [i for i in indicators if i["evaluation_seq"] == seq]
        missed = sum(1 for i in own if i["met"] is False)
        name = f"{doc_id}.e{seq}.html"
        html = _form_page(doc, e, own, _form_issues(issues, e), crops.get(seq, []))
        write_bytes_atomically(root / "docs" / name, html.encode("utf-8"))
        rows.append(([seq, link(name, e["project_name"]), e["unit_name"], e["budget_yuan"],
                      e["spent_yuan"], e["execution_rate_raw"], e["score_raw"], len(own), missed],
                     "warning" if missed else ""))  # fmt: skip
    listing = heading(2, f"Self-evaluations ({len(evaluations)})") + table(
        ["#", "project", "unit", "budget (yuan)", "spent (yuan)", "执行率", "总分",
         "indicators", "not met"], rows, sortable=True)  # fmt: skip
    return listing, sum(len(c) for c in crops.values())


def _form_issues(issues: list[dict[str, Any]], e: dict[str, Any]) -> list[dict[str, Any]]:
    marker = f"self-evaluation {e['evaluation_seq']} ("
    return [i for i in issues if i["message"].startswith(marker)]


def _form_page(doc: dict[str, Any], e: dict[str, Any], indicators: list[dict[str, Any]],
               issues: list[dict[str, Any]], crops: list[str]) -> str:  # fmt: skip
    seq = e["evaluation_seq"]
    fields = table(["field", "value"], [([k, e[k]], "") for k in FIELDS])
    notes = "".join(paragraph(f"{i['severity']}: {i['message']}", "issue") for i in issues)
    shown = "".join(f'<a href="{escape(c)}" target="_blank">{image(c, f"form {seq}")}</a>'
                    for c in crops) or NO_IMAGE  # fmt: skip
    rows = [([i["indicator_seq"], i["level1_raw"], i["level2_raw"], i["name"], i["target_raw"],
              i["actual_raw"], i["weight_raw"], i["score_raw"], _met(i["met"]), i["deviation"]],
             NOT_MET if i["met"] is False else "") for i in indicators]  # fmt: skip
    grid = table(["#", "一级", "二级", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                  "met", "偏差原因"], rows)  # fmt: skip
    back = f'<p><a href="{doc["doc_id"]}.html">{doc["file_name"] or doc["doc_id"]}</a></p>'
    body = (heading(1, f"{seq}. {e['project_name']}") + back
            + f'<section class="project"><div class="fields">{fields}{notes}</div>'
            f'<div class="crops">{shown}</div></section>{grid}')  # fmt: skip
    return page(f"{e['project_name']} · self-evaluation", body)


def _met(value: bool | None) -> str:
    return {True: "met", False: "NOT MET", None: "–"}[value]
