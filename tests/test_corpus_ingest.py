"""The whole shared corpus in ONE poll run through the real pipeline.

Every data file is served over HTTP by a local server (with the headers its annotation
asks for) and configured as a source. No exception may escape the poll, and every file in
which feedparser finds entries that parse keeps as items must get items stored for its
source.
"""

from __future__ import annotations

import asyncio
import io
import time
from pathlib import Path

import feedparser
import pytest
from conftest import CORPUS
from feedserver import FeedServer, Route
from test_parse import annotated_headers, corpus_files

from aggregator import pipeline
from aggregator.config import load_settings
from aggregator.errors import ParseError
from aggregator.parse import parse_feed
from aggregator.store import Store

pytestmark = pytest.mark.slow


def _items(body: bytes, url: str, content_type: str, headers: dict[str, str]) -> int:
    try:
        feed = parse_feed(body, url=url, headers={"content-type": content_type, **headers})
    except ParseError:
        return 0
    return len(feed.items)


def test_the_whole_corpus_in_one_poll(tmp_path: Path, feed_server: FeedServer) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"no shared corpus at {CORPUS}")
    files = corpus_files()
    assert len(files) > 2000
    expected: dict[str, int] = {}  # url -> entries feedparser finds
    lines = [
        "site: {title: corpus, base_url: 'http://feeds.example.org', language: ar, max_items: 50}",
        "storage: {path: corpus.db}",
        "poll: {interval: 1h, timeout: 30s, max_bytes: 10MB, concurrency: 32, per_host: 32}",
        "categories: {corpus: {title: corpus}}",
        "sources:",
    ]
    for n, path in enumerate(files):
        body = path.read_bytes()
        headers = annotated_headers(body)
        content_type = headers.pop("content-type", "application/octet-stream")
        route = f"/{n}/{path.name}"
        feed_server.routes[route] = Route(
            body=body, content_type=content_type, headers=headers, validators=False
        )
        url = feed_server.url(route)
        seen = feedparser.parse(
            io.BytesIO(body),
            response_headers={"content-type": content_type, **headers, "content-location": url},
            sanitize_html=False,
        )
        # Entries with nothing to show (an id, a MathML formula the sanitizer removes)
        # are not items: count those parse keeps.
        expected[url] = len(seen.entries) and _items(body, url, content_type, headers)
        name = f"{n} {path.relative_to(CORPUS)}".replace("'", "''")
        lines.append(f"  - {{name: '{name}', url: '{url}', categories: [corpus]}}")
    config = tmp_path / "feeds.yaml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = load_settings(config)
    started = time.monotonic()
    with Store(settings.storage.path) as store:
        outcomes = asyncio.run(pipeline.poll_sources(settings, store, list(settings.sources)))
        pipeline.regenerate(settings, store)
        carried = dict(
            store.db.execute(
                "SELECT source_url, count(*) FROM item_sources GROUP BY source_url"
            ).fetchall()
        )
        assert store.integrity_check() == "ok"
    seconds = time.monotonic() - started
    assert len(outcomes) == len(files)
    internal = [o for o in outcomes if o.error and o.error.startswith(("internal", "not stored"))]
    assert internal == []
    missing = [
        (o.source.name, o.error)
        for o in outcomes
        if expected[o.source.url] and not carried.get(o.source.url)
    ]
    assert missing == []
    with_entries = sum(1 for count in expected.values() if count)
    print(f"{len(files)} sources, {with_entries} with entries, one poll in {seconds:.1f} s")
