"""Failures the aggregator must survive: kill -9 mid-write, a full disk, a read-only or
locked database, and a source that fails for days."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import io
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import redirect_stdout
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import as_nobody
from feedserver import FeedServer, Route

from aggregator import pipeline
from aggregator.config import load_settings
from aggregator.errors import StorageError
from aggregator.models import Settings
from aggregator.store import Store

SOURCES = 12
ITEMS = 150


def rss(source: int, count: int) -> bytes:
    items = "".join(
        f"<item><title>خبر رقم {i}</title><guid>s{source}-g{i}</guid>"
        f"<link>https://x.example/{i}</link><description>{'نص ' * 150}{i}</description></item>"
        for i in range(count)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        f"<link>https://x.example/</link><description>d</description>{items}</channel></rss>"
    ).encode()


def write_config(tmp_path: Path, server: FeedServer, sources: int, interval: str = "1h") -> Path:
    lines = [
        "site: {title: 'منبر', base_url: 'http://127.0.0.1', language: ar, max_items: 20}",
        "storage: {path: f.db}",
        f"poll: {{interval: {interval}, timeout: 5s, per_host: 8}}",
        "dedupe: {enabled: false}",
        "categories: {politics: {title: سياسة}}",
        "sources:",
    ]
    for n in range(sources):
        lines.append(
            f"  - {{name: s{n}, url: '{server.url(f'/f{n}.rss')}', categories: [politics]}}"
        )
    config = tmp_path / "feeds.yaml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


@pytest.mark.slow
def test_kill_9_at_random_moments_loses_and_duplicates_nothing(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    """Fifteen `poll` processes killed at random moments while the feeds keep growing."""
    config = write_config(tmp_path, feed_server, SOURCES)
    rng = random.Random(5)
    count = 40
    killed_mid_write = 0
    for round_ in range(15):
        count += 7  # every round has new items to write
        for n in range(SOURCES):
            feed_server.routes[f"/f{n}.rss"] = Route(body=rss(n, count))
        proc = subprocess.Popen(
            [sys.executable, "-m", "aggregator", "poll", "--all", "--config", str(config)],
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, 1.6))
        if proc.poll() is None:
            killed_mid_write += 1
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        db = tmp_path / "f.db"
        if db.exists():
            assert integrity(db) == "ok", f"round {round_}"
    assert killed_mid_write >= 5  # the test killed real work, not finished processes
    for n in range(SOURCES):
        feed_server.routes[f"/f{n}.rss"] = Route(body=rss(n, ITEMS))
    done = subprocess.run(
        [sys.executable, "-m", "aggregator", "poll", "--all", "--config", str(config)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(tmp_path / "f.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # Links are shared across sources: each article is one item carried by every source.
        assert db.execute("SELECT count(*) FROM items").fetchone()[0] == ITEMS
        assert db.execute("SELECT count(DISTINCT link) FROM items").fetchone()[0] == ITEMS
        assert db.execute("SELECT count(*) FROM item_sources").fetchone()[0] == ITEMS * SOURCES


# --- the database refuses writes ------------------------------------------------------


def _poll(settings: Settings, store: Store) -> list[str]:
    outcomes = asyncio.run(pipeline.poll_sources(settings, store, list(settings.sources)))
    return [o.error or "" for o in outcomes if o.outcome == "error"]


def _setup(tmp_path: Path, server: FeedServer, count: int) -> tuple[Settings, Store]:
    for n in range(3):
        server.routes[f"/f{n}.rss"] = Route(body=rss(n, count))
    settings = load_settings(write_config(tmp_path, server, 3))
    return settings, Store(settings.storage.path)


def _refill(server: FeedServer, count: int) -> None:
    for n in range(3):
        server.routes[f"/f{n}.rss"] = Route(body=rss(n, count))


def test_full_disk_fails_clearly_keeps_serving_and_recovers(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    """A full disk, simulated by SQLite's page limit on the poller's connection."""
    settings, store = _setup(tmp_path, feed_server, 5)
    assert _poll(settings, store) == []
    pipeline.regenerate(settings, store)
    reader = Store(settings.storage.path)
    served = {o.path: o.body for o in reader.outputs()}
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    _refill(feed_server, 120)  # much more text than fits
    errors = _poll(settings, store)
    assert len(errors) == 3 and all("full" in e for e in errors), errors
    # The server's connection still reads what was published; nothing is corrupted.
    assert {o.path: o.body for o in reader.outputs()} == served
    assert store.integrity_check() == "ok"
    assert store.count_items() == 5
    # Space returns: the next poll stores everything.
    store.db.execute("PRAGMA max_page_count = 1073741823")
    assert _poll(settings, store) == []
    assert store.count_items() == 120
    assert pipeline.regenerate(settings, store)
    reader.close()
    store.close()


def test_read_only_database_fails_clearly_and_recovers(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    settings, store = _setup(tmp_path, feed_server, 5)
    assert _poll(settings, store) == []
    # As root, file modes do not stop writes; query_only makes SQLite refuse them the same
    # way a read-only file does ("attempt to write a readonly database").
    store.db.execute("PRAGMA query_only = ON")
    _refill(feed_server, 8)
    # The run stops at its first write (making the sources table match the config), with
    # the database's own words; `aggregator poll` prints them and exits 1.
    with pytest.raises(StorageError, match="attempt to write a readonly database"):
        _poll(settings, store)
    assert store.integrity_check() == "ok" and store.count_items() == 5
    store.db.execute("PRAGMA query_only = OFF")
    assert _poll(settings, store) == []
    assert store.count_items() == 8
    store.close()


def test_read_only_database_file_gives_a_clear_message(
    shared_dir: Path, feed_server: FeedServer
) -> None:
    """The database belongs to another user (the service's): `poll` as this one says so in
    one line, exit 1. (As nobody: root may write any file.)"""
    _refill(feed_server, 5)
    config = write_config(shared_dir, feed_server, 3)
    config.chmod(0o644)
    db = shared_dir / "f.db"
    assert _cli("poll", "--config", str(config))[0] == 0
    code, output = as_nobody(["poll", "--all", "--config", str(config)])
    assert code == 1, output
    lines = [line for line in output.splitlines() if line.strip()]
    assert "Traceback" not in output
    assert any(str(db) in line and "this user may not write" in line for line in lines), output
    with Store(db, readonly=True) as reader:
        assert reader.count_items() == 5 and reader.integrity_check() == "ok"


LOCKER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
conn.execute("INSERT INTO meta(key, value) VALUES ('locked-by', 'a sqlite3 shell')")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def test_a_locked_database_makes_writers_wait_and_readers_carry_on(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    settings, store = _setup(tmp_path, feed_server, 5)
    assert _poll(settings, store) == []
    pipeline.regenerate(settings, store)
    store.close()
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, settings.storage.path, "3"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
    try:
        # The server's reads go on while the lock is held (WAL).
        started = time.monotonic()
        with Store(settings.storage.path, readonly=True) as reader:
            assert reader.outputs() and reader.count_items() == 5
        assert time.monotonic() - started < 10  # not the writers' 15 s wait
        # A writer waits for the lock instead of failing.
        _refill(feed_server, 9)
        started = time.monotonic()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "aggregator",
                "poll",
                "--all",
                "--config",
                str(tmp_path / "feeds.yaml"),
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        waited = time.monotonic() - started
    finally:
        locker.wait(10)
    assert done.returncode == 0, done.stderr
    assert "3 ok" in done.stdout, done.stdout
    assert waited > 1.5  # it did wait for the other process
    with Store(settings.storage.path) as store:
        assert store.count_items() == 9


def test_a_source_failing_for_days_is_backed_off_reported_and_kept(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    settings, store = _setup(tmp_path, feed_server, 3)
    settings = dataclasses.replace(
        settings, poll=dataclasses.replace(settings.poll, interval=900.0)
    )
    feed_server.routes["/f0.rss"] = Route(status=500, body=b"down")
    now = datetime(2026, 11, 1, tzinfo=UTC)
    delays = []
    polls = 0
    end = now + timedelta(days=5)
    while now < end:
        due = pipeline.due_sources(settings, store, now)
        if any(s.name == "s0" for s in due):
            polls += 1
            asyncio.run(
                pipeline.poll_sources(
                    settings, store, [s for s in due if s.name == "s0"], clock=lambda at=now: at
                )
            )
            state = store.source_state(settings.sources[0].url)
            assert state is not None and state.next_poll is not None
            delays.append((state.next_poll - now).total_seconds())
        now += timedelta(minutes=15)
    state = store.source_state(settings.sources[0].url)
    assert state is not None
    assert state.error_count == polls and "HTTP 500" in (state.last_error or "")
    # Exponential, then at most a day: about 14 polls in 5 days, not 480.
    assert delays[:3] == sorted(delays[:3]) and delays[1] > 1.5 * delays[0]
    assert max(delays) <= 24 * 3600 * 1.1 and delays[-1] >= 20 * 3600
    assert 8 <= polls <= 16
    # Never dropped: still a configured, due-able source, and healthy again on recovery.
    feed_server.routes["/f0.rss"] = Route(body=rss(0, 3))
    now = state.next_poll or now
    asyncio.run(pipeline.poll_sources(settings, store, [settings.sources[0]], clock=lambda: now))
    [state] = [s for s in store.source_states() if s.url == settings.sources[0].url]
    assert state.error_count == 0 and state.items == 3
    store.close()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 2 MB filesystem (tmpfs); skipped where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}); see the page-limit test")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_really_full_disk_fails_clearly_and_recovers(
    small_disk: Path, tmp_path: Path, feed_server: FeedServer
) -> None:
    for n in range(3):
        feed_server.routes[f"/f{n}.rss"] = Route(body=rss(n, 5))
    config = write_config(tmp_path, feed_server, 3)
    settings = load_settings(config)
    db = small_disk / "f.db"
    settings = dataclasses.replace(
        settings, storage=dataclasses.replace(settings.storage, path=str(db))
    )
    store = Store(db)
    assert _poll(settings, store) == []
    pipeline.regenerate(settings, store)
    filler = small_disk / "filler"
    with filler.open("wb") as f, contextlib.suppress(OSError):
        while True:
            f.write(b"\0" * 65536)
            f.flush()
    _refill(feed_server, 150)
    errors = _poll(settings, store)
    assert errors and all("full" in e for e in errors), errors
    with Store(db, readonly=True) as reader:
        assert reader.outputs() and reader.count_items() == 5
    filler.unlink()
    assert _poll(settings, store) == []
    assert store.count_items() == 150 and store.integrity_check() == "ok"
    store.close()


def _fill(disk: Path, leave: int) -> None:
    """Fill ``disk`` up to ``leave`` bytes of free space (os.write: nothing buffered)."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    with contextlib.suppress(OSError):
        while True:
            os.write(fd, b"\0" * 4096)
    os.close(fd)
    os.truncate(filler, max(0, filler.stat().st_size - leave))


def _cli(*argv: str) -> tuple[int, str]:
    from aggregator.cli import main

    out = io.StringIO()
    with redirect_stdout(out):
        code = main(list(argv))
    return code, out.getvalue()


def test_a_poll_that_fills_the_disk_exits_1_and_its_sources_are_failing(
    small_disk: Path, tmp_path: Path, feed_server: FeedServer
) -> None:
    """`poll` and `sources` as an operator runs them, on a real filesystem that fills up
    during the poll."""
    _refill(feed_server, 5)
    config = str(write_config(tmp_path, feed_server, 3))
    db = str(small_disk / "f.db")
    assert _cli("poll", "--config", config, "--db", db)[0] == 0
    _fill(small_disk, leave=300_000)  # room to open the database, not for 450 items
    _refill(feed_server, 150)
    code, out = _cli("poll", "--all", "--config", config, "--db", db)
    assert code == 1, out
    last = out.splitlines()[-1]
    assert last.startswith("FAILED: 3 source(s) not stored: database"), out
    assert "database or disk is full" in last and "free some space" in last
    code, table = _cli("sources", "--config", config, "--db", db)
    assert code == 0
    for n in range(3):
        row = next(line for line in table.splitlines() if line.startswith(f"s{n} "))
        assert "failing" in row and "not stored: database" in row and "full" in row, row
    assert "3 source(s): 0 ok, 3 failing" in table
    with Store(db, readonly=True) as reader:
        assert reader.count_items() == 5  # what was stored before is kept
        for state in reader.source_states():
            assert state.next_poll is not None  # tried again within a minute, no backoff
            assert (state.next_poll - (state.last_poll or state.next_poll)).total_seconds() <= 66
    (small_disk / "filler").unlink()
    assert _cli("poll", "--all", "--config", config, "--db", db)[0] == 0
    code, table = _cli("sources", "--config", config, "--db", db)
    assert "3 source(s): 3 ok, 0 failing" in table
    with Store(db, readonly=True) as reader:
        assert reader.count_items() == 150


LOCK_AFTER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
while True:  # until the poll has committed this many sources
    try:
        done = conn.execute("SELECT count(*) FROM sources WHERE last_poll IS NOT NULL")
        if done.fetchone()[0] >= int(sys.argv[2]):
            break
    except sqlite3.OperationalError:
        pass
    time.sleep(0.02)
conn.execute("BEGIN EXCLUSIVE")
conn.execute("INSERT INTO meta(key, value) VALUES ('locked-by', 'a sqlite3 shell')")
print("locked", flush=True)
time.sleep(float(sys.argv[3]))
conn.execute("COMMIT")
"""


def test_a_lock_held_mid_poll_fails_the_poll_and_keeps_what_was_stored(
    tmp_path: Path, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process takes the write lock between two of the poll's commits and holds
    it longer than a writer waits: the poll says who is to blame, exits 1, and what it
    stored before the lock stays stored."""
    import aggregator.pipeline
    import aggregator.store

    monkeypatch.setattr(aggregator.store, "BUSY_TIMEOUT_MS", 1000)  # instead of 15 s
    monkeypatch.setattr(aggregator.pipeline, "COMMIT_EVERY_S", 1.0)  # a commit per source
    config = str(write_config(tmp_path, feed_server, 3))
    for n, delay in enumerate((0.0, 1.5, 3.5)):  # s1's commit lets the locker in
        feed_server.routes[f"/f{n}.rss"] = Route(body=rss(n, 4), delay=delay)
    db = str(tmp_path / "f.db")
    Store(db).close()  # the schema, before the locker opens it
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCK_AFTER, db, "2", "8"], stdout=subprocess.PIPE, text=True
    )
    try:
        code, out = _cli("poll", "--all", "--config", config, "--db", db)
    finally:
        assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
        locker.wait(30)
    assert code == 1, out
    assert "FAILED s2: not stored: database" in out
    last = out.splitlines()[-1]
    assert last.startswith(f"FAILED: 1 source(s) not stored: database {db} is locked: "), out
    assert "another process holds it" in last and "let it finish or stop it" in last
    assert "check the database path" not in out
    with Store(db, readonly=True) as reader:
        states = {s.name: s for s in reader.source_states()}
        assert states["s0"].items == states["s1"].items == 4  # kept
        assert states["s2"].items == 0 and states["s2"].last_poll is None  # still due
    assert _cli("poll", "--config", config, "--db", db)[0] == 0  # the lock is gone
    with Store(db, readonly=True) as reader:
        assert {s.name: s.items for s in reader.source_states()}["s2"] == 4
