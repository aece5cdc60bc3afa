"""Parsing in worker processes stores exactly what parsing in the poller stores, and a
killed poller leaves none of its processes behind."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from feedserver import FeedServer, Route
from test_pipeline import PROTEST, serve_site, write_config
from test_server import free_port

from aggregator import pipeline
from aggregator.cli import main
from aggregator.parsepool import WORKERS_ENV, ParsePool


def _poll_and_export(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str], name: str
) -> tuple[str, list[dict]]:
    work = tmp_path / name
    work.mkdir()
    config = write_config(work, server)
    # One source at a time: which of the sources carrying an article is stored first
    # decides its id, and concurrent fetches finish in any order.
    text = config.read_text(encoding="utf-8").replace(
        "  timeout: 10s\n", "  timeout: 10s\n  concurrency: 1\n"
    )
    assert "concurrency: 1" in text
    config.write_text(text, encoding="utf-8")
    assert main(["poll", "--config", str(config)]) == 0
    summary = capsys.readouterr().out
    assert main(["export", "--config", str(config)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    for record in records:
        record["sources"] = sorted(s["url"] for s in record["sources"])
        record["categories"] = sorted(record["categories"])
    for record in records:
        # An undated item is dated when first seen: that moment differs between the runs.
        if record["title"] == PROTEST:
            record.pop("published")
    return summary, sorted(records, key=lambda r: r["id"])


def test_worker_processes_store_the_same_items_as_inline_parsing(
    tmp_path: Path,
    feed_server: FeedServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    serve_site(feed_server)
    monkeypatch.setattr(pipeline, "MIN_SOURCES", 1)  # use the pool even for a few sources
    monkeypatch.setenv(WORKERS_ENV, "0")
    inline_summary, inline = _poll_and_export(tmp_path, feed_server, capsys, "inline")
    monkeypatch.setenv(WORKERS_ENV, "2")
    used: list[bool] = []
    real_pool = ParsePool._pool

    def spy(self: ParsePool):  # type: ignore[no-untyped-def]
        pool = real_pool(self)
        used.append(pool is not None)
        return pool

    monkeypatch.setattr(ParsePool, "_pool", spy)
    pooled_summary, pooled = _poll_and_export(tmp_path, feed_server, capsys, "pooled")
    assert used and all(used)  # every body went to a worker process
    assert inline and pooled == inline
    assert pooled_summary.splitlines()[0] == inline_summary.splitlines()[0]


def test_a_body_that_is_not_a_feed_fails_that_source_only(
    tmp_path: Path,
    feed_server: FeedServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    serve_site(feed_server)
    feed_server.routes["/politics.rss"].body = b"<html><body>maintenance</body></html>"
    monkeypatch.setattr(pipeline, "MIN_SOURCES", 1)
    monkeypatch.setenv(WORKERS_ENV, "2")
    summary, records = _poll_and_export(tmp_path, feed_server, capsys, "pooled")
    assert "1 failed" in summary.splitlines()[0]
    assert "FAILED صوت اليسار: not a feed" in summary
    assert records  # every other source was stored


def test_decide_skips_costly_work_only_for_items_stored_unchanged(tmp_path: Path):
    """A changed feed is mostly items already stored: those get no categories, story
    signature or search text (the store skips them); a new or edited item gets all."""
    from aggregator.config import load_settings
    from aggregator.dedupe import content_hash, identity_keys
    from aggregator.models import ParsedItem
    from aggregator.parsepool import decide

    config = tmp_path / "feeds.yaml"
    config.write_text(
        "site: {title: T, base_url: 'http://x.example'}\n"
        "categories:\n  politics: {title: Politics}\n"
        "sources:\n  - {name: A, url: 'http://a.example/rss', categories: [politics]}\n",
        encoding="utf-8",
    )
    settings = load_settings(config)
    source = settings.sources[0]
    words = " ".join(f"كلمة{i}" for i in range(40))
    item = ParsedItem(
        guid="1", link="http://a.example/1", title="إضراب عمال النسيج في المحلة الكبرى",
        summary_html=f"<p>{words}</p>", content_html="", author=None, published=None,
        updated=None,
    )  # fmt: skip
    first_key = identity_keys(source.url, item)[0]

    fresh = decide(settings, source, item, known={})
    assert fresh.story is not None and fresh.search_text
    stored = decide(settings, source, item, known={first_key: content_hash(item)})
    assert stored.story is None and stored.search_text is None and stored.unchanged
    assert stored.keys == fresh.keys and not stored.categories
    assert fresh.categories == {"politics"}
    edited = decide(settings, source, item, known={first_key: "an older hash"})
    assert edited.story == fresh.story and edited.search_text == fresh.search_text
    assert edited.categories == fresh.categories
    assert not fresh.unchanged and not edited.unchanged


# --- a killed poller leaves no process behind ------------------------------------------

SOURCES = 30  # enough for a poll to parse in workers (pipeline.MIN_SOURCES)
ITEMS = 150


def _live_processes() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, process group) of every process on the machine that has not
    exited, from /proc. A zombie has exited: it holds no memory, only its exit status."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path("/proc", entry, "stat").read_text()
        except OSError:  # exited meanwhile
            continue
        state, ppid, pgrp = stat[stat.rindex(")") + 2 :].split()[:3]
        if state not in ("Z", "X"):
            found[int(entry)] = (int(ppid), int(pgrp))
    return found


def _kill_9_once_the_pool_runs(proc: subprocess.Popen[bytes]) -> set[int]:
    """Wait until ``proc`` has started its parse pool (a child with children of its own:
    the fork server and its workers; found by parent pid, not by name), then kill -9 it.
    Returns every process below it at that moment."""
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, "it finished (or failed) before its pool started"
        live = _live_processes()
        below: set[int] = set()
        frontier = {proc.pid}
        while frontier:
            frontier = {pid for pid, (ppid, _) in live.items() if ppid in frontier}
            below |= frontier
        assert all(live[pid][1] == proc.pid for pid in below)  # all in its process group
        forked = Counter(live[pid][0] for pid in below if live[pid][0] != proc.pid)
        if max(forked.values(), default=0) >= 2:
            break  # the fork server has started both workers
        assert time.monotonic() < deadline, f"no parse pool started: {below}"
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return below


def _left_behind(group: int, started: set[int], within: float) -> set[int]:
    """The processes of ``group`` or ``started`` still running ``within`` seconds from now
    (or none, as soon as none is)."""
    deadline = time.monotonic() + within
    while True:
        left = {p for p, (_, pgrp) in _live_processes().items() if pgrp == group or p in started}
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


def _serve_many(tmp_path: Path, server: FeedServer) -> Path:
    """SOURCES feeds carrying the same ITEMS articles (each stored once), and one more that
    answers only after a minute: the poll is still running when it is killed."""
    items = "".join(
        f"<item><title>خبر رقم {i}</title><guid>g{i}</guid><link>https://x.example/{i}</link>"
        f"<description>{'نص ' * 150}{i}</description></item>"
        for i in range(ITEMS)
    )
    lines = [
        "site: {title: 'منبر', base_url: 'http://127.0.0.1', language: ar, max_items: 20}",
        "storage: {path: f.db}",
        "poll: {interval: 1h, timeout: 90s}",
        "categories: {politics: {title: سياسة}}",
        "sources:",
    ]
    for n in range(SOURCES + 1):
        body = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
            f"<link>https://x.example/</link><description>d</description>{items}</channel></rss>"
        ).replace("<guid>g", f"<guid>s{n}-g")
        server.routes[f"/f{n}.rss"] = Route(body=body.encode(), delay=60 if n == SOURCES else 0)
        lines.append(
            f"  - {{name: s{n}, url: '{server.url(f'/f{n}.rss')}', categories: [politics]}}"
        )
    config = tmp_path / "feeds.yaml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def _assert_a_new_poll_stores_everything(config: Path, server: FeedServer) -> None:
    server.routes[f"/f{SOURCES}.rss"].delay = 0
    command = [sys.executable, "-m", "aggregator"]
    env = {**os.environ, WORKERS_ENV: "2"}
    done = subprocess.run(
        [*command, "poll", "--all", "--config", str(config)],
        cwd=config.parent, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"{SOURCES + 1} ok" in done.stdout, done.stdout
    exported = subprocess.run(
        [*command, "export", "--config", str(config)],
        cwd=config.parent, capture_output=True, text=True, check=True,
    )  # fmt: skip
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    # every article once, carried by every source
    assert sorted(r["link"] for r in records) == sorted(
        f"https://x.example/{i}" for i in range(ITEMS)
    )
    assert all(len(r["sources"]) == SOURCES + 1 for r in records)


@pytest.mark.slow
@pytest.mark.parametrize("command", ["poll", "run"])
def test_kill_9_of_the_poller_leaves_no_process_behind(
    tmp_path: Path, feed_server: FeedServer, command: str
) -> None:
    """`poll --all` (cron's `timeout -s KILL`, the OOM killer) or the daemon's first burst
    is killed while its parse pool runs: its fork server, workers and resource tracker
    exit within 5 s, and the next poll stores everything."""
    config = _serve_many(tmp_path, feed_server)
    args = ["--all"] if command == "poll" else ["--port", str(free_port())]
    proc = subprocess.Popen(
        [sys.executable, "-m", "aggregator", command, "--config", str(config), *args],
        cwd=tmp_path,
        env={**os.environ, WORKERS_ENV: "2"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: what it starts is found by group
    )
    started: set[int] = set()
    try:
        started = _kill_9_once_the_pool_runs(proc)
        assert len(started) >= 3, started  # a fork server and two workers at least
        assert _left_behind(proc.pid, started, within=5) == set()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # what this test started, if it failed
    _assert_a_new_poll_stores_everything(config, feed_server)
