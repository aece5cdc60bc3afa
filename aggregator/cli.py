"""The `aggregator` command: thin over the pipeline, the store and the server.

Exit status: 0 done, 2 bad config or usage, 1 anything else that stopped the command.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from aggregator import __version__, pipeline
from aggregator.config import load_settings
from aggregator.errors import AggregatorError, ConfigError
from aggregator.models import PollOutcome, Settings, SourceState
from aggregator.store import Store

log = logging.getLogger("aggregator")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    _setup_logging(args.verbose)
    try:
        return int(args.func(args) or 0)
    except ConfigError as e:
        print(f"aggregator: the config has {len(e.problems)} problem(s):", file=sys.stderr)
        for problem in e.problems:
            print(f"  {problem}", file=sys.stderr)
        print("Fix them and run `aggregator check` again; nothing was started.", file=sys.stderr)
        return 2
    except AggregatorError as e:
        print(f"aggregator: {e.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aggregator",
        description="Poll news feeds, store each item once, republish one feed per category.",
    )
    parser.add_argument("--version", action="version", version=f"aggregator {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        default=os.environ.get("AGGREGATOR_CONFIG", "feeds.yaml"),
        help="the config file (default: $AGGREGATOR_CONFIG or ./feeds.yaml)",
    )
    common.add_argument(
        "--db", default=None, help="the SQLite database (default: $AGGREGATOR_DB or storage.path)"
    )
    common.add_argument("-v", "--verbose", action="store_true", help="log every poll outcome")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func, help: str) -> argparse.ArgumentParser:  # type: ignore[no-untyped-def]
        p = sub.add_parser(name, parents=[common], help=help, description=help)
        p.set_defaults(func=func)
        return p

    p = command("run", _cmd_run, "the daemon: scheduler and HTTP server in one process")
    _add_listen(p)
    p = command("poll", _cmd_poll, "poll due sources once, store, regenerate outputs, exit")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_true", help="poll every source, due or not")
    which.add_argument("--source", metavar="NAME", help="poll only this source (by name)")
    p = command("build", _cmd_build, "write the published files as static files into DIR")
    p.add_argument("--out", required=True, metavar="DIR", help="the directory to write into")
    p = command("serve", _cmd_serve, "the HTTP server alone, over what is stored")
    _add_listen(p)
    command("check", _cmd_check, "validate the config: exit 0, or print every error and exit 2")
    command("sources", _cmd_sources, "one row per source: state, last poll, items, errors")
    p = command("import-opml", _cmd_import_opml, "add the subscriptions of an OPML file")
    p.add_argument("file", metavar="FILE", help="an OPML export of a feed reader")
    command("export-opml", _cmd_export_opml, "print the configured sources as OPML")
    return parser


def _add_listen(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port to listen on (8080)")


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _settings(args: argparse.Namespace) -> Settings:
    """Load the config; a --db flag or $AGGREGATOR_DB overrides storage.path."""
    settings = load_settings(args.config)
    db = args.db or os.environ.get("AGGREGATOR_DB")
    if db:
        storage = dataclasses.replace(settings.storage, path=str(Path(db).resolve()))
        settings = dataclasses.replace(settings, storage=storage)
    return settings


# --- commands --------------------------------------------------------------------------


def _cmd_check(args: argparse.Namespace) -> int:
    settings = _settings(args)
    print(
        f"{args.config}: ok: {len(settings.sources)} sources, "
        f"{len(settings.categories)} categories, {len(settings.rules)} rules"
    )
    return 0


def _cmd_poll(args: argparse.Namespace) -> int:
    settings = _settings(args)
    with Store(settings.storage.path) as store:
        store.sync_sources(settings.sources)
        now = pipeline.utcnow()
        if args.source:
            sources = [s for s in settings.sources if s.name == args.source]
            if not sources:
                names = ", ".join(s.name for s in settings.sources) or "(none)"
                print(
                    f"aggregator: no source named {args.source!r}; the sources are: {names}",
                    file=sys.stderr,
                )
                return 2
        elif args.all:
            sources = list(settings.sources)
        else:
            sources = pipeline.due_sources(settings, store, now)
        outcomes = asyncio.run(pipeline.poll_sources(settings, store, sources))
        changed = pipeline.regenerate(settings, store)
    print(_summary(settings, outcomes, changed))
    return 0


def _summary(settings: Settings, outcomes: list[PollOutcome], changed: list[str]) -> str:
    counts = Counter(o.outcome for o in outcomes)
    new = sum(o.new_items for o in outcomes)
    lines = [
        f"polled {len(outcomes)} source(s): {len(outcomes) - counts['error']} ok "
        f"({counts['new']} with new items, {counts['unchanged'] + counts['not_modified']} "
        f"unchanged), {counts['error']} failed; {new} new item(s)"
    ]
    by_category: Counter[str] = Counter()
    for outcome in outcomes:
        by_category.update(outcome.new_by_category)
    for category in settings.categories:
        if by_category[category.name]:
            lines.append(f"  {category.name}: {by_category[category.name]} new")
    for outcome in outcomes:
        if outcome.outcome == "error":
            lines.append(f"  FAILED {outcome.source.name}: {outcome.error}")
    lines.append(f"{len(changed)} published file(s) changed")
    return "\n".join(lines)


def _cmd_build(args: argparse.Namespace) -> int:
    settings = _settings(args)
    out = Path(args.out)
    with Store(settings.storage.path) as store:
        files = pipeline.render_all(settings, store, pipeline.utcnow())
    for path, (body, _type) in files.items():
        _write_atomically(out / path.lstrip("/"), body)
    print(f"wrote {len(files)} files into {out}")
    return 0


def _write_atomically(target: Path, body: bytes) -> None:
    """Write beside the target and rename: a reader never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(body)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _cmd_sources(args: argparse.Namespace) -> int:
    settings = _settings(args)
    with Store(settings.storage.path) as store:
        store.sync_sources(settings.sources)
        configured = {s.url for s in settings.sources}
        states = [s for s in store.source_states() if s.url in configured]
    states.sort(key=lambda s: (-s.error_count, s.name))
    rows = [("NAME", "STATE", "LAST POLL", "HTTP", "ITEMS", "ERRORS", "NEXT POLL", "NOTE")]
    for s in states:
        rows.append(
            (
                s.name,
                _state_word(s),
                _when(s.last_poll),
                str(s.last_status or "-"),
                str(s.items),
                str(s.error_count),
                _when(s.next_poll) if not s.gone else "never",
                _note(s),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[-1]]).rstrip())
    return 0


def _state_word(s: SourceState) -> str:
    if s.gone:
        return "gone"
    if s.last_poll is None:
        return "new"
    return "failing" if s.error_count else "ok"


def _note(s: SourceState) -> str:
    if s.gone:
        return f"410 Gone: edit or remove this source in feeds.yaml ({s.last_error})"
    notes = []
    if s.fetch_url and s.fetch_url != s.url:
        notes.append(f"moved to {s.fetch_url}: feeds.yaml still has the old URL")
    elif s.moved_to:
        notes.append(f"answered 301 to {s.moved_to}")
    if s.error_count and s.last_error:
        notes.append(s.last_error)
    return "; ".join(notes)


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else "-"


def _cmd_export_opml(args: argparse.Namespace) -> int:
    from aggregator.publish import render_opml

    sys.stdout.write(render_opml(_settings(args)).decode("utf-8"))
    return 0


def _cmd_import_opml(args: argparse.Namespace) -> int:
    from aggregator.opml import import_opml

    _settings(args)  # refuse to edit a config that is already broken
    added = import_opml(Path(args.config), Path(args.file))
    print(f"added {added} source(s) to {args.config}")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from aggregator.scheduler import run_daemon

    return run_daemon(args.config, db=args.db, host=args.host, port=args.port)


def _cmd_serve(args: argparse.Namespace) -> int:
    from aggregator.server import serve

    settings = _settings(args)
    return serve(settings, host=args.host, port=args.port)
