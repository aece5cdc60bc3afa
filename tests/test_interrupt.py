"""An interrupted poll (Ctrl-C, cron's `timeout`, a kill) never leaves the published files
behind what is stored: the interrupted `poll` renders before it exits, and any later poll
catches up with items stored but never rendered."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import feedparser
import pytest
from feedserver import FeedServer, Route

from aggregator import pipeline
from aggregator.cli import main
from aggregator.config import load_settings
from aggregator.store import Store


def rss(name: str, count: int) -> bytes:
    items = "".join(
        f"<item><title>{name} خبر {n}</title><link>https://{name}.example/{n}</link>"
        f"<pubDate>Mon, 01 Jan 2024 {10 + n:02d}:00:00 GMT</pubDate></item>"
        for n in range(count)
    )
    return (
        f'<rss version="2.0"><channel><title>{name}</title>'
        f"<link>https://{name}.example/</link>{items}</channel></rss>"
    ).encode()


def write_config(tmp_path: Path, server: FeedServer, names: list[str]) -> Path:
    sources = "".join(
        f"  - {{name: {name}, url: '{server.url('/' + name)}', categories: [politics]}}\n"
        for name in names
    )
    config = tmp_path / "feeds.yaml"
    config.write_text(
        "site: {title: Left, base_url: 'http://feeds.example.org', language: en}\n"
        "storage: {path: test.db}\n"
        "poll: {timeout: 60s}\n"
        "categories: {politics: {title: Politics}}\n"
        f"sources:\n{sources}",
        encoding="utf-8",
    )
    return config


def published_titles(db: Path, path: str = "/feeds/politics.rss") -> set[str]:
    with Store(db, readonly=True) as store:
        body = {o.path: o.body for o in store.outputs()}[path]
    return {e.title for e in feedparser.parse(body).entries}


def test_a_poll_catches_up_with_items_stored_but_never_rendered(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, feed_server, ["alpha"])
    feed_server.routes["/alpha"] = Route(body=rss("alpha", 2))
    assert main(["poll", "--config", str(config)]) == 0
    # A poll that stored new items and died before it rendered (what an older version
    # left after Ctrl-C or a kill): the store has them, the published files do not.
    feed_server.routes["/alpha"] = Route(body=rss("alpha", 4))
    settings = load_settings(config)
    with Store(settings.storage.path) as store:
        asyncio.run(pipeline.poll_sources(settings, store, list(settings.sources)))
    assert published_titles(tmp_path / "test.db") == {"alpha خبر 0", "alpha خبر 1"}
    capsys.readouterr()
    # The next poll changes nothing (the feed answers 304) and still publishes them.
    assert main(["poll", "--all", "--config", str(config)]) == 0
    assert "0 new item(s)" in capsys.readouterr().out
    assert published_titles(tmp_path / "test.db") == {f"alpha خبر {n}" for n in range(4)}


def _read_until(stream, needle: str, deadline: float) -> str:
    """Lines of ``stream`` (in a thread: a blocking read has no timeout) until one holds
    ``needle``; fails at ``deadline``."""
    seen: list[str] = []
    found = threading.Event()

    def read() -> None:
        for line in stream:
            seen.append(line)
            if needle in line:
                found.set()
                return

    threading.Thread(target=read, daemon=True).start()
    assert found.wait(max(0.0, deadline - time.monotonic())), "".join(seen)
    return "".join(seen)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_during_poll_stores_what_it_has_renders_and_says_so(
    tmp_path: Path, feed_server: FeedServer, signum: int
) -> None:
    names = ["alpha", "beta", "gamma"]
    config = write_config(tmp_path, feed_server, names)
    feed_server.routes["/alpha"] = Route(body=rss("alpha", 3))
    feed_server.routes["/beta"] = Route(body=rss("beta", 2))
    hold = threading.Event()  # gamma answers only when released: it is in hand
    feed_server.routes["/gamma"] = Route(body=rss("gamma", 2), hold=hold)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    poll = subprocess.Popen(
        [sys.executable, "-m", "aggregator", "poll", "--config", str(config), "-v"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        # Both answered sources stored (not yet committed: commits are grouped), gamma
        # still being fetched.
        log = _read_until(poll.stderr, "beta: 2 new", deadline)
        if "alpha: 3 new" not in log:
            log += _read_until(poll.stderr, "alpha: 3 new", deadline)
        while not feed_server.requests_for("/gamma"):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        poll.send_signal(signum)
        out, err = poll.communicate(timeout=60)
    finally:
        hold.set()
        if poll.poll() is None:
            poll.kill()
            poll.wait()
    assert poll.returncode == 128 + signum, (out, err)
    assert "Traceback" not in err, err
    last = out.strip().splitlines()[-1]
    assert last.startswith(f"interrupted by {signal.Signals(signum).name}"), out
    assert "2 of 3 source(s) polled and stored (5 new item(s))" in last, last
    assert "1 source(s) not polled, still due" in last, last
    # What was stored is published; gamma stays due and the next poll gets it.
    db = tmp_path / "test.db"
    expected = {f"alpha خبر {n}" for n in range(3)} | {f"beta خبر {n}" for n in range(2)}
    assert published_titles(db) == expected
    with Store(db, readonly=True) as store:
        states = {s.name: s for s in store.source_states()}
    assert states["gamma"].last_poll is None
    assert main(["poll", "--config", str(config)]) == 0
    assert published_titles(db) == expected | {"gamma خبر 0", "gamma خبر 1"}
