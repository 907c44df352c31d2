"""The HTML of the review report: one overview page and one page per document, each
self-contained (inline CSS and script, images as files beside it: it works from file://)."""

from __future__ import annotations

from html import escape
from typing import Any

CSS = """
body{font:14px/1.45 system-ui,"Noto Sans CJK SC",sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;
vertical-align:top}th{background:#f3f3f3;cursor:pointer;text-align:left}
tr.warning td{background:#fff6d6}tr.error td{background:#fde0e0}.muted{color:#777}
.project{border-top:2px solid #888;margin-top:1.5em;padding-top:.5em;display:flex;gap:1.5em;
flex-wrap:wrap}.project .fields{flex:1 1 30em}.project img{max-width:48em;border:1px solid #999}
.issue{font-size:12px;color:#a40}input,select{margin:0 .5em .5em 0}
table.sortable th::after{content:" \\21C5";color:#999;font-size:11px}
.crops img{display:block;width:100%;max-width:100%;border:1px solid #999;margin:.3em 0}
.project .fields{flex:1 1 100%}tr:target td{outline:3px solid #e60;background:#fff0d0}
.thumbs{display:flex;flex-wrap:wrap;gap:.5em}.thumbs img{width:180px;border:1px solid #999}
"""

SORT_AND_FILTER_JS = """
function cellValue(row, i){const t=row.cells[i].dataset.v ?? row.cells[i].textContent;
  const n=parseFloat(t);return isNaN(n)?t:n;}
document.querySelectorAll('table.sortable th').forEach((th,i)=>th.addEventListener('click',()=>{
  const body=th.closest('table').tBodies[0];const asc=th.dataset.asc!=='1';
  th.dataset.asc=asc?'1':'0';
  [...body.rows].sort((a,b)=>{const x=cellValue(a,i),y=cellValue(b,i);
    return (x>y?1:x<y?-1:0)*(asc?1:-1);}).forEach(r=>body.appendChild(r));}));
function applyFilter(){const q=document.getElementById('q').value.toLowerCase();
  const s=document.getElementById('status').value;let shown=0;
  document.querySelectorAll('#docs tbody tr').forEach(r=>{
    const ok=r.textContent.toLowerCase().includes(q)&&(!s||r.dataset.status===s);
    r.style.display=ok?'':'none';shown+=ok;});
  document.getElementById('shown').textContent=shown;}
['q','status'].forEach(id=>{const e=document.getElementById(id);
  if(e)e.addEventListener('input',applyFilter);});
"""

IMAGE_CHECK_JS = """
window.addEventListener('load',()=>{const imgs=[...document.images];
  document.body.dataset.images=imgs.length;
  document.body.dataset.imagesLoaded=imgs.filter(i=>i.complete&&i.naturalWidth>0).length;});
"""


def page(title: str, body: str, script: str = "") -> str:
    """A whole HTML page."""
    return (f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{escape(title)}'
            f"</title><style>{CSS}</style></head><body>{body}<script>{script}{IMAGE_CHECK_JS}"
            "</script></body></html>")  # fmt: skip


def table(headers: list[str], rows: list[tuple[list[Any], str]] | list[Row], *,
          sortable: bool = False, table_id: str = "") -> str:  # fmt: skip
    """A table; each row is (cells, CSS class) or (cells, CSS class, its id: a link's target).
    A cell may be raw HTML (``Raw``). A sortable table's headers say so (⇅, a tooltip)."""
    tip = ' title="click to sort"' if sortable else ""
    head = "".join(f"<th{tip}>{escape(h)}</th>" for h in headers)
    body = "".join(f'<tr class="{row[1]}"{_row_id(row)}{_status(row[0])}>'
                   + "".join(_cell(c) for c in row[0]) + "</tr>" for row in rows)  # fmt: skip
    attrs = (' class="sortable"' if sortable else "") + (f' id="{table_id}"' if table_id else "")
    return f"<table{attrs}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


Row = tuple[list[Any], str, str]  # cells, CSS class, the row's id


def _row_id(row: tuple[Any, ...]) -> str:
    return f' id="{escape(row[2])}"' if len(row) > 2 and row[2] else ""


class Raw(str):
    """HTML that is already escaped (a link, an image)."""


def _cell(value: Any) -> str:
    if isinstance(value, Raw):
        return f"<td>{value}</td>"
    if value is None:
        return '<td class="muted">–</td>'
    return f"<td>{escape(str(value))}</td>"


def _status(cells: list[Any]) -> str:
    status = next((c for c in cells if isinstance(c, Status)), None)
    return f' data-status="{escape(status)}"' if status else ""


class Status(str):
    """A document status cell (also the row's data-status, for the filter)."""


def link(href: str, text: str) -> Raw:
    return Raw(f'<a href="{escape(href)}">{escape(text)}</a>')


def image(src: str, alt: str) -> Raw:
    return Raw(f'<img src="{escape(src)}" alt="{escape(alt)}" loading="lazy">')


def heading(level: int, text: str) -> str:
    return f"<h{level}>{escape(text)}</h{level}>"


def paragraph(text: str, cls: str = "") -> str:
    return f'<p class="{cls}">{escape(text)}</p>' if cls else f"<p>{escape(text)}</p>"
