"""Search feeds: /search.{rss,atom,json}?q= and `aggregator search`, over SQLite FTS5 with
the rules' Arabic normalization, so a query typed without diacritics finds text with them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import feedparser
import httpx
import pytest
from test_pipeline import ELECTIONS, STRIKE, TEACHERS

from aggregator.cli import main
from aggregator.store import SearchError, Store, fts_query


def titles(served_url: str, query: str, fmt: str = "atom", **params: str) -> list[str]:
    r = httpx.get(f"{served_url}/search.{fmt}", params={"q": query, **params})
    assert r.status_code == 200, r.text
    if fmt == "json":
        return [item["title"] for item in r.json()["items"]]
    parsed = feedparser.parse(r.content)
    assert not parsed.bozo, parsed.bozo_exception
    return [e.title for e in parsed.entries]


def test_a_query_without_diacritics_finds_text_written_with_them(served: str) -> None:  # noqa: F811
    # ELECTIONS is written "الحِزْبُ الاشتراكيُّ يُطالِبُ بِانتخاباتٍ مُبكِّرة".
    for fmt in ("rss", "atom", "json"):
        assert titles(served, "الحزب الاشتراكي", fmt) == [ELECTIONS]
    # ta marbuta written as ha, and the word without its clitic bi-.
    assert titles(served, "انتخابات مبكره") == [ELECTIONS]


def test_clitics_phrases_or_and_categories(served: str) -> None:  # noqa: F811
    # "اضراب" (no hamza) finds "إضراب" and "الإضراب" (with the article), as the rules do.
    assert set(titles(served, "اضراب")) == {STRIKE, TEACHERS}
    assert titles(served, '"نقابة المعلمين"') == [TEACHERS]
    assert set(titles(served, "الموانئ OR المعلمين")) == {STRIKE, TEACHERS}
    assert titles(served, "اضراب", category="women") == [STRIKE]
    assert titles(served, "zzzz-nothing") == []


def test_search_feeds_are_feeds_with_their_own_self_link(served: str) -> None:  # noqa: F811
    r = httpx.get(served + "/search.json", params={"q": "إضراب"})
    assert r.headers["content-type"].startswith("application/feed+json")
    data = json.loads(r.content)
    assert (
        data["feed_url"] == "http://feeds.example.org/search.json?q=%D8%A5%D8%B6%D8%B1%D8%A7%D8%A8"
    )
    assert "إضراب" in data["title"]
    atom = feedparser.parse(httpx.get(served + "/search.atom", params={"q": "إضراب"}).content)
    assert any(link.rel == "self" and "search.atom?q=" in link.href for link in atom.feed.links)
    again = httpx.get(
        served + "/search.json", params={"q": "إضراب"}, headers={"If-None-Match": r.headers["etag"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("", 400),
        ("!!! ...", 400),
        ("x" * 201, 400),
        ('AND OR NOT ( "unbalanced', 200),
        ("NEAR(a b) * ^ :", 200),
    ],
)
def test_bad_queries_get_400_with_a_message_never_500(
    served: str,  # noqa: F811
    query: str,
    status: int,
) -> None:
    r = httpx.get(served + "/search.rss", params={"q": query})
    assert r.status_code == status, r.text
    if status == 400:
        assert "search" in r.text or "word" in r.text
    assert (
        httpx.get(served + "/search.rss", params={"q": "x", "category": "sport"}).status_code == 400
    )
    assert httpx.get(served + "/search.xml", params={"q": "x"}).status_code == 404


def test_cli_search(served: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    config = tmp_path / "feeds.yaml"
    assert main(["search", "اضراب", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert STRIKE in out and TEACHERS in out
    assert main(["search", "...", "--config", str(config)]) == 1
    assert "no words" in capsys.readouterr().err


def test_an_old_database_is_indexed_on_open(served: str, tmp_path: Path) -> None:  # noqa: F811
    db = tmp_path / "test.db"
    with sqlite3.connect(db) as conn:  # what schema 1 had: no search tables
        conn.execute("DROP TABLE items_fts")
        conn.execute("DROP TABLE search_docs")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    with Store(db) as store:
        assert [i.title for i in store.search_items("الاشتراكي", 10)] == [ELECTIONS]
    with sqlite3.connect(db) as conn:
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        assert int(version[0]) >= 2


def test_a_schema_4_search_index_is_retokenized_and_finds_the_same(
    served: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Schema 5 indexes with FTS5's ascii tokenizer (the text is normalized already, so it
    cuts the same words); an index built with unicode61 is rebuilt on open."""
    db = tmp_path / "test.db"
    queries = ("الحزب الاشتراكي", "اضراب", '"نقابة المعلمين"', "انتخاب*")
    with Store(db) as store:
        before = {q: [i.id for i in store.search_items(q, 10)] for q in queries}
    with sqlite3.connect(db) as conn:
        conn.execute(
            "CREATE VIRTUAL TABLE old USING fts5(text, tokenize = 'unicode61 remove_diacritics 2')"
        )
        conn.execute("INSERT INTO old(rowid, text) SELECT rowid, text FROM items_fts")
        conn.execute("DROP TABLE items_fts")
        conn.execute("ALTER TABLE old RENAME TO items_fts")
        conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    with Store(db) as store:
        after = {q: [i.id for i in store.search_items(q, 10)] for q in queries}
    assert after == before and all(before.values())
    with sqlite3.connect(db) as conn:
        (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'items_fts'").fetchone()
    assert "ascii" in sql


def test_query_building_never_passes_fts_syntax_through() -> None:
    assert fts_query("strike*") == '"strike"*'
    assert fts_query('"general strike" OR lockout') == '("general strike" OR "lockout")'
    assert fts_query("covid-19") == '"covid 19"'
    with pytest.raises(SearchError):
        fts_query(" ( ) ")
