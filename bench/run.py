"""The poll benchmark: aggregator beside reader, same corpus, same server, one table.

    .venv/bin/python bench/run.py --sizes 200,1000          # add 10000 when you have time
    .venv/bin/python bench/run.py --sizes 1000 --only aggregator

For each size N it starts bench/feedserver.py (N sources x 50 items), then for each tool:
cold (empty database), a re-poll that settles validators (not timed), warm (nothing
changed), then 10% of feeds gain 5 items and changed. Each timed poll is a subprocess
(`aggregator poll --all`, or bench/reader_poll.py in bench/.venv-reader): wall time, CPU
time and peak RSS come from os.wait4; the proportional memory (PSS) of the whole process
tree is also sampled, so worker processes are not left out. Requests are counted by the
server. After each timed poll the store is exported and compared with every (feed, link,
title) the server ever served: each article stored once, titles exact.

Set up reader's virtualenv once:
    python3 -m venv bench/.venv-reader
    bench/.venv-reader/bin/pip install "reader==3.26" "feedparser==6.0.14" sgmllib3k
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
AGG_PY = ROOT / ".venv" / "bin" / "python"
READER_PY = BENCH / ".venv-reader" / "bin" / "python"
CATEGORIES = ("politics", "labour", "women", "secularism")


@dataclass
class Run:
    tool: str
    scenario: str
    wall: float
    cpu: float
    maxrss_mb: float
    pss_mb: float
    items: int = 0
    requests: int = 0
    full: int = 0
    server_cpu: float = 0.0
    check: str = ""
    extra: dict = field(default_factory=dict)


# --- measuring a subprocess --------------------------------------------------------------


def _tree(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(b")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(parents.get(pid, ()))
    return out


def _cpu_s(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Launcher:
    """bench/launch.py, started before this runner grows (see there why)."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(BENCH / "launch.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def start(self, cmd: list[str], env: dict, stdout: Path, stderr: Path) -> int:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        request = {"cmd": cmd, "env": env, "stdout": str(stdout), "stderr": str(stderr)}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return int(json.loads(self.proc.stdout.readline())["pid"])

    def result(self) -> dict:
        assert self.proc.stdout is not None
        return dict(json.loads(self.proc.stdout.readline()))


LAUNCHER: Launcher | None = None


def measure(cmd: list[str], *, stdout_path: Path, env: dict | None = None) -> tuple[Run, str]:
    """Run ``cmd`` to completion; wall, CPU and peak RSS from wait4, tree PSS sampled.

    CPU is the poller's own (wait4) plus what its descendants that it does not reap
    itself (parse workers under a fork server) used, sampled every 50 ms."""
    assert LAUNCHER is not None
    peak = [0]
    descendants: dict[int, float] = {}
    done = threading.Event()
    err_path = stdout_path.with_suffix(".err")
    pid = LAUNCHER.start(cmd, env if env is not None else dict(os.environ), stdout_path, err_path)

    def sample() -> None:
        while not done.wait(0.05):
            tree = _tree(pid)
            peak[0] = max(peak[0], sum(_pss_kb(p) for p in tree))
            for child in tree[1:]:
                descendants[child] = max(descendants.get(child, 0.0), _cpu_s(child))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    result = LAUNCHER.result()
    done.set()
    sampler.join()
    if result["status"] != 0:
        raise SystemExit(
            f"{' '.join(cmd)} exited {result['status']}:\n" + err_path.read_text()[-3000:]
        )
    run = Run(
        tool="",
        scenario="",
        wall=result["wall"],
        cpu=result["cpu"] + sum(descendants.values()),
        maxrss_mb=result["maxrss_kb"] / 1024,
        pss_mb=peak[0] / 1024,
    )
    return run, stdout_path.read_text()


# --- the feed server -----------------------------------------------------------------------


class FeedServerProcess:
    def __init__(self, n: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(BENCH / "feedserver.py"), "--n", str(n)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.startswith("READY"):
            raise SystemExit(f"feed server did not start: {line!r}")
        self.port = int(line.split()[1])
        self.base = f"http://127.0.0.1:{self.port}"

    def admin(self, what: str) -> object:
        with urllib.request.urlopen(f"{self.base}/_admin/{what}", timeout=600) as r:
            return json.loads(r.read())

    def cpu(self) -> float:
        with open(f"/proc/{self.proc.pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def server_capacity(server: FeedServerProcess) -> str:
    """What the server can serve (wrk, 4 connections, 3 s), to show it is not the limit."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return "wrk not installed"
    out = []
    for path in ("/feeds/00000.xml", "/feeds/00003.atom"):  # a full body; a conditional one
        done = subprocess.run(
            [wrk, "-t1", "-c4", "-d3s", server.base + path],
            capture_output=True,
            text=True,
            timeout=60,
        )
        rate = next(
            (ln.split()[1] for ln in done.stdout.splitlines() if ln.startswith("Requests/sec")),
            "?",
        )
        size = next(
            (ln.split()[1] for ln in done.stdout.splitlines() if ln.startswith("Transfer/sec")),
            "?",
        )
        out.append(f"{path}: {rate} req/s ({size}/s, full 200 bodies)")
    return "; ".join(out)


# --- the tools -------------------------------------------------------------------------------


NEAR_DUPLICATES = True  # --no-near-dup turns the near-duplicate layer off


def write_config(work: Path, server: FeedServerProcess, n: int) -> Path:
    paths = []
    for i in range(n):
        paths.append(f"/feeds/{i:05d}.{'xml' if i % 2 == 0 else 'atom'}")
    lines = [
        "site:",
        '  title: "منبر اليسار"',
        '  base_url: "http://127.0.0.1:8080"',
        "  language: ar",
        "  max_items: 50",
        "storage:",
        "  path: aggregator.db",
        "poll:",
        "  interval: 15m",
        "  timeout: 120s",
        "  concurrency: 16",
        # Every bench feed is on 127.0.0.1; a real portal's sources are on many hosts.
        "  per_host: 16",
        "categories:",
        *(f'  {c}: {{title: "{c}"}}' for c in CATEGORIES),
        *([] if NEAR_DUPLICATES else ["dedupe:", "  enabled: false"]),
        "rules:",
        "  - add: labour",
        '    any: ["اضراب", "نقابة"]',
        "sources:",
    ]
    for i, path in enumerate(paths):
        lines += [
            f'  - name: "مصدر {i}"',
            f"    url: {server.base}{path}",
            f"    categories: [{CATEGORIES[i % 4]}]",
        ]
    config = work / "feeds.yaml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (work / "urls.txt").write_text("".join(server.base + p + "\n" for p in paths))
    return config


class Aggregator:
    name = "aggregator"

    def __init__(
        self, work: Path, server: FeedServerProcess, n: int, parse_workers: int | None = None
    ) -> None:
        self.work = work
        self.config = write_config(work, server, n)
        self.env = dict(os.environ)
        if parse_workers is not None:
            self.env["AGGREGATOR_PARSE_WORKERS"] = str(parse_workers)

    def poll(self, label: str) -> Run:
        cmd = [str(AGG_PY), "-m", "aggregator", "poll", "--all", "--config", str(self.config)]
        run, _out = measure(cmd, stdout_path=self.work / f"{label}.out", env=self.env)
        return run

    def export(self) -> list[tuple[str, str, str]]:
        cmd = [str(AGG_PY), "-m", "aggregator", "export", "--format", "tsv"]
        done = subprocess.run(
            [*cmd, "--config", str(self.config)], capture_output=True, text=True, check=True
        )
        return [tuple(line.split("\t")) for line in done.stdout.splitlines()]  # type: ignore[misc]

    def items(self) -> int:
        cmd = [str(AGG_PY), "-m", "aggregator", "export", "--config", str(self.config)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        return sum(1 for _ in done.stdout.splitlines())


class Reader:
    name = "reader"

    def __init__(self, work: Path, server: FeedServerProcess, n: int, workers: int) -> None:
        self.work = work
        write_config(work, server, n)
        self.db = work / "reader.sqlite"
        self.workers = workers

    def poll(self, label: str) -> Run:
        cmd = [str(READER_PY), str(BENCH / "reader_poll.py"), "poll", "--db", str(self.db)]
        cmd += ["--urls", str(self.work / "urls.txt"), "--workers", str(self.workers)]
        run, out = measure(cmd, stdout_path=self.work / f"{label}.out")
        run.extra = json.loads(out.strip().splitlines()[-1])
        return run

    def export(self) -> list[tuple[str, str, str]]:
        cmd = [str(READER_PY), str(BENCH / "reader_poll.py"), "export", "--db", str(self.db)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        return [tuple(line.split("\t")) for line in done.stdout.splitlines()]  # type: ignore[misc]

    def items(self) -> int:
        return len(self.export())


class Floor(Reader):
    """bench/floor_poll.py: the standard library's least, as the reference (not a rival)."""

    name = "floor"

    def __init__(self, work: Path, server: FeedServerProcess, n: int, threads: int) -> None:
        super().__init__(work, server, n, threads)
        self.db = work / "floor.sqlite"

    def poll(self, label: str) -> Run:
        cmd = [str(AGG_PY), str(BENCH / "floor_poll.py"), "poll", "--db", str(self.db)]
        cmd += ["--urls", str(self.work / "urls.txt"), "--threads", str(self.workers)]
        run, out = measure(cmd, stdout_path=self.work / f"{label}.out")
        run.extra = json.loads(out.strip().splitlines()[-1])
        return run

    def export(self) -> list[tuple[str, str, str]]:
        cmd = [str(AGG_PY), str(BENCH / "floor_poll.py"), "export", "--db", str(self.db)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        return [tuple(line.split("\t")) for line in done.stdout.splitlines()]  # type: ignore[misc]


# --- checking ---------------------------------------------------------------------------------


def check(tool, server: FeedServerProcess, work: Path) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    """Compare the store with every (feed, link, title) served. Returns (verdict, items)."""
    dump = work / "expected.tsv"
    server.admin(f"dump?path={dump}")
    expected = {tuple(line.split("\t")) for line in dump.read_text().splitlines()}
    pairs = tool.export()
    got = set(pairs)
    problems = []
    if len(pairs) != len(got):
        problems.append(f"{len(pairs) - len(got)} duplicate pairs")
    missing, extra = expected - got, got - expected
    if missing:
        problems.append(f"{len(missing)} missing, e.g. {sorted(missing)[0]}")
    if extra:
        problems.append(f"{len(extra)} unexpected (wrong title?), e.g. {sorted(extra)[0]}")
    if isinstance(tool, Aggregator):
        items = tool.items()
        articles = len({link for _f, link, _t in expected})
        if items != articles:
            problems.append(f"{items} items stored for {articles} articles")
    else:
        items = len(pairs)
    return ("ok" if not problems else "FAIL: " + "; ".join(problems)), items


# --- the run ------------------------------------------------------------------------------------


def scenarios(tool, server: FeedServerProcess, work: Path, verify: bool) -> list[Run]:  # type: ignore[no-untyped-def]
    runs: list[Run] = []

    def timed(scenario: str, label: str) -> Run:
        server.admin("zero")
        cpu0 = server.cpu()
        run = tool.poll(label)
        run.server_cpu = server.cpu() - cpu0
        stats = server.admin("stats")
        assert isinstance(stats, dict)
        run.tool, run.scenario = tool.name, scenario
        run.requests, run.full = stats["requests"], stats["full"]
        if verify and scenario != "settle":
            run.check, run.items = check(tool, server, work)
        print(f"  {fmt_run(run)}", flush=True)
        return run

    runs.append(timed("cold", "cold"))
    timed("settle", "settle")  # a first re-poll: validators and hashes settle
    runs.append(timed("warm", "warm"))
    server.admin("bump?share=0.1")
    runs.append(timed("changed", "changed"))
    return runs


def fmt_run(r: Run) -> str:
    return (
        f"{r.tool:10} {r.scenario:8} wall {r.wall:7.2f}s cpu {r.cpu:7.2f}s "
        f"maxrss {r.maxrss_mb:6.1f}MB pss {r.pss_mb:6.1f}MB items {r.items:7} "
        f"requests {r.requests:6} ({r.full} full) server cpu {r.server_cpu:5.2f}s {r.check}"
    )


def table(n: int, runs: list[Run]) -> str:
    head = (
        f"| N={n:,} | tool | wall s | CPU s | peak RSS MB | tree PSS MB | items | requests "
        "(200s) | check | reader / aggregator (wall) | aggregator / floor (wall) |"
    )
    lines = [head, "|" + "---|" * 11]
    by = {(r.tool, r.scenario): r for r in runs}
    for scenario in ("cold", "warm", "changed"):
        for tool in ("aggregator", "reader", "floor"):
            r = by.get((tool, scenario))
            if r is None:
                continue
            other = by.get(("reader", scenario))
            floor = by.get(("floor", scenario))
            ratio = (
                f"{other.wall / r.wall:.1f}x" if tool == "aggregator" and other is not None else ""
            )
            over_floor = (
                f"{r.wall / floor.wall:.2f}x" if tool == "aggregator" and floor is not None else ""
            )
            lines.append(
                f"| {scenario} | {tool} | {r.wall:.2f} | {r.cpu:.2f} | {r.maxrss_mb:.0f} | "
                f"{r.pss_mb:.0f} | {r.items:,} | {r.requests:,} ({r.full:,}) | {r.check} | "
                f"{ratio} | {over_floor} |"
            )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description="aggregator vs reader, poll benchmark")
    parser.add_argument("--sizes", default="200,1000", help="comma-separated N (200,1000)")
    parser.add_argument("--only", choices=("aggregator", "reader", "floor"), help="run one tool")
    parser.add_argument(
        "--workers", type=int, default=4, help="reader's workers and the floor's threads (4)"
    )
    parser.add_argument(
        "--no-near-dup",
        action="store_true",
        help="aggregator: dedupe.enabled false (exact identity only, like reader)",
    )
    parser.add_argument(
        "--parse-workers",
        type=int,
        help="aggregator's parse worker processes (default: one per core; 0: parse inline)",
    )
    parser.add_argument("--work", default="/tmp/aggregator-bench", help="scratch directory")
    parser.add_argument("--no-check", action="store_true", help="time only, skip the checks")
    parser.add_argument("--out", help="also append the tables (markdown) to this file")
    args = parser.parse_args()
    global LAUNCHER, NEAR_DUPLICATES
    LAUNCHER = Launcher()  # first, while this process is small
    NEAR_DUPLICATES = not args.no_near_dup
    if args.only in (None, "reader") and not READER_PY.exists():
        raise SystemExit(f"{READER_PY} missing: see the set-up lines in {__file__}")
    tables = []
    for n in (int(s) for s in args.sizes.split(",")):
        print(f"N = {n:,}: starting the feed server", flush=True)
        started = time.perf_counter()
        server = FeedServerProcess(n)
        try:
            print(f"  server ready in {time.perf_counter() - started:.1f}s", flush=True)
            capacity = server_capacity(server)
            print(f"  server capacity: {capacity}", flush=True)
            runs: list[Run] = []
            tools = ("aggregator", "reader", "floor") if args.only is None else (args.only,)
            for name in tools:
                work = Path(args.work) / f"{n}-{name}"
                shutil.rmtree(work, ignore_errors=True)
                work.mkdir(parents=True)
                server.admin("reset")
                tool: Aggregator | Reader
                if name == "aggregator":
                    tool = Aggregator(work, server, n, args.parse_workers)
                elif name == "reader":
                    tool = Reader(work, server, n, args.workers)
                else:
                    tool = Floor(work, server, n, args.workers)
                runs += scenarios(tool, server, work, not args.no_check)
            text = table(n, runs) + f"\n\nFeed server capacity (wrk, 4 connections): {capacity}"
            tables.append(text)
            print("\n" + text + "\n", flush=True)
        finally:
            server.close()
    if args.out:
        with open(args.out, "a", encoding="utf-8") as f:
            f.write("\n\n".join(tables) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
