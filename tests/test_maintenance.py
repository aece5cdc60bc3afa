"""Maintenance without the daemon: `aggregator prune`, `poll` running it when it is due,
and `build --out` removing the files it wrote before that no category has now."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from feedserver import FeedServer, Route

from aggregator import pipeline
from aggregator.cli import main
from aggregator.config import load_settings
from aggregator.scheduler import Poller
from aggregator.store import Store

OLD = 30  # items 200 days old and more: past retention_days (180)
NEW = 3


def rss() -> bytes:
    """3 recent items and 30 past retention, dated from now (valid whenever the test runs)."""
    now = datetime.now(UTC).replace(microsecond=0)
    dates = [now - timedelta(hours=n + 1) for n in range(NEW)]
    dates += [now - timedelta(days=200 + n) for n in range(OLD)]
    items = "".join(
        f"<item><title>Item {n}</title><link>https://left.example/{n}</link>"
        f"<pubDate>{format_datetime(date)}</pubDate></item>"
        for n, date in enumerate(dates)
    )
    return f'<rss version="2.0"><channel><title>Left</title>{items}</channel></rss>'.encode()


def write_config(tmp_path: Path, server: FeedServer, categories: str = "politics, sport") -> Path:
    config = tmp_path / "feeds.yaml"
    config.write_text(
        "site: {title: Left, base_url: 'http://feeds.example.org', language: en, "
        "max_items: 5}\n"
        "storage: {path: test.db, retention_days: 180}\n"
        "categories:\n"
        + "".join(f"  {c}: {{title: {c.title()}}}\n" for c in categories.split(", "))
        + f"sources:\n  - {{name: Left, url: '{server.url('/left.rss')}', "
        "categories: [politics]}\n",
        encoding="utf-8",
    )
    return config


def count(db: Path) -> int:
    with Store(db, readonly=True) as store:
        return store.count_items()


def test_prune_does_what_the_daemons_hourly_maintenance_does(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    feed_server.routes["/left.rss"] = Route(body=rss())
    config = write_config(tmp_path, feed_server)
    assert main(["poll", "--config", str(config)]) == 0
    db = tmp_path / "test.db"
    assert count(db) == NEW + OLD
    capsys.readouterr()
    assert main(["prune", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    # Never the newest max_items (5) of a feed: 3 recent and the 2 newest old ones stay.
    assert count(db) == 5
    assert f"pruned {NEW + OLD - 5} item(s) older than 180 days" in out, out
    assert "checkpointed" in out, out
    assert not (tmp_path / "test.db-wal").exists() or (tmp_path / "test.db-wal").stat().st_size == 0


def _last_maintenance(db: Path) -> str | None:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = 'last_maintenance'").fetchone()
    return row[0] if row else None


def _set_last_maintenance(db: Path, moment: datetime) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE meta SET value = ? WHERE key = 'last_maintenance'",
            [moment.strftime("%Y-%m-%dT%H:%M:%SZ")],
        )


def test_poll_runs_maintenance_when_an_hour_has_passed(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    feed_server.routes["/left.rss"] = Route(body=rss())
    config = write_config(tmp_path, feed_server)
    db = tmp_path / "test.db"
    assert main(["poll", "--config", str(config)]) == 0  # a new database starts the clock
    started = _last_maintenance(db)
    assert started is not None and count(db) == NEW + OLD
    assert main(["poll", "--all", "--config", str(config)]) == 0  # within the hour: not due
    assert _last_maintenance(db) == started and count(db) == NEW + OLD
    hour_ago = datetime.now(UTC) - timedelta(minutes=61)
    _set_last_maintenance(db, hour_ago)
    assert main(["poll", "--all", "--config", str(config)]) == 0
    assert count(db) == 5
    assert (_last_maintenance(db) or "") > hour_ago.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_daemons_maintenance_is_the_same_and_remembered(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    feed_server.routes["/left.rss"] = Route(body=rss())
    config = write_config(tmp_path, feed_server)
    assert main(["poll", "--config", str(config)]) == 0
    db = tmp_path / "test.db"
    _set_last_maintenance(db, datetime(2020, 1, 1, tzinfo=UTC))
    poller = Poller(load_settings(config))
    poller.start()
    try:
        poller.call(poller.maintain()).result(timeout=30)
    finally:
        poller.stop()
    assert count(db) == 5
    # A cron `poll` beside the daemon does not do it again within the hour.
    last = _last_maintenance(db)
    assert last is not None and last > "2020-01-01"
    with Store(db) as store:
        assert pipeline.maintain_if_due(load_settings(config), store, pipeline.utcnow()) is None


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_removes_the_files_it_wrote_that_no_category_has_now(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    feed_server.routes["/left.rss"] = Route(body=rss())
    config = write_config(tmp_path, feed_server)
    assert main(["poll", "--config", str(config)]) == 0
    out = tmp_path / "public"
    out.mkdir()
    (out / "robots.txt").write_text("User-agent: *\n")  # the operator's own file
    assert main(["build", "--config", str(config), "--out", str(out)]) == 0
    sport = [out / "c" / "sport.html", *(out / "feeds" / f"sport.{f}" for f in ("rss", "atom"))]
    assert all(p.is_file() for p in sport)
    (out / "feeds" / "sport.atom").write_text("edited by hand\n")  # no longer what we wrote
    (out / "feeds" / "extra.rss").write_text("the operator's\n")

    write_config(tmp_path, feed_server, categories="politics")  # sport is gone
    capsys.readouterr()
    assert main(["build", "--config", str(config), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert not (out / "c" / "sport.html").exists()
    assert not (out / "feeds" / "sport.rss").exists()
    assert not (out / "feeds" / "sport.json").exists()
    assert "removed 3 file(s)" in said, said
    # Never a file it did not write, or one changed since it wrote it.
    assert (out / "robots.txt").read_text() == "User-agent: *\n"
    assert (out / "feeds" / "sport.atom").read_text() == "edited by hand\n"
    assert (out / "feeds" / "extra.rss").read_text() == "the operator's\n"
    assert (out / "feeds" / "politics.rss").is_file() and (out / "index.html").is_file()


def test_build_never_removes_outside_its_directory(tmp_path: Path, feed_server: FeedServer) -> None:
    feed_server.routes["/left.rss"] = Route(body=rss())
    config = write_config(tmp_path, feed_server)
    assert main(["poll", "--config", str(config)]) == 0
    out = tmp_path / "public"
    assert main(["build", "--config", str(config), "--out", str(out)]) == 0
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me\n")
    manifest = next(p for p in out.iterdir() if p.name.startswith(".") and p.is_file())
    with manifest.open("a") as f:
        f.write(f"{_digest(victim)}  ../precious.txt\n{_digest(victim)}  {victim}\n")
    assert main(["build", "--config", str(config), "--out", str(out)]) == 0
    assert victim.read_text() == "keep me\n"
