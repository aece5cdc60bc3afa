"""Retention (`storage.retention_days`, run by the daemon's maintenance): old items go, but
never the newest `max_items` of a published feed, and a pruned item that its source still
carries is not announced again as new."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from aggregator.models import Candidate, ParsedItem, Source, Validators
from aggregator.store import Store

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
POLITICS = Source(name="P", url="http://p.example/rss", categories=("politics",))
LABOUR = Source(name="L", url="http://l.example/rss", categories=("labour",))


def candidate(source: Source, n: int, published: datetime) -> Candidate:
    title = f"{source.name} بيان رقم {n}"
    item = ParsedItem(
        guid=f"{source.name}-{n}", link=f"{source.url}/{n}", title=title, summary_html="",
        content_html="", author=None, published=published, updated=None,
    )  # fmt: skip
    return Candidate(
        item=item,
        keys=(f"guid:{source.url}:{n}",),
        categories=frozenset(source.categories),
        search_text=f"{source.name.lower()} بيان رقم {n}",
    )


def record(store: Store, source: Source, batch: list[Candidate]) -> tuple[str, ...]:
    result = store.record_fetch(
        source, now=NOW, http_status=200, validators=Validators(), body_hash=None,
        candidates=batch, next_poll=NOW,
    )  # fmt: skip
    return result.new_ids


def test_old_items_are_pruned_except_each_feeds_newest(tmp_path: Path) -> None:
    old = NOW - timedelta(days=200)
    politics = [candidate(POLITICS, n, old + timedelta(hours=n)) for n in range(10)]
    politics += [candidate(POLITICS, n, NOW - timedelta(days=1, hours=n)) for n in (10, 11)]
    labour = [candidate(LABOUR, n, old + timedelta(hours=n)) for n in range(3)]
    with Store(tmp_path / "s.db") as store:
        store.sync_sources([POLITICS, LABOUR])
        assert len(record(store, POLITICS, politics)) == 12
        assert len(record(store, LABOUR, labour)) == 3
        store.flush_search_index()

        pruned = store.prune(NOW - timedelta(days=180), 5, ["politics", "labour"])

        # politics: the two recent items and the three newest old ones; labour is quiet,
        # so all three of its old items stay rather than leave an empty feed.
        assert pruned == 7
        kept = [i.title for i in store.latest_items("politics", 50)]
        assert kept == [politics[n].item.title for n in (10, 11, 9, 8, 7)]
        assert len(store.latest_items("labour", 50)) == 3
        assert store.count_items() == 8
        # Search forgets pruned items and still finds the kept ones.
        assert [i.title for i in store.search_items("بيان رقم 9", 10, category="politics")] == [
            politics[9].item.title
        ]
        assert store.search_items("بيان رقم 2", 10, category="politics") == []
        assert store.integrity_check() == "ok"

        # The source still carries its old items: none comes back as new.
        assert record(store, POLITICS, politics) == ()
        assert store.count_items() == 8


def test_retention_prunes_the_story_index_with_the_items_and_only_with_them(
    tmp_path: Path,
) -> None:
    """The story index holds every item retention keeps, however old, so a late copy of a
    kept item still joins its story; a pruned item's words and keys go with it."""
    from dataclasses import replace

    from aggregator.dedupe import StoryMatcher, story_signature

    texts = [
        "نقابة المعلمين تعلن إضراباً شاملاً في القاهرة احتجاجاً على تجميد الأجور منذ عام",
        "البرلمان يقر قانون الموازنة الجديد بأغلبية ضئيلة بعد جلسة عاصفة امتدت حتى الفجر",
    ]

    def signed(n: int, text: str, published: datetime) -> Candidate:
        c = candidate(POLITICS, n, published)
        item = replace(c.item, title=text, summary_html=text)
        return replace(c, item=item, story=story_signature(item))

    matcher = StoryMatcher(window=timedelta(hours=72))
    old, kept = NOW - timedelta(days=200), NOW - timedelta(days=100)
    batch = [signed(1, texts[0], old), signed(2, texts[1], kept)]
    with Store(tmp_path / "s.db") as store:
        store.sync_sources([POLITICS, LABOUR])
        store.record_fetch(
            POLITICS, now=NOW, http_status=200, validators=Validators(), body_hash=None,
            candidates=batch, next_poll=NOW, stories=matcher,
        )  # fmt: skip
        conn = store.db.conn
        assert conn.execute("SELECT count(*) FROM story_words").fetchone() == (2,)

        assert store.prune(NOW - timedelta(days=180), 0, ["politics"]) == 1

        words = conn.execute("SELECT n, item_id FROM story_words").fetchall()
        assert len(words) == 1
        keys = {n for (n,) in conn.execute("SELECT DISTINCT n FROM story_keys")}
        assert keys == {words[0][0]}  # the pruned item's keys went with its words
        # A copy of the 100-day-old item, published an hour after it, joins its story.
        copy = replace(signed(3, texts[1], kept + timedelta(hours=1)), keys=("guid:copy",))
        result = store.record_fetch(
            LABOUR, now=NOW, http_status=200, validators=Validators(), body_hash=None,
            candidates=[copy], next_poll=NOW, stories=matcher,
        )  # fmt: skip
        assert len(result.merged_ids) == 1 and not result.new_ids
