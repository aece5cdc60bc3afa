"""The HTTP server: published files from the store, rendered once per change.

Feeds are rendered by the poller and stored with their ETag; this server keeps them in
memory (with a gzipped copy) and reloads them only when the store's outputs version moves,
so a request costs a dictionary look-up, not a query or a render. Nothing is read from
the filesystem, so no path, however encoded, can reach a file outside the published set.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from aggregator import publish
from aggregator.metrics import CONTENT_TYPE as METRICS_TYPE
from aggregator.metrics import Metrics, StoreFigures
from aggregator.models import Output, Settings
from aggregator.store import SearchError, Store

log = logging.getLogger("aggregator.server")

RELOAD_EVERY = 1.0  # seconds between checks of the store's outputs version
STALL_GRACE = 120.0  # a source this much past its due time means polling has stalled


@dataclass(frozen=True)
class Published:
    """One published file, ready to send in either encoding."""

    body: bytes
    gzipped: bytes
    content_type: str
    etag: str
    last_modified: datetime

    @classmethod
    def of(cls, output: Output) -> Published:
        return cls(
            body=output.body,
            gzipped=gzip.compress(output.body, compresslevel=6, mtime=0),
            content_type=output.content_type,
            etag=output.etag,
            last_modified=output.last_modified,
        )


@dataclass
class ServerState:
    """What the app reads; the daemon swaps ``settings`` on SIGHUP."""

    settings: Settings
    store: Store
    metrics: Metrics
    files: dict[str, Published] = field(default_factory=dict)
    version: int = -1
    checked: float = 0.0
    limited: dict[tuple[str, int, int], Published] = field(default_factory=dict)
    searches: dict[tuple[str, str, str, int, int], Published] = field(default_factory=dict)
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    def refresh(self) -> None:
        now = time.monotonic()
        if now - self.checked < RELOAD_EVERY:
            return
        self.checked = now
        version = self.store.outputs_version()
        if version != self.version:
            self.files = {o.path: Published.of(o) for o in self.store.outputs()}
            self.limited.clear()
            self.searches.clear()
            self.version = version


def create_app(settings: Settings, store: Store, metrics: Metrics | None = None) -> Starlette:
    """The ASGI app. ``store`` must be used only from the event loop's thread."""
    state = ServerState(settings=settings, store=store, metrics=metrics or store_metrics(store))

    async def index(request: Request) -> Response:
        return _send(request, state, "/index.html")

    async def published(request: Request) -> Response:
        raw = request.scope.get("raw_path", b"").lower()
        if b"%2f" in raw or b"%5c" in raw or b".." in raw or b"\\" in raw:
            return _not_found()
        path = "/" + request.path_params["path"]
        if path == "/index.html":
            return _not_found()  # the index lives at /
        limit = request.query_params.get("limit")
        if limit is not None and path.startswith("/feeds/"):
            return _send_limited(request, state, path, limit)
        return _send(request, state, path)

    async def category_page(request: Request) -> Response:
        name = request.path_params["name"].removesuffix(".html")  # /c/x and /c/x.html
        return _send(request, state, f"/c/{name}.html")

    async def search(request: Request) -> Response:
        return _send_search(request, state, request.path_params["fmt"])

    async def healthz(request: Request) -> Response:
        ok, body = health(state.settings, state.store, state.clock())
        return Response(
            json.dumps(body, ensure_ascii=False, indent=1),
            status_code=200 if ok else 503,
            media_type="application/json",
            headers={"Cache-Control": "no-store"},
        )

    async def metrics_page(request: Request) -> Response:
        return Response(state.metrics.render(), media_type=METRICS_TYPE)

    app = Starlette(
        routes=[
            Route("/", index, methods=["GET", "HEAD"]),
            Route("/healthz", healthz, methods=["GET", "HEAD"]),
            Route("/metrics", metrics_page, methods=["GET", "HEAD"]),
            Route("/c/{name:str}", category_page, methods=["GET", "HEAD"]),
            Route("/search.{fmt:str}", search, methods=["GET", "HEAD"]),
            Route("/{path:path}", published, methods=["GET", "HEAD"]),
        ]
    )
    app.state.server = state
    return app


def store_metrics(store: Store) -> Metrics:
    def read() -> StoreFigures:
        states = store.source_states()
        successes = [s.last_success for s in states if s.last_success]
        return StoreFigures(
            items=store.count_items(),
            sources=len(states),
            sources_failing=sum(1 for s in states if s.error_count),
            last_success=max(successes).timestamp() if successes else None,
        )

    return Metrics(read)


def health(settings: Settings, store: Store, now: datetime) -> tuple[bool, dict]:
    """Healthy while no configured source is overdue by more than a grace period.

    A source that fails is not a stall (it is backed off and reported); a source whose
    next poll passed long ago means nothing is polling.
    """
    configured = {s.url for s in settings.sources}
    states = [s for s in store.source_states() if s.url in configured]
    grace = timedelta(seconds=STALL_GRACE + 2 * settings.poll.timeout)
    overdue = [
        s.name
        for s in states
        if not s.gone and s.next_poll is not None and s.next_poll + grace < now
    ]
    never = [s.name for s in states if s.last_poll is None]
    last = store.last_poll()
    ok = not overdue
    return ok, {
        "ok": ok,
        "last_poll": last.isoformat() if last else None,
        "sources": len(states),
        "overdue": overdue,
        "never_polled": never,
        "failing": [
            {"name": s.name, "error": s.last_error, "errors": s.error_count}
            for s in states
            if s.error_count
        ],
    }


def _send(request: Request, state: ServerState, path: str) -> Response:
    state.refresh()
    file = state.files.get(path)
    if file is None:
        return _not_found()
    return _respond(request, state, file)


def _send_limited(request: Request, state: ServerState, path: str, raw: str) -> Response:
    """``?limit=N``: render on first ask, then keep it until the outputs change."""
    state.refresh()
    if path not in state.files:
        return _not_found()
    settings = state.settings
    try:
        limit = max(1, min(int(raw), settings.site.max_limit))
    except ValueError:
        return Response("limit must be a whole number\n", status_code=400, media_type="text/plain")
    stem, _, fmt = path.removeprefix("/feeds/").rpartition(".")
    category = settings.category(stem)
    key = (path, limit, state.version)
    if key not in state.limited:
        items = state.store.latest_items(category.name if category else None, limit)
        body = publish.render_feed(fmt, settings, category, items)
        output = Output(
            path=path,
            body=body,
            content_type=publish.FEED_FORMATS[fmt],
            etag=f'"{state.files[path].etag.strip(chr(34))}-{limit}"',
            last_modified=state.files[path].last_modified,
        )
        if len(state.limited) > 256:
            state.limited.clear()
        state.limited[key] = Published.of(output)
    return _respond(request, state, state.limited[key])


MAX_QUERY_CHARS = 200


def _bad_request(message: str) -> Response:
    return Response(message + "\n", status_code=400, media_type="text/plain; charset=utf-8")


def _send_search(request: Request, state: ServerState, fmt: str) -> Response:
    """``/search.{rss,atom,json}?q=…[&category=…][&limit=N]``: the newest matching items.

    Rendered on request (a search is an FTS index look-up with a LIMIT), and kept until
    the outputs change, so a feed reader polling the same search costs one dict look-up."""
    if fmt not in publish.FEED_FORMATS:
        return _not_found()
    state.refresh()
    settings = state.settings
    query = request.query_params.get("q", "").strip()
    if not query:
        return _bad_request("add what to search for: /search.rss?q=word (several words: all)")
    if len(query) > MAX_QUERY_CHARS:
        return _bad_request(f"the search is too long: keep it under {MAX_QUERY_CHARS} characters")
    category = request.query_params.get("category") or ""
    if category and settings.category(category) is None:
        known = ", ".join(c.name for c in settings.categories)
        return _bad_request(f"unknown category {category!r}: use one of {known}")
    try:
        wanted = int(request.query_params.get("limit", settings.site.max_items))
        limit = max(1, min(wanted, settings.site.max_limit))
    except ValueError:
        return _bad_request("limit must be a whole number")
    key = (fmt, query, category, limit, state.version)
    if key not in state.searches:
        try:
            items = state.store.search_items(query, limit, category=category or None)
        except SearchError as e:
            return _bad_request(e.message)
        body = publish.render_search_feed(fmt, settings, query, items)
        output = Output(
            path=publish.search_path(query, fmt),
            body=body,
            content_type=publish.FEED_FORMATS[fmt],
            etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"',
            last_modified=max((i.updated or i.published for i in items), default=_EPOCH),
        )
        if len(state.searches) > 256:
            state.searches.clear()
        state.searches[key] = Published.of(output)
    return _respond(request, state, state.searches[key])


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _respond(request: Request, state: ServerState, file: Published) -> Response:
    wants_gzip = "gzip" in request.headers.get("accept-encoding", "").lower()
    etag = file.etag[:-1] + '-gz"' if wants_gzip else file.etag
    max_age = int(min(max(state.settings.poll.interval / 4, 60), 3600))
    headers = {
        "ETag": etag,
        "Last-Modified": format_datetime(file.last_modified, usegmt=True),
        "Cache-Control": f"public, max-age={max_age}",
        "Vary": "Accept-Encoding",
        "X-Content-Type-Options": "nosniff",
    }
    if _not_modified(request, etag, file.last_modified):
        return Response(status_code=304, headers=headers)
    if wants_gzip:
        headers["Content-Encoding"] = "gzip"
        return Response(file.gzipped, headers=headers, media_type=file.content_type)
    return Response(file.body, headers=headers, media_type=file.content_type)


def _not_modified(request: Request, etag: str, last_modified: datetime) -> bool:
    """RFC 9110: If-None-Match wins over If-Modified-Since when both are sent."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or etag in tags or etag.replace('-gz"', '"') in tags
    since = request.headers.get("if-modified-since")
    if since:
        try:
            return last_modified <= parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError):
            return False
    return False


def _not_found() -> Response:
    return Response("not found\n", status_code=404, media_type="text/plain")


def uvicorn_config(app: Starlette, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        server_header=False,
        h11_max_incomplete_event_size=16 * 1024,  # request line and headers
        timeout_keep_alive=15,
        timeout_graceful_shutdown=2,
        limit_concurrency=512,
    )


def serve(settings: Settings, *, host: str, port: int) -> int:
    """`aggregator serve`: the server alone over what another process stores."""
    store = Store(settings.storage.path)
    # uvicorn re-raises the signal that stopped it once it has shut down; with Python's
    # default handler that would kill us with -15 instead of exiting 0.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: None)
    try:
        app = create_app(settings, store)
        log.info("serving %s on http://%s:%d/", settings.storage.path, host, port)
        uvicorn.Server(uvicorn_config(app, host, port)).run()
    finally:
        store.close()
    return 0
