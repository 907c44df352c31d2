"""A scripted HTTP server on 127.0.0.1 (ephemeral port) and helpers for harvest tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from extract.harvest import HarvestSettings, Source

FAST = HarvestSettings(
    connect_timeout=1.0,
    read_timeout=0.3,
    retries=2,
    backoff_seconds=0.01,
    request_delay=0.0,
    trust_env=False,
    max_pages=20,
)


@dataclass
class Reply:
    """One scripted response."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    truncate_to: int | None = None  # send only this many body bytes (Content-Length stays full)
    chunked: bool = False  # no Content-Length: the body ends when the connection closes
    reset: bool = False  # close the connection without answering


Script = Reply | Callable[[dict[str, str]], Reply]


class ScriptedServer:
    """Routes map a path to replies consumed in order (the last one repeats)."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Script]] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        self.active = 0
        self.max_active = 0
        self.starts: list[float] = []
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.01,), daemon=True)

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        """Absolute URL of ``path`` on this server."""
        return self.base + path

    def route(self, path: str, *replies: Script) -> None:
        """Script the replies for ``path``."""
        self.routes[path] = list(replies)

    def hits(self, path: str) -> int:
        """How many requests ``path`` received."""
        return sum(1 for p, _ in self.log if p == path)

    def headers_of(self, path: str) -> list[dict[str, str]]:
        """Request headers (lower-cased names) of every request to ``path``."""
        return [h for p, h in self.log if p == path]

    def next_reply(self, path: str, headers: dict[str, str]) -> Reply:
        with self._lock:
            self.log.append((path, headers))
            self.starts.append(time.monotonic())
            self.active += 1
            self.max_active = max(self.max_active, self.active)
            replies = self.routes.get(path)
            if not replies:
                return Reply(404, b"<html><body>404 Not Found</body></html>")
            script = replies.pop(0) if len(replies) > 1 else replies[0]
        return script(headers) if callable(script) else script

    def done(self) -> None:
        with self._lock:
            self.active -= 1


def _handler_for(server: ScriptedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            reply = server.next_reply(self.path, headers)
            self.finished = False
            try:
                self._answer(reply)
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                self._finish()

        def _finish(self) -> None:
            """The request stops counting as active once, before its last bytes go out: a
            client that has read them may start its next request before this thread runs
            again, and must not be counted as overlapping this one."""
            if not self.finished:
                self.finished = True
                server.done()

        def _answer(self, reply: Reply) -> None:
            if reply.delay:
                time.sleep(reply.delay)
            if reply.reset:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.send_response(reply.status)
            names = {k.lower() for k in reply.headers}
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if "content-length" not in names and not reply.chunked:
                self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("Connection", "close")
            self.end_headers()
            body = reply.body if reply.truncate_to is None else reply.body[: reply.truncate_to]
            self.wfile.flush()
            self._finish()
            self.wfile.write(body)
            self.wfile.flush()
            self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def make_source(srv: ScriptedServer, **overrides: object) -> Source:
    """A source whose start URL is ``/index.html`` on the scripted server."""
    values: dict[str, object] = {
        "name": "test",
        "region": "测试区",
        "start_urls": [srv.url("/index.html")],
    }
    values.update(overrides)
    return Source.model_validate(values)


def html(body: str, *, charset: str = "utf-8", meta: bool = True) -> bytes:
    """A small HTML page encoded in ``charset`` (with a meta charset tag if ``meta``)."""
    head = f'<meta charset="{charset}">' if meta else ""
    return f"<html><head>{head}</head><body>{body}</body></html>".encode(charset)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
