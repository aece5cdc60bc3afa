from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))

from feedserver import FeedServer  # noqa: E402

DATA = TESTS / "data"
CORPUS = TESTS.parents[1] / "shared" / "corpus"


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


@pytest.fixture
def served(tmp_path: Path, feed_server: FeedServer) -> Iterator[str]:
    """The feed server's base URL, over what one `aggregator poll` of the fixture site
    (tests/data/site, served by ``feed_server``) stored."""
    from test_pipeline import serve_site, write_config
    from test_server import serving

    from aggregator.cli import main

    serve_site(feed_server)
    config = write_config(tmp_path, feed_server)
    assert main(["poll", "--config", str(config)]) == 0
    with serving(config) as url:
        yield url
