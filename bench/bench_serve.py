"""Serving: a published feed from `aggregator serve`, beside nginx serving the same bytes
as a static file (target: at least 25% of nginx's rate), both with wrk on loopback.

    .venv/bin/python bench/bench_serve.py --config /tmp/aggregator-bench/1000-aggregator/feeds.yaml

Uses a store that bench/run.py left behind (any polled config works). nginx runs with one
worker process, no access log, and sendfile with tcp_nopush as Debian's nginx.conf has them
(without tcp_nopush it needs 2.5 times the CPU a request here); our server is one process
too. Both must answer 200 with the same bytes before anything is measured. Needs the
Debian packages wrk and nginx (`apt-get install -y wrk nginx`).

The two servers are measured in turns (ours, nginx, ours, nginx, ...: `--rounds`), so load
from other work on the machine falls on both alike; each line gives the median of its
rounds, and the share is the median of the rounds' own ratios.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AGG = [str(ROOT / ".venv" / "bin" / "python"), "-m", "aggregator"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listening on {port}")


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        if response.status != 200:
            raise SystemExit(f"{url}: {response.status}")
        return response.read()


def wrk(url: str, *, seconds: int, connections: int, gzip: bool) -> float:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", url]
    if gzip:
        cmd[1:1] = ["-H", "Accept-Encoding: gzip"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 30).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise SystemExit(f"{url}: not every answer was a 200:\n{out}")
    line = next(ln for ln in out.splitlines() if ln.startswith("Requests/sec"))
    return float(line.split()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, help="a feeds.yaml whose store is polled")
    parser.add_argument("--path", default="/feeds/all.rss", help="the published file to ask for")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3, help="turns of each server")
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed: apt-get install -y wrk nginx")
    work = Path(tempfile.mkdtemp(prefix="aggregator-serve-"))
    work.chmod(0o755)  # nginx's worker (www-data or nobody) must read it: else all 403s
    out = work / "public"
    subprocess.run([*AGG, "build", "--config", args.config, "--out", str(out)], check=True)
    agg_port, nginx_port = free_port(), free_port()
    conf = work / "nginx.conf"
    conf.write_text(
        f"""worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    gzip_static off;
    client_body_temp_path {work}/tmp;
    types {{ application/rss+xml rss; application/atom+xml atom; application/json json; }}
    server {{
        listen 127.0.0.1:{nginx_port};
        root {out};
        etag on;
    }}
}}
"""
    )
    server = subprocess.Popen(
        [*AGG, "serve", "--config", args.config, "--port", str(agg_port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    nginx = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(work), "-g", "daemon off;"])
    try:
        wait_for(agg_port)
        wait_for(nginx_port)
        size = (out / args.path.lstrip("/")).stat().st_size
        ours, theirs = (fetch(f"http://127.0.0.1:{p}{args.path}") for p in (agg_port, nginx_port))
        if ours != theirs or len(ours) != size:
            raise SystemExit(f"{args.path}: the two servers send different bytes")
        print(
            f"{args.path}: {size:,} bytes; wrk -t1 -c{args.connections} -d{args.seconds}s,"
            f" {args.rounds} rounds (median)"
        )
        urls = {
            "aggregator serve": f"http://127.0.0.1:{agg_port}{args.path}",
            "nginx static": f"http://127.0.0.1:{nginx_port}{args.path}",
        }
        for url in urls.values():
            wrk(url, seconds=1, connections=args.connections, gzip=False)  # warm up
        rates: dict[str, list[float]] = {label: [] for label in urls}
        for _ in range(args.rounds):
            for label, url in urls.items():
                rate = wrk(url, seconds=args.seconds, connections=args.connections, gzip=False)
                rates[label].append(rate)
        for label, runs in rates.items():
            each = ", ".join(f"{r:,.0f}" for r in runs)
            print(f"  {label:17} {statistics.median(runs):10,.0f} req/s  ({each})")
        gz = wrk(
            urls["aggregator serve"],
            seconds=args.seconds,
            connections=args.connections,
            gzip=True,
        )
        print(f"  {'aggregator gzip':17} {gz:10,.0f} req/s (pre-compressed copy)")
        ratios = [a / n for a, n in zip(*rates.values(), strict=True)]
        share = statistics.median(ratios)
        verdict = "ok" if share >= 0.25 else "MISSED"
        each = ", ".join(f"{r:.0%}" for r in ratios)
        print(f"aggregator / nginx: {share:.0%} ({each}; target >= 25%): {verdict}")
    finally:
        server.terminate()
        nginx.terminate()
        server.wait(10)
        nginx.wait(10)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
