"""Identity of items: canonical URLs, normalized text and the keys an item is known by.

Pure functions over strings and ``ParsedItem``s, standard library only, so that store and
classify can call them for every item without I/O. The same story reaches us through many
sources and many spellings of its URL (http/https, ``www.``, tracking parameters, Arabic
paths percent-encoded or not) and of its text (with or without diacritics, tatweel, alef
variants, Persian or Arabic letter forms); the functions here make those spellings equal.
"""

from __future__ import annotations

import functools
import hashlib
import re
import struct
import urllib.parse
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import timedelta

from aggregator.models import ParsedItem, StoryMatch, StoryPeer, StorySignature
from aggregator.text import html_to_text, normalize_text, stem

__all__ = [
    "StoryDecision",
    "StoryMatcher",
    "StoryText",
    "canonical_url",
    "compare_stories",
    "content_hash",
    "content_words",
    "identity_keys",
    "story_fingerprint",
    "story_keys_of",
    "story_signature",
    "story_text",
    "story_title",
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


# --- identity ------------------------------------------------------------------------


def content_hash(item: ParsedItem) -> str:
    """What an item says, as a digest: a stored item is updated only when this changes."""
    text = "\x1f".join(
        (item.title, item.summary_html, item.content_html, item.author or "", item.link or "")
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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


# --- near-duplicate stories ----------------------------------------------------------
#
# Two outlets telling one story rarely share a link or a guid, and often not a headline:
# one syndicates the agency copy under its own title, another adds "عاجل:", a third writes
# without hamzas. A story signature reduces an item to the content words of its title and
# text (normalized, light-stemmed, stop words out) and to LSH band keys over MinHash
# signatures of those word sets, so that a store finds the few earlier items that may be
# the same story with a handful of index look-ups, whatever its size. ``compare_stories``
# then decides on exact set overlaps, never on the estimate, and says which rule fired.

# Leading words that say how an outlet files a story, not what it is about.
_TITLE_PREFIX_WORDS = frozenset(
    normalize_text(word)
    for word in (
        "عاجل", "خبر", "بالفيديو", "بالصور", "فيديو", "صور", "شاهد", "خاص", "حصري", "تحديث",
        "محدث", "مباشر", "breaking", "update", "updated", "urgent", "watch", "video",
        "exclusive", "live", "just", "in", "news", "flash",
    )
)  # fmt: skip
# Titles made only of such words (or too few content words) are generic: "عاجل", "بيان".
_GENERIC_TITLE_WORDS = _TITLE_PREFIX_WORDS | frozenset(
    normalize_text(word)
    for word in (
        "بيان", "صحفي", "تصريح", "اعلان", "بلاغ", "افتتاحيه", "اخبار", "statement", "press",
        "release", "editorial", "announcement", "bulletin", "breaking news",
    )
)  # fmt: skip
_STOP_WORDS = frozenset(
    normalize_text(word)
    for word in (
        # Arabic
        "في", "من", "على", "إلى", "عن", "مع", "بعد", "قبل", "أن", "إن", "أو", "ثم", "حتى",
        "عند", "منذ", "بين", "خلال", "وفق", "حول", "ضد", "دون", "غير", "كل", "بعض", "أي",
        "إلا", "التي", "الذي", "الذين", "هذا", "هذه", "ذلك", "تلك", "كان", "كانت", "قد", "لا",
        "لم", "لن", "ما", "هو", "هي", "هم", "و", "أو", "فيما", "وقد", "كما", "لقد", "عبر",
        "اليوم", "أمس", "يوم", "قال", "قالت", "وقال", "وقالت", "أكثر", "بين", "بـ", "ب", "ل",
        "إثر", "عقب", "وسط", "لدى", "ان", "الى", "على", "بعدما", "بينما", "أيضا", "نحو",
        # English
        "a", "an", "the", "of", "to", "in", "on", "at", "for", "from", "by", "with", "and",
        "or", "but", "as", "is", "are", "was", "were", "be", "been", "has", "have", "had",
        "will", "would", "said", "says", "say", "that", "this", "it", "its", "after", "over",
        "into", "about", "than", "more", "up", "out", "not", "no", "new", "who", "which",
        "their", "they", "his", "her", "he", "she", "we", "on", "amid", "per", "cent",
        "percent", "s", "th", "st", "nd", "rd", "ال", "also", "some", "while", "could",
        "can", "may", "did", "do",
    )
)  # fmt: skip
_TITLE_SEPARATORS = re.compile(r"\s+[-|–—]\s+")
_BODY_TOKENS = 150  # words of the text kept: enough to recognize a copy, cheap to compare

# MinHash: the i-th hash function of a word is the i-th little-endian 32-bit slice of
# salted BLAKE2b digests of it (16 per 64-byte digest), so a word costs one C call
# instead of one Python multiplication per function, and keys are the same on every
# machine and in every process. Bands of 2 rows, 8 for the title and 6 for the text:
# chosen on the tune split, where fewer bands lose merged pairs and more find none that
# these miss; every key costs each stored item a random write of the key index.
_TITLE_BANDS, _TITLE_ROWS = 8, 2
_BODY_BANDS, _BODY_ROWS = 6, 2
_HASHES_PER_DIGEST = 16
# A peer is verified only when it shares at least this many band keys: one shared key is
# what unrelated items with a couple of common words get (most of the candidates in a busy
# window, and verifying them doubled a first poll's store time).
MIN_SHARED_BANDS = 2


_DIGIT_GROUPS = re.compile(r"(?<=\d)[,.٫٬](?=\d)")
_DIGIT_EDGE = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


def content_words(text: str, limit: int | None = None) -> list[str]:
    """The normalized, light-stemmed words of ``text`` that carry meaning, in order (the
    first ``limit`` of them when given).

    Numbers are kept whole ("2,900" and "٢٫٩٠٠" are one word) and cut from letters glued
    to them ("الـ12" is "12"), because a differing number is the surest sign of another
    event.
    """
    if limit is not None and len(text) > limit * _CHARS_PER_WORD:
        # A long text: its opening (cut at a space, where normalizing cannot join or split
        # words) usually holds ``limit`` words, the same ones, at a fraction of the cost.
        cut = text.rfind(" ", 0, limit * _CHARS_PER_WORD)
        if cut > 0:
            words = _content_words(text[:cut], limit)
            if len(words) == limit:
                return words
    return _content_words(text, limit)


_CHARS_PER_WORD = 16  # generous: Arabic and English words average 5-7 letters and a space


def _content_words(text: str, limit: int | None) -> list[str]:
    return _as_synonyms(_stems(text), limit)


def _stems(text: str) -> list[str]:
    text = _DIGIT_EDGE.sub(" ", normalize_text(_DIGIT_GROUPS.sub("", text)))
    words = (w for w in text.split() if w not in _STOP_WORDS and (len(w) > 1 or w.isdigit()))
    return [stem(word) for word in words]


def _as_synonyms(stems: list[str], limit: int | None = None) -> list[str]:
    """Each word as its synonym group's first word, and a phrase of the table ("مجلس
    النواب", "tear gas") as one word, so two outlets' wordings of one story compare equal."""
    out: list[str] = []
    i, end = 0, len(stems)
    while i < end and (limit is None or len(out) < limit):
        for size in (3, 2):
            if i + size <= end and (canonical := _SYNONYMS.get(" ".join(stems[i : i + size]))):
                out.append(canonical)
                i += size
                break
        else:
            out.append(_SYNONYMS.get(stems[i], stems[i]))
            i += 1
    return out


# Words news uses for one thing, in one story told by two outlets: each group's spellings
# are compared as its first (a phrase counts as one word). Only what an event is called:
# no group joins two different events (rise and fall, arrest and release stay apart).
_SYNONYM_GROUPS = (
    # Arabic
    ("اضراب", "يضرب", "اضرب", "مضربون", "توقف عن العمل", "التوقف عن العمل"),
    ("اعتقال", "اعتقل", "يعتقل", "اعتقلت", "توقيف", "احتجاز", "احتجز", "يحتجز", "القبض على"),
    ("برلمان", "مجلس النواب", "مجلس الشعب", "مجلس الامة", "مجلس الأمة"),
    ("رئيس الوزراء", "رئيس الحكومة", "رئيس مجلس الوزراء"),
    ("اجور", "اجر", "رواتب", "راتب", "مرتبات"),
    ("استقالة", "استقال", "يستقيل", "تنحي", "يتنحى", "تنحى"),
    ("تظاهرة", "مظاهرة", "تظاهرات", "مظاهرات", "مسيرة", "احتجاج", "احتجاجات", "وقفة احتجاجية"),
    ("متظاهر", "متظاهرين", "محتج", "محتجين"),
    ("مقتل", "قتل", "قتيل", "قتلى", "مصرع", "لقي حتفه", "لقوا حتفهم"),
    ("يعلن", "اعلن", "يقرر", "قرر"),
    ("يوافق", "وافق", "موافقة", "يقر", "اقر", "اقرار", "يصادق", "صادق", "مصادقة"),
    ("مفاوضات", "تفاوض", "محادثات", "مباحثات", "مفاوض"),
    ("يطالب", "طالب", "مطالبة", "يدعو", "دعا", "دعوة"),
    ("رفع", "يرفع", "زيادة", "يزيد", "ارتفاع", "يرتفع", "ارتفع"),
    ("خفض", "يخفض", "تخفيض", "تراجع", "يتراجع", "انخفاض", "انخفض"),
    ("معلمين", "معلم", "مدرسين", "مدرس"),
    ("سجن", "يسجن", "حبس"),
    ("افراج", "اطلاق سراح", "اخلاء سبيل"),
    ("شرطة", "قوات الامن", "الامن"),
    # English
    ("strike", "walkout", "walk out", "stoppage"),
    ("arrest", "detain", "detention", "taken into custody"),
    ("jail", "imprison", "imprisonment", "prison"),
    ("protest", "demonstration", "demonstrate", "rally"),
    ("protester", "demonstrator"),
    ("kill", "dead", "death", "die"),
    ("prime minister", "pm", "premier"),
    ("resign", "quit", "step down", "steps down", "stepped down"),
    ("agreement", "deal", "accord", "pact", "agree"),
    ("approve", "ratify", "endorse"),
    ("resume", "restart"),
    ("sack", "dismiss", "oust"),
    ("teargas", "tear gas"),
    ("parliament", "lawmaker", "legislature", "legislator", "mp"),
    ("government", "cabinet"),
    ("pay", "wage", "salary"),
    ("talks", "negotiation", "negotiate"),
    ("rise", "increase", "raise", "hike", "climb", "jump", "surge"),
    ("fall", "drop", "decline", "plunge", "slump"),
    ("teacher", "educator"),
)


def _synonym_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for group in _SYNONYM_GROUPS:
        forms = [" ".join(_stems(phrase)) for phrase in group]
        canonical = forms[0].replace(" ", "_")
        for form in forms:
            if form:
                table.setdefault(form, canonical)
    return table


_SYNONYMS = _synonym_table()


def story_title(title: str) -> str:
    """A title without the outlet's furniture: a trailing " - Outlet" / " | الموقع" and
    leading words such as "عاجل:", "بالفيديو:", "Breaking:", "UPDATE 1-"."""
    parts = _TITLE_SEPARATORS.split(title.strip())
    if len(parts) > 1 and len(parts[-1].split()) <= 4 and len(" ".join(parts[:-1]).split()) >= 3:
        title = " - ".join(parts[:-1])
    words = normalize_text(title).split()
    while words and (words[0] in _TITLE_PREFIX_WORDS or (words[0].isdigit() and len(words) > 1)):
        if words[0].isdigit() and not (words[1:] and words[1] in _TITLE_PREFIX_WORDS):
            # "UPDATE 1-": the digit is furniture only right after such a word was dropped
            break
        words = words[1:]
    return " ".join(words)


def _minhash(words: Iterable[str], count: int, kind: str) -> list[int]:
    """``count`` MinHash values of the set of ``words`` (empty for no words)."""
    return _hash_table(kind, count).minhash(words)


@functools.cache
def _hash_table(kind: str, count: int) -> _HashTable:
    return _HashTable(kind, count)


class _HashTable:
    """Every word's ``count`` hash values, kept as the bytes of their digests.

    Why: news has tens of thousands of distinct words (30,000 in the bench corpus), so an
    LRU of 8,192 tuples of Python ints thrashed (44% misses, each a BLAKE2b call again),
    and a bigger one would cost ~1 KB a word. Bytes cost ~160 B a word (5 MB for the bench
    corpus); full, the table starts over. A signature: 300 -> 200 us an item. (numpy made
    it 60 us, but sqlite-utils imports numpy in every process once it is installed: 15 MB
    more for the poller, the daemon and every command.)"""

    CAPACITY = 1 << 16

    def __init__(self, kind: str, count: int) -> None:
        self.salts = [f"{kind}{i}".encode("ascii") for i in range(-(-count // _HASHES_PER_DIGEST))]
        self.size = count * 4
        self.unpack = struct.Struct(f"<{count}I").unpack
        self.rows: dict[str, bytes] = {}

    def _digest(self, word: str) -> bytes:
        data = word.encode("utf-8")
        digests = (hashlib.blake2b(data, digest_size=64, salt=salt).digest() for salt in self.salts)
        return b"".join(digests)[: self.size]

    def minhash(self, words: Iterable[str]) -> list[int]:
        distinct = set(words)
        rows = self.rows
        if len(rows) + len(distinct) > self.CAPACITY:
            rows.clear()
        values = []
        for word in distinct:
            digest = rows.get(word)
            if digest is None:
                digest = rows[word] = self._digest(word)
            values.append(self.unpack(digest))
        return [min(column) for column in zip(*values, strict=True)]


def _bands(kind: str, values: list[int], bands: int, rows: int) -> list[int]:
    """LSH band keys: two signatures agreeing on every row of some band share a key."""
    keys = []
    for band in range(bands):
        chunk = values[band * rows : (band + 1) * rows]
        material = f"{kind}{band}:" + ",".join(map(str, chunk))
        digest = hashlib.blake2b(material.encode("ascii"), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))  # SQLite INTEGER is signed
    return keys


@dataclass(frozen=True)
class StoryText:
    """What an item's story is compared on: its title's and its text's content words."""

    title: tuple[str, ...]
    body: tuple[str, ...]

    # Sets built once per text, not once per comparison: a new item is compared with up to
    # two dozen peers, and building these sets was most of the comparison's cost.
    @functools.cached_property
    def title_set(self) -> frozenset[str]:
        return frozenset(self.title)

    @functools.cached_property
    def body_set(self) -> frozenset[str]:
        return frozenset(self.body)

    @functools.cached_property
    def words(self) -> frozenset[str]:
        return self.title_set | self.body_set

    @functools.cached_property
    def numbers(self) -> frozenset[str]:
        return frozenset(filter(str.isdigit, self.words))

    @functools.cached_property
    def subjects(self) -> frozenset[str]:
        """Headline words (not numbers) that the text repeats: what the item is about."""
        return frozenset(w for w in self.title_set & self.body_set if not w.isdigit())

    @property
    def generic_title(self) -> bool:
        """Too few content words ("عاجل", "بيان", "Update") to tell stories apart."""
        meaningful = [w for w in self.title if w not in _GENERIC_TITLE_WORDS]
        return len(set(meaningful)) < 3

    def encode(self) -> str:
        """One line of text for the store (which keeps it opaque)."""
        return " ".join(self.title) + "\x1f" + " ".join(self.body)

    @classmethod
    def decode(cls, text: str) -> StoryText:
        title, _, body = text.partition("\x1f")
        return cls(title=tuple(title.split()), body=tuple(body.split()))


def story_text(title: str, summary_html: str = "", content_html: str = "") -> StoryText:
    # A summary is usually the start of the content; the longer one of the two is kept.
    summary, content = html_to_text(summary_html), html_to_text(content_html)
    body = content if len(content) > len(summary) else summary
    return StoryText(
        title=tuple(content_words(story_title(title))),
        body=tuple(content_words(body, _BODY_TOKENS)),
    )


def story_signature(item: ParsedItem) -> StorySignature:
    """An item's story signature: the words compared and the LSH keys to find peers by."""
    text = story_text(item.title, item.summary_html, item.content_html)
    return StorySignature(features=text.encode(), bands=_keys(text))


def story_keys_of(features: str) -> tuple[int, ...]:
    """The LSH keys of stored words (``StorySignature.features``): what a store rebuilding
    its index needs, without the item."""
    return _keys(StoryText.decode(features))


def _keys(text: StoryText) -> tuple[int, ...]:
    """A generic title gets no title bands (it would collide with every other "عاجل"); a
    short text gets no text bands."""
    bands: list[int] = []
    if not text.generic_title:
        values = _minhash(text.title, _TITLE_BANDS * _TITLE_ROWS, "t")
        bands += _bands("t", values, _TITLE_BANDS, _TITLE_ROWS)
    if len(set(text.body)) >= _MIN_BODY_WORDS:
        values = _minhash(text.body, _BODY_BANDS * _BODY_ROWS, "b")
        bands += _bands("b", values, _BODY_BANDS, _BODY_ROWS)
    return tuple(bands)


_MIN_BODY_WORDS = 8


def _jaccard(a: AbstractSet[str], b: AbstractSet[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def _containment(a: AbstractSet[str], b: AbstractSet[str]) -> float:
    least = min(len(a), len(b))
    return len(a & b) / least if least else 0.0


def _shingles(words: Sequence[str]) -> set[str]:
    return {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}


def _own_subject(a: StoryText, b: StoryText) -> bool:
    """Whether ``a``'s headline has a word (not a number) that ``a``'s text repeats and
    ``b`` never mentions: what ``a`` is about and ``b`` is not."""
    return not a.subjects <= b.words


def _own_words(words: AbstractSet[str], other: StoryText) -> bool:
    return any(not w.isdigit() and w not in other.words for w in words)


def _only_own(different: AbstractSet[str], other: StoryText) -> bool:
    return all(w not in other.words for w in different)


def _swapped(a: StoryText, b: StoryText, has_bodies: bool) -> bool:
    """Whether the two items are one headline with one party or one action put in place
    of another ("Egypt and Sudan sign" against "Egypt and Ethiopia sign", "wins" against
    "loses", "bans" against "lifts a ban"), their texts too: every headline word one has
    and the other's lacks is a word the other never uses. One text copied under two
    outlets' headlines is not that (its words are the same), nor a headline rewritten in
    the words of the text."""
    a_only, b_only = a.title_set - b.title_set, b.title_set - a.title_set
    if not (a_only or b_only) or not (_only_own(a_only, b) and _only_own(b_only, a)):
        return False
    return not has_bodies or (_own_words(a.body_set, b) and _own_words(b.body_set, a))


@dataclass(frozen=True)
class StoryDecision:
    """Whether two items tell one story, how similar they are (0..1) and why."""

    merge: bool
    similarity: float
    rule: str


def compare_stories(a: StoryText, b: StoryText, *, threshold: float = 0.32) -> StoryDecision:
    """Decide whether ``a`` and ``b`` are one story, on exact overlaps of their words.

    Rules, first that fires wins:
    - ``same-words``: headline and text are the same words (at least four), once
      normalized: one item under two links, even under a generic headline;
    - ``numbers-differ`` (no merge): both name numbers and share few of them: "12 killed
      in X" and "40 killed in Y" are two events however alike the words are;
    - ``subjects-differ`` (no merge): each headline has a word its own text repeats and
      the other item never mentions (another town, another person): the same kind of
      event elsewhere, even told in the same agency words;
    - ``names-differ`` (no merge): one headline with one party or one action put in
      place of another, in the texts too ("Egypt and Sudan sign" / "Egypt and Ethiopia
      sign", "wins" / "loses"; see ``_swapped``);
    - ``same-text``: the texts are one copy (word-pair overlap of the shorter text), the
      syndicated case, whatever the headlines say;
    - ``same-title``: the headlines have the same content words (and the texts, if both
      have one, do not contradict it): a prefix, a spelling variant, a correction;
    - ``title+text``: the mean of headline and text word overlap reaches ``threshold``,
      with some headline overlap: a rewritten headline over a rewritten text.
    A generic headline ("عاجل", "بيان", "Breaking") never counts for anything else.
    Words are compared as ``content_words`` reads them: stemmed, British spellings as
    American, synonyms of the table as one word.

    The rules and the default threshold were chosen on the ``tune`` part of
    tests/data/dedupe/pairs.jsonl (precision first: a wrong merge hides a story from
    subscribers, a missed one only shows it twice).
    """
    title_a, title_b = a.title_set, b.title_set
    body_a, body_b = a.body_set, b.body_set
    generic = a.generic_title or b.generic_title
    title_sim = 0.0 if generic else _jaccard(title_a, title_b)
    has_bodies = len(body_a) >= _MIN_BODY_WORDS and len(body_b) >= _MIN_BODY_WORDS
    body_sim = _jaccard(body_a, body_b) if has_bodies else 0.0
    copy = 0.0
    if has_bodies and _containment(body_a, body_b) >= 0.7:  # else word pairs cannot be
        copy = _containment(_shingles(a.body), _shingles(b.body))

    if (a.title, a.body) == (b.title, b.body) and len(a.title) + len(a.body) >= 4:
        return StoryDecision(True, 1.0, "same-words")
    nums_a, nums_b = a.numbers, b.numbers
    if nums_a and nums_b and _containment(nums_a, nums_b) < 0.5:
        return StoryDecision(False, round(max(title_sim, body_sim), 3), "numbers-differ")
    if not generic and _own_subject(a, b) and _own_subject(b, a):
        return StoryDecision(False, round(max(title_sim, copy), 3), "subjects-differ")
    if not generic and title_sim >= 0.5 and _swapped(a, b, has_bodies):
        return StoryDecision(False, round(max(title_sim, copy), 3), "names-differ")
    if copy >= 0.7:
        return StoryDecision(True, round(copy, 3), "same-text")
    if not generic and title_sim >= 0.8 and (not has_bodies or body_sim >= 0.15):
        return StoryDecision(True, round(title_sim, 3), "same-title")
    if generic:
        return StoryDecision(False, round(body_sim, 3), "generic-title")
    score = (title_sim + body_sim) / 2 if has_bodies else title_sim
    if title_sim >= 0.25 and score >= threshold:
        return StoryDecision(True, round(score, 3), "title+text")
    return StoryDecision(False, round(score, 3), "below-threshold")


class StoryMatcher:
    """The near-duplicate layer as the store asks for it: which earlier story, if any, a
    new item's signature joins among the peers found under its band keys.

    The best-scoring merge wins; a peer that already belongs to a story brings the new
    item into that story (the story's first item stays its representative).
    """

    def __init__(self, *, threshold: float = 0.32, window: timedelta = timedelta(hours=72)):
        self.threshold = threshold
        self.window = window

    def match(self, signature: StorySignature, peers: Sequence[StoryPeer]) -> StoryMatch | None:
        text = StoryText.decode(signature.features)
        best: StoryMatch | None = None
        for peer in peers:
            decision = compare_stories(
                text, StoryText.decode(peer.features), threshold=self.threshold
            )
            if decision.merge and (best is None or decision.similarity > best.similarity):
                best = StoryMatch(
                    story_id=peer.story_id,
                    item_id=peer.item_id,
                    similarity=decision.similarity,
                    rule=decision.rule,
                )
        return best


SEARCH_TEXT_CHARS = 1500


def search_text(title: str, summary_html: str, content_html: str) -> str:
    """What the search index holds for an item: its words, normalized like the rules'.

    Capped: a search feed finds an item by its title and opening, and indexing whole long
    articles would multiply the index (and a first poll's time) for little gain."""
    text = " ".join((title, html_to_text(summary_html), html_to_text(content_html)))
    return normalize_text(text[: SEARCH_TEXT_CHARS * 2])[:SEARCH_TEXT_CHARS]
