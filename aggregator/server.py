"""The HTTP server: published files from the store, rendered once per change.

Feeds are rendered by the poller and stored with their ETag; this server keeps them in
memory (with a gzipped copy) and reloads them only when the store's outputs version moves,
so a request costs a dictionary look-up, not a query or a render. Nothing is read from
the filesystem, so no path, however encoded, can reach a file outside the published set.

Each file's four answers (200 or 304, identity or gzip) are built once, headers and all,
and sent as they are. A keep-alive GET or HEAD of a published path (no query string) is
answered by the HTTP protocol itself (``FeedProtocol``, over uvicorn's httptools one),
with no ASGI call; others with no query string by ``FeedApp`` before Starlette routes
them; the rest by the routes. All three pick from the same prepared answers, by the same
rules. uvicorn runs on uvloop and httptools, or on h11 and asyncio where they are missing
(or where uvicorn's httptools protocol is not the one ``FeedProtocol`` was written for),
with a 16 KB limit on a request's line and headers either way.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import json
import logging
import signal
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from aggregator import publish
from aggregator.errors import ServeError
from aggregator.metrics import CONTENT_TYPE as METRICS_TYPE
from aggregator.metrics import Metrics, StoreFigures
from aggregator.models import Output, Settings, SourceState
from aggregator.store import SearchError, Store

log = logging.getLogger("aggregator.server")

RELOAD_EVERY = 1.0  # seconds between checks of the store's outputs version
# A source overdue by its interval (at least this) plus twice the fetch timeout means
# polling has stalled.
STALL_GRACE = 120.0
MAX_HEAD_BYTES = 16 * 1024  # a request line and headers still incomplete past this: refused


class Prepared(Response):
    """A response built once and sent for every request that wants it.

    Its ASGI messages are made here, so sending it builds nothing. Shared between
    requests: never change its headers after it is made."""

    def __init__(
        self,
        content: bytes,
        *,
        status_code: int,
        headers: dict[str, str],
        media_type: str | None = None,
    ) -> None:
        super().__init__(content, status_code=status_code, headers=headers, media_type=media_type)
        self.start_message = {
            "type": "http.response.start",
            "status": self.status_code,
            "headers": self.raw_headers,
        }
        self.body_message = {"type": "http.response.body", "body": self.body}
        self._head: tuple[list[tuple[bytes, bytes]] | None, bytes] = (None, b"")

    def head(self, default_headers: list[tuple[bytes, bytes]]) -> bytes:
        """Status line and headers as uvicorn's httptools protocol writes them for a
        keep-alive request, after ``default_headers`` (the Date, a new list each second)."""
        defaults, head = self._head
        if defaults is not default_headers:
            status = HTTPStatus(self.status_code)
            lines = [b"HTTP/1.1 %d %s\r\n" % (status.value, status.phrase.encode())]
            lines += [name + b": " + value + b"\r\n" for name, value in default_headers]
            lines += [name + b": " + value + b"\r\n" for name, value in self.raw_headers]
            head = b"".join(lines) + b"\r\n"
            self._head = default_headers, head
        return head

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(self.start_message)
        await send(self.body_message)


@dataclass(frozen=True)
class Answers:
    """The four ways a published file is answered, for one Cache-Control max-age."""

    etag: str
    etag_gz: str
    last_modified: datetime
    plain: Prepared
    gzipped: Prepared
    plain_unchanged: Prepared  # 304
    gzipped_unchanged: Prepared  # 304

    def choose(
        self, accept_encoding: str | None, if_none_match: str | None, if_modified_since: str | None
    ) -> Prepared:
        """The answer for a request with these header values (None when not sent)."""
        wants_gzip = accept_encoding is not None and "gzip" in accept_encoding.lower()
        etag = self.etag_gz if wants_gzip else self.etag
        if _not_modified(etag, self.last_modified, if_none_match, if_modified_since):
            return self.gzipped_unchanged if wants_gzip else self.plain_unchanged
        return self.gzipped if wants_gzip else self.plain


@dataclass(frozen=True)
class Published:
    """One published file, ready to send in either encoding."""

    body: bytes
    gzipped: bytes
    content_type: str
    etag: str
    last_modified: datetime
    prepared: dict[int, Answers] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, output: Output) -> Published:
        return cls(
            body=output.body,
            gzipped=gzip.compress(output.body, compresslevel=6, mtime=0),
            content_type=output.content_type,
            etag=output.etag,
            last_modified=output.last_modified,
        )

    def answers(self, max_age: int) -> Answers:
        """Built on the first request, kept as long as the file (and max-age) is."""
        answers = self.prepared.get(max_age)
        if answers is None:
            answers = self.prepared[max_age] = self._prepare(max_age)
        return answers

    def _prepare(self, max_age: int) -> Answers:
        etag_gz = self.etag[:-1] + '-gz"'

        def headers(etag: str, *, gzipped: bool = False) -> dict[str, str]:
            values = {
                "ETag": etag,
                "Last-Modified": format_datetime(self.last_modified, usegmt=True),
                "Cache-Control": f"public, max-age={max_age}",
                "Vary": "Accept-Encoding",
                "X-Content-Type-Options": "nosniff",
            }
            if gzipped:
                values["Content-Encoding"] = "gzip"
            return values

        return Answers(
            etag=self.etag,
            etag_gz=etag_gz,
            last_modified=self.last_modified,
            plain=Prepared(
                self.body, status_code=200, headers=headers(self.etag), media_type=self.content_type
            ),
            gzipped=Prepared(
                self.gzipped,
                status_code=200,
                headers=headers(etag_gz, gzipped=True),
                media_type=self.content_type,
            ),
            plain_unchanged=Prepared(b"", status_code=304, headers=headers(self.etag)),
            gzipped_unchanged=Prepared(b"", status_code=304, headers=headers(etag_gz)),
        )


def max_age(settings: Settings) -> int:
    """Cache-Control max-age: a quarter of the poll interval, within a minute and an hour."""
    return int(min(max(settings.poll.interval / 4, 60), 3600))


@dataclass
class ServerState:
    """What the app reads; the daemon swaps ``settings`` on SIGHUP."""

    settings: Settings
    store: Store
    metrics: Metrics
    files: dict[str, Published] = field(default_factory=dict)
    exact: dict[bytes, Published] = field(default_factory=dict)  # raw request path -> file
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
            self.exact = {
                raw.encode("ascii"): self.files[path]
                for path in self.files
                for raw in _request_paths(path)
            }
            self.limited.clear()
            self.searches.clear()
            self.version = version


def _request_paths(path: str) -> list[str]:
    """The plain request paths (no query, nothing to decode) that the routes of
    ``create_app`` answer with the published file ``path``: ``/`` and ``/index.html`` for
    the index, ``/c/x`` and ``/c/x.html`` for a category page, else the path itself.

    ``FeedApp`` and ``FeedProtocol`` answer exactly these without routing; missing one
    only sends it the slow way, so anything unusual is left out."""
    if not path.isascii() or any(c in path for c in "%?#\\") or ".." in path:
        return []
    if path == "/index.html":
        return ["/", path]
    if path.startswith("/c/"):
        name = path.removeprefix("/c/")
        if "/" in name or name.count(".html") != 1 or not name.endswith(".html"):
            return []
        return [path, path.removesuffix(".html")]
    if path in ("/", "/healthz", "/metrics") or path.startswith("/search."):
        return []
    return [path]


class FeedApp(Starlette):
    """The Starlette app, with published files answered before routing.

    A GET or HEAD with no query string whose raw path names a published file exactly is
    answered from its prepared responses: one dict look-up, a scan of the request's
    headers, two ASGI messages. Anything else (a query, another method, an encoded or
    unknown path) goes to the routes, which answer the same requests the same way."""

    server: ServerState

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and (scope["method"] == "GET" or scope["method"] == "HEAD")
            and not scope.get("query_string")
        ):
            state = self.server
            state.refresh()
            file = state.exact.get(scope.get("raw_path", b""))
            if file is not None:
                answers = file.answers(max_age(state.settings))
                answer = answers.choose(*_conditions(scope["headers"]))
                await send(answer.start_message)
                await send(answer.body_message)
                return
        await super().__call__(scope, receive, send)


def _conditions(
    headers: list[tuple[bytes, bytes]],
) -> tuple[str | None, str | None, str | None]:
    """Accept-Encoding, If-None-Match, If-Modified-Since from a request's headers (names in
    lower case): each the first sent, decoded as Starlette's ``request.headers.get``
    decodes it; None when not sent."""
    accept_encoding = if_none_match = if_modified_since = None
    for name, value in headers:
        if name == b"accept-encoding":
            if accept_encoding is None:
                accept_encoding = value.decode("latin-1")
        elif name == b"if-none-match":
            if if_none_match is None:
                if_none_match = value.decode("latin-1")
        elif name == b"if-modified-since" and if_modified_since is None:
            if_modified_since = value.decode("latin-1")
    return accept_encoding, if_none_match, if_modified_since


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
        limit = request.query_params.get("limit")
        if limit is not None and path.startswith("/feeds/"):
            return _send_limited(request, state, path, limit)
        return _send(request, state, path)

    async def category_page(request: Request) -> Response:
        name = request.path_params["name"].removesuffix(".html")  # /c/x and /c/x.html
        return _send(request, state, f"/c/{name}.html")

    async def search(request: Request) -> Response:
        return _send_search(request, state, request.path_params["fmt"])

    async def search_page(request: Request) -> Response:
        return _send_search(request, state, "html")

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

    app = FeedApp(
        routes=[
            Route("/", index, methods=["GET", "HEAD"]),
            Route("/healthz", healthz, methods=["GET", "HEAD"]),
            Route("/metrics", metrics_page, methods=["GET", "HEAD"]),
            Route("/c/{name:str}", category_page, methods=["GET", "HEAD"]),
            Route("/search", search_page, methods=["GET", "HEAD"]),
            Route("/search.{fmt:str}", search, methods=["GET", "HEAD"]),
            Route("/{path:path}", published, methods=["GET", "HEAD"]),
        ]
    )
    app.server = app.state.server = state
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
    """/healthz: whether polling works, from the configured sources' poll state."""
    configured = {s.url for s in settings.sources}
    states = [s for s in store.source_states() if s.url in configured]
    return judge_health(settings, states, store.last_poll(), now)


def judge_health(
    settings: Settings, states: list[SourceState], last_poll: datetime | None, now: datetime
) -> tuple[bool, dict]:
    """Unhealthy (503, ``ok: false``) for any of these, each given as a reason:

    - the poller stalled: a source's next poll is overdue by more than its interval
      (at least STALL_GRACE) plus twice the fetch timeout, so nothing is polling;
    - no source has succeeded within its interval (every one failing, overdue, or not
      polled yet);
    - more than half of the sources are failing (their last poll failed).

    Sources that answered 410 are not counted (they need the operator, not the poller);
    a failing source is also not a stall: it is backed off and listed under ``failing``.
    """
    watched = [s for s in states if not s.gone]
    intervals = {source.url: settings.source_interval(source) for source in settings.sources}

    def overdue(s: SourceState) -> bool:
        interval = intervals.get(s.url, settings.poll.interval)
        grace = timedelta(seconds=max(STALL_GRACE, interval) + 2 * settings.poll.timeout)
        return s.next_poll is not None and s.next_poll + grace < now

    late = [s for s in watched if overdue(s)]
    failing = [s for s in watched if s.error_count]
    late_urls = {s.url for s in late}
    succeeding = [
        s for s in watched if s.last_success and not s.error_count and s.url not in late_urls
    ]
    reasons = []
    if late:
        reasons.append(
            f"polling has stalled: {len(late)} source(s) overdue by more than their "
            "interval (is the poller running?)"
        )
    if watched and not succeeding:
        polled = any(s.last_poll for s in watched)
        reasons.append(
            "no source has succeeded within its interval"
            if polled
            else "no source has been polled yet"
        )
    if 2 * len(failing) > len(watched):
        reasons.append(f"{len(failing)} of {len(watched)} sources are failing (more than half)")
    successes = [s.last_success for s in watched if s.last_success]
    ok = not reasons
    return ok, {
        "ok": ok,
        "reasons": reasons,
        "last_poll": last_poll.isoformat() if last_poll else None,
        "last_success": max(successes).isoformat() if successes else None,
        "sources": len(states),
        "succeeding": len(succeeding),
        "overdue": [s.name for s in late],
        "never_polled": [s.name for s in states if s.last_poll is None],
        "gone": [s.name for s in states if s.gone],
        "failing": [
            {
                "name": s.name,
                "error": s.last_error,
                "errors": s.error_count,
                "last_success": s.last_success.isoformat() if s.last_success else None,
            }
            for s in failing
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


_HTML = "text/html; charset=utf-8"


def _send_search(request: Request, state: ServerState, fmt: str) -> Response:
    """``/search.{rss,atom,json}?q=…[&category=…][&limit=N]``: the newest matching items;
    ``/search?q=…`` (``fmt`` html): the same as a page, where the pages' form leads.

    Rendered on request (a search is an FTS index look-up with a LIMIT), and kept until
    the outputs change, so a feed reader polling the same search costs one dict look-up."""
    if fmt not in publish.FEED_FORMATS and fmt != "html":
        return _not_found()
    state.refresh()
    settings = state.settings
    query = request.query_params.get("q", "").strip()
    category = request.query_params.get("category") or ""

    def bad(message: str, status: int = 400) -> Response:
        if fmt != "html":
            return _bad_request(message)
        page = publish.render_search_page(settings, query, [], problem=message)
        return Response(page, status_code=status, media_type=_HTML)

    if not query:
        if fmt == "html":  # the form, waiting for words
            return Response(publish.render_search_page(settings, "", []), media_type=_HTML)
        return bad("add what to search for: /search.rss?q=word (several words: all)")
    if len(query) > MAX_QUERY_CHARS:
        return bad(f"the search is too long: keep it under {MAX_QUERY_CHARS} characters")
    if category and settings.category(category) is None:
        known = ", ".join(c.name for c in settings.categories)
        return bad(f"unknown category {category!r}: use one of {known}")
    try:
        wanted = int(request.query_params.get("limit", settings.site.max_items))
        limit = max(1, min(wanted, settings.site.max_limit))
    except ValueError:
        return bad("limit must be a whole number")
    key = (fmt, query, category, limit, state.version)
    if key not in state.searches:
        try:
            items = state.store.search_items(query, limit, category=category or None)
        except SearchError as e:
            return bad(e.message)
        if fmt == "html":
            body = publish.render_search_page(
                settings, query, items, category=settings.category(category)
            )
        else:
            body = publish.render_search_feed(fmt, settings, query, items)
        output = Output(
            path=publish.search_path(query, fmt),
            body=body,
            content_type=_HTML if fmt == "html" else publish.FEED_FORMATS[fmt],
            etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"',
            last_modified=max((i.updated or i.published for i in items), default=_EPOCH),
        )
        if len(state.searches) > 256:
            state.searches.clear()
        state.searches[key] = Published.of(output)
    return _respond(request, state, state.searches[key])


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _respond(request: Request, state: ServerState, file: Published) -> Response:
    headers = request.headers
    return file.answers(max_age(state.settings)).choose(
        headers.get("accept-encoding"),
        headers.get("if-none-match"),
        headers.get("if-modified-since"),
    )


def _not_modified(
    etag: str, last_modified: datetime, if_none_match: str | None, since: str | None
) -> bool:
    """RFC 9110: If-None-Match wins over If-Modified-Since when both are sent."""
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or etag in tags or etag.replace('-gz"', '"') in tags
    if since:
        try:
            return last_modified <= parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError):
            return False
    return False


def _not_found() -> Response:
    return Response("not found\n", status_code=404, media_type="text/plain")


# Speed-ups (see pyproject), each with uvicorn's own fallback where it is missing.
try:
    import uvloop  # noqa: F401
except ImportError:  # pragma: no cover - a dependency, but not on Windows
    LOOP = "asyncio"
else:
    LOOP = "uvloop"

# What FeedProtocol uses of uvicorn's httptools protocol (private API, pinned in
# pyproject.toml): these methods, and these attributes set by the methods named.
_PROTOCOL_METHODS = (
    "data_received",
    "on_message_begin",
    "on_headers_complete",
    "on_body",
    "on_message_complete",
    "on_response_complete",
)
_PROTOCOL_ATTRIBUTES = {
    "__init__": ("config", "parser", "cycle", "server_state"),
    "connection_made": ("flow", "transport"),
    "on_message_begin": ("url", "headers"),
}


def fast_protocol_problem(protocol: type, cycle: type, flow: type) -> str | None:
    """Why FeedProtocol cannot extend ``protocol`` (uvicorn's HttpToolsProtocol), or None.

    Checked at import, so a uvicorn that moved things serves through plain uvicorn
    (h11, which keeps the 16 KB head limit) instead of failing on the first request."""
    for name in _PROTOCOL_METHODS:
        if not callable(getattr(protocol, name, None)):
            return f"HttpToolsProtocol.{name} is missing"
    for method, attributes in _PROTOCOL_ATTRIBUTES.items():
        code = getattr(getattr(protocol, method, None), "__code__", None)
        for attribute in attributes:
            if code is None or attribute not in code.co_names:
                return f"HttpToolsProtocol.{method} no longer sets {attribute}"
    for kind, attribute in ((cycle, "response_complete"), (flow, "write_paused")):
        code = getattr(getattr(kind, "__init__", None), "__code__", None)
        if code is None or attribute not in code.co_names:
            return f"{kind.__name__} has no {attribute}"
    return None


try:
    from uvicorn.protocols.http.flow_control import FlowControl
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle
except ImportError as e:  # pragma: no cover - httptools is a dependency
    FAST_PROTOCOL_PROBLEM: str | None = f"cannot import it ({e})"
else:
    FAST_PROTOCOL_PROBLEM = fast_protocol_problem(
        HttpToolsProtocol, RequestResponseCycle, FlowControl
    )
if FAST_PROTOCOL_PROBLEM is not None:
    HTTP = "h11"
    log.warning(
        "serving with plain uvicorn (h11), not the fast protocol: uvicorn's httptools "
        "protocol changed (%s); install the uvicorn version pyproject.toml names",
        FAST_PROTOCOL_PROBLEM,
    )
else:
    HTTP = "httptools"

    class FeedProtocol(HttpToolsProtocol):
        """uvicorn's httptools protocol, answering published files itself.

        A keep-alive HTTP/1.1 GET or HEAD whose request target is exactly a published
        path (as ``FeedApp`` matches it) is answered when the request is complete, with
        the prepared answer's bytes: no ASGI scope, task or messages, and one system call
        for head and body. The answer is the one ``FeedApp`` and the routes send for that
        request (tests/test_server_paths.py). Anything else, and any request while an
        earlier one on the connection is still being answered or while the client is not
        reading, is left to uvicorn and the app.

        It also keeps the guard h11 has and httptools lacks: httptools buffers a request
        line and headers without bound, so a head still incomplete once more than
        MAX_HEAD_BYTES arrived for it after the read it began in gets 431 and the
        connection is closed (the read it began in is at most the transport's read size,
        as with h11)."""

        _head_open = False  # a request's line and headers are arriving
        _head_began = False  # ... and began in the read being handled
        _head_bytes = 0  # what arrived for them after that read
        _answer: tuple[Prepared, bool] | None = None  # the answer to send, HEAD or not

        def data_received(self, data: bytes) -> None:
            self._head_began = False
            super().data_received(data)
            if self._head_open and not self._head_began:  # all of it went to this head
                self._head_bytes += len(data)
                if self._head_bytes > MAX_HEAD_BYTES:
                    self._refuse()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._head_open, self._head_began, self._head_bytes = True, True, 0
            self._answer = None

        def on_headers_complete(self) -> None:
            self._head_open = False
            state = getattr(self.config.app, "server", None)
            parser = self.parser
            if (  # self.cycle is the latest request before this one, queued or running
                isinstance(state, ServerState)
                and (self.cycle is None or self.cycle.response_complete)
                and not self.flow.write_paused
                and parser.get_http_version() == "1.1"
                and parser.should_keep_alive()
                and not parser.should_upgrade()
            ):
                method = parser.get_method()
                if method == b"GET" or method == b"HEAD":
                    state.refresh()
                    file = state.exact.get(self.url)
                    if file is not None:
                        answers = file.answers(max_age(state.settings))
                        self._answer = answers.choose(*_conditions(self.headers)), method == b"HEAD"
                        return
            super().on_headers_complete()

        def on_body(self, body: bytes) -> None:
            if self._answer is None:
                super().on_body(body)  # a body sent with a GET we answer is ignored

        def on_message_complete(self) -> None:
            if self._answer is None:
                super().on_message_complete()
                return
            answer, head_only = self._answer
            self._answer = None
            if not self.transport.is_closing():
                self._send(answer, head_only)
                self.on_response_complete()

        def _send(self, answer: Prepared, head_only: bool) -> None:
            """Head and body in one write (a writev on uvloop): no copy of the body."""
            head = answer.head(self.server_state.default_headers)
            if head_only or not answer.body:
                self.transport.write(head)
            else:
                self.transport.writelines([head, answer.body])

        def _refuse(self) -> None:
            self._head_open = False
            if self.transport.is_closing():
                return
            message = b"request line and headers too large\n"
            head = [b"HTTP/1.1 431 Request Header Fields Too Large\r\n"]
            for name, value in self.server_state.default_headers:
                head.append(name + b": " + value + b"\r\n")
            head += [
                b"content-type: text/plain; charset=utf-8\r\n",
                b"content-length: %d\r\n" % len(message),
                b"connection: close\r\n\r\n",
            ]
            self.transport.write(b"".join(head) + message)
            self.transport.close()


def uvicorn_config(app: Starlette, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        loop=LOOP,
        http=FeedProtocol if HTTP == "httptools" else "h11",
        log_level="warning",
        access_log=False,
        server_header=False,
        h11_max_incomplete_event_size=MAX_HEAD_BYTES,  # request line and headers (h11)
        timeout_keep_alive=15,
        timeout_graceful_shutdown=2,
        limit_concurrency=512,
    )


def listen(host: str, port: int) -> socket.socket:
    """The server's listening socket, bound before anything starts, so a port that is
    taken is one clear error (``ServeError``) instead of uvicorn's exit after start-up."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        where = f"{host}:{port}"
        if e.errno == errno.EADDRINUSE:
            why = (
                f"port {port} is already in use on {host} (another `aggregator serve` or "
                "`run`?): stop that process, or choose another --port"
            )
        elif e.errno == errno.EACCES:
            why = f"permission denied: ports below 1024 need root; choose --port {port + 8000}"
        elif e.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
            why = f"{host} is not an address of this machine: choose another --host"
        else:
            why = f"{e.strerror or e}: check --host and --port"
        raise ServeError(f"cannot listen on {where}: {why}") from e
    except (OverflowError, socket.gaierror) as e:
        sock.close()
        raise ServeError(f"cannot listen on {host}:{port}: {e}: check --host and --port") from e
    return sock


def serve(settings: Settings, *, host: str, port: int) -> int:
    """`aggregator serve`: the server alone over what another process stores."""
    with listen(host, port) as sock:
        store = Store(settings.storage.path)
        # uvicorn re-raises the signal that stopped it once it has shut down; with
        # Python's default handler that would kill us with -15 instead of exiting 0.
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: None)
        try:
            app = create_app(settings, store)
            log.info("serving %s on http://%s:%d/", settings.storage.path, host, port)
            uvicorn.Server(uvicorn_config(app, host, port)).run(sockets=[sock])
        finally:
            store.close()
    return 0
