"""Identity of items: canonical URLs, normalized text and the keys an item is known by.

Pure functions over strings and ``ParsedItem``s, standard library only, so that store and
classify can call them for every item without I/O. The same story reaches us through many
sources and many spellings of its URL (http/https, ``www.``, tracking parameters, Arabic
paths percent-encoded or not) and of its text (with or without diacritics, tatweel, alef
variants, Persian or Arabic letter forms); the functions here make those spellings equal.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
import urllib.parse
from html.parser import HTMLParser

from aggregator.models import ParsedItem

__all__ = [
    "canonical_url",
    "html_to_text",
    "identity_keys",
    "normalize_text",
    "story_fingerprint",
]

# --- URLs ----------------------------------------------------------------------------

# Query parameters that say how a reader got to an article, never which article it is.
_TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid",
        "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "spm", "scm",
        "ref", "ref_src", "ref_url", "referrer", "cmpid", "ncid", "sr_share",
        "oly_anon_id", "oly_enc_id", "vero_id", "wt_mc", "__twitter_impression",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PERCENT_RE = re.compile(r"%([0-9A-Fa-f]{2})")
# Characters left alone when re-encoding a path or query: reserved ones keep their meaning.
_SAFE = "%/:@!$&'()*+,;=-._~"


def _normalize_percent(part: str, *, safe: str = _SAFE) -> str:
    """One spelling per character: unreserved decoded, the rest %XX in upper case (UTF-8)."""
    quoted = urllib.parse.quote(part, safe=safe)

    def fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    return _PERCENT_RE.sub(fix, quoted)


def _host(hostname: str) -> str:
    host = hostname.strip().rstrip(".").lower()
    if host and not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            host = _normalize_percent(host, safe="")
    return host.removeprefix("www.")


def _is_tracking(key: str) -> bool:
    name = urllib.parse.unquote_plus(key).strip().lower()
    return name in _TRACKING_PARAMS or name.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """A comparison key for an article URL (not necessarily fetchable).

    http and https count as one scheme, ``www.``, default ports, fragments, tracking
    parameters and a trailing slash are dropped, the query is sorted, and percent-encoding
    is made uniform, so that one article reached by different links gets one key.
    """
    text = url.strip()
    try:
        parts = urllib.parse.urlsplit(text)
        port = parts.port
    except ValueError:
        return _normalize_percent(text)
    scheme = parts.scheme.lower()
    if scheme in _DEFAULT_PORTS:
        scheme = "https"
    host = _host(parts.hostname or "")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    # http and https are one scheme here, so either default port is no information.
    if port is not None and not (scheme == "https" and port in _DEFAULT_PORTS.values()):
        host = f"{host}:{port}"

    path = _normalize_percent(parts.path)
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    elif not path and host:
        path = "/"

    pairs = []
    for piece in parts.query.split("&"):
        if not piece:
            continue
        key, sep, value = piece.partition("=")
        if _is_tracking(key):
            continue
        pairs.append(
            _normalize_percent(key.replace("+", "%20"))
            + sep
            + _normalize_percent(value.replace("+", "%20"))
        )
    query = "&".join(sorted(pairs))

    out = f"{scheme}://{host}{path}" if scheme or host else path
    return f"{out}?{query}" if query else out


# --- text ----------------------------------------------------------------------------

_ARABIC_LETTER_MAP = {
    "آ": "ا", "أ": "ا", "إ": "ا", "ٱ": "ا",  # alef forms
    "ى": "ي", "ی": "ي", "ئ": "ي",  # alef maqsura, Persian ya, hamza on ya
    "ؤ": "و",  # hamza on waw
    "ة": "ه", "ۀ": "ه",  # ta marbuta, heh with yeh above
    "ک": "ك",  # Persian kaf
}  # fmt: skip
_REMOVED_RANGES = ((0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED), (0x0640, 0x0640))


class _CharMap(dict[int, str | None]):
    """``str.translate`` table filled on first sight of each character.

    Deciding per character once (not per call) keeps normalize_text cheap enough to run on
    every item's whole text.
    """

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        result: str | None
        if char in _ARABIC_LETTER_MAP:
            result = _ARABIC_LETTER_MAP[char]
        elif any(lo <= code <= hi for lo, hi in _REMOVED_RANGES):
            result = None
        elif 0x0660 <= code <= 0x0669:  # Arabic-Indic digits
            result = str(code - 0x0660)
        elif 0x06F0 <= code <= 0x06F9:  # Persian (extended Arabic-Indic) digits
            result = str(code - 0x06F0)
        else:
            category = unicodedata.category(char)
            if category[0] in "PSZ" or category == "Cc":
                result = " "
            elif category == "Cf":
                result = None  # ZWNJ, bidi marks, soft hyphen: invisible, not separators
            else:
                result = char
        self[code] = result
        return result


_CHAR_MAP = _CharMap()


def normalize_text(text: str) -> str:
    """Text reduced to what a reader would call "the same words", for matching and hashing.

    NFKC, case-folded, Arabic diacritics/tatweel removed, alef/ya/ta-marbuta/hamza-seat
    and Persian letter variants unified, Eastern digits made ASCII, punctuation and symbols
    turned into spaces, whitespace collapsed.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(folded.translate(_CHAR_MAP).split())


class _TextExtractor(HTMLParser):
    _SKIP = frozenset({"script", "style", "template", "noscript", "svg", "math", "head"})
    _BREAKS = frozenset(
        {"p", "br", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
         "blockquote", "pre", "hr", "figcaption", "dt", "dd", "table", "ul", "ol"}
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BREAKS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self._BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


_TAG_RE = re.compile(r"<[^>]*>")


def html_to_text(fragment: str) -> str:
    """The words of an HTML fragment, for matching rules and hashing (not for display)."""
    if not fragment:
        return ""
    if "<" not in fragment and "&" not in fragment:
        return " ".join(fragment.split())
    extractor = _TextExtractor()
    try:
        extractor.feed(fragment)
        extractor.close()
        text = "".join(extractor.parts)
    except Exception:  # HTMLParser is lenient, but text matters more than fidelity here
        text = html.unescape(_TAG_RE.sub(" ", fragment))
    return " ".join(text.split())


# --- identity ------------------------------------------------------------------------


def identity_keys(source_url: str, item: ParsedItem) -> tuple[str, ...]:
    """Every key an item is known by, strongest first.

    A guid is scoped to its source (guids are only unique within one feed); a link key
    matches the same article across sources; the content hash is the last resort for
    items with neither, and is scoped to the source too.
    """
    keys: list[str] = []
    if item.guid:
        keys.append(f"guid:{source_url}\n{item.guid}")
    if item.link:
        keys.append("link:" + canonical_url(item.link))
    if not keys:
        text = html_to_text(item.summary_html) + "\n" + html_to_text(item.content_html)
        material = f"{source_url}\n{normalize_text(item.title)}\n{normalize_text(text)}"
        keys.append("hash:" + hashlib.sha256(material.encode("utf-8")).hexdigest())
    return tuple(keys)


def story_fingerprint(title: str, *, min_words: int = 4) -> str | None:
    """A cross-source near-duplicate key from a title alone, or None if the title is too
    short to tell stories apart ("Editorial", "News"). Compare within a time window only."""
    words = normalize_text(title).split()
    if len(words) < min_words:
        return None
    return "story:" + hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()
