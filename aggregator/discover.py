"""Find the feed behind a web page address, and prove it parses, before anyone subscribes.

An operator pastes whatever the browser shows: a site's home page more often than its
feed. Pages announce their feeds with ``<link rel="alternate" type="application/rss+xml"
href=…>`` (or Atom, or JSON Feed) in the head; the first one is by convention the main
feed (comment feeds come later). So: fetch the address; if it is a feed, done; if it is
HTML, try its announced feeds in document order, resolved against the page's final URL,
and take the first that fetches and parses. Fetching and parsing go through the same
``fetch`` and ``parse`` stages a poll uses, so what passes here will poll.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

from aggregator.errors import AggregatorError, FetchError, ParseError
from aggregator.fetch import Fetcher
from aggregator.models import Fetched, ParsedFeed, PollSettings
from aggregator.parse import parse_feed

__all__ = ["Discovered", "PageWithoutFeed", "discover_feed", "feed_links"]

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",  # JSON Feed 1.0 pages sometimes announce it so
    "application/rdf+xml",
)
MAX_CANDIDATES = 5


@dataclass(frozen=True)
class Discovered:
    url: str  # the feed's own URL
    page: str | None  # the page it was found on, when the address was a page
    feed: ParsedFeed


class PageWithoutFeed(AggregatorError):
    """The address is a web page that announces no feed; ``page`` is what was fetched
    (`aggregator add` then suggests selectors for it)."""

    def __init__(self, message: str, page: Fetched) -> None:
        super().__init__(message)
        self.page = page


class _AlternateLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (href, type)
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "").strip() for k, v in attrs}
        if tag == "base" and values.get("href") and self.base is None:
            self.base = values["href"]
        if tag not in ("link", "a"):
            return
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().split(";")[0].strip()
        if "alternate" in rels and kind in FEED_TYPES and values.get("href"):
            self.links.append((values["href"], kind))


def feed_links(html_text: str, page_url: str) -> list[str]:
    """The feeds a page announces, absolute, in document order, without repeats."""
    parser = _AlternateLinks()
    try:
        parser.feed(html_text)
        parser.close()
    except Exception:  # HTMLParser is lenient; a page it chokes on just announces nothing
        pass
    base = urljoin(page_url, parser.base) if parser.base else page_url
    out: list[str] = []
    for href, _kind in parser.links:
        absolute = urljoin(base, href)
        if absolute not in out and absolute.split(":", 1)[0].lower() in ("http", "https"):
            out.append(absolute)
    return out


def _looks_like_html(fetched: Fetched) -> bool:
    kind = fetched.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in ("text/html", "application/xhtml+xml"):
        return True
    head = (fetched.body or b"")[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _decode(fetched: Fetched) -> str:
    charset = "utf-8"
    for part in fetched.headers.get("content-type", "").split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            charset = value.strip("\"' ")
    try:
        return (fetched.body or b"").decode(charset, errors="replace")
    except LookupError:
        return (fetched.body or b"").decode("utf-8", errors="replace")


def _parse(fetched: Fetched) -> ParsedFeed:
    if fetched.body is None:
        raise ParseError("the server sent no body")
    return parse_feed(fetched.body, url=fetched.final_url, headers=fetched.headers)


async def discover_feed(url: str, poll: PollSettings) -> Discovered:
    """The feed at ``url`` or announced by the page at ``url``; raises AggregatorError
    with what was tried and what to do next."""
    async with Fetcher(poll) as fetcher:
        try:
            fetched = await fetcher.fetch(url)
        except FetchError as e:
            raise AggregatorError(
                f"cannot fetch {url}: {e.message}; check the address in a browser, "
                "and try again later if the site is down"
            ) from e
        if not _looks_like_html(fetched):
            try:
                return Discovered(url=url, page=None, feed=_parse(fetched))
            except ParseError as e:
                raise AggregatorError(
                    f"{url} is neither a feed nor a web page ({e.message}); give the "
                    "address of the site's feed or of a page that links to it"
                ) from e
        candidates = feed_links(_decode(fetched), fetched.final_url)
        if not candidates:
            raise PageWithoutFeed(
                f'{url} is a web page that announces no feed (no <link rel="alternate" '
                'type="application/rss+xml"> or Atom/JSON Feed link): find the feed '
                "address on the site (often /feed, /rss or /atom.xml) and add that",
                fetched,
            )
        problems: list[str] = []
        for candidate in candidates[:MAX_CANDIDATES]:
            try:
                feed = _parse(await fetcher.fetch(candidate))
                return Discovered(url=candidate, page=url, feed=feed)
            except (FetchError, ParseError) as e:
                problems.append(f"{candidate}: {e.message}")
        raise AggregatorError(
            f"{url} announces {len(candidates)} feed(s) but none could be read: "
            + "; ".join(problems)
            + ". Try again later, or add the feed address directly once it works"
        )
