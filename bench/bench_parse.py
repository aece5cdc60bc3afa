"""How long one benchmark feed takes to parse: feedparser's path against the fast path.

    .venv/bin/python bench/bench_parse.py [--feeds 200] [--passes 5]

The feeds are the benchmark's (bench/corpus.py: Arabic news, 50 items each, RSS and Atom
alternating, every 50th in windows-1256), with the URL and Content-Type that
bench/feedserver.py serves them with. Two measures, in ms per feed, best of ``--passes``:

- reading the XML into feedparser's result: ``feedparser.parse`` (after the entity-bomb
  check that must precede it) against ``fastxml.read`` -- the step the fast path replaces;
- all of ``parse_feed`` with ``parse.FAST_PATH`` off and on -- what a poll pays, the
  sanitizing and building of items (the same both ways) included.

Both start from what ``_correct_charset`` returns, as in ``_parse_xml``. The fast path's
date memo is emptied before every pass, so repeated dates do not flatter it.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path

import feedparser

from aggregator import fastxml, parse

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import Corpus, render  # noqa: E402

BASE_URL = "http://127.0.0.1:8080"


def bench_feeds(n: int) -> list[tuple[bytes, str, dict[str, str]]]:
    """(body, url, headers) of the first ``n`` feeds, as bench/feedserver.py serves them."""
    feeds = []
    for feed in Corpus(n).feeds:
        kind = "rss" if feed.format == "rss" else "atom"
        headers = {"content-type": f"application/{kind}+xml; charset={feed.encoding}"}
        feeds.append((render(feed, BASE_URL), BASE_URL + feed.path, headers))
    return feeds


def ms_per_call(calls: Sequence[Callable[[], object]], passes: int) -> float:
    best = float("inf")
    for _ in range(passes):
        fastxml._date.cache_clear()
        started = time.perf_counter()
        for call in calls:
            call()
        best = min(best, (time.perf_counter() - started) / len(calls) * 1000)
    return best


def read_with_feedparser(
    body: bytes, response_headers: dict[str, str], headers: Mapping[str, str]
) -> object:
    """What _parse_xml does when the fast path declines."""
    parse._refuse_entity_bombs(body, headers)
    return feedparser.parse(
        io.BytesIO(body),
        response_headers=response_headers,
        resolve_relative_uris=True,
        sanitize_html=False,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200, help="feeds (default 200)")
    parser.add_argument("--passes", type=int, default=5, help="best of (default 5)")
    args = parser.parse_args()
    slow_passes = max(1, args.passes // 2)  # feedparser is slow, and steady

    feeds = bench_feeds(args.feeds)
    size = sum(len(body) for body, _, _ in feeds) / len(feeds) / 1024
    print(f"{len(feeds)} feeds of 50 items, {size:.0f} KB each on average")

    slow_reads, fast_reads = [], []
    for body, url, headers in feeds:  # from where _parse_xml starts reading
        body, corrected, _note = parse._correct_charset(body, headers)
        response_headers = parse._feedparser_headers(url, corrected)
        slow_reads.append(partial(read_with_feedparser, body, response_headers, corrected))
        fast_reads.append(partial(fastxml.read, body, response_headers))
    accepted = sum(read() is not None for read in fast_reads)
    print(f"the fast path takes {accepted} of {len(feeds)}")
    read_slow = ms_per_call(slow_reads, slow_passes)
    read_fast = ms_per_call(fast_reads, args.passes)

    whole = [partial(parse.parse_feed, body, url=url, headers=h) for body, url, h in feeds]
    parse.FAST_PATH = False
    whole_slow = ms_per_call(whole, slow_passes)
    parse.FAST_PATH = True
    whole_fast = ms_per_call(whole, args.passes)

    print(f"{'ms per feed':<34}{'feedparser':>12}{'fast path':>12}{'speed-up':>10}")
    for label, slow, fast in (
        ("reading the XML", read_slow, read_fast),
        ("parse_feed, sanitizing included", whole_slow, whole_fast),
    ):
        print(f"{label:<34}{slow:>12.2f}{fast:>12.2f}{slow / fast:>9.1f}x")


if __name__ == "__main__":
    main()
