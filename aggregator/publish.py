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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from aggregator import __version__
from aggregator.errors import AggregatorError
from aggregator.models import Category, Settings, StoredItem

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


def _self_url(settings: Settings, category: Category | None, fmt: str) -> str:
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


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment, for titles and plain-text summaries."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _plain_text(fragment: str) -> str:
    if not fragment:
        return ""
    extractor = _TextExtractor()
    extractor.feed(fragment)
    extractor.close()
    return " ".join("".join(extractor.parts).split())


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
    """A title readers can show: the item's own, else the start of its text, else its link."""
    title = " ".join(_clean(item.title).split())
    if title:
        return title
    text = _plain_text(_clean(item.content_html or item.summary_html))
    if text:
        return _shorten(text)
    return _clean(item.link) or _clean(item.id)


def _also_published(settings: Settings, sources: Sequence[tuple[str, str]]) -> str:
    arabic = _is_arabic(settings.site.language)
    label = "نُشر أيضًا في:" if arabic else "Also published by:"
    separator = "، " if arabic else ", "
    links = separator.join(
        f'<a href="{html.escape(url)}">{html.escape(name)}</a>' for name, url in sources
    )
    return f'<p dir="auto">{label} {links}</p>'


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
        body = body + _also_published(settings, sources[1:])
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
        summary_text=_plain_text(summary) if content and summary else "",
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


# --- OPML ------------------------------------------------------------------------------


def render_opml(settings: Settings) -> bytes:
    """OPML 2.0 of the configured sources, one outline per category, so a reader that
    imports it files each source where the operator did (a source in two categories is
    listed under both)."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = _clean(settings.site.title)
    body = ET.SubElement(root, "body")
    known = {c.name for c in settings.categories}

    def source_outline(parent: ET.Element, name: str, url: str) -> None:
        ET.SubElement(
            parent,
            "outline",
            type="rss",
            text=_clean(name),
            title=_clean(name),
            xmlUrl=_clean(_source_url(url)),
        )

    for category in settings.categories:
        group = ET.SubElement(
            body, "outline", text=_clean(category.title), title=_clean(category.title)
        )
        for source in settings.sources:
            if category.name in source.categories:
                source_outline(group, source.name, source.url)
    for source in settings.sources:
        if not known.intersection(source.categories):
            source_outline(body, source.name, source.url)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


# --- the HTML index page ---------------------------------------------------------------

_STRINGS = {
    "ar": {
        "subscribe": "اشترك:",
        "all": "كل الأقسام",
        "opml": "قائمة المصادر (OPML)",
        "empty": "لا توجد مواد بعد.",
        "now": "الآن",
    },
    "en": {
        "subscribe": "Subscribe:",
        "all": "All categories",
        "opml": "Sources (OPML)",
        "empty": "Nothing yet.",
        "now": "just now",
    },
}

# (one, two, 3 to 10, 11 and more): Arabic counts take a different form in each range.
_AR_UNITS = {
    "minute": ("دقيقة", "دقيقتين", "دقائق", "دقيقة"),
    "hour": ("ساعة", "ساعتين", "ساعات", "ساعة"),
    "day": ("يوم", "يومين", "أيام", "يومًا"),
}

_FORMAT_LABELS = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}

_CSS = """
:root { color-scheme: light dark; --muted: #666; --rule: #ddd; --accent: #b3261e; }
* { box-sizing: border-box; }
body { font-family: system-ui, "Noto Naskh Arabic", "Segoe UI", Tahoma, sans-serif;
  line-height: 1.6; margin: 0 auto; max-width: 48rem; padding: 1rem; }
header { border-block-end: 3px solid var(--accent); margin-block-end: 1rem; }
h1 { font-size: 1.8rem; margin: 0.5rem 0; }
h2 { font-size: 1.3rem; margin: 0 0 0.5rem; }
section { border-block-end: 1px solid var(--rule); padding-block: 1rem; }
ol { list-style: none; margin: 0; padding: 0; }
li { margin-block-end: 0.6rem; }
li a { font-weight: 600; text-decoration: none; }
li a:hover { text-decoration: underline; }
.meta, .desc, .subscribe { color: var(--muted); font-size: 0.9rem; }
.meta { display: block; }
.subscribe a { margin-inline-end: 0.6rem; }
""".strip()


def _strings(language: str) -> dict[str, str]:
    return _STRINGS["ar"] if _is_arabic(language) else _STRINGS["en"]


def _arabic_count(n: int, unit: str) -> str:
    one, two, few, many = _AR_UNITS[unit]
    if n == 1:
        return f"منذ {one}"
    if n == 2:
        return f"منذ {two}"
    if 3 <= n % 100 <= 10:
        return f"منذ {n} {few}"
    return f"منذ {n} {many}"


def _time_ago(moment: datetime, now: datetime, language: str) -> str:
    """ "3 hours ago" / "منذ 3 ساعات"; a date once it is more than a month old."""
    seconds = (_utc(now) - _utc(moment)).total_seconds()
    arabic = _is_arabic(language)
    if seconds < 60:
        return _strings(language)["now"]
    for unit, size, limit in (("minute", 60, 60), ("hour", 3600, 24), ("day", 86400, 31)):
        n = int(seconds // size)
        if n < limit:
            if arabic:
                return _arabic_count(n, unit)
            return f"{n} {unit}{'' if n == 1 else 's'} ago"
    return _utc(moment).strftime("%Y-%m-%d")


def _index_feed_href(category: Category | None, fmt: str) -> str:
    # Relative, so the page works under any base URL and as a static file tree.
    return feed_path(category, fmt).lstrip("/")


def _subscribe_links(
    category: Category | None, strings: Mapping[str, str], prefix: str = ""
) -> str:
    links = " ".join(
        f'<a href="{html.escape(_index_feed_href(category, fmt))}" '
        f'type="{_media_type(fmt)}">{label}</a>'
        for fmt, label in _FORMAT_LABELS.items()
    )
    label = f"{prefix} — {strings['subscribe']}" if prefix else strings["subscribe"]
    return f'<p class="subscribe">{html.escape(label)} {links}</p>'


def _headline(item: StoredItem, now: datetime, language: str) -> str:
    esc = html.escape
    title = esc(_title(item))
    link = _clean(item.link)
    if link:
        heading = f'<a href="{esc(link)}" dir="auto">{title}</a>'
    else:
        heading = f'<b dir="auto">{title}</b>'
    meta: list[str] = []
    if item.sources:
        meta.append(f'<span dir="auto">{esc(_clean(item.sources[0].name))}</span>')
    published = _utc(item.published)
    meta.append(
        f'<time datetime="{_rfc3339(published)}">{esc(_time_ago(published, now, language))}</time>'
    )
    return f'<li>{heading}<span class="meta">{" · ".join(meta)}</span></li>'


def render_index(
    settings: Settings, latest: Mapping[str, Sequence[StoredItem]], now: datetime
) -> bytes:
    """The home page: each category's newest headlines and its subscribe links, in the
    site's language and direction, with no script and nothing loaded from elsewhere."""
    esc = html.escape
    site = settings.site
    strings = _strings(site.language)
    direction = "rtl" if _is_rtl(site.language) else "ltr"
    feeds: list[Category | None] = [None, *settings.categories]

    alternates = []
    for category in feeds:
        title = _feed_title(settings, category)
        for fmt, label in _FORMAT_LABELS.items():
            href = esc(_index_feed_href(category, fmt))
            alternates.append(
                f'<link rel="alternate" type="{_media_type(fmt)}" '
                f'title="{esc(f"{title} ({label})")}" href="{href}">'
            )

    sections = []
    for category in settings.categories:
        items = latest.get(category.name, ())
        parts = [f'<section id="{esc(category.name)}">', f"<h2>{esc(_clean(category.title))}</h2>"]
        if category.description:
            parts.append(f'<p class="desc">{esc(_clean(category.description))}</p>')
        if items:
            parts.append("<ol>")
            parts.extend(_headline(item, now, site.language) for item in items)
            parts.append("</ol>")
        else:
            parts.append(f'<p class="desc">{esc(strings["empty"])}</p>')
        parts.append(_subscribe_links(category, strings))
        parts.append("</section>")
        sections.append("\n".join(parts))

    description = f'<p class="desc">{esc(_clean(site.description))}</p>' if site.description else ""
    page = f"""<!DOCTYPE html>
<html lang="{esc(site.language)}" dir="{direction}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{GENERATOR} {__version__}">
<title>{esc(_clean(site.title))}</title>
{chr(10).join(alternates)}
<style>
{_CSS}
</style>
</head>
<body>
<header>
<h1>{esc(_clean(site.title))}</h1>
{description}
{_subscribe_links(None, strings, strings["all"])}
<p class="subscribe"><a href="sources.opml" type="text/x-opml">{esc(strings["opml"])}</a></p>
</header>
<main>
{chr(10).join(sections)}
</main>
</body>
</html>
"""
    return page.encode("utf-8")
