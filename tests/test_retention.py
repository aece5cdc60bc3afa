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


def test_the_story_index_forgets_items_past_its_horizon(tmp_path: Path) -> None:
    """Maintenance keeps the story index at two dedupe windows, however long items stay."""
    from dataclasses import replace

    from aggregator.dedupe import StoryMatcher, story_horizon
    from aggregator.models import StorySignature

    def signed(n: int, published: datetime) -> Candidate:
        c = candidate(POLITICS, n, published)
        return replace(c, story=StorySignature(features=f"t{n}\x1f", bands=(n, 100 + n)))

    window = timedelta(hours=72)
    batch = [signed(1, NOW - timedelta(days=1)), signed(2, NOW - timedelta(days=5))]
    with Store(tmp_path / "s.db") as store:
        store.sync_sources([POLITICS])
        store.record_fetch(
            POLITICS, now=NOW, http_status=200, validators=Validators(), body_hash=None,
            candidates=batch, next_poll=NOW, stories=StoryMatcher(window=window),
        )  # fmt: skip
        conn = store.db.conn
        assert conn.execute("SELECT count(*) FROM story_words").fetchone() == (2,)

        store.prune_story_index(story_horizon(NOW + timedelta(days=2), window))

        words = conn.execute("SELECT n, item_id FROM story_words").fetchall()
        assert [item_id for _, item_id in words] == [store.latest_items("politics", 1)[0].id]
        keys = conn.execute("SELECT band, n FROM story_keys ORDER BY band").fetchall()
        assert keys == [(1, words[0][0]), (101, words[0][0])]
        assert store.count_items() == 2  # the items themselves stay
