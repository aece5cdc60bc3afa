"""One `aggregator poll` over chosen cases of the hostile server, and what it left behind."""

from __future__ import annotations

import io
import time
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from hostile_server import HostileServer

from aggregator.cli import main
from aggregator.models import SourceState
from aggregator.store import Store


@dataclass
class Polled:
    config: Path
    db: Path
    summary: str
    seconds: float
    states: dict[str, SourceState]  # by source name (the path without its slash)


def write_config(
    tmp_path: Path, server: HostileServer, paths: list[str], *, max_bytes: str, timeout: str
) -> Path:
    lines = [
        "site: {title: 'منبر', base_url: 'http://feeds.example.org', language: ar, max_items: 50}",
        "storage: {path: hostile.db}",
        f"poll: {{interval: 15m, timeout: {timeout}, max_bytes: {max_bytes},"
        " concurrency: 64, per_host: 64}",
        "categories: {politics: {title: سياسة}}",
        "sources:",
    ]
    for path in paths:
        lines.append(
            f"  - {{name: '{path[1:]}', url: '{server.url(path)}', categories: [politics]}}"
        )
    config = tmp_path / "feeds.yaml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def poll(
    tmp_path: Path,
    server: HostileServer,
    paths: list[str],
    *,
    max_bytes: str = "1MB",
    timeout: str = "2s",
) -> Polled:
    config = write_config(tmp_path, server, paths, max_bytes=max_bytes, timeout=timeout)
    out = io.StringIO()
    started = time.monotonic()
    with redirect_stdout(out):
        assert main(["poll", "--all", "--config", str(config)]) == 0
    seconds = time.monotonic() - started
    db = tmp_path / "hostile.db"
    with Store(db) as store:
        states = {s.name: s for s in store.source_states()}
    return Polled(config, db, out.getvalue(), seconds, states)
