"""End to end: a real HTTP server, `aggregator poll` and `build`, read back with feedparser."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import feedparser
import pytest
from conftest import DATA
from feedserver import FeedServer, Route

from aggregator.cli import main

SITE = DATA / "site"
STRIKE = "إضراب عمال الموانئ يدخل يومه الثالث"
ELECTIONS = "الحِزْبُ الاشتراكيُّ يُطالِبُ بِانتخاباتٍ مُبكِّرة"
PROTEST = "مظاهرة أمام البرلمان & اعتصام مفتوح"
STATEMENT = "بيان بلا رابط ولا معرّف"
SEMINAR = "ندوة عن حقوق العاملات"
TEACHERS = "نقابة المعلمين تعلن الإضراب العام"
LAW = "قانون جديد لحماية النساء من العنف"
SECULAR = "فصل الدين عن الدولة: نقاش مفتوح"

EXPECTED = {
    "politics": {ELECTIONS, PROTEST, STATEMENT},
    "labour": {STRIKE, TEACHERS},
    "women": {STRIKE, SEMINAR, LAW},
    "secularism": {STRIKE, SECULAR},
}
EXPECTED["all"] = set().union(*EXPECTED.values())

SOURCES = [
    # name, path, file, content type, categories
    ("صوت اليسار", "/politics.rss", "politics.rss", "application/rss+xml", ["politics"]),
    ("Agency", "/a.rss", "syndicated-a.rss", "application/rss+xml; charset=utf-8", ["labour"]),
    ("Women and Work", "/b.atom", "syndicated-b.atom", "application/atom+xml", ["women"]),
    ("Secularists", "/c.json", "syndicated-c.json", "application/feed+json", ["secularism"]),
    # windows-1256 declared in the prolog only, then in the HTTP header only
    ("Unions", "/unions.rss", "cp1256-prolog.rss", "application/rss+xml", ["labour"]),
    (
        "Women Rights",
        "/wr.rss",
        "cp1256-header.rss",
        "application/rss+xml; charset=windows-1256",
        ["women"],
    ),
]


def write_config(tmp_path: Path, server: FeedServer, sources=SOURCES) -> Path:
    lines = [
        "site:",
        '  title: "منبر اليسار"',
        '  base_url: "http://feeds.example.org"',
        "  language: ar",
        "  max_items: 50",
        "storage:",
        "  path: test.db",
        "poll:",
        "  interval: 15m",
        "  timeout: 10s",
        "categories:",
        '  politics: {title: "سياسة"}',
        '  labour: {title: "عمال ونقابات"}',
        '  women: {title: "المرأة"}',
        '  secularism: {title: "العلمانية"}',
        "sources:",
    ]
    for name, path, _file, _type, categories in sources:
        lines += [
            f'  - name: "{name}"',
            f"    url: {server.url(path)}",
            f"    categories: [{', '.join(categories)}]",
        ]
    lines += [
        "rules:",
        "  - add: labour",
        '    any: ["اضراب", "نقابه"]',
        "  - drop: true",
        '    any: ["اعلان ممول"]',
    ]
    config = tmp_path / "feeds.yaml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def serve_site(server: FeedServer, sources=SOURCES) -> None:
    for _name, path, file, content_type, _cats in sources:
        server.routes[path] = Route(body=(SITE / file).read_bytes(), content_type=content_type)


def read_feeds(out: Path, stem: str) -> dict[str, feedparser.FeedParserDict]:
    """RSS and Atom read back by feedparser; JSON Feed (which feedparser 6 cannot read)
    by json, mapped onto the same few fields."""
    feeds = {
        fmt: feedparser.parse((out / "feeds" / f"{stem}.{fmt}").read_bytes())
        for fmt in ("rss", "atom")
    }
    data = json.loads((out / "feeds" / f"{stem}.json").read_text(encoding="utf-8"))
    feeds["json"] = feedparser.FeedParserDict(
        feed=feedparser.FeedParserDict(language=data.get("language")),
        entries=[
            feedparser.FeedParserDict(title=item["title"], id=item["id"], link=item.get("url"))
            for item in data["items"]
        ],
    )
    return feeds


@pytest.fixture
def polled(tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]):
    serve_site(feed_server)
    config = write_config(tmp_path, feed_server)
    assert main(["poll", "--config", str(config)]) == 0
    summary = capsys.readouterr().out
    out = tmp_path / "public"
    assert main(["build", "--config", str(config), "--out", str(out)]) == 0
    return config, out, summary


@pytest.mark.parametrize("category", sorted(EXPECTED))
def test_each_category_feed_holds_exactly_its_items_once(polled, category: str) -> None:
    _config, out, _summary = polled
    for fmt, parsed in read_feeds(out, category).items():
        titles = [entry.title for entry in parsed.entries]
        assert sorted(titles) == sorted(EXPECTED[category]), fmt
        ids = [entry.id for entry in parsed.entries]
        assert len(set(ids)) == len(ids), fmt


def test_an_article_carried_by_three_sources_is_one_item_naming_all(polled) -> None:
    _config, out, _summary = polled
    feeds = read_feeds(out, "all")
    strike = [e for e in feeds["atom"].entries if e.title == STRIKE]
    assert len(strike) == 1
    content = strike[0].content[0].value if "content" in strike[0] else strike[0].summary
    for name in ("Agency", "Women and Work", "Secularists"):
        assert name in content or name == strike[0].get("source", {}).get("title")
    data = json.loads((out / "feeds" / "all.json").read_text(encoding="utf-8"))
    item = next(i for i in data["items"] if i["title"] == STRIKE)
    names = [s["name"] for s in item["_aggregator"]["sources"]]
    # Sources are fetched concurrently: whichever stored the item first is its home source.
    assert sorted(names) == ["Agency", "Secularists", "Women and Work"]
    rss_strike = next(e for e in feeds["rss"].entries if e.title == STRIKE)
    assert rss_strike.source.title == names[0]
    # the item keeps the home source's link and original publication date
    home = {
        "Agency": ("https://www.ports-news.example/2026/11/strike-day-3", "2026-11-28T12:00:00"),
        "Women and Work": ("http://ports-news.example:80/2026/11/strike-day-3", "2026-11-28T12:30"),
        "Secularists": ("https://ports-news.example/2026/11/strike-day-3/", "2026-11-28T14:00:00"),
    }[names[0]]
    assert item["url"].startswith(home[0])
    assert item["date_published"].startswith(home[1])


def test_arabic_and_windows_1256_come_out_exactly(polled) -> None:
    _config, out, _summary = polled
    titles = {e.title for e in read_feeds(out, "all")["atom"].entries}
    assert ELECTIONS in titles  # diacritics kept as written
    assert TEACHERS in titles  # windows-1256 declared in the prolog
    assert LAW in titles  # windows-1256 given only in the HTTP header


def test_hostile_html_is_removed_and_formatting_kept(polled) -> None:
    _config, out, _summary = polled
    for path in (out / "feeds").iterdir():
        text = path.read_text(encoding="utf-8").lower()
        for bad in ("<script", "onerror", "javascript:", "<iframe", "alert("):
            assert bad not in text and bad.replace("<", "&lt;") not in text, (path.name, bad)
    entry = next(e for e in read_feeds(out, "politics")["atom"].entries if e.title == ELECTIONS)
    html = entry.content[0].value if "content" in entry else entry.summary
    assert "<b>الحزب</b>" in html
    assert f"{entry.link.split('/news')[0]}/img/vote.jpg" in html or "/img/vote.jpg" in html


def test_relative_links_resolved_and_missing_guid_or_date_handled(polled, feed_server) -> None:
    _config, out, _summary = polled
    entries = {e.title: e for e in read_feeds(out, "politics")["rss"].entries}
    assert entries[PROTEST].link == feed_server.url("/news/protest")
    assert entries[STATEMENT].published_parsed[:3] == (2026, 11, 27)
    # undated: gets the time it was first seen (today), not nothing
    assert entries[PROTEST].get("published_parsed") is not None


def test_feeds_declare_language_and_self_links(polled) -> None:
    _config, out, _summary = polled
    feeds = read_feeds(out, "labour")
    assert feeds["rss"].feed.language == "ar"
    self_links = {
        fmt: [link.href for link in parsed.feed.get("links", []) if link.rel == "self"]
        for fmt, parsed in feeds.items()
        if fmt != "json"
    }
    assert self_links["rss"] == ["http://feeds.example.org/feeds/labour.rss"]
    assert self_links["atom"] == ["http://feeds.example.org/feeds/labour.atom"]
    data = json.loads((out / "feeds" / "labour.json").read_text(encoding="utf-8"))
    assert data["feed_url"] == "http://feeds.example.org/feeds/labour.json"
    assert data["language"] == "ar"


def test_build_writes_every_published_path(polled) -> None:
    _config, out, _summary = polled
    expected = {"index.html", "sources.opml"} | {
        f"feeds/{stem}.{fmt}"
        for stem in ("all", "politics", "labour", "women", "secularism")
        for fmt in ("rss", "atom", "json")
    }
    expected |= {f"c/{stem}.html" for stem in ("politics", "labour", "women", "secularism")}
    expected.add(".aggregator-build")  # what it wrote, so the next build removes what is gone
    written = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert written == expected
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'dir="rtl"' in index


def test_summary_reports_new_items_per_category(polled) -> None:
    _config, _out, summary = polled
    assert "polled 6 source(s): 6 ok" in summary
    assert "0 failed" in summary
    assert "politics: 3 new" in summary
    # 8 published; the sponsored item a rule drops is not new to anyone, and two outlets'
    # copies of the strike joined the first one's.
    assert "; 8 new item(s), 2 joined stories already published, 1 dropped by rules" in summary


def test_summary_says_a_source_whose_items_all_joined_stories(
    polled, feed_server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    late = ("Late Echo", "/late.rss", "syndicated-a.rss", "application/rss+xml", ["politics"])
    feed_server.routes["/late.rss"] = Route(
        body=(SITE / "syndicated-a.rss").read_bytes().replace(b"agency-777", b"late-1")
    )
    config = write_config(tmp_path, feed_server, [*SOURCES, late])
    capsys.readouterr()
    assert main(["poll", "--all", "--config", str(config)]) == 0
    summary = capsys.readouterr().out
    assert (
        "polled 7 source(s): 7 ok (0 with new items, 1 only joining stories already "
        "published, 6 unchanged), 0 failed; 0 new item(s), 1 joined stories already published"
    ) in summary, summary


def test_second_poll_is_conditional_and_adds_nothing(polled, feed_server, tmp_path) -> None:
    config, out, _summary = polled
    before = read_feeds(out, "all")
    assert main(["poll", "--all", "--config", str(config)]) == 0
    for _name, path, *_ in SOURCES:
        requests = feed_server.requests_for(path)
        assert len(requests) == 2, path
        assert requests[0].headers.get("if-none-match") is None
        assert requests[1].headers.get("if-none-match", "").startswith('"')
    with sqlite3.connect(tmp_path / "test.db") as db:
        assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 9  # 8 + dropped ad
    out2 = tmp_path / "public2"
    assert main(["build", "--config", str(config), "--out", str(out2)]) == 0
    for fmt in ("rss", "atom", "json"):
        assert (out2 / "feeds" / f"all.{fmt}").read_bytes() == (
            out / "feeds" / f"all.{fmt}"
        ).read_bytes()
    assert [e.id for e in read_feeds(out2, "all")["atom"].entries] == [
        e.id for e in before["atom"].entries
    ]


def test_ids_and_dates_survive_a_changed_body_and_a_late_source(
    polled, feed_server: FeedServer, tmp_path: Path
) -> None:
    config, out, _summary = polled
    before = {e.title: (e.id, e.published) for e in read_feeds(out, "all")["atom"].entries}
    # The politics feed changes (forcing a re-parse); a seventh source joins the strike story.
    body = (SITE / "politics.rss").read_bytes().replace(b"</channel>", b"<!-- v2 --></channel>")
    feed_server.routes["/politics.rss"] = Route(body=body)
    late = ("Late Echo", "/late.rss", "syndicated-a.rss", "application/rss+xml", ["politics"])
    feed_server.routes["/late.rss"] = Route(
        body=(SITE / "syndicated-a.rss").read_bytes().replace(b"agency-777", b"late-1")
    )
    config = write_config(tmp_path, feed_server, [*SOURCES, late])
    assert main(["poll", "--all", "--config", str(config)]) == 0
    out2 = tmp_path / "public2"
    assert main(["build", "--config", str(config), "--out", str(out2)]) == 0
    after = {e.title: (e.id, e.published) for e in read_feeds(out2, "all")["atom"].entries}
    assert after == before
    politics = {e.title for e in read_feeds(out2, "politics")["rss"].entries}
    assert STRIKE in politics  # the late source's category joined the story


def test_a_failing_source_is_reported_and_never_stops_the_others(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    serve_site(feed_server)
    broken = [
        ("Missing", "/missing.rss", "", "", ["politics"]),
        ("Not a feed", "/page.html", "", "", ["politics"]),
    ]
    feed_server.routes["/page.html"] = Route(
        body=b"<html><body>hello</body></html>", content_type="text/html"
    )
    config = write_config(tmp_path, feed_server, [*SOURCES, *broken])
    assert main(["poll", "--config", str(config)]) == 0
    summary = capsys.readouterr().out
    assert "6 ok" in summary and "2 failed" in summary
    assert "FAILED Missing: HTTP 404" in summary
    assert "FAILED Not a feed" in summary
    assert main(["sources", "--config", str(config)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].startswith("NAME")
    assert table[1].split()[0] in ("Missing", "Not") and "failing" in table[1]


def test_bad_config_refuses_to_start(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text(
        "site: {title: x, base_url: 'http://x.example'}\n"
        "categories: {politics: {title: P}}\n"
        "sources:\n  - {name: a, url: 'http://a.example/f', categories: [sport]}\n",
        encoding="utf-8",
    )
    for command in (["check"], ["poll"], ["build", "--out", str(tmp_path / "o")], ["sources"]):
        assert main([*command, "--config", str(config)]) == 2
        err = capsys.readouterr().err
        assert f"{config}:4" in err and "sources[0].categories" in err
    assert not (tmp_path / "aggregator.db").exists()


def test_published_feeds_are_valid(polled) -> None:
    """Atom by RFC 4287's RELAX NG schema; RSS has the channel elements RSS 2.0 requires;
    JSON Feed has what version 1.1 requires."""
    from lxml import etree

    _config, out, _summary = polled
    schema = etree.RelaxNG(etree.parse(str(DATA / "schema" / "atom.rng")))
    for stem in EXPECTED:
        atom = etree.parse(str(out / "feeds" / f"{stem}.atom"))
        assert schema.validate(atom), (stem, schema.error_log)
        rss = etree.parse(str(out / "feeds" / f"{stem}.rss"))
        channel = rss.find("channel")
        assert rss.getroot().get("version") == "2.0"
        for required in ("title", "link", "description"):
            assert (channel.findtext(required) or "").strip(), (stem, required)
        for item in channel.findall("item"):
            assert item.findtext("title") or item.findtext("description")
            assert item.find("guid") is not None and item.find("pubDate") is not None
        data = json.loads((out / "feeds" / f"{stem}.json").read_text(encoding="utf-8"))
        assert data["version"] == "https://jsonfeed.org/version/1.1"
        assert data["title"] and isinstance(data["items"], list)
        for item in data["items"]:
            assert item["id"] and ("content_html" in item or "content_text" in item)


def test_a_poll_that_changes_nothing_renders_nothing_unless_the_config_changed(
    polled, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rendering is a tenth of a warm poll: skip it when no published item changed, but a
    configuration edit (here the site's title) must still reach the published files."""
    from aggregator import pipeline
    from aggregator.config import load_settings
    from aggregator.store import Store

    config, _out, _summary = polled
    renders = []
    real = pipeline.render_all
    monkeypatch.setattr(pipeline, "render_all", lambda *a: renders.append(1) or real(*a))
    assert main(["poll", "--all", "--config", str(config)]) == 0
    assert renders == []
    config.write_text(
        config.read_text(encoding="utf-8").replace("منبر اليسار", "منبر العمال"), "utf-8"
    )
    assert main(["poll", "--all", "--config", str(config)]) == 0
    assert renders == [1]
    with Store(load_settings(config).storage.path) as store:
        index = {o.path: o.body for o in store.outputs()}["/index.html"].decode("utf-8")
    assert "منبر العمال" in index


def test_also_published_by_links_each_outlets_site_never_its_feed(polled) -> None:
    """Agency, Women and Work and Secularists carry the strike under one link: the other
    two outlets had no article link of their own, so the line links their web sites (the
    feeds' own <link>, home_page_url), not feed documents a browser would download."""
    _config, out, _summary = polled
    strike = next(e for e in read_feeds(out, "all")["atom"].entries if e.title == STRIKE)
    content = strike.content[0].value
    line = content[content.index("نُشر أيضًا في") :]
    hrefs = re.findall(r'href="([^"]+)"', line)
    assert sorted(hrefs) == ["https://secular.example/", "https://women.example/"], line
