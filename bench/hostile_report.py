"""Run each hostile case once and print a table: case, what happened, time, peak memory.

    .venv/bin/python bench/hostile_report.py [--max-bytes 10MB] [--timeout 5s]

The hostile server (tests/hostile_server.py) runs in this process; each case is polled by
a fresh child process (`--case PATH`), one source through the real pipeline (fetch, parse,
store), so "peak memory" is the child's VmHWM growth over its baseline after imports.
Defaults are the shipped config's limits (10 MB cap); the gzip bomb is 1 GiB of zeros.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

SKIP = {"/xxe-target"}


def vm_hwm_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def run_case(url: str, max_bytes: str, timeout: str) -> dict[str, object]:
    from aggregator import pipeline
    from aggregator.config import load_settings
    from aggregator.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "feeds.yaml"
        config.write_text(
            "site: {title: t, base_url: 'http://127.0.0.1', language: ar}\n"
            "storage: {path: bench.db}\n"
            f"poll: {{timeout: {timeout}, max_bytes: {max_bytes}}}\n"
            "categories: {politics: {title: P}}\n"
            f"sources:\n  - {{name: case, url: '{url}', categories: [politics]}}\n",
            encoding="utf-8",
        )
        settings = load_settings(config)
        with Store(settings.storage.path) as store:
            baseline = vm_hwm_kb()
            started = time.monotonic()
            [outcome] = asyncio.run(pipeline.poll_sources(settings, store, settings.sources))
            seconds = time.monotonic() - started
            peak = vm_hwm_kb() - baseline
            items = store.count_items()
    what = f"failed: {outcome.error}" if outcome.error else f"ok: {items} item(s) stored"
    return {"what": what, "seconds": seconds, "peak_kb": peak}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--max-bytes", default="10MB")
    parser.add_argument("--timeout", default="5s")
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.max_bytes, args.timeout)))
        return 0

    from hostile_server import SECRET, HostileServer

    with tempfile.TemporaryDirectory() as tmp:
        secret = Path(tmp) / "secret.txt"
        secret.write_text(SECRET, encoding="utf-8")
        with HostileServer(str(secret), bomb_mib=1024) as server:
            rows = []
            for path in server.routes:
                if path in SKIP or path.startswith(("/coding/", "/broken/")):
                    continue
                child = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--case",
                        server.url(path),
                        "--max-bytes",
                        args.max_bytes,
                        "--timeout",
                        args.timeout,
                    ],
                    capture_output=True,
                    text=True,
                    cwd=ROOT,
                )
                if child.returncode != 0:
                    rows.append((path, f"CRASHED: {child.stderr.strip()[-200:]}", 0.0, 0))
                    continue
                result = json.loads(child.stdout.strip().splitlines()[-1])
                rows.append((path, result["what"], result["seconds"], result["peak_kb"]))
            leaked = [p for p in server.requests if "xxe-target" in p]
    print(f"max_bytes {args.max_bytes}, timeout {args.timeout}; one source per run\n")
    print("| case | what happened | time | peak memory |")
    print("| --- | --- | ---: | ---: |")
    for path, what, seconds, peak_kb in rows:
        what = what if len(what) <= 90 else what[:87] + "..."
        print(f"| `{path}` | {what} | {seconds:.2f} s | {peak_kb / 1024:.1f} MB |")
    print(f"\nrequests to the XXE target: {len(leaked)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
