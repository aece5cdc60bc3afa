"""Parsing and deciding in worker processes, so a big poll uses every core.

Why: parsing (feedparser, then nh3) is pure CPU and dominates a poll that brings many new
bodies (a first poll, a busy news hour); the event loop meanwhile only waits on sockets
and writes to SQLite. Worker processes (not threads: the GIL) take ``parse_feed`` and the
dedupe/classify decisions, which are pure functions of the body and the config, and hand
back frozen dataclasses. The store stays in the poller's process: one writer.

This module imports only the pure stages, so a worker stays small: no HTTP client, no
SQLite, no renderers. Workers come from a fork server started on first use (forking the
poller itself, which may have threads by then, is not safe), and a poll that parses
nothing never starts one.

The processes a pool starts, and how each ends when the poller dies however it dies
(``kill -9``, the OOM killer, cron's ``timeout -s KILL``): the poller starts
multiprocessing's resource tracker and fork server, and the fork server forks the workers.
Each worker watches a pipe only the poller holds open (see ``_start_worker``) and exits as
soon as it reads end-of-file. The fork server exits when the last holder of its "alive"
pipe (the poller and every worker) is gone, and the resource tracker when the last holder
of its pipe (the same processes) is: both follow the workers, within moments.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import wait

from aggregator.classify import classify
from aggregator.dedupe import content_hash, identity_keys, search_text, story_signature
from aggregator.models import Candidate, ParsedFeed, ParsedItem, Settings, Source
from aggregator.parse import parse_feed

log = logging.getLogger("aggregator.poll")

# Below this many sources in one poll, parsing inline is cheaper than starting workers.
MIN_SOURCES = 20
# How many parse workers; 0 or 1 parses in the poller itself (for small machines, and to
# measure what the workers gain). Default: one per core, at most 4.
WORKERS_ENV = "AGGREGATOR_PARSE_WORKERS"


def decide(
    settings: Settings,
    source: Source,
    item: ParsedItem,
    known: Mapping[str, str] | None = None,
) -> Candidate:
    """What dedupe and classify make of one parsed item from ``source``.

    The story signature (near-duplicate layer) is computed here, in the workers, because
    it is the costly part of deciding; ``dedupe: {enabled: false}`` skips it. An item
    ``known`` (first identity key -> content hash, from ``Store.known_content``) to be
    stored already from this source with the same content is only marked ``unchanged``,
    with no categories, signature or search text: the store skips it, and a changed feed
    is mostly such items (classifying them was a third of a changed poll's worker time)."""
    keys = identity_keys(source.url, item)
    digest = content_hash(item)  # here, not in the store: the poller is a first poll's bottleneck
    if known and keys and known.get(keys[0]) == digest:
        return Candidate(
            item=item, keys=keys, categories=frozenset(), digest=digest, unchanged=True
        )
    categories, dropped = classify(item, source.categories, settings.rules)
    wanted = settings.dedupe.enabled and not dropped
    return Candidate(
        item=item,
        keys=keys,
        categories=frozenset(c for c in categories if settings.category(c) is not None),
        dropped=dropped,
        story=story_signature(item) if wanted else None,
        search_text=search_text(item.title, item.summary_html, item.content_html),
        digest=digest,
    )


def decide_all(
    settings: Settings,
    source: Source,
    items: Sequence[ParsedItem],
    known: Mapping[str, str] | None = None,
) -> tuple[Candidate, ...]:
    """``decide`` for each of a source's items (read some other way than ``parse_feed``:
    a web page, a Telegram channel)."""
    return tuple(decide(settings, source, item, known) for item in items)


def parse_and_decide(
    body: bytes,
    url: str,
    headers: Mapping[str, str],
    settings: Settings,
    source: Source,
    known: Mapping[str, str] | None = None,
) -> tuple[ParsedFeed, tuple[Candidate, ...]]:
    """One body to stored-ready candidates. Raises ParseError like ``parse_feed``."""
    parsed = parse_feed(body, url=url, headers=headers)
    return parsed, tuple(decide(settings, source, item, known) for item in parsed.items)


def _start_worker() -> None:
    """Set up a parse worker so that it leaves with the poller, however the poller ends.

    Without this a killed poller's workers never end: they wait in ``concurrent.futures``'
    loop for the next task on a pipe whose write end they hold themselves, so no
    end-of-file ever comes (and the fork server and resource tracker, whose pipes the
    workers hold, stay with them). That loop is not ours to add a check to, so a thread
    waits on multiprocessing's parent sentinel: a pipe whose write end only the poller
    holds, which the kernel closes when the poller dies. It needs no polling and no pid
    (which can be reused), costs a blocked thread, and fires for the process, whichever
    of its threads started the pool (the daemon starts it from its poller thread).

    Not ``PR_SET_PDEATHSIG``: it fires when the forking *thread* exits, not the process;
    the workers' parent is the fork server, not the poller; the fork server and resource
    tracker are exec'd by multiprocessing with no hook to set it before they run (setting
    it afterwards races with the poller's death); and it is Linux only."""
    # Ctrl-C reaches the whole process group; the poller decides how to stop, not us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    poller = multiprocessing.parent_process()
    if poller is not None:
        watch = threading.Thread(
            target=_exit_when_closed, args=(poller.sentinel,), name="poller-watch", daemon=True
        )
        watch.start()


def _exit_when_closed(sentinel: int) -> None:
    wait([sentinel])  # readable only at end-of-file: the poller is gone
    os._exit(1)  # nothing here is worth finishing: the task's result has no reader


class ParsePool:
    """A lazily started process pool; ``parse`` falls back to parsing inline if the pool
    cannot be used (one core, or a worker died)."""

    def __init__(self, settings: Settings, workers: int | None = None) -> None:
        # Workers need the rules and categories, not thousands of sources: pickle less.
        self.settings = Settings(
            site=settings.site,
            storage=settings.storage,
            poll=settings.poll,
            categories=settings.categories,
            sources=(),
            rules=settings.rules,
            dedupe=settings.dedupe,
            path=settings.path,
        )
        if workers is None:
            configured = os.environ.get(WORKERS_ENV, "").strip()
            workers = int(configured) if configured.isdigit() else min(os.cpu_count() or 1, 4)
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        self._broken = self.workers < 2

    def _pool(self) -> ProcessPoolExecutor | None:
        if self._broken:
            return None
        if self._executor is None:
            try:
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(["aggregator.parsepool"])
                self._executor = ProcessPoolExecutor(
                    self.workers, mp_context=context, initializer=_start_worker
                )
            except (OSError, ValueError) as e:
                log.warning("parsing in this process: cannot start workers: %s", e)
                self._broken = True
                return None
        return self._executor

    async def parse(
        self,
        body: bytes,
        url: str,
        headers: Mapping[str, str],
        source: Source,
        known: Mapping[str, str] | None = None,
    ) -> tuple[ParsedFeed, tuple[Candidate, ...]]:
        pool = self._pool()
        if pool is not None:
            loop = asyncio.get_running_loop()
            try:
                return await loop.run_in_executor(
                    pool, parse_and_decide, body, url, dict(headers), self.settings, source, known
                )
            except BrokenProcessPool as e:
                log.warning("parsing in this process: a parse worker died: %s", e)
                self._broken = True
        return parse_and_decide(body, url, headers, self.settings, source, known)

    async def decide(
        self,
        source: Source,
        items: Sequence[ParsedItem],
        known: Mapping[str, str] | None = None,
    ) -> tuple[Candidate, ...]:
        """``decide_all`` in a worker (what is costly in a first poll of a channel)."""
        pool = self._pool()
        if pool is not None:
            loop = asyncio.get_running_loop()
            try:
                return await loop.run_in_executor(
                    pool, decide_all, self.settings, source, tuple(items), known
                )
            except BrokenProcessPool as e:
                log.warning("deciding in this process: a parse worker died: %s", e)
                self._broken = True
        return decide_all(self.settings, source, items, known)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
