"""When sources are polled: cadence, backoff, Retry-After, ttl and moves, over a fake clock.

The daemon's poller (``scheduler.Poller``) runs for real against a real HTTP server on
127.0.0.1, but its clock is a variable the test moves one second at a time and its jitter
is fixed, so each source's poll times are exact and nothing depends on how loaded the
machine is. The wall-clock daemon test (test_daemon.py) only checks that the pieces run
together.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from feedserver import FeedServer, Route

from aggregator import pipeline
from aggregator.config import load_settings
from aggregator.models import Settings, Source
from aggregator.scheduler import Poller

T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def rss(guid: str, *, ttl: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        f"<link>https://x.example/</link><description>d</description>{ttl}"
        f"<item><title>خبر {guid}</title><guid>{guid}</guid>"
        f"<link>https://x.example/{guid}</link></item></channel></rss>"
    ).encode()


def settings_for(tmp_path: Path, server: FeedServer, paths: list[str]) -> Settings:
    lines = [
        "site: {title: 'منبر', base_url: 'http://127.0.0.1', language: ar, max_items: 20}",
        "storage: {path: clock.db}",
        "poll: {interval: 2s, timeout: 5s}",
        "categories: {politics: {title: سياسة}}",
        "sources:",
    ]
    for path in paths:
        name = path.strip("/").split(".")[0]
        lines.append(f"  - {{name: {name}, url: '{server.url(path)}', categories: [politics]}}")
    config = tmp_path / "feeds.yaml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_settings(config)


class FakeClock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


async def _settle(poller: Poller) -> None:
    """Until every poll the last dispatch started has ended."""
    while poller.in_flight:
        await asyncio.wait(set(poller.in_flight.values()))


@pytest.fixture
def poller_for(tmp_path: Path, feed_server: FeedServer) -> Iterator[Callable[..., Poller]]:
    started: list[Poller] = []

    def make(paths: list[str], clock: FakeClock) -> Poller:
        poller = Poller(settings_for(tmp_path, feed_server, paths), clock=clock, jitter=lambda: 0.0)
        poller.start()
        started.append(poller)
        return poller

    yield make
    for poller in started:
        poller.stop()


def run_clock(
    poller: Poller,
    clock: FakeClock,
    server: FeedServer,
    paths: list[str],
    seconds: int,
    at_second: Callable[[int], None] = lambda t: None,
) -> dict[str, list[int]]:
    """Each second of fake time: dispatch what is due, wait for those polls to end, and
    note which paths the server was asked for. Returns the seconds each path was fetched."""
    fetched: dict[str, list[int]] = {path: [] for path in paths}
    for t in range(seconds + 1):
        clock.now = T0 + timedelta(seconds=t)
        poller.call(poller.dispatch()).result(timeout=30)
        poller.call(_settle(poller)).result(timeout=30)
        for path in paths:
            fetched[path] += [t] * (len(server.requests_for(path)) - len(fetched[path]))
        at_second(t)
    return fetched


def test_cadence_backoff_retry_after_gone_and_moved_over_a_fake_clock(
    poller_for: Callable[..., Poller], feed_server: FeedServer
) -> None:
    feed_server.routes["/healthy.rss"] = Route(body=rss("one"))
    feed_server.routes["/flaky.rss"] = Route(status=500, body=b"oops")
    feed_server.routes["/busy.rss"] = Route(status=503, headers={"Retry-After": "5"})
    feed_server.routes["/gone.rss"] = Route(status=410)
    feed_server.routes["/old.rss"] = Route(status=301, headers={"Location": "/new.rss"})
    feed_server.routes["/new.rss"] = Route(body=rss("moved"))
    sources = ["/healthy.rss", "/flaky.rss", "/busy.rss", "/gone.rss", "/old.rss"]
    clock = FakeClock()
    poller = poller_for(sources, clock)

    def recover(t: int) -> None:
        if t == 6:  # after its third failure, the flaky source comes back
            feed_server.routes["/flaky.rss"] = Route(body=rss("back"))

    fetched = run_clock(poller, clock, feed_server, [*sources, "/new.rss"], 24, recover)

    # every 2 s (the interval) while healthy, whether it answers 200 or 304
    assert fetched["/healthy.rss"] == list(range(0, 25, 2))
    # failing: 2, 4, 8 s apart (interval x 2^n); the first success returns to 2 s
    assert fetched["/flaky.rss"] == [0, 2, 6, 14, 16, 18, 20, 22, 24]
    # 503 with Retry-After: 5 waits 5 s, longer than the interval
    assert fetched["/busy.rss"] == [0, 5, 10, 15, 20]
    # 410: never again
    assert fetched["/gone.rss"] == [0]
    # 301 seen on two polls in a row is adopted: then only the new URL is fetched
    assert fetched["/old.rss"] == [0, 2]
    assert fetched["/new.rss"] == list(range(0, 25, 2))
    assert poller.store is not None
    states = {s.name: s for s in poller.store.source_states()}
    assert states["gone"].gone and states["flaky"].error_count == 0
    assert states["old"].fetch_url == feed_server.url("/new.rss")
    assert states["busy"].error_count == 5 and "HTTP 503" in (states["busy"].last_error or "")


def test_a_feeds_ttl_and_max_age_lengthen_its_interval(
    poller_for: Callable[..., Poller], feed_server: FeedServer
) -> None:
    # <ttl> is in minutes: 1 min would be 30 intervals, so it is held to 6 (12 s)
    feed_server.routes["/ttl.rss"] = Route(body=rss("t", ttl="<ttl>1</ttl>"))
    feed_server.routes["/cached.rss"] = Route(
        body=rss("c"), headers={"Cache-Control": "public, max-age=5"}
    )
    sources = ["/ttl.rss", "/cached.rss"]
    clock = FakeClock()
    fetched = run_clock(poller_for(sources, clock), clock, feed_server, sources, 12)
    # Only after a poll that parsed the feed: the ttl is not kept in the poll state, so
    # a 304 or an unchanged body falls back to the interval (a known gap).
    assert fetched["/ttl.rss"][:2] == [0, 12]
    assert fetched["/cached.rss"][:2] == [0, 5]


def test_due_sources_resume_from_the_stored_schedule(
    poller_for: Callable[..., Poller], feed_server: FeedServer
) -> None:
    """A second poller over the same database (a restart) polls nothing before it is due."""
    feed_server.routes["/a.rss"] = Route(body=rss("a"))
    clock = FakeClock()
    first = poller_for(["/a.rss"], clock)
    assert run_clock(first, clock, feed_server, ["/a.rss"], 0) == {"/a.rss": [0]}
    first.stop()
    clock.now = T0
    second = poller_for(["/a.rss"], clock)
    assert run_clock(second, clock, feed_server, ["/a.rss"], 2) == {"/a.rss": [0, 2]}


# --- the arithmetic, as pure functions -------------------------------------------------


def _source(interval: float = 900.0) -> tuple[Settings, Source]:
    from aggregator.models import PollSettings, Site, Storage

    source = Source(name="s", url="https://x.example/feed", categories=("politics",))
    settings = Settings(
        site=Site(title="t", base_url="http://x"),
        storage=Storage(),
        poll=PollSettings(interval=interval),
        categories=(),
        sources=(source,),
    )
    return settings, source


def _after_error(errors: int, retry_after: float | None = None, jitter: float = 0.0) -> float:
    settings, source = _source()
    at = pipeline.next_poll_after_error(
        settings, source, T0, errors_so_far=errors, retry_after=retry_after, jitter=lambda: jitter
    )
    return (at - T0).total_seconds()


def test_backoff_doubles_to_a_day_and_retry_after_never_polls_sooner_than_the_interval() -> None:
    assert [_after_error(n) for n in range(4)] == [900, 1800, 3600, 7200]
    assert _after_error(7) == _after_error(40) == 24 * 3600  # capped at a day
    assert _after_error(0, retry_after=7200) == 7200  # longer than the interval: honoured
    assert _after_error(0, retry_after=10 * 86400) == 24 * 3600  # but a day at most
    assert _after_error(0, retry_after=1) == 900  # never sooner than the interval
    assert _after_error(3, retry_after=60) == 900  # and it ends the backoff
    assert _after_error(1, jitter=0.1) == pytest.approx(1980)  # jitter: a share of the delay


def test_success_waits_the_interval_stretched_by_the_feed_up_to_six_times() -> None:
    settings, source = _source(interval=600)

    def after(ttl: float | None, jitter: float = 0.0) -> float:
        at = pipeline.next_poll_after_success(
            settings, source, T0, feed_ttl=ttl, jitter=lambda: jitter
        )
        return (at - T0).total_seconds()

    assert after(None) == 600
    assert after(60) == 600  # a shorter ttl does not make us poll sooner
    assert after(1800) == 1800
    assert after(86400) == 3600  # held to 6 intervals
    assert after(None, jitter=0.1) == pytest.approx(660)
    own = dataclasses.replace(source, interval=60.0)
    at = pipeline.next_poll_after_success(settings, own, T0, jitter=lambda: 0.0)
    assert (at - T0).total_seconds() == 60  # a source's own interval wins


def test_jitter_is_at_most_a_tenth() -> None:
    draws = [pipeline.random_jitter() for _ in range(2000)]
    assert all(0 <= d <= 0.1 for d in draws) and max(draws) > 0.09 and min(draws) < 0.01
