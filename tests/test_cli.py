"""What the operator's commands say and exit with when something is wrong.

- `poll` exits 1 when every polled source failed (or something could not be stored:
  test_failures.py), and says so in its last line.
- Commands that only read refuse a database that does not exist, naming it, and create
  nothing; `sources` says which database it read.
- A directory the user may not write, a `build --out` that is a file, a port in use: one
  line that names the path or port and what to do, exit 1, no traceback.
"""

from __future__ import annotations

import io
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from conftest import as_nobody
from feedserver import FeedServer, Route

from aggregator.cli import main


def rss(guid: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        "<link>https://x.example/</link><description>d</description>"
        f"<item><title>خبر {guid}</title><guid>{guid}</guid>"
        f"<link>https://x.example/{guid}</link></item></channel></rss>"
    ).encode()


def write_config(directory: Path, urls: dict[str, str], db: str = "cli.db") -> Path:
    lines = [
        "site: {title: 'منبر', base_url: 'http://127.0.0.1', language: ar}",
        f"storage: {{path: '{db}'}}",
        "poll: {interval: 15m, timeout: 3s}",
        "categories: {politics: {title: سياسة}}",
        "sources:" + ("" if urls else " []"),
    ]
    for name, url in urls.items():
        lines.append(f"  - {{name: {name}, url: '{url}', categories: [politics]}}")
    config = directory / "feeds.yaml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config.chmod(0o644)
    return config


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


# --- poll's exit status ----------------------------------------------------------------


def test_poll_exits_1_when_every_polled_source_failed(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    feed_server.routes["/down.rss"] = Route(status=500)
    urls = {"down": feed_server.url("/down.rss"), "nowhere": "http://feeds.unresolvable.invalid/"}
    config = write_config(tmp_path, urls)
    code, out, _err = run(["poll", "--config", str(config)])
    assert code == 1
    last = out.splitlines()[-1]
    assert last.startswith("FAILED: every polled source failed (2)"), out
    # one source back: the poll worked, though the other still fails
    feed_server.routes["/down.rss"] = Route(body=rss("a"))
    code, out, _err = run(["poll", "--all", "--config", str(config)])
    assert code == 0 and "1 ok" in out and "FAILED nowhere" in out
    assert not out.splitlines()[-1].startswith("FAILED"), out
    # nothing due: nothing failed
    assert run(["poll", "--config", str(config)])[0] == 0


# --- one database ----------------------------------------------------------------------

READ_ONLY = {
    "sources": [],
    "stories": [],
    "search": ["إضراب"],
    "export": [],
    "serve": [],
}


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port something else listens on."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


@pytest.mark.parametrize("command", sorted(READ_ONLY))
def test_a_read_only_command_refuses_a_missing_database(
    tmp_path: Path, command: str, taken_port: int
) -> None:
    config = write_config(tmp_path, {})
    typo = tmp_path / "aggregatr.db"
    # serve is refused before it listens (on a taken port, so it could never hang here)
    extra = ["--port", str(taken_port)] if command == "serve" else READ_ONLY[command]
    code, out, err = run([command, *extra, "--config", str(config), "--db", str(typo)])
    assert code == 1, (out, err)
    line = one_line(err)
    assert f"no database at {typo} (from --db)" in line and f"`{command}`" in line, line
    assert "aggregator poll" in line  # what to do
    # and without --db: the config's storage.path, said so
    code, _out, err = run([command, *extra, "--config", str(config)])
    assert code == 1
    assert f"no database at {tmp_path / 'cli.db'} (from storage.path in {config})" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feeds.yaml"]  # created nothing


def test_aggregator_db_is_named_as_the_origin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write_config(tmp_path, {})
    monkeypatch.setenv("AGGREGATOR_DB", str(tmp_path / "service.db"))
    code, _out, err = run(["sources", "--config", str(config)])
    assert code == 1 and f"no database at {tmp_path / 'service.db'} (from $AGGREGATOR_DB)" in err


@pytest.mark.parametrize("command", ["poll", "build"])
def test_poll_and_build_create_the_database(tmp_path: Path, command: str) -> None:
    config = write_config(tmp_path, {})
    extra = ["--out", str(tmp_path / "public")] if command == "build" else []
    assert run([command, *extra, "--config", str(config)])[0] == 0
    assert (tmp_path / "cli.db").exists()


def test_sources_says_which_database_it_read(tmp_path: Path, feed_server: FeedServer) -> None:
    feed_server.routes["/a.rss"] = Route(body=rss("a"))
    config = write_config(tmp_path, {"a": feed_server.url("/a.rss")})
    assert run(["poll", "--config", str(config)])[0] == 0
    code, out, _err = run(["sources", "--config", str(config)])
    assert code == 0
    assert out.splitlines()[-1] == f"database: {tmp_path / 'cli.db'}"


def test_the_shipped_unit_and_the_readme_name_one_database() -> None:
    """The service reads its database from /etc/aggregator/feeds.yaml and nothing
    else, so an operator's command with the same --config reaches the same database."""
    root = Path(__file__).resolve().parents[1]
    unit = (root / "deploy" / "aggregator.service").read_text(encoding="utf-8")
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert not [line for line in unit.splitlines() if line.startswith("Environment=")]
    config = "--config /etc/aggregator/feeds.yaml"
    for line in unit.splitlines():
        if line.startswith(("ExecStart=", "ExecStartPre=")):
            assert config in line, line
    assert "storage: {path: /var/lib/aggregator/aggregator.db}" in readme
    assert f"aggregator sources {config}" in readme


# --- one line, no traceback ------------------------------------------------------------


def test_a_db_where_the_user_may_not_write(shared_dir: Path) -> None:
    config = write_config(shared_dir, {})
    for db in (shared_dir / "closed" / "new" / "f.db", shared_dir / "closed" / "f.db"):
        code, output = as_nobody(["poll", "--config", str(config), "--db", str(db)])
        assert code == 1, output
        line = one_line(output)
        assert str(db) in line and "this user may not write" in line, line
        assert not db.exists()


def test_build_out_onto_a_file_or_where_the_user_may_not_write(shared_dir: Path) -> None:
    config = write_config(shared_dir, {})
    (shared_dir / "db").mkdir(mode=0o777)
    (shared_dir / "db").chmod(0o777)
    db = ["--db", str(shared_dir / "db" / "f.db")]
    afile = shared_dir / "index.html"
    afile.write_text("mine")
    code, _out, err = run(["build", "--out", str(afile), "--config", str(config), *db])
    assert code == 1
    line = one_line(err)
    assert f"--out {afile} is a file" in line and "directory" in line
    assert afile.read_text() == "mine"
    out = shared_dir / "closed" / "public"
    code, output = as_nobody(["build", "--out", str(out), "--config", str(config), *db])
    assert code == 1, output
    line = one_line(output)
    assert f"cannot write into {out}" in line and "Permission denied" in line, line
    assert "--out directory this user may write" in line


@pytest.mark.parametrize("command", ["serve", "run"])
def test_a_port_in_use_is_one_line_and_exit_1(
    tmp_path: Path, command: str, taken_port: int
) -> None:
    config = write_config(tmp_path, {})
    assert run(["poll", "--config", str(config)])[0] == 0
    port = taken_port
    done = subprocess.run(
        [sys.executable, "-m", "aggregator", command, "--config", str(config)]
        + ["--port", str(port)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    line = one_line(done.stderr)
    assert f"cannot listen on 127.0.0.1:{port}: port {port} is already in use" in line, line
    assert "choose another --port" in line
    assert "serving" not in done.stderr and "running" not in done.stderr
