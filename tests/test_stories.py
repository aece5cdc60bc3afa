"""Near-duplicate stories end to end: three outlets on a real HTTP server, `aggregator poll`
and `build`, feeds read back with feedparser and json.

Each outlet tells some of the same stories with its own links and headlines (a prefix, a
spelling variant, a rewritten headline over the agency text); a subscriber must see each
story once per feed, naming every outlet, under an id and date that never move.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

import feedparser
import pytest
from feedserver import FeedServer, Route

from aggregator.cli import main
from aggregator.store import SCHEMA_VERSION

# A fixed day weeks or years before any test run: whether two items are one story depends
# on their words and their dates relative to each other, never on when the poll runs.
DAY = datetime(2026, 9, 14, 8, 0, tzinfo=UTC)

STRIKE_TEXT = (
    "أعلنت نقابة المعلمين في القاهرة إضراباً شاملاً عن العمل يبدأ يوم الأحد، احتجاجاً على "
    "تجميد الأجور منذ 12 شهراً. وقالت النقابة في بيان إن الإضراب سيستمر حتى تستجيب وزارة "
    "التربية لمطالبها."
)
ELECTION_TEXT = (
    "انتخب أعضاء نقابة المعلمين في القاهرة مجلساً جديداً للنقابة، وفازت قائمة الاستقلال "
    "النقابي بـ12 مقعداً. وبلغت نسبة المشاركة أكثر من نصف الأعضاء."
)
RAIL_TEXT = (
    "The RMT union announced 3 days of national rail strikes in December after talks with "
    "train operators over pay and job cuts broke down. Services from London will be "
    "severely disrupted."
)
QUAKE_TEXT = (
    "The death toll from the earthquake that struck Morocco's High Atlas rose above 2,900, "
    "the interior ministry said, as rescuers dug through rubble in villages near Marrakesh."
)
ACTIVIST_TEXT = (
    "Iranian security forces arrested a prominent women's rights activist at her home in "
    "Tehran, her family said, weeks after she spoke out against the compulsory hijab."
)


@dataclass(frozen=True)
class Entry:
    guid: str
    link: str
    title: str
    text: str
    published: datetime


STRIKE = "نقابة المعلمين تعلن إضراباً شاملاً في القاهرة بدءاً من الأحد"
RAIL = "RMT announces 3 days of rail strikes in December"
ELECTION = "انتخاب مجلس جديد لنقابة المعلمين في القاهرة"
QUAKE = "Morocco earthquake death toll rises above 2,900"
ACTIVIST = "Iranian women's rights activist arrested in Tehran"

AGENCY = [
    Entry("ag-1", "https://agency.example/strike", STRIKE, STRIKE_TEXT, DAY),
    Entry("ag-2", "https://agency.example/rail", RAIL, RAIL_TEXT, DAY + timedelta(hours=1)),
    Entry("ag-3", "https://agency.example/quake", QUAKE, QUAKE_TEXT, DAY - timedelta(days=4)),
    Entry(
        "ag-4",
        "https://agency.example/breaking-1",
        "عاجل",
        "قوات الأمن تفرق اعتصاماً للعمال أمام مقر الوزارة.",
        DAY,
    ),
]
DAILY = [
    # a prefix, and another outlet's spelling (no hamzas, ه for ة, Arabic-Indic digits)
    Entry(
        "d-1",
        "https://daily.example/news/1001",
        "عاجل: نقابة المعلمين تعلن اضرابا شاملا في القاهره بدءا من الاحد",
        STRIKE_TEXT.replace("إ", "ا").replace("12", "١٢"),
        DAY + timedelta(minutes=40),
    ),
    Entry(
        "d-2",
        "https://daily.example/news/1002",
        f"Breaking: {RAIL} - Reuters",
        RAIL_TEXT,
        DAY + timedelta(hours=2),
    ),
    # the same union on the same day, another event: its own entry
    Entry("d-3", "https://daily.example/news/1003", ELECTION, ELECTION_TEXT, DAY),
    # a generic title over another text: its own entry too
    Entry(
        "d-4",
        "https://daily.example/news/1004",
        "عاجل",
        "انقطاع الكهرباء عن أحياء واسعة في الجيزة بسبب عطل فني.",
        DAY,
    ),
]
WOMEN = [
    # the agency text under the outlet's own headline
    Entry(
        "w-1",
        "https://women.example/a/strike",
        "إضراب عام للمعلمين في القاهرة احتجاجاً على تدني الأجور",
        STRIKE_TEXT,
        DAY + timedelta(hours=3),
    ),
    Entry("w-2", "https://women.example/a/activist", ACTIVIST, ACTIVIST_TEXT, DAY),
    # the same headline four days later is outside the 72h window: another story
    Entry("w-3", "https://women.example/a/quake", QUAKE, QUAKE_TEXT, DAY),
]

# name, path, categories, entries
OUTLETS = [
    ("Agency", "/agency.rss", ["politics"], AGENCY),
    ("Daily", "/daily.rss", ["labour"], DAILY),
    ("Women Today", "/women.rss", ["women"], WOMEN),
]


def rss(title: str, entries: list[Entry]) -> bytes:
    items = "".join(
        f"<item><guid isPermaLink='false'>{e.guid}</guid><link>{e.link}</link>"
        f"<title>{escape(e.title)}</title><description>{escape(e.text)}</description>"
        f"<pubDate>{format_datetime(e.published)}</pubDate></item>"
        for e in entries
    )
    return (
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>{title}</title><link>https://{title.lower()}.example/</link>"
        f"<description>{title}</description>{items}</channel></rss>"
    ).encode()


def write_config(tmp_path: Path, server: FeedServer, dedupe: str = "") -> Path:
    lines = [
        "site:",
        '  title: "منبر"',
        '  base_url: "http://feeds.example.org"',
        "  language: ar",
        "storage:",
        "  path: test.db",
        "poll:",
        "  timeout: 10s",
        "categories:",
        '  politics: {title: "سياسة"}',
        '  labour: {title: "عمال ونقابات"}',
        '  women: {title: "المرأة"}',
        "sources:",
    ]
    for name, path, categories, _entries in OUTLETS:
        lines += [
            f'  - name: "{name}"',
            f"    url: {server.url(path)}",
            f"    categories: [{', '.join(categories)}]",
        ]
    config = tmp_path / "feeds.yaml"
    config.write_text("\n".join(lines) + "\n" + dedupe, encoding="utf-8")
    return config


def serve(server: FeedServer) -> None:
    for name, path, _categories, entries in OUTLETS:
        server.routes[path] = Route(body=rss(name, entries))


def poll(config: Path, *sources: str) -> None:
    for name in sources:
        assert main(["poll", "--source", name, "--config", str(config)]) == 0


def build(config: Path, out: Path) -> Path:
    assert main(["build", "--config", str(config), "--out", str(out)]) == 0
    return out


def json_feed(out: Path, stem: str) -> list[dict]:
    return json.loads((out / "feeds" / f"{stem}.json").read_text(encoding="utf-8"))["items"]


def atom_feed(out: Path, stem: str) -> feedparser.FeedParserDict:
    return feedparser.parse((out / "feeds" / f"{stem}.atom").read_bytes())


def by_title(items: list[dict]) -> dict[str, dict]:
    return {item["title"]: item for item in items}


@pytest.fixture
def polled(tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]):
    serve(feed_server)
    config = write_config(tmp_path, feed_server)
    # One at a time, so which item came first (and leads its story) is known.
    poll(config, "Agency", "Daily", "Women Today")
    capsys.readouterr()
    return config, build(config, tmp_path / "public")


EXPECTED = {
    "politics": {STRIKE, RAIL, QUAKE, "عاجل"},
    "labour": {STRIKE, RAIL, ELECTION, "عاجل"},
    "women": {STRIKE, ACTIVIST, QUAKE},
}


@pytest.mark.parametrize("category", sorted(EXPECTED))
def test_each_feed_shows_each_story_once(polled, category: str) -> None:
    _config, out = polled
    titles = [item["title"] for item in json_feed(out, category)]
    assert sorted(titles) == sorted(EXPECTED[category])
    for fmt in ("rss", "atom"):
        parsed = feedparser.parse((out / "feeds" / f"{category}.{fmt}").read_bytes())
        assert sorted(e.title for e in parsed.entries) == sorted(titles), fmt


def test_all_feed_holds_every_story_once(polled) -> None:
    _config, out = polled
    titles = [item["title"] for item in json_feed(out, "all")]
    expected = [STRIKE, RAIL, ELECTION, ACTIVIST, QUAKE, QUAKE, "عاجل", "عاجل"]
    assert sorted(titles) == sorted(expected)


def test_a_story_names_every_outlet_with_links(polled) -> None:
    _config, out = polled
    strike = by_title(json_feed(out, "all"))[STRIKE]
    names = [s["name"] for s in strike["_aggregator"]["sources"]]
    assert names == ["Agency", "Daily", "Women Today"]  # the order they told it
    assert strike["url"] == "https://agency.example/strike"
    assert sorted(strike["_aggregator"]["categories"]) == ["labour", "politics", "women"]
    # the "also published by" line links each other outlet's own article
    entry = next(e for e in atom_feed(out, "women").entries if e.title == STRIKE)
    content = entry.content[0].value
    assert 'href="https://daily.example/news/1001"' in content
    assert 'href="https://women.example/a/strike"' in content
    rail = by_title(json_feed(out, "labour"))[RAIL]
    assert [s["name"] for s in rail["_aggregator"]["sources"]] == ["Agency", "Daily"]


def test_stories_command_shows_what_was_merged_and_why(
    polled, capsys: pytest.CaptureFixture[str]
) -> None:
    config, _out = polled
    assert main(["stories", "--days", "36500", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert STRIKE in out and RAIL in out
    lines = out.splitlines()
    strike = lines.index(next(line for line in lines if line.endswith(STRIKE)))
    members = lines[strike + 2 : strike + 4]
    assert any("Daily:" in line and "same-" in line for line in members), members
    assert any("Women Today:" in line and "same-text" in line for line in members), members
    assert "2 stories, 3 merged item(s)" in out
    assert ELECTION not in out and ACTIVIST not in out


def test_story_id_and_date_stay_when_an_outlet_joins_later(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    serve(feed_server)
    config = write_config(tmp_path, feed_server)
    poll(config, "Agency", "Daily")
    before = by_title(json_feed(build(config, tmp_path / "one"), "all"))[STRIKE]
    poll(config, "Women Today")
    after_all = json_feed(build(config, tmp_path / "two"), "all")
    after = by_title(after_all)[STRIKE]
    assert (after["id"], after["date_published"], after["url"]) == (
        before["id"],
        before["date_published"],
        before["url"],
    )
    assert [s["name"] for s in after["_aggregator"]["sources"]] == [
        "Agency",
        "Daily",
        "Women Today",
    ]
    assert [i["title"] for i in after_all].count(STRIKE) == 1
    women = by_title(json_feed(tmp_path / "two", "women"))
    assert women[STRIKE]["id"] == before["id"]  # the late outlet's category joined the story


def test_an_edited_item_updates_in_place_and_is_not_new(
    polled, feed_server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config, out = polled
    before = json_feed(out, "politics")
    strike = by_title(before)[STRIKE]
    corrected = "نقابة المعلمين تعلن إضراباً شاملاً في القاهرة بدءاً من الأحد المقبل"
    edited = [Entry("ag-1", AGENCY[0].link, corrected, STRIKE_TEXT, DAY), *AGENCY[1:]]
    feed_server.routes["/agency.rss"] = Route(body=rss("Agency", edited))
    poll(config, "Agency")
    summary = capsys.readouterr().out
    assert "0 new item(s)" in summary
    after = json_feed(build(config, tmp_path / "after"), "politics")
    assert [i["id"] for i in after] == [i["id"] for i in before]  # same ids, same order
    item = by_title(after)[corrected]
    assert item["id"] == strike["id"]
    assert item["date_published"] == strike["date_published"]
    assert len([s for s in item["_aggregator"]["sources"]]) == 3
    with sqlite3.connect(tmp_path / "test.db") as db:
        assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 11


def test_near_duplicate_layer_can_be_turned_off(tmp_path: Path, feed_server: FeedServer) -> None:
    serve(feed_server)
    config = write_config(tmp_path, feed_server, "dedupe:\n  enabled: false\n")
    poll(config, "Agency", "Daily", "Women Today")
    titles = [i["title"] for i in json_feed(build(config, tmp_path / "out"), "all")]
    # three links, three headlines: without the near-duplicate layer, three entries
    assert {STRIKE, DAILY[0].title, WOMEN[0].title} <= set(titles)
    assert len(titles) == 11


def test_copies_merge_however_long_ago_they_were_published(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    """A first poll reaches weeks back, and a weekly outlet publishes late: copies merge by
    their dates relative to each other, a year ago as yesterday; what is still published
    stays indexed, so a copy arriving later still finds it."""
    year_ago = DAY - timedelta(days=365)
    strike, rail = AGENCY[0], AGENCY[1]
    copy, rail_copy = DAILY[0], DAILY[1]
    # Identical once normalized (hamzas, ta marbuta, digits), 65 minutes apart, two links.
    same = Entry("w-9", "https://women.example/a/9", copy.title, copy.text, year_ago)
    later = year_ago + timedelta(minutes=65)
    feed_server.routes["/agency.rss"] = Route(
        body=rss(
            "Agency", [Entry(strike.guid, strike.link, strike.title, strike.text, year_ago), rail]
        )
    )
    feed_server.routes["/daily.rss"] = Route(
        body=rss(
            "Daily",
            [Entry(copy.guid, copy.link, copy.title, copy.text, later), rail_copy],
        )
    )
    feed_server.routes["/women.rss"] = Route(body=rss("Women Today", [same]))
    config = write_config(tmp_path, feed_server)
    poll(config, "Agency", "Daily")
    items = by_title(json_feed(build(config, tmp_path / "out"), "all"))
    assert set(items) == {strike.title, rail.title}
    assert [s["name"] for s in items[rail.title]["_aggregator"]["sources"]] == ["Agency", "Daily"]
    assert [s["name"] for s in items[strike.title]["_aggregator"]["sources"]] == ["Agency", "Daily"]
    poll(config, "Women Today")  # a year-old copy, polled later, joins the same story
    items = by_title(json_feed(build(config, tmp_path / "later"), "all"))
    assert set(items) == {strike.title, rail.title}
    assert [s["name"] for s in items[strike.title]["_aggregator"]["sources"]] == [
        "Agency",
        "Daily",
        "Women Today",
    ]


def test_an_older_story_index_is_rebuilt_from_the_items_and_still_matches(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    """Schema 4 reads words anew (aggregator.text) and indexes every stored item, where
    schema 3 kept a few days: a store written before is reindexed from its items on open,
    and its old stories still gain outlets."""
    serve(feed_server)
    config = write_config(tmp_path, feed_server)
    poll(config, "Agency", "Daily")
    with sqlite3.connect(tmp_path / "test.db") as db:  # back to what schema 3 stored
        db.execute("DROP TABLE story_words")
        db.execute("DROP TABLE story_keys")
        db.execute(
            "CREATE TABLE story_words (n INTEGER PRIMARY KEY, item_id TEXT NOT NULL UNIQUE, "
            "published TEXT NOT NULL, features BLOB NOT NULL)"
        )
        db.execute("CREATE INDEX story_words_published ON story_words(published)")
        db.execute(
            "CREATE TABLE story_keys (band INTEGER NOT NULL, n INTEGER NOT NULL, "
            "PRIMARY KEY (band, n)) WITHOUT ROWID"
        )
        db.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    poll(config, "Women Today")
    after = by_title(json_feed(build(config, tmp_path / "out"), "all"))[STRIKE]
    assert [s["name"] for s in after["_aggregator"]["sources"]] == [
        "Agency",
        "Daily",
        "Women Today",
    ]
    with sqlite3.connect(tmp_path / "test.db") as db:
        columns = [r[1] for r in db.execute("PRAGMA table_info(story_words)")]
        assert columns == ["id", "n", "item_id", "features"]
        indexed = db.execute("SELECT count(*) FROM story_words").fetchone()[0]
        dated = db.execute("SELECT count(*) FROM items WHERE dropped = 0").fetchone()[0]
        assert indexed == dated == 11
        assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
            str(SCHEMA_VERSION),
        )


def test_peers_sharing_most_keys_are_offered_first_however_common_one_key(
    tmp_path: Path,
) -> None:
    """Boilerplate (one footer under every article) gives every item the same key: the
    peers offered are still those sharing the most keys, within the window only."""
    from aggregator.models import Candidate, ParsedItem, StoryMatch, StorySignature, Validators
    from aggregator.models import Source as FeedSource
    from aggregator.store import Store

    offered: dict[str, list[str]] = {}  # an item's words -> the peers offered for it

    class Recorder:  # the matcher's side is tested elsewhere: record what it is offered
        window = timedelta(hours=72)

        def match(self, signature, peers) -> StoryMatch | None:  # noqa: ANN001
            offered[signature.features] = [p.item_id for p in peers]
            return None

    source = FeedSource(name="S", url="http://s.example/rss", categories=())
    footer = 7  # the key every item shares

    def candidate(i: int, bands: tuple[int, ...], published: datetime = DAY) -> Candidate:
        item = ParsedItem(
            guid=str(i), link=f"http://s.example/{i}", title=f"t{i}", summary_html="",
            content_html="", author=None, published=published, updated=None,
        )  # fmt: skip
        story = StorySignature(features=f"t{i}\x1f", bands=bands)
        return Candidate(item=item, keys=(f"guid:{i}",), categories=frozenset(), story=story)

    with Store(tmp_path / "s.db") as store:
        store.sync_sources([source])
        batch = [candidate(i, (footer, 1000 + i, 2000 + i)) for i in range(250)]
        # Shares every key with item 4, but published a week later: outside the window.
        batch.append(candidate(8888, (footer, 1004, 2004), DAY + timedelta(days=7)))
        batch.append(candidate(9999, (footer, 1003, 2003)))  # shares three keys with item 3
        store.record_fetch(
            source, now=DAY, http_status=200, validators=Validators(), body_hash="x",
            candidates=batch, next_poll=DAY, stories=Recorder(),
        )  # fmt: skip
        ids = dict(store.db.conn.execute("SELECT key, item_id FROM item_keys").fetchall())
    assert "t8888\x1f" not in offered  # a week apart: never compared
    assert offered["t9999\x1f"][0] == ids["guid:3"]  # found through its own keys, first
    assert all(len(peers) <= 24 for peers in offered.values())


def test_search_shows_a_story_once_as_the_feeds_do(
    polled, capsys: pytest.CaptureFixture[str]
) -> None:
    """Three outlets told the strike; every member's words are indexed, but a search feed
    and `aggregator search` show the story once: the entry the category feeds show."""
    import httpx
    from test_server import serving

    config, out = polled
    feed_story = by_title(json_feed(out, "all"))[STRIKE]
    with serving(config) as url:
        for query in ("إضراب شامل", "اضرابا", "نقابة المعلمين"):
            found = httpx.get(url + "/search.json", params={"q": query}).json()["items"]
            ids = [item["id"] for item in found]
            assert len(ids) == len(set(ids)), query
            strike = [item for item in found if item["id"] == feed_story["id"]]
            assert len(strike) == 1, (query, [item["title"] for item in found])
            assert strike[0]["title"] == STRIKE
            others = {DAILY[0].title, WOMEN[0].title}
            assert not others & {item["title"] for item in found}, query
            atom = feedparser.parse(httpx.get(url + "/search.atom", params={"q": query}).content)
            assert [e.title for e in atom.entries].count(STRIKE) == 1
    capsys.readouterr()
    assert main(["search", "إضراب شامل", "--config", str(config)]) == 0
    printed = capsys.readouterr().out
    assert printed.count(STRIKE) == 1
    assert DAILY[0].title not in printed and WOMEN[0].title not in printed
