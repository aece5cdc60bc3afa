"""The feed server over a real socket: validators, gzip, types, HEAD, limit, traversal."""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import feedparser
import httpx
import pytest
import uvicorn
from test_pipeline import SOURCES, serve_site, write_config

from aggregator.cli import main
from aggregator.config import load_settings
from aggregator.server import create_app, uvicorn_config
from aggregator.store import Store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(config: Path) -> Iterator[str]:
    """The feed server (create_app on uvicorn) over what `poll` stored for ``config``,
    on a free port in a thread; yields its base URL."""
    settings = load_settings(config)
    store = Store(settings.storage.path)
    port = free_port()
    server = uvicorn.Server(uvicorn_config(create_app(settings, store), "127.0.0.1", port))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(5)
        store.close()


@contextmanager
def serving_site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The fixture site (tests/data/site) polled once into ``tmp_path``, then served;
    yields the server's base URL and the config. For module-scoped fixtures."""
    from feedserver import FeedServer

    with FeedServer() as feeds:
        serve_site(feeds)
        config = write_config(tmp_path, feeds)
        assert main(["poll", "--config", str(config)]) == 0
    with serving(config) as url:
        yield url, config


CONTENT_TYPES = {
    "/feeds/politics.rss": "application/rss+xml; charset=utf-8",
    "/feeds/all.atom": "application/atom+xml; charset=utf-8",
    "/feeds/women.json": "application/feed+json; charset=utf-8",
    "/sources.opml": "text/x-opml; charset=utf-8",
    "/": "text/html; charset=utf-8",
}


@pytest.mark.parametrize("path", sorted(CONTENT_TYPES))
def test_content_types_and_cache_headers(served: str, path: str) -> None:
    r = httpx.get(served + path, headers={"accept-encoding": "identity"})
    assert r.status_code == 200
    assert r.headers["content-type"] == CONTENT_TYPES[path]
    assert r.headers["etag"].startswith('"')
    assert r.headers["last-modified"].endswith("GMT")
    assert "max-age=" in r.headers["cache-control"]


def test_both_validators_answer_304(served: str) -> None:
    url = served + "/feeds/labour.atom"
    first = httpx.get(url, headers={"accept-encoding": "identity"})
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    by_etag = httpx.get(url, headers={"if-none-match": etag, "accept-encoding": "identity"})
    assert by_etag.status_code == 304 and by_etag.content == b""
    by_date = httpx.get(url, headers={"if-modified-since": modified, "accept-encoding": "identity"})
    assert by_date.status_code == 304
    stale = httpx.get(url, headers={"if-none-match": '"nope"', "accept-encoding": "identity"})
    assert stale.status_code == 200 and stale.content == first.content


def test_gzip_when_asked(served: str) -> None:
    with httpx.Client() as client:
        raw = client.get(served + "/feeds/all.rss", headers={"accept-encoding": "identity"})
        with client.stream(
            "GET", served + "/feeds/all.rss", headers={"accept-encoding": "gzip"}
        ) as r:
            assert r.headers["content-encoding"] == "gzip"
            compressed = b"".join(r.iter_raw())
    assert gzip.decompress(compressed) == raw.content
    assert len(compressed) < len(raw.content)
    parsed = feedparser.parse(raw.content)
    assert parsed.feed.language == "ar" and parsed.entries


def test_head_has_headers_and_no_body(served: str) -> None:
    r = httpx.head(served + "/feeds/all.json", headers={"accept-encoding": "identity"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/feed+json")
    assert r.content == b""


def test_limit_caps_the_number_of_items(served: str) -> None:
    full = feedparser.parse(httpx.get(served + "/feeds/all.atom").content)
    two = feedparser.parse(httpx.get(served + "/feeds/all.atom?limit=2").content)
    assert len(full.entries) == 8
    assert [e.id for e in two.entries] == [e.id for e in full.entries[:2]]
    huge = feedparser.parse(httpx.get(served + "/feeds/all.atom?limit=100000").content)
    assert len(huge.entries) == 8
    assert httpx.get(served + "/feeds/all.atom?limit=x").status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/sport.rss",
        "/feeds/all.xml",
        "/feeds/../aggregator.db",
        "/feeds/%2e%2e/%2e%2e/etc/passwd",
        "/feeds%2Fall.rss",
        "/index.htm",
        "/test.db",
        "/etc/passwd",
        "/feeds/",
    ],
)
def test_unknown_paths_and_traversal_get_404(served: str, path: str) -> None:
    with socket.create_connection(("127.0.0.1", int(served.rsplit(":", 1)[1]))) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        response = b""
        while chunk := s.recv(65536):
            response += chunk
    assert response.startswith(b"HTTP/1.1 404"), response[:80]


def test_healthz_and_metrics(served: str) -> None:
    health = httpx.get(served + "/healthz")
    assert health.status_code == 200
    body = health.json()
    assert body["ok"] is True and body["sources"] == len(SOURCES) and body["last_poll"]
    metrics = httpx.get(served + "/metrics").text
    assert "aggregator_items_stored 8.0" in metrics
    assert "aggregator_sources_failing 0.0" in metrics
    assert "aggregator_last_successful_poll_timestamp_seconds" in metrics


def test_healthz_says_503_when_polling_has_stalled(tmp_path: Path, feed_server) -> None:
    from datetime import UTC, datetime, timedelta

    from aggregator.server import health

    serve_site(feed_server)
    config = write_config(tmp_path, feed_server)
    assert main(["poll", "--config", str(config)]) == 0
    settings = load_settings(config)
    with Store(settings.storage.path) as store:
        now = datetime.now(UTC)
        assert health(settings, store, now)[0] is True
        # due in 15 minutes; 15 minutes after that (the interval) plus twice the fetch
        # timeout, nothing has polled them: stalled
        assert health(settings, store, now + timedelta(minutes=25))[0] is True
        ok, body = health(settings, store, now + timedelta(minutes=45))
    assert ok is False and len(body["overdue"]) == len(SOURCES)
    assert body["reasons"][0].startswith("polling has stalled: 6 source(s) overdue")


def test_serve_command_serves_what_poll_stored(tmp_path: Path, feed_server) -> None:
    import subprocess
    import sys

    serve_site(feed_server)
    config = write_config(tmp_path, feed_server)
    assert main(["poll", "--config", str(config)]) == 0
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "aggregator", "serve", "--config", str(config), "--port", str(port)],
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/feeds/politics.rss")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.1)
        assert r.status_code == 200
        assert len(feedparser.parse(r.content).entries) == 3
    finally:
        proc.terminate()
        proc.wait(10)
    assert proc.returncode == 0


# --- a uvicorn whose httptools protocol is not the one FeedProtocol extends ---------------

PLAIN_UVICORN = """
import sys
from uvicorn.protocols.http import httptools_impl
del httptools_impl.HttpToolsProtocol.on_response_complete  # a uvicorn that moved it
from aggregator import server
assert server.HTTP == "h11", server.HTTP
from aggregator.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_without_the_protocol_it_extends_the_server_falls_back_to_plain_uvicorn(
    tmp_path: Path, feed_server
) -> None:
    import subprocess
    import sys

    from test_server_hostile import raw

    serve_site(feed_server)
    config = write_config(tmp_path, feed_server)
    assert main(["poll", "--config", str(config)]) == 0
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", PLAIN_UVICORN, "serve", "--config", str(config)]
        + ["--port", str(port)],
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                first = httpx.get(base + "/feeds/politics.rss")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.1)
        assert first.status_code == 200
        assert len(feedparser.parse(first.content).entries) == 3
        again = httpx.get(
            base + "/feeds/politics.rss", headers={"if-none-match": first.headers["etag"]}
        )
        assert again.status_code == 304
        # h11 keeps the limit on a request's head that FeedProtocol adds to httptools
        head = b"GET /feeds/all.rss HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40_000
        assert not raw(base, head + b"\r\n\r\n", pieces=10).startswith(b"HTTP/1.1 200")
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert "serving with plain uvicorn (h11)" in err
    assert "HttpToolsProtocol.on_response_complete is missing" in err


@pytest.mark.parametrize(
    ("broken", "problem"),
    [
        ("on_body", "HttpToolsProtocol.on_body is missing"),
        ("flow", "HttpToolsProtocol.connection_made no longer sets flow"),
        ("url", "HttpToolsProtocol.on_message_begin no longer sets url"),
    ],
)
def test_what_the_fast_protocol_needs_is_checked(broken: str, problem: str) -> None:
    from uvicorn.protocols.http.flow_control import FlowControl
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle

    from aggregator.server import fast_protocol_problem

    assert fast_protocol_problem(HttpToolsProtocol, RequestResponseCycle, FlowControl) is None
    if broken == "on_body":
        changed = type("Changed", (HttpToolsProtocol,), {"on_body": None})
    else:
        method = "connection_made" if broken == "flow" else "on_message_begin"

        def renamed(self: object) -> None:
            self._renamed = None  # type: ignore[attr-defined]

        changed = type("Changed", (HttpToolsProtocol,), {method: renamed})
    assert fast_protocol_problem(changed, RequestResponseCycle, FlowControl) == problem


def test_the_index_is_served_at_slash_and_at_index_html(served: str) -> None:
    """The log and a build name it /index.html; a reader may type either."""
    root = httpx.get(served + "/")
    named = httpx.get(served + "/index.html")
    assert named.status_code == 200 and named.headers["content-type"] == CONTENT_TYPES["/"]
    assert named.content == root.content and named.headers["etag"] == root.headers["etag"]
    again = httpx.get(served + "/index.html", headers={"if-none-match": named.headers["etag"]})
    assert again.status_code == 304
