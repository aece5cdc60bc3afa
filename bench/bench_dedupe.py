"""How fast the near-duplicate layer matches new items as the store grows.

    .venv/bin/python bench/bench_dedupe.py [--sizes 10000 100000] [--probe 2000]

For each size N: a fresh SQLite store is filled with N synthetic items (through the same
``Store.record_fetch`` path a poll takes, story matching on), every one published inside
the 72 h dedupe window, which is the worst case: all N are candidates by date. Then
``--probe`` new items (half rewrites of stored stories, half new stories) are stored and
matched, and the table shows items matched per second, merges found, and the size of the
band index. Matching should cost about the same at 100,000 items as at 10,000: band keys
are looked up by index, never scanned.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aggregator.dedupe import StoryMatcher, identity_keys, story_signature
from aggregator.models import Candidate, ParsedItem, Source, Validators
from aggregator.store import Store

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
BATCH = 500  # items per synthetic poll (one transaction), like a big feed

# Word pools: actors, places, verbs, objects; headlines draw from them like news does, so
# many stored items share words (the hard case for candidate counts), few share stories.
_LETTERS = "abcdefghijklmnoprstuvwyz" + "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def _words(count: int, rng: random.Random) -> list[str]:
    """Pronounceable-enough distinct words without digits (digits are split off as numbers
    by the matcher, which would make every synthetic word share a stem)."""
    out: set[str] = set()
    while len(out) < count:
        alphabet = _LETTERS[:24] if rng.random() < 0.5 else _LETTERS[24:]
        out.add("".join(rng.choice(alphabet) for _ in range(rng.randrange(4, 9))))
    return sorted(out)


_VOCAB = random.Random(1)
ACTORS = _words(400, _VOCAB) + ["نقابة", "الحكومة", "الرئيس", "البرلمان"]
PLACES = _words(300, _VOCAB) + ["القاهرة", "تونس", "بيروت", "الخرطوم"]
VERBS = _words(200, _VOCAB) + ["يعلن", "يرفض", "يقر", "announces", "rejects"]
OBJECTS = _words(2000, _VOCAB)
FILLER = _words(5000, _VOCAB)


def headline(rng: random.Random) -> tuple[str, str]:
    actor, place, verb = rng.choice(ACTORS), rng.choice(PLACES), rng.choice(VERBS)
    objects = rng.sample(OBJECTS, 3)
    title = f"{actor} {verb} {objects[0]} {objects[1]} in {place}"
    body = " ".join(
        [actor, verb, *objects, place, *rng.sample(FILLER, 25), str(rng.randrange(10, 999))]
    )
    return title, body


def rewrite(title: str, body: str, rng: random.Random) -> tuple[str, str]:
    """Another outlet's telling: a prefix, one word swapped, the text cut and extended."""
    words = title.split()
    words[rng.randrange(len(words))] = rng.choice(FILLER)
    text = body.split()
    return "Breaking: " + " ".join(words), " ".join(text[:-4] + rng.sample(FILLER, 4))


def item(n: int, title: str, body: str, published: datetime) -> ParsedItem:
    return ParsedItem(
        guid=f"g{n}",
        link=f"https://outlet.example/{n}",
        title=title,
        summary_html=body,
        content_html="",
        author=None,
        published=published,
        updated=None,
    )


def candidate(source: Source, parsed: ParsedItem) -> Candidate:
    return Candidate(
        item=parsed,
        keys=identity_keys(source.url, parsed),
        categories=frozenset({"politics"}),
        story=story_signature(parsed),
    )


def store_batch(store: Store, source: Source, items: list[ParsedItem], matcher) -> int:
    result = store.record_fetch(
        source,
        now=NOW,
        http_status=200,
        validators=Validators(),
        body_hash=None,
        candidates=[candidate(source, i) for i in items],
        next_poll=NOW,
        stories=matcher,
    )
    return len(result.merged_ids)


def run(size: int, probe: int, seed: int = 7) -> dict[str, float]:
    rng = random.Random(seed)
    matcher = StoryMatcher()
    stored: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        sources = [
            Source(name=f"s{i}", url=f"https://s{i}.example/feed", categories=("politics",))
            for i in range(size // BATCH + 2)
        ]
        store.sync_sources(sources)
        started = time.perf_counter()
        n = 0
        for s in range(size // BATCH):
            batch = []
            for _ in range(BATCH):
                title, body = headline(rng)
                stored.append((title, body))
                published = NOW - timedelta(seconds=rng.randrange(0, 72 * 3600))
                batch.append(item(n, title, body, published))
                n += 1
            store_batch(store, sources[s], batch, matcher)
        fill = time.perf_counter() - started

        probes = []
        for i in range(probe):
            if i % 2 == 0:
                title, body = rewrite(*rng.choice(stored), rng)
            else:
                title, body = headline(rng)
            probes.append(item(n + i, title, body, NOW - timedelta(minutes=rng.randrange(600))))
        started = time.perf_counter()
        merged = 0
        for start in range(0, probe, 100):  # polls of 100 new items
            merged += store_batch(store, sources[-1], probes[start : start + 100], matcher)
        elapsed = time.perf_counter() - started
        bands = store.db.conn.execute("SELECT count(*) FROM story_keys").fetchone()[0]
        store.close()
    return {
        "size": size,
        "fill_rate": size / fill,
        "rate": probe / elapsed,
        "ms": 1000 * elapsed / probe,
        "merged": merged,
        "probe": probe,
        "bands": bands,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--probe", type=int, default=2000)
    args = parser.parse_args()
    print(
        f"{'stored items':>12}  {'matched/s':>9}  {'ms/item':>7}  {'merged':>13}  "
        f"{'band rows':>9}  {'fill items/s':>12}"
    )
    for size in args.sizes:
        r = run(size, args.probe)
        print(
            f"{r['size']:>12,}  {r['rate']:>9,.0f}  {r['ms']:>7.2f}  "
            f"{r['merged']:>6}/{r['probe']:<6}  {r['bands']:>9,}  {r['fill_rate']:>12,.0f}"
        )


if __name__ == "__main__":
    main()
