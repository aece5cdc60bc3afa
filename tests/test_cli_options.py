"""Command-line details an operator trips over: where the common options go, and reading
a database the operator may only read."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from feedserver import FeedServer
from test_pipeline import SOURCES, serve_site, write_config

from aggregator.cli import main


@pytest.mark.parametrize(
    "argv",
    [
        ["--config", "{config}", "check"],
        ["-v", "--config", "{config}", "check"],
        ["check", "--config", "{config}"],
        ["--config", "elsewhere.yaml", "check", "--config", "{config}"],  # the later wins
    ],
)
def test_common_options_go_before_or_after_the_command(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    config = str(write_config(tmp_path, feed_server))
    assert main([a.replace("{config}", config) for a in argv]) == 0
    assert f"{config}: ok: 6 sources" in capsys.readouterr().out


def test_options_before_the_command_from_a_shell(tmp_path: Path, feed_server: FeedServer) -> None:
    config = write_config(tmp_path, feed_server)
    done = subprocess.run(
        [sys.executable, "-m", "aggregator", "--config", str(config), "--db", "x.db", "check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "ok: 6 sources" in done.stdout


# --- a read-only database ------------------------------------------------------------


@pytest.fixture
def reader_dir() -> Iterator[Path]:
    """A directory another user can reach (pytest's tmp_path is private to its user)."""
    path = Path(tempfile.mkdtemp(prefix="aggregator-ro-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        path.chmod(0o755)
        shutil.rmtree(path, ignore_errors=True)


def _as_a_reader(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the aggregator as a user that may not write the database: ``nobody`` when the
    tests run as root (file modes do not bind root), else this user."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot run as a user who only reads")
        prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    return subprocess.run(
        [*prefix, sys.executable, "-m", "aggregator", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(cwd)},
    )


@pytest.mark.parametrize("directory", ["writable", "read-only"])
def test_sources_reads_a_database_the_user_may_only_read(
    reader_dir: Path, feed_server: FeedServer, directory: str
) -> None:
    serve_site(feed_server)
    config = write_config(reader_dir, feed_server)
    config.chmod(0o644)
    assert main(["poll", "--config", str(config)]) == 0
    db = reader_dir / "test.db"
    for path in reader_dir.glob("test.db*"):
        path.chmod(0o444)
    mode = 0o777 if directory == "writable" else 0o555
    reader_dir.chmod(mode | (stat.S_ISVTX if directory == "writable" else 0))
    before = db.read_bytes()
    files = {p.name for p in reader_dir.iterdir()}
    done = _as_a_reader(["sources", "--config", str(config)], reader_dir)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("NAME") and len(lines) == len(SOURCES) + 3, done.stdout
    assert f"{len(SOURCES)} source(s): {len(SOURCES)} ok" in lines[-2]
    assert lines[-1] == f"database: {db}"
    assert db.read_bytes() == before
    if directory == "read-only":
        assert {p.name for p in reader_dir.iterdir()} == files
