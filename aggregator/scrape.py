"""A web page without a feed -> ``ParsedFeed``, by the CSS selectors of its ``scrape:``.

``item`` selects each entry; ``title``, ``link``, ``date``, ``summary``, ``image`` and
``author`` select inside it, the first match counting (``selector@attr`` reads an
attribute, a bare ``@attr`` the entry's own). Values become what feeds give: titles plain
text, summaries through the one sanitizer, links and images absolute http(s) URLs (against
the page's ``<base href>`` or its address), dates read by ``aggregator.dates`` in the
page's time zone, every field within the limits feeds get. Without ``@attr``: a link is
the element's ``href`` (or its first link's), an image its ``src`` (or a lazy loader's
``data-src``, or a CSS background), a summary its HTML, anything else its text.

A page on which ``item`` selects nothing, or whose entries have neither a title nor a
link, fails with "selectors matched nothing": a site redesign must be seen, not polled
as a quiet source forever.

With ``follow: true`` each new entry's own page is fetched once (``pipeline`` does that
through the fetcher, with its per-host limit and size cap); ``followed`` reads the
summary, date, image and author selectors there, falling back to the list's values.

``suggest_rules`` proposes a ``scrape:`` block for a page, from its repeated structure.

Parsed with selectolax (lexbor): an HTML5 parser builds the tree a browser builds, so a
selector copied from the browser's inspector (``table > tbody > tr``) matches here too,
which libxml2's HTML parser (lxml) does not guarantee; it is also the faster of the two
(bench/bench_scrape.py). Imported when a page is read or a selector checked, never by
a poll of feeds alone.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from aggregator.dates import parse_date
from aggregator.dedupe import identity_keys
from aggregator.errors import ParseError
from aggregator.models import Media, ParsedFeed, ParsedItem, ScrapeRules, Selector
from aggregator.parse import (
    decode_html,
    finish_items,
    plain_text,
    sanitize_html,
    usable_date,
    web_link,
)
from aggregator.text import html_to_text

__all__ = [
    "css_problem",
    "followed",
    "parse_page",
    "split_selector",
    "suggest_rules",
    "unseen",
]

MAX_FOLLOW = 50  # entry pages fetched in one poll; the rest keep what the list says
_ATTR_RE = re.compile(r"^(.*?)@([A-Za-z_:][-\w:.]*)$", re.S)
_LAZY_SOURCES = ("src", "data-src", "data-lazy-src", "data-original", "data-srcset", "srcset")
_PLACEHOLDER_RE = re.compile(
    r"(blank|spacer|placeholder|pixel|lazy)[\w-]*\.(gif|png|svg)$|^data:", re.I
)
_BACKGROUND_RE = re.compile(r"background-image\s*:\s*url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
# "كتب: أحمد", "كتبت منى", "بقلم: ...", "By ...": the name is what follows.
_BYLINE_RE = re.compile(r"^\s*(?:كتب|كتبت|بقلم|إعداد|اعداد|by)\s*[:：-]?\s+", re.I)


def _document(text: str) -> Any:
    from selectolax.lexbor import LexborHTMLParser

    return LexborHTMLParser(text)


# --- selectors ---------------------------------------------------------------------------


def split_selector(text: str) -> Selector:
    """``"h2 a@href"`` -> Selector("h2 a", "href"); an ``@`` inside brackets or quotes
    (``a[href^="mailto:x@y"]``) belongs to the CSS."""
    match = _ATTR_RE.match(text.strip())
    if match and match.group(1).count("[") == match.group(1).count("]"):
        css = match.group(1).strip()
        if css.count('"') % 2 == 0 and css.count("'") % 2 == 0:
            return Selector(css=css, attr=match.group(2))
    return Selector(css=text.strip())


def css_problem(css: str) -> str | None:
    """Why ``css`` is not a CSS selector this parser takes, or None."""
    if not css.strip():
        return "is empty"
    try:
        _document("<p></p>").css(css)
    except Exception:  # selectolax says only that it could not parse it
        return f"{css!r} is not a valid CSS selector"
    return None


# --- one page ----------------------------------------------------------------------------


def parse_page(
    body: bytes, *, url: str, headers: Mapping[str, str], rules: ScrapeRules, now: datetime
) -> ParsedFeed:
    """The entries ``rules`` select on one page. Raises ParseError when they select none."""
    if not body or not body.strip():
        raise ParseError("not a web page (empty body)")
    text, note = decode_html(body, headers)
    doc = _document(text)
    base = _base(doc, url)
    entries = doc.css(rules.item)
    if not entries:
        raise ParseError(
            f"selectors matched nothing: item {rules.item!r} selects no entry on the page "
            "(did the site change?); see what the selectors find with `aggregator try-source`"
        )
    warnings: list[str] = [note] if note else []
    zone = _zone(rules)
    items: list[ParsedItem] = []
    undated: list[str] = []
    for index, entry in enumerate(entries):
        try:
            item, date_text = _entry(entry, rules, base, now, zone)
        except Exception as e:  # one odd entry must not cost the others
            warnings.append(f"entry {index} skipped: {type(e).__name__}: {e}")
            continue
        if date_text and item.published is None:
            undated.append(date_text)
        items.append(item)
    if not any(i.title or i.link for i in items):
        fields = " and ".join(
            f"{k} {str(s)!r}" for k, s in (("title", rules.title), ("link", rules.link)) if s
        )
        raise ParseError(
            f"selectors matched nothing: {fields} match in none of the {len(entries)} "
            f"entries {rules.item!r} selects; see what they find with `aggregator try-source`"
        )
    if undated:
        shown = ", ".join(repr(t) for t in undated[:3])
        warnings.append(f"{len(undated)} date(s) not understood, dated when first seen: {shown}")
    title = doc.css_first("title")
    return ParsedFeed(
        title=plain_text(title.text() if title is not None else ""),
        link=web_link(url, None),
        items=finish_items(items, base, warnings),
        warnings=tuple(warnings),
    )


def _base(doc: Any, url: str) -> str:
    tag = doc.css_first("base[href]")
    found = web_link(tag.attributes.get("href"), url) if tag is not None else None
    return found or url


def _zone(rules: ScrapeRules) -> tzinfo:
    return UTC if rules.timezone == "UTC" else ZoneInfo(rules.timezone)


def _entry(
    entry: Any, rules: ScrapeRules, base: str, now: datetime, zone: tzinfo
) -> tuple[ParsedItem, str | None]:
    """One entry, and the date text it gave (to report the ones not understood)."""
    title_node, title_attr = _first(entry, rules.title)
    title = ""
    if title_node is not None:
        raw = title_node.attributes.get(title_attr) if title_attr else None
        title = plain_text(raw) if title_attr else plain_text(html_to_text(title_node.html or ""))
    link = _link(entry, rules.link, base) if rules.link else None
    date_text = _text(entry, rules.date)
    published = _date(date_text, now, zone)
    summary = _summary(entry, rules.summary, base)
    item = ParsedItem(
        guid=None,
        link=link,
        title=title,
        summary_html=summary,
        content_html="",
        author=_author(_text(entry, rules.author)),
        published=published,
        updated=None,
        image=_image(entry, rules.image, base),
    )
    return item, date_text


def _first(scope: Any, selector: Selector | None) -> tuple[Any, str | None]:
    if selector is None:
        return None, None
    if not selector.css:
        return scope, selector.attr
    return scope.css_first(selector.css), selector.attr


def _text(scope: Any, selector: Selector | None) -> str | None:
    node, attr = _first(scope, selector)
    if node is None:
        return None
    value = node.attributes.get(attr) if attr else html_to_text(node.html or "")
    return value.strip() if value and value.strip() else None


def _date(text: str | None, now: datetime, zone: tzinfo) -> datetime | None:
    return usable_date(parse_date(text, now=now, tz=zone), now) if text else None


def _link(scope: Any, selector: Selector, base: str) -> str | None:
    node, attr = _first(scope, selector)
    if node is None:
        return None
    if attr:
        return web_link(node.attributes.get(attr), base)
    href = node.attributes.get("href")
    if href is None:
        inner = node.css_first("a[href]")
        href = inner.attributes.get("href") if inner is not None else None
    return web_link(href, base)


def _summary(scope: Any, selector: Selector | None, base: str) -> str:
    node, attr = _first(scope, selector)
    if node is None:
        return ""
    if attr:
        value = node.attributes.get(attr) or ""
        return html.escape(value.strip())
    return sanitize_html(node.html or "", base=base)


def _image(scope: Any, selector: Selector | None, base: str) -> Media | None:
    node, attr = _first(scope, selector)
    if node is None:
        return None
    if attr:
        found = web_link(_first_url(node.attributes.get(attr)), base)
        return Media(url=found, medium="image") if found else None
    if node.tag != "img":
        node = node.css_first("img") or node
    for name in _LAZY_SOURCES:
        candidate = _first_url(node.attributes.get(name))
        if candidate and not _PLACEHOLDER_RE.search(candidate):
            found = web_link(candidate, base)
            if found:
                return Media(url=found, medium="image")
    style = _BACKGROUND_RE.search(node.attributes.get("style") or "")
    found = web_link(style.group(1), base) if style else None
    return Media(url=found, medium="image") if found else None


def _first_url(value: str | None) -> str | None:
    """The first URL of a ``srcset`` ("a.jpg 1x, b.jpg 2x"), or the value itself."""
    if not value or not value.strip():
        return None
    return value.strip().split(",")[0].strip().split()[0]


def _author(text: str | None) -> str | None:
    return plain_text(_BYLINE_RE.sub("", text)) or None if text else None


# --- follow: true ------------------------------------------------------------------------


def unseen(
    source_url: str, items: Sequence[ParsedItem], known: Mapping[str, str]
) -> list[ParsedItem]:
    """The items not stored yet (``known``: Store.known_content), to follow."""
    return [i for i in items if not any(k in known for k in identity_keys(source_url, i))]


def followed(
    page: ParsedFeed,
    new: Sequence[ParsedItem],
    pages: Mapping[str, tuple[bytes, Mapping[str, str], str] | str],
    rules: ScrapeRules,
    now: datetime,
) -> ParsedFeed:
    """``page`` with only its ``new`` items, each completed from its own page:
    ``pages`` maps an item's link to (body, headers, final URL) or to why it could not
    be fetched. Entries stored before are left out: what the store has came from their
    own pages, and the list's shorter values must not overwrite it."""
    zone = _zone(rules)
    warnings = list(page.warnings)
    items: list[ParsedItem] = []
    for item in new:
        got = pages.get(item.link or "")
        if isinstance(got, tuple):
            body, headers, final = got
            try:
                item = _completed(item, body, headers, final, rules, now, zone)
            except Exception as e:
                warnings.append(f"{item.link}: its page could not be read: {type(e).__name__}: {e}")
        elif isinstance(got, str):
            warnings.append(
                f"{item.link}: its page could not be fetched ({got}): the list's fields kept"
            )
        items.append(item)
    return replace(page, items=finish_items(items, page.link, warnings), warnings=tuple(warnings))


def _completed(
    item: ParsedItem,
    body: bytes,
    headers: Mapping[str, str],
    url: str,
    rules: ScrapeRules,
    now: datetime,
    zone: tzinfo,
) -> ParsedItem:
    text, _note = decode_html(body, headers)
    doc = _document(text)
    base = _base(doc, url)
    root = doc.root
    summary = _summary(root, rules.summary, base)
    published = _date(_text(root, rules.date), now, zone)
    return replace(
        item,
        summary_html=summary or item.summary_html,
        published=published or item.published,
        image=_image(root, rules.image, base) or item.image,
        author=_author(_text(root, rules.author)) or item.author,
    )


# --- suggestions for `aggregator add` ---------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    rules: ScrapeRules
    entries: int  # how many entries the rules select on the page


_CONTAINERS = ("article", "li", "div", "tr", "section")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5")


def suggest_rules(body: bytes, *, url: str, headers: Mapping[str, str]) -> Suggestion | None:
    """A ``scrape:`` block for a page's repeated entries (articles, list items, cards
    with a link), or None when the page repeats nothing that looks like news.

    The candidates: elements of one tag and class repeated at least three times, each
    holding a link with text. The best has the most such entries with a heading, a date
    or a picture; its selectors are the ones most of its entries share."""
    text, _note = decode_html(body, headers)
    doc = _document(text)
    groups: Counter[str] = Counter()
    for tag in _CONTAINERS:
        for node in doc.css(tag):
            if node.css_first("a[href]") is None:
                continue
            groups[_signature(node)] += 1
    best: tuple[float, str, list[Any]] | None = None
    for signature, count in groups.items():
        if count < 3:
            continue
        nodes = [n for n in doc.css(signature) if n.css_first("a[href]") is not None]
        # Entries hold links with words; menus hold links with one or two.
        texts = [
            len(plain_text(html_to_text(_heading_or_link(n).html or "")).split()) for n in nodes
        ]
        wordy = sum(1 for t in texts if t >= 4)
        if wordy < 3:
            continue
        score = wordy * (
            1
            + 2 * _share(nodes, ",".join(_HEADINGS))
            + _share(nodes, "time, .date, [class*=date]")
            + _share(nodes, "img")
            + _share(nodes, "p, .summary, [class*=excerpt], [class*=summary], [class*=brief]")
        )
        if best is None or score > best[0]:
            best = (score, signature, nodes)
    if best is None:
        return None
    _score, item, nodes = best
    rules = ScrapeRules(
        item=item,
        title=Selector(_common(nodes, _HEADINGS) or "a"),
        link=Selector(
            f"{_common(nodes, _HEADINGS)} a" if _common(nodes, _HEADINGS) else "a", "href"
        ),
        date=_date_selector(nodes),
        summary=_summary_selector(nodes),
        image=_image_selector(nodes),
    )
    parsed = parse_page(body, url=url, headers=headers, rules=rules, now=datetime.now(UTC))
    return Suggestion(rules=rules, entries=len(parsed.items))


def _signature(node: Any) -> str:
    classes = [c for c in (node.attributes.get("class") or "").split() if _plain_class(c)]
    return node.tag + (f".{classes[0]}" if classes else "")


def _plain_class(name: str) -> bool:
    return bool(re.match(r"^[A-Za-z_][-\w]*$", name)) and not re.search(r"\d{2,}", name)


def _heading_or_link(node: Any) -> Any:
    for tag in _HEADINGS:
        found = node.css_first(tag)
        if found is not None:
            return found
    return node.css_first("a[href]")


def _share(nodes: Sequence[Any], css: str) -> float:
    return sum(1 for n in nodes if n.css_first(css) is not None) / len(nodes)


def _common(nodes: Sequence[Any], tags: Sequence[str]) -> str | None:
    for tag in tags:
        if _share(nodes, f"{tag} a[href]") >= 0.6:
            return tag
    return None


def _date_selector(nodes: Sequence[Any]) -> Selector | None:
    if _share(nodes, "time[datetime]") >= 0.6:
        return Selector("time", "datetime")
    for css, word in (
        ("time", None),
        (".date", None),
        ("[class*=date]", "date"),
        ("[class*=posted]", "posted"),
        ("[class*=published]", "published"),
        ("[class*=time]", "time"),
    ):
        # A date is a few words: a wrapper whose class mentions "date" is not one.
        short = [n.css_first(css) for n in nodes]
        dates = [f for f in short if f is not None and len(html_to_text(f.html or "")) <= 60]
        if len(dates) >= 0.6 * len(nodes):
            return Selector(_class_of(dates, word) or css if word else css)
    return None


def _summary_selector(nodes: Sequence[Any]) -> Selector | None:
    for css, word in (
        (".summary", None),
        ("[class*=excerpt]", "excerpt"),
        ("[class*=summary]", "summary"),
        ("[class*=brief]", "brief"),
        ("[class*=lead]", "lead"),
        ("p", None),
    ):
        found = [f for n in nodes if (f := n.css_first(css)) is not None]
        if len(found) >= 0.6 * len(nodes):
            return Selector(_class_of(found, word) or css if word else css)
    return None


def _image_selector(nodes: Sequence[Any]) -> Selector | None:
    if _share(nodes, "img") < 0.5:
        return None
    lazy = sum(
        1
        for n in nodes
        if (img := n.css_first("img")) is not None and img.attributes.get("data-src")
    )
    return Selector("img", "data-src" if lazy >= len(nodes) / 2 else "src")


def _class_of(found: Sequence[Any], word: str) -> str | None:
    """The class with ``word`` in it (``.posted-on``) that most of ``found`` share."""
    classes: Counter[str] = Counter()
    for node in found:
        for name in (node.attributes.get("class") or "").split():
            if word in name.lower() and _plain_class(name):
                classes[name] += 1
    if not classes:
        return None
    name, count = classes.most_common(1)[0]
    return f".{name}" if count >= 0.6 * len(found) else None
