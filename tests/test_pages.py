"""Web pages without a feed, end to end: fixtures modelled on real Arabic news list pages
(tests/data/pages/) served by a real HTTP server, `aggregator poll` and `build`, the
published feeds read back with feedparser; `try-source`, `poll --dry-run`, `add` on a
page without a feed, and `check` on bad selectors."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest
from conftest import DATA
from feedserver import FeedServer, Route

from aggregator import pipeline
from aggregator.cli import main
from aggregator.config import load_settings
from aggregator.models import Media
from aggregator.store import Store

PAGES = DATA / "pages"
NEWS = (PAGES / "news-list.html").read_bytes()
HEWAR = (PAGES / "hewar-list-cp1256.html").read_bytes()
UNION = (PAGES / "union-news.html").read_bytes()
TICKER = (PAGES / "ticker-relative.html").read_bytes()

NEWS_SCRAPE = {
    "item": "article.news-item",
    "title": "h3",
    "link": "h3 a@href",
    "date": ".date",
    "summary": ".summary",
    "image": "img",
    "author": ".author",
    "timezone": "Africa/Cairo",
}
HEWAR_SCRAPE = {
    "item": "table.articles > tbody > tr.row",  # as the browser's inspector shows it
    "title": "td.title > a",
    "link": "td.title > a@href",
    "date": "td.date",
    "summary": ".brief",
    "author": "td.writer",
    "timezone": "Asia/Beirut",
}
UNION_SCRAPE = {
    "item": "article.post",
    "title": "h2.entry-title",
    "link": "h2.entry-title a@href",
    "date": ".posted-on",
    "summary": ".ast-excerpt-container",
    "image": "img.wp-post-image@src",
    "author": ".author-name",
    "timezone": "Asia/Beirut",
}
FOLLOW_SCRAPE = {
    "item": "article.post",
    "title": "h2.entry-title",
    "link": "h2.entry-title a@href",
    "date": "time.entry-date@datetime",
    "summary": ".entry-content",
    "image": 'meta[property="og:image"]@content',
    "author": ".author-name",
    "follow": True,
}
TICKER_SCRAPE = {"item": "li.ticker-item", "title": "a", "link": "a@href", "date": ".time-ago"}


def write_config(tmp_path: Path, sources: list[dict]) -> Path:
    lines = [
        "site:",
        '  title: "منبر"',
        '  base_url: "http://feeds.example.org"',
        "storage:",
        "  path: test.db",
        "poll:",
        "  timeout: 10s",
        "  interval: 15m",
        "categories:",
        '  labour: {title: "عمال ونقابات"}',
        '  secularism: {title: "العلمانية"}',
        "sources:" if sources else "sources: []",
    ]
    for source in sources:
        lines += [f"  - name: {json.dumps(source['name'], ensure_ascii=False)}"]
        lines += [f"    url: {source['url']}", f"    categories: [{source.get('cat', 'labour')}]"]
        if "type" in source:
            lines.append(f"    type: {source['type']}")
        if "scrape" in source:
            lines.append("    scrape:")
            for key, value in source["scrape"].items():
                lines.append(f"      {key}: {json.dumps(value, ensure_ascii=False)}")
    lines += ["rules:", "  - drop: true", '    any: ["اعلان ممول"]']
    config = tmp_path / "feeds.yaml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def atom(out: Path, stem: str) -> feedparser.FeedParserDict:
    return feedparser.parse((out / "feeds" / f"{stem}.atom").read_bytes())


def published(entry: feedparser.FeedParserDict) -> datetime:
    return datetime(*entry.published_parsed[:6], tzinfo=UTC)


def poll_and_build(config: Path, tmp_path: Path) -> Path:
    assert main(["poll", "--config", str(config)]) == 0
    out = tmp_path / "public"
    assert main(["build", "--config", str(config), "--out", str(out)]) == 0
    return out


# --- list pages ----------------------------------------------------------------------------

NEWS_ITEMS = [
    # title, path, published (UTC: the page is Cairo's, UTC+3 in May), author
    ("إضراب عمال ميناء الإسكندرية يدخل يومه الثالث", "/news/2024/05/03/12345",
     datetime(2024, 5, 3, 17, 30, tzinfo=UTC), "أحمد علي"),
    ("نقابة المعلمين تطالب بزيادة الأجور قبل العام الدراسي",
     "/news/2024/05/03/12339?utm_source=section&utm_medium=list",
     datetime(2024, 5, 3, 8, 5, tzinfo=UTC), "منى حسن"),
    ("عاملات النسيج في المحلة يحصلن على بدل المخاطر بعد اعتصام", "/news/2024/05/02/12310",
     datetime(2024, 5, 2, 13, 15, tzinfo=UTC), "محمود السيد"),
    ("في عيد العمال: قراءة في قانون العمل الجديد", "/news/2024/05/01/12288",
     datetime(2024, 4, 30, 21, 0, tzinfo=UTC), None),
]  # fmt: skip


@pytest.mark.parametrize(
    "content_type",
    ["text/html; charset=utf-8", "text/html", "text/html; charset=windows-1256"],
    ids=["declared", "meta-only", "utf8-labelled-1256"],
)
def test_an_arabic_news_list_page_is_polled_and_republished_exactly(
    tmp_path: Path, feed_server: FeedServer, content_type: str
) -> None:
    feed_server.routes["/section/labour"] = Route(body=NEWS, content_type=content_type)
    url = feed_server.url("/section/labour")
    config = write_config(tmp_path, [{"name": "جريدة الشعب", "url": url, "scrape": NEWS_SCRAPE}])
    out = poll_and_build(config, tmp_path)
    for stem in ("labour", "all"):
        entries = atom(out, stem).entries
        # newest first; the sponsored entry a drop rule removes is in no feed
        got = [(e.title, e.link, published(e), e.get("author")) for e in entries]
        assert got == [(t, feed_server.url(p), d, a) for t, p, d, a in NEWS_ITEMS], stem
    first = atom(out, "labour").entries[0]
    summary = first.summary if "summary" in first else first.content[0].value
    assert "صرف الحوافز المتأخرة منذ <b>ستة أشهر</b>" in summary
    text = (out / "feeds" / "labour.atom").read_text(encoding="utf-8")
    assert "trackView" not in text and "onclick" not in text  # the sanitizer's work
    assert f'href="{feed_server.url("/tag/")}' in text  # relative links made absolute


@pytest.mark.parametrize(
    "content_type",
    ["text/html; charset=windows-1256", "text/html", "text/html; charset=utf-8"],
    ids=["declared", "meta-only", "mislabelled-utf8"],
)
def test_a_windows_1256_page_reads_right_whatever_its_label(
    tmp_path: Path, feed_server: FeedServer, content_type: str
) -> None:
    feed_server.routes["/debat/list.asp"] = Route(body=HEWAR, content_type=content_type)
    url = feed_server.url("/debat/list.asp")
    config = write_config(
        tmp_path, [{"name": "الحوار", "url": url, "cat": "secularism", "scrape": HEWAR_SCRAPE}]
    )
    out = poll_and_build(config, tmp_path)
    got = [(e.title, e.link, published(e), e.author) for e in atom(out, "secularism").entries]
    # day-first numeric dates, Beirut time (UTC+3 in summer), start of the day
    assert got == [
        ("فصل الدين عن الدولة شرط للمواطنة المتساوية",
         feed_server.url("/debat/show.art.asp?aid=812345"),
         datetime(2024, 5, 2, 21, 0, tzinfo=UTC), "سلمى حداد"),
        ("التعليم الديني في المدارس الحكومية: إلى أين؟",
         feed_server.url("/debat/show.art.asp?aid=812301"),
         datetime(2024, 5, 1, 21, 0, tzinfo=UTC), "كمال عبد الله"),
        ("قانون الأحوال الشخصية المدني: تجربة تونس",
         feed_server.url("/debat/show.art.asp?aid=812250"),
         datetime(2024, 4, 29, 21, 0, tzinfo=UTC), "نادية بن علي"),
    ]  # fmt: skip


def test_a_union_page_with_levantine_month_names(tmp_path: Path, feed_server: FeedServer) -> None:
    feed_server.routes["/category/news/"] = Route(body=UNION, content_type="text/html")
    url = feed_server.url("/category/news/")
    config = write_config(tmp_path, [{"name": "الاتحاد", "url": url, "scrape": UNION_SCRAPE}])
    out = poll_and_build(config, tmp_path)
    got = [(e.title, e.link, published(e), e.author) for e in atom(out, "labour").entries]
    assert got == [
        ("اعتصام عمال البناء أمام وزارة العمل في بيروت",
         "https://union.example/2024/05/03/construction-workers-sit-in/",
         datetime(2024, 5, 2, 21, 0, tzinfo=UTC), "المكتب الإعلامي"),
        ("جولة جديدة من مفاوضات الحد الأدنى للأجور",
         "https://union.example/2024/04/28/minimum-wage-talks/",
         datetime(2024, 4, 27, 21, 0, tzinfo=UTC), "المكتب الإعلامي"),
        ("بيان الاتحاد في مطلع العام الجديد",  # كانون الثاني, Beirut in winter: UTC+2
         "https://union.example/2024/01/02/new-year-statement/",
         datetime(2024, 1, 1, 22, 0, tzinfo=UTC), "المجلس التنفيذي"),
    ]  # fmt: skip


def test_relative_dates_count_back_from_the_fetch(tmp_path: Path, feed_server: FeedServer) -> None:
    feed_server.routes["/latest"] = Route(body=TICKER, content_type="text/html; charset=utf-8")
    config = write_config(
        tmp_path,
        [{"name": "شبكة الخبر", "url": feed_server.url("/latest"), "scrape": TICKER_SCRAPE}],
    )
    settings = load_settings(config)
    fetched_at = datetime(2026, 9, 14, 12, 0, tzinfo=UTC)
    with Store(settings.storage.path) as store:
        asyncio.run(
            pipeline.poll_sources(settings, store, settings.sources, clock=lambda: fetched_at)
        )
        items = store.latest_items("labour", 10)
    assert [(i.title, i.published) for i in items] == [
        ("الآلاف يتظاهرون في تونس ضد غلاء الأسعار", fetched_at - timedelta(minutes=5)),
        ("وقفة احتجاجية لعاملات المنازل في عمّان", fetched_at - timedelta(hours=1)),
        ("نقابة الصحفيين تدين اعتقال مراسل", fetched_at - timedelta(hours=3)),
        ("إضراب سائقي الأجرة في الدار البيضاء", datetime(2026, 9, 13, 21, 40, tzinfo=UTC)),
        ("تقرير: النساء يتقاضين أجوراً أقل بـ 20%", fetched_at - timedelta(days=2)),
    ]
    assert [i.link for i in items][0] == feed_server.url("/ar/news/98812")


def test_an_undated_entry_gets_the_time_it_was_first_seen(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    feed_server.routes["/latest"] = Route(body=TICKER, content_type="text/html")
    rules = {k: v for k, v in TICKER_SCRAPE.items() if k != "date"}
    config = write_config(
        tmp_path, [{"name": "ب", "url": feed_server.url("/latest"), "scrape": rules}]
    )
    settings = load_settings(config)
    seen = datetime(2026, 9, 14, 12, 0, tzinfo=UTC)
    with Store(settings.storage.path) as store:
        asyncio.run(pipeline.poll_sources(settings, store, settings.sources, clock=lambda: seen))
        later = seen + timedelta(hours=5)
        asyncio.run(pipeline.poll_sources(settings, store, settings.sources, clock=lambda: later))
        items = store.latest_items("labour", 10)
    assert len(items) == 5
    assert {i.published for i in items} == {seen}  # and it keeps it


def test_pictures_and_every_field_as_the_selectors_give_them(
    feed_server: FeedServer, tmp_path
) -> None:
    feed_server.routes["/section/labour"] = Route(body=NEWS, content_type="text/html")
    url = feed_server.url("/section/labour")
    config = write_config(tmp_path, [{"name": "ج", "url": url, "scrape": NEWS_SCRAPE}])
    settings = load_settings(config)
    parsed, candidates = asyncio.run(
        pipeline.try_source(settings, settings.sources[0], now=datetime.now(UTC))
    )
    # the lazy loader's data-src, not the blank placeholder in src; made absolute
    assert [i.image for i in parsed.items] == [
        Media(url=feed_server.url("/uploads/2024/05/port-strike.jpg"), medium="image"),
        Media(url=feed_server.url("/uploads/2024/05/teachers.jpg"), medium="image"),
        Media(url="https://cdn.alshaab.example/uploads/2024/05/textile.jpg", medium="image"),
        None,
        Media(url="https://ads.example/banner.jpg", medium="image"),
    ]
    assert [c.dropped for c in candidates] == [False, False, False, False, True]
    assert not (tmp_path / "test.db").exists()  # a dry run stores nothing


# --- follow: true ----------------------------------------------------------------------------


def _serve_union_site(server: FeedServer) -> None:
    page = UNION.replace(b"https://union.example/", server.url("/").encode())
    server.routes["/category/news/"] = Route(body=page, content_type="text/html")
    for path, file in (
        ("/2024/05/03/construction-workers-sit-in/", "union-article-sit-in.html"),
        ("/2024/04/28/minimum-wage-talks/", "union-article-talks.html"),
    ):  # the third entry's page answers 404
        server.routes[path] = Route(body=(PAGES / file).read_bytes(), content_type="text/html")


def test_follow_reads_each_new_entrys_own_page_once(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    _serve_union_site(feed_server)
    config = write_config(
        tmp_path,
        [{"name": "الاتحاد", "url": feed_server.url("/category/news/"), "scrape": FOLLOW_SCRAPE}],
    )
    out = poll_and_build(config, tmp_path)
    entries = {e.title: e for e in atom(out, "labour").entries}
    sit_in = entries["اعتصام عمال البناء أمام وزارة العمل في بيروت"]
    body = sit_in.summary if "summary" in sit_in else sit_in.content[0].value
    assert "للمطالبة بتطبيق عقد العمل الجماعي وتسجيلهم في الضمان الاجتماعي" in body  # its page
    assert "console.log" not in body and "<script" not in body
    assert f'href="{feed_server.url("/statements/2024/05/contract/")}"' in body
    assert published(sit_in) == datetime(2024, 5, 3, 9, 41, 17, tzinfo=UTC)  # time@datetime
    assert sit_in.author == "رامي خليل"  # the article's byline beats the list's
    talks = entries["جولة جديدة من مفاوضات الحد الأدنى للأجور"]
    assert published(talks) == datetime(2024, 4, 28, 13, 5, tzinfo=UTC)
    assert talks.author == "المكتب الإعلامي"  # none on its page: the list's
    statement = entries["بيان الاتحاد في مطلع العام الجديد"]  # its page is 404: list fields
    assert statement.author == "المجلس التنفيذي"
    for path in ("/2024/05/03/construction-workers-sit-in/", "/2024/04/28/minimum-wage-talks/",
                 "/2024/01/02/new-year-statement/"):  # fmt: skip
        assert len(feed_server.requests_for(path)) == 1, path

    # The list gains an entry: only the new entry's page is fetched, and what the store
    # has of the others (from their own pages) stays.
    new_entry = re.search(rb"<article id=\"post-2207\".*?</article>", UNION, re.S)
    assert new_entry is not None
    added = (
        new_entry.group(0)
        .replace(b"post-2207", b"post-2230")
        .replace(b"2024/05/03/construction-workers-sit-in/", b"2024/05/06/cleaners-strike/")
        .replace("اعتصام عمال البناء أمام وزارة العمل في بيروت".encode(),
                 "إضراب عمال النظافة في طرابلس".encode())
    )  # fmt: skip
    page = UNION.replace(b'<div class="ast-row">', b'<div class="ast-row">' + added)
    feed_server.routes["/category/news/"] = Route(
        body=page.replace(b"https://union.example/", feed_server.url("/").encode()),
        content_type="text/html",
    )
    assert main(["poll", "--all", "--config", str(config)]) == 0
    assert len(feed_server.requests_for("/2024/05/06/cleaners-strike/")) == 1
    assert len(feed_server.requests_for("/2024/05/03/construction-workers-sit-in/")) == 1
    assert len(feed_server.requests_for("/2024/04/28/minimum-wage-talks/")) == 1
    assert main(["build", "--config", str(config), "--out", str(out)]) == 0
    entries = {e.title: e for e in atom(out, "labour").entries}
    assert "إضراب عمال النظافة في طرابلس" in entries
    kept = entries["اعتصام عمال البناء أمام وزارة العمل في بيروت"]
    assert kept.author == "رامي خليل" and published(kept) == published(sit_in)


# --- redesigns, dry runs, suggestions, check -------------------------------------------------


def test_selectors_that_stop_matching_fail_the_source(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    feed_server.routes["/section/labour"] = Route(body=NEWS, content_type="text/html")
    config = write_config(
        tmp_path,
        [{"name": "جريدة الشعب", "url": feed_server.url("/section/labour"), "scrape": NEWS_SCRAPE}],
    )
    assert main(["poll", "--config", str(config)]) == 0
    redesign = NEWS.replace(b'class="news-item', b'class="card')
    feed_server.routes["/section/labour"] = Route(body=redesign, content_type="text/html")
    capsys.readouterr()
    assert main(["poll", "--all", "--config", str(config)]) == 1  # every source failed
    out = capsys.readouterr().out
    assert "FAILED جريدة الشعب: selectors matched nothing: item 'article.news-item'" in out
    assert main(["sources", "--config", str(config)]) == 0
    row = capsys.readouterr().out.splitlines()[1]
    assert "failing" in row and "selectors matched nothing" in row
    with Store(tmp_path / "test.db", readonly=True) as store:
        state = store.source_state(feed_server.url("/section/labour"))
    assert state is not None and state.error_count == 1
    assert state.next_poll is not None and state.last_poll is not None
    assert state.next_poll - state.last_poll >= timedelta(minutes=15)  # the interval
    assert main(["poll", "--all", "--config", str(config)]) == 1
    with Store(tmp_path / "test.db", readonly=True) as store:
        state = store.source_state(feed_server.url("/section/labour"))
    assert state is not None and state.error_count == 2
    assert state.next_poll is not None and state.last_poll is not None
    assert state.next_poll - state.last_poll >= timedelta(minutes=30)  # backing off


def test_titles_and_links_that_match_nothing_fail_too(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    feed_server.routes["/p"] = Route(body=NEWS, content_type="text/html")
    rules = {**NEWS_SCRAPE, "title": "h5.gone", "link": "h5.gone a@href"}
    config = write_config(tmp_path, [{"name": "ج", "url": feed_server.url("/p"), "scrape": rules}])
    settings = load_settings(config)
    with pytest.raises(Exception, match="selectors matched nothing: title 'h5.gone'"):
        asyncio.run(pipeline.try_source(settings, settings.sources[0], now=datetime.now(UTC)))


@pytest.mark.parametrize("how", [["try-source", "جريدة الشعب"],
                                 ["poll", "--source", "جريدة الشعب", "--dry-run"]])  # fmt: skip
def test_try_source_shows_what_the_selectors_extract_and_stores_nothing(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str], how: list[str]
) -> None:
    feed_server.routes["/section/labour"] = Route(body=NEWS, content_type="text/html")
    url = feed_server.url("/section/labour")
    config = write_config(tmp_path, [{"name": "جريدة الشعب", "url": url, "scrape": NEWS_SCRAPE}])
    assert main([*how, "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "5 item(s); nothing stored (a dry run)" in out
    assert "  1. إضراب عمال ميناء الإسكندرية يدخل يومه الثالث" in out
    assert f"link:   {feed_server.url('/news/2024/05/03/12345')}" in out
    assert "date:   2024-05-03 17:30:00 UTC" in out
    assert "author: أحمد علي" in out
    assert f"image:  {feed_server.url('/uploads/2024/05/port-strike.jpg')}" in out
    assert "date:   none (dated when first seen)" in out  # the sponsored entry has none
    assert "in:     dropped by a rule" in out
    assert not (tmp_path / "test.db").exists()


def test_try_source_says_why_a_source_fails(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    feed_server.routes["/p"] = Route(body=b"<html><body><p>maintenance</p></body></html>",
                                     content_type="text/html")  # fmt: skip
    config = write_config(
        tmp_path, [{"name": "ج", "url": feed_server.url("/p"), "scrape": NEWS_SCRAPE}]
    )
    assert main(["try-source", "ج", "--config", str(config)]) == 1
    assert "aggregator: ج: selectors matched nothing" in capsys.readouterr().err


def test_add_on_a_page_without_a_feed_suggests_a_scrape_block_that_works(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    feed_server.routes["/section/labour"] = Route(body=NEWS, content_type="text/html")
    config = write_config(tmp_path, [])
    before = config.read_text(encoding="utf-8")
    url = feed_server.url("/section/labour")
    assert main(["add", url, "--category", "labour", "--config", str(config)]) == 1
    captured = capsys.readouterr()
    assert "announces no feed, but repeats 5 entries" in captured.err
    assert config.read_text(encoding="utf-8") == before  # nothing added
    block = captured.out
    assert block.splitlines()[3:] == [
        "    scrape:",
        '      item: "article.news-item"',
        '      title: "h3"',
        '      link: "h3 a@href"',
        '      date: ".date"',
        '      summary: ".summary"',
        '      image: "img@data-src"',
    ]
    config.write_text(before.replace("sources: []\n", "sources:\n" + block), encoding="utf-8")
    settings = load_settings(config)
    parsed, _ = asyncio.run(
        pipeline.try_source(settings, settings.sources[0], now=datetime.now(UTC))
    )
    assert [i.title for i in parsed.items][:4] == [t for t, *_ in NEWS_ITEMS]


def test_check_names_a_bad_selector_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad_date = {**TICKER_SCRAPE, "date": "span::x@y", "follow": "yes"}
    config = write_config(
        tmp_path,
        [
            {"name": "a", "url": "https://a.example/", "scrape": {**NEWS_SCRAPE, "item": "a["}},
            {"name": "b", "url": "https://b.example/", "scrape": {"item": "li", "link": "a@href"}},
            {"name": "c", "url": "https://c.example/", "type": "page"},
            {"name": "d", "url": "https://t.me/joinchat/AAAA"},
            {"name": "e", "url": "https://e.example/", "scrape": bad_date},
        ],
    )
    assert main(["check", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    lines = config.read_text(encoding="utf-8").splitlines()

    def line_of(text: str, start: int = 0) -> int:
        return next(n for n, line in enumerate(lines, 1) if n > start and text in line)

    assert (f"{config}:{line_of('a[')}: sources[0].scrape.item: 'a[' is not a valid "
            "CSS selector") in err  # fmt: skip
    b_scrape = line_of("scrape:", line_of('name: "b"'))
    assert f"{config}:{b_scrape}: sources[1].scrape.title: is required" in err
    assert "sources[2].type: type: page needs a scrape: block" in err
    assert "sources[3].url: 'https://t.me/joinchat/AAAA' is not a public channel's address" in err
    assert f"{config}:{line_of('span::x')}: sources[4].scrape.date: 'span::x' is not a valid" in err
    assert "sources[4].scrape.follow: expected true or false" in err


def test_a_feeds_poll_does_not_load_an_html_parser(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from aggregator import cli, config, pipeline; "
        "print(any(m.startswith('selectolax') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
