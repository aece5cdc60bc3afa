"""Real feed readers read what we serve: newsboat (Debian's package) fetches the served RSS
and Atom over HTTP, and its own SQLite cache shows what a subscriber would see."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from test_pipeline import ELECTIONS, EXPECTED

NEWSBOAT = shutil.which("newsboat")


@pytest.mark.skipif(NEWSBOAT is None, reason="newsboat is not installed (apt-get install newsboat)")
@pytest.mark.parametrize("path", ["/feeds/all.rss", "/feeds/women.atom"])
def test_newsboat_reads_the_served_feed(served: str, tmp_path: Path, path: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "urls").write_text(served + path + "\n", encoding="utf-8")
    (home / "config").write_text("", encoding="utf-8")
    cache = home / "cache.db"
    result = subprocess.run(
        [
            str(NEWSBOAT),
            "-u",
            str(home / "urls"),
            "-c",
            str(cache),
            "-C",
            str(home / "config"),
            "-x",
            "reload",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"},
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(cache) as db:
        rows = db.execute("SELECT title, author, url FROM rss_item").fetchall()
    stem = path.rsplit("/", 1)[1].split(".")[0]
    assert sorted(title for title, _a, _u in rows) == sorted(EXPECTED[stem])
    if stem == "all":
        author = next(a for t, a, _u in rows if t == ELECTIONS)
        assert author == "سلمى حداد"
