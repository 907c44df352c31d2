"""Fetcher: retries on 5xx and timeouts, none on 4xx, truncation, size cap, redirects, 304."""

from __future__ import annotations

import pytest
from scripted import PDF, Reply, ScriptedServer

from extract.harvest import (
    Fetcher,
    FetchError,
    HarvestSettings,
    HostLimiter,
    RefusedContentError,
    TransientFetchError,
    Validators,
)


def fetcher(settings: HarvestSettings, limiter: HostLimiter, **kw: object) -> Fetcher:
    return Fetcher(settings.model_copy(update=kw) if kw else settings, limiter=limiter)


def test_500_then_success_is_retried_with_backoff(
    server: ScriptedServer, settings, limiter
) -> None:
    server.route("/a.pdf", Reply(500, b"oops"), Reply(503, b"busy"), Reply(200, PDF))
    sleeps: list[float] = []
    with Fetcher(settings, limiter=limiter, sleep=sleeps.append) as f:
        response = f.get(server.url("/a.pdf"))
    assert response.body == PDF
    assert server.hits("/a.pdf") == 3
    assert sleeps == [settings.backoff_seconds, 2 * settings.backoff_seconds]


def test_connection_reset_is_retried(server: ScriptedServer, settings, limiter) -> None:
    server.route("/a.pdf", Reply(reset=True), Reply(200, PDF))
    with fetcher(settings, limiter) as f:
        assert f.get(server.url("/a.pdf")).body == PDF
    assert server.hits("/a.pdf") == 2


def test_persistent_500_gives_up_after_retries(server: ScriptedServer, settings, limiter) -> None:
    server.route("/a.pdf", Reply(502, b"bad gateway"))
    with fetcher(settings, limiter) as f, pytest.raises(TransientFetchError, match="HTTP 502"):
        f.get(server.url("/a.pdf"))
    assert server.hits("/a.pdf") == settings.retries + 1


def test_timeout_is_retried_then_reported(server: ScriptedServer, settings, limiter) -> None:
    server.route("/slow.pdf", Reply(200, PDF, delay=1.0))
    with fetcher(settings, limiter, retries=1) as f:
        with pytest.raises(TransientFetchError, match="timed out"):
            f.get(server.url("/slow.pdf"))
    assert server.hits("/slow.pdf") == 2


def test_timeout_then_success(server: ScriptedServer, settings, limiter) -> None:
    server.route("/slow.pdf", Reply(200, PDF, delay=1.0), Reply(200, PDF))
    with fetcher(settings, limiter) as f:
        assert f.get(server.url("/slow.pdf")).body == PDF
    assert server.hits("/slow.pdf") == 2


def test_404_is_reported_and_not_retried(server: ScriptedServer, settings, limiter) -> None:
    with fetcher(settings, limiter) as f, pytest.raises(FetchError, match="HTTP 404") as info:
        f.get(server.url("/missing.pdf"))
    assert info.value.status == 404
    assert not isinstance(info.value, TransientFetchError)
    assert server.hits("/missing.pdf") == 1


def test_truncated_body_is_an_error(server: ScriptedServer, settings, limiter) -> None:
    body = PDF * 20
    server.route("/cut.pdf", Reply(200, body, truncate_to=30))
    with fetcher(settings, limiter, retries=0) as f:
        with pytest.raises(TransientFetchError, match="truncated body: received 30 of"):
            f.get(server.url("/cut.pdf"))


def test_size_cap_from_content_length(server: ScriptedServer, settings, limiter) -> None:
    server.route("/big.pdf", Reply(200, PDF * 100))
    with fetcher(settings, limiter, max_bytes=200) as f:
        with pytest.raises(RefusedContentError, match="too large: 4500 bytes > cap 200"):
            f.get(server.url("/big.pdf"))
    assert server.hits("/big.pdf") == 1


def test_size_cap_while_streaming(server: ScriptedServer, settings, limiter) -> None:
    server.route("/big.pdf", Reply(200, PDF * 100, chunked=True))
    with fetcher(settings, limiter, max_bytes=200, chunk_bytes=64) as f:
        with pytest.raises(RefusedContentError, match="over cap 200"):
            f.get(server.url("/big.pdf"))


def test_redirect_is_followed(server: ScriptedServer, settings, limiter) -> None:
    server.route("/old.pdf", Reply(302, headers={"Location": "/files/new.pdf"}))
    server.route("/files/new.pdf", Reply(200, PDF, headers={"ETag": '"v1"'}))
    with fetcher(settings, limiter) as f:
        response = f.get(server.url("/old.pdf"))
    assert response.body == PDF
    assert response.url == server.url("/old.pdf")
    assert response.final_url == server.url("/files/new.pdf")
    assert response.etag == '"v1"'


def test_redirect_refused_by_gate(server: ScriptedServer, settings, limiter) -> None:
    server.route("/old.pdf", Reply(301, headers={"Location": "http://elsewhere.invalid/x.pdf"}))
    with fetcher(settings, limiter) as f, pytest.raises(FetchError, match="refused: offsite"):
        f.get(server.url("/old.pdf"), gate=lambda url: "offsite" if "invalid" in url else None)


def test_redirect_loop_stops(server: ScriptedServer, settings, limiter) -> None:
    server.route("/loop", Reply(302, headers={"Location": "/loop"}))
    with fetcher(settings, limiter, max_redirects=3) as f:
        with pytest.raises(FetchError, match="more than 3 redirects"):
            f.get(server.url("/loop"))
    assert server.hits("/loop") == 4


def test_conditional_headers_and_304(server: ScriptedServer, settings, limiter) -> None:
    def conditional(headers: dict[str, str]) -> Reply:
        if headers.get("if-none-match") == '"v1"':
            return Reply(304, headers={"ETag": '"v1"'})
        return Reply(200, PDF, headers={"ETag": '"v1"'})

    server.route("/a.pdf", conditional)
    with fetcher(settings, limiter) as f:
        first = f.get(server.url("/a.pdf"))
        second = f.get(
            server.url("/a.pdf"),
            validators=Validators(etag=first.etag, last_modified="Mon, 01 Jan 2024 00:00:00 GMT"),
        )
    assert (first.status, first.body) == (200, PDF)
    assert second.not_modified and second.body is None
    sent = server.headers_of("/a.pdf")[1]
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Mon, 01 Jan 2024 00:00:00 GMT"
    assert "if-none-match" not in server.headers_of("/a.pdf")[0]


def test_gzip_body_is_decoded(server: ScriptedServer, settings, limiter) -> None:
    import gzip

    server.route(
        "/a.txt", Reply(200, gzip.compress(b"hello" * 100), headers={"Content-Encoding": "gzip"})
    )
    with fetcher(settings, limiter) as f:
        assert f.get(server.url("/a.txt")).body == b"hello" * 100


def test_user_agent_is_sent(server: ScriptedServer, settings, limiter) -> None:
    server.route("/a.pdf", Reply(200, PDF))
    with fetcher(settings, limiter, user_agent="probe/1.0") as f:
        f.get(server.url("/a.pdf"))
    assert server.headers_of("/a.pdf")[0]["user-agent"] == "probe/1.0"
