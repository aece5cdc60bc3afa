"""The daemon (`aggregator run`): the poller, APScheduler's jobs and the server, in one process.

Threads, and why:
- the main thread only waits for signals (SIGTERM/SIGINT stop, SIGHUP reloads), so a
  signal is handled the same way whatever else is busy;
- the poller thread runs one asyncio loop that owns the writing Store: fetches overlap on
  it, and every write happens on it, one transaction per source, so there is one writer.
  When many sources are due at once (a first start, a return after downtime) they are
  polled as `aggregator poll` polls them: parsed in worker processes, commits grouped;
- APScheduler's thread fires the jobs (dispatch due sources every second, prune and
  checkpoint hourly, a periodic summary), each handed to the poller loop;
- the server thread runs uvicorn with its own read connection (WAL lets it read while the
  poller writes).

A cancelled poll can only be interrupted inside its fetch (everything after the fetch is
synchronous on the poller loop), so stopping never leaves half an update.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import signal
import socket
import threading
from collections import Counter
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from datetime import timedelta
from typing import Any

import uvicorn
from apscheduler.schedulers.background import BackgroundScheduler

from aggregator import pipeline
from aggregator.config import load_settings
from aggregator.errors import AggregatorError, ConfigError
from aggregator.fetch import Fetcher, new_event_loop
from aggregator.metrics import Metrics
from aggregator.models import PollOutcome, Settings, Source
from aggregator.parsepool import MIN_SOURCES
from aggregator.server import create_app, listen, store_metrics, uvicorn_config
from aggregator.store import Store

log = logging.getLogger("aggregator.daemon")

TICK = 1.0  # seconds between looks for due sources
REGENERATE_AFTER = 0.5  # seconds of quiet after a change before feeds are re-rendered
STOP_GRACE = 3.0  # seconds in-flight polls get to finish on SIGTERM before they are abandoned
SUMMARY_EVERY = timedelta(minutes=10)


class Poller:
    """The poller thread: an asyncio loop owning the writing Store and the HTTP client.

    ``clock`` and ``jitter`` decide when each source is due (tests pass a fake clock and
    no jitter, and drive ``dispatch`` themselves)."""

    def __init__(
        self,
        settings: Settings,
        metrics: Metrics | None = None,
        *,
        clock: pipeline.Clock = pipeline.utcnow,
        jitter: pipeline.Jitter = pipeline.random_jitter,
    ) -> None:
        self.settings = settings
        self.metrics = metrics
        self.clock = clock
        self.jitter = jitter
        self.loop = new_event_loop()
        self.thread = threading.Thread(target=self._run, name="poller", daemon=True)
        self.store: Store | None = None
        self.fetcher: Fetcher | None = None
        self.in_flight: dict[str, asyncio.Task[Any]] = {}  # source URL -> its poll or batch
        self.batch: asyncio.Task[None] | None = None
        self.accepting = True
        self.dirty = False
        self._regen: asyncio.TimerHandle | None = None
        self.window: Counter[str] = Counter()  # outcomes since the last summary
        self._ready = threading.Event()
        self._error: BaseException | None = None

    # -- lifecycle (called from other threads) -----------------------------------------

    def start(self) -> None:
        self.thread.start()
        self._ready.wait()
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.store = Store(self.settings.storage.path)
            self.store.sync_sources(self.settings.sources)
            self.fetcher = self.loop.run_until_complete(Fetcher(self.settings.poll).__aenter__())
        except BaseException as e:  # reported to start()'s caller
            self._error = e
            self._ready.set()
            return
        self._ready.set()
        # Publish at once (empty feeds on a new install, new titles after a config edit):
        # subscribers get a valid feed before the first poll ends.
        self.loop.call_soon(self._regenerate)
        self.loop.run_forever()

    def call(self, coro: Coroutine[Any, Any, Any]) -> Future[Any]:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def stop(self, grace: float = STOP_GRACE) -> None:
        """Take no new polls; let in-flight ones finish within ``grace``, then abandon them."""
        if not self.thread.is_alive():
            return
        try:
            self.call(self._drain(grace)).result(timeout=grace + 5)
        except Exception as e:  # never let shutdown hang on a poller problem
            log.error("stopping the poller: %s", e)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)

    async def _drain(self, grace: float) -> None:
        self.accepting = False
        tasks = set(self.in_flight.values())
        if tasks:
            log.info("waiting up to %.0f s for %d poll(s) in flight", grace, len(tasks))
            _done, pending = await asyncio.wait(tasks, timeout=grace)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending, timeout=1)
                log.info(
                    "abandoned %d poll(s); they will run again on the next start", len(pending)
                )
        if self.dirty:
            self._regenerate()
        if self.fetcher is not None:
            await self.fetcher.__aexit__(None, None, None)
        if self.store is not None:
            self.store.close()

    # -- jobs (run on the poller loop) -------------------------------------------------

    async def dispatch(self) -> int:
        """Start a poll for every due source not already in flight."""
        if not self.accepting or self.store is None:
            return 0
        due = pipeline.due_sources(self.settings, self.store, self.clock())
        due = [source for source in due if source.url not in self.in_flight]
        if len(due) >= MIN_SOURCES and self.batch is None:
            self.batch = self.loop.create_task(self._poll_batch(due))
            self.in_flight.update((source.url, self.batch) for source in due)
        else:
            for source in due:
                self.in_flight[source.url] = self.loop.create_task(self._poll(source))
        return len(due)

    async def _poll(self, source: Source) -> PollOutcome:
        assert self.store is not None and self.fetcher is not None
        try:
            outcome = await pipeline.poll_source(
                self.settings, self.store, self.fetcher, source, self.clock, jitter=self.jitter
            )
        finally:
            self.in_flight.pop(source.url, None)
        pipeline.log_outcome(outcome)
        self._observe(outcome)
        return outcome

    async def _poll_batch(self, sources: list[Source]) -> None:
        """Poll a burst of due sources the way ``aggregator poll`` does. One by one, each
        body would be parsed on this thread (one core, and the GIL the server needs) and
        committed on its own: a first start with 1,000 sources took minutes."""
        assert self.store is not None and self.fetcher is not None
        log.info("%d sources due at once: polling them together", len(sources))
        try:
            await pipeline.poll_sources(
                self.settings,
                self.store,
                sources,
                clock=self.clock,
                jitter=self.jitter,
                fetcher=self.fetcher,
                on_outcome=self._observe,
            )
        except Exception:  # poll_sources contains each source's failure; this is a bug
            log.exception("polling %d sources failed (a bug: please report it)", len(sources))
        finally:
            self.batch = None
            for source in sources:
                self.in_flight.pop(source.url, None)

    def _observe(self, outcome: PollOutcome) -> None:
        self.window[outcome.outcome] += 1
        self.window["new_items"] += outcome.new_items
        if self.metrics is not None:
            self.metrics.observe(outcome)
        if outcome.touched:
            self._schedule_regenerate()

    def _schedule_regenerate(self) -> None:
        """Coalesce a burst of changes into one render."""
        self.dirty = True
        if self._regen is not None:
            self._regen.cancel()
        self._regen = self.loop.call_later(REGENERATE_AFTER, self._regenerate)

    def _regenerate(self) -> None:
        self._regen = None
        if self.store is None:
            return
        try:
            changed = pipeline.regenerate(self.settings, self.store)
            self.dirty = False
        except AggregatorError as e:
            log.error("could not regenerate the published feeds: %s", e.message)
            return
        if changed:
            log.info("published: %s", ", ".join(changed))
        hub = self.settings.site.websub_hub
        feeds = [self.settings.site.base_url + p for p in changed if p.startswith("/feeds/")]
        if hub and feeds and self.fetcher is not None:
            self.loop.create_task(self._ping(hub, feeds))

    async def _ping(self, hub: str, feeds: list[str]) -> None:
        assert self.fetcher is not None
        failures = await self.fetcher.ping_hub(hub, feeds)
        for failure in failures:
            log.warning("WebSub ping to %s failed: %s", hub, failure)
        log.debug("WebSub: pinged %s for %d feed(s)", hub, len(feeds) - len(failures))

    async def maintain(self) -> None:
        assert self.store is not None
        try:
            done = pipeline.maintain(self.settings, self.store, pipeline.utcnow())
        except AggregatorError as e:
            log.error("maintenance failed: %s", e.message)
            return
        if done.pruned:
            self._schedule_regenerate()

    async def summarize(self) -> None:
        window, self.window = self.window, Counter()
        assert self.store is not None
        failing = sum(1 for s in self.store.source_states() if s.error_count and not s.gone)
        log.info(
            "last %d min: %d poll(s), %d new item(s), %d failed poll(s); %d source(s) failing",
            SUMMARY_EVERY.seconds // 60,
            sum(v for k, v in window.items() if k != "new_items"),
            window["new_items"],
            window["error"],
            failing,
        )

    async def reload(self, settings: Settings) -> None:
        assert self.store is not None
        self.store.sync_sources(settings.sources)
        if settings.poll != self.settings.poll and self.fetcher is not None:
            old, self.fetcher = self.fetcher, await Fetcher(settings.poll).__aenter__()
            self.loop.create_task(_close_later(old, self.in_flight))
        self.settings = settings
        self._schedule_regenerate()  # titles, categories or sources may have changed


async def _close_later(fetcher: Fetcher, in_flight: dict[str, asyncio.Task[Any]]) -> None:
    if in_flight:
        await asyncio.wait(set(in_flight.values()), timeout=60)
    await fetcher.__aexit__(None, None, None)


class Daemon:
    def __init__(self, config_path: str, *, db: str | None, host: str, port: int) -> None:
        self.config_path = config_path
        self.db = db or os.environ.get("AGGREGATOR_DB")
        self.host = host
        self.port = port
        self.settings = self._load()
        self.stop_event = threading.Event()
        self.reload_event = threading.Event()

    def _load(self) -> Settings:
        settings = load_settings(self.config_path)
        if self.db:
            storage = dataclasses.replace(settings.storage, path=os.path.abspath(self.db))
            settings = dataclasses.replace(settings, storage=storage)
        return settings

    def run(self) -> int:
        with listen(self.host, self.port) as sock:  # a port in use: before anything starts
            return self._run(sock)

    def _run(self, sock: socket.socket) -> int:
        server_store = Store(self.settings.storage.path)
        metrics = store_metrics(server_store)
        poller = Poller(self.settings, metrics)
        poller.start()
        app = create_app(self.settings, server_store, metrics)
        server = uvicorn.Server(uvicorn_config(app, self.host, self.port))
        server_thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="server", daemon=True
        )
        scheduler = BackgroundScheduler(timezone="UTC")
        jobs: list[tuple[Callable[[], Coroutine[Any, Any, Any]], dict[str, Any]]] = [
            (poller.dispatch, {"seconds": TICK}),
            (poller.maintain, {"seconds": pipeline.MAINTENANCE_EVERY.total_seconds()}),
            (poller.summarize, {"seconds": SUMMARY_EVERY.total_seconds()}),
        ]
        for job, every in jobs:
            scheduler.add_job(
                lambda job=job: poller.call(job()).result(),
                "interval",
                **every,
                max_instances=1,
                coalesce=True,
            )
        previous = {
            sig: signal.signal(sig, self._on_signal)
            for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
        }
        try:
            server_thread.start()
            scheduler.start()
            log.info(
                "running: %d source(s), serving http://%s:%d/, database %s",
                len(self.settings.sources),
                self.host,
                self.port,
                self.settings.storage.path,
            )
            while not self.stop_event.wait(0.2):
                if self.reload_event.is_set():
                    self.reload_event.clear()
                    self._reload(poller, app)
                if not server_thread.is_alive():
                    log.error("the HTTP server stopped (is port %d free?)", self.port)
                    return 1
        finally:
            log.info("stopping: no new polls")
            scheduler.shutdown(wait=False)
            poller.stop()
            server.should_exit = True
            server_thread.join(timeout=5)
            server_store.close()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            log.info("stopped")
        return 0

    def _on_signal(self, signum: int, _frame: object) -> None:
        if signum == signal.SIGHUP:
            self.reload_event.set()
        else:
            self.stop_event.set()

    def _reload(self, poller: Poller, app: Any) -> None:
        try:
            settings = self._load()
        except ConfigError as e:
            log.error(
                "SIGHUP: %s has %d problem(s); keeping the running config:\n  %s",
                self.config_path,
                len(e.problems),
                "\n  ".join(str(p) for p in e.problems),
            )
            return
        if settings.storage.path != self.settings.storage.path:
            log.warning("SIGHUP: storage.path changed; restart to use the new database")
            settings = dataclasses.replace(settings, storage=self.settings.storage)
        poller.call(poller.reload(settings)).result(timeout=30)
        app.state.server.settings = settings
        self.settings = settings
        log.info("SIGHUP: reloaded %s: %d source(s)", self.config_path, len(settings.sources))


def run_daemon(config_path: str, *, db: str | None, host: str, port: int) -> int:
    return Daemon(config_path, db=db, host=host, port=port).run()
