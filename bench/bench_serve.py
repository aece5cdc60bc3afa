"""Serving: a published feed from `aggregator serve`, beside nginx serving the same bytes
as a static file (target: at least 25% of nginx's rate), both with wrk on loopback.

    .venv/bin/python bench/bench_serve.py --config /tmp/aggregator-bench/1000-aggregator/feeds.yaml

Uses a store that bench/run.py left behind (any polled config works). nginx runs with one
worker process and no access log; our server is one process too. Needs the Debian packages
wrk and nginx (`apt-get install -y wrk nginx`).
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
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


def wrk(url: str, *, seconds: int, connections: int, gzip: bool) -> float:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", url]
    if gzip:
        cmd[1:1] = ["-H", "Accept-Encoding: gzip"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 30).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("Requests/sec"))
    return float(line.split()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, help="a feeds.yaml whose store is polled")
    parser.add_argument("--path", default="/feeds/all.rss", help="the published file to ask for")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed: apt-get install -y wrk nginx")
    work = Path(tempfile.mkdtemp(prefix="aggregator-serve-"))
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
        print(f"{args.path}: {size:,} bytes; wrk -t1 -c{args.connections} -d{args.seconds}s")
        results = {}
        for label, port in (("aggregator serve", agg_port), ("nginx static", nginx_port)):
            url = f"http://127.0.0.1:{port}{args.path}"
            wrk(url, seconds=1, connections=args.connections, gzip=False)  # warm up
            results[label] = wrk(
                url, seconds=args.seconds, connections=args.connections, gzip=False
            )
            print(f"  {label:17} {results[label]:10,.0f} req/s")
        gz = wrk(
            f"http://127.0.0.1:{agg_port}{args.path}",
            seconds=args.seconds,
            connections=args.connections,
            gzip=True,
        )
        print(f"  {'aggregator gzip':17} {gz:10,.0f} req/s (pre-compressed copy)")
        share = results["aggregator serve"] / results["nginx static"]
        verdict = "ok" if share >= 0.25 else "MISSED"
        print(f"aggregator / nginx: {share:.0%} (target >= 25%): {verdict}")
    finally:
        server.terminate()
        nginx.terminate()
        server.wait(10)
        nginx.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
