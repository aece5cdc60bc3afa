"""A feed served half-written (a file being rewritten, a dropped connection) or with empty
entries: only complete entries with something to show are items, and junk that an older
version stored stops leading the feeds."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from feedserver import FeedServer, Route

from aggregator import parse
from aggregator.cli import main
from aggregator.errors import ParseError
from aggregator.models import Category, SourceRef, StoredItem
from aggregator.parse import parse_feed
from aggregator.publish import render_rss
from aggregator.store import Store

URL = "https://news.example/feed.xml"


def rss(*items: str) -> bytes:
    body = "".join(items)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>Left</title><link>https://news.example/</link>{body}</channel></rss>\n"
    ).encode()


def item(n: int, title: str | None = None) -> str:
    title = title if title is not None else f"خبر رقم {n} عن الإضراب"
    return (
        f"<item><title>{title}</title><link>https://news.example/{n}</link>"
        f'<guid isPermaLink="false">news-{n}</guid><description>نص الخبر {n} كاملًا</description>'
        f"<pubDate>Mon, 01 Jan 2024 1{n}:00:00 GMT</pubDate></item>"
    )


WHOLE = rss(item(1), item(2), item(3))


@pytest.fixture(params=[True, False], ids=["fastxml", "feedparser"])
def both_paths(request, monkeypatch):
    monkeypatch.setattr(parse, "FAST_PATH", request.param)


@pytest.mark.parametrize(
    "marker",
    [
        b"<title>\xd8\xae\xd8\xa8\xd8\xb1 \xd8\xb1\xd9\x82\xd9\x85 3",  # inside the title
        b'<guid isPermaLink="false">news-3',  # after the link, before the guid
        b"</description>",  # only the pubDate and the end tags missing
    ],
)
def test_a_cut_off_document_keeps_only_its_complete_entries(both_paths, marker: bytes) -> None:
    at = WHOLE.rindex(marker) + len(marker)
    feed = parse_feed(WHOLE[:at], url=URL, headers={})
    assert [i.guid for i in feed.items] == ["news-1", "news-2"]
    assert any("cut off" in w for w in feed.warnings), feed.warnings


def test_a_document_cut_after_an_entry_keeps_it(both_paths) -> None:
    at = WHOLE.rindex(b"</item>") + len(b"</item>")
    feed = parse_feed(WHOLE[:at], url=URL, headers={})
    assert [i.guid for i in feed.items] == ["news-1", "news-2", "news-3"]


def test_a_document_cut_off_before_any_complete_entry_is_a_parse_error(both_paths) -> None:
    with pytest.raises(ParseError, match="cut off"):
        parse_feed(WHOLE[: WHOLE.index(b"news-1</guid>")], url=URL, headers={})


def test_a_cut_off_atom_document_keeps_only_complete_entries(both_paths) -> None:
    body = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        b'<entry><id>tag:x,2024:1</id><title>One</title><link href="https://x.example/1"/>'
        b"</entry><entry><id>tag:x,2024:2</id><title>Two"
    )
    feed = parse_feed(body, url=URL, headers={})
    assert [i.title for i in feed.items] == ["One"]


def test_an_ill_formed_but_whole_document_keeps_every_entry(both_paths) -> None:
    body = rss(item(1, "A &amp B"), item(2))
    feed = parse_feed(body, url=URL, headers={})
    assert [i.guid for i in feed.items] == ["news-1", "news-2"]


def test_an_entry_with_no_link_title_or_text_is_not_an_item(both_paths) -> None:
    body = rss(
        item(1),
        '<item><guid isPermaLink="false">only-an-id</guid></item>',
        "<item><description>&lt;p&gt; &lt;/p&gt;</description><author>x@y.z (X)</author></item>",
        "<item><description>نص بلا عنوان ولا رابط</description></item>",
        "<item><link>https://news.example/only-a-link</link></item>",
    )
    feed = parse_feed(body, url=URL, headers={})
    assert [(i.title, i.link) for i in feed.items] == [
        ("خبر رقم 1 عن الإضراب", "https://news.example/1"),
        ("", None),
        ("", "https://news.example/only-a-link"),
    ]
    assert any("2 empty entries skipped" in w for w in feed.warnings), feed.warnings


def test_a_json_feed_item_with_nothing_to_show_is_not_an_item() -> None:
    body = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": ['
        b'{"id": "1", "title": "One", "url": "https://x.example/1"}, {"id": "2"}]}'
    )
    feed = parse_feed(body, url=URL, headers={})
    assert [i.guid for i in feed.items] == ["1"]


def _stored(**fields) -> StoredItem:
    values = dict(
        id="urn:uuid:11111111-2222-5333-8444-555555555555",
        link=None,
        title="",
        summary_html="",
        content_html="",
        author=None,
        published=datetime(2024, 1, 1, tzinfo=UTC),
        first_seen=datetime(2024, 1, 1, tzinfo=UTC),
        updated=None,
        categories=("politics",),
        sources=(SourceRef(name="Left", url=URL),),
    )
    values.update(fields)
    return StoredItem(**values)


def test_a_published_title_is_never_the_items_id() -> None:
    from test_publish import make_settings

    settings = make_settings()
    feed = feedparser.parse(render_rss(settings, Category("politics", "سياسة"), [_stored()]))
    title = feed.entries[0].title
    assert "urn:uuid" not in title and title, title


# --- end to end ----------------------------------------------------------------------


def _config(tmp_path: Path, server: FeedServer) -> Path:
    config = tmp_path / "feeds.yaml"
    config.write_text(
        "site: {title: Left, base_url: 'http://feeds.example.org', language: ar}\n"
        "storage: {path: test.db}\n"
        "categories: {politics: {title: سياسة}}\n"
        f"sources:\n  - {{name: Left, url: '{server.url('/feed.rss')}', "
        "categories: [politics]}\n",
        encoding="utf-8",
    )
    return config


def _titles(db: Path, path: str = "/feeds/politics.rss") -> list[str]:
    with Store(db, readonly=True) as store:
        body = {o.path: o.body for o in store.outputs()}[path]
    return [e.title for e in feedparser.parse(body).entries]


def test_a_half_written_feed_publishes_no_junk_and_the_whole_feed_follows(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    config = _config(tmp_path, feed_server)
    half = WHOLE[: WHOLE.index(b'<guid isPermaLink="false">news-3')]
    feed_server.routes["/feed.rss"] = Route(body=half)
    assert main(["poll", "--config", str(config)]) == 0
    assert sorted(_titles(tmp_path / "test.db")) == ["خبر رقم 1 عن الإضراب", "خبر رقم 2 عن الإضراب"]
    feed_server.routes["/feed.rss"] = Route(body=WHOLE)
    assert main(["poll", "--all", "--config", str(config)]) == 0
    titles = _titles(tmp_path / "test.db")
    assert titles[0] == "خبر رقم 3 عن الإضراب" and len(titles) == 3, titles


def test_junk_stored_by_an_older_version_leaves_the_feeds(
    tmp_path: Path, feed_server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    config = _config(tmp_path, feed_server)
    feed_server.routes["/feed.rss"] = Route(body=WHOLE)
    assert main(["poll", "--config", str(config)]) == 0
    # What an older version stored from a cut-off body: no title, no link, no text, and
    # newer than everything else, so it led every feed as <title>urn:uuid:…</title>.
    db = tmp_path / "test.db"
    conn = sqlite3.connect(db)
    with conn:
        junk = "urn:uuid:00000000-0000-5000-8000-000000000000"
        conn.execute(
            "INSERT INTO items(id, link, title, summary_html, content_html, author, published, "
            "first_seen, updated, content_hash, dropped) "
            "VALUES (?, NULL, '', '', '', NULL, '2030-01-01T00:00:00Z', "
            "'2030-01-01T00:00:00Z', NULL, 'x', 0)",
            [junk],
        )
        conn.execute(
            "INSERT INTO item_sources VALUES (?, ?, 0, NULL, '2030-01-01T00:00:00Z')",
            [junk, feed_server.url("/feed.rss")],
        )
        conn.execute(
            "INSERT INTO item_categories VALUES ('politics', '2030-01-01T00:00:00Z', ?)", [junk]
        )
        conn.execute("INSERT INTO item_keys VALUES ('guid:junk', ?)", [junk])
        conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    conn.close()
    caplog.set_level(logging.INFO, logger="aggregator")
    # The feed is whole again and unchanged: the next poll still takes the junk down.
    assert main(["poll", "--all", "--config", str(config)]) == 0
    for path in ("/feeds/politics.rss", "/feeds/all.rss"):
        titles = _titles(db, path)
        assert len(titles) == 3 and not any("urn:uuid" in t or not t for t in titles), titles
    with Store(db, readonly=True) as store:
        index = {o.path: o.body for o in store.outputs()}["/index.html"].decode()
    assert junk not in index
    assert "1 empty item(s) stored by an older version" in caplog.text
