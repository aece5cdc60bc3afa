"""Feed bytes -> ``ParsedFeed``: the only module that knows feedparser and nh3 (with
``fastxml``, its fast path: feedparser's exact result for plain RSS and Atom, ~10x sooner).

Why the split of work: feedparser is good at the messy part (encodings from the HTTP header,
the XML prolog or a BOM; RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 dialects; ill-formed XML through
its loose parser; relative URLs against xml:base, Content-Location or the document URL).
Its sanitizer, though, only covers XML feeds and is slow pure Python, so we switch it off
and run every HTML field -- RSS, Atom and JSON Feed alike -- through one nh3 (ammonia)
whitelist. feedparser 6.0.14 has no JSON Feed parser, so JSON Feed is read here by hand.

Policy, chosen for a reader's sake:
- titles are plain text (tags stripped, entities decoded, whitespace collapsed); an item
  without a title gets "" and publish decides what to show;
- ``content_html`` comes from content:encoded / atom:content / content_html, ``summary_html``
  from description / summary; when both are the same text only ``content_html`` is kept;
- dates are aware UTC; a date more than two days ahead is dropped (it would pin the item to
  the top of every reader);
- only http(s) links survive; identity fallbacks are dedupe's job, not ours;
- the only exception that leaves this module is ``ParseError``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import io
import json
import logging
import re
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser
import feedparser.encodings
import nh3

from aggregator.errors import ParseError
from aggregator.models import ParsedFeed, ParsedItem

# fastxml is built from feedparser's internals (pinned in pyproject.toml): a feedparser
# that moved them makes its import fail, and every feed is read by feedparser alone.
try:
    from aggregator import fastxml
except Exception as e:  # ImportError, AttributeError: anything it needs is gone
    FAST_PATH_PROBLEM: str | None = f"{type(e).__name__}: {e}"
    logging.getLogger("aggregator.parse").warning(
        "feeds are read by feedparser alone (slower): the fast path needs feedparser "
        "internals this version lacks (%s); install the feedparser version "
        "pyproject.toml names",
        FAST_PATH_PROBLEM,
    )
else:
    FAST_PATH_PROBLEM = None

__all__ = [
    "cut_text",
    "decode_html",
    "finish_items",
    "parse_feed",
    "plain_text",
    "sanitize_html",
    "usable_date",
    "web_link",
]

# --- sanitizing ----------------------------------------------------------------------

_ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "div", "span", "a", "img",
        "ul", "ol", "li", "dl", "dt", "dd",
        "em", "strong", "b", "i", "u", "s", "del", "ins", "small", "sub", "sup", "mark",
        "q", "cite", "abbr", "bdi", "bdo",
        "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "code",
        "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
        "figure", "figcaption",
    }
)  # fmt: skip
# Tags whose *content* is dangerous or meaningless as text: dropped whole, not unwrapped.
_DROP_WITH_CONTENT = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
        "svg", "math", "noscript", "template", "xmp", "noembed", "noframes", "title",
        "textarea", "select", "button",
    }
)  # fmt: skip
_ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    # dir and lang matter for Arabic and other right-to-left text.
    "*": {"dir", "lang", "title"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed"},
}
_URL_SCHEMES = frozenset({"http", "https", "mailto"})
_WEB_SCHEMES = ("http", "https")

# C0/C1 control characters except tab, newline and carriage return: they break XML output.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACE_RE = re.compile(r"\s+")
# What no URL contains (RFC 3986 has no quote or angle bracket), and what turns a link into
# markup once a reader decodes it ("&lt" reads as "<" in HTML, even without ";").
_NOT_IN_URLS = re.compile(r"[<>\"]|&(lt|gt|quot)\b", re.IGNORECASE)
_TAG_START_RE = re.compile(r"<(?=[A-Za-z/!?])")
_FUTURE_SLACK = timedelta(days=2)
_EARLIEST = datetime(1970, 1, 2, tzinfo=UTC)
# Limits on absurd contents (see README, "Robustness"): longer text is cut, not refused.
MAX_TITLE_CHARS = 1_000
MAX_HTML_CHARS = 256 * 1024  # per summary or content, before and after sanitizing
MAX_AUTHOR_CHARS = 200
MAX_TAGS = 50
MAX_TAG_CHARS = 100
MAX_GUID_CHARS = 1_000  # a longer guid is replaced by its hash: still stable, still unique
MAX_LINK_CHARS = 8_192  # a longer link is dropped
MAX_ITEMS_PER_FEED = 1_000  # the newest ones are kept
_HARMLESS_BOZO = ("CharacterEncodingOverride", "NonXMLContentType")
# fastxml reads plain RSS and Atom ~10x faster than feedparser, to the same result; the
# tests switch it off to compare the two.
FAST_PATH = FAST_PATH_PROBLEM is None


def _relative_url_resolver(base: str | None) -> Callable[[str], str | None]:
    """Resolve what feedparser left relative (JSON Feed, or no base at all) or drop it."""

    def resolve(url: str) -> str | None:
        absolute = urllib.parse.urljoin(base, url) if base else url
        return absolute if _is_web_url(absolute) else None

    return resolve


def _make_cleaner(base: str | None) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(_ALLOWED_TAGS),
        clean_content_tags=set(_DROP_WITH_CONTENT),
        attributes={k: set(v) for k, v in _ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(_URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
        url_relative=_relative_url_resolver(base),
    )


_TEXT_CLEANER = nh3.Cleaner(tags=set(), clean_content_tags=set(_DROP_WITH_CONTENT))


def sanitize_html(fragment: str, *, base: str | None = None) -> str:
    """The one whitelist every published HTML field goes through (exposed for tests)."""
    return _make_cleaner(base).clean(_CONTROL_RE.sub("", fragment)).strip()


def _plain(text: str | None) -> str:
    """Markup-free, entity-decoded, single-spaced text for titles, names and tags."""
    if not text:
        return ""
    text = _CONTROL_RE.sub("", text)
    # Decoding entities can uncover markup ("&lt;b&gt;" escaped once too often, or a
    # broken tag the cleaner kept as text), so strip until decoding uncovers no tag.
    for _ in range(3):
        if _TAG_START_RE.search(text):
            text = _TEXT_CLEANER.clean(text)
        decoded = html.unescape(text)
        if decoded == text or not _TAG_START_RE.search(decoded):
            text = decoded
            break
        text = decoded
    else:
        text = _TAG_START_RE.sub("", text)
    return _SPACE_RE.sub(" ", _CONTROL_RE.sub("", text)).strip()


def _is_web_url(url: str | None) -> bool:
    if not url:
        return False
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in _WEB_SCHEMES and bool(parts.netloc)


def _web_link(url: Any, base: str | None) -> str | None:
    """An absolute http(s) link, or None. Markup where a URL should be (a broken feed's
    ``<link<![CDATA[<img onerror=...>]]>>``) is no link: a reader may show the link as a
    title, and some render titles as HTML."""
    if not isinstance(url, str) or not url.strip():
        return None
    url = _SPACE_RE.sub("%20", _CONTROL_RE.sub("", url).strip())  # a careless CMS's spaces
    if _NOT_IN_URLS.search(url):
        return None
    try:
        absolute = urllib.parse.urljoin(base, url) if base else url
    except ValueError:
        return None
    return absolute if _is_web_url(absolute) else None


# --- dates ---------------------------------------------------------------------------


def _usable(dt: datetime | None, now: datetime) -> datetime | None:
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    try:
        dt = dt.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
    # Before 1970-01-02 is a CMS's zero date (0000-00-00, epoch 0, 1900-01-01), not news.
    return None if dt > now + _FUTURE_SLACK or dt < _EARLIEST else dt


def _from_struct(value: Any, now: datetime) -> datetime | None:
    """feedparser's *_parsed fields are already UTC struct_time (or None)."""
    if not isinstance(value, time.struct_time | tuple) or len(value) < 6:
        return None
    try:
        return _usable(
            datetime(value[0], value[1], value[2], value[3], value[4], value[5], tzinfo=UTC), now
        )
    except (ValueError, OverflowError, TypeError):
        return None


def _from_iso(value: Any, now: datetime) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text[-1:] in "zZ":
        text = text[:-1] + "+00:00"
    try:
        return _usable(datetime.fromisoformat(text), now)
    except (ValueError, OverflowError):
        return None


# --- entry pieces --------------------------------------------------------------------


def _detail_html(detail: Mapping[str, Any] | None, clean: Callable[[str], str]) -> str:
    """An RSS/Atom text construct as safe HTML: plain text is escaped, not interpreted."""
    if not detail:
        return ""
    value = detail.get("value") or ""
    if not isinstance(value, str) or not value.strip():
        return ""
    if detail.get("type", "text/html") == "text/plain":
        return html.escape(_CONTROL_RE.sub("", value)).strip()
    return clean(value)


def _pick_content(contents: Iterable[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """Atom 0.3 may carry several <content>s; HTML beats XHTML beats plain text."""
    rank = {"text/html": 0, "application/xhtml+xml": 1, "text/plain": 3}
    usable = [c for c in contents if isinstance(c, Mapping) and (c.get("value") or "").strip()]
    if not usable:
        return None
    return min(usable, key=lambda c: rank.get(c.get("type", ""), 2))


def _summary_and_content(summary: str, content: str) -> tuple[str, str]:
    if summary and content and _SPACE_RE.sub(" ", summary) == _SPACE_RE.sub(" ", content):
        return "", content
    return summary, content


_EMAIL_NAME_RE = re.compile(r"^\s*[^\s@()<>]+@[^\s()<>]+\s*\((?P<name>.+)\)\s*$")
_NAME_EMAIL_RE = re.compile(r"^\s*(?P<name>[^<>]+?)\s*<[^\s@<>]+@[^\s<>]+>\s*$")


def _author_name(entry: Mapping[str, Any]) -> str | None:
    """The author's name. RSS writes "email (Name)"; feedparser 6 splits that at the wrong
    offsets when the name is not ASCII ("ple (سلمى" for "info@left.example (سلمى حداد)"),
    so the common shapes are taken apart here and feedparser's split is the fallback."""
    raw = entry.get("author")
    if isinstance(raw, str):
        match = _EMAIL_NAME_RE.match(raw) or _NAME_EMAIL_RE.match(raw)
        if match:
            return _plain(match.group("name")) or None
        if "@" not in raw:
            return _plain(raw) or None
    detail = entry.get("author_detail") or {}
    return _plain(detail.get("name") or raw) or None


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        if value and value not in seen:
            seen[value] = None
    return tuple(seen)


def _xml_item(
    entry: Mapping[str, Any], base: str | None, cleaner: nh3.Cleaner, now: datetime
) -> ParsedItem:
    def clean(fragment: str) -> str:
        return cleaner.clean(_CONTROL_RE.sub("", fragment)).strip()

    # Markup is stripped even from "plain text" titles: feeds mislabel them both ways, and
    # a title that reads "<script>..." is never what the author meant to show.
    title = _plain(entry.get("title"))

    content_detail = _pick_content(entry.get("content") or ())
    content = _detail_html(content_detail, clean)
    summary_detail = entry.get("summary_detail")
    summary = _detail_html(summary_detail, clean) if summary_detail else ""
    summary, content = _summary_and_content(summary, content)

    guid = entry.get("id")
    guid = _CONTROL_RE.sub("", guid).strip() if isinstance(guid, str) else ""

    author = _author_name(entry)

    tags = _unique(_plain(t.get("term")) for t in entry.get("tags") or () if isinstance(t, Mapping))

    published = (
        _from_struct(entry.get("published_parsed"), now)
        or _from_struct(entry.get("updated_parsed"), now)
        or _from_struct(entry.get("created_parsed"), now)
    )
    return ParsedItem(
        guid=guid or None,
        link=_web_link(entry.get("link"), base),
        title=title,
        summary_html=summary,
        content_html=content,
        author=author,
        published=published,
        updated=_from_struct(entry.get("updated_parsed"), now),
        tags=tags,
    )


# --- absurd contents -----------------------------------------------------------------


def _cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, at a space when one is near, marked with "…"."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ", limit - 80)
    return (head[:space] if space > 0 else head).rstrip() + "…"


def _cut_html(fragment: str, cleaner: nh3.Cleaner) -> str:
    """Sanitized HTML over the cap is cut and sanitized again, so no tag is left half-open."""
    while len(fragment) > MAX_HTML_CHARS:
        fragment = cleaner.clean(fragment[: MAX_HTML_CHARS - 1024]).strip()
    return fragment


def _bounded(item: ParsedItem, cleaner: nh3.Cleaner) -> ParsedItem:
    guid = item.guid
    if guid is not None and len(guid) > MAX_GUID_CHARS:
        guid = "sha256:" + hashlib.sha256(guid.encode("utf-8", "surrogatepass")).hexdigest()
    link = item.link if item.link is None or len(item.link) <= MAX_LINK_CHARS else None
    tags = tuple(_cut(t, MAX_TAG_CHARS) for t in item.tags[:MAX_TAGS])
    author = _cut(item.author, MAX_AUTHOR_CHARS) if item.author else item.author
    return dataclasses.replace(
        item,
        guid=guid,
        link=link,
        title=_cut(item.title, MAX_TITLE_CHARS),
        summary_html=_cut_html(item.summary_html, cleaner),
        content_html=_cut_html(item.content_html, cleaner),
        author=author,
        tags=tags,
    )


def _bounded_items(
    items: list[ParsedItem], cleaner: nh3.Cleaner, warnings: list[str]
) -> tuple[ParsedItem, ...]:
    """Every item within the limits above, at most the newest ``MAX_ITEMS_PER_FEED``, in
    document order. ``warnings`` says what was left out."""
    kept = [_bounded(item, cleaner) for item in items]
    if len(kept) > MAX_ITEMS_PER_FEED:
        warnings.append(f"{len(kept)} items: only the newest {MAX_ITEMS_PER_FEED} kept")
        # Undated items count as newest (they are dated when first seen); ties keep order.
        order = sorted(
            range(len(kept)),
            key=lambda i: (
                kept[i].published is not None,
                -(kept[i].published or _EARLIEST).timestamp(),
                i,
            ),
        )
        chosen = sorted(order[:MAX_ITEMS_PER_FEED])
        kept = [kept[i] for i in chosen]
    return tuple(kept)


# --- charsets servers get wrong ------------------------------------------------------

_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)[\"']?", re.IGNORECASE)
_PROLOG_ENCODING_RE = re.compile(rb"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([\w.:-]+)", re.I)
# An HTML page's own declaration: <meta charset=...> or <meta http-equiv content="...;
# charset=...">, which browsers look for in the first 1024 bytes.
_META_CHARSET_RE = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_UTF8_NAMES = frozenset({"utf-8", "utf8"})


def _arabic_share(text: str) -> float:
    """The share of Arabic letters among the non-ASCII characters of ``text``."""
    wide = [c for c in text if ord(c) > 127]
    if len(wide) < 10:
        return 0.0
    return sum(1 for c in wide if "\u0600" <= c <= "\u06ff") / len(wide)


def _with_charset(headers: Mapping[str, str], charset: str) -> dict[str, str]:
    out = dict(headers)
    ctype = out.get("content-type", "") or "application/xml"
    if _CHARSET_RE.search(ctype):
        out["content-type"] = _CHARSET_RE.sub(f"charset={charset}", ctype, count=1)
    else:
        out["content-type"] = f"{ctype}; charset={charset}"
    return out


def _correct_charset(
    body: bytes, headers: Mapping[str, str], *, html: bool = False
) -> tuple[bytes, Mapping[str, str], str | None]:
    """Fix the charset mistakes an Arabic portal meets, before feedparser decodes.

    - UTF-8 bytes served as ``charset=windows-1256`` (or any legacy code page): every
      byte is valid in the code page, so feedparser would produce mojibake without a
      complaint. Non-ASCII bytes that are valid UTF-8 are, in practice, never anything
      else, so we read them as UTF-8.
    - windows-1256 bytes labelled UTF-8, or not labelled at all: feedparser falls back to
      windows-1252. When they decode as mostly Arabic letters in windows-1256, we use it.
    - UTF-8 with a few broken bytes: repaired (U+FFFD) instead of the whole document
      falling back to a legacy code page (every Arabic title mojibake).
    The document's own declaration is the XML prolog's, or for an ``html`` page its
    ``<meta charset>``. Returns the body, the headers to give feedparser (with the
    charset to read it in, when one was decided) and a warning (or None).
    """
    if body[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in body[:4] or body.isascii():
        return body, headers, None  # UTF-16/32, or nothing to decode wrongly
    match = _CHARSET_RE.search(headers.get("content-type", ""))
    declared = match.group(1).lower() if match else None
    own = _META_CHARSET_RE.search(body[:1024]) if html else None
    prolog_match = own or _PROLOG_ENCODING_RE.match(body.removeprefix(b"\xef\xbb\xbf")[:512])
    prolog = prolog_match.group(1).decode("ascii").lower() if prolog_match else None
    said = declared or prolog
    if said and said.startswith(("utf-16", "utf-32", "ucs")):
        return body, headers, None
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if declared and declared not in _UTF8_NAMES:
            note = f"the header says charset={declared} but the body is UTF-8: read as UTF-8"
            return body, _with_charset(headers, "utf-8"), note
        return body, headers, None
    if said is not None and said not in _UTF8_NAMES:
        return body, headers, None  # a legacy charset, and the bytes are not UTF-8: trust it
    # UTF-8 but for a few bytes (a stray byte in one description): read as UTF-8, the bad
    # bytes replaced, before any guessing. Legacy text read as UTF-8 is the opposite: a
    # broken sequence nearly every letter, a valid one by chance at most.
    repaired = body.decode("utf-8", "replace")
    broken = repaired.count("\ufffd")
    valid = sum(1 for c in repaired if ord(c) > 127) - broken
    if valid >= 10 * broken:
        note = f"{broken} invalid UTF-8 sequence(s) replaced"
        return repaired.encode("utf-8"), _with_charset(headers, "utf-8"), note
    if _arabic_share(body.decode("cp1256", "replace")) > 0.6:
        note = f"the body is not {said or 'declared'} but windows-1256: read as windows-1256"
        return body, _with_charset(headers, "windows-1256"), note
    return body, headers, None


# --- XML entity declarations ---------------------------------------------------------

# Internal entities may expand to at most this much text in one document, in all.
MAX_ENTITY_EXPANSION = 1 << 20
_PREDEFINED_ENTITIES = frozenset({b"lt", b"gt", b"amp", b"quot", b"apos"})
_DTD_TOKEN_RE = re.compile(rb"[\"'\[\]>]|<!--")
_ENTITY_DECL_RE = re.compile(
    rb"<!ENTITY\s+(%\s*)?([^\s\"'>%]+)\s*(?:\"([^\"]*)\"|'([^']*)'|(SYSTEM|PUBLIC)\b)?"
)
_ENTITY_REF_RE = re.compile(rb"[&%]([^\s;&%#]+);")


def _prolog_end(text: bytes) -> int:
    """Where the first element starts: the only place an XML parser reads declarations.

    A linear scan that steps over processing instructions, comments and DOCTYPEs (quotes
    and internal subsets included), so a ``<b>`` inside an entity value is not mistaken
    for the root element, and ``<!ENTITY`` quoted in an article's CDATA is not looked at.
    """
    n = len(text)
    i = 0
    while True:
        j = text.find(b"<", i)
        if j < 0:
            return n
        nxt = text[j + 1 : j + 2]
        if nxt == b"?":
            k = text.find(b"?>", j + 2)
            i = n if k < 0 else k + 2
        elif text.startswith(b"<!--", j):
            k = text.find(b"-->", j + 4)
            i = n if k < 0 else k + 3
        elif text[j + 1 : j + 9].upper() == b"!DOCTYPE":
            i = _doctype_end(text, j + 9)
        elif nxt.isalpha() or nxt in (b"_", b":") or nxt[:1] >= b"\x80":
            return j
        else:
            i = j + 1
        if i >= n:
            return n


def _doctype_end(text: bytes, i: int) -> int:
    depth = 0
    n = len(text)
    while True:
        match = _DTD_TOKEN_RE.search(text, i)
        if match is None:
            return n
        token = match.group()
        if token in (b'"', b"'"):
            k = text.find(token, match.end())
            if k < 0:
                return n
            i = k + 1
        elif token == b"<!--":
            k = text.find(b"-->", match.end())
            if k < 0:
                return n
            i = k + 3
        elif token == b"[":
            depth += 1
            i = match.end()
        elif token == b"]":
            depth = max(0, depth - 1)
            i = match.end()
        elif depth == 0:  # ">"
            return match.end()
        else:
            i = match.end()


def _refuse_entity_bombs(body: bytes, headers: Mapping[str, str]) -> None:
    """Raise ParseError for a DOCTYPE whose entities would expand past a small bound.

    expat (feedparser's strict parser) expands internal entities, and only stops a
    "billion laughs" after several MB and seconds; feedparser's loose parser expands
    the simple ones it keeps. So, before either sees the document (decoded exactly as
    feedparser will decode it, so UTF-16 or UTF-7 hide nothing), we refuse:
    - an internal entity whose value refers to another entity (nested expansion),
    - internal parameter entities (they can smuggle in more declarations),
    - entities that would add more than ``MAX_ENTITY_EXPANSION`` characters in all
      (one long value referenced many times: "quadratic blowup").
    External entities (SYSTEM/PUBLIC) are left alone: no parser here ever resolves them,
    so a reference to one reads as nothing -- no file, no request.
    """
    text = feedparser.encodings.convert_to_utf8(dict(headers), body, feedparser.FeedParserDict())
    if b"<!ENTITY" not in text:
        return
    prolog = text[: _prolog_end(text)]
    expansion = 0
    for match in _ENTITY_DECL_RE.finditer(prolog):
        parameter, name, value = match.group(1), match.group(2), match.group(3)
        value = value if value is not None else match.group(4)
        if value is None:
            continue  # external, or no value a parser would accept
        if parameter:
            raise ParseError("refused: the DOCTYPE declares an internal parameter entity")
        nested = [r for r in _ENTITY_REF_RE.findall(value) if r not in _PREDEFINED_ENTITIES]
        if nested:
            raise ParseError(
                "refused: an entity in the DOCTYPE refers to other entities "
                "(an entity-expansion bomb)"
            )
        expansion += text.count(b"&" + name + b";") * len(value)
        if expansion > MAX_ENTITY_EXPANSION:
            raise ParseError(
                "refused: the DOCTYPE's entities would expand to more than "
                f"{MAX_ENTITY_EXPANSION // (1 << 20)} MB (an entity-expansion bomb)"
            )


# --- XML feeds (feedparser) ----------------------------------------------------------


def _feedparser_headers(url: str, headers: Mapping[str, str]) -> dict[str, str]:
    """feedparser reads the charset and the base URL from these, so give it both."""
    out = {str(k).lower(): str(v) for k, v in headers.items()}
    location = out.get("content-location", "")
    base = urllib.parse.urljoin(url, location) if url else location
    if base:
        out["content-location"] = base
    return out


def _bozo_text(result: Mapping[str, Any]) -> str:
    exc = result.get("bozo_exception")
    return f"{type(exc).__name__}: {exc}" if exc is not None else "not well-formed"


def _parse_xml(body: bytes, url: str, headers: Mapping[str, str]) -> ParsedFeed:
    body, headers, charset_note = _correct_charset(body, headers)
    response_headers = _feedparser_headers(url, headers)
    # The fast path gives feedparser's result for the plain feeds it models, or None. It
    # declines any document with an entity declaration, so the bomb check can wait.
    result = fastxml.read(body, response_headers) if FAST_PATH else None
    if result is None:
        _refuse_entity_bombs(body, headers)
        # A BytesIO, never the bytes themselves: feedparser would try to open() a bytes path.
        result = feedparser.parse(
            io.BytesIO(body),
            response_headers=response_headers,
            resolve_relative_uris=True,
            sanitize_html=False,
        )
    entries = result.get("entries") or []
    version = result.get("version") or ""
    if not version and not entries:
        reason = _bozo_text(result) if result.get("bozo") else "no feed elements found"
        raise ParseError(f"not a feed ({reason})")

    warnings: list[str] = [charset_note] if charset_note else []
    if result.get("bozo"):
        exc = result.get("bozo_exception")
        name = type(exc).__name__ if exc is not None else ""
        # A file has no Content-Type to complain about: that "warning" would be pure noise.
        no_header = name == "NonXMLContentType" and "content-type" not in headers
        if not no_header:
            prefix = "" if name in _HARMLESS_BOZO else "feed not well-formed, read leniently: "
            warnings.append(prefix + _bozo_text(result))

    if result.get("bozo") and entries:
        entries = _complete_entries(entries, body, headers, warnings)

    base = url if _is_web_url(url) else None
    cleaner = _make_cleaner(base)
    now = datetime.now(UTC)
    items: list[ParsedItem] = []
    for index, entry in enumerate(entries):
        try:
            items.append(_xml_item(entry, base, cleaner, now))
        except Exception as exc:  # one bad entry must not cost the others
            warnings.append(f"entry {index} skipped: {type(exc).__name__}: {exc}")

    feed = result.get("feed") or {}
    return ParsedFeed(
        title=_cut(_plain(feed.get("title")), MAX_TITLE_CHARS),
        link=_web_link(feed.get("link"), base),
        items=_bounded_items(_with_substance(items, warnings), cleaner, warnings),
        ttl=_ttl(feed.get("ttl")),
        warnings=tuple(warnings),
    )


# The end of the root element (``</rss>``, ``</feed>``, ``</rdf:RDF>``; ``</channel>`` for
# an RSS document that forgot ``</rss>``), then nothing but space and comments.
_ROOT_END_RE = re.compile(
    rb"</\s*(?:[\w.-]+:)?(?:rss|feed|rdf|channel)\s*>(?:\s|<!--.*?-->)*\Z",
    re.IGNORECASE | re.DOTALL,
)
_ENTRY_START_RE = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s/>]", re.IGNORECASE)
_ENTRY_END_RE = re.compile(rb"</\s*(?:[\w.-]+:)?(?:item|entry)\s*>", re.IGNORECASE)


def _complete_entries(
    entries: list[Any], body: bytes, headers: Mapping[str, str], warnings: list[str]
) -> list[Any]:
    """The entries of an ill-formed document that were written out whole.

    A document whose root element never ends was cut off (a file being rewritten, a
    connection dropped, a proxy's limit): feedparser's loose parser still hands back the
    entry it was in the middle of -- a title cut in two, a guid or date missing -- and
    stored, it would stay wrong for good (its id and date are fixed at first sight). So
    only the entries whose end tag arrived are kept; entries come in document order, so
    they are the first ones. A document that is whole but ill-formed keeps every entry.
    Raises ParseError when not one entry is complete."""
    text = feedparser.encodings.convert_to_utf8(dict(headers), body, feedparser.FeedParserDict())
    text = text.rstrip(b"\x00 \t\r\n")
    if _ROOT_END_RE.search(text[-4096:]):
        return entries
    starts = [m.start() for m in _ENTRY_START_RE.finditer(text)]
    last_end = max((m.start() for m in _ENTRY_END_RE.finditer(text)), default=-1)
    complete = len(entries)
    if starts and last_end < starts[-1]:  # the last entry began and never ended
        complete = min(len(entries), len(starts) - 1)
    if complete == 0:
        raise ParseError("the feed document is cut off before the end of its first entry")
    skipped = len(entries) - complete
    warnings.append(
        "the feed document is cut off"
        + (f": its last {skipped} entry skipped (incomplete)" if skipped else "")
    )
    return entries[:complete]


def _has_text(fragment: str) -> bool:
    return bool(_plain(fragment)) or "<img" in fragment


def _with_substance(items: list[ParsedItem], warnings: list[str]) -> list[ParsedItem]:
    """Only entries a reader can be shown: with a link, a title or some text (an image
    counts). An entry with none of them -- a bare guid, an author, an empty paragraph --
    is not news, and published it would lead a feed with a blank headline."""
    kept = [i for i in items if i.link or i.title or _has_text(i.summary_html + i.content_html)]
    if len(kept) < len(items):
        warnings.append(
            f"{len(items) - len(kept)} empty entries skipped (no link, no title, no text)"
        )
    return kept


def _ttl(value: Any) -> float | None:
    try:
        minutes = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return minutes * 60.0 if 0 < minutes < 1e7 else None


# --- JSON Feed -----------------------------------------------------------------------


def _looks_like_json(body: bytes, headers: Mapping[str, str]) -> bool:
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"{":
        return True
    ctype = headers.get("content-type", "").lower()
    return "json" in ctype and not head.startswith(b"<")


def _json_text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _json_item(raw: Any, base: str | None, cleaner: nh3.Cleaner, now: datetime) -> ParsedItem:
    if not isinstance(raw, Mapping):
        raise ValueError("item is not an object")

    def clean(fragment: str) -> str:
        return cleaner.clean(_CONTROL_RE.sub("", fragment)).strip()

    raw_id = raw.get("id")
    # Numeric ids break the spec but occur; they are still ids (3.1415 -> "3.1415").
    valid_id = isinstance(raw_id, str | int | float) and not isinstance(raw_id, bool)
    guid = str(raw_id).strip() if valid_id else ""
    guid = _CONTROL_RE.sub("", guid)

    content_html = _json_text(raw.get("content_html"))
    content_text = _json_text(raw.get("content_text"))
    if content_html.strip():
        content = clean(content_html)
    elif content_text.strip():
        content = html.escape(_CONTROL_RE.sub("", content_text)).strip()
    else:
        content = ""
    summary_text = _json_text(raw.get("summary"))  # plain text by the spec
    summary = html.escape(_CONTROL_RE.sub("", summary_text)).strip() if summary_text else ""
    summary, content = _summary_and_content(summary, content)

    authors = raw.get("authors")
    if not isinstance(authors, list):
        authors = [raw.get("author")]  # JSON Feed 1.0
    names = (_plain(_json_text(a.get("name"))) for a in authors if isinstance(a, Mapping))
    author = next((n for n in names if n), None)

    tags_raw = raw.get("tags")
    tags = (
        _unique(_plain(t) for t in tags_raw if isinstance(t, str))
        if isinstance(tags_raw, list)
        else ()
    )

    updated = _from_iso(raw.get("date_modified"), now)
    return ParsedItem(
        guid=guid or None,
        link=_web_link(raw.get("url"), base) or _web_link(raw.get("external_url"), base),
        title=_plain(_json_text(raw.get("title"))),
        summary_html=summary,
        content_html=content,
        author=author,
        published=_from_iso(raw.get("date_published"), now) or updated,
        updated=updated,
        tags=tags,
    )


def _parse_json(body: bytes, url: str) -> ParsedFeed:
    try:
        # strict=False: raw control characters inside strings are common and harmless.
        doc = json.loads(body, strict=False)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ParseError(f"not a feed (invalid JSON: {exc})") from exc
    if not isinstance(doc, Mapping):
        raise ParseError("not a feed (JSON document is not an object)")
    version = _json_text(doc.get("version"))
    raw_items = doc.get("items")
    if "jsonfeed.org/version/" not in version and not isinstance(raw_items, list):
        raise ParseError("not a feed (JSON without a JSON Feed version or items)")

    warnings: list[str] = []
    if "jsonfeed.org/version/" not in version:
        warnings.append(f"JSON Feed without a known version: {version!r}")
    base = url if _is_web_url(url) else None
    feed_url = _web_link(doc.get("feed_url"), base)
    base = base or feed_url
    cleaner = _make_cleaner(base)
    now = datetime.now(UTC)
    items: list[ParsedItem] = []
    for index, raw in enumerate(raw_items if isinstance(raw_items, list) else []):
        try:
            items.append(_json_item(raw, base, cleaner, now))
        except Exception as exc:  # one bad item must not cost the others
            warnings.append(f"item {index} skipped: {type(exc).__name__}: {exc}")
    return ParsedFeed(
        title=_cut(_plain(_json_text(doc.get("title"))), MAX_TITLE_CHARS),
        link=_web_link(doc.get("home_page_url"), base),
        items=_bounded_items(_with_substance(items, warnings), cleaner, warnings),
        ttl=None,
        warnings=tuple(warnings),
    )


# --- for the readers of sources without a feed (scrape, telegram) --------------------


def decode_html(body: bytes, headers: Mapping[str, str]) -> tuple[str, str | None]:
    """An HTML page's text, its charset read like a feed's (the HTTP header, else its
    ``<meta charset>``, with the same corrections: UTF-8 under a code page's label,
    undeclared or mislabelled windows-1256), and a warning when one was corrected."""
    lowered = {str(k).lower(): str(v) for k, v in headers.items()}
    if body[:3] == b"\xef\xbb\xbf":
        return body[3:].decode("utf-8", "replace"), None
    if body[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return body.decode("utf-16", "replace"), None
    if _is_utf8(body):  # whatever the label says (see _correct_charset)
        said = _page_charset(body, lowered)
        wrong = said is not None and said.lower() not in _UTF8_NAMES and not body.isascii()
        note = f"the page says charset={said} but is UTF-8: read as UTF-8" if wrong else None
        return body.decode("utf-8"), note
    body, corrected, note = _correct_charset(body, lowered, html=True)
    charset = _page_charset(body, corrected) or "windows-1252"  # what browsers assume
    try:
        return body.decode(charset, "replace"), note
    except LookupError:
        return body.decode("utf-8", "replace"), f"unknown charset {charset!r}: read as UTF-8"


def _page_charset(body: bytes, headers: Mapping[str, str]) -> str | None:
    match = _CHARSET_RE.search(headers.get("content-type", ""))
    if match:
        return match.group(1)
    meta = _META_CHARSET_RE.search(body[:1024])
    return meta.group(1).decode("ascii") if meta else None


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def plain_text(text: str | None) -> str:
    """Markup-free, entity-decoded, single-spaced text: what titles, names and tags are
    made of, from feeds and pages alike."""
    return _plain(text)


def web_link(url: str | None, base: str | None) -> str | None:
    """``url`` made absolute against ``base``, if it is an http(s) link and no markup."""
    return _web_link(url, base)


def cut_text(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at a word, marked with "…"."""
    return _cut(text, limit)


def finish_items(
    items: list[ParsedItem], base: str | None, warnings: list[str]
) -> tuple[ParsedItem, ...]:
    """The limits every feed's items get (see README, "Robustness"), for items read
    some other way: empty entries skipped, long fields cut, at most the newest
    ``MAX_ITEMS_PER_FEED``. ``warnings`` says what was left out."""
    cleaner = _make_cleaner(base)
    return _bounded_items(_with_substance(items, warnings), cleaner, warnings)


def usable_date(moment: datetime | None, now: datetime) -> datetime | None:
    """``moment`` in UTC, or None when no reader should see it (far ahead of ``now``, or
    a CMS's zero date)."""
    return _usable(moment, now)


# --- entry point ---------------------------------------------------------------------


def parse_feed(body: bytes, *, url: str, headers: Mapping[str, str]) -> ParsedFeed:
    """Read one fetched body. ``url`` is the final URL (the base for relative links);
    ``headers`` are the response headers with lower-cased names (empty for files).

    Raises ``ParseError`` -- and nothing else -- when the body is not a feed.
    """
    if not body or not body.strip():
        raise ParseError("not a feed (empty body)")
    lowered = {str(k).lower(): str(v) for k, v in headers.items()}
    try:
        if _looks_like_json(body, lowered):
            return _parse_json(body, url)
        return _parse_xml(body, url, lowered)
    except ParseError:
        raise
    except Exception as exc:  # feedparser and friends: never let their errors leak
        raise ParseError(f"cannot read feed: {type(exc).__name__}: {exc}") from exc
