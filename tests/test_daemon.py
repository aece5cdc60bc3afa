"""`aggregator run` as a real subprocess against a fixture server, with intervals of seconds.

These check that the pieces run together (signals, the server, the poller, the store); the
exact poll times are tests/test_scheduler.py's, over a fake clock. Here every wait is for
something to happen, with a deadline, and timings are only checked from below (a loaded
machine makes things later, never sooner)."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from conftest import DATA
from feedserver import FeedServer, Route
from test_server import free_port

SITE = DATA / "site"
pytestmark = pytest.mark.slow
# systemd's TimeoutStopSec in deploy/aggregator.service: a stop must end well before it.
STOP_LIMIT = 15


def config_text(server: FeedServer, sources: list[tuple[str, str, str]], interval: str) -> str:
    lines = [
        "site: {title: 'منبر', base_url: 'http://127.0.0.1', language: ar, max_items: 20}",
        "storage: {path: daemon.db}",
        f"poll: {{interval: {interval}, timeout: 2s}}",
        "categories: {politics: {title: سياسة}, labour: {title: عمال}}",
        "sources:",
    ]
    for name, path, category in sources:
        lines.append(f"  - {{name: {name}, url: '{server.url(path)}', categories: [{category}]}}")
    return "\n".join(lines) + "\n"


class Daemon(subprocess.Popen[str]):
    """`aggregator run`, its log read as it comes (so a test can wait for a line)."""

    def __init__(self, config: Path, port: int) -> None:
        super().__init__(
            [
                sys.executable,
                "-m",
                "aggregator",
                "run",
                "--config",
                str(config),
                "--port",
                str(port),
            ],
            stderr=subprocess.PIPE,
            text=True,
            cwd=config.parent,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.stderr is not None
        for line in self.stderr:
            self.lines.append(line)

    @property
    def log(self) -> str:
        return "".join(self.lines)


@contextmanager
def daemon(config: Path, port: int) -> Iterator[Daemon]:
    proc = Daemon(config, port)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.log
                assert time.monotonic() < deadline, "the daemon did not start serving"
                time.sleep(0.1)
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def stop(proc: Daemon) -> tuple[int, float, str]:
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=STOP_LIMIT + 5)
    took = time.monotonic() - started
    proc.reader.join(5)
    return proc.returncode, took, proc.log


def wait_for(check: Callable[[], bool], timeout: float = 30) -> bool:
    """Until ``check()`` holds, or ``timeout`` seconds (generous: a deadline, not a claim)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def polled_sources(db: Path) -> int:
    """Sources whose poll is committed (read as another process would)."""
    if not db.exists():
        return 0
    with contextlib.closing(sqlite3.connect(db, timeout=30)) as conn:
        try:
            row = conn.execute("SELECT count(*) FROM sources WHERE last_poll IS NOT NULL")
        except sqlite3.OperationalError:  # the schema is not there yet
            return 0
        return int(row.fetchone()[0])


def rss(title: str, guid: str, extra: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        "<link>https://x.example/</link><description>d</description>"
        f"<item><title>{title}</title><guid>{guid}</guid><link>https://x.example/{guid}</link>"
        "<pubDate>Sat, 28 Nov 2026 10:00:00 GMT</pubDate></item>"
        f"{extra}</channel></rss>"
    ).encode()


def gaps(server: FeedServer, path: str) -> list[float]:
    times = [r.at for r in server.requests_for(path)]
    return [round(b - a, 1) for a, b in zip(times, times[1:], strict=False)]


def test_the_daemon_polls_backs_off_honours_the_server_and_stops_cleanly(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    healthy = rss("خبر أول", "one")
    feed_server.routes["/healthy.rss"] = Route(body=healthy)
    feed_server.routes["/flaky.rss"] = Route(status=500, body=b"oops")
    feed_server.routes["/busy.rss"] = Route(status=503, headers={"Retry-After": "5"})
    feed_server.routes["/gone.rss"] = Route(status=410)
    feed_server.routes["/old.rss"] = Route(status=301, headers={"Location": "/new.rss"})
    feed_server.routes["/new.rss"] = Route(body=rss("انتقل", "moved"))
    sources = [
        ("healthy", "/healthy.rss", "politics"),
        ("flaky", "/flaky.rss", "labour"),
        ("busy", "/busy.rss", "labour"),
        ("gone", "/gone.rss", "labour"),
        ("moved", "/old.rss", "politics"),
    ]
    config = tmp_path / "feeds.yaml"
    config.write_text(config_text(feed_server, sources, "2s"), encoding="utf-8")
    port = free_port()
    with daemon(config, port) as proc:
        feed = f"http://127.0.0.1:{port}/feeds/all.atom"
        assert wait_for(lambda: "خبر أول" in httpx.get(feed).text)
        # three failures of the flaky source (its backoff: 2, then 4 s)
        assert wait_for(lambda: len(feed_server.requests_for("/flaky.rss")) >= 3)
        # the flaky source recovers; a reader of the served feed sees a new item appear
        feed_server.routes["/flaky.rss"] = Route(body=rss("عاد", "back"))
        second = (
            "<item><title>خبر ثان</title><guid>two</guid><link>https://x.example/2</link></item>"
        )
        feed_server.routes["/healthy.rss"] = Route(body=rss("خبر أول", "one", extra=second))
        assert wait_for(lambda: "خبر ثان" in httpx.get(feed).text)
        # after the success, polled at the interval again
        assert wait_for(lambda: len(feed_server.requests_for("/flaky.rss")) >= 6, 60)
        assert wait_for(lambda: "عاد" in httpx.get(feed).text)
        assert wait_for(lambda: len(feed_server.requests_for("/new.rss")) >= 3)
        metrics = httpx.get(f"http://127.0.0.1:{port}/metrics").text
        code, took, err = stop(proc)

    assert code == 0, err
    assert took < STOP_LIMIT, took
    for line in (
        'aggregator_polls_total{outcome="error"}',
        'aggregator_polls_total{outcome="new"}',
        "aggregator_fetch_seconds_bucket",
        "aggregator_items_stored 4.0",
    ):
        assert line in metrics, line
    # Never sooner than due (due times are whole seconds, looked for once a second, so a
    # gap may be up to a second short of the delay); the exact times: test_scheduler.py.
    healthy_gaps = gaps(feed_server, "/healthy.rss")
    assert len(healthy_gaps) >= 3 and all(g >= 1.0 for g in healthy_gaps), healthy_gaps
    flaky = gaps(feed_server, "/flaky.rss")  # backing off: 2, 4 (then the success)
    assert flaky[0] >= 1.0 and flaky[1] >= 3.0 and flaky[1] > flaky[0], flaky
    busy = gaps(feed_server, "/busy.rss")  # Retry-After: 5
    assert busy and all(g >= 4.0 for g in busy), busy
    # 410 ends polling
    assert len(feed_server.requests_for("/gone.rss")) == 1
    # 301: seen twice, then the new URL is polled directly
    assert len(feed_server.requests_for("/old.rss")) == 2
    assert len(feed_server.requests_for("/new.rss")) >= 3
    assert "feeds.yaml still has" in err
    with sqlite3.connect(tmp_path / "daemon.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 4
        moved = db.execute("SELECT fetch_url FROM sources WHERE name = 'moved'").fetchone()[0]
        assert moved == feed_server.url("/new.rss")
    listing = subprocess.run(
        [sys.executable, "-m", "aggregator", "sources", "--config", str(config)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout
    assert "gone" in listing and "moved to" in listing


def test_sighup_reloads_and_refuses_a_bad_config(tmp_path: Path, feed_server: FeedServer) -> None:
    feed_server.routes["/a.rss"] = Route(body=rss("أ", "a"))
    feed_server.routes["/b.rss"] = Route(body=rss("ب", "b"))
    config = tmp_path / "feeds.yaml"
    config.write_text(config_text(feed_server, [("a", "/a.rss", "politics")], "1h"), "utf-8")
    port = free_port()
    with daemon(config, port) as proc:
        assert wait_for(lambda: len(feed_server.requests_for("/a.rss")) == 1, 5)
        good = config_text(
            feed_server, [("a", "/a.rss", "politics"), ("b", "/b.rss", "labour")], "1h"
        )
        config.write_text(good.replace("poll:", "bogus: 1\npoll:"), "utf-8")
        proc.send_signal(signal.SIGHUP)
        assert wait_for(lambda: "keeping the running config" in proc.log)
        assert not feed_server.requests_for("/b.rss")  # refused: still the old config
        config.write_text(good, "utf-8")
        proc.send_signal(signal.SIGHUP)
        assert wait_for(lambda: len(feed_server.requests_for("/b.rss")) == 1, 5)
        code, _took, err = stop(proc)
    assert code == 0
    assert "keeping the running config" in err and "bogus" in err
    assert len(feed_server.requests_for("/a.rss")) == 1  # restart-free reload, no re-poll


def test_a_restart_resumes_the_schedule(tmp_path: Path, feed_server: FeedServer) -> None:
    feed_server.routes["/a.rss"] = Route(body=rss("أ", "a"))
    feed_server.routes["/b.rss"] = Route(body=rss("ب", "b"))
    config = tmp_path / "feeds.yaml"
    config.write_text(config_text(feed_server, [("a", "/a.rss", "politics")], "1h"), "utf-8")
    with daemon(config, free_port()) as proc:
        assert wait_for(lambda: polled_sources(tmp_path / "daemon.db") == 1)
        assert stop(proc)[0] == 0
    # Restarted with a new source: once the new one is polled, the daemon has looked for
    # due sources, and the first (due in an hour) was not among them.
    both = [("a", "/a.rss", "politics"), ("b", "/b.rss", "labour")]
    config.write_text(config_text(feed_server, both, "1h"), "utf-8")
    with daemon(config, free_port()) as proc:
        assert wait_for(lambda: len(feed_server.requests_for("/b.rss")) == 1)
        assert stop(proc)[0] == 0
    assert len(feed_server.requests_for("/a.rss")) == 1


def test_a_first_start_with_many_sources_polls_them_together(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    """30 sources due at once go through the parse workers and grouped commits, and a
    broken or failing source among them costs only its own poll."""
    sources = []
    for n in range(28):
        feed_server.routes[f"/f{n}.rss"] = Route(body=rss(f"خبر المصدر {n}", f"g{n}"))
        sources.append((f"s{n}", f"/f{n}.rss", "politics" if n % 2 else "labour"))
    feed_server.routes["/broken.rss"] = Route(body=b"<html><body>not a feed</body></html>")
    feed_server.routes["/down.rss"] = Route(status=500, body=b"oops")
    sources += [("broken", "/broken.rss", "labour"), ("down", "/down.rss", "labour")]
    config = tmp_path / "feeds.yaml"
    config.write_text(config_text(feed_server, sources, "1h"), "utf-8")
    port = free_port()
    with daemon(config, port) as proc:
        feed = f"http://127.0.0.1:{port}/feeds/all.json"
        assert wait_for(lambda: len(httpx.get(feed).json()["items"]) == 20, 15)
        titles = {i["title"] for i in httpx.get(feed).json()["items"]}
        code, _took, err = stop(proc)
    assert code == 0, err
    assert "30 sources due at once" in err
    assert titles <= {f"خبر المصدر {n}" for n in range(28)}
    for _name, path, _category in sources:  # each polled once, none twice
        assert len(feed_server.requests_for(path)) == 1, path
    with sqlite3.connect(tmp_path / "daemon.db") as db:
        assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 28
        failing = db.execute("SELECT name FROM sources WHERE error_count > 0").fetchall()
        assert sorted(name for (name,) in failing) == ["broken", "down"]


def test_sigterm_during_a_burst_stops_promptly_and_keeps_what_was_stored(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    sources = []
    for n in range(40):
        items = "".join(
            f"<item><title>خبر {n}-{i}</title><guid>s{n}-{i}</guid>"
            f"<link>https://x.example/{n}/{i}</link><description>{'نص ' * 300}</description></item>"
            for i in range(100)
        )
        body = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
            f"<link>https://x.example/</link><description>d</description>{items}</channel></rss>"
        )
        # Half the sources answer after a second (within poll.timeout); two at a time (the
        # per-host limit), the burst takes longer than the stop's grace.
        slow = 1.0 if n % 2 else 0.0
        feed_server.routes[f"/f{n}.rss"] = Route(body=body.encode(), delay=slow)
        sources.append((f"s{n}", f"/f{n}.rss", "politics"))
    config = tmp_path / "feeds.yaml"
    config.write_text(config_text(feed_server, sources, "1h"), "utf-8")
    with daemon(config, free_port()) as proc:
        assert wait_for(lambda: ": 100 new, 0 updated" in proc.log, 60)  # one source stored
        code, took, err = stop(proc)
    assert code == 0, err
    assert "40 sources due at once" in err
    assert took < STOP_LIMIT, took
    with sqlite3.connect(tmp_path / "daemon.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        polled = db.execute("SELECT count(*) FROM sources WHERE last_poll IS NOT NULL")
        polled = polled.fetchone()[0]
        stored = db.execute("SELECT count(*) FROM items").fetchone()[0]
    # what was polled before the stop is kept; the rest was abandoned
    assert 0 < polled < 40, polled
    # every source the store says it polled has all 100 of its items, no more
    assert stored == 100 * polled
    for n in range(1, 40, 2):
        feed_server.routes[f"/f{n}.rss"].delay = 0.0
    subprocess.run(  # and the rest are polled next time, nothing twice
        [sys.executable, "-m", "aggregator", "poll", "--config", str(config)],
        check=True,
        cwd=tmp_path,
        capture_output=True,
    )
    with sqlite3.connect(tmp_path / "daemon.db") as db:
        assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 4000


def test_kill_9_while_polling_loses_and_duplicates_nothing(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    items = "".join(
        f"<item><title>خبر رقم {i}</title><guid>g{i}</guid><link>https://x.example/{i}</link>"
        f"<description>{'نص ' * 200}</description></item>"
        for i in range(300)
    )
    sources = []
    for n in range(20):
        body = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
            f"<link>https://x.example/</link><description>d</description>{items}</channel></rss>"
        ).replace("<guid>g", f"<guid>s{n}-g")
        # Half answer late, one after another: the burst's writes outlast its first grouped
        # commit (they are 4 s apart), so a kill can come between two of them.
        delay = 0.0 if n < 10 else 4.5 + 0.3 * (n - 10)
        feed_server.routes[f"/f{n}.rss"] = Route(body=body.encode(), delay=delay)
        sources.append((f"s{n}", f"/f{n}.rss", "politics"))
    config = tmp_path / "feeds.yaml"
    config.write_text(config_text(feed_server, sources, "1h"), "utf-8")
    db_path = tmp_path / "daemon.db"
    cut_short = 0  # kills that left some sources polled and others not
    for _ in range(3):
        before = polled_sources(db_path)
        if before == len(sources):
            break
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aggregator",
                "run",
                "--config",
                str(config),
                "--port",
                str(free_port()),
            ],
            stderr=subprocess.DEVNULL,
            cwd=tmp_path,
        )
        # killed as soon as a commit of this run shows: while it writes the next ones
        assert wait_for(lambda before=before: polled_sources(db_path) > before, 60)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        cut_short += polled_sources(db_path) < len(sources)
        with sqlite3.connect(db_path) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert cut_short, "every kill came after the poll had finished"
    for route in feed_server.routes.values():
        route.delay = 0.0
    # A complete poll afterwards: every item exactly once (links are shared across sources,
    # so each of the 300 articles is one item carried by every source).
    subprocess.run(
        [sys.executable, "-m", "aggregator", "poll", "--all", "--config", str(config)],
        check=True,
        cwd=tmp_path,
        capture_output=True,
    )
    with sqlite3.connect(tmp_path / "daemon.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 300
        assert db.execute("SELECT count(*) FROM item_sources").fetchone()[0] == 300 * 20
        assert db.execute("SELECT count(*) FROM item_keys").fetchone()[0] == 300 + 300 * 20


def test_websub_hub_is_linked_and_pinged_after_a_change(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    feed_server.routes["/a.rss"] = Route(body=rss("أ", "a"))
    feed_server.routes["/hub"] = Route()
    config = tmp_path / "feeds.yaml"
    text = config_text(feed_server, [("a", "/a.rss", "politics")], "1s")
    hub = feed_server.url("/hub")
    config.write_text(text.replace("max_items: 20}", f"max_items: 20, websub_hub: '{hub}'}}"))
    port = free_port()
    with daemon(config, port) as proc:
        # the first publish creates every feed: each is announced once
        assert wait_for(lambda: len(feed_server.requests_for("/hub")) == 9, 10)
        atom = httpx.get(f"http://127.0.0.1:{port}/feeds/politics.atom").text
        assert f'href="{hub}"' in atom and 'rel="hub"' in atom
        first_wave = len(feed_server.requests_for("/hub"))
        feed_server.routes["/a.rss"] = Route(body=rss("ب", "b"))
        assert wait_for(lambda: len(feed_server.requests_for("/hub")) >= first_wave + 6, 10)
        time.sleep(1.5)
        assert stop(proc)[0] == 0
    requests = feed_server.requests_for("/hub")
    assert all(r.method == "POST" for r in requests)
    second_wave = {r.body.decode() for r in requests[first_wave:]}
    expected = {
        f"hub.mode=publish&hub.url=http%3A%2F%2F127.0.0.1%2Ffeeds%2F{stem}.{fmt}"
        for stem in ("all", "politics")
        for fmt in ("rss", "atom", "json")
    }
    assert second_wave == expected  # only the feeds that changed
