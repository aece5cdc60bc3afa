"""The small immutable records that cross stage boundaries.

Read the pipeline top to bottom: ``Settings`` (config) names ``Source``s; fetch turns a
source into a ``Fetched``; parse turns that into a ``ParsedFeed`` of ``ParsedItem``s;
dedupe and classify decide identity and categories; store keeps ``StoredItem``s, which
publish renders. Nothing here does I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal, Protocol

from aggregator.errors import StorageError

# --- configuration -------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    title: str
    base_url: str  # absolute, no trailing slash
    language: str = "ar"
    max_items: int = 50
    description: str = ""
    websub_hub: str | None = None
    max_limit: int = 500  # the largest ?limit= a served feed accepts
    timezone: str = "UTC"  # IANA name: the pages show every date and time in it


@dataclass(frozen=True)
class Storage:
    path: str = "aggregator.db"
    retention_days: int = 180


@dataclass(frozen=True)
class PollSettings:
    interval: float = 900.0  # seconds
    timeout: float = 30.0  # seconds, for the whole fetch, not each read
    max_bytes: int = 10 * 1024 * 1024
    concurrency: int = 16
    per_host: int = 2


@dataclass(frozen=True)
class Category:
    name: str  # the slug used in paths: /feeds/{name}.rss
    title: str
    description: str = ""


@dataclass(frozen=True)
class Selector:
    """One field of a ``scrape:`` block: a CSS selector, and the attribute to read
    (``h2 a@href``), or None for the element itself (its text, or its HTML for a
    summary)."""

    css: str
    attr: str | None = None

    def __str__(self) -> str:
        return f"{self.css}@{self.attr}" if self.attr else self.css


@dataclass(frozen=True)
class ScrapeRules:
    """How to read a web page that has no feed: ``item`` selects each entry; the other
    selectors look inside it (with ``follow``, summary, date, image and author look at
    the entry's own page first). ``timezone`` is the page's, for dates written without
    one."""

    item: str
    title: Selector
    link: Selector | None = None
    date: Selector | None = None
    summary: Selector | None = None
    image: Selector | None = None
    author: Selector | None = None
    follow: bool = False
    timezone: str = "UTC"


SourceKind = Literal["feed", "page", "telegram"]


@dataclass(frozen=True)
class Source:
    name: str
    url: str  # http(s)://, file:// or an absolute path, as written in feeds.yaml
    categories: tuple[str, ...]
    interval: float | None = None  # seconds; None means poll.interval
    # feed: RSS, Atom, JSON Feed; page: an HTML page read by ``scrape``; telegram: a
    # public channel's web preview (t.me/s/NAME).
    kind: SourceKind = "feed"
    scrape: ScrapeRules | None = None  # for kind "page"


@dataclass(frozen=True)
class Rule:
    """``add`` a category or ``drop`` the item when its keywords match (normalized text)."""

    action: Literal["add", "drop"]
    category: str | None = None  # for add
    any: tuple[str, ...] = ()
    all: tuple[str, ...] = ()


@dataclass(frozen=True)
class DedupeSettings:
    enabled: bool = True  # the near-duplicate layer; guid and link dedupe always run
    window_hours: float = 72.0
    threshold: float = 0.32  # title+text similarity from which two items are one story

    @property
    def window(self) -> timedelta:
        return timedelta(hours=self.window_hours)


@dataclass(frozen=True)
class Settings:
    site: Site
    storage: Storage
    poll: PollSettings
    categories: tuple[Category, ...]
    sources: tuple[Source, ...]
    rules: tuple[Rule, ...] = ()
    dedupe: DedupeSettings = field(default_factory=DedupeSettings)
    path: str = "feeds.yaml"  # where these settings were read from, for messages

    def category(self, name: str) -> Category | None:
        return next((c for c in self.categories if c.name == name), None)

    def source_interval(self, source: Source) -> float:
        return source.interval if source.interval is not None else self.poll.interval


# --- fetch ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Validators:
    """What a conditional GET sends back: kept per source between polls."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Fetched:
    """One successful fetch. ``body`` is None when the server answered 304."""

    url: str  # the URL requested (the source's URL)
    final_url: str  # after redirects; the base for relative links
    status: int  # 200 or 304 (a file source whose mtime has not moved: 304)
    headers: Mapping[str, str]  # lower-cased names
    body: bytes | None
    validators: Validators
    permanent_redirect: str | None = None  # where a 301/308 said the feed now lives
    elapsed: float = 0.0  # seconds

    @property
    def not_modified(self) -> bool:
        return self.body is None


# --- parse ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Media:
    """A picture or an enclosure an item carries (RSS enclosure, media:*, a JSON Feed
    attachment, a page's or a Telegram message's photo): an absolute http(s) URL and what
    the source said of it."""

    url: str
    type: str | None = None  # MIME type, when given
    length: int | None = None  # bytes, when given
    width: int | None = None
    height: int | None = None
    medium: str | None = None  # "image", "audio", "video", when given or clear from type


@dataclass(frozen=True)
class ParsedItem:
    """One entry as the source published it, already sanitized and in UTC."""

    guid: str | None
    link: str | None  # absolute
    title: str  # plain text: markup stripped, entities decoded
    summary_html: str  # sanitized HTML ("" if none)
    content_html: str  # sanitized HTML ("" if none)
    author: str | None
    published: datetime | None  # UTC, aware; None when the source gave no usable date
    updated: datetime | None
    tags: tuple[str, ...] = ()
    image: Media | None = None  # the item's picture, if it has one
    enclosures: tuple[Media, ...] = ()  # podcasts' audio, video reports


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    link: str | None
    items: tuple[ParsedItem, ...]
    ttl: float | None = None  # seconds, from <ttl> or similar
    warnings: tuple[str, ...] = ()  # harmless parser complaints (e.g. encoding override)


# --- store and publish ---------------------------------------------------------------


@dataclass(frozen=True)
class SourceRef:
    """A source that carried an item, as shown to subscribers."""

    name: str
    url: str
    site: str | None = None  # its web site (the feed's own link), when the feed gave one


@dataclass(frozen=True)
class StoredItem:
    id: str  # stable forever: published as guid / id
    link: str | None
    title: str
    summary_html: str
    content_html: str
    author: str | None
    published: datetime  # original date, or first seen when the source gave none
    first_seen: datetime
    updated: datetime | None
    categories: tuple[str, ...]
    sources: tuple[SourceRef, ...]  # first source first; a story's: every item's sources
    # The other items of the story this item leads (near-duplicates from other outlets),
    # in the order they joined: their own article links, for the "also published by" line.
    related: tuple[RelatedItem, ...] = ()


@dataclass(frozen=True)
class RelatedItem:
    """Another outlet's telling of a published item's story."""

    id: str
    title: str
    link: str | None
    source: SourceRef


@dataclass(frozen=True)
class StoryMember:
    """One item that joined a story, and why (for `aggregator stories`)."""

    item_id: str
    title: str
    link: str | None
    source: SourceRef
    similarity: float
    rule: str  # dedupe.compare_stories' rule that fired
    at: datetime


@dataclass(frozen=True)
class MergedStory:
    """A story told by several items: its representative (the first stored) and the rest."""

    id: str
    title: str
    link: str | None
    published: datetime
    source: SourceRef | None
    members: tuple[StoryMember, ...]


@dataclass(frozen=True)
class SourceState:
    """What the store knows about polling one source (for `aggregator sources`)."""

    url: str
    name: str
    last_poll: datetime | None = None
    last_success: datetime | None = None
    last_status: int | None = None
    last_error: str | None = None
    error_count: int = 0
    next_poll: datetime | None = None
    items: int = 0
    validators: Validators = field(default_factory=Validators)
    body_hash: str | None = None
    fetch_url: str = ""  # where it is fetched now; differs from url after a 301 was adopted
    moved_to: str | None = None  # a 301 target seen once, adopted when seen again
    gone: bool = False  # the server said 410


@dataclass(frozen=True)
class PollOutcome:
    """How one source's poll ended, for the summary, the log and the metrics."""

    source: Source
    outcome: Literal["new", "unchanged", "not_modified", "error"]
    http_status: int | None = None
    new_items: int = 0  # published for the first time (not dropped, not joining a story)
    updated_items: int = 0
    joined_items: int = 0  # told a story (or carried an item) already published
    dropped_items: int = 0  # new, but a drop rule keeps them out of every feed
    new_by_category: Mapping[str, int] = field(default_factory=dict)
    error: str | None = None
    elapsed: float = 0.0
    touched: bool = False  # some published feed may have changed
    refused: StorageError | None = None  # the database's refusal to store this poll


@dataclass(frozen=True)
class StorySignature:
    """How the store finds an item's earlier near-duplicates: opaque to the store.

    ``bands`` are LSH keys (items sharing one may be one story), ``features`` the words
    dedupe compares them on, kept so candidates are verified without re-parsing them.
    """

    features: str
    bands: tuple[int, ...]


@dataclass(frozen=True)
class StoryPeer:
    """An earlier item found under a shared band key, as the store hands it to the matcher."""

    item_id: str
    story_id: str  # the story it belongs to: its own id when it leads one
    features: str


@dataclass(frozen=True)
class StoryMatch:
    """The matcher's verdict: join ``story_id``, how similar, by which rule."""

    story_id: str
    item_id: str  # the peer that matched
    similarity: float
    rule: str


class StoryMatcher(Protocol):
    """Decides, among the peers the store found by shared band keys, which story (if any)
    a new item joins. dedupe.StoryMatcher is the real one; the store only asks."""

    window: timedelta  # peers published further apart than this are never offered

    def match(self, signature: StorySignature, peers: Sequence[StoryPeer]) -> StoryMatch | None: ...


@dataclass(frozen=True)
class Candidate:
    """A parsed item with the decisions dedupe and classify made about it, ready to store."""

    item: ParsedItem
    keys: tuple[str, ...]  # identity keys, strongest first (see dedupe.identity_keys)
    categories: frozenset[str]
    dropped: bool = False
    story: StorySignature | None = None  # None: not matched against other stories
    search_text: str | None = None  # normalized words for the search index (None: compute)
    digest: str | None = None  # dedupe.content_hash of the item (None: compute)
    # Stored before from this very source with the same content (see parsepool.decide):
    # nothing to write, so the store skips it (and nothing else was decided about it).
    unchanged: bool = False


@dataclass(frozen=True)
class SaveResult:
    """What one source's update changed in the store."""

    new_ids: tuple[str, ...] = ()
    updated_ids: tuple[str, ...] = ()
    joined_ids: tuple[str, ...] = ()  # items already stored that this source now carries too
    merged_ids: tuple[str, ...] = ()  # new items that joined an earlier item's story
    dropped_ids: tuple[str, ...] = ()  # new items a drop rule keeps out of every feed
    new_by_category: Mapping[str, int] = field(default_factory=dict)
    touched_categories: frozenset[str] = frozenset()  # feeds whose content may have changed


@dataclass(frozen=True)
class Maintenance:
    """What one run of maintenance (retention, with the story index, WAL checkpoint) did."""

    pruned: int  # items older than storage.retention_days, deleted with their story words


@dataclass(frozen=True)
class Output:
    """A rendered published file, as stored and served."""

    path: str
    body: bytes
    content_type: str
    etag: str
    last_modified: datetime
