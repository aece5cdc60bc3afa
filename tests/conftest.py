from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))

from feedserver import FeedServer  # noqa: E402

DATA = TESTS / "data"
NOBODY = 65534
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


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A directory the nobody user can read (pytest's tmp_path is root's alone), with a
    subdirectory ``closed`` only root may write."""
    base = Path(tempfile.mkdtemp(prefix="aggregator-cli-"))
    try:
        base.chmod(0o755)
        (base / "closed").mkdir(mode=0o755)
        yield base
    finally:
        subprocess.run(["rm", "-rf", str(base)], check=False)


def as_nobody(argv: list[str]) -> tuple[int, str]:
    """`aggregator ARGV` in a forked child running as nobody; its exit status and
    everything it printed. (Exec'ing the venv's python as nobody is impossible here: the
    interpreter lives under /root. So the child forks from this process, with the
    modules it needs already imported, and drops root's uid and gid before main.)"""
    if os.geteuid() != 0:
        pytest.skip("needs root, to drop to the nobody user")
    import aggregator.publish  # noqa: F401 - imported before privileges are dropped
    import aggregator.scheduler  # noqa: F401
    import aggregator.server  # noqa: F401
    from aggregator.cli import main

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 98
        try:
            os.close(read)
            stream = os.fdopen(write, "w", buffering=1)
            sys.stdout = sys.stderr = stream
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            code = main(argv)
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            os._exit(code)
    os.close(write)
    with os.fdopen(read) as pipe:
        output = pipe.read()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), output
