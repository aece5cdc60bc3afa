"""A real HTTP server on 127.0.0.1 for tests: serves fixture feeds and logs every request.

Routes can be changed while it runs (a feed gains an item, starts failing, moves), and
the request log lets a test count polls and see the conditional headers that were sent.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    validators: bool = True  # send ETag/Last-Modified and answer conditional requests with 304
    delay: float = 0.0  # seconds to wait before answering (a source still busy mid-poll)
    hold: threading.Event | None = None  # answer only once this is set (at most 60 s)


@dataclass(frozen=True)
class Request:
    at: float
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def handle(self) -> None:
                with contextlib.suppress(ConnectionError):  # a client killed mid-request
                    super().handle()

            def do_GET(self) -> None:  # noqa: N802
                headers = {k.lower(): v for k, v in self.headers.items()}
                with server._lock:
                    server.requests.append(Request(time.time(), "GET", self.path, headers))
                    route = server.routes.get(self.path)
                if route is None:
                    self._send(404, b"not found", {"Content-Type": "text/plain"})
                    return
                if route.delay:
                    time.sleep(route.delay)
                if route.hold is not None:
                    route.hold.wait(60)
                out = {"Content-Type": route.content_type, **route.headers}
                if route.status == 200 and route.validators:
                    etag = '"' + hashlib.sha1(route.body).hexdigest()[:16] + '"'
                    out["ETag"] = etag
                    out["Last-Modified"] = formatdate(1_700_000_000, usegmt=True)
                    if headers.get("if-none-match") == etag:
                        self._send(304, b"", {"ETag": etag})
                        return
                self._send(route.status, route.body, out)

            def do_POST(self) -> None:  # noqa: N802
                headers = {k.lower(): v for k, v in self.headers.items()}
                body = self.rfile.read(int(headers.get("content-length", 0) or 0))
                with server._lock:
                    server.requests.append(Request(time.time(), "POST", self.path, headers, body))
                self._send(204 if self.path in server.routes else 404, b"", {})

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def requests_for(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
