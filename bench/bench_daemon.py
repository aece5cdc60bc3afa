"""The daemon's first start: `aggregator run` with N sources all due at once.

    .venv/bin/python bench/bench_daemon.py --n 1000

Starts bench/feedserver.py (N sources x 50 items) and `aggregator run` on an empty
database, then measures until every source has been polled once: wall time, the daemon's
CPU time (its parse workers included), how many items were stored, and how long the
daemon's own web server took to answer /healthz meanwhile (a reader subscribed to the
portal keeps fetching while the first poll runs). Run it alone: it uses both cores.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench_serve import free_port, wait_for
from run import AGG_PY, FeedServerProcess, _cpu_s, _tree, write_config


def polled(db: Path) -> tuple[int, int]:
    """(sources polled at least once, items stored), read beside the running daemon."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            sources = conn.execute(
                "SELECT count(*) FROM sources WHERE last_poll IS NOT NULL"
            ).fetchone()[0]
            items = conn.execute("SELECT count(*) FROM items").fetchone()[0]
    except sqlite3.Error:
        return 0, 0
    return int(sources), int(items)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="aggregator-daemon-"))
    server = FeedServerProcess(args.n)
    daemon = None
    try:
        config = write_config(work, server, args.n)
        port = free_port()
        started = time.monotonic()
        daemon = subprocess.Popen(
            [str(AGG_PY), "-m", "aggregator", "run", "--config", str(config)]
            + ["--port", str(port)],
            cwd=work,
            stderr=(work / "daemon.log").open("w"),
        )
        wait_for(port)
        latencies: list[float] = []
        cpu = 0.0
        while True:
            t = time.monotonic()
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=60) as r:
                r.read()
            latencies.append(time.monotonic() - t)
            cpu = max(cpu, sum(_cpu_s(pid) for pid in _tree(daemon.pid)))
            sources, items = polled(work / "aggregator.db")
            if sources >= args.n:
                break
            if daemon.poll() is not None:
                raise SystemExit(f"the daemon stopped: see {work / 'daemon.log'}")
            time.sleep(0.25)
        wall = time.monotonic() - started
        latencies.sort()
        print(f"N={args.n}: every source polled after {wall:.2f} s (wall, from start)")
        print(f"  daemon CPU (with workers) {cpu:.1f} s, items stored {items}")
        print(
            f"  /healthz during the poll: median {statistics.median(latencies) * 1000:.0f} ms, "
            f"max {latencies[-1] * 1000:.0f} ms over {len(latencies)} requests"
        )
    finally:
        if daemon is not None:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(30)
        server.close()
        if os.environ.get("KEEP") is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
