"""The three ways a published file is answered give the same answer, byte for byte.

A keep-alive GET or HEAD of a published path is answered by the HTTP protocol itself
(``FeedProtocol``), one with an empty query (``/feeds/all.rss?``) by ``FeedApp`` before
routing, and one with any other query by Starlette's routes. Each request here is sent
all three ways over a real socket; status, headers (but the Date) and body must match.
"""

from __future__ import annotations

import gzip
import socket
import time
from collections.abc import Iterator
from typing import NamedTuple

import pytest
from test_server import serving_site

from aggregator import server as server_module

pytestmark = pytest.mark.skipif(
    server_module.HTTP != "httptools", reason="the protocol's own path needs httptools"
)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving_site(tmp_path_factory.mktemp("server-paths")) as (url, _config):
        yield url


class Answer(NamedTuple):
    status: int
    headers: list[tuple[bytes, bytes]]  # in order, without the Date
    body: bytes
    status_line: bytes


class Connection:
    """One keep-alive HTTP/1.1 connection, read by Content-Length as a client would."""

    def __init__(self, base: str, *, receive_buffer: int = 0) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.sock = socket.socket()
        self.sock.settimeout(5)
        if receive_buffer:  # before connecting, so the window is sized by it
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        self.sock.connect((host, int(port)))
        self.buffer = b""

    def close(self) -> None:
        self.sock.close()

    def send(self, method: str, target: str, headers: list[tuple[str, str]]) -> None:
        lines = [f"{method} {target} HTTP/1.1", "Host: x", *(f"{n}: {v}" for n, v in headers)]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def _fill(self) -> None:
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise ConnectionError("closed by the server")
        self.buffer += chunk

    def response(self, method: str) -> Answer:
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        status_line, *lines = head.split(b"\r\n")
        headers = [(n, v) for n, _, v in (line.partition(b": ") for line in lines)]
        length = dict(headers).get(b"content-length", b"0")
        size = 0 if method == "HEAD" else int(length)
        while len(self.buffer) < size:
            self._fill()
        body, self.buffer = self.buffer[:size], self.buffer[size:]
        kept = [(n, v) for n, v in headers if n != b"date"]
        return Answer(int(status_line.split()[1]), kept, body, status_line)

    def ask(self, method: str, target: str, headers: list[tuple[str, str]]) -> Answer:
        self.send(method, target, headers)
        return self.response(method)


@pytest.fixture
def conn(base: str) -> Iterator[Connection]:
    connection = Connection(base)
    yield connection
    connection.close()


@pytest.fixture
def fast_answers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The statuses of the answers the protocol sent itself."""
    calls: list[int] = []
    send = server_module.FeedProtocol._send

    def counted(self, answer, head_only):
        calls.append(answer.status_code)
        return send(self, answer, head_only)

    monkeypatch.setattr(server_module.FeedProtocol, "_send", counted)
    return calls


PATHS = [
    "/",
    "/c/politics",
    "/c/labour.html",
    "/feeds/all.rss",
    "/feeds/women.json",
    "/feeds/politics.atom",
    "/sources.opml",
]


def variants(etag: str, modified: str) -> list[list[tuple[str, str]]]:
    """Request headers that pick each of the four answers, and the rules between them."""
    gz_etag = etag[:-1] + '-gz"'
    return [
        [],
        [("Accept-Encoding", "gzip, deflate")],
        [("Accept-Encoding", "GZIP")],
        [("Accept-Encoding", "identity"), ("Accept-Encoding", "gzip")],  # the first counts
        [("If-None-Match", etag)],
        [("If-None-Match", f'"nope", W/{etag}')],
        [("If-None-Match", gz_etag), ("Accept-Encoding", "gzip")],
        [("If-None-Match", etag), ("Accept-Encoding", "gzip")],  # plain tag, gzip wanted
        [("If-None-Match", "*")],
        [("If-None-Match", '"nope"'), ("If-Modified-Since", modified)],  # the tag wins
        [("If-None-Match", "")],
        [("If-Modified-Since", modified)],
        [("If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT")],
        [("If-Modified-Since", "not a date")],
        [("If-Modified-Since", modified), ("Accept-Encoding", "gzip")],
    ]


@pytest.mark.parametrize("path", PATHS)
def test_protocol_front_and_routes_answer_alike(
    conn: Connection, fast_answers: list[int], path: str
) -> None:
    first = conn.ask("GET", path, [])
    first_headers, plain = first.headers, first.body
    etag, modified = (dict(first_headers)[k].decode() for k in (b"etag", b"last-modified"))
    statuses = set()
    for method in ("GET", "HEAD"):
        for headers in variants(etag, modified):
            before = len(fast_answers)
            fast = conn.ask(method, path, headers)
            assert len(fast_answers) == before + 1, "the protocol did not answer it itself"
            front = conn.ask(method, path + "?", headers)
            routed = conn.ask(method, path + "?v=1", headers)
            assert len(fast_answers) == before + 1
            assert fast == front == routed, (method, path, headers)
            statuses.add(fast[0])
            if fast[0] == 200 and method == "GET" and b"content-encoding" in dict(fast[1]):
                assert gzip.decompress(fast[2]) == plain
    assert statuses == {200, 304}


def test_other_requests_are_left_to_the_app(conn: Connection, fast_answers: list[int]) -> None:
    assert conn.ask("GET", "/feeds/all.rss?limit=1", [])[0] == 200
    assert conn.ask("GET", "/feeds/%61ll.rss", [])[0] == 200  # decoded and routed
    assert conn.ask("GET", "/healthz", [])[0] == 200
    assert conn.ask("GET", "http://x/feeds/all.rss", [])[0] == 200  # absolute form
    assert fast_answers == []
    # HTTP/1.0 and Connection: close are answered by the app, which closes
    for request in (
        b"GET /feeds/all.rss HTTP/1.0\r\n\r\n",
        b"GET /feeds/all.rss HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ):
        with socket.create_connection(conn.sock.getpeername(), timeout=5) as s:
            s.sendall(request)
            answer = b""
            while chunk := s.recv(1 << 16):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
        assert b"\r\nconnection: close\r\n" in answer
    assert fast_answers == []


def test_pipelined_requests_keep_their_order_when_the_client_reads_late(
    base: str, fast_answers: list[int]
) -> None:
    """Far more than the socket takes, asked before reading any: the protocol answers
    until the transport's buffer is full and it is paused, then the app takes over (and
    routed ones, and those queued behind them, go to the app anyway); all answers arrive
    whole and in order."""
    conn = Connection(base, receive_buffer=64 * 1024)
    expected = {}
    for path in ("/feeds/all.rss", "/feeds/all.atom", "/sources.opml", "/"):
        expected[path] = conn.ask("GET", path, [])[2]
    asked_before = len(fast_answers)
    order = [p for _ in range(150) for p in expected]
    order += [p + ("?v=1" if i % 3 == 1 else "") for i in range(40) for p in expected]
    requests = b"".join(f"GET {p} HTTP/1.1\r\nHost: x\r\n\r\n".encode() for p in order)
    assert len(requests) < 64 * 1024  # sent whole while the server writes and we do not read
    conn.sock.sendall(requests)
    answered, deadline = -1, time.monotonic() + 5
    while answered != len(fast_answers) and time.monotonic() < deadline:
        answered = len(fast_answers)  # not reading till the server stops writing
        time.sleep(0.2)
    for target in order:
        status, _, body, _ = conn.response("GET")
        assert status == 200 and body == expected[target.removesuffix("?v=1")], target
    conn.close()
    assert 0 < len(fast_answers) - asked_before < 600, "the first 600 could all go fast"


def test_head_then_get_on_one_connection(conn: Connection) -> None:
    status, headers, body, _ = conn.ask("HEAD", "/feeds/all.json", [])
    assert status == 200 and body == b"" and int(dict(headers)[b"content-length"]) > 0
    status, _, body, _ = conn.ask("GET", "/feeds/all.json", [])
    assert status == 200 and len(body) == int(dict(headers)[b"content-length"])


def test_a_long_pipeline_is_not_taken_for_a_long_head(conn: Connection) -> None:
    """The 16 KB limit counts what arrives for one request's head: a read with 24 KB of
    small requests, after one that ended inside a head, is no oversized head."""
    one = b"HEAD /feeds/all.rss HTTP/1.1\r\nHost: x\r\n\r\n"
    conn.sock.sendall(one[:20])
    time.sleep(0.2)
    conn.sock.sendall(one[20:] + one * 600)
    for _ in range(601):
        assert conn.response("HEAD")[0] == 200
