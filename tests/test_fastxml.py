"""fastxml, parse's fast path: wherever it accepts a document, exactly what feedparser gives.

The proof is differential: every document is read twice through ``parse_feed``, with the
fast path and without it (``parse.FAST_PATH``), and the two ``ParsedFeed``s (or the two
``ParseError``s) must be equal -- over the whole shared corpus (feedparser's own test
documents included), every XML fixture, the benchmark's feeds and a set of documents
written to hit feedparser's quirks. The pieces fastxml re-implements (the sgmllib round
trip, URL joining, decoding) are also compared with feedparser's own, on random input.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, DATA
from feedparser.encodings import convert_to_utf8
from feedparser.urls import _urljoin, make_safe_absolute_uri, resolve_relative_uris
from feedparser.util import FeedParserDict
from hypothesis import given, settings
from hypothesis import strategies as st
from test_parse import annotated_headers, corpus_files, feedparser_url
from test_pipeline import SOURCES

from aggregator import fastxml, parse
from aggregator.errors import ParseError
from aggregator.models import ParsedFeed

BENCH = Path(__file__).resolve().parents[1] / "bench"


class Counting:
    """fastxml.read, counting the documents it accepts."""

    def __init__(self, read: Callable[..., Any]) -> None:
        self.read = read
        self.accepted = 0

    def __call__(self, body: bytes, headers: Any) -> Any:
        result = self.read(body, headers)
        self.accepted += result is not None
        return result


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counting]:
    spy = Counting(fastxml.read)
    monkeypatch.setattr(fastxml, "read", spy)
    yield spy


def outcome(body: bytes, url: str, headers: dict[str, str]) -> ParsedFeed | str:
    try:
        return parse.parse_feed(body, url=url, headers=headers)
    except ParseError as exc:
        return f"ParseError: {exc}"


def both_ways(
    monkeypatch: pytest.MonkeyPatch, counting: Counting, body: bytes, url: str, headers: dict
) -> tuple[bool, ParsedFeed | str, ParsedFeed | str]:
    """(fast path accepted, result with the fast path, result with feedparser only)."""
    before = counting.accepted
    monkeypatch.setattr(parse, "FAST_PATH", True)
    fast = outcome(body, url, headers)
    monkeypatch.setattr(parse, "FAST_PATH", False)
    slow = outcome(body, url, headers)
    monkeypatch.setattr(parse, "FAST_PATH", True)
    return counting.accepted > before, fast, slow


# --- every document we have ----------------------------------------------------------


def xml_fixtures() -> list[Path]:
    suffixes = (".xml", ".rss", ".atom", ".rdf", ".opml")
    return sorted(p for p in DATA.rglob("*") if p.is_file() and p.suffix in suffixes)


@pytest.mark.slow
def test_every_document_reads_the_same_both_ways(monkeypatch, counting):
    if not CORPUS.is_dir():
        pytest.skip(f"no shared corpus at {CORPUS}")
    documents = [(p, p.relative_to(CORPUS)) for p in corpus_files()]
    documents += [(p, Path("tests") / p.relative_to(DATA)) for p in xml_fixtures()]
    assert len(documents) > 2400
    accepted: dict[str, list[int]] = {}
    differ = []
    for path, name in documents:
        body = path.read_bytes()
        headers = annotated_headers(body)
        if name.parts[0] == "feedparser":
            url = feedparser_url(path)
        else:
            url = f"https://corpus.example/{name.as_posix()}"
        took, fast, slow = both_ways(monkeypatch, counting, body, url, headers)
        group = name.parts[0]
        accepted.setdefault(group, [0, 0])
        accepted[group][0] += took
        accepted[group][1] += 1
        if fast != slow:
            differ.append(f"{name}: fast path {'took' if took else 'declined'} it")
    assert differ == []
    total = sum(n for n, _ in accepted.values())
    parts = ", ".join(f"{group} {n}/{of}" for group, (n, of) in sorted(accepted.items()))
    print(f"\nthe fast path took {total} of {len(documents)} documents ({parts})")
    assert total > 1300  # a drop means a regression in what fastxml models


@pytest.mark.slow
def test_the_decoding_is_feedparsers():
    """fastxml._convert skips the re-encoding convert_to_utf8 does; nothing else differs,
    for every document, and the encoding tests under several header sets each."""
    if not CORPUS.is_dir():
        pytest.skip(f"no shared corpus at {CORPUS}")

    def summary(result: FeedParserDict) -> tuple:
        exc = result.get("bozo_exception")
        return result.get("encoding"), result.get("bozo"), type(exc).__name__, str(exc)

    compared = 0
    for path in corpus_files():
        body = path.read_bytes()
        headers = annotated_headers(body)
        variants = [parse._feedparser_headers("https://x.example/feed", headers)]
        if "encoding" in path.parts or "chardet" in path.parts:
            variants += [dict(headers), {}, {"content-type": "application/xml"}]
            variants += [{"content-type": "text/plain"}, {"etag": "x"}]
        for http_headers in variants:
            theirs, ours = FeedParserDict(bozo=False), FeedParserDict(bozo=False)
            expected = convert_to_utf8(dict(http_headers), body, theirs)
            assert fastxml._convert(dict(http_headers), body, ours) == expected, path
            assert summary(ours) == summary(theirs), path
            compared += 1
    assert compared > 2400


# --- the benchmark's feeds and the site fixtures: all of them take the fast path -------


def bench_feeds(n: int) -> list[tuple[str, bytes, str, dict[str, str]]]:
    """(name, body, url, headers) for the first ``n`` feeds of the benchmark corpus, as
    bench/feedserver.py serves them."""
    sys.path.insert(0, str(BENCH))
    try:
        from corpus import Corpus, render
    finally:
        sys.path.remove(str(BENCH))
    base = "http://127.0.0.1:8080"
    corpus = Corpus(n)
    corpus.bump(0.1)  # new items at the top of some feeds, as in the "changed" scenario
    feeds = []
    for feed in corpus.feeds:
        kind = "rss" if feed.format == "rss" else "atom"
        headers = {"content-type": f"application/{kind}+xml; charset={feed.encoding}"}
        feeds.append((feed.path, render(feed, base), base + feed.path, headers))
    return feeds


def test_the_fast_path_takes_every_benchmark_feed(monkeypatch, counting):
    feeds = bench_feeds(200)
    assert {f[3]["content-type"] for f in feeds} == {
        "application/rss+xml; charset=utf-8",
        "application/atom+xml; charset=utf-8",
        "application/atom+xml; charset=windows-1256",  # every 50th feed, an odd one: Atom
    }
    for name, body, url, headers in feeds:
        took, fast, slow = both_ways(monkeypatch, counting, body, url, headers)
        assert took, name
        assert fast == slow, name
        assert isinstance(fast, ParsedFeed) and len(fast.items) == 50


@pytest.mark.parametrize(
    "file, path, content_type",
    [(file, path, ctype) for _, path, file, ctype, _ in SOURCES if not file.endswith(".json")],
)
def test_the_fast_path_takes_the_arabic_site_fixtures(
    monkeypatch, counting, file, path, content_type
):
    body = (DATA / "site" / file).read_bytes()
    took, fast, slow = both_ways(
        monkeypatch, counting, body, "http://127.0.0.1:8080" + path, {"content-type": content_type}
    )
    assert took
    assert fast == slow
    assert isinstance(fast, ParsedFeed) and fast.items


# --- feedparser's quirks, one document each ------------------------------------------

RSS = (
    '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">'
    "<channel>{channel}<item>{item}</item></channel></rss>"
)
ATOM = (
    '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"{attrs}>'
    "{feed}<entry>{entry}</entry></feed>"
)
RDF = (
    '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">{body}'
    "</rdf:RDF>"
)


def rss(item: str, channel: str = "<title>T</title><link>https://site.example/</link>") -> str:
    return RSS.format(channel=channel, item=item)


def atom(entry: str, feed: str = "<title>T</title>", attrs: str = "") -> str:
    return ATOM.format(feed=feed, entry=entry, attrs=attrs)


QUIRKS = {
    # the guid is the link, unless isPermaLink says otherwise or there is a <link>
    "guid as link": rss("<title>a</title><guid>https://n.example/1</guid>"),
    "guid not a permalink": rss(
        '<title>a</title><guid isPermaLink="false">https://n.example/1</guid>'
    ),
    "guid then link": rss("<guid>https://n.example/g</guid><link>https://n.example/l</link>"),
    "relative guid": rss("<title>a</title><guid>/story/1</guid>"),
    # description and content:encoded, both orders; and content alone
    "content after description": rss(
        "<description>&lt;p&gt;short&lt;/p&gt;</description>"
        "<content:encoded><![CDATA[<p>long <b>text</b></p>]]></content:encoded>"
    ),
    "content before description": rss(
        "<content:encoded><![CDATA[<p>long</p>]]></content:encoded><description>short</description>"
    ),
    "content alone": rss("<content:encoded><![CDATA[<p>only</p>]]></content:encoded>"),
    # authors: "email (Name)", dc:creator, both (the second wins, the first's detail stays)
    "rss author": rss("<author>info@left.example (سلمى حداد)</author>"),
    "two authors": rss("<author>a@x.example (A)</author><dc:creator>B</dc:creator>"),
    # titles: markup that looks like HTML goes through the sgmllib pass; entities; empty
    "title with markup": rss("<title>A &lt;b&gt;bold&lt;/b&gt; move &amp;amp; more</title>"),
    "title with entity": rss("<title>Fish &amp;amp; Chips &amp;copy; 2024</title>"),
    "empty title first": rss("<title></title><title>second</title><title>third</title>"),
    "cp1252 control": rss("<title>a &#150; b &#x93;q&#x94;</title>"),
    "utf-8 read as latin-1": rss("<title>CafÃ© au lait</title>"),
    # links: query strings as feedparser mangles them, relative ones
    "link with entities": rss("<link>https://n.example/?a=1&amp;amp;b=2&amp;c;d</link>"),
    "relative link": rss("<link>../story?id=3</link><title>r</title>"),
    "atom:link in an item": rss(
        '<title>x</title><atom:link rel="alternate" href="https://n.example/alt"/>'
        "<link>https://n.example/plain</link>"
    ),
    # dates: pubDate only (FeedParserDict maps updated_parsed to it), dc:date, junk
    "pubDate only": rss("<title>d</title><pubDate>Sat, 28 Nov 2026 10:00:00 +0300</pubDate>"),
    "dc:date": rss("<dc:date>2026-11-28T10:00:00+01:00</dc:date>"),
    "bad date": rss("<pubDate>yesterday-ish</pubDate>"),
    # categories: domain without text, then one with
    "categories": rss(
        '<category domain="d"></category><category>x</category><category domain="d">y'
        "</category><category>x</category>"
    ),
    # relative URLs inside HTML, resolved against the document URL
    "relative html": rss(
        "<description>&lt;a href=&quot;/a?b=1&amp;amp;c=2&quot;&gt;x&lt;/a&gt; "
        "&lt;img src=&quot;../i.png&quot; alt=x&gt; &lt;br/&gt; &lt;!-- c --&gt;</description>"
    ),
    "channel after items": RSS.format(channel="", item="<title>i</title>").replace(
        "</channel>", "<title>late</title><ttl>30</ttl></channel>"
    ),
    "image title first": rss(
        "<title>i</title>",
        channel="<image><title>logo</title><url>https://s.example/l.png</url>"
        "<link>https://s.example/</link></image><title>feed</title>",
    ),
    # Atom: link/id order, alternate types, authors, xml:base, text constructs
    "atom id as link": atom("<id>https://n.example/1</id><title>a</title>"),
    "atom link after id": atom(
        '<id>https://n.example/1</id><link href="https://n.example/a"/>'
        '<link rel="alternate" type="application/pdf" href="https://n.example/p"/>'
    ),
    "atom author": atom(
        "<author><name>Nour</name><email>n@x.example</email><uri>/n</uri></author>"
    ),
    "atom two authors": atom("<author><name>A</name></author><author><name>B</name></author>"),
    "atom xml:base": atom(
        '<link href="a/b"/><content type="html" xml:base="/c/">&lt;a href="d"&gt;x&lt;/a&gt;'
        "</content>",
        attrs=' xml:base="https://base.example/x/"',
    ),
    "atom text types": atom(
        '<title type="html">A &amp;amp; B</title><summary>plain &lt;b&gt;</summary>'
        '<content type="text">x</content>'
    ),
    "atom content then summary": atom(
        '<content type="html">&lt;p&gt;c&lt;/p&gt;</content><summary>s</summary>'
    ),
    "atom 0.3": (
        '<?xml version="1.0"?><feed version="0.3" xmlns="http://purl.org/atom/ns#">'
        "<title>T</title><entry><title>a</title><issued>2026-01-01T00:00:00Z</issued>"
        '<content type="text/html" mode="escaped">&lt;p&gt;x&lt;/p&gt;</content>'
        "</entry></feed>"
    ),
    # RSS 1.0: rdf:about is the id; an image before the channel swallows its title
    "rdf": RDF.format(
        body='<channel rdf:about="https://s.example/"><title>T</title></channel>'
        '<item rdf:about="https://s.example/1"><title>a</title><dc:date>2026-01-01</dc:date>'
        "</item>"
    ),
    "rdf image first": RDF.format(
        body="<image><title>logo</title></image><channel><title>T</title></channel>"
        "<item><title>a</title></item>"
    ),
}


@pytest.mark.parametrize("name", QUIRKS)
def test_feedparsers_quirks_come_out_the_same(monkeypatch, counting, name):
    took, fast, slow = both_ways(
        monkeypatch, counting, QUIRKS[name].encode("utf-8"), "https://site.example/feed", {}
    )
    assert took
    assert fast == slow


@pytest.mark.parametrize(
    "headers",
    [
        {"content-type": "text/plain"},  # NonXMLContentType: a warning, both ways
        {"content-type": "application/rss+xml; charset=windows-1256"},  # UTF-8 all the same
        {"content-type": "application/rss+xml", "content-location": "/elsewhere/"},
    ],
)
def test_warnings_and_headers_come_out_the_same(monkeypatch, counting, headers):
    body = rss("<title>نص عربي طويل بما يكفي ليبدو عربيا</title><link>a</link>").encode()
    took, fast, slow = both_ways(monkeypatch, counting, body, "https://site.example/f", headers)
    assert took
    assert fast == slow


# --- the re-implemented pieces, on random input ----------------------------------------

HTML_TOKENS = [
    "<p>", "</p>", "<P>", "</P >", "<br>", "<br/>", "<br />", "</br>", "<hr/>", "<p/>",
    "<a/>", '<a href="', "<a href='", "<a href=", '">', "'>", ">", "<", "</", "</a>",
    '<img src="', ' alt="', '" ', "<img", " src=", " title", "=", '"', "'", " ", "\n",
    "http://e.example/x?a=1&b=2", "/rel/path", "../up", "#frag", "javascript:alert(1)",
    "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#39;", "&#34;", "&#150;", "&#x2014;",
    "&#X41;", "&#38", "&copy", "&foo;", "&nbsp;", "&", "&#", "&#x;", "&ampX", "&a-b.c;",
    "<!--", "-->", "-- >", "<!-- c -->", "<![CDATA[x]]>", "<!DOCTYPE html>", "<!x>",
    "<?php ?>", "<?", "<>", "<script>", "</script>", "<o:p>", "</o:p>", "<div class=x>",
    "<span dir='rtl'>", '<td colspan=2 rowspan="3">', "<input disabled>",
    '<a HREF="x" href="y">', "<img src=x.png/>", '<img src="x"/>', "<b/ >",
    '<a rel="NoFollow" type="TEXT/html" href="/p">', '<q cite="/c">', "<x y='a\"b'>",
    "ب", "نص", "é", "A", "1", "\u0085", ";", "/", "<strong>", "</em>", "<h2>", "</h2 x>",
]  # fmt: skip
BASES = [
    "https://site.example/feed/rss.xml",
    "http://site.example",
    "",
    "ftp://f.example/d/",
    "javascript:alert(1)",
    "relative/base",
    "http://[::1",
]


@settings(max_examples=600, deadline=None)
@given(
    fragment=st.one_of(
        st.lists(st.sampled_from(HTML_TOKENS), max_size=30).map("".join),
        st.text(alphabet="<>/&#;\"'= !-?abpx1é", max_size=40),
    ),
    base=st.sampled_from(BASES),
)
def test_resolve_html_is_feedparsers_round_trip(fragment, base):
    ours = fastxml.resolve_html(fragment, base)
    if ours is not None:
        assert ours == resolve_relative_uris(fragment, base, "utf-8", "text/html")


def test_resolve_html_models_the_html_feeds_use():
    base = "https://site.example/feed"
    for fragment in [
        '<p dir="rtl">نص <a href="/a?b=1&amp;c=2">رابط</a><br/><img src="i.png" alt=""></p>',
        "<p>x &#8217; y &nbsp; &copy; z &foo; AT&T &#150;</p><!-- more --><hr />",
        '<div class="wp-block"><figure><img width=300 height="200" src="/i.jpg"/></figure></div>',
        "<P>Upper <B>case</B></P><o:p></o:p><script src='/s.js'></script>",
    ]:
        ours = fastxml.resolve_html(fragment, base)
        assert ours is not None, fragment
        assert ours == resolve_relative_uris(fragment, base, "utf-8", "text/html")


URL_TOKENS = [
    "http", "https", "HTTP", "tag", "urn", "mailto", "javascript", ":", "//", "///", "/",
    "?", "#", ";", "[", "]", "@", ":80", "a", "b.example", "é", " ", "\t", "\n", "..", ".",
    "%20", "x=1", "&", "-", "_", "~", "\x00", "1", "ب",
]  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(
    uri=st.lists(st.sampled_from(URL_TOKENS), max_size=12).map("".join),
    base=st.one_of(
        st.sampled_from(BASES), st.lists(st.sampled_from(URL_TOKENS), max_size=8).map("".join)
    ),
)
def test_url_shortcuts_are_feedparsers_functions(uri, base):
    assert fastxml._join(base, uri) == _urljoin(base, uri)
    assert fastxml._safe_absolute(base, uri) == make_safe_absolute_uri(base, uri)


def test_the_usual_urls_take_the_shortcut():
    base = "http://127.0.0.1:8080/feeds/00001.xml"
    for uri in [
        "https://news1.example.org/articles/f1-2",
        "http://127.0.0.1:8080/a?b=1;c=2#top",
        "tag:bench.example,2024:f1-2",
    ]:
        assert fastxml._join(base, uri) is uri  # handed back without urllib
        assert _urljoin(base, uri) == uri


# --- a feedparser without what the fast path reads ---------------------------------------

WITHOUT_INTERNALS = """
import json, sys
import feedparser.datetimes
del feedparser.datetimes._parse_date  # a feedparser release that renamed it
from aggregator import parse
feed = parse.parse_feed(open(sys.argv[1], "rb").read(), url=sys.argv[2], headers={})
print(json.dumps({
    "fast_path": parse.FAST_PATH,
    "problem": parse.FAST_PATH_PROBLEM,
    "feed": repr(feed),
}))
"""


def test_without_the_internals_it_needs_feeds_are_read_by_feedparser(counting) -> None:
    """Same result, only slower, and a warning that says why."""
    import json
    import subprocess

    file = DATA / "site" / SOURCES[0][2]
    url = "http://127.0.0.1:8080" + SOURCES[0][1]
    fast = parse.parse_feed(file.read_bytes(), url=url, headers={})
    assert counting.accepted == 1  # this process read it the fast way
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_INTERNALS, str(file), url],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout)
    assert result["fast_path"] is False
    assert "_parse_date" in result["problem"]
    assert result["feed"] == repr(fast)  # feedparser's answer is the fast path's
    assert "feeds are read by feedparser alone (slower)" in done.stderr
    assert "install the feedparser version pyproject.toml names" in done.stderr
