"""Render what is stored into what subscribers read.

RSS 2.0 and Atom 1.0 (feedgen), JSON Feed 1.1 (json), an OPML list of the sources and an
HTML index page. Every renderer is a pure function from settings and items to bytes: no
clock, no I/O, no SQL. The server hashes these bytes for its ETag and every reader treats a
changed byte as a new version, so the same items must give the same bytes: every date in a
feed comes from its items (the newest one dates the feed), never from "now".

Items arrive newest first and already limited to what should be published.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote, urlsplit

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from aggregator import __version__
from aggregator.errors import AggregatorError
from aggregator.models import Category, Settings, Site, Source, SourceRef, StoredItem
from aggregator.text import html_to_text

FEED_FORMATS: dict[str, str] = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}

ALL_FEEDS = "all"  # the path stem of the combined feed
GENERATOR = "aggregator"
AGG_NS = "https://aggregator.invalid/ns/1.0"
ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# An empty feed still needs a date, and "now" would change its bytes on every render.
EMPTY_FEED_DATE = datetime(1970, 1, 1, tzinfo=UTC)
TITLE_FALLBACK_CHARS = 80

# Languages written right to left (primary subtags), for the index page's dir attribute.
# fmt: off
RTL_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ji", "ks", "ps", "sd", "syr", "ug", "ur", "yi"}
)
# fmt: on

# Characters XML 1.0 cannot carry; lxml refuses the whole document if one slips through
# (a stray control character in one source's title must not take a category's feed down).
_XML_INVALID = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_HTTP_URL = re.compile(r"^https?://", re.IGNORECASE)
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S")


# --- small helpers --------------------------------------------------------------------


def feed_path(category: Category | None, fmt: str) -> str:
    """The HTTP path of one published feed, e.g. ``/feeds/politics.rss``."""
    if fmt not in FEED_FORMATS:
        raise AggregatorError(f"unknown feed format {fmt!r}; expected one of {list(FEED_FORMATS)}")
    stem = category.name if category is not None else ALL_FEEDS
    return f"/feeds/{stem}.{fmt}"


def _media_type(fmt: str) -> str:
    return FEED_FORMATS[fmt].split(";")[0]


@dataclass(frozen=True)
class SearchFeed(Category):
    """Stands in for a category when rendering the feed of a search (``/search.rss?q=``)."""

    query: str = ""


def search_path(query: str, fmt: str, category: str | None = None) -> str:
    """The served path of a search's feed (``fmt`` rss, atom, json) or page (``html``)."""
    stem = "/search" if fmt == "html" else f"/search.{fmt}"
    extra = f"&category={quote(category, safe='')}" if category else ""
    return f"{stem}?q={quote(query, safe='')}{extra}"


def _self_url(settings: Settings, category: Category | None, fmt: str) -> str:
    if isinstance(category, SearchFeed):
        return settings.site.base_url.rstrip("/") + search_path(category.query, fmt)
    return settings.site.base_url.rstrip("/") + feed_path(category, fmt)


def _home_url(settings: Settings) -> str:
    return settings.site.base_url.rstrip("/") + "/"


def _clean(text: str | None) -> str:
    return _XML_INVALID.sub("", text or "")


def _utc(moment: datetime) -> datetime:
    """UTC to the second: the same instant always prints the same way in every format."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def _rfc3339(moment: datetime) -> str:
    return _utc(moment).isoformat().replace("+00:00", "Z")


def _source_url(url: str) -> str:
    """A source's feed URL as a URL, even when feeds.yaml names a local file by its path."""
    if _HTTP_URL.match(url) or url.lower().startswith("file:"):
        return url
    path = PurePosixPath(url)
    return path.as_uri() if path.is_absolute() else "file:" + quote(url)


def _is_rtl(language: str) -> bool:
    return re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0] in RTL_LANGUAGES


def _is_arabic(language: str) -> bool:
    return language.strip().lower().startswith("ar")


def _shorten(text: str, limit: int = TITLE_FALLBACK_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:،") + "…"


# --- one item, prepared once for every format -------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """A stored item as every format shows it, so the three feeds never disagree."""

    id: str  # the stored id, verbatim: RSS guid and JSON id
    atom_id: str  # the same id, made an IRI when it is not one already (RFC 4287 4.2.6)
    title: str
    link: str | None
    published: datetime
    updated: datetime
    author: str | None
    categories: tuple[tuple[str, str], ...]  # (name, label shown to readers)
    sources: tuple[tuple[str, str], ...]  # (name, feed URL), first source first
    body_html: str  # content (or summary) plus the "also published by" line
    summary_html: str  # only when the item has both a summary and a content
    summary_text: str


def _title(item: StoredItem) -> str:
    """A title readers can show: the item's own, else the start of its text, else its link,
    else the name of its source. Never its id: ``urn:uuid:…`` says nothing to a reader."""
    title = " ".join(_clean(item.title).split())
    if title:
        return title
    text = html_to_text(_clean(item.content_html or item.summary_html))
    # Text may spell out markup ("<script>" written as text); readers render titles as
    # HTML, so a title made from text drops anything shaped like a tag.
    text = " ".join(_TAG_SHAPED.sub(" ", text).split())
    if text:
        return _shorten(text)
    return _clean(item.link) or (_clean(item.sources[0].name) if item.sources else "") or "…"


_TAG_SHAPED = re.compile(r"</?[A-Za-z!][^<>]*>?")


def _also_published(settings: Settings, sources: Sequence[tuple[str, str | None]]) -> str:
    arabic = _is_arabic(settings.site.language)
    label = "نُشر أيضًا في:" if arabic else "Also published by:"
    separator = "، " if arabic else ", "
    links = separator.join(
        f'<a href="{html.escape(url)}">{html.escape(name)}</a>' if url else html.escape(name)
        for name, url in sources
    )
    return f'<p dir="auto">{label} {links}</p>'


def _site_of(source: SourceRef) -> str | None:
    """Where a reader clicking an outlet's name should land: its web site (the feed's own
    link), else the home of the host serving its feed; never the feed document itself,
    which a browser downloads or shows as XML. None for a local file."""
    if source.site and _HTTP_URL.match(source.site):
        return _clean(source.site)
    parts = urlsplit(source.url)
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return _clean(f"{parts.scheme}://{parts.netloc}/")
    return None


def _prepare(settings: Settings, item: StoredItem) -> _Entry:
    published = _utc(item.published)
    # A modification before publication is a source's clock error; it would read as odd.
    updated = max(_utc(item.updated), published) if item.updated is not None else published
    categories: dict[str, str] = {}
    for name in item.categories:
        known = settings.category(name)
        categories.setdefault(name, _clean(known.title if known else name))
    sources = tuple((_clean(s.name), _clean(_source_url(s.url))) for s in item.sources)
    content = _clean(item.content_html)
    summary = _clean(item.summary_html)
    body = content or summary
    if len(sources) > 1:
        # A story's other outlets link to their own article; an outlet without one (it
        # carried this very item, or its telling had no link) links to its site.
        articles = {r.source.url: r.link for r in item.related if r.link}
        shown = tuple(
            (name, _clean(articles[s.url]) if s.url in articles else _site_of(s))
            for s, (name, _url) in zip(item.sources, sources, strict=True)
        )
        body = body + _also_published(settings, shown[1:])
    atom_id = item.id if _URI_SCHEME.match(item.id) else f"urn:aggregator:item:{quote(item.id)}"
    return _Entry(
        id=_clean(item.id),
        atom_id=_clean(atom_id),
        title=_title(item),
        link=_clean(item.link) or None,
        published=published,
        updated=updated,
        author=" ".join(_clean(item.author).split()) or None,
        categories=tuple(categories.items()),
        sources=sources,
        body_html=body,
        summary_html=summary if content and summary else "",
        # Plain text, like titles: some readers render it as HTML.
        summary_text=_TAG_SHAPED.sub("", html_to_text(summary)) if content and summary else "",
    )


def _feed_title(settings: Settings, category: Category | None) -> str:
    if category is None:
        return _clean(settings.site.title)
    return _clean(f"{settings.site.title} — {category.title}")


def _feed_description(settings: Settings, category: Category | None) -> str:
    """RSS requires a description: fall back to the title rather than leave it empty."""
    if category is not None and category.description:
        return _clean(category.description)
    return _clean(settings.site.description) or _feed_title(settings, category)


def _feed_date(entries: Sequence[_Entry]) -> datetime:
    return max((e.updated for e in entries), default=EMPTY_FEED_DATE)


# --- RSS and Atom (feedgen) ------------------------------------------------------------


class _RssFeedExtension(BaseExtension):
    """Declares our namespace and adds the WebSub hub link feedgen has no RSS field for."""

    def __init__(self) -> None:
        self.hub: str | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"agg": AGG_NS}

    def extend_rss(self, feed: Any) -> Any:
        if self.hub:
            channel = feed[0]
            xml_elem(f"{{{ATOM_NS}}}link", channel, href=self.hub, rel="hub")
        return feed


class _RssEntryExtension(BaseEntryExtension):
    """The first source in ``<source>``; every source in ``<agg:source>``.

    RSS allows one ``<source>`` per item, so the others would otherwise be lost to any
    reader that does not show the "also published by" line in the content.
    """

    def __init__(self) -> None:
        self.sources: tuple[tuple[str, str], ...] = ()

    def extend_rss(self, item: Any) -> Any:
        if self.sources:
            name, url = self.sources[0]
            xml_elem("source", item, url=url).text = name
        for name, url in self.sources:
            xml_elem(f"{{{AGG_NS}}}source", item, url=url).text = name
        return item


class _AtomEntryExtension(BaseEntryExtension):
    """A ``via`` link per source and ``<source>`` naming the first one by its self link.

    Written here rather than through feedgen because feedgen 1.0 drops the ``rel`` of an
    entry's links (every one comes out as an alternate, which RFC 4287 forbids for more
    than one), and its ``source()`` writes the feed URL as an alternate (web page) link.
    """

    def __init__(self) -> None:
        self.sources: tuple[tuple[str, str], ...] = ()

    def extend_atom(self, entry: Any) -> Any:
        # Unqualified like feedgen's own elements: the root's default namespace is Atom.
        for _name, url in self.sources:
            xml_elem("link", entry, rel="via", href=url)
        if self.sources:
            name, url = self.sources[0]
            source = xml_elem("source", entry)
            xml_elem("title", source).text = name
            xml_elem("link", source, rel="self", href=url)
        return entry


def _generator_base(
    settings: Settings, category: Category | None, entries: Sequence[_Entry], fmt: str
) -> FeedGenerator:
    site = settings.site
    fg = FeedGenerator()
    fg.id(_self_url(settings, category, fmt))
    fg.title(_feed_title(settings, category))
    fg.description(_feed_description(settings, category))
    fg.language(site.language)
    fg.updated(_feed_date(entries))
    # feedgen's RSS <link> is the last link added: keep the alternate (home page) last.
    fg.link(href=_self_url(settings, category, fmt), rel="self", type=_media_type(fmt))
    if site.websub_hub:
        fg.link(href=site.websub_hub, rel="hub")
    fg.link(href=_home_url(settings), rel="alternate", type="text/html")
    return fg


def _fill_entry(fe: FeedEntry, entry: _Entry) -> None:
    fe.title(entry.title)
    if entry.link:
        # feedgen writes entry links without rel in Atom, which still means alternate.
        fe.link(href=entry.link, rel="alternate")
    fe.published(entry.published)
    fe.updated(entry.updated)
    if entry.categories:
        fe.category([{"term": name, "label": label} for name, label in entry.categories])
    if entry.summary_html:
        fe.summary(entry.summary_html, type="html")
    if entry.body_html:
        fe.content(entry.body_html, type="html")
    elif not entry.link:
        # Atom needs content or an alternate link; RSS needs a title or a description.
        fe.content(html.escape(entry.title), type="html")


def render_rss(settings: Settings, category: Category | None, items: Sequence[StoredItem]) -> bytes:
    """RSS 2.0 with ``atom:link rel="self"``; authors as ``dc:creator`` because RSS
    ``<author>`` must be an e-mail address, which sources almost never give."""
    entries = [_prepare(settings, item) for item in items]
    fg = _generator_base(settings, category, entries, "rss")
    fg.generator(f"{GENERATOR} {__version__}")
    fg.load_extension("dc", atom=False, rss=True)
    fg.register_extension("agg", _RssFeedExtension, _RssEntryExtension, atom=False, rss=True)
    fg.agg.hub = settings.site.websub_hub
    for entry in entries:
        fe = fg.add_entry(order="append")
        _fill_entry(fe, entry)
        fe.guid(entry.id, permalink=False)
        if entry.author:
            fe.dc.dc_creator(entry.author)
        fe.agg.sources = entry.sources
    return bytes(fg.rss_str(pretty=True, encoding="UTF-8"))


def render_atom(
    settings: Settings, category: Category | None, items: Sequence[StoredItem]
) -> bytes:
    """Atom 1.0 (RFC 4287): ``xml:lang`` on the root, ``via`` links for every source."""
    entries = [_prepare(settings, item) for item in items]
    fg = _generator_base(settings, category, entries, "atom")
    fg.generator(GENERATOR, version=__version__)
    # RFC 4287 requires a feed author unless every entry has one; many items have none.
    fg.author(name=_clean(settings.site.title))
    fg.register_extension("agg", BaseExtension, _AtomEntryExtension, atom=True, rss=False)
    for entry in entries:
        fe = fg.add_entry(order="append")
        fe.id(entry.atom_id)
        _fill_entry(fe, entry)
        if entry.author:
            fe.author(name=entry.author)
        fe.agg.sources = entry.sources
    return bytes(fg.atom_str(pretty=True, encoding="UTF-8"))


# --- JSON Feed -------------------------------------------------------------------------


def _json_item(entry: _Entry) -> dict[str, Any]:
    item: dict[str, Any] = {"id": entry.id}
    if entry.link:
        item["url"] = entry.link
    item["title"] = entry.title
    if entry.body_html:
        item["content_html"] = entry.body_html
    else:
        item["content_text"] = entry.title
    if entry.summary_text:
        item["summary"] = entry.summary_text
    item["date_published"] = _rfc3339(entry.published)
    item["date_modified"] = _rfc3339(entry.updated)
    if entry.author:
        item["authors"] = [{"name": entry.author}]
    if entry.categories:
        item["tags"] = [label for _name, label in entry.categories]
    item["_aggregator"] = {
        "categories": [name for name, _label in entry.categories],
        "sources": [{"name": name, "feed_url": url} for name, url in entry.sources],
    }
    return item


def render_json(
    settings: Settings, category: Category | None, items: Sequence[StoredItem]
) -> bytes:
    """JSON Feed 1.1; every source of an item in its ``_aggregator`` extension object."""
    site = settings.site
    entries = [_prepare(settings, item) for item in items]
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": _feed_title(settings, category),
        "home_page_url": _home_url(settings),
        "feed_url": _self_url(settings, category, "json"),
        "description": _feed_description(settings, category),
        "language": site.language,
    }
    if site.websub_hub:
        feed["hubs"] = [{"type": "WebSub", "url": site.websub_hub}]
    feed["_aggregator"] = {
        "generator": f"{GENERATOR} {__version__}",
        "updated": _rfc3339(_feed_date(entries)),
    }
    feed["items"] = [_json_item(entry) for entry in entries]
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render_feed(
    fmt: str, settings: Settings, category: Category | None, items: Sequence[StoredItem]
) -> bytes:
    """One feed by its path extension: ``rss``, ``atom`` or ``json``."""
    renderers = {"rss": render_rss, "atom": render_atom, "json": render_json}
    if fmt not in renderers:
        raise AggregatorError(f"unknown feed format {fmt!r}; expected one of {list(renderers)}")
    return renderers[fmt](settings, category, items)


def render_search_feed(
    fmt: str, settings: Settings, query: str, items: Sequence[StoredItem]
) -> bytes:
    """The feed of a search: titled after the query, with its own URL as the self link."""
    label = "بحث" if _is_arabic(settings.site.language) else "Search"
    query = " ".join(_clean(query).split())
    feed = SearchFeed(name="search", title=f"{label}: {query}", query=query)
    return render_feed(fmt, settings, feed, items)


# --- OPML ------------------------------------------------------------------------------


def format_duration(seconds: float) -> str:
    """Seconds as feeds.yaml writes them: the largest unit that divides evenly ("30m")."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def render_opml(settings: Settings) -> bytes:
    """OPML 2.0 of the configured sources, one outline per category, so a reader that
    imports it files each source where the operator did (a source in two categories is
    listed under both)."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = _clean(settings.site.title)
    body = ET.SubElement(root, "body")
    known = {c.name for c in settings.categories}

    def source_outline(parent: ET.Element, source: Source) -> None:
        outline = ET.SubElement(
            parent,
            "outline",
            type="rss",
            text=_clean(source.name),
            title=_clean(source.name),
            xmlUrl=_clean(_source_url(source.url)),
        )
        # Extra attributes (OPML 2.0 allows them; readers ignore them) so that
        # `aggregator import-opml` of this file loses nothing: interval, slugs.
        if source.interval is not None:
            outline.set("interval", format_duration(source.interval))

    for category in settings.categories:
        group = ET.SubElement(
            body,
            "outline",
            text=_clean(category.title),
            title=_clean(category.title),
            slug=category.name,
        )
        if category.description:
            group.set("description", _clean(category.description))
        for source in settings.sources:
            if category.name in source.categories:
                source_outline(group, source)
    for source in settings.sources:
        if not known.intersection(source.categories):
            source_outline(body, source)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


# --- the HTML pages: the index and one page per category ------------------------------
#
# Written for a phone first (one column, large tap targets, no horizontal scroll), in the
# site's language and direction (logical CSS properties, so one stylesheet serves RTL and
# LTR), with no script and nothing loaded from elsewhere: the pages work as static files,
# behind a strict Content-Security-Policy and in a reader's browser with JavaScript off.
# Links are relative, so the same bytes work served (/, /c/labour) and as a `build` tree
# opened from any web server (index.html, c/labour.html).

INDEX_HEADLINES = 8  # per category on the index page; the category page shows them all
EXCERPT_CHARS = 220

_STRINGS = {
    "ar": {
        "subscribe": "اشترك:",
        "all": "كل الأقسام",
        "opml": "قائمة المصادر (OPML)",
        "empty": "لا توجد مواد بعد.",
        "more": "كل مواد القسم",
        "home": "الرئيسية",
        "sections": "الأقسام",
        "search": "بحث",
        "search_label": "ابحث في الأخبار",
        "results": "نتائج البحث عن «{query}»",
        "results_in": "نتائج البحث عن «{query}» في {category}",
        "no_results": "لا نتائج لهذا البحث.",
        "search_hint": "اكتب كلمة أو أكثر، مثل: إضراب",
        "generated": "يُحدَّث تلقائيًا من مصادر مختارة.",
        "zone": "الأوقات بتوقيت {zone}.",
    },
    "en": {
        "subscribe": "Subscribe:",
        "all": "All categories",
        "opml": "Sources (OPML)",
        "empty": "Nothing yet.",
        "more": "Everything in this category",
        "home": "Home",
        "sections": "Categories",
        "search": "Search",
        "search_label": "Search the news",
        "results": "Results for “{query}”",
        "results_in": "Results for “{query}” in {category}",
        "no_results": "Nothing found.",
        "search_hint": "Type one or more words.",
        "generated": "Updated automatically from selected sources.",
        "zone": "Times are in {zone}.",
    },
}

_AR_MONTHS = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)  # fmt: skip
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_FORMAT_LABELS = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}

_CSS = """
:root { color-scheme: light dark; --bg: #fbfaf7; --fg: #1c1b1a; --muted: #5f5b57;
  --rule: #e4e0da; --card: #fff; --accent: #b3261e; --link: #0b4f8a; --rss: #c2410c; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #141312; --fg: #ece9e4; --muted: #a8a29b; --rule: #35322f; --card: #1d1c1a;
    --accent: #ef6b5f; --link: #8cc4ff; --rss: #fb923c; }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { background: var(--bg); color: var(--fg); margin: 0;
  font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans Arabic", "Noto Naskh Arabic",
    Tahoma, "Arial", sans-serif;
  font-size: 1.0625rem; line-height: 1.7; overflow-wrap: anywhere; }
a { color: var(--link); }
.wrap { margin-inline: auto; max-width: 52rem; padding-inline: 1rem; }
header.site { background: var(--card); border-block-end: 4px solid var(--accent);
  padding-block: 1rem 0.75rem; }
header.site h1 { font-size: 1.9rem; line-height: 1.25; margin: 0; }
header.site h1 a { color: inherit; text-decoration: none; }
.desc { color: var(--muted); font-size: 0.95rem; margin: 0.25rem 0 0; }
nav.sections { display: flex; flex-wrap: wrap; gap: 0.4rem; margin-block-start: 0.75rem; }
nav.sections a { border: 1px solid var(--rule); border-radius: 999px; color: var(--fg);
  font-size: 0.95rem; padding: 0.2rem 0.8rem; text-decoration: none; }
nav.sections a[aria-current] { background: var(--accent); border-color: var(--accent);
  color: #fff; }
main { padding-block: 0.5rem 1rem; }
section.category { background: var(--card); border: 1px solid var(--rule);
  border-radius: 0.75rem; margin-block: 1rem; padding: 0.9rem 1rem; }
.head { align-items: baseline; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem;
  justify-content: space-between; }
h2 { font-size: 1.35rem; margin: 0; }
h2 a { color: inherit; text-decoration: none; }
ol.headlines { list-style: none; margin: 0.5rem 0 0; padding: 0; }
ol.headlines li { border-block-start: 1px solid var(--rule); padding-block: 0.55rem; }
ol.headlines li:first-child { border-block-start: 0; }
.title { font-weight: 650; text-decoration: none; }
.title:hover, .title:focus { text-decoration: underline; }
.meta { color: var(--muted); display: block; font-size: 0.85rem; }
.excerpt { font-size: 0.95rem; margin: 0.2rem 0 0; }
.feeds { display: flex; flex-wrap: wrap; gap: 0.35rem; align-items: center; margin: 0; }
.feeds .label { color: var(--muted); font-size: 0.85rem; }
.button { border: 1px solid var(--rss); border-radius: 0.4rem; color: var(--rss);
  display: inline-block; font-size: 0.85rem; font-weight: 600; line-height: 1.2;
  min-height: 2rem; padding: 0.4rem 0.65rem; text-decoration: none; }
.button:hover, .button:focus { background: var(--rss); color: #fff; }
.more { display: inline-block; font-size: 0.95rem; margin-block-start: 0.4rem; }
form.search { display: flex; gap: 0.4rem; margin-block-start: 0.75rem; max-width: 32rem; }
form.search input { background: var(--bg); border: 1px solid var(--muted);
  border-radius: 0.4rem; color: var(--fg); flex: 1; font: inherit; min-height: 2.5rem;
  min-width: 0; padding: 0.3rem 0.7rem; }
form.search button { background: var(--accent); border: 1px solid var(--accent);
  border-radius: 0.4rem; color: #fff; cursor: pointer; font: inherit; font-weight: 600;
  min-height: 2.5rem; padding: 0.3rem 1rem; }
footer { border-block-start: 1px solid var(--rule); color: var(--muted); font-size: 0.9rem;
  padding-block: 1rem 2rem; }
footer p { margin: 0.35rem 0; }
bdi { unicode-bidi: isolate; }
@media (max-width: 30rem) {
  header.site h1 { font-size: 1.5rem; }
  section.category { border-radius: 0; border-inline: 0; margin-inline: -1rem; }
}
""".strip()


def _strings(language: str) -> dict[str, str]:
    return _STRINGS["ar"] if _is_arabic(language) else _STRINGS["en"]


def _zone(name: str) -> tzinfo:
    return UTC if name == "UTC" else zoneinfo.ZoneInfo(name)


def _page_time(moment: datetime, site: Site) -> tuple[str, str]:
    """When an item was published, as the pages show it: (ISO 8601 with the zone's
    offset, for ``<time datetime>``; a date and time in the site's language and zone).

    Absolute on purpose: pages are rendered when items change and a build is static, so
    "3 hours ago" would be false an hour later."""
    local = _utc(moment).astimezone(_zone(site.timezone))
    clock = f"{local.hour:02d}:{local.minute:02d}"
    primary = re.split(r"[-_]", site.language.strip().lower(), maxsplit=1)[0]
    if primary == "ar":
        text = f"{local.day} {_AR_MONTHS[local.month - 1]} {local.year}، {clock}"
    elif primary == "en":
        text = f"{local.day} {_EN_MONTHS[local.month - 1]} {local.year}, {clock}"
    else:  # no month names for this language here: the form every reader can read
        text = f"{local.year:04d}-{local.month:02d}-{local.day:02d} {clock}"
    return local.isoformat(), text


def category_page_path(category: Category) -> str:
    """The published path of a category's page; also served at ``/c/{name}``."""
    return f"/c/{category.name}.html"


def _index_feed_href(category: Category | None, fmt: str, prefix: str = "") -> str:
    # Relative, so the page works under any base URL and as a static file tree.
    return prefix + feed_path(category, fmt).lstrip("/")


def _subscribe_links(
    category: Category | None, strings: Mapping[str, str], prefix: str = "", label: str = ""
) -> str:
    """Subscribe buttons, one per format (``prefix`` is the way back to the site root)."""
    esc = html.escape
    links = " ".join(
        f'<a class="button" href="{esc(_index_feed_href(category, fmt, prefix))}" '
        f'type="{_media_type(fmt)}">{text}</a>'
        for fmt, text in _FORMAT_LABELS.items()
    )
    shown = f"{label} — {strings['subscribe']}" if label else strings["subscribe"]
    return f'<p class="feeds"><span class="label">{esc(shown)}</span> {links}</p>'


def _alternates(settings: Settings, feeds: Sequence[Category | None], prefix: str) -> str:
    esc = html.escape
    out = []
    for category in feeds:
        title = _feed_title(settings, category)
        for fmt, label in _FORMAT_LABELS.items():
            href = esc(_index_feed_href(category, fmt, prefix))
            out.append(
                f'<link rel="alternate" type="{_media_type(fmt)}" '
                f'title="{esc(f"{title} ({label})")}" href="{href}">'
            )
    return "\n".join(out)


def _excerpt(item: StoredItem) -> str:
    text = html_to_text(_clean(item.summary_html or item.content_html))
    return _shorten(text, EXCERPT_CHARS) if text and text != _title(item) else ""


def _headline(item: StoredItem, site: Site, *, excerpt: bool = False) -> str:
    esc = html.escape
    title = esc(_title(item))
    link = _clean(item.link)
    if link:
        heading = f'<a class="title" href="{esc(link)}" dir="auto">{title}</a>'
    else:
        heading = f'<b class="title" dir="auto">{title}</b>'
    meta: list[str] = []
    if item.sources:
        meta.append(f"<bdi>{esc(_clean(item.sources[0].name))}</bdi>")
    stamp, when = _page_time(item.published, site)
    meta.append(f'<time datetime="{stamp}">{esc(when)}</time>')
    more = ""
    if excerpt:
        text = _excerpt(item)
        if text:
            more = f'<p class="excerpt" dir="auto">{esc(text)}</p>'
    return f'<li>{heading}<span class="meta">{" · ".join(meta)}</span>{more}</li>'


def _search_form(strings: Mapping[str, str], prefix: str, query: str) -> str:
    """A plain GET form (no script) to the served search page: ``/search?q=…``."""
    esc = html.escape
    return (
        f'<form class="search" role="search" method="get" action="{esc(prefix)}search">'
        f'<input type="search" name="q" value="{esc(query)}" dir="auto" maxlength="200" '
        f'aria-label="{esc(strings["search_label"])}" '
        f'placeholder="{esc(strings["search_label"])}">'
        f'<button type="submit">{esc(strings["search"])}</button></form>'
    )


def _page(
    settings: Settings,
    *,
    title: str,
    prefix: str,
    alternates: str,
    current: str | None,
    body: str,
    search: str | None,
) -> bytes:
    """One HTML page. ``search`` is the query the search form shows (``""``: none yet);
    None leaves the form out: a static build has no search to send it to."""
    esc = html.escape
    site = settings.site
    strings = _strings(site.language)
    direction = "rtl" if _is_rtl(site.language) else "ltr"
    nav = []
    for category in settings.categories:
        here = ' aria-current="page"' if category.name == current else ""
        href = prefix + category_page_path(category).lstrip("/")
        nav.append(f'<a href="{esc(href)}"{here}>{esc(_clean(category.title))}</a>')
    description = f'<p class="desc">{esc(_clean(site.description))}</p>' if site.description else ""
    home = prefix or "./"
    page = f"""<!DOCTYPE html>
<html lang="{esc(site.language)}" dir="{direction}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<link rel="icon" href="data:,">
<meta name="generator" content="{GENERATOR} {__version__}">
<title>{esc(title)}</title>
{alternates}
<style>
{_CSS}
</style>
</head>
<body>
<header class="site"><div class="wrap">
<h1><a href="{esc(home)}">{esc(_clean(site.title))}</a></h1>
{description}
<nav class="sections" aria-label="{esc(strings["sections"])}">{"".join(nav)}</nav>
{_search_form(strings, prefix, search) if search is not None else ""}
</div></header>
<main class="wrap">
{body}
</main>
<footer><div class="wrap">
{_subscribe_links(None, strings, prefix, strings["all"])}
<p><a href="{esc(prefix)}sources.opml" type="text/x-opml">{esc(strings["opml"])}</a></p>
<p>{esc(strings["zone"].format(zone=site.timezone))}</p>
<p>{esc(strings["generated"])}</p>
</div></footer>
</body>
</html>
"""
    return page.encode("utf-8")


def _category_section(
    settings: Settings,
    category: Category,
    items: Sequence[StoredItem],
    *,
    prefix: str,
    on_index: bool,
) -> str:
    esc = html.escape
    strings = _strings(settings.site.language)
    page = prefix + category_page_path(category).lstrip("/")
    heading = esc(_clean(category.title))
    if on_index:
        heading = f'<a href="{esc(page)}">{heading}</a>'
    parts = [
        f'<section class="category" id="{esc(category.name)}">',
        f'<div class="head"><h2>{heading}</h2>{_subscribe_links(category, strings, prefix)}</div>',
    ]
    if category.description:
        parts.append(f'<p class="desc">{esc(_clean(category.description))}</p>')
    shown = items[:INDEX_HEADLINES] if on_index else items
    if shown:
        parts.append('<ol class="headlines">')
        parts.extend(_headline(item, settings.site, excerpt=not on_index) for item in shown)
        parts.append("</ol>")
        if on_index:
            parts.append(f'<a class="more" href="{esc(page)}">{esc(strings["more"])}</a>')
    else:
        parts.append(f'<p class="desc">{esc(strings["empty"])}</p>')
    parts.append("</section>")
    return "\n".join(parts)


def render_index(
    settings: Settings, latest: Mapping[str, Sequence[StoredItem]], *, served: bool = True
) -> bytes:
    """The home page: each category's newest headlines and its subscribe links, in the
    site's language and direction, with no script and nothing loaded from elsewhere.
    ``served`` pages have a search form; a static build's have none."""
    sections = [
        _category_section(
            settings, category, latest.get(category.name, ()), prefix="", on_index=True
        )
        for category in settings.categories
    ]
    return _page(
        settings,
        title=_clean(settings.site.title),
        prefix="",
        alternates=_alternates(settings, [None, *settings.categories], ""),
        current=None,
        body="\n".join(sections),
        search="" if served else None,
    )


def render_category_page(
    settings: Settings, category: Category, items: Sequence[StoredItem], *, served: bool = True
) -> bytes:
    """One category's page (``/c/{name}``): every published item with a short excerpt."""
    prefix = "../"
    return _page(
        settings,
        title=_feed_title(settings, category),
        prefix=prefix,
        alternates=_alternates(settings, [category, None], prefix),
        current=category.name,
        body=_category_section(settings, category, items, prefix=prefix, on_index=False),
        search="" if served else None,
    )


def render_search_page(
    settings: Settings,
    query: str,
    items: Sequence[StoredItem],
    *,
    category: Category | None = None,
    problem: str | None = None,
) -> bytes:
    """The served page of a search (``/search?q=…``): the newest matching items with
    excerpts, the same search's feeds to subscribe to, or what is wrong with the query."""
    esc = html.escape
    strings = _strings(settings.site.language)
    query = " ".join(_clean(query).split())
    name = category.name if category else None
    parts = ['<section class="category results">']
    if not query or problem:
        heading = esc(strings["search"])
        parts.append(f'<div class="head"><h2>{heading}</h2></div>')
        message = problem or strings["search_hint"]
        parts.append(f'<p class="desc" role="alert">{esc(message)}</p>')
        alternates = ""
        title = f"{strings['search']} — {_clean(settings.site.title)}"
    else:
        if category is not None:
            words = strings["results_in"].format(query=query, category=_clean(category.title))
        else:
            words = strings["results"].format(query=query)
        links = " ".join(
            f'<a class="button" href="{esc(search_path(query, fmt, name).lstrip("/"))}" '
            f'type="{_media_type(fmt)}">{text}</a>'
            for fmt, text in _FORMAT_LABELS.items()
        )
        subscribe = f'<p class="feeds"><span class="label">{esc(strings["subscribe"])}</span> '
        parts.append(
            f'<div class="head"><h2 dir="auto">{esc(words)}</h2>{subscribe}{links}</p></div>'
        )
        if items:
            parts.append('<ol class="headlines">')
            parts.extend(_headline(item, settings.site, excerpt=True) for item in items)
            parts.append("</ol>")
        else:
            parts.append(f'<p class="desc">{esc(strings["no_results"])}</p>')
        feed_title = f"{strings['search']}: {query}"
        alternates = "\n".join(
            f'<link rel="alternate" type="{_media_type(fmt)}" '
            f'title="{esc(f"{feed_title} ({label})")}" '
            f'href="{esc(search_path(query, fmt, name).lstrip("/"))}">'
            for fmt, label in _FORMAT_LABELS.items()
        )
        title = f"{feed_title} — {_clean(settings.site.title)}"
    parts.append("</section>")
    return _page(
        settings,
        title=title,
        prefix="",
        alternates=alternates,
        current=None,
        body="\n".join(parts),
        search=query,
    )
