"""Random and mutated documents through parse, store and publish (hypothesis).

Mutations of real fixtures (bytes flipped, cut, repeated; hostile snippets spliced in)
must end as a feed or a ParseError, never another exception; storing the result twice
adds nothing the second time; and nothing unsanitized reaches the published feeds.
"""

from __future__ import annotations

import json
import re
import tempfile
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

from conftest import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aggregator import pipeline
from aggregator.config import load_settings
from aggregator.errors import ParseError
from aggregator.parse import parse_feed
from aggregator.parsepool import decide
from aggregator.store import Store

FIXTURES = [
    p.read_bytes()
    for p in sorted((DATA / "site").glob("*"))
    if p.suffix in (".rss", ".atom", ".json", ".xml")
]
SNIPPETS = [
    b"<script>alert(1)</script>",
    b"&lt;script&gt;alert(2)&lt;/script&gt;",
    b"<![CDATA[<img src=x onerror=alert(3)>]]>",
    b'<a href="javascript:alert(4)">x</a>',
    b"<item><guid>dup</guid><title>a</title></item><item><guid>dup</guid><title>b</title></item>",
    b'<!DOCTYPE rss [<!ENTITY a "x"><!ENTITY b "&a;&a;">]>',
    b'"content_html": "<iframe src=//evil>", ',
    b"\x00\x07\xff\xfe",
    b"<item>",
    b"</channel>",
]
UNSAFE = re.compile(
    r"<\s*(script|iframe|object|embed|form|style|svg)\b|\son[a-z]+\s*=|javascript:", re.I
)
DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "form", "style", "svg", "base", "math"}


class _ActiveHTML(HTMLParser):
    """Finds what a browser would act on: dangerous elements, on* handlers, script URLs.
    Escaped markup (``&lt;script&gt;`` shown as text) is not active and is not reported."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DANGEROUS_TAGS:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(name)
            if value and re.match(r"\s*(javascript|data|vbscript):", value, re.I):
                self.found.append(f"{name}={value[:20]}")


def active_html(fragment: str) -> list[str]:
    parser = _ActiveHTML()
    parser.feed(fragment)
    parser.close()
    return parser.found


CONFIG = """\
site: {title: t, base_url: 'http://feeds.example.org', language: ar, max_items: 50}
storage: {path: p.db}
categories: {politics: {title: P}}
sources:
  - {name: s, url: 'https://x.example/feed', categories: [politics]}
"""


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    body = bytearray(draw(st.sampled_from(FIXTURES)))
    for _ in range(draw(st.integers(0, 4))):
        action = draw(st.sampled_from(["flip", "cut", "splice", "repeat", "delete"]))
        at = draw(st.integers(0, max(0, len(body) - 1)))
        if action == "flip" and body:
            body[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del body[at:]
        elif action == "splice":
            body[at:at] = draw(st.sampled_from(SNIPPETS))
        elif action == "repeat":
            end = min(len(body), at + draw(st.integers(1, 400)))
            body[at:at] = body[at:end]
        else:
            del body[at : at + draw(st.integers(1, 50))]
    return bytes(body)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    body=st.one_of(documents(), st.binary(max_size=2000)),
    ctype=st.sampled_from(["", "application/rss+xml", "text/xml; charset=windows-1256"]),
)
def test_mutated_documents_are_stored_once_and_published_clean(body: bytes, ctype: str) -> None:
    headers = {"content-type": ctype} if ctype else {}
    try:
        feed = parse_feed(body, url="https://x.example/feed", headers=headers)
    except ParseError:
        return
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "feeds.yaml"
        config.write_text(CONFIG, encoding="utf-8")
        conf = load_settings(config)
        source = conf.sources[0]
        with Store(conf.storage.path) as store:
            store.sync_sources(conf.sources)
            candidates = [decide(conf, source, item) for item in feed.items]
            now = datetime(2026, 11, 28, tzinfo=UTC)
            results = []
            counts = []
            for _ in range(2):  # the second time adds nothing
                results.append(
                    store.record_fetch(
                        source,
                        now=now,
                        http_status=200,
                        validators=store.source_state(source.url).validators,  # type: ignore[union-attr]
                        body_hash=None,
                        candidates=candidates,
                        next_poll=now,
                    )
                )
                counts.append(store.count_items())
            files = pipeline.render_all(conf, store)
            exported = list(store.iter_items())
    first, second = results
    # At most one stored item per parsed entry (entries with the same guid or link are
    # one), the first store reports exactly what it added, the second adds and changes
    # nothing.
    assert counts[0] == len(first.new_ids) == len(set(first.new_ids)) <= len(feed.items)
    assert feed.items == () or counts[0] >= 1
    assert second.new_ids == () and second.updated_ids == () and counts[1] == counts[0]
    # every stored item came from this source, once
    assert all([s.url for s in item.sources] == [source.url] for item in exported)
    assert sorted(i.id for i in exported) == sorted(first.new_ids)
    published = json.loads(files["/feeds/all.json"][0])
    ids = [item["id"] for item in published["items"]]
    assert len(ids) == len(set(ids))
    for item in published["items"]:
        for field in ("title", "summary"):  # plain text: no markup at all
            assert not UNSAFE.search(item.get(field, "")), (field, item.get(field))
        assert not active_html(item.get("content_html", "")), item.get("content_html")
    for path in ("/feeds/all.rss", "/feeds/all.atom"):
        root = ET.fromstring(files[path][0])
        for element in root.iter():
            name = element.tag.rsplit("}", 1)[-1]
            text = element.text or ""
            if name == "title":
                assert not UNSAFE.search(text), (path, text)
            elif name in ("description", "encoded", "content", "summary"):
                assert not active_html(text), (path, text)
