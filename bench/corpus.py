"""A synthetic corpus of Arabic news feeds for the benchmark, deterministic from a seed.

N sources x 50 items. Why each property:
- Arabic titles and summaries of realistic length (300-1,500 characters), a fifth of items
  with full HTML content (600-2,000 characters): parsing and sanitizing cost what they
  cost on real feeds;
- RSS 2.0 and Atom alternate: both feedparser paths are exercised;
- about 10% of item slots are articles carried by two or three sources (same link): the
  store's cross-source join runs, and reader stores them once per feed;
- every 50th feed is served in windows-1256 (like some real Arabic sites): titles must
  still come out exact;
- ``bump(share)`` prepends new items to a share of the feeds and drops as many old ones
  (the feed keeps 50 items, like a real one): the "changed" scenario.

Only the standard library: the feed server and the checker import this module from any
virtualenv (ours or reader's).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

ITEMS_PER_FEED = 50
SHARED_SLOTS = 5  # slots per feed filled by articles that 2-3 feeds carry (10%)
NEW_PER_BUMP = 5  # items a changed feed gains

_WORDS = (  # noqa: SIM905
    "الحكومة العمال النقابة الإضراب المرأة الحقوق العلمانية الدولة المدنية البرلمان "
    "الانتخابات الشعب الحرية المساواة العدالة الاجتماعية الأجور المصانع الفلاحين الطلاب "
    "الجامعة المدينة القرية الاحتجاج المظاهرة الشرطة القضاء الدستور القانون الحزب "
    "اليسار التقدمي الديمقراطية الاقتصاد الأزمة الأسعار الخبز الوقود الكهرباء المياه "
    "الصحة التعليم المدارس المعلمين الأطباء الممرضات السكن الإيجار البطالة الشباب "
    "النساء الأمهات الطفولة العنف التحرش المحكمة الحكم السجن المعتقلين التضامن النقابي "
    "اتحاد الشغل الوزير الرئيس المعارضة البيان المؤتمر الندوة الكتاب المقال الرأي "
    "التحليل التقرير الدراسة الإحصاء المنظمة الدولية الأمم المتحدة الحرب السلام "
    "اللاجئين الحدود الهجرة البحر الصيادين الأرض الزراعة القمح الموانئ النفط الغاز "
    "الشركات الخصخصة القطاع العام الخاص الضرائب الميزانية الديون صندوق النقد البنك "
    "تونس مصر المغرب الجزائر العراق سوريا لبنان الأردن فلسطين السودان اليمن ليبيا "
    "يطالب يرفض يعلن يدعو يحذر ينتقد يؤكد يكشف يواصل يبدأ ينهي يطلق يناقش يقرر "
    "جديد كبير واسع عاجل مستمر مفتوح شامل عام وطني محلي إقليمي دولي ثالث أول أخير"
).split()
_DIACRITICS = "\u064e\u064f\u0650\u0651\u0652"  # fatha, damma, kasra, shadda, sukun
# Real news has a vocabulary of tens of thousands of words; with only the common words
# above, unrelated titles would share most of their words, which no real feed does (and
# which would make a near-duplicate detector compare everything with everything).
_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
_rare = random.Random("vocabulary")
_RARE = tuple(
    {"".join(_rare.choice(_LETTERS) for _ in range(_rare.randint(3, 7))) for _ in range(30000)}
)
_RARE = tuple(sorted(_RARE))
_HOSTS = 40  # article hosts the links point to (never fetched)


@dataclass
class Item:
    uid: str  # unique across the corpus; the guid is derived from it
    link: str
    title: str
    summary: str  # HTML
    content: str  # HTML or ""
    published: datetime
    author: str


@dataclass
class Feed:
    index: int
    format: str  # "rss" or "atom"
    encoding: str  # "utf-8" or "windows-1256"
    validators: str  # VALIDATOR_MODES: what it sends and answers with 304
    items: list[Item] = field(default_factory=list)  # newest first
    version: int = 0  # bumps so far
    modified: datetime | None = None

    @property
    def path(self) -> str:
        return f"/feeds/{self.index:05d}.{'xml' if self.format == 'rss' else 'atom'}"


def _sentence(rng: random.Random, words: int, *, diacritics: bool = False) -> str:
    chosen = [rng.choice(_WORDS) if rng.random() < 0.4 else rng.choice(_RARE) for _ in range(words)]
    if diacritics:
        w = rng.randrange(len(chosen))
        word = chosen[w]
        pos = rng.randrange(1, len(word))
        chosen[w] = word[:pos] + rng.choice(_DIACRITICS) + word[pos:]
    return " ".join(chosen)


def _paragraphs(rng: random.Random, chars: int) -> list[str]:
    out: list[str] = []
    total = 0
    while total < chars:
        p = "، ".join(_sentence(rng, rng.randint(6, 14)) for _ in range(rng.randint(1, 3))) + "."
        out.append(p)
        total += len(p)
    return out


def _make_item(rng: random.Random, uid: str, published: datetime) -> Item:
    title = _sentence(rng, rng.randint(7, 13), diacritics=rng.random() < 0.2)
    if rng.random() < 0.1:
        title += f" & «{rng.randint(2, 2030)}»"  # entities and digits must survive
    host = f"news{int(hashlib.md5(uid.encode()).hexdigest()[:4], 16) % _HOSTS}.example.org"
    link = f"https://{host}/articles/{uid}"
    paras = _paragraphs(rng, rng.randint(300, 1500))
    summary = "".join(
        f"<p>{escape(p)}</p>" if i or rng.random() < 0.5 else escape(p) for i, p in enumerate(paras)
    )
    if rng.random() < 0.3:
        summary = f'<p><a href="{link}">{escape(paras[0][:40])}</a></p>' + summary
    content = ""
    if rng.random() < 0.2:
        body = _paragraphs(rng, rng.randint(600, 2000))
        content = (
            f'<p><img src="https://{host}/img/{uid}.jpg" alt="صورة"></p>'
            + "".join(f"<p>{escape(p)}</p>" for p in body)
            + f'<p><strong>المصدر:</strong> <a href="{link}">{host}</a></p>'
        )
    author = rng.choice(("هيئة التحرير", "مراسلنا", "سلمى", "أحمد علي", "نور الهدى"))
    return Item(uid, link, title, summary, content, published, author)


# How real servers answer conditional requests, in the mix an independent harness used:
# Last-Modified only 19%, ETag only 18%, both 34%, neither 29% (always the full body).
VALIDATOR_MODES = (("both", 34), ("etag", 18), ("modified", 19), ("none", 29))


def validator_mode(seed: int, index: int) -> str:
    """Feed ``index``'s mode: a hash, so it is not tied to the feed's format or charset."""
    draw = int(hashlib.sha1(f"{seed}-validators-{index}".encode()).hexdigest(), 16) % 100
    for mode, share in VALIDATOR_MODES:
        if draw < share:
            return mode
        draw -= share
    raise AssertionError("shares add up to 100")


class Corpus:
    """The whole corpus in memory; ``bump`` changes it the same way on every run."""

    def __init__(self, n: int, *, seed: int = 6, now: datetime | None = None) -> None:
        self.n = n
        self.seed = seed
        self.now = (now or datetime.now(UTC)).replace(microsecond=0)
        self.bumps = 0
        self.feeds = [
            Feed(
                index=i,
                format="rss" if i % 2 == 0 else "atom",
                encoding="windows-1256" if i % 50 == 7 else "utf-8",
                validators=validator_mode(seed, i),
                modified=self.now - timedelta(hours=1),
            )
            for i in range(n)
        ]
        rng = random.Random(seed)
        own = ITEMS_PER_FEED - SHARED_SLOTS
        # Shared articles: walk the slots (slot s of feed 0, 1, ..., n-1, then slot s+1) in
        # groups of 2 and 3 consecutive slots, so each group's feeds are distinct.
        slots = [(i, s) for s in range(SHARED_SLOTS) for i in range(n)]
        carried: dict[int, list[Item]] = {i: [] for i in range(n)}
        k = 0
        pos = 0
        while pos < len(slots):
            size = min(2 + k % 2, len(slots) - pos)
            when = self.now - timedelta(seconds=rng.randint(3600, 20 * 86400))
            item = _make_item(rng, f"s{k}", when)
            for i, _s in slots[pos : pos + size]:
                carried[i].append(item)
            pos += size
            k += 1
        for feed in self.feeds:
            items = [
                _make_item(
                    rng,
                    f"f{feed.index}-{j}",
                    self.now - timedelta(seconds=rng.randint(3600, 20 * 86400)),
                )
                for j in range(own)
            ]
            items.extend(carried[feed.index])
            items.sort(key=lambda it: (it.published, it.uid), reverse=True)
            feed.items = items
        # Every (feed path, link, title) ever served: what a poller must have stored.
        self.served: set[tuple[int, str, str]] = set()
        self._mark_served(self.feeds)

    def _mark_served(self, feeds: list[Feed]) -> None:
        for feed in feeds:
            for item in feed.items:
                self.served.add((feed.index, item.link, item.title))

    def bump(self, share: float) -> list[int]:
        """Prepend NEW_PER_BUMP new items to ``share`` of the feeds (a different slice on
        each bump); each drops as many of its oldest. Returns the changed feeds' indexes."""
        count = max(1, round(self.n * share)) if share > 0 else 0
        start = (self.bumps * count) % max(self.n, 1)
        chosen = [self.feeds[(start + j) % self.n] for j in range(count)]
        rng = random.Random(f"{self.seed}-bump-{self.bumps}")
        when = datetime.now(UTC).replace(microsecond=0)
        for feed in chosen:
            feed.version += 1
            fresh = [
                _make_item(
                    rng,
                    f"n{self.bumps}-{feed.index}-{j}",
                    when - timedelta(seconds=j),
                )
                for j in range(NEW_PER_BUMP)
            ]
            feed.items = (fresh + feed.items)[:ITEMS_PER_FEED]
            feed.modified = when
        self._mark_served(chosen)
        self.bumps += 1
        return [f.index for f in chosen]

    def expected_pairs(self, base_url: str) -> set[tuple[str, str, str]]:
        """(feed URL, link, title) for every item-source pair ever served."""
        return {(base_url + self.feeds[i].path, link, title) for i, link, title in self.served}

    def expected_links(self) -> dict[str, str]:
        """link -> title of every article ever served (an article once, however many
        feeds carry it)."""
        return {link: title for _i, link, title in self.served}


# --- rendering -------------------------------------------------------------------------


def render(feed: Feed, base_url: str) -> bytes:
    renderer = _render_rss if feed.format == "rss" else _render_atom
    return renderer(feed, base_url).encode(feed.encoding)


def _guid(feed: Feed, item: Item) -> str:
    # Shared articles use their link as guid (as syndicated copies do); own items a tag URI.
    return item.link if item.uid.startswith("s") else f"tag:bench.example,2024:{item.uid}"


def _render_rss(feed: Feed, base_url: str) -> str:
    parts = [
        f'<?xml version="1.0" encoding="{feed.encoding}"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n'
        f"<title>مصدر رقم {feed.index}</title>\n"
        f"<link>https://source{feed.index}.example.org/</link>\n"
        f"<description>أخبار المصدر {feed.index}</description>\n<language>ar</language>\n"
    ]
    for item in feed.items:
        permalink = "true" if item.uid.startswith("s") else "false"
        parts.append(
            "<item>\n"
            f"<title>{escape(item.title)}</title>\n"
            f"<link>{escape(item.link)}</link>\n"
            f'<guid isPermaLink="{permalink}">{escape(_guid(feed, item))}</guid>\n'
            f"<pubDate>{format_datetime(item.published, usegmt=True)}</pubDate>\n"
            f"<dc:creator>{escape(item.author)}</dc:creator>\n"
            f"<description>{escape(item.summary)}</description>\n"
        )
        if item.content:
            parts.append(f"<content:encoded><![CDATA[{item.content}]]></content:encoded>\n")
        parts.append("</item>\n")
    parts.append("</channel>\n</rss>\n")
    return "".join(parts)


def _render_atom(feed: Feed, base_url: str) -> str:
    updated = feed.items[0].published if feed.items else feed.modified or datetime.now(UTC)
    parts = [
        f'<?xml version="1.0" encoding="{feed.encoding}"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">\n'
        f"<title>مصدر رقم {feed.index}</title>\n"
        f'<link href="https://source{feed.index}.example.org/"/>\n'
        f'<link rel="self" href="{base_url}{feed.path}"/>\n'
        f"<id>tag:bench.example,2024:feed-{feed.index}</id>\n"
        f"<updated>{updated.isoformat().replace('+00:00', 'Z')}</updated>\n"
    ]
    for item in feed.items:
        stamp = item.published.isoformat().replace("+00:00", "Z")
        parts.append(
            "<entry>\n"
            f"<title>{escape(item.title)}</title>\n"
            f'<link rel="alternate" href="{escape(item.link)}"/>\n'
            f"<id>{escape(_guid(feed, item))}</id>\n"
            f"<published>{stamp}</published>\n<updated>{stamp}</updated>\n"
            f"<author><name>{escape(item.author)}</name></author>\n"
            f'<summary type="html">{escape(item.summary)}</summary>\n'
        )
        if item.content:
            parts.append(f'<content type="html">{escape(item.content)}</content>\n')
        parts.append("</entry>\n")
    parts.append("</feed>\n")
    return "".join(parts)
