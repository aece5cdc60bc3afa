"""The server against hostile clients: writes, traversal, oversized requests, slowloris."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from test_server import serving_site

from aggregator.config import load_settings


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    with serving_site(tmp_path_factory.mktemp("server-hostile")) as (url, config):
        yield url, Path(load_settings(config).storage.path)


def raw(base: str, data: bytes, timeout: float = 5, *, pieces: int = 1) -> bytes:
    """Send ``data`` (in ``pieces``, as a slow network would) and read the whole answer."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        step = -(-len(data) // pieces)
        try:
            for start in range(0, len(data), step):
                s.sendall(data[start : start + step])
                if pieces > 1:
                    time.sleep(0.05)
        except (BrokenPipeError, ConnectionResetError):
            pass
        chunks = []
        try:
            while chunk := s.recv(65536):
                chunks.append(chunk)
        except (ConnectionResetError, TimeoutError):
            pass
    return b"".join(chunks)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_no_request_can_write(served: tuple[str, Path], method: str) -> None:
    base, db = served
    before = db.stat().st_mtime_ns, (db.parent / (db.name + "-wal")).stat().st_size
    response = httpx.request(method, base + "/feeds/all.rss", content=b"<rss/>")
    assert response.status_code == 405
    assert httpx.get(base + "/feeds/all.rss").text.startswith("<?xml")
    after = db.stat().st_mtime_ns, (db.parent / (db.name + "-wal")).stat().st_size
    assert after == before


TRAVERSALS = [
    "/../../../../etc/passwd",
    "/feeds/../../../etc/passwd",
    "/feeds/..%2f..%2f..%2fetc%2fpasswd",
    "/feeds/%2e%2e/%2e%2e/etc/passwd",
    "/feeds/%252e%252e%252fetc%252fpasswd",
    "/%2e%2e%5c%2e%2e%5cetc%5cpasswd",
    "//etc/passwd",
    "/etc/passwd",
    "/feeds/all.rss%00.html",
    "/test.db",
    "/feeds.yaml",
    "/.env",
    "/index.htm",
    "/c/../index.html",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_nothing_outside_the_published_set_is_readable(served: tuple[str, Path], path: str) -> None:
    base, _ = served
    answer = raw(base, f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    status = answer.split(b"\r\n", 1)[0]
    assert b" 404 " in status or b" 400 " in status, (path, status)
    assert b"root:" not in answer and b"SQLite format" not in answer and b"storage:" not in answer


REFUSED = (b"HTTP/1.1 400", b"HTTP/1.1 413", b"HTTP/1.1 414", b"HTTP/1.1 431")


@pytest.mark.parametrize(
    ("name", "request_bytes", "pieces"),
    [
        ("40 KB request line", b"GET /?" + b"a" * 40_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 4),
        ("40 KB header", b"GET / HTTP/1.1\r\nHost: x\r\nX-J: " + b"b" * 40_000 + b"\r\n\r\n", 4),
        (
            "5,000 headers",
            b"GET / HTTP/1.1\r\nHost: x\r\n"
            + b"".join(b"X-H%d: v\r\n" % i for i in range(5_000))
            + b"\r\n",
            4,
        ),
        ("1 MB request line at once", b"GET /?" + b"a" * (1 << 20) + b" HTTP/1.1\r\n\r\n", 1),
    ],
)
def test_oversized_requests_are_refused(
    served: tuple[str, Path], name: str, request_bytes: bytes, pieces: int
) -> None:
    """h11 refuses a request line plus headers past 16 KB while it is incomplete; one that
    arrives whole in a single read (up to the transport's read size) may still pass."""
    base, _ = served
    answer = raw(base, request_bytes, pieces=pieces)
    assert answer == b"" or answer.startswith(REFUSED), (name, answer[:40])
    assert httpx.get(base + "/feeds/all.atom").status_code == 200


def test_slow_clients_do_not_stop_it_answering_others(served: tuple[str, Path]) -> None:
    """200 slowloris connections (half a request each, a header byte now and then)."""
    base, _ = served
    host, port = base.removeprefix("http://").split(":")
    slow: list[socket.socket] = []
    try:
        for _ in range(200):
            s = socket.create_connection((host, int(port)), timeout=5)
            s.sendall(b"GET /feeds/all.rss HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            slow.append(s)
        for round_ in range(3):
            for s in slow:
                s.sendall(b"a")
            started = time.monotonic()
            response = httpx.get(base + "/feeds/politics.rss", timeout=5)
            assert response.status_code == 200
            # a starved server would answer only after the slow clients time out
            assert time.monotonic() - started < 3.0, f"round {round_}"
    finally:
        for s in slow:
            s.close()
