"""One poll, top to bottom: fetch | parse | dedupe | classify | store | publish.

This module calls the stages in order and decides nothing itself beyond when a source is
next due; the stages take data and return data. A failure of one source is recorded
against that source and never stops the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import logging
import random
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from aggregator import publish, scrape, telegram
from aggregator.dedupe import StoryMatcher
from aggregator.errors import DatabaseLocked, FetchError, ParseError, StorageError
from aggregator.fetch import Fetcher
from aggregator.models import (
    Candidate,
    Fetched,
    Maintenance,
    ParsedFeed,
    PollOutcome,
    Settings,
    Source,
    SourceState,
)
from aggregator.parse import parse_feed
from aggregator.parsepool import MIN_SOURCES, ParsePool, decide, decide_all
from aggregator.store import Store

log = logging.getLogger("aggregator.poll")

MAX_BACKOFF = 24 * 3600.0  # a failing source is still tried once a day
MAX_STRETCH = 6.0  # a feed's own ttl or max-age may lengthen its interval up to this factor
# A poll the database refused to store is tried again this soon (or at the interval, if
# shorter), not backed off: the database failed, not the source.
RETRY_UNSTORED = 60.0
# A poll of many sources commits at most this often (see Store.grouped_commits): each
# commit writes every page it dirtied, and a first poll's writes land on random pages of
# the story keys and the search index, so 4 s between commits wrote half the bytes that
# 1 s did (a 1,000-source first poll). A crash loses at most that much, and those sources
# stay due.
COMMIT_EVERY_S = 4.0
FEED_FORMATS = ("rss", "atom", "json")
MAINTENANCE_EVERY = timedelta(hours=1)

Clock = Callable[[], datetime]
# A fraction of a source's interval added to its next poll; tests pass a fixed one.
Jitter = Callable[[], float]


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def random_jitter() -> float:
    """Up to 10%, so sources that were added together stop firing in the same second
    after a restart."""
    return random.uniform(0, 0.1)


# --- when a source is next due ---------------------------------------------------------


def next_poll_after_success(
    settings: Settings,
    source: Source,
    now: datetime,
    *,
    feed_ttl: float | None = None,
    jitter: Jitter = random_jitter,
) -> datetime:
    """The interval, lengthened by the feed's own ttl (capped), plus ``jitter``."""
    interval = settings.source_interval(source)
    if feed_ttl:
        interval = min(max(interval, feed_ttl), interval * MAX_STRETCH)
    return now + timedelta(seconds=interval * (1 + jitter()))


def next_poll_after_error(
    settings: Settings,
    source: Source,
    now: datetime,
    *,
    errors_so_far: int,
    retry_after: float | None = None,
    jitter: Jitter = random_jitter,
) -> datetime:
    """Exponential backoff from the source's interval, capped at a day; Retry-After wins
    when it asks for longer (also capped)."""
    interval = settings.source_interval(source)
    delay = min(interval * (2 ** min(errors_so_far, 16)), MAX_BACKOFF)
    if retry_after is not None:
        delay = max(min(retry_after, MAX_BACKOFF), min(delay, interval))
    return now + timedelta(seconds=delay * (1 + jitter()))


def due_sources(settings: Settings, store: Store, now: datetime) -> list[Source]:
    """Configured sources that are due; one not yet in the store is due at once."""
    due = store.due_urls(now)
    known = store.known_urls()
    return [s for s in settings.sources if s.url in due or s.url not in known]


# --- one poll run ----------------------------------------------------------------------


async def poll_sources(
    settings: Settings,
    store: Store,
    sources: Sequence[Source],
    *,
    clock: Clock = utcnow,
    jitter: Jitter = random_jitter,
    on_outcome: Callable[[PollOutcome], None] | None = None,
    fetcher: Fetcher | None = None,
    stop: asyncio.Event | None = None,
) -> list[PollOutcome]:
    """Poll ``sources`` concurrently (within the config's limits) and store what changed.

    Store writes happen on this thread, each source's in one savepoint as its fetch ends;
    commits are grouped (at most ``COMMIT_EVERY_S`` apart), which a first poll needs.
    The daemon passes its own ``fetcher`` (connections stay pooled between polls).

    The first write the database refuses (a full disk, a lock another process holds)
    ends the run: what was stored stays, the sources not polled yet are not fetched
    (they stay due), and each is reported as not stored. Going on would fetch everything
    to store nothing, or wait out the lock once per source.

    When ``stop`` is set, the polls still fetching or parsing are cancelled (a write is
    never interrupted: it is synchronous), what was stored is committed, and the outcomes
    of the sources that finished are returned, in the order they finished.
    """
    store.sync_sources(settings.sources)
    # Many sources: parse in worker processes (started only if some body changed).
    pool = ParsePool(settings) if len(sources) >= MIN_SOURCES else None
    # Fetched bodies wait for the parse workers; without a bound, a first poll would hold
    # every body (and its parsed items) in memory at once. One per fetch slot: twice that
    # was no faster and cost ~12 MB at 1,000 sources.
    in_flight = asyncio.Semaphore(max(1, settings.poll.concurrency))
    outcomes: list[PollOutcome] = []
    refused: list[StorageError] = []  # the database's first refusal, once it came
    tasks: list[asyncio.Task[PollOutcome]] = []
    try:
        with store.grouped_commits(COMMIT_EVERY_S):
            async with contextlib.AsyncExitStack() as stack:
                client = fetcher
                if client is None:
                    client = await stack.enter_async_context(Fetcher(settings.poll))

                finished: list[PollOutcome] = []  # in the order they finished

                def skipped(source: Source) -> PollOutcome:
                    return PollOutcome(
                        source=source,
                        outcome="error",
                        error=f"not polled: {refused[0].message}",
                        refused=refused[0],
                    )

                async def one(source: Source) -> PollOutcome:
                    try:
                        async with in_flight:
                            if refused:
                                outcome = skipped(source)
                            else:
                                outcome = await poll_source(
                                    settings, store, client, source, clock, pool=pool, jitter=jitter
                                )
                                log_outcome(outcome)
                    except asyncio.CancelledError:
                        if not refused:  # the run itself was cancelled
                            raise
                        outcome = skipped(source)  # by the refusal, below
                    if outcome.refused is not None and not refused:
                        refused.append(outcome.refused)
                        for task in tasks:  # a finished task ignores it
                            if task is not asyncio.current_task():
                                task.cancel()
                    finished.append(outcome)
                    if on_outcome is not None:
                        on_outcome(outcome)
                    return outcome

                tasks.extend(asyncio.ensure_future(one(s)) for s in sources)
                polls = asyncio.gather(*tasks)
                if stop is None:
                    outcomes = list(await polls)
                else:
                    stopping = asyncio.ensure_future(stop.wait())
                    either: set[asyncio.Future[Any]] = {polls, stopping}
                    await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
                    stopping.cancel()
                    if polls.done():
                        outcomes = list(polls.result())
                    else:
                        polls.cancel()
                        with contextlib.suppress(asyncio.CancelledError):
                            await polls
                        outcomes = finished
    finally:
        if pool is not None:
            pool.close()
    return _report_undone(settings, store, outcomes, store.take_undone(), clock, jitter)


def _report_undone(
    settings: Settings,
    store: Store,
    outcomes: list[PollOutcome],
    undone: Mapping[str, StorageError],
    clock: Clock,
    jitter: Jitter,
) -> list[PollOutcome]:
    """A failed group commit undid these sources' stored polls: each is failing until a
    poll of it is stored, in its poll state too when the database takes that much."""
    reported = []
    for outcome in outcomes:
        error = undone.get(outcome.source.url)
        if error is None:
            reported.append(outcome)
            continue
        log.error("%s: not stored: %s", outcome.source.name, error.message)
        source = outcome.source
        state = SourceState(url=source.url, name=source.name)
        with contextlib.suppress(StorageError):
            state = store.source_state(source.url) or state
        reported.append(
            _record_error(
                settings,
                store,
                source,
                state,
                clock(),
                f"not stored: {error.message}",
                outcome.http_status,
                elapsed=outcome.elapsed,
                jitter=jitter,
                refused=error,
            )
        )
    return reported


async def poll_source(
    settings: Settings,
    store: Store,
    fetcher: Fetcher,
    source: Source,
    clock: Clock = utcnow,
    *,
    pool: ParsePool | None = None,
    jitter: Jitter = random_jitter,
) -> PollOutcome:
    """Poll one source and record the outcome. Everything after the fetch (and the parse,
    in ``pool`` when given) is synchronous, so cancelling this coroutine can only interrupt
    the fetch or the parse, never a write.

    Nothing but cancellation leaves this function: whatever one source does (or whatever
    bug it finds in us), it costs that source's poll, never the others'.
    """
    try:
        return await _poll_one(settings, store, fetcher, source, clock, pool, jitter)
    except StorageError as e:
        log.error("%s: not polled: %s", source.name, e.message)
        return PollOutcome(
            source=source, outcome="error", error=f"not stored: {e.message}", refused=e
        )
    except Exception as e:
        log.exception("%s: unexpected error (a bug: please report it)", source.name)
        message = f"internal error: {type(e).__name__}: {e}"
        state = SourceState(url=source.url, name=source.name)
        with contextlib.suppress(StorageError):
            state = store.source_state(source.url) or state
        return _record_error(settings, store, source, state, clock(), message, None, jitter=jitter)


async def _poll_one(
    settings: Settings,
    store: Store,
    fetcher: Fetcher,
    source: Source,
    clock: Clock,
    pool: ParsePool | None,
    jitter: Jitter,
) -> PollOutcome:
    state = store.source_state(source.url) or SourceState(url=source.url, name=source.name)
    fetch_url = state.fetch_url or source.url
    if source.kind == "telegram":
        fetch_url = telegram.preview_url(fetch_url)
    try:
        fetched = await fetcher.fetch(fetch_url, state.validators)
    except FetchError as e:
        return _record_error(
            settings,
            store,
            source,
            state,
            clock(),
            e.message,
            e.status,
            retry_after=e.retry_after,
            jitter=jitter,
        )
    try:
        preparsed = None
        if fetched.body is not None and _body_hash(fetched) != state.body_hash:
            known = store.known_content(source.url)
            if source.kind != "feed":
                newest = None
                if source.kind == "telegram":
                    newest = telegram.newest_id(store.latest_links(source.url))
                parsed = await read_page_source(
                    fetcher, source, fetched, now=clock(), known=known, newest_seen=newest
                )
                if pool is not None:
                    preparsed = parsed, await pool.decide(source, parsed.items, known)
                else:
                    preparsed = parsed, decide_all(settings, source, parsed.items, known)
            elif pool is not None:
                preparsed = await pool.parse(
                    fetched.body, fetched.final_url, fetched.headers, source, known
                )
            else:
                parsed = parse_feed(fetched.body, url=fetched.final_url, headers=fetched.headers)
                preparsed = parsed, tuple(decide(settings, source, i, known) for i in parsed.items)
        return _store_fetched(settings, store, source, state, fetched, clock(), preparsed, jitter)
    except ParseError as e:
        return _record_error(
            settings,
            store,
            source,
            state,
            clock(),
            e.message,
            fetched.status,
            elapsed=fetched.elapsed,
            jitter=jitter,
        )
    except StorageError as e:
        # The transaction rolled back: nothing of this poll is kept (its validators
        # neither, so the next poll fetches it all again). Until a poll of it is stored
        # the source is failing, in its poll state too when the database takes that
        # much; a database another process holds would only keep us waiting again.
        log.error("%s: not stored: %s", source.name, e.message)
        if isinstance(e, DatabaseLocked):
            return PollOutcome(
                source=source,
                outcome="error",
                http_status=fetched.status,
                error=f"not stored: {e.message}",
                elapsed=fetched.elapsed,
                refused=e,
            )
        return _record_error(
            settings,
            store,
            source,
            state,
            clock(),
            f"not stored: {e.message}",
            fetched.status,
            elapsed=fetched.elapsed,
            jitter=jitter,
            refused=e,
        )


# --- sources without a feed ------------------------------------------------------------


async def read_page_source(
    fetcher: Fetcher,
    source: Source,
    fetched: Fetched,
    *,
    now: datetime,
    known: Mapping[str, str],
    newest_seen: int | None,
    follow_limit: int = scrape.MAX_FOLLOW,
) -> ParsedFeed:
    """A web page's or a Telegram channel's items: the fetched page read, and whatever
    more it takes (``telegram.older_page`` pages back to ``newest_seen``, the message
    already stored; with ``follow: true`` each entry's own page, for the entries not
    ``known`` yet, at most ``follow_limit``). Those fetches go through ``fetcher``, so the
    per-host limit and the size cap hold; one that fails costs what it would have added,
    with a warning, never the poll. Raises ParseError when the first page holds nothing."""
    assert fetched.body is not None
    if source.kind == "telegram":
        pages = [
            telegram.parse_channel(
                fetched.body, url=fetched.final_url, headers=fetched.headers, now=now
            )
        ]
        problems: list[str] = []
        while (older := telegram.older_page(pages, newest_seen)) is not None:
            try:
                more = await fetcher.fetch(older)
                if more.body is None:
                    break
                pages.append(
                    telegram.parse_channel(
                        more.body, url=more.final_url, headers=more.headers, now=now
                    )
                )
            except (FetchError, ParseError) as e:
                problems.append(f"older messages not read ({older}: {e.message})")
                break
        parsed = telegram.combine(pages)
        return dataclasses.replace(parsed, warnings=(*parsed.warnings, *problems))
    rules = source.scrape
    assert rules is not None, "a page source has scrape rules (config checks it)"
    page = scrape.parse_page(
        fetched.body, url=fetched.final_url, headers=fetched.headers, rules=rules, now=now
    )
    if not rules.follow:
        return page
    new = scrape.unseen(source.url, page.items, known)
    links = list(dict.fromkeys(i.link for i in new if i.link))[:follow_limit]
    got = await asyncio.gather(*(_entry_page(fetcher, link) for link in links))
    return scrape.followed(page, new, dict(zip(links, got, strict=True)), rules, now)


async def _entry_page(fetcher: Fetcher, url: str) -> tuple[bytes, Mapping[str, str], str] | str:
    """An entry's own page (body, headers, final URL), or why it could not be fetched."""
    try:
        fetched = await fetcher.fetch(url)
    except FetchError as e:
        return e.message
    if fetched.body is None:
        return "no body"
    return fetched.body, fetched.headers, fetched.final_url


async def try_source(
    settings: Settings, source: Source, *, now: datetime, follow_limit: int = 5
) -> tuple[ParsedFeed, tuple[Candidate, ...]]:
    """What a first poll of ``source`` would read and decide, stored nowhere (for
    `aggregator try-source`). Following entries' pages stops at ``follow_limit``: a look
    at the selectors should not fetch a whole site. Raises FetchError or ParseError."""
    async with Fetcher(settings.poll) as fetcher:
        url = telegram.preview_url(source.url) if source.kind == "telegram" else source.url
        fetched = await fetcher.fetch(url)
        if fetched.body is None:
            raise ParseError("the server sent no body")
        if source.kind == "feed":
            parsed = parse_feed(fetched.body, url=fetched.final_url, headers=fetched.headers)
        else:
            parsed = await read_page_source(
                fetcher, source, fetched, now=now, known={}, newest_seen=None,
                follow_limit=follow_limit,
            )  # fmt: skip
    return parsed, decide_all(settings, source, parsed.items)


def _store_fetched(
    settings: Settings,
    store: Store,
    source: Source,
    state: SourceState,
    fetched: Fetched,
    now: datetime,
    preparsed: tuple[ParsedFeed, Sequence[Candidate]] | None,
    jitter: Jitter,
) -> PollOutcome:
    """Record a successful fetch; ``preparsed`` is None when the body was not parsed (a 304,
    or the same bytes as last time)."""
    fetch_url, moved_to = _follow_move(source, state, fetched)
    body_hash = _body_hash(fetched)
    parsed, candidates = preparsed if preparsed is not None else (None, None)
    if parsed is not None:
        for warning in parsed.warnings:
            log.debug("%s: %s", source.name, warning)
    result = store.record_fetch(
        source,
        now=now,
        http_status=fetched.status,
        validators=fetched.validators,
        body_hash=body_hash or state.body_hash,
        candidates=candidates,
        next_poll=next_poll_after_success(
            settings, source, now, feed_ttl=_feed_ttl(parsed, fetched), jitter=jitter
        ),
        fetch_url=fetch_url,
        moved_to=moved_to,
        elapsed=fetched.elapsed,
        stories=_story_matcher(settings),
        site_url=parsed.link if parsed is not None else None,
    )
    outcome: Literal["new", "unchanged", "not_modified"]
    if parsed is None:
        outcome = "not_modified" if fetched.not_modified else "unchanged"
    else:
        stored = result.new_ids or result.updated_ids or result.joined_ids or result.merged_ids
        outcome = "new" if stored or result.dropped_ids else "unchanged"
    return PollOutcome(
        source=source,
        outcome=outcome,
        http_status=fetched.status,
        new_items=len(result.new_ids),
        updated_items=len(result.updated_ids),
        joined_items=len(result.joined_ids) + len(result.merged_ids),
        dropped_items=len(result.dropped_ids),
        new_by_category=result.new_by_category,
        elapsed=fetched.elapsed,
        touched=bool(result.touched_categories),
    )


def _body_hash(fetched: Fetched) -> str | None:
    return hashlib.sha256(fetched.body).hexdigest() if fetched.body is not None else None


def _feed_ttl(parsed: ParsedFeed | None, fetched: Fetched) -> float | None:
    """How long the publisher asks us to wait: RSS <ttl> or Cache-Control max-age."""
    ttl = parsed.ttl if parsed else None
    for directive in fetched.headers.get("cache-control", "").split(","):
        name, _, value = directive.strip().partition("=")
        if name.lower() == "max-age" and value.strip().isdigit():
            ttl = max(ttl or 0.0, float(value))
    return ttl


def _story_matcher(settings: Settings) -> StoryMatcher | None:
    """The near-duplicate layer with the config's threshold and window, or None when
    ``dedupe.enabled`` is false (guid and link dedupe still apply)."""
    dedupe = settings.dedupe
    if not dedupe.enabled:
        return None
    return StoryMatcher(threshold=dedupe.threshold, window=dedupe.window)


def _follow_move(
    source: Source, state: SourceState, fetched: Fetched
) -> tuple[str | None, str | None]:
    """A 301 is adopted when seen on two polls in a row: one answer may be a mistake.

    Returns (new fetch URL or None, pending move target or None).
    """
    target = fetched.permanent_redirect
    if target is None:
        return None, None
    if state.moved_to == target:
        log.warning(
            "%s: moved permanently to %s; now polling the new URL, but feeds.yaml still "
            "has %s: update it",
            source.name,
            target,
            source.url,
        )
        return target, None
    log.info(
        "%s: answered 301 to %s; will adopt it if the next poll says so too", source.name, target
    )
    return None, target


def _record_error(
    settings: Settings,
    store: Store,
    source: Source,
    state: SourceState,
    now: datetime,
    message: str,
    status: int | None,
    *,
    retry_after: float | None = None,
    elapsed: float = 0.0,
    jitter: Jitter,
    refused: StorageError | None = None,
) -> PollOutcome:
    """Record a failed poll against the source. ``refused``: why what the poll fetched
    could not be stored; the outcome says so too when the error itself is not recorded."""
    gone = status == 410
    if refused is not None:
        retry = min(settings.source_interval(source), RETRY_UNSTORED)
        next_poll = now + timedelta(seconds=retry * (1 + jitter()))
    else:
        next_poll = next_poll_after_error(
            settings,
            source,
            now,
            errors_so_far=state.error_count,
            retry_after=retry_after,
            jitter=jitter,
        )
    try:
        store.record_error(
            source,
            now=now,
            error=message,
            http_status=status,
            next_poll=next_poll,
            gone=gone,
            elapsed=elapsed,
        )
    except StorageError as e:
        log.error("%s: could not record the error: %s", source.name, e.message)
        refused = refused or e
    return PollOutcome(
        source=source,
        outcome="error",
        http_status=status,
        error=message,
        elapsed=elapsed,
        refused=refused,
    )


def log_outcome(outcome: PollOutcome) -> None:
    name = outcome.source.name
    if outcome.outcome == "error":
        log.warning("%s: failed: %s", name, outcome.error)
    elif outcome.outcome == "new":
        more = "".join(
            f", {n} {what}"
            for n, what in (
                (outcome.joined_items, "joined stories already published"),
                (outcome.dropped_items, "dropped by rules"),
            )
            if n
        )
        log.info("%s: %d new, %d updated%s", name, outcome.new_items, outcome.updated_items, more)
    else:
        log.debug("%s: %s", name, outcome.outcome.replace("_", " "))


# --- maintenance -----------------------------------------------------------------------


def maintain(settings: Settings, store: Store, now: datetime) -> Maintenance:
    """Retention (never the newest ``max_items`` of a feed; the story index keeps what the
    store keeps) and a WAL checkpoint: what the daemon does hourly, `aggregator prune` now,
    and `poll` when it is due. Remembered in the store, so whoever runs it, the others wait
    an hour."""
    pruned = store.prune(
        now - timedelta(days=settings.storage.retention_days),
        settings.site.max_items,
        [c.name for c in settings.categories],
    )
    store.set_last_maintenance(now)
    store.checkpoint()
    if pruned:
        log.info(
            "maintenance: pruned %d item(s) older than %d days",
            pruned,
            settings.storage.retention_days,
        )
    return Maintenance(pruned=pruned)


def maintain_if_due(settings: Settings, store: Store, now: datetime) -> Maintenance | None:
    """``maintain`` when it last ran ``MAINTENANCE_EVERY`` ago or more (for `poll`, which
    cron runs without the daemon). A database that never had maintenance starts the clock
    instead: a new one has nothing to prune, and a first poll's large WAL is folded back
    by SQLite itself as it goes."""
    last = store.last_maintenance()
    if last is None:
        store.set_last_maintenance(now)
        return None
    if now - last < MAINTENANCE_EVERY:
        return None
    return maintain(settings, store, now)


# --- publish ---------------------------------------------------------------------------


def render_all(
    settings: Settings, store: Store, *, served: bool = True
) -> dict[str, tuple[bytes, str]]:
    """Every published file, path -> (body, content type). Feeds are deterministic, so an
    unchanged feed renders to the same bytes and keeps its ETag. ``served`` pages offer
    the server's search; a static build (``served=False``) has none to offer."""
    files: dict[str, tuple[bytes, str]] = {}
    latest: dict[str, list] = {}
    for category in (None, *settings.categories):
        items = store.latest_items(category.name if category else None, settings.site.max_items)
        if category is not None:
            latest[category.name] = items
        for fmt in FEED_FORMATS:
            files[publish.feed_path(category, fmt)] = (
                publish.render_feed(fmt, settings, category, items),
                publish.FEED_FORMATS[fmt],
            )
    files["/sources.opml"] = (publish.render_opml(settings), "text/x-opml; charset=utf-8")
    files["/index.html"] = (
        publish.render_index(settings, latest, served=served),
        "text/html; charset=utf-8",
    )
    for category in settings.categories:  # served at /c/{name} too
        files[publish.category_page_path(category)] = (
            publish.render_category_page(settings, category, latest[category.name], served=served),
            "text/html; charset=utf-8",
        )
    return files


def regenerate(settings: Settings, store: Store, now: datetime | None = None) -> list[str]:
    """Render every published file and store the ones that changed; returns their paths.

    The outputs remember what they were rendered from: the configuration and the store's
    items version (``Store.items_version``). When neither moved, nothing is rendered (a
    tenth of a warm poll's time otherwise, for the same bytes); when either did, for
    whatever reason -- this poll, an earlier poll stopped before it rendered, a prune --
    the outputs catch up. The search index is brought up to date first, in one
    transaction for the whole poll."""
    store.flush_search_index()
    config = hashlib.sha256(repr(settings).encode("utf-8")).hexdigest()
    key = f"{config} {store.items_version()}"
    if store.render_key() == key:
        return []
    moment = now or utcnow()
    return store.save_outputs(render_all(settings, store), moment, render_key=key)
