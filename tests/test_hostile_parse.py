"""Hostile documents: entity bombs, XXE, non-feeds, wrong charsets, absurd contents.

One real `aggregator poll` reads every case from the hostile server; the tests then look
at what each source recorded, what the store holds and what was published.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator

import feedparser
import pytest
from hostile_poll import Polled, poll
from hostile_server import (
    ARABIC,
    SECRET,
    HostileServer,
    billion_laughs,
    quadratic_blowup,
    xxe,
)

from aggregator.errors import ParseError
from aggregator.parse import MAX_ITEMS_PER_FEED, MAX_TITLE_CHARS, parse_feed
from aggregator.store import Store

BOMBS = {
    "billion-laughs": "refers to other entities",
    "quadratic": "would expand to more than 1 MB",
}
XXE = ["xxe-file", "xxe-http", "xxe-param"]
NOT_FEEDS = {
    "page.html": "not a feed",
    "empty": "not a feed (empty body)",
    "binary": "not a feed",
}
ENCODINGS = [
    "utf16-bom", "utf16le-nobom", "cp1256-as-utf8", "utf8-as-cp1256", "cp1256-undeclared",
    "utf8-stray-bytes",
]  # fmt: skip
ABSURD = ["many-items", "huge-title", "odd-dates", "bare-items", "dup-guids", "control-chars"]


@pytest.fixture(scope="module")
def polled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Polled, HostileServer]]:
    tmp_path = tmp_path_factory.mktemp("hostile-parse")
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    with HostileServer(str(secret)) as server:
        paths = ["/good.rss", "/invalid-utf8", *BOMBS, *XXE, *NOT_FEEDS, *ENCODINGS, *ABSURD]
        paths = [p if p.startswith("/") else "/" + p for p in paths]
        # 4 MB: the 1 MB-title feed must get through the size cap to test the title cap.
        yield poll(tmp_path, server, paths, max_bytes="4MB", timeout="20s"), server


def titles_of(polled: Polled, source: str) -> list[str]:
    with Store(polled.db) as store:
        rows = store.db.execute(
            "SELECT i.title FROM items i JOIN item_sources s ON s.item_id = i.id "
            "JOIN sources src ON src.url = s.source_url WHERE src.name = ? ORDER BY i.title",
            [source],
        ).fetchall()
    return [row[0] for row in rows]


def test_the_good_source_is_unaffected(polled: tuple[Polled, HostileServer]) -> None:
    result, _ = polled
    assert result.states["good.rss"].error_count == 0
    assert titles_of(result, "good.rss") == ["item 0", "item 1", "item 2"]


def test_entity_bombs_are_refused_with_a_reason(polled: tuple[Polled, HostileServer]) -> None:
    result, _ = polled
    for name, reason in BOMBS.items():
        state = result.states[name]
        assert state.error_count == 1 and reason in (state.last_error or ""), state
        assert state.items == 0


@pytest.mark.parametrize("body", [billion_laughs(), quadratic_blowup()], ids=["laughs", "quad"])
def test_entity_bombs_cost_no_memory(body: bytes) -> None:
    """Before the guard: about 5 s and 68 MB for the billion laughs (expat's own limit).
    Refused before anything expands them: the peak stays near the body's size (the time
    is bench/hostile_report.py's, not a timed test's)."""
    tracemalloc.start()
    try:
        with pytest.raises(ParseError, match="entity-expansion bomb"):
            parse_feed(body, url="https://x.example/feed", headers={})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * len(body) + 1_000_000


@pytest.mark.parametrize("codec", ["utf-16", "utf-7"])
def test_a_bomb_in_another_encoding_is_refused_too(codec: str) -> None:
    text = (
        billion_laughs().decode().replace('version="1.0"?>', f'version="1.0" encoding="{codec}"?>')
    )
    with pytest.raises(ParseError, match="entity-expansion bomb"):
        parse_feed(text.encode(codec), url="https://x.example/feed", headers={})


def test_a_harmless_entity_and_a_quoted_doctype_still_read() -> None:
    harmless = (
        b'<!DOCTYPE rss [\n<!ENTITY id "tag:x.example,">\n]><rss version="2.0"><channel>'
        b"<item><guid>&id;1</guid><title>t</title></item></channel></rss>"
    )
    assert (
        parse_feed(harmless, url="https://x.example/", headers={}).items[0].guid
        == "tag:x.example,1"
    )
    quoted = (
        b'<rss version="2.0"><channel><item><title>XML bombs explained</title><description>'
        b'<![CDATA[<!DOCTYPE r [<!ENTITY a "lol"><!ENTITY b "&a;&a;">]>]]></description>'
        b"</item></channel></rss>"
    )
    assert parse_feed(quoted, url="https://x.example/", headers={}).items


def test_external_entities_are_never_resolved(polled: tuple[Polled, HostileServer]) -> None:
    result, server = polled
    assert [p for p in server.requests if "xxe-target" in p] == []
    for name in XXE:
        assert result.states[name].error_count == 0
        assert titles_of(result, name) in ([], ["before after"])
    stored = b"".join(
        path.read_bytes() for path in result.db.parent.glob("hostile.db*") if path.is_file()
    )
    assert SECRET.encode() not in stored
    assert b"TOP-SECRET" not in stored


def test_bodies_that_are_not_feeds_fail_with_a_reason(polled: tuple[Polled, HostileServer]) -> None:
    result, _ = polled
    for name, reason in NOT_FEEDS.items():
        state = result.states[name]
        assert state.error_count == 1 and (state.last_error or "").startswith(reason), state


def test_wrong_charsets_still_give_the_arabic_text(polled: tuple[Polled, HostileServer]) -> None:
    result, _ = polled
    for name in ENCODINGS:
        assert titles_of(result, name) == [ARABIC], name


def test_invalid_utf8_is_read_without_failing(polled: tuple[Polled, HostileServer]) -> None:
    result, _ = polled
    assert result.states["invalid-utf8"].error_count == 0
    [title] = titles_of(result, "invalid-utf8")
    assert title.startswith("caf")


def test_absurd_contents_are_bounded(polled: tuple[Polled, HostileServer]) -> None:
    result, _ = polled
    for name in ABSURD:
        assert result.states[name].error_count == 0, result.states[name]
    # 10,000 items: the newest MAX_ITEMS_PER_FEED are kept.
    assert result.states["many-items"].items == MAX_ITEMS_PER_FEED
    # A 1 MB title is cut at a word, marked with an ellipsis.
    big = max(titles_of(result, "huge-title"), key=len)
    assert len(big) <= MAX_TITLE_CHARS and big.endswith("…") and big.startswith("كلمة كلمة")
    # Duplicate guids in one feed: the first entry wins, no duplicate item.
    assert titles_of(result, "dup-guids") == ["first", "third"]  # "fourth" repeats g2
    # Control characters never reach the store (they would break the XML we publish).
    [title] = titles_of(result, "control-chars")
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in title), repr(title)
    # Entries with no link, title or text are not items; the bare description is one.
    assert titles_of(result, "bare-items") == [""]


def test_impossible_dates_become_the_first_seen_date(polled: tuple[Polled, HostileServer]) -> None:
    result, _ = polled
    with Store(result.db) as store:
        rows = dict(
            store.db.execute(
                "SELECT title, published FROM items WHERE link LIKE 'https://x.example/dates/%'"
            ).fetchall()
        )
        first_seen = dict(
            store.db.execute(
                "SELECT title, first_seen FROM items WHERE link LIKE 'https://x.example/dates/%'"
            ).fetchall()
        )
    assert rows["ok"] == "2026-11-28T10:00:00Z"
    for name in ("future", "epoch", "y1900", "y0001", "zero"):
        assert rows[name] == first_seen[name], name


def test_what_was_published_reads_back_cleanly(polled: tuple[Polled, HostileServer]) -> None:
    result, _ = polled
    with Store(result.db) as store:
        outputs = {o.path: o.body for o in store.outputs()}
    for path in ("/feeds/all.rss", "/feeds/politics.atom"):
        feed = feedparser.parse(outputs[path])
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        assert len(feed.entries) == 50
        ids = [e.id for e in feed.entries]
        assert len(ids) == len(set(ids))
    assert not any(SECRET.encode() in body for body in outputs.values())


def test_a_doctype_never_fetches_anything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not even a DTD named by a public identifier, or a parameter entity."""
    import socket

    attempts: list[object] = []

    def refuse(self: socket.socket, address: object, *args: object) -> None:
        attempts.append(address)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    for body in (
        xxe("http://127.0.0.1:9/x"),
        xxe("http://127.0.0.1:9/x", parameter=True),
        b'<!DOCTYPE rss SYSTEM "http://127.0.0.1:9/rss.dtd"><rss version="2.0"><channel>'
        b"<item><title>t</title></item></channel></rss>",
    ):
        parse_feed(body, url="https://x.example/", headers={})
    assert attempts == []
