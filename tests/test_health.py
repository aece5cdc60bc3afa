"""/healthz: 503 with ``ok: false`` and the reasons when polling is not working.

The rule (README, "Health"): unhealthy when the poller stalled (a source overdue by more
than its interval plus twice the fetch timeout), when no source has succeeded within its
interval, or when more than half of the sources are failing. Checked over a real server
after real polls, and as a table over the pure decision.
"""

from __future__ import annotations

import dataclasses
import io
from contextlib import redirect_stdout
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from feedserver import FeedServer, Route
from test_server import serving

from aggregator.cli import main
from aggregator.models import PollSettings, Settings, Site, Source, SourceState, Storage
from aggregator.server import judge_health

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def rss(guid: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        "<link>https://x.example/</link><description>d</description>"
        f"<item><title>خبر {guid}</title><guid>{guid}</guid>"
        f"<link>https://x.example/{guid}</link></item></channel></rss>"
    ).encode()


def write_config(tmp_path: Path, urls: dict[str, str]) -> Path:
    lines = [
        "site: {title: 'منبر', base_url: 'http://127.0.0.1', language: ar}",
        "storage: {path: health.db}",
        "poll: {interval: 15m, timeout: 3s}",
        "categories: {politics: {title: سياسة}}",
        "sources:",
    ]
    for name, url in urls.items():
        lines.append(f"  - {{name: {name}, url: '{url}', categories: [politics]}}")
    config = tmp_path / "feeds.yaml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def poll(config: Path) -> int:
    with redirect_stdout(io.StringIO()):
        return main(["poll", "--config", str(config)])


def test_503_while_every_source_fails(tmp_path: Path, feed_server: FeedServer) -> None:
    """DNS failures and 5xx from every source: not healthy, and it says which and why."""
    feed_server.routes["/down.rss"] = Route(status=500, body=b"oops")
    feed_server.routes["/busy.rss"] = Route(status=503)
    config = write_config(
        tmp_path,
        {
            "down": feed_server.url("/down.rss"),
            "busy": feed_server.url("/busy.rss"),
            "nowhere": "http://feeds.unresolvable.invalid/rss",
        },
    )
    assert poll(config) == 1
    with serving(config) as url:
        answer = httpx.get(url + "/healthz")
    assert answer.status_code == 503
    body = answer.json()
    assert body["ok"] is False
    assert "no source has succeeded within its interval" in body["reasons"]
    assert "3 of 3 sources are failing (more than half)" in body["reasons"]
    failing = {f["name"]: f["error"] for f in body["failing"]}
    assert set(failing) == {"down", "busy", "nowhere"}
    assert "HTTP 500" in failing["down"] and "HTTP 503" in failing["busy"]
    assert body["succeeding"] == 0 and body["last_poll"]


def test_more_than_half_failing_is_503_and_fewer_is_200(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    feed_server.routes["/good.rss"] = Route(body=rss("g"))
    feed_server.routes["/bad1.rss"] = Route(status=500)
    feed_server.routes["/bad2.rss"] = Route(status=500)
    urls = {
        "good": feed_server.url("/good.rss"),
        "bad1": feed_server.url("/bad1.rss"),
        "bad2": feed_server.url("/bad2.rss"),
    }
    config = write_config(tmp_path, urls)
    assert poll(config) == 0  # one source is fine: the poll itself worked
    with serving(config) as url:
        answer = httpx.get(url + "/healthz")
    assert answer.status_code == 503
    assert answer.json()["reasons"] == ["2 of 3 sources are failing (more than half)"]
    # one of three failing: healthy, and the failing one is still named
    feed_server.routes["/bad2.rss"] = Route(body=rss("b"))
    assert main(["poll", "--all", "--config", str(config)]) == 0
    with serving(config) as url:
        answer = httpx.get(url + "/healthz")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["ok"] is True and body["reasons"] == []
    assert [f["name"] for f in body["failing"]] == ["bad1"] and body["succeeding"] == 2


# --- the decision, as a table ----------------------------------------------------------

SOURCES = tuple(
    Source(name=f"s{n}", url=f"https://x.example/{n}", categories=("politics",)) for n in range(4)
)
SETTINGS = Settings(
    site=Site(title="t", base_url="http://x"),
    storage=Storage(),
    poll=PollSettings(interval=900.0, timeout=30.0),
    categories=(),
    sources=SOURCES,
)


def ok(n: int, *, polled_ago: float = 60, due_in: float = 840) -> SourceState:
    return SourceState(
        url=SOURCES[n].url,
        name=SOURCES[n].name,
        last_poll=NOW - timedelta(seconds=polled_ago),
        last_success=NOW - timedelta(seconds=polled_ago),
        next_poll=NOW + timedelta(seconds=due_in),
    )


def failing(n: int) -> SourceState:
    return SourceState(
        url=SOURCES[n].url,
        name=SOURCES[n].name,
        last_poll=NOW - timedelta(minutes=1),
        last_success=NOW - timedelta(days=2),
        last_error="HTTP 500",
        error_count=3,
        next_poll=NOW + timedelta(hours=2),
    )


def never(n: int) -> SourceState:
    return SourceState(url=SOURCES[n].url, name=SOURCES[n].name)


CASES = {
    "all fine": ([ok(0), ok(1), ok(2), ok(3)], []),
    "one of four failing": ([ok(0), ok(1), ok(2), failing(3)], []),
    "two of four failing (half, not more)": ([ok(0), ok(1), failing(2), failing(3)], []),
    "three of four failing": (
        [ok(0), failing(1), failing(2), failing(3)],
        ["3 of 4 sources are failing (more than half)"],
    ),
    "every source failing": (
        [failing(0), failing(1), failing(2), failing(3)],
        [
            "no source has succeeded within its interval",
            "4 of 4 sources are failing (more than half)",
        ],
    ),
    # due 10 min ago: within the interval (15 min) plus twice the timeout
    "a poll a little late": ([ok(0, polled_ago=1500, due_in=-600), ok(1)], []),
    # due 20 min ago: more than 15 min + 1 min: nothing is polling
    "the poller stalled": (
        [ok(0, polled_ago=2100, due_in=-1200), ok(1, polled_ago=2100, due_in=-1200)],
        [
            "polling has stalled: 2 source(s) overdue by more than their interval "
            "(is the poller running?)",
            "no source has succeeded within its interval",
        ],
    ),
    "not polled yet": ([never(0), never(1)], ["no source has been polled yet"]),
    "a first poll under way": ([ok(0), never(1), never(2), failing(3)], []),
    "no sources": ([], []),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_health_rule(case: str) -> None:
    states, reasons = CASES[case]
    healthy, body = judge_health(SETTINGS, states, NOW - timedelta(minutes=1), NOW)
    assert body["reasons"] == reasons
    assert healthy is body["ok"] is (not reasons)


def test_a_gone_source_is_listed_but_not_counted() -> None:
    gone = SourceState(url=SOURCES[1].url, name="s1", gone=True, error_count=1)
    healthy, body = judge_health(SETTINGS, [ok(0), gone], None, NOW)
    assert healthy and body["gone"] == ["s1"] and body["failing"] == []


def test_a_sources_own_longer_interval_is_not_a_stall() -> None:
    slow = Source(name="s0", url=SOURCES[0].url, categories=("politics",), interval=86400)
    settings = dataclasses.replace(SETTINGS, sources=(slow,))
    late = ok(0, polled_ago=86400 + 3600, due_in=-3600)  # daily source, an hour late
    assert judge_health(settings, [late], None, NOW)[0] is True
