"""The floor: the least a poller can do over the bench server, with the standard library only.

    .venv/bin/python bench/floor_poll.py poll --db X --urls FILE [--threads 4]
    .venv/bin/python bench/floor_poll.py export --db X   # feed URL, link, title

http.client (one keep-alive connection a thread), gzip, expat and sqlite3: conditional
requests with the validators each feed sent, a body identical to the last one skipped by
its hash, each entry's id, link and title stored once per feed. No sanitizing, no
classification, no search index, no story matching: the reference a real poller's warm
and changed polls are measured against, not a competitor.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import re
import sqlite3
import sys
import threading
import urllib.parse
import zlib
from concurrent.futures import ThreadPoolExecutor
from xml.parsers import expat

SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (url TEXT PRIMARY KEY, etag TEXT, modified TEXT, hash TEXT);
CREATE TABLE IF NOT EXISTS entries (
  feed TEXT, id TEXT, link TEXT, title TEXT, PRIMARY KEY (feed, id)
);
"""
_DECLARED = re.compile(rb"""^<\?xml[^>]*encoding=["']([A-Za-z0-9_.-]+)["']""")


def entries(body: bytes) -> list[tuple[str, str, str]]:
    """(id, link, title) of each RSS item or Atom entry, read with expat."""
    declared = _DECLARED.match(body)
    text: bytes | str = body
    if declared and declared.group(1).lower() not in (b"utf-8", b"us-ascii", b"iso-8859-1"):
        text = body.decode(declared.group(1).decode()).split("?>", 1)[1]  # expat lacks the codec
    found: list[tuple[str, str, str]] = []
    current: dict[str, str] | None = None
    chars: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal current
        local = name.rsplit(" ", 1)[-1]
        if local in ("item", "entry"):
            current = {}
        elif current is not None and local == "link" and "href" in attrs:
            rel = attrs.get("rel", "alternate")
            current["link"] = attrs["href"] if rel == "alternate" else current.get("link", "")
        chars.clear()

    def end(name: str) -> None:
        nonlocal current
        local = name.rsplit(" ", 1)[-1]
        if current is None:
            return
        if local in ("item", "entry"):
            link = current.get("link", "")
            found.append((current.get("id") or link, link, current.get("title", "")))
            current = None
        elif local in ("title", "guid", "id") or (local == "link" and "link" not in current):
            current[{"guid": "id"}.get(local, local)] = "".join(chars).strip()

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars.append
    parser.Parse(text, True)
    return found


class Poller:
    def __init__(self, db: str) -> None:
        self.db = sqlite3.connect(db, check_same_thread=False)
        self.db.executescript(SCHEMA)
        self.lock = threading.Lock()
        self.local = threading.local()
        self.errors = 0

    def _connection(self, host: str, port: int) -> http.client.HTTPConnection:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection(host, port, timeout=60)
        return conn

    def poll(self, url: str) -> None:
        with self.lock:
            row = self.db.execute(
                "SELECT etag, modified, hash FROM feeds WHERE url = ?", [url]
            ).fetchone()
        etag, modified, last_hash = row or (None, None, None)
        parts = urllib.parse.urlsplit(url)
        headers = {"Accept-Encoding": "gzip", "User-Agent": "floor"}
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        conn = self._connection(parts.hostname or "", parts.port or 80)
        try:
            conn.request("GET", parts.path, headers=headers)
            response = conn.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            self.local.conn = None
            self.errors += 1
            return
        if response.status == 304:
            return
        if response.status != 200:
            self.errors += 1
            return
        if response.getheader("Content-Encoding") == "gzip":
            body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
        digest = hashlib.sha1(body).hexdigest()
        validators = [response.getheader("ETag"), response.getheader("Last-Modified")]
        if digest == last_hash:
            found: list[tuple[str, str, str]] = []
        else:
            found = entries(body)
        with self.lock, self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?)", [url, *validators, digest]
            )
            self.db.executemany(
                "INSERT OR IGNORE INTO entries VALUES (?, ?, ?, ?)",
                [(url, *entry) for entry in found],
            )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=("poll", "export"))
    parser.add_argument("--db", required=True)
    parser.add_argument("--urls")
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    poller = Poller(args.db)
    if args.command == "poll":
        with open(args.urls, encoding="utf-8") as f:
            urls = [line.strip() for line in f if line.strip()]
        with ThreadPoolExecutor(args.threads) as pool:
            list(pool.map(poller.poll, urls))
        (total,) = poller.db.execute("SELECT count(*) FROM entries").fetchone()
        print(json.dumps({"entries": total, "errors": poller.errors}))
    else:
        for row in poller.db.execute("SELECT feed, link, title FROM entries"):
            sys.stdout.write("\t".join(c.replace("\t", " ").replace("\n", " ") for c in row) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
