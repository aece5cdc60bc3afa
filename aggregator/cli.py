"""The `aggregator` command: thin over the pipeline, the store and the server.

Exit status: 0 done, 2 bad config or usage, 1 anything else that stopped the command
(for `poll`: also every polled source failing, or anything not stored).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import functools
import hashlib
import logging
import os
import shutil
import signal
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from aggregator import __version__, pipeline
from aggregator.config import check_settings, load_settings
from aggregator.errors import AggregatorError, ConfigError, StorageError
from aggregator.fetch import new_event_loop
from aggregator.models import PollOutcome, Settings, Source, SourceState
from aggregator.store import Store

log = logging.getLogger("aggregator")

# The commands that may create the database. Every other command that opens one only
# reads it, and refuses one that does not exist: creating it would show an empty store
# (404 for every feed, no sources) instead of saying that the path is wrong.
CREATES_DATABASE = frozenset({"poll", "run", "build", "prune"})


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
    except StorageError as e:  # DatabaseLocked too: its hint names the other process
        print(f"aggregator: {e.message}" + (f"; {e.hint}" if e.hint else ""), file=sys.stderr)
        return 1
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
    # The common options go before the command or after it (`aggregator --config X check`,
    # `aggregator check --config X`): the command's copies default to "not given", so
    # they never overwrite what was given before the command.
    common = argparse.ArgumentParser(add_help=False)
    for options, defaults in ((parser, True), (common, False)):
        options.add_argument(
            "--config",
            default=os.environ.get("AGGREGATOR_CONFIG", "feeds.yaml")
            if defaults
            else argparse.SUPPRESS,
            help="the config file (default: $AGGREGATOR_CONFIG or ./feeds.yaml)",
        )
        options.add_argument(
            "--db",
            default=None if defaults else argparse.SUPPRESS,
            help="the SQLite database (default: $AGGREGATOR_DB or storage.path)",
        )
        options.add_argument(
            "-v",
            "--verbose",
            action="store_true",
            default=False if defaults else argparse.SUPPRESS,
            help="log every poll outcome",
        )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str, func: Callable[[argparse.Namespace], int | None], help: str
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help, description=help)
        p.set_defaults(func=func)
        return p

    p = command("run", _cmd_run, "the daemon: scheduler and HTTP server in one process")
    _add_listen(p)
    p = command("poll", _cmd_poll, "poll due sources once, store, regenerate outputs, exit")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_true", help="poll every source, due or not")
    which.add_argument("--source", metavar="NAME", help="poll only this source (by name)")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="with --source: show what the source gives, store nothing (as try-source)",
    )
    p = command(
        "try-source",
        _cmd_try_source,
        "show what one source gives (a page's selectors, a channel's messages), store nothing",
    )
    p.add_argument("name", metavar="NAME", help="the source's name in feeds.yaml")
    command(
        "prune",
        _cmd_prune,
        "retention, story index and WAL checkpoint now (the daemon does it hourly, poll "
        "when it is due)",
    )
    p = command("build", _cmd_build, "write the published files as static files into DIR")
    p.add_argument("--out", required=True, metavar="DIR", help="the directory to write into")
    p = command("serve", _cmd_serve, "the HTTP server alone, over what is stored")
    _add_listen(p)
    command("check", _cmd_check, "validate the config: exit 0, or print every error and exit 2")
    command("sources", _cmd_sources, "one row per source: state, last poll, items, errors")
    p = command(
        "stories", _cmd_stories, "recent stories several outlets told: what was merged and why"
    )
    p.add_argument(
        "--days", type=float, default=3.0, metavar="N", help="merges of the last N days (3)"
    )
    p = command("import-opml", _cmd_import_opml, "add the subscriptions of an OPML file")
    p.add_argument("file", metavar="FILE", help="an OPML export of a feed reader")
    p.add_argument(
        "--category",
        metavar="C",
        help="where feeds outside any folder go (default: the first category)",
    )
    p = command("add", _cmd_add, "find the feed of a web page, check it, add it to feeds.yaml")
    p.add_argument("url", metavar="URL", help="a feed, or a web page that links to its feed")
    p.add_argument("--category", required=True, metavar="C", help="the category to file it in")
    p.add_argument("--name", help="the source's name (default: the feed's own title)")
    p = command("search", _cmd_search, "print the newest stored items matching a query")
    p.add_argument("query", metavar="QUERY", help='words (all must occur), "a phrase", OR, word*')
    p.add_argument("--category", metavar="C", help="only items in this category")
    p.add_argument("--limit", type=int, default=20, help="at most this many items (20)")
    command("export-opml", _cmd_export_opml, "print the configured sources as OPML")
    p = command("export", _cmd_export, "print every stored item, one per line (streamed)")
    p.add_argument(
        "--format",
        choices=("jsonl", "tsv"),
        default="jsonl",
        help="jsonl (default): id, link, title, published, sources, categories; "
        "tsv: source feed URL, link, title, one line per item and source",
    )
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


def _database(args: argparse.Namespace, settings: Settings) -> str:
    """The database this command uses. One that only reads refuses a missing database
    (see ``CREATES_DATABASE``), saying where the path came from."""
    path = settings.storage.path
    if args.command in CREATES_DATABASE or path == ":memory:" or "://" in path:
        return path
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        if args.db:
            origin = "--db"
        elif os.environ.get("AGGREGATOR_DB"):
            origin = "$AGGREGATOR_DB"
        else:
            origin = f"storage.path in {args.config}"
        raise StorageError(
            f"no database at {path} (from {origin}); `{args.command}` only reads one and "
            "creates nothing",
            hint="point --db (or storage.path) at the database the poller writes, or run "
            "`aggregator poll` to create this one",
        ) from None
    return path


# --- commands --------------------------------------------------------------------------


def _cmd_check(args: argparse.Namespace) -> int:
    settings, warnings = check_settings(args.config)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(
        f"{args.config}: ok: {len(settings.sources)} sources, "
        f"{len(settings.categories)} categories, {len(settings.rules)} rules"
        + (f"; {len(warnings)} warning(s)" if warnings else "")
    )
    return 0


def _cmd_poll(args: argparse.Namespace) -> int:
    if args.dry_run:
        if not args.source:
            print("aggregator: --dry-run needs --source NAME", file=sys.stderr)
            return 2
        args.name = args.source
        return _cmd_try_source(args)
    settings = _settings(args)
    with Store(_database(args, settings)) as store, _Interrupts() as interrupts:
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
        progress = _Progress(len(sources), sys.stderr)
        with progress, asyncio.Runner(loop_factory=new_event_loop) as runner:
            outcomes = runner.run(interrupts.poll(settings, store, sources, progress.update))
        if interrupts.signum is None:
            try:
                pipeline.maintain_if_due(settings, store, pipeline.utcnow())
            except AggregatorError as e:  # the poll is stored; maintenance runs next time
                log.error("maintenance failed: %s", e.message)
        changed: list[str] | None = None
        unpublished: StorageError | None = None
        try:
            changed = pipeline.regenerate(settings, store)
        except StorageError as e:
            unpublished = e
    print(_summary(settings, outcomes, changed))
    if interrupts.signum is not None:
        print(_interrupted(interrupts.signum, len(sources), outcomes))
        return 128 + interrupts.signum
    failure = _poll_failure(outcomes, unpublished)
    if failure:
        print(failure)
        return 1
    return 0


def _poll_failure(outcomes: list[PollOutcome], unpublished: StorageError | None) -> str | None:
    """The summary's last line when the poll failed (and exits 1): something was not
    stored, the published files could not be updated, or every polled source failed."""
    refused = [o for o in outcomes if o.refused is not None]
    if refused:
        first = refused[0].refused
        assert first is not None
        return f"FAILED: {len(refused)} source(s) not stored: {first.message}" + (
            f"; {first.hint}" if first.hint else ""
        )
    if unpublished is not None:
        return f"FAILED: published files not updated: {unpublished.message}" + (
            f"; {unpublished.hint}" if unpublished.hint else ""
        )
    if outcomes and all(o.outcome == "error" for o in outcomes):
        return (
            f"FAILED: every polled source failed ({len(outcomes)}); nothing new was stored "
            "(the reasons are above; `aggregator sources` shows each source's state)"
        )
    return None


class _Interrupts:
    """SIGINT (Ctrl-C) and SIGTERM (cron's `timeout`, systemd) during `poll`.

    The first one stops the poll: sources not yet polled are left for the next run (they
    stay due), the ones still fetching or parsing are cancelled (nothing of theirs was
    written; a write is never interrupted), what was stored is committed, the outputs are
    rendered, and the command says what it stored and exits 128 + the signal (130, 143).
    A second signal stops at once: every write is a transaction, and the next poll renders
    what this one could not (see ``pipeline.regenerate``)."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self.signum: int | None = None
        self._stop: asyncio.Event | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _Interrupts:
        self._previous = {sig: signal.signal(sig, self._caught) for sig in self.SIGNALS}
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def _caught(self, signum: int, _frame: object = None) -> None:
        if self.signum is not None:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        self.signum = signum
        log.warning("%s: stopping the poll (again to stop at once)", signal.Signals(signum).name)
        if self._stop is not None:
            self._stop.set()

    async def poll(
        self,
        settings: Settings,
        store: Store,
        sources: Sequence[Source],
        on_outcome: Callable[[PollOutcome], None],
    ) -> list[PollOutcome]:
        # On the loop, signals go through the loop (a Python handler might wait for it).
        loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        for sig in self.SIGNALS:
            loop.add_signal_handler(sig, self._caught, sig)
        try:
            if self.signum is not None:
                self._stop.set()
            return await pipeline.poll_sources(
                settings, store, sources, on_outcome=on_outcome, stop=self._stop
            )
        finally:
            self._stop = None
            for sig in self.SIGNALS:
                loop.remove_signal_handler(sig)
                signal.signal(sig, self._caught)


def _interrupted(signum: int, total: int, outcomes: Sequence[PollOutcome]) -> str:
    stored = [o for o in outcomes if o.outcome != "error"]
    new = sum(o.new_items for o in stored)
    left = total - len(outcomes)
    return (
        f"interrupted by {signal.Signals(signum).name}: {len(stored)} of {total} source(s) "
        f"polled and stored ({new} new item(s)), published files up to date; "
        f"{left} source(s) not polled, still due"
    )


class _Progress:
    """`poll` progress on a terminal: one line rewritten in place ("12/40 sources"), and
    each failure on its own line as it happens. Not on a terminal (cron, systemd, a pipe)
    it writes nothing: the log already has one line per failure, and the summary follows.
    """

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = total
        self.stream = stream
        self.done = 0
        self.failed = 0
        self.new = 0
        self.live = bool(getattr(stream, "isatty", lambda: False)()) and total > 0
        self._poll_log = logging.getLogger("aggregator.poll")
        self._level = self._poll_log.level

    def __enter__(self) -> _Progress:
        if self.live:
            # Failures are shown here; log lines would tear the progress line apart.
            self._poll_log.setLevel(logging.ERROR)
            self._draw("")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.live:
            self._poll_log.setLevel(self._level)
            self.stream.write("\r\033[K")
            self.stream.flush()

    def update(self, outcome: PollOutcome) -> None:
        self.done += 1
        self.new += outcome.new_items
        if not self.live:
            return
        if outcome.outcome == "error":
            self.failed += 1
            self.stream.write(f"\r\033[KFAILED {outcome.source.name}: {outcome.error}\n")
        self._draw(outcome.source.name)

    def _draw(self, last: str) -> None:
        width = shutil.get_terminal_size((80, 20)).columns
        line = (
            f"polling: {self.done}/{self.total} sources, {self.failed} failed, "
            f"{self.new} new item(s)" + (f" (last: {last})" if last else "")
        )
        self.stream.write("\r\033[K" + line[: max(10, width - 1)])
        self.stream.flush()


def _summary(settings: Settings, outcomes: list[PollOutcome], changed: list[str] | None) -> str:
    failed = sum(1 for o in outcomes if o.outcome == "error")
    ok = [o for o in outcomes if o.outcome != "error"]
    with_new = sum(1 for o in ok if o.new_items or o.updated_items)
    joining = sum(1 for o in ok if o.joined_items and not (o.new_items or o.updated_items))
    new = sum(o.new_items for o in outcomes)
    joined = sum(o.joined_items for o in outcomes)
    dropped = sum(o.dropped_items for o in outcomes)
    lines = [
        f"polled {len(outcomes)} source(s): {len(ok)} ok ({with_new} with new items, "
        + (f"{joining} only joining stories already published, " if joining else "")
        + f"{len(ok) - with_new - joining} unchanged), {failed} failed; {new} new item(s)"
        + (f", {joined} joined stories already published" if joined else "")
        + (f", {dropped} dropped by rules" if dropped else "")
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
    if changed is not None:
        lines.append(f"{len(changed)} published file(s) changed")
    return "\n".join(lines)


def _cmd_try_source(args: argparse.Namespace) -> int:
    """A first poll of one source, printed instead of stored: each item's fields as the
    selectors (or the feed) give them, its categories, and the warnings."""
    from aggregator.errors import FetchError, ParseError
    from aggregator.text import html_to_text

    settings = load_settings(args.config)  # no database: nothing is read or written
    source = next((s for s in settings.sources if s.name == args.name), None)
    if source is None:
        names = ", ".join(s.name for s in settings.sources) or "(none)"
        print(f"aggregator: no source named {args.name!r}; the sources are: {names}",
              file=sys.stderr)  # fmt: skip
        return 2
    now = pipeline.utcnow()
    try:
        parsed, candidates = asyncio.run(pipeline.try_source(settings, source, now=now))
    except (FetchError, ParseError) as e:
        print(f"aggregator: {source.name}: {e.message}", file=sys.stderr)
        return 1
    kind = {"feed": "a feed", "page": "a web page", "telegram": "a Telegram channel"}
    print(f"{source.name}: {kind[source.kind]}, {source.url}")
    print(f"{len(parsed.items)} item(s); nothing stored (a dry run)")
    for n, candidate in enumerate(candidates, 1):
        item = candidate.item
        date = _when(item.published) + " UTC" if item.published else "none (dated when first seen)"
        text = html_to_text(item.summary_html or item.content_html)
        shown = [
            ("link", item.link or "none"),
            ("date", date),
            ("author", item.author),
            ("image", item.image.url if item.image else None),
            ("media", ", ".join(m.url for m in item.enclosures) or None),
            ("text", text[:160] + ("…" if len(text) > 160 else "") if text else None),
            ("in", "dropped by a rule" if candidate.dropped
             else ", ".join(sorted(candidate.categories)) or "no category"),
        ]  # fmt: skip
        print(f"{n:>3}. {item.title or '(no title)'}")
        for label, value in shown:
            if value:
                print(f"     {label + ':':<8}{value}")
    for warning in parsed.warnings:
        print(f"warning: {warning}")
    return 0


def _cmd_prune(args: argparse.Namespace) -> int:
    settings = _settings(args)
    with Store(_database(args, settings)) as store:
        done = pipeline.maintain(settings, store, pipeline.utcnow())
        changed = pipeline.regenerate(settings, store)
    print(
        f"pruned {done.pruned} item(s) older than {settings.storage.retention_days} days "
        f"(the newest {settings.site.max_items} of each feed are kept); "
        "the database is checkpointed; "
        f"{len(changed)} published file(s) changed"
    )
    return 0


# What `build` wrote into a directory, so the next build can remove what it no longer has.
BUILD_MANIFEST = ".aggregator-build"


def _cmd_build(args: argparse.Namespace) -> int:
    settings = _settings(args)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise AggregatorError(
            f"--out {out} is a file: give a directory (one that does not exist is created)"
        )
    with Store(_database(args, settings)) as store:
        files = pipeline.render_all(settings, store, served=False)
    written: dict[str, str] = {}
    try:
        for path, (body, _type) in files.items():
            relative = path.lstrip("/")
            _write_atomically(out / relative, body)
            written[relative] = hashlib.sha256(body).hexdigest()
        removed = _remove_unwritten(out, _read_manifest(out), written)
        manifest = "".join(f"{digest}  {path}\n" for path, digest in sorted(written.items()))
        _write_atomically(out / BUILD_MANIFEST, manifest.encode("utf-8"))
    except OSError as e:
        raise AggregatorError(
            f"cannot write into {out} ({e.filename or out}: {e.strerror or e}): choose an "
            "--out directory this user may write, or run as its owner"
        ) from e
    gone = f"; removed {removed} file(s) an earlier build wrote, gone now" if removed else ""
    print(f"wrote {len(files)} files into {out}{gone}")
    return 0


def _read_manifest(out: Path) -> dict[str, str]:
    """path -> sha256 of what the last build wrote there ({} when there is no manifest)."""
    try:
        text = (out / BUILD_MANIFEST).read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return {}
    entries = (line.split("  ", 1) for line in text.splitlines() if "  " in line)
    return {path: digest for digest, path in entries}


def _remove_unwritten(out: Path, previous: dict[str, str], written: dict[str, str]) -> int:
    """Remove what the last build wrote and this one did not (a removed category's files),
    only if the file still holds the bytes it wrote: a file the operator put there, or
    changed since, is theirs. Never anything outside ``out``."""
    root = out.resolve()
    removed = 0
    for relative, digest in previous.items():
        if relative in written or relative.startswith(("/", "\\")) or ".." in relative.split("/"):
            continue
        target = out / relative
        if target.is_symlink() or not target.is_file() or root not in target.resolve().parents:
            continue
        if hashlib.sha256(target.read_bytes()).hexdigest() != digest:
            continue
        target.unlink()
        removed += 1
        with contextlib.suppress(OSError):  # a directory it emptied (not if anything is left)
            target.parent.rmdir()
    return removed


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
    # Read only: it works on a database the user may only read, and changes nothing.
    with Store(_database(args, settings), readonly=True) as store:
        stored = {s.url: s for s in store.source_states()}
    states = [
        dataclasses.replace(stored[s.url], name=s.name)
        if s.url in stored
        else SourceState(url=s.url, name=s.name)
        for s in settings.sources
    ]
    # Failing (and gone) sources first, the most failures at the top: they need action.
    rank = {"failing": 0, "gone": 0, "new": 1, "ok": 2}
    states.sort(key=lambda s: (rank[_state_word(s)], -s.error_count, s.name))
    now = pipeline.utcnow()
    header = ("NAME", "STATE", "LAST SUCCESS", "HTTP", "ITEMS", "ERRORS", "NEXT POLL")
    rows = [(*header, "LAST ERROR / NOTE")]
    for s in states:
        rows.append(
            (
                _clip(s.name, 36),
                _state_word(s),
                _ago(s.last_success, now),
                str(s.last_status or "-"),
                str(s.items),
                str(s.error_count),
                "never" if s.gone else _until(s.next_poll, now),
                _note(s),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[-1]]).rstrip())
    counts = Counter(_state_word(s) for s in states)
    print(
        f"{len(states)} source(s): {counts['ok']} ok, {counts['failing']} failing, "
        f"{counts['gone']} gone, {counts['new']} not polled yet"
    )
    print(f"database: {settings.storage.path}")
    return 0


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _ago(moment: datetime | None, now: datetime) -> str:
    """ "never", "5m ago", "3h ago", "2d ago": a glance, not a timestamp."""
    if moment is None:
        return "never"
    return _span((now - moment).total_seconds()) + " ago"


def _until(moment: datetime | None, now: datetime) -> str:
    if moment is None or moment <= now:
        return "due now"
    return "in " + _span((moment - now).total_seconds())


def _span(seconds: float) -> str:
    seconds = max(0, int(seconds))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


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


def _cmd_stories(args: argparse.Namespace) -> int:
    """Each story that gained items lately: its representative (what subscribers see),
    then each item merged into it with its outlet, similarity and the rule that fired."""
    settings = _settings(args)
    if args.days <= 0:
        print("aggregator: --days must be more than 0", file=sys.stderr)
        return 2
    with Store(_database(args, settings)) as store:
        stories = store.recent_stories(pipeline.utcnow() - timedelta(days=args.days))
    if not settings.dedupe.enabled:
        print("note: dedupe.enabled is false in the config: no new stories are being merged")
    if not stories:
        print(f"no stories merged in the last {args.days:g} day(s)")
        return 0
    for story in stories:
        where = story.source.name if story.source else "?"
        print(f"{_when(story.published)}  {story.title}")
        print(f"    {'first':>17}  {where}  {story.id}")
        for m in story.members:
            print(f"    {m.rule:>12} {m.similarity:.2f}  {m.source.name}: {m.title}")
        print()
    merged = sum(len(s.members) for s in stories)
    print(f"{len(stories)} stories, {merged} merged item(s) in the last {args.days:g} day(s)")
    return 0


def _cmd_export_opml(args: argparse.Namespace) -> int:
    from aggregator.publish import render_opml

    # From feeds.yaml alone: it reads no database, so it needs none (a fresh install can
    # export before its first poll) and cannot read the wrong one.
    sys.stdout.write(render_opml(_settings(args)).decode("utf-8"))
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    """Stream the store: one line per item (or per item and source), never all in memory."""
    settings = _settings(args)
    _database(args, settings)
    out = sys.stdout
    try:
        _export(settings, args.format, out)
    except BrokenPipeError:
        # `aggregator export | head`: the reader left; that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _export(settings: Settings, fmt: str, out: TextIO) -> None:
    import json

    with Store(settings.storage.path, readonly=True) as store:
        for item in store.iter_items():
            if fmt == "tsv":
                for source in item.sources:
                    cells = (source.url, item.link or "", item.title)
                    out.write("\t".join(_tsv_cell(c) for c in cells) + "\n")
                continue
            record = {
                "id": item.id,
                "link": item.link,
                "title": item.title,
                "published": item.published.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "sources": [{"name": s.name, "url": s.url} for s in item.sources],
                "categories": list(item.categories),
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()


def _tsv_cell(text: str) -> str:
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def _cmd_import_opml(args: argparse.Namespace) -> int:
    from aggregator.opml import import_opml

    _settings(args)  # refuse to edit a config that is already broken
    plan = import_opml(Path(args.config), Path(args.file), default_category=args.category)
    for category in plan.categories:
        print(f"new category {category.slug}: {category.title}")
    for source in plan.sources:
        print(f"added {source.name} ({', '.join(source.categories)}): {source.url}")
    for reason in plan.skipped:
        print(f"skipped {reason}")
    print(
        f"{args.config}: {len(plan.sources)} source(s) and {len(plan.categories)} "
        f"categor{'y' if len(plan.categories) == 1 else 'ies'} added, "
        f"{len(plan.skipped)} skipped"
        + ("; run `aggregator poll` to fetch them" if plan.sources else "")
    )
    return 0


def _cmd_add(args: argparse.Namespace) -> int:
    from aggregator import telegram
    from aggregator.config_edit import NewSource, add_to_config
    from aggregator.dedupe import canonical_url
    from aggregator.discover import PageWithoutFeed, discover_feed

    settings = _settings(args)
    if settings.category(args.category) is None:
        known = ", ".join(c.name for c in settings.categories)
        print(
            f"aggregator: {args.category!r} is not a category in {args.config}: use one of "
            f"{known}, or add it under categories: first",
            file=sys.stderr,
        )
        return 2
    existing = {canonical_url(s.url): s for s in settings.sources}
    if telegram.is_telegram_url(args.url):
        return _add_channel(args, settings, existing)
    for url in (args.url, None):
        if url is None:  # after discovery: a page's feed may be one we have
            try:
                found = asyncio.run(discover_feed(args.url, settings.poll))
            except PageWithoutFeed as e:
                return _suggest_scrape(args, e)
            url = found.url
        twin = existing.get(canonical_url(url))
        if twin is not None:
            print(f"{url} is already in {args.config} as {twin.name!r}; nothing to do")
            return 0
    name = " ".join((args.name or found.feed.title or "").split())
    if not name:
        name = found.url.split("//", 1)[-1].split("/", 1)[0].removeprefix("www.")
    if any(s.name == name for s in settings.sources):
        print(
            f"aggregator: a source named {name!r} is already in {args.config}: "
            "choose another with --name",
            file=sys.stderr,
        )
        return 2
    add_to_config(
        args.config,
        sources=[NewSource(name=name, url=found.url, categories=(args.category,))],
    )
    via = f" (announced by {found.page})" if found.page else ""
    print(
        f"added {name!r} to {args.category}: {found.url}{via}, "
        f"{len(found.feed.items)} item(s) now; run `aggregator poll` to fetch it"
    )
    return 0


def _add_channel(args: argparse.Namespace, settings: Settings, existing: dict) -> int:
    """`add https://t.me/NAME`: a public channel, checked by reading its preview."""
    from aggregator import telegram
    from aggregator.config_edit import NewSource, add_to_config
    from aggregator.dedupe import canonical_url
    from aggregator.errors import FetchError, ParseError

    if telegram.channel_name(args.url) is None:
        print(f"aggregator: {args.url} is not a public channel's address: give "
              "https://t.me/s/CHANNEL", file=sys.stderr)  # fmt: skip
        return 2
    url = telegram.preview_url(args.url)
    twin = existing.get(canonical_url(url)) or existing.get(canonical_url(args.url))
    if twin is not None:
        print(f"{url} is already in {args.config} as {twin.name!r}; nothing to do")
        return 0
    probe = Source(name="?", url=url, categories=(args.category,), kind="telegram")
    try:
        parsed, _ = asyncio.run(pipeline.try_source(settings, probe, now=pipeline.utcnow()))
    except (FetchError, ParseError) as e:
        raise AggregatorError(f"cannot add {args.url}: {e.message}") from e
    name = " ".join((args.name or parsed.title or telegram.channel_name(url) or "").split())
    if any(s.name == name for s in settings.sources):
        print(f"aggregator: a source named {name!r} is already in {args.config}: "
              "choose another with --name", file=sys.stderr)  # fmt: skip
        return 2
    add_to_config(args.config, sources=[NewSource(name=name, url=url, categories=(args.category,))])
    print(f"added {name!r} to {args.category}: {url} (a Telegram channel), "
          f"{len(parsed.items)} message(s) now; run `aggregator poll` to fetch it")  # fmt: skip
    return 0


def _suggest_scrape(args: argparse.Namespace, error: Any) -> int:
    """A page without a feed: print a source entry with selectors for its repeated
    entries, to paste into feeds.yaml (nothing is added: selectors want a human look)."""
    import json

    from aggregator.scrape import suggest_rules

    page = error.page
    suggestion = suggest_rules(page.body or b"", url=page.final_url, headers=page.headers)
    if suggestion is None:
        raise AggregatorError(
            error.message + "; it has no repeated entries to read by selectors either"
        )
    rules = suggestion.rules
    quote = functools.partial(json.dumps, ensure_ascii=False)  # YAML reads JSON strings
    name = args.name or page.final_url.split("//", 1)[-1].split("/", 1)[0].removeprefix("www.")
    lines = [
        f"  - name: {quote(name)}",
        f"    url: {page.final_url}",
        f"    categories: [{args.category}]",
        "    scrape:",
    ]
    for key in ("item", "title", "link", "date", "summary", "image", "author"):
        value = getattr(rules, key)
        if value:
            lines.append(f"      {key}: {quote(str(value))}")
    print(
        f"{args.url} announces no feed, but repeats {suggestion.entries} entries that these "
        f"selectors read; add this under sources: in {args.config}, then see what it gives "
        f"with `aggregator try-source {quote(name)}` (add `follow: true` to read each "
        "entry's own page, `timezone:` for the page's dates):",
        file=sys.stderr,
    )
    print("\n".join(lines))
    return 1


def _cmd_search(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if args.category and settings.category(args.category) is None:
        known = ", ".join(c.name for c in settings.categories)
        print(
            f"aggregator: unknown category {args.category!r}: use one of {known}", file=sys.stderr
        )
        return 2
    with Store(_database(args, settings)) as store:
        items = store.search_items(args.query, max(1, args.limit), category=args.category)
    if not items:
        print(f"nothing found for {args.query!r}", file=sys.stderr)
        return 0
    for item in items:
        source = item.sources[0].name if item.sources else "-"
        print(f"{_when(item.published)}  {item.title}  [{source}]")
        if item.link:
            print(f"    {item.link}")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from aggregator.scheduler import run_daemon

    return run_daemon(args.config, db=args.db, host=args.host, port=args.port)


def _cmd_serve(args: argparse.Namespace) -> int:
    from aggregator.server import serve

    settings = _settings(args)
    _database(args, settings)
    return serve(settings, host=args.host, port=args.port)
