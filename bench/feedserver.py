"""The benchmark's feed server: the corpus over HTTP/1.1 on 127.0.0.1, from memory.

A bare asyncio protocol (keep-alive, GET only, pre-rendered bodies) so that it costs the
pollers as little CPU as possible on a 2-core machine; `run.py` measures its rate with wrk.
It serves the way real servers do: a gzipped body (compressed once, when rendered) to a
client that accepts gzip, and per feed one of four conditional modes (corpus.VALIDATOR_MODES:
ETag and Last-Modified, ETag only, Last-Modified only, or neither and always the full body).

Admin paths (not counted as feed requests):
  /_admin/stats            JSON counters since the last zero
  /_admin/zero             zero the counters
  /_admin/reset            the corpus as generated (no bumps), counters zeroed
  /_admin/bump?share=0.1   prepend new items to that share of the feeds
  /_admin/dump?path=FILE   write every (feed URL, link, title) ever served as TSV

    python bench/feedserver.py --n 1000 [--port 0]   # prints "READY <port>" when serving
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import hashlib
import json
import sys
import urllib.parse
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import Corpus, render  # noqa: E402


class State:
    def __init__(self, n: int, seed: int, base_url: str) -> None:
        self.n = n
        self.seed = seed
        self.base_url = base_url
        self.reset()

    def reset(self) -> None:
        self.corpus = Corpus(self.n, seed=self.seed)
        self.routes: dict[str, Route] = {}
        for feed in self.corpus.feeds:
            self._render(feed.index)
        self.zero()

    def zero(self) -> None:
        self.counters = {"requests": 0, "full": 0, "gzip": 0, "not_modified": 0, "bytes": 0}

    def _render(self, index: int) -> None:
        feed = self.corpus.feeds[index]
        body = render(feed, self.base_url)
        etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        assert feed.modified is not None
        modified = format_datetime(feed.modified, usegmt=True)
        kind = "rss" if feed.format == "rss" else "atom"
        headers = f"Content-Type: application/{kind}+xml; charset={feed.encoding}\r\n"
        if feed.validators in ("both", "etag"):
            headers += f"ETag: {etag}\r\n"
        if feed.validators in ("both", "modified"):
            headers += f"Last-Modified: {modified}\r\n"
        headers += "Vary: Accept-Encoding\r\n"
        zipped = gzip.compress(body, compresslevel=6, mtime=0)
        self.routes[feed.path] = Route(
            plain=f"HTTP/1.1 200 OK\r\n{headers}Content-Length: {len(body)}\r\n\r\n".encode()
            + body,
            zipped=f"HTTP/1.1 200 OK\r\n{headers}Content-Encoding: gzip\r\n"
            f"Content-Length: {len(zipped)}\r\n\r\n".encode()
            + zipped,
            not_modified=f"HTTP/1.1 304 Not Modified\r\n{headers}\r\n".encode(),
            etag=etag if feed.validators in ("both", "etag") else None,
            modified=modified if feed.validators in ("both", "modified") else None,
        )

    def bump(self, share: float) -> list[int]:
        changed = self.corpus.bump(share)
        for index in changed:
            self._render(index)
        return changed


@dataclass(frozen=True)
class Route:
    """A feed's answers, rendered once: 200 plain and gzipped, 304, and its validators
    (None where its mode does not send them)."""

    plain: bytes
    zipped: bytes
    not_modified: bytes
    etag: str | None
    modified: str | None


def _is_fresh(headers: dict[bytes, bytes], etag: str | None, modified: str | None) -> bool:
    """RFC 9110: If-None-Match decides when the feed has an ETag; else If-Modified-Since."""
    inm = headers.get(b"if-none-match")
    if inm is not None and etag is not None:
        return etag in {t.strip() for t in inm.decode("latin-1").split(",")}
    ims = headers.get(b"if-modified-since")
    if ims and modified is not None:
        try:
            return parsedate_to_datetime(modified) <= parsedate_to_datetime(ims.decode())
        except (TypeError, ValueError):
            return False
    return False


class Http(asyncio.Protocol):
    def __init__(self, state: State) -> None:
        self.state = state
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            raw, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            self.handle(raw)

    def handle(self, raw: bytes) -> None:
        assert self.transport is not None
        lines = raw.split(b"\r\n")
        try:
            method, target, _version = lines[0].split(b" ", 2)
        except ValueError:
            self.transport.close()
            return
        headers: dict[bytes, bytes] = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        path, _, query = target.decode("latin-1").partition("?")
        if path.startswith("/_admin/"):
            self.admin(path, urllib.parse.parse_qs(query))
            return
        counters = self.state.counters
        counters["requests"] += 1
        route = self.state.routes.get(path)
        if route is None:
            self.transport.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            return
        if _is_fresh(headers, route.etag, route.modified):
            counters["not_modified"] += 1
            self.transport.write(route.not_modified)
            return
        counters["full"] += 1
        answer = route.plain
        if b"gzip" in headers.get(b"accept-encoding", b""):
            counters["gzip"] += 1
            answer = route.zipped
        counters["bytes"] += len(answer)
        if method == b"HEAD":
            answer = answer.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
        self.transport.write(answer)

    def admin(self, path: str, query: dict[str, list[str]]) -> None:
        state = self.state
        answer: object
        if path == "/_admin/stats":
            answer = state.counters
        elif path == "/_admin/zero":
            state.zero()
            answer = "ok"
        elif path == "/_admin/reset":
            state.reset()
            answer = "ok"
        elif path == "/_admin/bump":
            answer = {"changed": len(state.bump(float(query.get("share", ["0.1"])[0])))}
        elif path == "/_admin/dump":
            target = Path(query["path"][0])
            with target.open("w", encoding="utf-8") as out:
                for feed_url, link, title in sorted(state.corpus.expected_pairs(state.base_url)):
                    out.write(f"{feed_url}\t{link}\t{title}\n")
            answer = {"pairs": len(state.corpus.served)}
        else:
            answer = "unknown"
        body = json.dumps(answer).encode()
        assert self.transport is not None
        self.transport.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="sources (default 1000)")
    parser.add_argument("--port", type=int, default=0, help="port (default: any free one)")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    loop = asyncio.get_running_loop()
    holder: list[State] = []
    server = await loop.create_server(lambda: Http(holder[0]), "127.0.0.1", args.port, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    # Atom self links carry the real address, so the corpus is rendered once bound.
    holder.append(State(args.n, args.seed, f"http://127.0.0.1:{port}"))
    print(f"READY {port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
