"""A fast path for ``parse``: plain, well-formed RSS 2.0, RSS 1.0 and Atom 1.0, read into
the same feedparser-shaped result that ``feedparser.parse`` gives -- or ``None``, and
``parse`` asks feedparser.

Why it is exact rather than "close": feedparser reads a well-formed document with expat
(its "strict" parser) and builds every field through a set of element handlers and
``_FeedParserMixin.pop``. This module drives the same expat with the same settings, names
each element the way feedparser's ``startElementNS``/``unknown_starttag`` do, tracks the
base URI as they do, and for the elements it models repeats what their handlers do to the
text -- calling feedparser's own functions wherever they are pure (``convert_to_utf8``,
``_parse_date``, ``_urljoin``, ``make_safe_absolute_uri``, ``looks_like_html``). The costly
step, ``resolve_relative_uris`` (a pure-Python sgmllib round trip over every HTML field),
is replaced by ``resolve_html``: the same string, for the HTML feeds actually use.

It declines (returns ``None``) when expat rejects the document, for a DOCTYPE or entity
declaration, an encoding that is not an ASCII superset, XHTML or base64 text constructs,
an element with a feedparser handler it does not model (``media:title``, ``itunes:*``,
``dc:title``, Atom's ``<source>``...) or that could write a field ``parse`` reads, and HTML
outside ``resolve_html``'s subset. Any exception inside also means ``None``: feedparser's
answer is right by definition, so a surprise here costs time, never correctness.

Only ``parse`` imports this module; like ``parse``, it is feedparser's territory.
"""

from __future__ import annotations

import _markupbase
import codecs
import contextlib
import functools
import html.entities
import re
import urllib.parse
import xml.parsers.expat
from collections.abc import Mapping
from typing import Any

from feedparser import encodings
from feedparser.datetimes import _parse_date
from feedparser.encodings import convert_to_utf8
from feedparser.exceptions import NonXMLContentType
from feedparser.html import _BaseHTMLProcessor, _cp1252
from feedparser.mixin import _FeedParserMixin
from feedparser.sgml import sgmllib
from feedparser.urls import RelativeURIResolver, _urljoin, make_safe_absolute_uri
from feedparser.util import FeedParserDict

__all__ = ["read", "resolve_html"]


class _Decline(Exception):
    """The document uses something this module does not model."""


# --- feedparser's tables ---------------------------------------------------------------

_MATCH_NAMESPACES = {k.lower(): v for k, v in _FeedParserMixin.namespaces.items()}
# Element keys (``prefix_local``) for which feedparser has a ``_start_``/``_end_`` handler.
_HANDLED = frozenset(
    name.split("_", 2)[2] for name in dir(_FeedParserMixin) if name.startswith(("_start_", "_end_"))
)
_CAN_BE_RELATIVE = frozenset(_FeedParserMixin.can_be_relative_uri)
_CAN_CONTAIN_RELATIVE = frozenset(_FeedParserMixin.can_contain_relative_uris)
_HTML_TYPES = frozenset(_FeedParserMixin.html_types)
_map_content_type = _FeedParserMixin.map_content_type
_looks_like_html = _FeedParserMixin.looks_like_html
# An element without a handler has its text stored under its own key (renamed on the way
# in by FeedParserDict.keymap): harmless, unless the key is one that parse reads.
_ENTRY_KEYS = frozenset(
    {
        "title", "title_detail", "link", "links", "id", "guidislink", "content", "summary",
        "summary_detail", "author", "author_detail", "authors", "tags", "category",
        "published_parsed", "updated_parsed", "created_parsed",
    }
)  # fmt: skip
_RESERVED_IN_ENTRY = _ENTRY_KEYS | frozenset(FeedParserDict.keymap)
_RESERVED_IN_FEED = frozenset({"title", "title_detail", "link", "links", "ttl"})
# Attributes that change nothing parse reads: the language, and the base URI (which the
# tree builder follows exactly as feedparser does).
_ATTR_IGNORED = frozenset({"xml:lang", "lang", "xml:base", "base"})
_DATE_SLOTS = {
    "pubdate": "published_parsed",
    "published": "published_parsed",
    "issued": "published_parsed",
    "dcterms_issued": "published_parsed",
    "updated": "updated_parsed",
    "modified": "updated_parsed",
    "lastbuilddate": "updated_parsed",
    "dc_date": "updated_parsed",
    "dcterms_modified": "updated_parsed",
    "created": "created_parsed",
    "dcterms_created": "created_parsed",
}
_AUTHOR_KEYS = frozenset({"author", "dc_creator", "dc_author", "managingeditor"})
_CATEGORY_KEYS = frozenset({"category", "dc_subject"})
_RIGHTS_KEYS = frozenset({"rights", "copyright", "dc_rights"})
_SUBTITLE_KEYS = frozenset({"subtitle", "tagline"})
# Handled elements whose handlers touch nothing parse reads (checked one by one against
# feedparser 6.0), when they have no child elements.
_HARMLESS_LEAVES = frozenset(
    {
        "language", "dc_language", "enclosure", "media_content", "media_thumbnail",
        "webmaster", "dc_publisher",
    }
)  # fmt: skip
_HARMLESS_FEED_LEAVES = _HARMLESS_LEAVES | {"generator", "cloud", "width", "height"}
# The encodings in which an ASCII byte is always that ASCII character and nothing else.
_ASCII_SAFE = re.compile(r"(utf-8|ascii|iso8859-\d+|cp125\d|latin-1|koi8-[ru])$")
_XLINK = "http://www.w3.org/1999/xlink"
_LINK_REF = re.compile("&([A-Za-z0-9_]+);")
_AUTHOR_EMAIL = re.compile(
    r"""(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|"""
    r"""(([a-zA-Z0-9\-]+\.)+))([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?"""
)
_C1 = re.compile("[\x80-\x9f]")  # what feedparser's _cp1252 table maps
_C1_UTF8 = re.compile(b"\xc2[\x80-\x9f]")
_WIDE = re.compile("[^\x00-\xff]")
_ATOM_VERSIONS = {"0.1": "atom01", "0.2": "atom02", "0.3": "atom03"}
_RSS_VERSIONS = {"0.91": "rss091u", "0.92": "rss092", "0.93": "rss093", "0.94": "rss094"}


# --- URLs ------------------------------------------------------------------------------

# URLs that urllib's urljoin hands back unchanged, whatever the base (if the base parses):
# absolute http(s), an ASCII host without brackets, no ";params", no empty "?" or "#", no
# white space (urlsplit drops tabs and newlines) -- and nothing for _urifixer to fix.
_CANONICAL_URL = re.compile(
    r"https?://[A-Za-z0-9._~\-]+(?::[0-9]*)?(?:/[^\s?#;]*)?(?:\?[^\s#]+)?(?:#\S+)?\Z"
)
# Another scheme than the base's ("tag:", "urn:", "mailto:"): urljoin returns it as is.
_SCHEMED = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):(?!//)\S*\Z")
_base_schemes: dict[str, str | None] = {}


def _base_scheme(base: str) -> str | None:
    """The base's scheme as urljoin sees it, None if urlparse refuses the base."""
    scheme = _base_schemes.get(base, "?")
    if scheme == "?":
        try:
            scheme = urllib.parse.urlparse(base, "").scheme
        except ValueError:
            scheme = None
        if len(_base_schemes) > 1000:
            _base_schemes.clear()
        _base_schemes[base] = scheme
    return scheme


def _join(base: str, uri: str) -> str:
    """feedparser.urls._urljoin(base, uri), without urllib for URLs it would not change."""
    bscheme = _base_scheme(base)
    if bscheme is not None:
        if _CANONICAL_URL.match(uri):
            return uri
        schemed = _SCHEMED.match(uri)
        if schemed and schemed.group(1).lower() != bscheme:
            return uri
    return _urljoin(base, uri)


def _safe_absolute(base: str, uri: str) -> str:
    """feedparser.urls.make_safe_absolute_uri(base, uri), likewise."""
    if uri and _CANONICAL_URL.match(uri) and _base_scheme(base) is not None:
        return uri
    return make_safe_absolute_uri(base, uri)


# --- decoding ---------------------------------------------------------------------------

_BYTE_ORDER_MARKS = (
    codecs.BOM_UTF32_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF16_LE,
    codecs.BOM_UTF8, encodings.EBCDIC_MARKER, encodings.UTF16BE_MARKER,
    encodings.UTF16LE_MARKER, encodings.UTF32BE_MARKER, encodings.UTF32LE_MARKER,
)  # fmt: skip
_XML_DECLARATION = re.compile(encodings.RE_XML_DECLARATION.pattern.encode("ascii"))
_UTF8_DECLARATION = b"<?xml version='1.0' encoding='utf-8'?>"


def _convert(http_headers: dict[str, str], data: bytes, result: dict[str, Any]) -> bytes:
    """feedparser.encodings.convert_to_utf8, the same bytes and the same result keys.

    When the document has no byte order mark and the encoding chosen is UTF-8, its bytes
    already are what convert_to_utf8 returns, once the XML declaration is rewritten: that
    is done on the bytes, sparing a re-encoding of the whole document. Anything else, and
    anything that does not decode, goes to convert_to_utf8 itself."""
    if data.startswith(_BYTE_ORDER_MARKS):
        return convert_to_utf8(http_headers, data, result)
    xml_encoding = ""
    xml_encoding_match = encodings.RE_XML_PI_ENCODING.match(data)
    if xml_encoding_match:
        xml_encoding = xml_encoding_match.groups()[0].decode("utf-8").lower()
    http_content_type = http_headers.get("content-type") or ""
    http_content_type, http_encoding = encodings.parse_content_type(http_content_type)
    acceptable_content_type = 0
    application_content_types = (
        "application/xml", "application/xml-dtd", "application/xml-external-parsed-entity",
    )  # fmt: skip
    text_content_types = ("text/xml", "text/xml-external-parsed-entity")
    if http_content_type in application_content_types or (
        http_content_type.startswith("application/") and http_content_type.endswith("+xml")
    ):
        acceptable_content_type = 1
        rfc3023_encoding = http_encoding or xml_encoding or "utf-8"
    elif http_content_type in text_content_types or (
        http_content_type.startswith("text/") and http_content_type.endswith("+xml")
    ):
        acceptable_content_type = 1
        rfc3023_encoding = http_encoding or "us-ascii"
    elif http_content_type.startswith("text/"):
        rfc3023_encoding = http_encoding or "us-ascii"
    elif http_headers and "content-type" not in http_headers:
        rfc3023_encoding = xml_encoding or "iso-8859-1"
    else:
        rfc3023_encoding = xml_encoding or "utf-8"
    if rfc3023_encoding.lower() == "gb2312":
        rfc3023_encoding = "gb18030"
    try:
        utf8 = codecs.lookup(rfc3023_encoding).name == "utf-8"
        if utf8:
            data.decode(rfc3023_encoding)  # convert_to_utf8's first try, which succeeds
    except (LookupError, UnicodeDecodeError):
        utf8 = False
    if not utf8:
        return convert_to_utf8(http_headers, data, result)
    if http_headers and not acceptable_content_type:
        if "content-type" in http_headers:
            msg = f"{http_headers['content-type']} is not an XML media type"
        else:
            msg = "no Content-type specified"
        result["bozo"] = True
        result["bozo_exception"] = NonXMLContentType(msg)
    result["encoding"] = rfc3023_encoding
    declaration = _XML_DECLARATION.match(data)
    if declaration:
        return _UTF8_DECLARATION + data[declaration.end() :]
    return _UTF8_DECLARATION + b"\n" + data


# --- the HTML round trip -------------------------------------------------------------

_VOID = frozenset(_BaseHTMLProcessor.elements_no_end_tag)
_RELATIVE_ATTRS = frozenset(RelativeURIResolver.relative_uris)
_BARE_AMPERSAND = _BaseHTMLProcessor.bare_ampersand
_ENTITY_OR_CHARREF = sgmllib.SGMLParser.entity_or_charref
_ATTRFIND = sgmllib.attrfind
_CHARREF = sgmllib.charref
_ENTITYREF = sgmllib.entityref
_INCOMPLETE = sgmllib.incomplete
_COMMENT_CLOSE = _markupbase._commentclose  # type: ignore[attr-defined]
_DECLARATION = re.compile(r"<!((?!DOCTYPE|--|\[))", re.IGNORECASE)
_SHORTTAG = re.compile(r"<([^<>\s]+?)\s*/>")
_NAMES = frozenset(html.entities.name2codepoint) | {"apos"}
# Tags that come out of sgmllib as they went in: lower case, no attributes, not void
# (<br> becomes <br />, </br> goes away). The common ones; others take the long way.
_PLAIN_NAMES = (
    "p", "a", "b", "i", "u", "s", "em", "strong", "small", "big", "span", "div",
    "blockquote", "q", "cite", "code", "pre", "sub", "sup", "ul", "ol", "li", "dl", "dt",
    "dd", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tfoot", "tr",
    "td", "th", "caption", "figure", "figcaption", "del", "ins", "mark", "abbr", "center",
    "font", "section", "article", "header", "footer",
)  # fmt: skip
# A "<" that does not open a plain tag. It starts with a literal, which lets the regex
# engine skip ahead fast: on non-Latin text a scan is otherwise ~25x slower than find().
_NOT_PLAIN = re.compile(
    "<(?!/?(?:{})>)".format("|".join(sorted(_PLAIN_NAMES, key=len, reverse=True)))
)


# The start tags sgmllib reads without ambiguity: the first ">" ends the tag, attributes
# are apart and quoted or plain tokens (an unquoted value never swallows the "/" of "/>").
_START_TAG = re.compile(
    r"""<([a-zA-Z][-_.:a-zA-Z0-9]*)"""
    r"""((?:\s+[a-zA-Z_][-:.a-zA-Z_0-9]*"""
    r"""(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[-a-zA-Z0-9._:%#,;+?!~@]+(?=[\s>])))?)*)"""
    r"""\s*/?>"""
)
_END_TAG = re.compile(r"</([a-zA-Z][-_.:a-zA-Z0-9]*)\s*>")


@functools.lru_cache(maxsize=4096)
def _date(text: str) -> Any:
    """feedparser's _parse_date, a pure function of the text (a struct_time or None):
    Atom's published and updated are often the same, and a feed polled again repeats."""
    return _parse_date(text)


def _shorttag_replace(match: re.Match[str]) -> str:
    tag = match.group(1)
    if tag in _VOID:
        return "<" + tag + " />"
    return "<" + tag + "></" + tag + ">"


def _convert_ref(match: re.Match[str]) -> str:
    if match.group(2):
        return f"&#{match.group(2)};"
    if match.group(3):
        return f"&{match.group(1)};"
    return f"&{match.group(1)}"


def _charref(ref: str) -> str:
    ref = ref.lower()
    value = int(ref[1:], 16) if ref.startswith("x") else int(ref)
    if value in _cp1252:
        return f"&#{hex(ord(_cp1252[value]))[1:]};"
    return f"&#{ref};"


def _start_tag(source: str, match: re.Match[str], base: str) -> str:
    """sgmllib's parse_starttag, then RelativeURIResolver's and _BaseHTMLProcessor's
    unknown_starttag: attributes lower-cased, de-duplicated, sorted, URLs resolved."""
    tag = match.group(1).lower()
    attrs: list[tuple[str, str]] = []
    k = match.end(1)
    end = match.end() - 1
    while k < end:
        found = _ATTRFIND.match(source, k)
        if not found:
            break
        name, rest, value = found.group(1, 2, 3)
        if not rest:
            value = name
        else:
            if value[:1] == "'" == value[-1:] or value[:1] == '"' == value[-1:]:
                value = value[1:-1]
            if "&" in value:
                value = _ENTITY_OR_CHARREF.sub(_convert_ref, value)
        attrs.append((name.lower(), value))
        k = found.end(0)
    text = ""
    if attrs:
        merged = {key.lower(): value for key, value in attrs}
        parts = []
        for key, value in sorted(merged.items()):
            if key in ("rel", "type"):
                value = value.lower() or value
            if (tag, key) in _RELATIVE_ATTRS:
                value = _safe_absolute(base, value.strip()) or value
            if ">" in value or "<" in value or '"' in value:  # (a base URI may hold them)
                value = value.replace(">", "&gt;").replace("<", "&lt;").replace('"', "&quot;")
            if "&" in value:
                value = _BARE_AMPERSAND.sub("&amp;", value)
            parts.append(f' {key}="{value}"')
        text = "".join(parts)
    if tag in _VOID:
        return f"<{tag}{text} />"
    return f"<{tag}{text}>"


def _entity(fragment: str, i: int) -> tuple[str, int]:
    """sgmllib's goahead at an "&": the text to write and where to go on."""
    match = _CHARREF.match(fragment, i)
    if match:
        return _charref(match.group(1)), match.end()
    match = _ENTITYREF.match(fragment, i)
    if match:
        name = match.group(1)
        end = match.end()
        if fragment[end - 1] != ";":
            end -= 1
        return (f"&{name};" if name in _NAMES else "&amp;" + name), end
    match = _INCOMPLETE.match(fragment, i)
    assert match is not None  # it matches "&" at least
    return match.group(), match.end()


def _markup(fragment: str, i: int, base: str) -> tuple[str, int] | None:
    """sgmllib's goahead at a "<" that is not a plain tag: the text to write and where to
    go on, or None for what is not modelled."""
    after = fragment[i + 1 : i + 2]
    if after.isascii() and after.isalpha():
        match = _START_TAG.match(fragment, i)
        if match is None:
            return None
        return _start_tag(fragment, match, base), match.end()
    if after == "/":
        match = _END_TAG.match(fragment, i)
        if match is None:
            return None
        tag = match.group(1).lower()
        return ("" if tag in _VOID else f"</{tag}>"), match.end()
    if fragment.startswith("<!--", i):
        close = _COMMENT_CLOSE.search(fragment, i + 4)
        if close is None:  # unterminated: the rest is text
            return fragment[i:], len(fragment)
        return f"<!--{fragment[i + 4 : close.start()]}-->", close.end()
    if after == "?":
        close_at = fragment.find(">", i + 2)
        if close_at < 0:
            return fragment[i:], len(fragment)
        return f"<?{fragment[i + 2 : close_at]}>", close_at + 1
    if after in (">", "!"):  # "<>", a DOCTYPE or a marked section
        return None
    return "<", i + 1  # "<" before a space, a digit, the end...: sgmllib keeps it as text


def resolve_html(fragment: str, base: str) -> str | None:
    """``feedparser.urls.resolve_relative_uris(fragment, base, "utf-8", "text/html")``,
    or None when ``fragment`` has HTML this function does not model: declarations and
    marked sections, start tags sgmllib could read in two ways, "</" without a tag name.

    Plain tags and text come out of sgmllib as they went in, so only "&" and the other
    tags are looked at, and only what changes is copied."""
    ampersand = "&" in fragment
    tags = [match.start() for match in _NOT_PLAIN.finditer(fragment)]
    if not ampersand and not tags:
        return fragment  # text and plain tags only: the common case
    # _BaseHTMLProcessor.feed's rewrites (one-character tests first: they are the fast ones)
    source = fragment
    if "!" in fragment and "<!" in fragment:
        fragment = _DECLARATION.sub(r"&lt;!\1", fragment)
    if tags and "/>" in fragment:  # a short tag is never a plain one
        fragment = _SHORTTAG.sub(_shorttag_replace, fragment)
    if ampersand and "&#3" in fragment:
        fragment = fragment.replace("&#39;", "'").replace("&#34;", '"')
    if fragment is not source:
        tags = [match.start() for match in _NOT_PLAIN.finditer(fragment)]
    tags.reverse()  # popped from the end, first one first
    out: list[str] = []
    done = 0  # fragment[:done] is accounted for in out
    lt = tags.pop() if tags else -1
    amp = fragment.find("&") if ampersand else -1
    while lt >= 0 or amp >= 0:
        if amp >= 0 and (lt < 0 or amp < lt):
            i = amp
            text, end = _entity(fragment, i)
        else:
            i = lt
            found = _markup(fragment, i, base)
            if found is None:
                return None
            text, end = found
        if text != fragment[i:end]:
            out.append(fragment[done:i])
            out.append(text)
            done = end
        while 0 <= lt < end:
            lt = tags.pop() if tags else -1
        if 0 <= amp < end:
            amp = fragment.find("&", end)
    if not out:
        return fragment
    out.append(fragment[done:])
    return "".join(out)


# --- the document as feedparser names it -------------------------------------------------


_NO_ATTRS: dict[str, str] = {}  # shared by every element without attributes


class _Node:
    __slots__ = ("key", "attrs", "base", "text", "children")

    def __init__(self, key: str, attrs: dict[str, str], base: str) -> None:
        self.key = key
        self.attrs = attrs
        self.base = base  # feedparser's baseuri while it reads this element
        self.text: list[str] = []
        self.children: list[_Node] = []

    def leaf_text(self) -> str:
        if self.children:
            raise _Decline(f"<{self.key}> has child elements")
        return "".join(self.text)

    def blank(self) -> bool:
        return not "".join(self.text).strip()


class _Namespaces:
    """feedparser's namespace state: startPrefixMapping/track_namespace, and the names
    startElementNS and unknown_starttag give elements (expat gives them no qname)."""

    def __init__(self) -> None:
        self.version = ""
        self.in_use: dict[str, str] = {}
        self.map: dict[str | None, str] = {}

    def declare(self, prefix: str | None, uri: str | None) -> None:
        if not uri:
            return
        prefix = prefix or None
        if prefix and uri == _XLINK:
            raise _Decline("xlink declaration")  # feedparser passes it on as an attribute
        loweruri = uri.lower()
        if not self.version:
            if (prefix, loweruri) == (None, "http://my.netscape.com/rdf/simple/0.9/"):
                self.version = "rss090"
            elif loweruri == "http://purl.org/rss/1.0/":
                self.version = "rss10"
            elif loweruri == "http://www.w3.org/2005/atom":
                self.version = "atom10"
        if loweruri.find("backend.userland.com/rss") != -1:
            uri = "http://backend.userland.com/rss"
            loweruri = uri
        if loweruri in _MATCH_NAMESPACES:
            self.map[prefix] = _MATCH_NAMESPACES[loweruri]
            self.in_use[_MATCH_NAMESPACES[loweruri]] = uri
        else:
            self.in_use[prefix or ""] = uri

    def key(self, name: str) -> str:
        parts = name.split()
        namespace, localname = (None, name) if len(parts) == 1 else (parts[0], parts[1])
        lowernamespace = (namespace or "").lower()
        if lowernamespace.find("backend.userland.com/rss") != -1:
            namespace = "http://backend.userland.com/rss"
            lowernamespace = namespace
        prefix = _MATCH_NAMESPACES.get(lowernamespace)
        localname = localname.lower()
        if prefix:
            localname = prefix.lower() + ":" + localname
        elif namespace:
            for known, value in self.in_use.items():
                if known and value == namespace:
                    localname = known + ":" + localname
                    break
        tag = localname.lower()
        prefix, suffix = tag.split(":", 1) if ":" in tag else ("", tag)
        prefix = self.map.get(prefix, prefix)
        return prefix + "_" + suffix if prefix else suffix


def _attributes(attrs: dict[str, str]) -> dict[str, str]:
    """startElementNS's attrsD (namespaced names, then qnames), then _normalize_attributes."""
    attrs_d = {}
    for name, value in attrs.items():
        if " " in name:  # expat's "uri local prefix"
            attrs_d = _namespaced_attributes(attrs)
            break
        attrs_d[name.lower()] = value
    for k in ("rel", "type"):
        if k in attrs_d:
            attrs_d[k] = attrs_d[k].lower() or attrs_d[k]
    return attrs_d


def _namespaced_attributes(attrs: dict[str, str]) -> dict[str, str]:
    attrs_d: dict[str, str] = {}
    qnames = []
    for aname, value in attrs.items():
        parts = aname.split()
        if len(parts) == 1:
            qnames.append((aname, value))
            attrs_d[aname.lower()] = value
            continue
        local = parts[1]
        prefix = _MATCH_NAMESPACES.get(parts[0].lower(), "")
        attrs_d[(prefix + ":" + local if prefix else local).lower()] = value
        qnames.append((parts[2] + ":" + local if len(parts) == 3 else local, value))
    for qname, value in qnames:
        attrs_d[qname.lower()] = value
    return attrs_d


def _next_base(current: str, attrs_d: dict[str, str]) -> str:
    """unknown_starttag's xml:base step."""
    given = attrs_d.get("xml:base", attrs_d.get("base")) or current
    if current:
        return make_safe_absolute_uri(current, given) or current
    return _urljoin(current, given)


def _tree(data: bytes, baseuri: str) -> tuple[_Node, _Namespaces, bytes]:
    """The document as xml.sax's expatreader feeds it to feedparser: a tree of _Node with
    feedparser's element keys, attributes and base URIs. Closures, for speed."""
    names = _Namespaces()
    keys: dict[str, str] = {}
    stack: list[_Node] = []
    roots: list[_Node] = []
    prolog: list[bytes] = []
    steps: dict[str, str] = {}  # base -> base in a child without xml:base (memo)
    current = baseuri
    # unknown_starttag moves the base at every element; usually to where it already is.
    # Until an xml:base shows up, a fixed point stays put and there is nothing to track.
    moving = _next_base(baseuri, _NO_ATTRS) != baseuri

    def declare(prefix: str | None, uri: str | None) -> None:
        names.declare(prefix, uri)
        keys.clear()

    def new_key(name: str) -> str:
        key = keys[name] = names.key(name)
        return key

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal current, moving
        key = keys.get(name) or new_key(name)
        attrs_d = _attributes(attrs) if attrs else _NO_ATTRS  # (nothing writes to it)
        if "xml:base" in attrs_d or "base" in attrs_d:
            moving = True
            current = _next_base(current, attrs_d)
        elif moving:
            following = steps.get(current)
            if following is None:
                following = steps[current] = _next_base(current, _NO_ATTRS)
            current = following
        node = _Node(key, attrs_d, current)
        if stack:
            stack[-1].children.append(node)
        else:
            roots.append(node)
            prolog.append(data[: parser.CurrentByteIndex])
            if key == "feed" and not names.version:  # _start_feed
                names.version = _ATOM_VERSIONS.get(attrs_d.get("version", ""), "atom")
            if key == "rss" and not names.version.startswith("rss"):  # _start_rss
                attr_version = attrs_d.get("version", "")
                if attr_version in _RSS_VERSIONS:
                    names.version = _RSS_VERSIONS[attr_version]
                elif attr_version.startswith("2."):
                    names.version = "rss20"
                else:
                    names.version = "rss"
        stack.append(node)

    def end(name: str) -> None:
        nonlocal current
        stack.pop()
        # unknown_endtag: the parent's base comes back, unless it is empty
        if moving and stack and stack[-1].base:
            current = stack[-1].base

    def characters(text: str) -> None:
        stack[-1].text.append(text)  # expat reports no character data outside the root

    def doctype(*args: Any) -> None:
        raise _Decline("DOCTYPE")

    parser = xml.parsers.expat.ParserCreate(None, " ")
    parser.namespace_prefixes = True
    parser.buffer_text = True
    parser.StartNamespaceDeclHandler = declare
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.StartDoctypeDeclHandler = doctype
    parser.Parse(data, True)  # not well-formed: ExpatError, and feedparser reads it loosely
    return roots[0], names, prolog[0]


# --- feedparser's handlers, for the elements modelled here ------------------------------


def _attrs_only(node: _Node, *allowed: str) -> dict[str, str]:
    if not node.attrs:
        return node.attrs
    for name in node.attrs:
        if name not in allowed and name not in _ATTR_IGNORED:
            raise _Decline(f"<{node.key} {name}=...>")
    return node.attrs


def _content_type(node: _Node, default: str) -> str:
    """push_content's content type; only plain text and HTML are modelled."""
    if not node.attrs:
        return default
    attrs = _attrs_only(node, "type", "mode")
    if attrs.get("mode") == "base64":  # Atom 0.3's mode="escaped" changes nothing
        raise _Decline("base64 content")
    ctype = _map_content_type(attrs.get("type", default))
    if ctype not in ("text/plain", "text/html"):
        raise _Decline(f"<{node.key} type={ctype}>")
    return ctype


def _add_tag(context: dict[str, Any], term: Any, scheme: Any, label: Any) -> None:
    tags = context.setdefault("tags", [])
    if not term and not scheme and not label:
        return
    value = {"term": term, "scheme": scheme, "label": label}
    if value not in tags:
        tags.append(value)


def _sync_author_detail(context: dict[str, Any]) -> None:
    """_FeedParserMixin._sync_author_detail, line for line."""
    detail = context.get("authors", [{}])[-1]
    if detail:
        name = detail.get("name")
        email = detail.get("email")
        if name and email:
            context["author"] = f"{name} ({email})"
        elif name:
            context["author"] = name
        elif email:
            context["author"] = email
        return
    author, email = context.get("author"), None
    if not author:
        return
    emailmatch = _AUTHOR_EMAIL.search(author)
    if emailmatch:
        email = emailmatch.group(0)
        author = author.replace(email, "")
        author = author.replace("()", "").replace("<>", "").replace("&lt;&gt;", "").strip()
        if author and (author[0] == "("):
            author = author[1:]
        if author and (author[-1] == ")"):
            author = author[:-1]
        author = author.strip()
    if author or email:
        context.setdefault("author_detail", detail)
    if author:
        detail["name"] = author
    if email:
        detail["email"] = email


def _save_author(context: dict[str, Any], key: str, value: str) -> None:
    context.setdefault("author_detail", {})
    context["author_detail"][key] = value
    _sync_author_detail(context)
    context.setdefault("authors", [{}])
    context["authors"][-1][key] = value


def _generic(node: _Node, reserved: frozenset[str], *, inside_author: bool = False) -> None:
    """An element feedparser has no handler for: its text is stored under its own key,
    which is harmless unless the key is ``reserved`` or a descendant has a handler. Text in
    one with attributes goes to the element feedparser is collecting text for: inside an
    author that is the author's own text, so there it must be blank."""
    key = node.key
    if key in _HANDLED or key in reserved:
        raise _Decline(f"<{key}>")
    if inside_author and not node.blank():
        raise _Decline(f"text in <{key}> inside an author")
    for child in node.children:
        _generic(child, reserved, inside_author=inside_author)


class _Reader:
    """Walks the tree in document order, keeping the state feedparser keeps."""

    def __init__(self, version: str, namespacemap: Mapping[str | None, str], data: bytes) -> None:
        self.version = version
        self.html_guess = not version.startswith("atom")  # pop's looks_like_html
        # pop() re-decodes Latin-1-encodable text as UTF-8 and maps C1 controls to their
        # cp1252 characters. Text can only hold U+0080..U+00FF if the UTF-8 document has
        # a C2 or C3 byte or a character reference: otherwise both are no-ops, skipped.
        # (Single bytes first: a search for two is ~100x slower on such text.)
        refs = b"#" in data and b"&#" in data
        self.latin = refs or b"\xc2" in data or b"\xc3" in data
        self.c1 = refs or (b"\xc2" in data and _C1_UTF8.search(data) is not None)
        self.title_depth = -1
        self.guidislink = False
        # _get_attribute(attrs_d, "rdf:about") maps the prefix through the document's map.
        self.about = namespacemap.get("rdf", "rdf") + ":about"

    def value(self, node: _Node, element: str, ctype: str | None = None) -> tuple[str, str | None]:
        """_FeedParserMixin.pop for an element that expects text, and its content type
        (``ctype`` is push_content's, already mapped; None outside a text construct)."""
        if node.children:
            raise _Decline(f"<{node.key}> has child elements")
        text = node.text
        output = (text[0] if len(text) == 1 else "".join(text)).strip()
        if element in _CAN_BE_RELATIVE and output and (element != "id" or self.guidislink):
            output = _join(node.base or "", output)
        if (
            ctype == "text/plain"
            and self.html_guess
            and ("&" in output or "</" in output)  # looks_like_html needs one of them
            and _looks_like_html(output)
        ):
            ctype = "text/html"
        if (ctype is None or ctype in _HTML_TYPES) and element in _CAN_CONTAIN_RELATIVE:
            resolved = resolve_html(output, node.base)
            if resolved is None:
                raise _Decline(f"HTML in <{element}> outside the modelled subset")
            output = resolved
        # Re-decoding needs all characters below U+0100: one wide character rules it out.
        if self.latin and not output.isascii() and not _WIDE.search(output):
            with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
                output = output.encode("iso-8859-1").decode("utf-8")
        if self.c1 and not output.isascii() and _C1.search(output):
            output = output.translate(_cp1252)  # slow, so only when there is work
        return output, ctype

    def text_construct(self, node: _Node, element: str, default: str) -> tuple[str, str]:
        """push_content ... pop_content. Also used for constructs parse does not read, so
        HTML that feedparser's sgmllib pass could trip over is declined, not skipped."""
        value, ctype = self.value(node, element, _content_type(node, default))
        return value, ctype or default

    def title(self, node: _Node, depth: int, context: dict[str, Any] | None) -> None:
        """_start_title/_end_title; ``context`` None when feedparser expects no text."""
        if context is None:
            _content_type(node, "text/plain")
            value = node.leaf_text().strip()
        else:
            value, ctype = self.text_construct(node, "title", "text/plain")
            if not (-1 < self.title_depth <= depth):
                context["title"] = value
                context["title_detail"] = {"type": ctype, "value": value}
        if value:
            self.title_depth = depth

    def link(self, node: _Node, context: dict[str, Any], *, entry: bool) -> None:
        """_start_link/_end_link: an Atom link (href) or an RSS link (text)."""
        if node.children:
            raise _Decline("<link> with child elements")
        attrs = dict(node.attrs)
        if "url" in attrs or "uri" in attrs:
            raise _Decline("<link url=...>")
        if "href" not in attrs:
            _attrs_only(node)
            value, _ = self.value(node, "link")
            if "&" in value:
                if entry:
                    value = value.replace("&amp;", "&")
                value = _LINK_REF.sub(r"&\g<1>", value)
            context["link"] = value
            return
        attrs.setdefault("rel", "alternate")
        attrs.setdefault("type", "application/atom+xml" if attrs["rel"] == "self" else "text/html")
        if attrs["rel"] == "alternate" and _map_content_type(attrs["type"]) in _HTML_TYPES:
            context["link"] = _join(node.base or "", attrs["href"])

    def guid(self, node: _Node, context: dict[str, Any]) -> None:
        """_start_guid/_end_guid, also for Atom's <id>."""
        attrs = _attrs_only(node, "ispermalink")
        self.guidislink = attrs.get("ispermalink", "true") == "true"
        value, _ = self.value(node, "id")
        context["id"] = value
        context.setdefault("guidislink", self.guidislink and "link" not in context)
        if self.guidislink:
            context.setdefault("link", value)

    def date(self, node: _Node, slot: str, context: dict[str, Any]) -> None:
        _attrs_only(node)
        value, _ = self.value(node, slot[: slot.index("_")])
        context[slot] = _date(value)

    def category(self, node: _Node, context: dict[str, Any]) -> None:
        """_start_category/_end_category."""
        attrs = _attrs_only(node, "term", "scheme", "domain", "label")
        scheme = attrs.get("scheme", attrs.get("domain"))
        _add_tag(context, attrs.get("term"), scheme, attrs.get("label"))
        value, _ = self.value(node, "category")
        if not value:
            return
        tags = context["tags"]
        if tags and not tags[-1]["term"]:
            tags[-1]["term"] = value
        else:
            _add_tag(context, value, None, None)

    def author(self, node: _Node, context: dict[str, Any]) -> None:
        """_start_author ... _end_author: RSS text ("email (Name)"), or Atom's children."""
        _attrs_only(node)
        context.setdefault("authors", [])
        context["authors"].append({})
        for child in node.children:
            if child.key in ("name", "email"):
                _attrs_only(child)
                _save_author(context, child.key, child.leaf_text().strip())
            elif child.key in ("uri", "url", "homepage"):
                _attrs_only(child)
                _save_author(context, "href", self.value(child, "href")[0])
            else:
                _generic(child, _RESERVED_IN_ENTRY, inside_author=True)
        if node.children:
            if not node.blank():
                raise _Decline("text beside the author's child elements")
            context["author"] = ""
        else:
            context["author"] = self.value(node, "author")[0]
        _sync_author_detail(context)

    def contributor(self, node: _Node) -> None:
        _attrs_only(node)
        for child in node.children:
            if child.key in ("name", "email", "uri", "url", "homepage"):
                _attrs_only(child)
                child.leaf_text()
            else:
                _generic(child, _RESERVED_IN_ENTRY, inside_author=True)

    def entry(self, node: _Node, depth: int) -> dict[str, Any]:
        """_start_item ... _end_item, for an RSS <item> or an Atom <entry> at ``depth``."""
        attrs = node.attrs
        if "lastmod" in attrs or "href" in attrs:  # _cdf_common would read them
            raise _Decline(f"<{node.key} lastmod/href=...>")
        entry: dict[str, Any] = {}
        self.guidislink = False
        self.title_depth = -1
        if attrs.get(self.about):
            entry["id"] = attrs[self.about]
        has_content = False
        depth += 1
        for child in node.children:
            key = child.key
            if key == "title":
                self.title(child, depth, entry)
            elif key == "link":
                self.link(child, entry, entry=True)
            elif key in ("guid", "id"):
                self.guid(child, entry)
            elif key in ("description", "summary"):
                if "summary" in entry and not has_content:
                    raise _Decline("a second summary")  # feedparser reads it as content
                default = "text/html" if key == "description" else "text/plain"
                value, ctype = self.text_construct(child, key, default)
                entry["summary"] = value
                entry["summary_detail"] = {"type": ctype, "value": value}
            elif key in ("content", "content_encoded"):
                if "src" in child.attrs:
                    raise _Decline(f"<{key} src=...>")
                has_content = True
                default = "text/html" if key == "content_encoded" else "text/plain"
                value, ctype = self.text_construct(child, "content", default)
                entry.setdefault("content", []).append({"type": ctype, "value": value})
                entry.setdefault("summary", value)
            elif key in _DATE_SLOTS:
                self.date(child, _DATE_SLOTS[key], entry)
            elif key in _AUTHOR_KEYS:
                self.author(child, entry)
            elif key == "contributor":
                self.contributor(child)
            elif key in _CATEGORY_KEYS:
                self.category(child, entry)
            elif key in _RIGHTS_KEYS:
                self.text_construct(child, "rights", "text/plain")
            elif key in ("source", "image") and not child.children:
                self.title_depth = -1  # _start_source, _start_image
            elif key in _HARMLESS_LEAVES:
                child.leaf_text()
            else:
                _generic(child, _RESERVED_IN_ENTRY)
        return entry

    def feed_child(self, child: _Node, depth: int, feed: dict[str, Any]) -> bool:
        """A child of <channel> or of Atom's <feed>; False if it is none of those known."""
        key = child.key
        if key == "title":
            self.title(child, depth, feed)
        elif key == "link":
            self.link(child, feed, entry=False)
        elif key == "id" and self.version.startswith("atom"):
            self.guid(child, feed)
        elif key == "description":
            self.text_construct(child, key, "text/html")
        elif key in _SUBTITLE_KEYS:
            self.text_construct(child, "subtitle", "text/plain")
        elif key == "info":
            self.text_construct(child, "info", "text/plain")
        elif key in _RIGHTS_KEYS:
            self.text_construct(child, "rights", "text/plain")
        elif key in _DATE_SLOTS:
            self.date(child, _DATE_SLOTS[key], {})
        elif key in _AUTHOR_KEYS:
            self.author(child, {})
        elif key == "contributor":
            self.contributor(child)
        elif key in _CATEGORY_KEYS:
            self.category(child, {})
        elif key in _HARMLESS_FEED_LEAVES:
            child.leaf_text()
        elif key == "ttl":
            _attrs_only(child)
            feed["ttl"] = self.value(child, "ttl")[0]
        elif key in ("image", "textinput"):
            self.image(child, depth, expecting_text=True)
        else:
            return False
        return True

    def image(self, node: _Node, depth: int, *, expecting_text: bool) -> None:
        """<image> and <textinput>: their own title and links, never the feed's (their
        children are limited to those that keep feedparser's inimage/intextinput set)."""
        allowed: tuple[str, ...]
        if node.key == "image":
            allowed = ("url", "link", "width", "height", "description")
        else:
            allowed = ("link", "name", "description")
        self.title_depth = -1
        for child in node.children:
            key = child.key
            if key == "title":
                self.title(child, depth + 1, {} if expecting_text else None)
            elif key == "description" and expecting_text:
                self.text_construct(child, key, "text/html")
            elif key in allowed:
                _attrs_only(child)
                child.leaf_text()
            else:
                raise _Decline(f"<{key}> in <{node.key}>")

    def channel(
        self, node: _Node, feed: dict[str, Any], entries: list[dict[str, Any]] | None
    ) -> None:
        """RSS 2.0's <channel> with its items, or RSS 1.0's (``entries`` None: no items)."""
        if "lastmod" in node.attrs or "href" in node.attrs:  # _cdf_common would read them
            raise _Decline("<channel lastmod/href=...>")
        for child in node.children:
            if child.key == "item" and entries is not None:
                entries.append(self.entry(child, 3))
            elif not self.feed_child(child, 3, feed):
                _generic(child, _RESERVED_IN_FEED)


def _read(body: bytes, headers: Mapping[str, str]) -> FeedParserDict | None:
    result = FeedParserDict(bozo=False, entries=[], feed=FeedParserDict(), headers={})
    result["headers"].update(headers)
    data = _convert(result["headers"], body, result)
    encoding = result.get("encoding")
    if not encoding or not _ASCII_SAFE.match(codecs.lookup(encoding).name):
        return None  # unknown (feedparser's loose parser), or a wide or shifting encoding
    contentloc = result["headers"].get("content-location", "")
    baseuri = make_safe_absolute_uri("", contentloc) or make_safe_absolute_uri(contentloc)
    root, names, prolog = _tree(data, baseuri or "")
    # Both feedparser (replace_doctype) and parse._refuse_entity_bombs look for DOCTYPE and
    # entity declarations before the root element only -- as text, even in a comment: a
    # document with either there goes the long way, so the bomb check can be skipped.
    if b"<!ENTITY" in prolog or b"<!DOCTYPE" in prolog:
        return None
    reader = _Reader(names.version, names.map, data)
    feed: dict[str, Any] = {}
    entries: list[dict[str, Any]] = []
    if root.key == "rss":
        if sum(1 for child in root.children if child.key == "channel") != 1:
            return None
        for child in root.children:
            if child.key == "channel":
                reader.channel(child, feed, entries)
            else:
                _generic(child, _RESERVED_IN_FEED)
    elif root.key == "feed":
        for child in root.children:
            if child.key == "entry":
                entries.append(reader.entry(child, 2))
            elif not reader.feed_child(child, 2, feed):
                _generic(child, _RESERVED_IN_FEED)
    elif root.key == "rdf_rdf" and reader.version in ("rss10", "rss090"):
        # RSS 1.0: items, image and textinput are the channel's siblings; outside the
        # channel feedparser expects no text for their titles.
        channels = 0
        for child in root.children:
            if child.key == "channel" and not channels:
                channels += 1
                reader.channel(child, feed, None)
            elif child.key == "item":
                entries.append(reader.entry(child, 2))
            elif child.key in ("image", "textinput"):
                reader.image(child, 2, expecting_text=False)
            else:
                _generic(child, _RESERVED_IN_FEED)
    else:
        return None
    result["version"] = reader.version
    result["feed"] = FeedParserDict(feed)
    # FeedParserDict, as feedparser's: its get("updated_parsed") falls back to published.
    result["entries"] = [FeedParserDict(entry) for entry in entries]
    return result


def read(body: bytes, headers: Mapping[str, str]) -> FeedParserDict | None:
    """What ``feedparser.parse(io.BytesIO(body), response_headers=headers,
    resolve_relative_uris=True, sanitize_html=False)`` returns -- the parts ``parse``
    reads -- or None when this module does not model something in the document."""
    try:
        return _read(body, headers)
    except Exception:  # _Decline, ExpatError, or a surprise: feedparser decides
        return None
