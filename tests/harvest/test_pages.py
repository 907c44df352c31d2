"""Charset detection and link extraction from listing pages."""

from __future__ import annotations

import codecs
from urllib.parse import urlsplit

from hypothesis import given
from hypothesis import strategies as st

from extract.harvest.pages import body_to_text, charset_from_meta, html_to_links, normalize_url


def test_meta_charset_gbk() -> None:
    body = '<html><head><meta charset="gbk"></head><body>部门预算</body></html>'.encode("gbk")
    assert charset_from_meta(body) == "gbk"
    assert "部门预算" in body_to_text(body)


def test_http_equiv_gb2312() -> None:
    body = (
        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>绩效目标</p>'
    ).encode("gb2312")
    assert "绩效目标" in body_to_text(body)


def test_header_charset_wins_when_it_decodes() -> None:
    body = '<meta charset="gbk"><p>预算</p>'.encode()
    assert "预算" in body_to_text(body, "text/html; charset=UTF-8")


def test_utf8_bom() -> None:
    assert body_to_text(codecs.BOM_UTF8 + "预算".encode()) == "预算"


def test_links_resolved_deduplicated_and_cleaned() -> None:
    page = (
        '<base href="/gk/"><a href="a.pdf#p2"> ２０２４年\n 预算 </a><a href="a.pdf">dup</a>'
        '<a href="javascript:void(0)">x</a><a href="#top">top</a>'
        '<a href="附件 1.pdf">cn</a><a href="x.html" rel="next">&gt;</a><a>no href</a>'
    )
    links = html_to_links(page, "http://Gov.EXAMPLE/list/index.html")
    assert [link.url for link in links] == [
        "http://gov.example/gk/a.pdf",
        "http://gov.example/gk/%E9%99%84%E4%BB%B6%201.pdf",
        "http://gov.example/gk/x.html",
    ]
    assert links[0].text == "2024年 预算"
    assert links[2].rel_next


def test_xhtml_declaration_and_empty_page() -> None:
    page = '<?xml version="1.0" encoding="gbk"?><html><body><a href="a.pdf">a</a></body></html>'
    assert [link.url for link in html_to_links(page, "http://h/")] == ["http://h/a.pdf"]
    assert html_to_links("", "http://h/") == []


def test_normalize_url_is_idempotent() -> None:
    url = "HTTP://h/a b/附件.pdf?x=预算#frag"
    once = normalize_url(url)
    assert once == "http://h/a%20b/%E9%99%84%E4%BB%B6.pdf?x=%E9%A2%84%E7%AE%97"
    assert normalize_url(once) == once


@given(st.text(max_size=300))
def test_html_to_links_never_raises_and_returns_absolute_urls(text: str) -> None:
    for link in html_to_links(text, "http://h/dir/page.html"):
        assert urlsplit(link.url).scheme
        assert "#" not in link.url
