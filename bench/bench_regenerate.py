"""Regenerating every published file must cost the same at 1,000,000 stored items as at
10,000: each feed's query is an index range scan with LIMIT, never a scan of the store.

    .venv/bin/python bench/bench_regenerate.py [--sizes 10000,1000000] [--keep DIR]

Fills a store per size through Store's own insert path (in one transaction per 10,000
items, no fetching or parsing), then times ``pipeline.render_all`` and
``pipeline.regenerate`` (best of 5), and prints the query plan SQLite chose for every
statement render_all ran (captured with a trace callback), so an unindexed scan or a
sort of the whole table shows up as ``SCAN`` / ``USE TEMP B-TREE``.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aggregator import pipeline
from aggregator.models import (
    Candidate,
    Category,
    ParsedItem,
    PollSettings,
    Settings,
    Site,
    Source,
    Storage,
)
from aggregator.store import Store

CATEGORIES = ("politics", "labour", "women", "secularism")
WORDS = "الحكومة العمال النقابة الإضراب المرأة الحقوق العلمانية الدولة البرلمان الشعب".split()  # noqa: SIM905


def settings_for(db: Path, sources: list[Source]) -> Settings:
    return Settings(
        site=Site(title="bench", base_url="http://127.0.0.1:8080", max_items=50),
        storage=Storage(path=str(db)),
        poll=PollSettings(),
        categories=tuple(Category(name=c, title=c) for c in CATEGORIES),
        sources=tuple(sources),
    )


def fill(db: Path, n: int) -> list[Source]:
    sources = [
        Source(name=f"s{i}", url=f"http://127.0.0.1/feeds/{i}.xml", categories=(CATEGORIES[i % 4],))
        for i in range(100)
    ]
    rng = random.Random(n)
    now = datetime.now(UTC).replace(microsecond=0)
    store = Store(db)
    store.sync_sources(sources)
    made = 0
    started = time.perf_counter()
    while made < n:
        with store._write():  # one transaction per chunk: this is a loader, not a poll
            for _ in range(min(10_000, n - made)):
                source = sources[made % len(sources)]
                title = " ".join(rng.choice(WORDS) for _ in range(8)) + f" {made}"
                item = ParsedItem(
                    guid=f"g{made}",
                    link=f"https://news.example.org/a/{made}",
                    title=title,
                    summary_html=f"<p>{title}</p>",
                    content_html="",
                    author=None,
                    published=now - timedelta(seconds=rng.randint(0, 365 * 86400)),
                    updated=None,
                )
                candidate = Candidate(
                    item=item,
                    keys=(f"guid:{source.url}\n{item.guid}", f"link:{item.link}"),
                    categories=frozenset(source.categories),
                )
                store._insert_item(source, candidate, f"{made:064x}", now)
                made += 1
        print(f"  filled {made:,} ({made / (time.perf_counter() - started):,.0f}/s)", flush=True)
    store.close()
    return sources


def best_of(fn, times: int = 5) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(times):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--keep", default="/tmp/aggregator-bench/regenerate", help="stores here")
    args = parser.parse_args()
    results: dict[int, tuple[float, float]] = {}
    for n in (int(s) for s in args.sizes.split(",")):
        db = Path(args.keep) / f"items-{n}.db"
        sources_marker = db.with_suffix(".done")
        if not sources_marker.exists():
            shutil.rmtree(db.parent / f"items-{n}.db-wal", ignore_errors=True)
            db.unlink(missing_ok=True)
            db.parent.mkdir(parents=True, exist_ok=True)
            print(f"filling {db} with {n:,} items", flush=True)
            fill(db, n)
            sources_marker.touch()
        sources = [
            Source(
                name=f"s{i}", url=f"http://127.0.0.1/feeds/{i}.xml", categories=(CATEGORIES[i % 4],)
            )
            for i in range(100)
        ]
        settings = settings_for(db, sources)
        with Store(db) as store:
            assert store.count_items() == n, store.count_items()
            statements: list[str] = []
            store.db.conn.set_trace_callback(statements.append)
            pipeline.render_all(settings, store, datetime.now(UTC))
            store.db.conn.set_trace_callback(None)
            render = best_of(
                lambda s=settings, st=store: pipeline.render_all(s, st, datetime.now(UTC))
            )
            regen = best_of(lambda s=settings, st=store: pipeline.regenerate(s, st))
            results[n] = (render, regen)
            print(f"N={n:,}: render_all {render * 1000:.0f} ms, regenerate {regen * 1000:.0f} ms")
            seen = set()
            for sql in statements:
                head = sql.lstrip().split(None, 1)[0].upper()
                if head != "SELECT":
                    continue
                shape = sql[:120]
                if shape in seen:
                    continue
                seen.add(shape)
                plan = store.db.conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
                print(f"  {sql[:160]}")
                for row in plan:
                    print(f"      {row[-1]}")
    if len(results) > 1:
        small, large = min(results), max(results)
        ratio = results[large][1] / results[small][1]
        verdict = "ok" if ratio <= 2 else "MISSED"
        print(f"regenerate at {large:,} / at {small:,}: {ratio:.2f}x (target <= 2x): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
