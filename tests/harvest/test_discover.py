"""Discovery over a scripted portal: pagination, second hop, GBK pages, hosts, robots, limits."""

from __future__ import annotations

from scripted import Reply, ScriptedServer, html, make_source

from extract.harvest import Discovery, HarvestSettings, HostLimiter, Source, SourceSession
from extract.harvest.fetch import Fetcher


def discover(source: Source, settings: HarvestSettings, limiter: HostLimiter) -> Discovery:
    session = SourceSession(source, fetcher=Fetcher(settings, limiter=limiter))
    try:
        from extract.harvest import discover_source

        return discover_source(source, session.fetcher, session.robots)
    finally:
        session.close()


def urls(discovery: Discovery) -> list[str]:
    return [d.url.rsplit("/", 1)[-1] for d in discovery.documents]


def test_pagination_by_next_link(server: ScriptedServer, settings, limiter) -> None:
    server.route(
        "/index.html",
        Reply(
            200, html('<a href="docs/a.pdf">2024年部门预算</a><a href="index_1.html">下一页</a>')
        ),
    )
    server.route(
        "/index_1.html",
        Reply(200, html('<a href="/docs/b.docx">b</a><a href="index_2.html">下一页</a>')),
    )
    server.route(
        "/index_2.html",
        Reply(
            200,
            html('<a href="docs/c.xlsx">c</a><a href="index_1.html">上一页</a><span>下一页</span>'),
        ),
    )
    found = discover(make_source(server), settings, limiter)
    assert urls(found) == ["a.pdf", "b.docx", "c.xlsx"]
    assert found.pages_fetched == 3
    assert found.documents[0].year == 2024
    assert found.documents[0].found_on == server.url("/index.html")
    assert found.failures == ()


def test_pagination_by_page_number_stops_at_404(server: ScriptedServer, settings, limiter) -> None:
    server.route("/index.html", Reply(200, html('<a href="a.pdf">a</a>')))
    server.route("/index_1.html", Reply(200, html('<a href="b.pdf">b</a>')))
    source = make_source(server, pagination={"page_url": "index_{n}.html", "first_page": 1})
    found = discover(source, settings, limiter)
    assert urls(found) == ["a.pdf", "b.pdf"]
    assert server.hits("/index_2.html") == 1
    assert found.failures == ()  # the 404 past the last page is the end, not an error


def test_page_number_pagination_stops_on_a_page_without_news(server, settings, limiter) -> None:
    page = Reply(200, html('<a href="a.pdf">a</a>'))
    server.route("/index.html", page)
    server.route("/index_1.html", page)  # a portal that answers 200 for any page number
    source = make_source(server, pagination={"page_url": "index_{n}.html"})
    found = discover(source, settings, limiter)
    assert urls(found) == ["a.pdf"]
    assert server.hits("/index_2.html") == 0


def test_two_hops_listing_article_attachment(server: ScriptedServer, settings, limiter) -> None:
    server.route(
        "/index.html",
        Reply(
            200,
            html(
                '<a href="/art/1.html">教育局2024年部门预算公开</a>'
                '<a href="/art/2.html">关于培训的通知</a>'
                '<a href="/art/1.html#top">教育局2024年部门预算公开</a>'
            ),
        ),
    )
    server.route(
        "/art/1.html",
        Reply(
            200,
            html(
                '<a href="../files/jxmb.pdf">附件1</a><a href="../files/sm.doc">附件2</a>'
                '<a href="/art/9.html">部门预算 related</a>'
            ),
        ),
    )
    source = make_source(
        server, articles={"url_patterns": [r"/art/\d+\.html$"], "text_patterns": ["部门预算"]}
    )
    found = discover(source, settings, limiter)
    assert urls(found) == ["jxmb.pdf", "sm.doc"]
    assert found.documents[0].found_on == server.url("/art/1.html")
    assert found.documents[0].year == 2024  # from the article's link text
    assert server.hits("/art/1.html") == 1  # deduplicated despite the #fragment
    assert server.hits("/art/2.html") == 0  # text does not match
    assert server.hits("/art/9.html") == 0  # no third hop from an article
    assert found.pages_fetched == 2


def test_gbk_listing_page_meta_charset(server: ScriptedServer, settings, limiter) -> None:
    body = html('<a href="a.pdf">临江区2024年部门预算</a>', charset="gbk")
    server.route("/index.html", Reply(200, body, headers={"Content-Type": "text/html"}))
    source = make_source(server, documents={"text_patterns": ["部门预算"]})
    found = discover(source, settings, limiter)
    assert [d.link_text for d in found.documents] == ["临江区2024年部门预算"]


def test_gbk_page_mislabelled_utf8_in_header(server: ScriptedServer, settings, limiter) -> None:
    body = html('<a href="a.pdf">绩效目标表</a>', charset="gb2312")
    server.route(
        "/index.html", Reply(200, body, headers={"Content-Type": "text/html; charset=utf-8"})
    )
    found = discover(make_source(server), settings, limiter)
    assert [d.link_text for d in found.documents] == ["绩效目标表"]


def test_links_stay_on_allowed_hosts(server: ScriptedServer, settings, limiter) -> None:
    server.route(
        "/index.html",
        Reply(
            200,
            html(
                '<a href="http://other.invalid/a.pdf">a</a><a href="/b.pdf">b</a>'
                '<a href="file:///etc/passwd.txt">c</a><a href="mailto:x@y.z">d</a>'
            ),
        ),
    )
    found = discover(make_source(server), settings, limiter)
    assert urls(found) == ["b.pdf"]
    reasons = {s.url: s.reason for s in found.skipped}
    assert "not in allowed_hosts" in reasons["http://other.invalid/a.pdf"]
    assert reasons["file:///etc/passwd.txt"] == "local file linked from a web page"


def test_web_page_never_leads_to_a_local_file(
    server: ScriptedServer, settings, limiter, tmp_path
) -> None:
    (tmp_path / "index.html").write_text(
        f'<a href="{server.url("/list.html")}">web</a><a href="local.pdf">local</a>',
        encoding="utf-8",
    )
    (tmp_path / "local.pdf").write_bytes(b"%PDF-1.4")
    server.route(
        "/list.html",
        Reply(200, html(f'<a href="{tmp_path.as_uri()}/local2.pdf">x</a><a href="/web.pdf">w</a>')),
    )
    source = make_source(
        server,
        start_urls=[(tmp_path / "index.html").as_uri(), server.url("/list.html")],
        allowed_hosts=["127.0.0.1", ""],
    )
    found = discover(source, settings, limiter)
    assert urls(found) == ["local.pdf", "web.pdf"]
    reasons = {s.url.rsplit("/", 1)[-1]: s.reason for s in found.skipped}
    assert reasons == {"local2.pdf": "local file linked from a web page"}


def test_robots_disallow(server: ScriptedServer, settings, limiter) -> None:
    server.route("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /private/\n"))
    server.route(
        "/index.html",
        Reply(
            200,
            html(
                '<a href="/private/secret.pdf">s</a><a href="/public/ok.pdf">o</a>'
                '<a href="/private/index_1.html">下一页</a>'
            ),
        ),
    )
    found = discover(make_source(server), settings, limiter)
    assert urls(found) == ["ok.pdf"]
    skipped = {s.url: s.reason for s in found.skipped}
    assert skipped[server.url("/private/secret.pdf")] == "disallowed by robots.txt"
    assert server.hits("/private/index_1.html") == 0
    assert server.hits("/robots.txt") == 1  # read once per site


def test_robots_is_reread_after_its_ttl(server: ScriptedServer, settings, limiter) -> None:
    server.route(
        "/robots.txt",
        Reply(200, b"User-agent: *\nDisallow: /private/\n"),
        Reply(200, b"User-agent: *\nDisallow: /\n"),
    )
    no_cache = settings.model_copy(update={"robots_ttl": 0.0})
    with SourceSession(make_source(server), fetcher=Fetcher(no_cache, limiter=limiter)) as session:
        assert session.robots.allowed(server.url("/a.pdf"))
        assert not session.robots.allowed(server.url("/a.pdf"))
    assert server.hits("/robots.txt") == 2


def test_robots_can_be_turned_off(server: ScriptedServer, settings, limiter) -> None:
    server.route("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /\n"))
    server.route("/index.html", Reply(200, html('<a href="/a.pdf">a</a>')))
    off = settings.model_copy(update={"respect_robots": False})
    assert urls(discover(make_source(server), off, limiter)) == ["a.pdf"]
    assert urls(discover(make_source(server), settings, limiter)) == []


def test_unreachable_robots_means_disallow(server: ScriptedServer, settings, limiter) -> None:
    server.route("/robots.txt", Reply(503, b"down"))
    server.route("/index.html", Reply(200, html('<a href="/a.pdf">a</a>')))
    found = discover(make_source(server), settings, limiter)
    assert found.documents == ()
    assert server.hits("/index.html") == 0


def test_failed_listing_is_recorded(server: ScriptedServer, settings, limiter) -> None:
    found = discover(make_source(server), settings, limiter)  # /index.html is a 404
    assert [f.reason for f in found.failures] == ["HTTP 404 Not Found"]
    assert found.documents == ()


def test_page_limit(server: ScriptedServer, settings, limiter) -> None:
    for n in range(5):
        server.route(f"/p{n}.html", Reply(200, html(f'<a href="/p{n + 1}.html">下一页</a>')))
    source = make_source(server, start_urls=[server.url("/p0.html")], max_pages=3)
    found = discover(source, settings, limiter)
    assert found.pages_fetched == 3
    assert "page limit 3 reached" in found.failures[0].reason
    assert server.hits("/p3.html") == 0
