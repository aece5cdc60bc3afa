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
