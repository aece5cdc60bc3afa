"""dedupe: one article, however its link and text are spelled, is known by one key."""

from __future__ import annotations

import pytest

from aggregator import dedupe
from aggregator.dedupe import canonical_url, identity_keys, story_fingerprint
from aggregator.models import ParsedItem

ARTICLE = "https://example.com/news/2024/strike?id=7&lang=ar"


@pytest.mark.parametrize(
    "variant",
    [
        ARTICLE,
        "http://example.com/news/2024/strike?id=7&lang=ar",
        "https://www.example.com/news/2024/strike?id=7&lang=ar",
        "HTTPS://WWW.EXAMPLE.COM/news/2024/strike?id=7&lang=ar",
        "https://example.com:443/news/2024/strike?id=7&lang=ar",
        "http://example.com:80/news/2024/strike?id=7&lang=ar",
        "https://example.com/news/2024/strike?lang=ar&id=7",
        "https://example.com/news/2024/strike/?id=7&lang=ar",
        "https://example.com/news/2024/strike?id=7&lang=ar#comments",
        "https://example.com/news/2024/strike?utm_source=rss&id=7&utm_medium=feed&lang=ar",
        "https://example.com/news/2024/strike?id=7&fbclid=abc&lang=ar&gclid=x&mc_cid=1&mc_eid=2",
        "https://example.com/news/2024/%73trike?id=7&lang=ar",  # %73 is "s"
        "  https://example.com/news/2024/strike?id=7&lang=ar  ",
    ],
)
def test_link_variants_share_one_key(variant):
    assert canonical_url(variant) == canonical_url(ARTICLE)


def test_arabic_paths_equal_whether_percent_encoded_or_not():
    raw = "https://ahewar.example/مقالات/الإضراب"
    encoded = "/".join(
        [
            "https://ahewar.example",
            "%d9%85%d9%82%d8%a7%d9%84%d8%a7%d8%aa",
            "%d8%a7%d9%84%d8%a5%d8%b6%d8%b1%d8%a7%d8%a8",
        ]
    )
    upper = encoded.replace("%d", "%D").replace("%a", "%A").replace("%b", "%B")
    assert canonical_url(raw) == canonical_url(encoded) == canonical_url(upper)
    assert "%D9%85" in canonical_url(raw)


def test_international_host_names_are_one_key():
    assert canonical_url("https://مثال.example/a") == canonical_url("https://xn--mgbh0fb.example/a")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://example.com/news/1", "https://example.com/news/2"),
        ("https://example.com/article?id=1", "https://example.com/article?id=2"),
        ("https://example.com/a", "https://example.org/a"),
        ("https://example.com/a", "https://example.com:8443/a"),
        ("https://example.com/a%2Fb", "https://example.com/a/b"),  # an encoded slash is data
        ("https://example.com/Path", "https://example.com/path"),  # paths are case-sensitive
    ],
)
def test_different_articles_keep_different_keys(a, b):
    assert canonical_url(a) != canonical_url(b)


def test_root_keeps_its_slash_and_garbage_does_not_raise():
    assert canonical_url("http://www.example.com") == "https://example.com/"
    assert canonical_url("https://example.com:bad/x")  # a bad port still gives a key
    assert canonical_url("not a url at all") == canonical_url("not a url at all")


def item(**kw) -> ParsedItem:
    base = dict(
        guid=None,
        link=None,
        title="",
        summary_html="",
        content_html="",
        author=None,
        published=None,
        updated=None,
    )
    base.update(kw)
    return ParsedItem(**base)


def test_identity_keys_guid_then_link():
    keys = identity_keys(
        "https://src.example/rss", item(guid="42", link="http://www.example.com/a/")
    )
    assert keys == ("guid:https://src.example/rss\n42", "link:https://example.com/a")


def test_guid_is_scoped_to_its_source_and_link_is_not():
    a = identity_keys("https://one.example/rss", item(guid="1", link="https://x.example/a"))
    b = identity_keys(
        "https://two.example/rss", item(guid="1", link="http://x.example/a?utm_source=b")
    )
    assert a[0] != b[0]
    assert a[1] == b[1]


def test_hash_key_when_neither_guid_nor_link():
    src = "https://src.example/rss"
    one = identity_keys(src, item(title="الإضْرَابُ", summary_html="<p>نص</p>"))
    same = identity_keys(src, item(title="الاضراب", summary_html="نص"))
    other = identity_keys(src, item(title="الاضراب", summary_html="نص آخر"))
    elsewhere = identity_keys("https://other.example/rss", item(title="الاضراب", summary_html="نص"))
    assert len(one) == 1 and one[0].startswith("hash:")
    assert one == same
    assert one != other
    assert one != elsewhere


def test_story_fingerprint_ignores_spelling_but_needs_enough_words():
    a = story_fingerprint("الإضْرَابُ العَامُّ فِي مِصْرَ اليوم")
    b = story_fingerprint("الاضراب العام في مصر اليوم!")
    assert a is not None and a == b
    assert story_fingerprint("أخبار") is None


STRIKE = ParsedItem(
    guid=None,
    link=None,
    title="إضراب عمال الموانئ يدخل يومه الثالث للمطالبة برفع الأجور",
    summary_html="<p>دخل إضراب عمال الموانئ في المدينة يومه الثالث، وقالت النقابة إن العمال"
    " لن يعودوا إلى العمل قبل رفع الأجور وتثبيت المتعاقدين، فيما دعت الحكومة إلى الحوار.</p>",
    content_html="",
    author=None,
    published=None,
    updated=None,
)


def test_story_keys_change_only_with_the_schema():
    """A store keeps every item's band keys: if a new version computed other keys without
    bumping the store's schema (whose migration reindexes every item), nothing published
    before an upgrade could gain a near-duplicate after it. Changing how words are read or
    keys are cut? Bump store.SCHEMA_VERSION and STORY_INDEX_SCHEMA, then this digest."""
    import hashlib

    from aggregator.store import STORY_INDEX_SCHEMA

    bands = dedupe.story_signature(STRIKE).bands
    digest = hashlib.sha256(repr(bands).encode()).hexdigest()
    expected = "62fbd0907306e54ec7e858e83120da611de7abd2680a32fb7425db0031b1aa94"
    assert (STORY_INDEX_SCHEMA, len(bands), digest) == (4, 14, expected)


def test_minhash_table_starting_over_gives_the_same_values(monkeypatch):
    table = dedupe._HashTable("b", 24)
    monkeypatch.setattr(dedupe._HashTable, "CAPACITY", 40)
    texts = [f"كلمة{i} عامل{i % 7} نقابة اضراب{i % 3}".split() for i in range(30)]
    for words in texts * 2:  # 30 texts of 4 words: the table fills and starts over
        hashes = [table.unpack(table._digest(word)) for word in set(words)]
        expected = [min(column) for column in zip(*hashes, strict=True)]
        assert table.minhash(words) == expected
    assert len(table.rows) <= 40
    assert table.minhash([]) == []
