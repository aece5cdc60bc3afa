"""Parsing in worker processes stores exactly what parsing in the poller stores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from feedserver import FeedServer
from test_pipeline import PROTEST, serve_site, write_config

from aggregator import pipeline
from aggregator.cli import main
from aggregator.parsepool import WORKERS_ENV, ParsePool


def _poll_and_export(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str], name: str
) -> tuple[str, list[dict]]:
    work = tmp_path / name
    work.mkdir()
    config = write_config(work, server)
    # One source at a time: which of the sources carrying an article is stored first
    # decides its id, and concurrent fetches finish in any order.
    text = config.read_text(encoding="utf-8").replace(
        "  timeout: 10s\n", "  timeout: 10s\n  concurrency: 1\n"
    )
    assert "concurrency: 1" in text
    config.write_text(text, encoding="utf-8")
    assert main(["poll", "--config", str(config)]) == 0
    summary = capsys.readouterr().out
    assert main(["export", "--config", str(config)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    for record in records:
        record["sources"] = sorted(s["url"] for s in record["sources"])
        record["categories"] = sorted(record["categories"])
    for record in records:
        # An undated item is dated when first seen: that moment differs between the runs.
        if record["title"] == PROTEST:
            record.pop("published")
    return summary, sorted(records, key=lambda r: r["id"])


def test_worker_processes_store_the_same_items_as_inline_parsing(
    tmp_path: Path,
    feed_server: FeedServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    serve_site(feed_server)
    monkeypatch.setattr(pipeline, "MIN_SOURCES", 1)  # use the pool even for a few sources
    monkeypatch.setenv(WORKERS_ENV, "0")
    inline_summary, inline = _poll_and_export(tmp_path, feed_server, capsys, "inline")
    monkeypatch.setenv(WORKERS_ENV, "2")
    used: list[bool] = []
    real_pool = ParsePool._pool

    def spy(self: ParsePool):  # type: ignore[no-untyped-def]
        pool = real_pool(self)
        used.append(pool is not None)
        return pool

    monkeypatch.setattr(ParsePool, "_pool", spy)
    pooled_summary, pooled = _poll_and_export(tmp_path, feed_server, capsys, "pooled")
    assert used and all(used)  # every body went to a worker process
    assert inline and pooled == inline
    assert pooled_summary.splitlines()[0] == inline_summary.splitlines()[0]


def test_a_body_that_is_not_a_feed_fails_that_source_only(
    tmp_path: Path,
    feed_server: FeedServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    serve_site(feed_server)
    feed_server.routes["/politics.rss"].body = b"<html><body>maintenance</body></html>"
    monkeypatch.setattr(pipeline, "MIN_SOURCES", 1)
    monkeypatch.setenv(WORKERS_ENV, "2")
    summary, records = _poll_and_export(tmp_path, feed_server, capsys, "pooled")
    assert "1 failed" in summary.splitlines()[0]
    assert "FAILED صوت اليسار: not a feed" in summary
    assert records  # every other source was stored


def test_decide_skips_costly_work_only_for_items_stored_unchanged(tmp_path: Path):
    """A changed feed is mostly items already stored: those get no categories, story
    signature or search text (the store skips them); a new or edited item gets all."""
    from aggregator.config import load_settings
    from aggregator.dedupe import content_hash, identity_keys
    from aggregator.models import ParsedItem
    from aggregator.parsepool import decide

    config = tmp_path / "feeds.yaml"
    config.write_text(
        "site: {title: T, base_url: 'http://x.example'}\n"
        "categories:\n  politics: {title: Politics}\n"
        "sources:\n  - {name: A, url: 'http://a.example/rss', categories: [politics]}\n",
        encoding="utf-8",
    )
    settings = load_settings(config)
    source = settings.sources[0]
    words = " ".join(f"كلمة{i}" for i in range(40))
    item = ParsedItem(
        guid="1", link="http://a.example/1", title="إضراب عمال النسيج في المحلة الكبرى",
        summary_html=f"<p>{words}</p>", content_html="", author=None, published=None,
        updated=None,
    )  # fmt: skip
    first_key = identity_keys(source.url, item)[0]

    fresh = decide(settings, source, item, known={})
    assert fresh.story is not None and fresh.search_text
    stored = decide(settings, source, item, known={first_key: content_hash(item)})
    assert stored.story is None and stored.search_text is None and stored.unchanged
    assert stored.keys == fresh.keys and not stored.categories
    assert fresh.categories == {"politics"}
    edited = decide(settings, source, item, known={first_key: "an older hash"})
    assert edited.story == fresh.story and edited.search_text == fresh.search_text
    assert edited.categories == fresh.categories
    assert not fresh.unchanged and not edited.unchanged
