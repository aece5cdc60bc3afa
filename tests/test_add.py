"""`aggregator add`: from a web page's address to a checked source in feeds.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA
from feedserver import FeedServer, Route

from aggregator.cli import main
from aggregator.config import load_settings

SITE = DATA / "site"

CONFIG = """\
# my sources (this comment stays)
site:
  title: "منبر"
  base_url: "http://localhost:8080"
storage:
  path: test.db
poll:
  timeout: 5s
categories:
  politics: {title: "سياسة"}   # aligned
  labour:   {title: "عمال"}    # columns
sources: []                    # none yet
"""

PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>صوت اليسار</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="صوت اليسار" href="news/feed.rss">
<link rel="alternate" type="application/rss+xml" title="التعليقات" href="/comments.rss">
</head><body><p>مرحبا</p></body></html>
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


@pytest.fixture
def site(feed_server: FeedServer) -> FeedServer:
    feed_server.routes["/blog/"] = Route(body=PAGE.encode(), content_type="text/html")
    feed_server.routes["/blog/news/feed.rss"] = Route(body=(SITE / "politics.rss").read_bytes())
    feed_server.routes["/empty.html"] = Route(
        body=b"<html><head><title>x</title></head><body>no feeds</body></html>",
        content_type="text/html; charset=utf-8",
    )
    feed_server.routes["/broken.html"] = Route(
        body=b'<html><head><link rel="alternate" type="application/atom+xml" href="/nope.atom">'
        b"</head></html>",
        content_type="text/html",
    )
    return feed_server


def run(config: Path, *args: str) -> int:
    return main(["add", *args, "--config", str(config)])


def test_a_page_announcing_its_feed_is_discovered_checked_and_appended(
    config: Path, site: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(config, site.url("/blog/"), "--category", "labour") == 0
    out = capsys.readouterr().out
    feed_url = site.url("/blog/news/feed.rss")  # relative href, resolved against the page
    assert feed_url in out and "announced by" in out
    sources = load_settings(config).sources
    assert [(s.url, s.categories) for s in sources] == [(feed_url, ("labour",))]
    assert sources[0].name  # the feed's own title
    assert site.requests_for("/blog/news/feed.rss")  # fetched and parsed before adding
    assert not site.requests_for("/comments.rss")  # the first announced feed wins
    text = config.read_text(encoding="utf-8")
    assert "# my sources (this comment stays)" in text
    assert '  politics: {title: "سياسة"}   # aligned' in text
    assert '  labour:   {title: "عمال"}    # columns' in text


def test_a_feed_url_is_taken_directly_and_never_added_twice(
    config: Path, site: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = site.url("/blog/news/feed.rss")
    assert run(config, url, "--category", "politics", "--name", "صوت اليسار") == 0
    capsys.readouterr()
    assert run(config, url + "?utm_source=x", "--category", "labour") == 0
    assert "already in" in capsys.readouterr().out
    assert [s.name for s in load_settings(config).sources] == ["صوت اليسار"]
    # The same name for another feed is refused with what to do.
    site.routes["/other.rss"] = Route(body=(SITE / "syndicated-a.rss").read_bytes())
    assert run(config, site.url("/other.rss"), "--category", "labour", "--name", "صوت اليسار") == 2
    assert "--name" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/empty.html", "announces no feed"),
        ("/broken.html", "none could be read"),
        ("/missing", "cannot fetch"),
    ],
)
def test_failures_say_what_to_do_and_leave_the_file_alone(
    config: Path, site: FeedServer, capsys: pytest.CaptureFixture[str], path: str, words: str
) -> None:
    before = config.read_bytes()
    assert run(config, site.url(path), "--category", "labour") == 1
    err = capsys.readouterr().err
    assert words in err
    assert config.read_bytes() == before


def test_unknown_category_is_a_usage_error(
    config: Path, site: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(config, site.url("/blog/"), "--category", "sport") == 2
    assert "politics, labour" in capsys.readouterr().err
    assert not site.requests


def test_poll_progress_on_a_terminal_and_quiet_in_a_pipe() -> None:
    import io

    from aggregator.cli import _Progress
    from aggregator.models import PollOutcome, Source

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    source = Source(name="نشرة", url="https://x.example/f", categories=("labour",))
    outcomes = [
        PollOutcome(source=source, outcome="new", new_items=3),
        PollOutcome(source=source, outcome="error", error="HTTP 404 Not Found"),
    ]
    for stream, live in ((Terminal(), True), (io.StringIO(), False)):
        with _Progress(2, stream) as progress:
            for outcome in outcomes:
                progress.update(outcome)
        text = stream.getvalue()
        if live:
            assert "2/2 sources, 1 failed, 3 new item(s)" in text
            assert "\nFAILED" not in text and "FAILED نشرة: HTTP 404 Not Found\n" in text
        else:
            assert text == ""
