"""Fetching against real servers on 127.0.0.1: limits, redirects, conditional GET, files.

One threaded HTTP server plays every well- and badly-behaved feed host, dispatching on
the path; it records what each request carried so the tests can check what we sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import gzip
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from aggregator import USER_AGENT
from aggregator.errors import FetchError
from aggregator.fetch import Fetcher, parse_retry_after
from aggregator.models import Fetched, PollSettings, Validators

FEED = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
    b"<title>\xd8\xb9\xd9\x85\xd8\xa7\xd9\x84</title><link>http://example.org/</link>"
    b"<item><title>one</title><link>http://example.org/1</link></item></channel></rss>\n"
)
ETAG = '"v1"'
LAST_MODIFIED = "Wed, 01 May 2024 10:00:00 GMT"
CAP = 64 * 1024  # max_bytes used by the size tests


@dataclass
class Seen:
    """What the server observed, shared with the tests."""

    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    active: int = 0
    max_active: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def paths(self, prefix: str) -> list[str]:
        return [p for p, _ in self.requests if p.startswith(prefix)]


class FeedHost(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: Seen  # set on a per-server subclass

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        with self.seen.lock:
            self.seen.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        route = ROUTES.get(self.path.split("?")[0])
        if route is None and self.path.startswith("/hops/"):
            route = _hops
        if route is None:
            self._send(404, b"not here")
            return
        # The client hanging up is what the cap and deadline tests expect.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            route(self)

    def _send(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, status: int, location: str) -> None:
        self._send(status, b"moved", Location=location)


def _feed(h: FeedHost) -> None:
    if h.headers.get("If-None-Match") == ETAG:
        h._send(304, ETag=ETAG)
        return
    h._send(
        200,
        FEED,
        Content_Type="application/rss+xml; charset=utf-8",
        ETag=ETAG,
        Last_Modified=LAST_MODIFIED,
    )


def _feed_new_etag_on_304(h: FeedHost) -> None:
    if h.headers.get("If-Modified-Since"):
        h._send(304, ETag='"v2"')
        return
    h._send(200, FEED, Last_Modified=LAST_MODIFIED)


def _gzip(h: FeedHost) -> None:
    if "gzip" not in h.headers.get("Accept-Encoding", ""):
        h._send(406, b"gzip only")
        return
    h._send(200, gzip.compress(FEED), Content_Encoding="gzip", Content_Type="application/rss+xml")


def _chunked_forever(h: FeedHost) -> None:
    """No Content-Length: the cap must be enforced while streaming."""
    h.send_response(200)
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    chunk = b"x" * 4096
    for _ in range(4 * CAP // len(chunk)):
        h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    h.wfile.write(b"0\r\n\r\n")


def _declares_too_much(h: FeedHost) -> None:
    """Declares a body over the cap, then stalls: a client that starts reading times out."""
    h.send_response(200)
    h.send_header("Content-Length", str(100 * CAP))
    h.end_headers()
    h.wfile.write(b"<rss")
    h.wfile.flush()
    time.sleep(3)


GZIP_BOMB = gzip.compress(b"\0" * (200 * CAP), compresslevel=9)


def _bomb(h: FeedHost) -> None:
    h._send(200, GZIP_BOMB, Content_Encoding="gzip")


def _drip(h: FeedHost) -> None:
    """A byte every 0.1 s: no single read ever waits long, the whole fetch does."""
    h.send_response(200)
    h.send_header("Content-Length", "100")
    h.end_headers()
    for _ in range(100):
        h.wfile.write(b"x")
        h.wfile.flush()
        time.sleep(0.1)


def _slow(h: FeedHost) -> None:
    with h.seen.lock:
        h.seen.active += 1
        h.seen.max_active = max(h.seen.max_active, h.seen.active)
    try:
        time.sleep(0.3)
    finally:
        with h.seen.lock:
            h.seen.active -= 1
    h._send(200, FEED)


def _hops(h: FeedHost) -> None:
    left = int(h.path.rsplit("/", 1)[1])
    if left == 0:
        h._send(200, FEED)
    else:
        h._redirect(302, f"/hops/{left - 1}")


def _retry_date(h: FeedHost) -> None:
    when = email.utils.formatdate(time.time() + 120, usegmt=True)
    h._send(429, b"slow down", Retry_After=when)


ROUTES: dict[str, Callable[[FeedHost], None]] = {
    "/feed": _feed,
    "/feed-304-new-etag": _feed_new_etag_on_304,
    "/gzip": _gzip,
    "/chunked-big": _chunked_forever,
    "/declares-big": _declares_too_much,
    "/bomb": _bomb,
    "/drip": _drip,
    "/slow": _slow,
    "/moved": lambda h: h._redirect(301, "/moved-again"),
    "/moved-again": lambda h: h._redirect(308, "feed"),  # relative Location
    "/moved-then-temp": lambda h: h._redirect(301, "/temp"),
    "/temp": lambda h: h._redirect(302, "/feed"),
    "/temp-then-moved": lambda h: h._redirect(302, "/moved"),
    "/loop-a": lambda h: h._redirect(302, "/loop-b"),
    "/loop-b": lambda h: h._redirect(302, "/loop-a"),
    "/to-ftp": lambda h: h._redirect(302, "ftp://example.org/feed.xml"),
    "/to-file": lambda h: h._redirect(301, "file:///etc/passwd"),
    "/gone": lambda h: h._send(410, b"gone"),
    "/busy": lambda h: h._send(429, b"slow down", Retry_After="120"),
    "/busy-date": _retry_date,
    "/down": lambda h: h._send(503, b"maintenance", Retry_After="30"),
    "/broken": lambda h: h._send(500, b"oops"),
}


@dataclass
class Server:
    base: str
    seen: Seen


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    seen = Seen()
    handler = type("Handler", (FeedHost,), {"seen": seen})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{httpd.server_address[1]}", seen)
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy from the developer's environment must not intercept 127.0.0.1."""
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)


def fetch(url: str, validators: Validators = Validators(), **poll: Any) -> Fetched:  # noqa: B008
    async def go() -> Fetched:
        async with Fetcher(PollSettings(**poll)) as fetcher:
            return await fetcher.fetch(url, validators)

    return asyncio.run(go())


def fetch_error(url: str, **poll: Any) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetch(url, Validators(), **poll)
    return info.value


# --- success and conditional GET ---------------------------------------------------


def test_200_returns_body_headers_and_validators(server: Server) -> None:
    got = fetch(server.base + "/feed")
    assert got.status == 200
    assert got.body == FEED
    assert got.final_url == got.url == server.base + "/feed"
    assert got.headers["content-type"] == "application/rss+xml; charset=utf-8"
    assert got.validators == Validators(etag=ETAG, last_modified=LAST_MODIFIED)
    assert got.permanent_redirect is None
    assert not got.not_modified
    assert 0 < got.elapsed < 5


def test_sends_user_agent_and_feed_accept_header(server: Server) -> None:
    fetch(server.base + "/feed?ua")
    headers = dict(server.seen.requests)["/feed?ua"]
    assert headers["user-agent"] == USER_AGENT
    assert "aggregator/" in headers["user-agent"]
    for media_type in (
        "application/rss+xml",
        "application/atom+xml",
        "application/feed+json",
        "application/xml",
        "text/xml",
        "*/*;q=0.1",
    ):
        assert media_type in headers["accept"]
    assert "gzip" in headers["accept-encoding"]
    assert "if-none-match" not in headers


def test_conditional_get_sends_validators_and_returns_304_without_body(server: Server) -> None:
    before = len(server.seen.paths("/feed?cond"))
    first = fetch(server.base + "/feed?cond")
    second = fetch(server.base + "/feed?cond", first.validators)
    assert len(server.seen.paths("/feed?cond")) == before + 2
    headers = server.seen.requests[-1][1]
    assert headers["if-none-match"] == ETAG
    assert headers["if-modified-since"] == LAST_MODIFIED
    assert second.status == 304
    assert second.body is None and second.not_modified
    assert second.validators == first.validators


def test_304_with_new_validators_updates_them(server: Server) -> None:
    old = Validators(etag='"v1"', last_modified=LAST_MODIFIED)
    got = fetch(server.base + "/feed-304-new-etag", old)
    assert got.not_modified
    assert got.validators == Validators(etag='"v2"', last_modified=LAST_MODIFIED)


def test_gzip_body_is_decoded(server: Server) -> None:
    got = fetch(server.base + "/gzip")
    assert got.body == FEED
    assert got.headers["content-encoding"] == "gzip"


# --- limits ----------------------------------------------------------------------------


def test_streamed_body_over_cap_stops_at_the_cap(server: Server) -> None:
    err = fetch_error(server.base + "/chunked-big", max_bytes=CAP)
    assert "body larger than 64 KB cap" in err.message


def test_declared_content_length_over_cap_fails_before_reading(server: Server) -> None:
    started = time.monotonic()
    err = fetch_error(server.base + "/declares-big", max_bytes=CAP, timeout=20)
    assert "larger than 64 KB cap" in err.message
    assert time.monotonic() - started < 10  # did not wait for the stalled body


def test_gzip_bomb_is_capped_on_decoded_size(server: Server) -> None:
    assert len(GZIP_BOMB) < CAP  # the wire size alone would pass
    err = fetch_error(server.base + "/bomb", max_bytes=CAP)
    assert "larger than 64 KB cap" in err.message


def test_drip_feed_hits_the_whole_fetch_deadline(server: Server) -> None:
    started = time.monotonic()
    err = fetch_error(server.base + "/drip", timeout=1)
    took = time.monotonic() - started
    assert err.message == "timed out after 1 s"
    assert 0.9 <= took < 8  # the deadline ended it, before the 10 s drip would


def test_per_host_limit_is_respected(server: Server) -> None:
    async def go() -> list[Fetched]:
        async with Fetcher(PollSettings(per_host=2, concurrency=16)) as fetcher:
            return await asyncio.gather(
                *(fetcher.fetch(f"{server.base}/slow?n={i}") for i in range(6))
            )

    server.seen.max_active = 0
    results = asyncio.run(go())
    assert all(r.body == FEED for r in results)
    assert server.seen.max_active == 2


def test_overall_concurrency_limit_is_respected(server: Server) -> None:
    async def go() -> None:
        async with Fetcher(PollSettings(per_host=10, concurrency=3)) as fetcher:
            await asyncio.gather(*(fetcher.fetch(f"{server.base}/slow?c={i}") for i in range(7)))

    server.seen.max_active = 0
    asyncio.run(go())
    assert server.seen.max_active == 3


def test_waiting_for_a_slot_does_not_count_against_the_timeout(server: Server) -> None:
    # 4 fetches of 0.3 s one at a time take 1.2 s in all, each well under its 1 s deadline.
    async def go() -> list[Fetched]:
        async with Fetcher(PollSettings(per_host=1, timeout=1)) as fetcher:
            return await asyncio.gather(
                *(fetcher.fetch(f"{server.base}/slow?w={i}") for i in range(4))
            )

    results = asyncio.run(go())
    assert [r.status for r in results] == [200] * 4


# --- redirects -------------------------------------------------------------------------


def test_permanent_redirect_chain_records_the_final_url(server: Server) -> None:
    got = fetch(server.base + "/moved")
    assert got.body == FEED
    assert got.url == server.base + "/moved"
    assert got.final_url == server.base + "/feed"  # relative "feed" resolved
    assert got.permanent_redirect == server.base + "/feed"


def test_first_hop_decides_permanence(server: Server) -> None:
    assert fetch(server.base + "/moved-then-temp").permanent_redirect == server.base + "/feed"
    temp = fetch(server.base + "/temp-then-moved")
    assert temp.final_url == server.base + "/feed"
    assert temp.permanent_redirect is None


def test_temporary_redirect_is_followed_but_not_recorded(server: Server) -> None:
    got = fetch(server.base + "/temp")
    assert got.final_url == server.base + "/feed"
    assert got.body == FEED
    assert got.permanent_redirect is None


def test_permanent_redirect_then_304_still_records_the_move(server: Server) -> None:
    got = fetch(server.base + "/moved", Validators(etag=ETAG))
    assert got.not_modified
    assert got.permanent_redirect == server.base + "/feed"


def test_five_redirects_are_followed_six_are_too_many(server: Server) -> None:
    assert fetch(server.base + "/hops/5").body == FEED
    err = fetch_error(server.base + "/hops/6")
    assert err.message == "too many redirects (more than 5)"


def test_redirect_loop_fails_as_too_many_redirects(server: Server) -> None:
    before = len(server.seen.paths("/loop-"))
    err = fetch_error(server.base + "/loop-a")
    assert "too many redirects" in err.message
    assert len(server.seen.paths("/loop-")) - before == 6  # and it stopped


@pytest.mark.parametrize(
    ("path", "target"),
    [("/to-ftp", "ftp://example.org/feed.xml"), ("/to-file", "file:///etc/passwd")],
)
def test_redirect_to_non_http_scheme_is_refused(server: Server, path: str, target: str) -> None:
    err = fetch_error(server.base + path)
    assert err.message.startswith("redirect to non-HTTP URL " + target)


# --- HTTP errors -----------------------------------------------------------------------


def test_410_says_the_feed_was_removed(server: Server) -> None:
    err = fetch_error(server.base + "/gone")
    assert err.status == 410
    assert err.message.startswith("HTTP 410 Gone: the feed was removed")


def test_404_and_500_carry_their_status(server: Server) -> None:
    err = fetch_error(server.base + "/nothing-here")
    assert (err.status, err.message) == (404, "HTTP 404 Not Found")
    err = fetch_error(server.base + "/broken")
    assert (err.status, err.message) == (500, "HTTP 500 Internal Server Error")
    assert err.retry_after is None


def test_429_with_retry_after_seconds(server: Server) -> None:
    err = fetch_error(server.base + "/busy")
    assert err.status == 429
    assert err.retry_after == 120
    assert "Too Many Requests" in err.message


def test_429_with_retry_after_http_date(server: Server) -> None:
    err = fetch_error(server.base + "/busy-date")
    assert err.status == 429
    assert err.retry_after is not None and 110 <= err.retry_after <= 121


def test_503_with_retry_after(server: Server) -> None:
    err = fetch_error(server.base + "/down")
    assert (err.status, err.retry_after) == (503, 30)


def test_retry_after_in_the_past_or_garbage() -> None:
    assert parse_retry_after("Wed, 01 May 2024 10:00:00 GMT") == 0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


# --- network failures -------------------------------------------------------------------


def test_connection_refused_is_a_clear_error() -> None:
    with socket.socket() as s:  # a port that was free a moment ago and has no listener
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    err = fetch_error(f"http://127.0.0.1:{port}/feed", timeout=5)
    assert err.message == "connection refused by 127.0.0.1"
    assert err.status is None
    assert err.__cause__ is not None  # the httpx error stays chained for the log


def test_unknown_host_is_a_dns_error() -> None:
    err = fetch_error("http://no-such-host.invalid/feed", timeout=5)
    assert err.message == "DNS lookup failed for no-such-host.invalid"


def test_unsupported_scheme_is_refused() -> None:
    err = fetch_error("ftp://example.org/feed.xml")
    assert "unsupported URL" in err.message


# --- files -----------------------------------------------------------------------------


@pytest.mark.parametrize("as_url", [True, False], ids=["file-url", "plain-path"])
def test_file_source_reads_and_answers_conditional_fetch(tmp_path: Path, as_url: bool) -> None:
    path = tmp_path / "مصدر feed.xml"  # non-ASCII and a space: the URL must be unquoted
    path.write_bytes(FEED)
    os.utime(path, (1_700_000_000, 1_700_000_000))
    url = path.as_uri() if as_url else str(path)

    got = fetch(url)
    assert (got.status, got.body, got.final_url) == (200, FEED, url)
    assert got.validators.last_modified == "Tue, 14 Nov 2023 22:13:20 GMT"
    assert "content-type" not in got.headers

    unchanged = fetch(url, got.validators)
    assert unchanged.not_modified and unchanged.status == 304

    os.utime(path, (1_700_000_100, 1_700_000_100))
    assert fetch(url, got.validators).body == FEED


def test_json_file_gets_json_feed_content_type(tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_text('{"version": "https://jsonfeed.org/version/1.1", "items": []}')
    assert fetch(str(path)).headers["content-type"] == "application/feed+json"


def test_missing_file_and_file_over_cap(tmp_path: Path) -> None:
    err = fetch_error((tmp_path / "nope.xml").as_uri())
    assert err.message == f"file not found: {tmp_path / 'nope.xml'}"
    big = tmp_path / "big.xml"
    big.write_bytes(b"x" * (CAP + 1))
    assert "larger than 64 KB cap" in fetch_error(str(big), max_bytes=CAP).message
