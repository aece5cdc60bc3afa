"""A public Telegram channel's web preview (``https://t.me/s/NAME``) -> ``ParsedFeed``.

Telegram shows the newest twenty or so messages of a public channel at t.me/s/NAME,
oldest first, with a "load older" link (``a.tme_messages_more[data-before=ID]``) to
``?before=ID``. Each message is a ``div.tgme_widget_message[data-post="NAME/ID"]``:

- its permalink ``https://t.me/NAME/ID`` is the item's link and guid (a mirror's copy of
  the same message is the same item);
- its ``time[datetime]`` the date; ``.tgme_widget_message_text`` the text: the first
  line (or, when long, its first sentence) is the title, the whole text (links and line
  breaks kept, through the sanitizer) the content;
- the first photo (``a.tgme_widget_message_photo_wrap``, a CSS background) is the image,
  or a video's thumbnail; a video is an enclosure;
- "Forwarded from X" names the author, else the post's signature where the channel signs;
- service messages ("Channel photo updated", pins) and messages with nothing to show
  (stickers, polls) are skipped.

Which pages a poll reads (``older_page``): the newest, then older ones back to the newest
message already stored, at most ``MAX_PAGES`` pages or ``MAX_MESSAGES`` messages (a first
poll stops there). A channel whose preview is off, or that does not exist (t.me/s/NAME
then redirects to t.me/NAME, a contact page), is a ``ParseError`` that says which.

selectolax is imported when a page is read, not with this module: configs name channels,
and loading a config must not load an HTML parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from aggregator.dates import parse_date
from aggregator.errors import ParseError
from aggregator.models import Media, ParsedFeed, ParsedItem
from aggregator.parse import (
    cut_text,
    decode_html,
    finish_items,
    plain_text,
    sanitize_html,
    usable_date,
    web_link,
)
from aggregator.text import html_to_text

__all__ = [
    "ChannelPage",
    "channel_name",
    "combine",
    "is_telegram_url",
    "newest_id",
    "older_page",
    "parse_channel",
    "preview_url",
]

HOSTS = frozenset({"t.me", "telegram.me", "www.t.me", "www.telegram.me"})
MAX_PAGES = 3  # the newest page and two older ones
MAX_MESSAGES = 100
TITLE_CHARS = 100  # a longer first line gives its first sentence
# Telegram user names: 5 to 32 letters, digits and underscores, starting with a letter.
_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
_NOT_CHANNELS = frozenset({"joinchat", "addstickers", "share", "proxy", "socks", "iv", "s"})
_BACKGROUND_RE = re.compile(r"background-image\s*:\s*url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
_BREAK_RE = re.compile(r"<br\s*/?>", re.I)
_SENTENCE_END_RE = re.compile(r"(?<=[.!?؟…])\s")
_POST_RE = re.compile(r"^([A-Za-z0-9_]+)/(\d+)$")


# --- addresses -------------------------------------------------------------------------


def is_telegram_url(url: str) -> bool:
    """A t.me or telegram.me address (which config takes for ``type: telegram``)."""
    try:
        return (urlsplit(url).hostname or "").lower() in HOSTS
    except ValueError:
        return False


def channel_name(url: str) -> str | None:
    """NAME in https://t.me/s/NAME or https://t.me/NAME, or None when ``url`` is no
    public channel's address (an invite link, a message's link, a sticker set)."""
    parts = [p for p in urlsplit(url).path.split("/") if p]
    if parts[:1] == ["s"]:
        parts = parts[1:]
    if len(parts) != 1 or parts[0].lower() in _NOT_CHANNELS or not _NAME_RE.match(parts[0]):
        return None
    return parts[0]


def preview_url(url: str) -> str:
    """Where the channel's messages are shown: https://t.me/s/NAME for a t.me address;
    a mirror's address (``type: telegram`` on another host) as it is."""
    if not is_telegram_url(url):
        return url
    name = channel_name(url)
    return f"https://t.me/s/{name}" if name else url


def newest_id(links: Iterable[str | None]) -> int | None:
    """The highest message id among stored items' links (https://t.me/NAME/ID)."""
    ids = [_link_id(link) for link in links if link]
    return max((i for i in ids if i is not None), default=None)


def _link_id(link: str) -> int | None:
    parts = [p for p in urlsplit(link).path.split("/") if p]
    return int(parts[-1]) if len(parts) == 2 and parts[-1].isdigit() else None


# --- one page of the preview -----------------------------------------------------------


@dataclass(frozen=True)
class ChannelPage:
    """One page of a channel's preview: its messages (oldest first, as shown), and the
    id its "load older" link asks for (None when there is nothing older)."""

    url: str
    feed: ParsedFeed
    ids: tuple[int, ...]  # every message's id on the page, service messages too
    before: int | None
    more_href: str | None = None


def parse_channel(
    body: bytes, *, url: str, headers: Mapping[str, str], now: datetime
) -> ChannelPage:
    """Read one t.me/s page. Raises ParseError for a page that shows no channel."""
    from selectolax.lexbor import LexborHTMLParser  # see the module docstring

    text, note = decode_html(body, headers)
    doc = LexborHTMLParser(text)
    wraps = doc.css("div.tgme_widget_message")
    info = doc.css_first(".tgme_channel_info")
    if not wraps and info is None:
        raise ParseError(_why_no_messages(doc, url))
    warnings = [note] if note else []
    items: list[ParsedItem] = []
    ids: list[int] = []
    for node in wraps:
        post = _POST_RE.match(node.attributes.get("data-post") or "")
        if post is None:
            continue
        ids.append(int(post.group(2)))
        classes = (node.attributes.get("class") or "").split()
        if "service_message" in classes:
            continue
        try:
            item = _message(node, post.group(1), post.group(2), url, now)
        except Exception as e:  # one odd message must not cost the others
            warnings.append(f"message {post.group(0)} skipped: {type(e).__name__}: {e}")
            continue
        if item is None:
            warnings.append(f"message {post.group(0)} skipped: nothing to show (a sticker or poll)")
        else:
            items.append(item)
    more = doc.css_first("a.tme_messages_more[data-before]")
    before = more.attributes.get("data-before") if more is not None else None
    title_node = doc.css_first(".tgme_channel_info_header_title") or doc.css_first(
        ".tgme_header_title"
    )
    name = channel_name(url)
    return ChannelPage(
        url=url,
        feed=ParsedFeed(
            title=plain_text(title_node.text() if title_node else name or ""),
            link=f"https://t.me/{name}" if name else url,
            items=finish_items(items, url, warnings),
            warnings=tuple(warnings),
        ),
        ids=tuple(ids),
        before=int(before) if before and before.isdigit() else None,
        more_href=more.attributes.get("href") if more is not None else None,
    )


def _why_no_messages(doc: Any, url: str) -> str:
    """What a page without messages says: the preview is off, or there is no channel."""
    name = channel_name(url) or urlsplit(url).path.strip("/").removeprefix("s/")
    page = doc.css_first(".tgme_page")
    if page is None:
        return f"not a Telegram channel's preview page ({url}): check the address"
    extra = page.css_first(".tgme_page_extra")
    counted = extra is not None and re.search(r"subscriber|member|مشترك|عضو", extra.text(), re.I)
    if counted:
        return (
            f"the channel @{name} has its web preview turned off (t.me/s/{name} shows no "
            "messages): it cannot be read without Telegram's app; remove the source"
        )
    return (
        f"no public channel @{name} (deleted, renamed, or private): check the name at "
        f"https://t.me/{name}, or remove the source"
    )


def _message(
    node: Any, channel: str, number: str, page_url: str, now: datetime
) -> ParsedItem | None:
    bubble = node.css_first(".tgme_widget_message_bubble") or node
    text_node = next(
        (n for n in bubble.css(".tgme_widget_message_text") if not _inside_reply(n, bubble)),
        None,
    )
    text_html = text_node.inner_html if text_node is not None else ""
    photos = [_background(n) for n in bubble.css("a.tgme_widget_message_photo_wrap")]
    thumbs = [_background(n) for n in bubble.css("i.tgme_widget_message_video_thumb")]
    videos = [n.attributes.get("src") for n in bubble.css("video.tgme_widget_message_video")]
    picture = next((web_link(p, page_url) for p in (*photos, *thumbs) if p), None)
    enclosures = tuple(
        Media(url=link, type="video/mp4", medium="video")
        for link in (web_link(v, page_url) for v in videos)
        if link
    )
    content = sanitize_html(text_html, base=page_url) if text_html.strip() else ""
    if not content and picture is None and not enclosures:
        return None
    when = bubble.css_first(".tgme_widget_message_date time[datetime]")
    published = None
    if when is not None:
        published = usable_date(parse_date(when.attributes.get("datetime") or "", now=now), now)
    forwarded = bubble.css_first(".tgme_widget_message_forwarded_from_name")
    signed = bubble.css_first(".tgme_widget_message_from_author")
    author = plain_text((forwarded or signed).text()) if (forwarded or signed) else None
    permalink = f"https://t.me/{channel}/{number}"
    return ParsedItem(
        guid=permalink,
        link=permalink,
        title=message_title(text_html),
        summary_html="",
        content_html=content,
        author=author or None,
        published=published,
        updated=None,
        image=Media(url=picture, medium="image") if picture else None,
        enclosures=enclosures,
    )


def _inside_reply(node: Any, bubble: Any) -> bool:
    parent = node.parent
    while parent is not None and parent is not bubble and parent.tag != "html":
        if "tgme_widget_message_reply" in (parent.attributes.get("class") or ""):
            return True
        parent = parent.parent
    return False


def _background(node: Any) -> str | None:
    match = _BACKGROUND_RE.search(node.attributes.get("style") or "")
    return match.group(1) if match else None


def message_title(text_html: str) -> str:
    """A message's title: its first line, or when that is long its first sentence, or
    its start, cut at a word."""
    for segment in _BREAK_RE.split(text_html):
        line = plain_text(html_to_text(segment))
        if not line:
            continue
        if len(line) <= TITLE_CHARS:
            return line
        first = _SENTENCE_END_RE.split(line, maxsplit=1)[0].rstrip(".")
        return first if len(first) <= TITLE_CHARS else cut_text(line, TITLE_CHARS)
    return ""


# --- paging ------------------------------------------------------------------------------


def older_page(pages: Sequence[ChannelPage], newest_seen: int | None) -> str | None:
    """The next page to read after ``pages`` (newest first), or None: stop once a page
    reaches the newest message already stored, when nothing is older, or at the bounds."""
    if not pages or len(pages) >= MAX_PAGES:
        return None
    if sum(len(p.ids) for p in pages) >= MAX_MESSAGES:
        return None
    last = pages[-1]
    if last.before is None or not last.ids:
        return None
    if newest_seen is not None and min(last.ids) <= newest_seen + 1:
        return None  # what is older is stored already
    if last.more_href:
        target = urljoin(last.url, last.more_href)
        if urlsplit(target).netloc == urlsplit(last.url).netloc:
            return target
    parts = urlsplit(last.url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("before", "after")]
    query.append(("before", str(last.before)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def combine(pages: Sequence[ChannelPage]) -> ParsedFeed:
    """The pages of one poll as one feed, newest message first, each message once."""
    first = pages[0].feed
    seen: set[str] = set()
    items: list[ParsedItem] = []
    for page in pages:
        for item in reversed(page.feed.items):  # each page shows its oldest first
            if item.guid not in seen:
                seen.add(item.guid or "")
                items.append(item)
    warnings = [w for page in pages for w in page.feed.warnings]
    return ParsedFeed(
        title=first.title, link=first.link, items=tuple(items), warnings=tuple(warnings)
    )
