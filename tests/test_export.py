"""`aggregator export`: every stored item, one per line, streamed from the store."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from feedserver import FeedServer
from test_pipeline import (
    ELECTIONS,
    EXPECTED,
    LAW,
    SOURCES,
    STRIKE,
    TEACHERS,
    serve_site,
    write_config,
)

from aggregator.cli import main


@pytest.fixture
def config(tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]) -> Path:
    serve_site(feed_server)
    path = write_config(tmp_path, feed_server)
    assert main(["poll", "--config", str(path)]) == 0
    capsys.readouterr()
    return path


def test_jsonl_lists_every_item_once_with_its_sources(
    config: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--config", str(config)]) == 0
    lines = capsys.readouterr().out.splitlines()
    records = [json.loads(line) for line in lines]
    titles = [r["title"] for r in records]
    # every published item, each once (the dropped "sponsored" one is not exported)
    assert sorted(titles) == sorted(EXPECTED["all"])
    assert {ELECTIONS, LAW, TEACHERS} <= set(titles)  # diacritics and windows-1256 exact
    strike = next(r for r in records if r["title"] == STRIKE)
    assert sorted(s["name"] for s in strike["sources"]) == [
        "Agency",
        "Secularists",
        "Women and Work",
    ]
    assert {"labour", "women", "secularism"} <= set(strike["categories"])
    assert all(r["id"].startswith("urn:uuid:") for r in records)
    assert all(r["published"].endswith("Z") for r in records)
    # oldest first, so a later export of a grown store only appends
    assert [r["published"] for r in records] == sorted(r["published"] for r in records)


def test_tsv_has_one_line_per_item_and_source(
    config: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--format", "tsv", "--config", str(config)]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert all(len(row) == 3 for row in rows)
    strike_sources = sorted(url for url, _link, title in rows if title == STRIKE)
    urls = {name: feed_server.url(path) for name, path, *_ in SOURCES}
    assert strike_sources == sorted([urls["Agency"], urls["Women and Work"], urls["Secularists"]])
    assert (urls["Women Rights"], LAW) in {(url, title) for url, _link, title in rows}


def test_export_streams_into_a_closed_pipe_quietly(config: Path) -> None:
    # `aggregator export | head -1` must not end in a traceback.
    shell = (
        f"{sys.executable} -m aggregator export --config {config} | head -n 1 > /dev/null; "
        "echo ${PIPESTATUS[0]}"
    )
    done = subprocess.run(
        ["bash", "-c", shell], capture_output=True, text=True, timeout=60, check=True
    )
    assert "Traceback" not in done.stderr
    assert done.stdout.strip() == "0"


def test_export_of_a_missing_database_fails_clearly(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, feed_server)
    assert main(["export", "--config", str(config), "--db", str(tmp_path / "none.db")]) == 1
    assert "none.db" in capsys.readouterr().err
