"""Hostile transfers: bombs, endless bodies, silent and dripping servers, bad redirects.

Each case is one source of a real `aggregator poll` against a local server that plays
every hostile host at once: each fails alone with a reason `aggregator sources` shows,
the good source beside them is stored, and the whole poll ends within its deadline.
"""

from __future__ import annotations

import asyncio
import gzip
import io
import tracemalloc
import zlib
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from hostile_poll import poll
from hostile_server import GOOD, HostileServer

from aggregator.cli import main
from aggregator.errors import FetchError
from aggregator.fetch import Fetcher
from aggregator.models import Fetched, PollSettings

CAP = 1 << 20


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server


def fetch(url: str, **poll_settings: object) -> Fetched:
    async def go() -> Fetched:
        async with Fetcher(PollSettings(**poll_settings)) as fetcher:  # type: ignore[arg-type]
            return await fetcher.fetch(url)

    return asyncio.run(go())


EXPECTED = {
    "bomb.gz": "body larger than 1 MB cap",
    "chunked-forever": "body larger than 1 MB cap",
    "declares-1gb": "body larger than 1 MB cap (Content-Length 1 GB)",
    "silent": "timed out after 2 s",
    "drip": "timed out after 2 s",
    "loop-a": "too many redirects (more than 5)",
    "six-hops": "too many redirects (more than 5)",
    "to-file": "redirect to non-HTTP URL file:///etc/passwd",
    "to-javascript": "invalid URL or redirect target",
}


def test_each_hostile_transfer_fails_alone_with_a_clear_reason(
    tmp_path: Path, hostile: HostileServer
) -> None:
    polled = poll(tmp_path, hostile, ["/good.rss", *(f"/{name}" for name in EXPECTED)])
    good = polled.states["good.rss"]
    assert good.error_count == 0 and good.items == 3
    for name, reason in EXPECTED.items():
        state = polled.states[name]
        assert state.error_count == 1, name
        assert state.last_error is not None and state.last_error.startswith(reason), (name, state)
        assert state.items == 0
    # The deadline is for the whole fetch ("timed out after 2 s" above), and the hostile
    # transfers run side by side: the poll does not hang on them.
    assert polled.seconds < 30
    assert f"1 ok (1 with new items, 0 unchanged), {len(EXPECTED)} failed" in polled.summary
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["sources", "--config", str(polled.config)]) == 0
    table = out.getvalue()
    for name, reason in EXPECTED.items():
        row = next(line for line in table.splitlines() if line.startswith(name + " "))
        assert "failing" in row and reason.split(" (")[0] in row


def test_gzip_bomb_never_inflates_past_the_cap(hostile: HostileServer) -> None:
    """256 MiB of zeros in 256 KB of gzip: memory stays near the 1 MB cap."""
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match="body larger than 1 MB cap"):
            fetch(hostile.url("/bomb.gz"), max_bytes=CAP, timeout=10)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Before decoding by hand, httpx inflated whole network chunks: ~64 MB each.
    assert peak < 6 * CAP, f"peak {peak / 1e6:.1f} MB"


def _deflate(data: bytes, wbits: int) -> bytes:
    co = zlib.compressobj(6, zlib.DEFLATED, wbits)
    return co.compress(data) + co.flush()


@pytest.mark.parametrize(
    ("name", "body", "encoding"),
    [
        ("zlib-deflate", _deflate(GOOD, zlib.MAX_WBITS), "deflate"),
        ("raw-deflate", _deflate(GOOD, -zlib.MAX_WBITS), "deflate"),
        ("two-gzip-members", gzip.compress(GOOD[:100]) + gzip.compress(GOOD[100:]), "gzip"),
        ("x-gzip", gzip.compress(GOOD), "x-gzip"),
        ("gzip-then-zero-padding", gzip.compress(GOOD) + b"\0" * 64, "gzip"),
        ("identity", GOOD, "identity"),
    ],
)
def test_every_content_coding_a_server_sends_is_decoded(
    hostile: HostileServer, name: str, body: bytes, encoding: str
) -> None:
    hostile.routes[f"/coding/{name}"] = lambda h: h.send(
        200, body, "application/rss+xml", Content_Encoding=encoding
    )
    assert fetch(hostile.url(f"/coding/{name}")).body == GOOD


@pytest.mark.parametrize(
    ("name", "body", "encoding", "reason"),
    [
        ("truncated", gzip.compress(GOOD * 50)[:-200], "gzip", "body ended early"),
        ("corrupt", b"\x1f\x8b\x08\x00garbage-garbage-garbage", "gzip", "could not decode"),
        ("brotli", b"\x0b\x02\x80hello\x03", "br", "unsupported Content-Encoding"),
    ],
)
def test_broken_compression_is_a_clear_error(
    hostile: HostileServer, name: str, body: bytes, encoding: str, reason: str
) -> None:
    hostile.routes[f"/broken/{name}"] = lambda h: h.send(
        200, body, "application/rss+xml", Content_Encoding=encoding
    )
    with pytest.raises(FetchError, match=reason):
        fetch(hostile.url(f"/broken/{name}"))
