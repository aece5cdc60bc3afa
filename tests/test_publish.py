"""What subscribers receive: the published RSS, Atom, JSON Feed, OPML and index page.

Feeds are read back with feedparser (RSS, Atom) or json (JSON Feed; feedparser 6 does not
read JSON Feed) so the assertions are about what a feed reader would show, and Atom is
validated against the RELAX NG schema of RFC 4287 (tests/data/schema/atom.rng, converted
from the RFC's compact syntax in atom.rnc beside it).
"""

from __future__ import annotations

import calendar
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from aggregator.errors import AggregatorError
from aggregator.models import (
    Category,
    PollSettings,
    Settings,
    Site,
    Source,
    SourceRef,
    Storage,
    StoredItem,
)
from aggregator.publish import (
    FEED_FORMATS,
    feed_path,
    render_atom,
    render_category_page,
    render_feed,
    render_index,
    render_json,
    render_opml,
    render_rss,
)

SCHEMA = Path(__file__).parent / "data" / "schema" / "atom.rng"
ATOM = "{http://www.w3.org/2005/Atom}"
AGG = "{https://aggregator.invalid/ns/1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
BASE = "http://feeds.example.org"
HUB = "https://hub.example.net/"

POLITICS = Category("politics", "سياسة", "أخبار ومقالات سياسية")
LABOUR = Category("labour", "عمال ونقابات")
WOMEN = Category("women", "المرأة")
SECULARISM = Category("secularism", "العلمانية")

SOURCES = (
    Source("الحوار المتمدن", "https://www.ahewar.org/rss/default.asp?lt=4&i=139", ("secularism",)),
    Source("نشرة العمال", "https://labour.example.com/feed.xml", ("labour", "politics")),
    Source("Women's Voice", "https://women.example.net/atom", ("women", "politics")),
    Source("أرشيف محلي", "/srv/feeds/archive.xml", ("politics",)),
)


def make_settings(language: str = "ar", **site: object) -> Settings:
    return Settings(
        site=Site(
            title="مرصد اليسار",
            base_url=BASE,
            language=language,
            description="أخبار اليسار والنقابات والمرأة والعلمانية",
            websub_hub=HUB,
            **site,  # type: ignore[arg-type]
        ),
        storage=Storage(),
        poll=PollSettings(),
        categories=(POLITICS, LABOUR, WOMEN, SECULARISM),
        sources=SOURCES,
    )


def ref(source: Source) -> SourceRef:
    return SourceRef(source.name, source.url)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 5, day, hour, minute, tzinfo=UTC)


# Newest first, as the store hands them over.
MULTI = StoredItem(
    id="urn:sha1:4f2a9c1e",
    link="https://labour.example.com/2024/05/strike?id=7&lang=ar",
    title="إضرابٌ عامٌّ في مصانعِ النسيج",  # with tashkeel: must come back unchanged
    summary_html="<p>العمال يعلنون الإضراب.</p>",
    content_html="<p>أعلن <strong>العمال</strong> إضرابًا عامًا.</p>",
    author="فاطمة الزهراء",
    published=at(3, 8, 30),
    first_seen=at(3, 8, 45),
    updated=at(3, 9, 15),
    categories=("labour", "politics"),
    sources=(ref(SOURCES[1]), ref(SOURCES[2]), ref(SOURCES[3])),
)
RICH = StoredItem(
    id="9b1deb4d3b7d4bad",  # a bare hash: not an IRI, which Atom ids must be
    link="https://www.ahewar.org/debat/show.art.asp?aid=812345",
    title="العلمانية والدولة المدنية",
    summary_html="",
    content_html='<p>نص <em>المقال</em> &amp; <a href="https://example.org/x">مرجع</a></p>'
    "<ul><li>أولًا</li><li>ثانيًا</li></ul>",
    author=None,
    published=at(2, 20),
    first_seen=at(2, 20, 5),
    updated=None,
    categories=("secularism",),
    sources=(ref(SOURCES[0]),),
)
HOSTILE = StoredItem(
    id="https://women.example.net/posts/42",
    link="https://women.example.net/posts/42",
    title="<b>x</b> & y",  # plain text that merely looks like markup
    summary_html="<p>ملخص &lt;قصير&gt;</p>",
    content_html="",
    author="Women's Voice desk",
    published=at(2, 6),
    first_seen=at(2, 6),
    updated=None,
    categories=("women", "politics"),
    sources=(ref(SOURCES[2]),),
)
UNTITLED = StoredItem(
    id="urn:sha1:77aa",
    link="https://labour.example.com/2024/05/untitled",
    title="",
    summary_html="",
    content_html="<p>" + "نقابة المعلمين تدعو إلى اجتماع طارئ لمناقشة الأجور " * 4 + "</p>",
    author="المحرر",
    published=at(1, 12),
    first_seen=at(1, 12),
    updated=None,
    categories=("labour",),
    sources=(ref(SOURCES[1]),),
)
ITEMS = (MULTI, RICH, HOSTILE, UNTITLED)
POLITICS_ITEMS = tuple(i for i in ITEMS if "politics" in i.categories)


def as_url(url: str) -> str:
    return "file://" + url if url.startswith("/") else url


def parse(body: bytes) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def epoch(moment: datetime) -> int:
    return calendar.timegm(moment.utctimetuple())


# --- RSS and Atom as a feed reader sees them -------------------------------------------


@pytest.mark.parametrize("fmt", ["rss", "atom"])
@pytest.mark.parametrize(
    ("category", "items"), [(POLITICS, POLITICS_ITEMS), (None, ITEMS)], ids=["politics", "all"]
)
def test_feed_reads_back_in_a_feed_reader(
    fmt: str, category: Category | None, items: tuple[StoredItem, ...]
) -> None:
    settings = make_settings()
    parsed = parse(render_feed(fmt, settings, category, items))
    feed = parsed.feed

    expected_title = "مرصد اليسار — سياسة" if category else "مرصد اليسار"
    stem = category.name if category else "all"
    assert feed.title == expected_title
    assert feed.language == "ar"
    assert feed.link == f"{BASE}/"
    links = {(link.rel, link.href) for link in feed.links}
    assert ("self", f"{BASE}/feeds/{stem}.{fmt}") in links
    assert ("hub", HUB) in links

    titles = [e.title for e in parsed.entries]
    assert titles[:3] == [i.title for i in items][:3]
    if UNTITLED in items:  # no title of its own: the start of its text
        assert titles[-1].startswith("نقابة المعلمين تدعو إلى اجتماع")
    by_link = {e.link: e for e in parsed.entries}
    assert list(by_link) == [i.link for i in items], "order must stay newest first"

    for item in items:
        entry = by_link[item.link]
        if fmt == "rss" or ":" in item.id:
            assert entry.id == item.id
        else:  # a bare hash becomes a URN in Atom, keeping the stored id readable in it
            assert entry.id == f"urn:aggregator:item:{item.id}"
        assert calendar.timegm(entry.published_parsed) == epoch(item.published)
        if fmt == "atom":
            assert calendar.timegm(entry.updated_parsed) == epoch(item.updated or item.published)
        assert entry.get("author") == item.author
        terms = {t.term for t in entry.tags}
        if fmt == "atom":
            assert terms == set(item.categories)
            assert {t.label for t in entry.tags} == {
                settings.category(c).title for c in item.categories
            }
        else:  # RSS shows readers the category's title
            assert terms == {settings.category(c).title for c in item.categories}


def test_multi_source_item_names_every_source() -> None:
    settings = make_settings()
    rss = parse(render_rss(settings, POLITICS, [MULTI])).entries[0]
    atom = parse(render_atom(settings, POLITICS, [MULTI])).entries[0]

    # The first source in <source>, in both formats.
    assert rss.source.href == SOURCES[1].url
    assert rss.source.title == SOURCES[1].name
    assert atom.source.title == SOURCES[1].name
    assert atom.source.links[0].rel == "self"
    assert atom.source.links[0].href == SOURCES[1].url

    # Atom: one via link per source, exactly one alternate (the article). Read from the
    # XML: feedparser turns file:///srv into file://srv when it resolves links.
    entry = etree.fromstring(render_atom(settings, POLITICS, [MULTI])).find(f"{ATOM}entry")
    vias = [link.get("href") for link in entry.findall(f"{ATOM}link") if link.get("rel") == "via"]
    assert vias == [
        SOURCES[1].url,
        SOURCES[2].url,
        "file:///srv/feeds/archive.xml",  # a file source as a URL, not a bare path
    ]
    assert [link.href for link in atom.links if link.rel == "alternate"] == [MULTI.link]

    # The others in an "also published by" line in the content, linked to their sites
    # (they carried this very item: no article of their own), never to a feed document;
    # a local file has no site, so its name is not a link.
    for parsed in (rss, atom):
        content = parsed.content[0].value
        assert content.startswith("<p>أعلن <strong>العمال</strong> إضرابًا عامًا.</p>")
        line = read_page(content.split("</p>", 1)[1].encode())
        assert "".join(line.text) == "نُشر أيضًا في: Women's Voice، أرشيف محلي"
        assert [a["href"] for tag, a in line.tags if tag == "a"] == ["https://women.example.net/"]
    assert rss.summary == "<p>العمال يعلنون الإضراب.</p>"
    assert atom.summary == "<p>العمال يعلنون الإضراب.</p>"

    # RSS: every source again in the extension namespace, for machines.
    item = etree.fromstring(render_rss(settings, POLITICS, [MULTI])).find("channel/item")
    assert [(s.get("url"), s.text) for s in item.findall(f"{AGG}source")] == [
        (SOURCES[1].url, SOURCES[1].name),
        (SOURCES[2].url, SOURCES[2].name),
        ("file:///srv/feeds/archive.xml", SOURCES[3].name),
    ]


def test_also_published_line_follows_the_site_language() -> None:
    body = render_atom(make_settings("en"), POLITICS, [MULTI]).decode()
    assert "Also published by:" in body
    assert "نُشر أيضًا في" not in body
    single = render_atom(make_settings("en"), None, [RICH]).decode()
    assert "Also published by" not in single


@pytest.mark.parametrize("render", [render_rss, render_atom])
def test_escaped_markup_in_a_title_stays_plain_text(render) -> None:
    entry = parse(render(make_settings(), None, [HOSTILE])).entries[0]
    assert entry.title == "<b>x</b> & y"


@pytest.mark.parametrize("fmt", sorted(FEED_FORMATS))
def test_same_items_give_the_same_bytes(fmt: str) -> None:
    settings = make_settings()
    first = render_feed(fmt, settings, POLITICS, POLITICS_ITEMS)
    # Equal values in new objects: nothing may depend on identity or on the clock.
    copies = [replace(i, categories=tuple(i.categories)) for i in POLITICS_ITEMS]
    assert render_feed(fmt, make_settings(), POLITICS, copies) == first
    assert render_feed(fmt, settings, POLITICS, POLITICS_ITEMS[:1]) != first


def test_feed_date_is_the_newest_item_not_now() -> None:
    settings = make_settings()
    rss = etree.fromstring(render_rss(settings, POLITICS, POLITICS_ITEMS))
    assert rss.findtext("channel/lastBuildDate") == "Fri, 03 May 2024 09:15:00 +0000"
    atom = etree.fromstring(render_atom(settings, POLITICS, POLITICS_ITEMS))
    assert atom.findtext(f"{ATOM}updated").startswith("2024-05-03T09:15:00")
    entry = atom.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}published").startswith("2024-05-03T08:30:00")
    assert entry.findtext(f"{ATOM}updated").startswith("2024-05-03T09:15:00")

    assert parse(render_rss(settings, WOMEN, [])).feed.updated_parsed[:3] == (1970, 1, 1)
    assert parse(render_atom(settings, WOMEN, [])).feed.updated_parsed[:3] == (1970, 1, 1)
    assert json.loads(render_json(settings, WOMEN, []))["items"] == []


def test_untitled_item_gets_a_title_from_its_text_or_link() -> None:
    settings = make_settings()
    no_text = replace(UNTITLED, content_html="")
    rss = parse(render_rss(settings, None, [UNTITLED, no_text])).entries
    assert rss[0].title.startswith("نقابة المعلمين تدعو")
    assert rss[0].title.endswith("…") and len(rss[0].title) <= 81
    assert rss[1].title == UNTITLED.link


def test_characters_xml_cannot_carry_do_not_break_the_feed() -> None:
    broken = replace(RICH, title="عنوان\x0b مع\x00 محارف تحكم", author="كاتب\x1b")
    for render in (render_rss, render_atom):
        entry = parse(render(make_settings(), None, [broken])).entries[0]
        assert entry.title == "عنوان مع محارف تحكم"
        assert entry.author == "كاتب"


# --- validity ------------------------------------------------------------------------


@pytest.mark.parametrize("category", [POLITICS, SECULARISM, None], ids=["politics", "sec", "all"])
def test_atom_is_valid_rfc4287(category: Category | None) -> None:
    doc = etree.fromstring(render_atom(make_settings(), category, ITEMS))
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    assert schema.validate(doc), schema.error_log
    assert doc.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    # The rules RFC 4287 states in Schematron, which RELAX NG cannot check.
    has_feed_author = doc.find(f"{ATOM}author") is not None
    for entry in doc.iter(f"{ATOM}entry"):
        assert has_feed_author or entry.find(f"{ATOM}author") is not None
        links = entry.findall(f"{ATOM}link")
        alternates = [link for link in links if link.get("rel", "alternate") == "alternate"]
        assert alternates or entry.find(f"{ATOM}content") is not None
        assert len(alternates) <= 1  # 4.1.1: one alternate per type and hreflang
        assert ":" in entry.findtext(f"{ATOM}id")  # an IRI


def test_atom_validation_would_catch_a_broken_feed() -> None:
    doc = etree.fromstring(render_atom(make_settings(), POLITICS, POLITICS_ITEMS))
    doc.remove(doc.find(f"{ATOM}id"))
    assert not etree.RelaxNG(etree.parse(str(SCHEMA))).validate(doc)


def test_rss_has_what_rss_2_requires() -> None:
    doc = etree.fromstring(render_rss(make_settings(), POLITICS, POLITICS_ITEMS))
    assert doc.tag == "rss" and doc.get("version") == "2.0"
    channel = doc.find("channel")
    for name in ("title", "link", "description"):
        assert channel.findtext(name), name
    assert channel.findtext("language") == "ar"
    assert "aggregator" in channel.findtext("generator")
    selfs = [link for link in channel.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert [(link.get("href"), link.get("type")) for link in selfs] == [
        (f"{BASE}/feeds/politics.rss", "application/rss+xml")
    ]
    items = channel.findall("item")
    assert len(items) == len(POLITICS_ITEMS)
    for item, stored in zip(items, POLITICS_ITEMS, strict=True):
        assert item.findtext("title") or item.findtext("description")
        assert item.find("guid").get("isPermaLink") == "false"
        assert item.find("author") is None  # RSS wants an e-mail there; we have names
        assert item.findtext(f"{DC}creator") == stored.author
        first = stored.sources[0]
        assert (item.find("source").get("url"), item.findtext("source")) == (
            as_url(first.url),
            first.name,
        )


def test_rss_description_is_the_summary_and_content_encoded_the_full_text() -> None:
    item = etree.fromstring(render_rss(make_settings(), None, [MULTI, HOSTILE])).findall(
        "channel/item"
    )
    assert item[0].findtext("description") == MULTI.summary_html
    assert item[0].findtext(f"{CONTENT}encoded").startswith(MULTI.content_html)
    assert item[1].findtext("description") == HOSTILE.summary_html
    assert item[1].find(f"{CONTENT}encoded") is None


def test_json_feed_1_1() -> None:
    settings = make_settings()
    body = render_json(settings, POLITICS, POLITICS_ITEMS)
    assert "إضرابٌ".encode() in body  # UTF-8 as is, not \\u escapes
    feed = json.loads(body)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "مرصد اليسار — سياسة"
    assert feed["home_page_url"] == f"{BASE}/"
    assert feed["feed_url"] == f"{BASE}/feeds/politics.json"
    assert feed["language"] == "ar"
    assert feed["hubs"] == [{"type": "WebSub", "url": HUB}]
    assert [i["id"] for i in feed["items"]] == [i.id for i in POLITICS_ITEMS]
    for item, stored in zip(feed["items"], POLITICS_ITEMS, strict=True):
        assert item.get("content_html") or item.get("content_text")
        assert item["url"] == stored.link
        assert datetime.fromisoformat(item["date_published"]) == stored.published
        assert datetime.fromisoformat(item["date_modified"]) == (stored.updated or stored.published)
        assert item["tags"] == [settings.category(c).title for c in stored.categories]
        assert item["_aggregator"]["sources"][0] == {
            "name": stored.sources[0].name,
            "feed_url": stored.sources[0].url,
        }
    multi = feed["items"][0]
    assert multi["authors"] == [{"name": "فاطمة الزهراء"}]
    assert multi["summary"] == "العمال يعلنون الإضراب."
    assert [s["feed_url"] for s in multi["_aggregator"]["sources"]] == [
        SOURCES[1].url,
        SOURCES[2].url,
        "file:///srv/feeds/archive.xml",
    ]
    assert "نُشر أيضًا في:" in multi["content_html"]
    assert "authors" not in json.loads(render_json(settings, None, [RICH]))["items"][0]


def test_feed_paths_and_formats() -> None:
    assert feed_path(POLITICS, "rss") == "/feeds/politics.rss"
    assert feed_path(None, "json") == "/feeds/all.json"
    assert FEED_FORMATS["atom"] == "application/atom+xml; charset=utf-8"
    assert render_feed("json", make_settings(), None, []) == render_json(make_settings(), None, [])
    with pytest.raises(AggregatorError):
        render_feed("html", make_settings(), None, [])
    with pytest.raises(AggregatorError):
        feed_path(None, "xml")


def test_no_hub_link_when_no_hub_is_configured() -> None:
    settings = make_settings()
    settings = replace(settings, site=replace(settings.site, websub_hub=None))
    for fmt in ("rss", "atom"):
        links = parse(render_feed(fmt, settings, None, ITEMS)).feed.links
        assert all(link.rel != "hub" for link in links)
    assert "hubs" not in json.loads(render_json(settings, None, ITEMS))


# --- OPML ----------------------------------------------------------------------------


def test_opml_lists_every_source_under_each_of_its_categories() -> None:
    root = ET.fromstring(render_opml(make_settings()))
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") == "مرصد اليسار"
    groups = {
        group.get("text"): [(o.get("text"), o.get("xmlUrl"), o.get("type")) for o in group]
        for group in root.find("body")
    }
    assert groups == {
        "سياسة": [
            ("نشرة العمال", SOURCES[1].url, "rss"),
            ("Women's Voice", SOURCES[2].url, "rss"),
            ("أرشيف محلي", "file:///srv/feeds/archive.xml", "rss"),
        ],
        "عمال ونقابات": [("نشرة العمال", SOURCES[1].url, "rss")],
        "المرأة": [("Women's Voice", SOURCES[2].url, "rss")],
        "العلمانية": [("الحوار المتمدن", SOURCES[0].url, "rss")],
    }


# --- the index page ------------------------------------------------------------------


class _PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read_page(body: bytes) -> _PageReader:
    reader = _PageReader()
    reader.feed(body.decode("utf-8"))
    return reader


LATEST = {"politics": [MULTI, HOSTILE], "secularism": [RICH]}


def test_index_page_is_right_to_left_for_arabic() -> None:
    page = read_page(render_index(make_settings(), LATEST))
    html_tag = next(attrs for tag, attrs in page.tags if tag == "html")
    assert html_tag == {"lang": "ar", "dir": "rtl"}
    metas = [attrs for tag, attrs in page.tags if tag == "meta"]
    assert {"charset": "utf-8"} in metas
    assert any(m.get("name") == "viewport" for m in metas)
    text = "".join(page.text)
    assert "3 مايو 2024، 08:30" in text  # MULTI: an absolute date, in Arabic, in UTC
    assert "<b>x</b> & y" in text  # shown as the text it is
    headline = next(a for t, a in page.tags if t == "a" and a.get("href") == MULTI.link)
    assert headline["dir"] == "auto"


def test_index_page_left_to_right_otherwise() -> None:
    page = read_page(render_index(make_settings("en"), LATEST))
    assert next(a for t, a in page.tags if t == "html") == {"lang": "en", "dir": "ltr"}
    assert "3 May 2024, 08:30" in "".join(page.text)
    for rtl in ("fa", "he-IL", "ur", "ckb"):
        page = read_page(render_index(make_settings(rtl), {}))
        assert next(a for t, a in page.tags if t == "html")["dir"] == "rtl", rtl


def test_index_page_offers_every_feed_and_no_script() -> None:
    body = render_index(make_settings(), LATEST)
    page = read_page(body)
    alternates = {
        (a["type"], a["href"]) for t, a in page.tags if t == "link" and a.get("rel") == "alternate"
    }
    for stem in ("all", "politics", "labour", "women", "secularism"):
        for fmt, content_type in FEED_FORMATS.items():
            assert (content_type.split(";")[0], f"feeds/{stem}.{fmt}") in alternates
    hrefs = {a.get("href") for t, a in page.tags if t == "a"}
    assert {"feeds/women.rss", "feeds/women.atom", "feeds/women.json"} <= hrefs
    assert all(t != "script" for t, _ in page.tags)
    assert b"<script" not in body.lower()
    # Nothing loaded from elsewhere: no stylesheet links, images or frames.
    assert not [a for t, a in page.tags if t == "link" and a.get("rel") == "stylesheet"]
    assert not [t for t, _ in page.tags if t in {"img", "iframe"}]


def test_index_page_escapes_a_hostile_category_title() -> None:
    settings = make_settings()
    hostile = Category("politics", '<script>alert("x")</script> & "quotes"')
    settings = replace(settings, categories=(hostile, *settings.categories[1:]))
    body = render_index(settings, LATEST)
    assert b"<script" not in body
    page = read_page(body)
    assert '<script>alert("x")</script> & "quotes"' in "".join(page.text)
    titles = [a.get("title") for t, a in page.tags if t == "link" and a.get("rel") == "alternate"]
    assert f"مرصد اليسار — {hostile.title} (RSS)" in titles


def test_pages_show_absolute_times_in_the_sites_zone_and_language() -> None:
    """Pages are rendered when items change (and a build is static), so "3 hours ago"
    would be wrong an hour later: each item says when, in site.timezone."""
    beirut = make_settings(timezone="Asia/Beirut")  # UTC+3 in summer
    late = replace(RICH, published=datetime(2024, 12, 31, 23, 30, tzinfo=UTC))

    def text(settings: Settings, item: StoredItem) -> str:
        return "".join(read_page(render_index(settings, {"secularism": [item]})).text)

    assert "2 مايو 2024، 23:00" in text(beirut, RICH)  # 20:00 UTC
    assert "1 يناير 2025، 01:30" in text(make_settings(timezone="Africa/Cairo"), late)
    assert "31 Dec 2024, 23:30" in text(make_settings("en"), late)
    assert "2024-12-31 23:30" in text(make_settings("fr"), late)
    page = render_index(beirut, {"secularism": [RICH]}).decode()
    assert '<time datetime="2024-05-02T23:00:00+03:00">' in page
    assert "Asia/Beirut" in page  # the footer says which zone the times are in
    assert "منذ" not in text(make_settings(), RICH) and "ago" not in text(make_settings("en"), RICH)
    category = render_category_page(beirut, SECULARISM, [RICH]).decode()
    assert "2 مايو 2024، 23:00" in category


def test_a_page_is_the_same_bytes_whenever_it_is_rendered() -> None:
    assert render_index(make_settings(), LATEST) == render_index(make_settings(), LATEST)


def test_page_excerpts_keep_paragraphs_apart() -> None:
    """Excerpts read the text as rules and search do (aggregator.text.html_to_text): the
    end of one paragraph and the start of the next are never glued into one word."""
    item = replace(
        RICH,
        summary_html="<p>أعلنت النقابة الإضراب منذ ٢٠٢٤.</p><p>التفاصيل في البيان.</p>",
        content_html="",
    )
    body = render_category_page(make_settings(), SECULARISM, [item])
    text = " ".join("".join(read_page(body).text).split())
    assert "منذ ٢٠٢٤. التفاصيل في البيان" in text
    assert "٢٠٢٤.التفاصيل" not in text
