"""Fetch sources over HTTP (httpx) or from the local filesystem, politely and within limits.

One ``Fetcher`` serves one poll run: it owns a single ``httpx.AsyncClient`` so connections
are reused across sources, and it bounds how hard we hit the world (``poll.concurrency``
fetches at once overall, ``poll.per_host`` at once against one host).

Every fetch is bounded three ways, because a feed server is untrusted input:

- time: ``poll.timeout`` is a deadline for the whole fetch (connect, every read, every
  redirect), so a server that drips a byte a second cannot hold a slot forever;
- size: ``poll.max_bytes`` caps the *decoded* body, so a small gzip bomb cannot fill memory;
- redirects: followed by hand so each hop is counted and vetted (http/https only; a
  redirect never reaches a ``file:`` URL).

httpx exceptions never leave this module: they become ``FetchError`` with a short reason an
operator can act on, the cause chained.
"""

from __future__ import annotations

import asyncio
import email.utils
import errno
import os
import socket
import ssl
import time
import zlib
from collections.abc import Coroutine, Iterator, Sequence
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import httpx

from aggregator import USER_AGENT
from aggregator.errors import FetchError
from aggregator.models import Fetched, PollSettings, Validators

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECT_STATUSES = frozenset({301, 308})
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml, text/xml, */*;q=0.1"
)
# What _BodyDecoder inflates (by hand, within the size cap); we ask for nothing else.
ACCEPT_ENCODING = "gzip, deflate"
# The file extensions whose type the parser cannot sniff on its own as cheaply.
_FILE_TYPES = {".json": "application/feed+json"}


def new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop's event loop when it is installed (it is a dependency, for the server), else
    asyncio's: a poll of 1,000 sources is mostly per-request overhead in the loop and the
    HTTP client; uvloop takes a few percent off a warm one."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


class Fetcher:
    """Fetches sources for one poll run; use as ``async with Fetcher(poll) as f``."""

    def __init__(self, poll: PollSettings, *, user_agent: str = USER_AGENT) -> None:
        self._poll = poll
        self._user_agent = user_agent
        self._all = asyncio.Semaphore(max(1, poll.concurrency))
        self._per_host: dict[str, asyncio.Semaphore] = {}
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> Fetcher:
        self._client = httpx.AsyncClient(
            follow_redirects=False,
            # Per-operation limits as a backstop; the real deadline is per fetch (below).
            timeout=httpx.Timeout(self._poll.timeout),
            limits=httpx.Limits(
                max_connections=max(1, self._poll.concurrency),
                max_keepalive_connections=max(1, self._poll.concurrency),
            ),
            headers={
                "User-Agent": self._user_agent,
                "Accept": ACCEPT,
                "Accept-Encoding": ACCEPT_ENCODING,
            },
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def fetch(self, url: str, validators: Validators = Validators()) -> Fetched:  # noqa: B008
        """Fetch ``url`` (http, https, file: or an absolute path) or raise ``FetchError``.

        Waiting for a free slot comes first and is not part of the deadline: a source
        queued behind slow neighbours has not timed out.
        """
        kind = _url_kind(url)
        if kind == "file":
            async with self._all:
                return await self._deadline(self._fetch_file(url, validators))
        host = (urlsplit(url).hostname or "").lower()
        # Per-host first, so fetches queued for a busy host do not sit on global slots
        # that other hosts could use.
        async with self._host_slot(host), self._all:
            return await self._deadline(self._fetch_http(url, validators))

    async def ping_hub(self, hub: str, topics: Sequence[str]) -> list[str]:
        """Tell a WebSub hub that ``topics`` (feed URLs) changed; returns what failed.

        One POST per topic (``hub.mode=publish``), as hubs expect. A failed ping is only
        logged by the caller: subscribers still get the change on their next poll.
        """
        if self._client is None:
            raise FetchError("ping_hub called outside `async with Fetcher(...)`")
        failures = []
        for topic in topics:
            try:
                async with asyncio.timeout(self._poll.timeout):
                    response = await self._client.post(
                        hub, data={"hub.mode": "publish", "hub.url": topic}
                    )
                if response.status_code >= 300:
                    failures.append(f"{topic}: hub answered HTTP {response.status_code}")
            except (httpx.HTTPError, TimeoutError) as e:
                failures.append(f"{topic}: {type(e).__name__}: {e}")
        return failures

    # --- internals -------------------------------------------------------------------

    def _host_slot(self, host: str) -> asyncio.Semaphore:
        slot = self._per_host.get(host)
        if slot is None:
            slot = self._per_host[host] = asyncio.Semaphore(max(1, self._poll.per_host))
        return slot

    async def _deadline(self, work: Coroutine[object, object, Fetched]) -> Fetched:
        timeout = self._poll.timeout
        try:
            async with asyncio.timeout(timeout):
                return await work
        except TimeoutError as e:
            raise FetchError(f"timed out after {timeout:g} s") from e

    async def _fetch_http(self, url: str, validators: Validators) -> Fetched:
        if self._client is None:
            raise RuntimeError("Fetcher used outside 'async with'")
        started = time.monotonic()
        conditional: dict[str, str] = {}
        if validators.etag:
            conditional["If-None-Match"] = validators.etag
        if validators.last_modified:
            conditional["If-Modified-Since"] = validators.last_modified

        current = url
        permanent: bool | None = None  # decided by the first hop only
        for hop in range(MAX_REDIRECTS + 1):
            try:
                request = self._client.build_request("GET", current, headers=conditional)
                response = await self._client.send(request, stream=True)
            except httpx.HTTPError as e:
                raise _map_httpx_error(e, current, self._poll.timeout) from e
            except httpx.InvalidURL as e:
                # Not an HTTPError: raised by build_request, or by send while it prepares
                # the next hop of a redirect (Location: javascript:..., even unfollowed).
                raise FetchError(f"invalid URL or redirect target from {current}: {e}") from e
            try:
                status = response.status_code
                if status in REDIRECT_STATUSES:
                    if hop == 0:
                        permanent = status in PERMANENT_REDIRECT_STATUSES
                    if hop == MAX_REDIRECTS:
                        raise FetchError(
                            f"too many redirects (more than {MAX_REDIRECTS})", status=status
                        )
                    current = _redirect_target(response, current)
                    continue
                permanent_redirect = current if permanent else None
                if status == 304:
                    return Fetched(
                        url=url,
                        final_url=current,
                        status=304,
                        headers=_headers(response),
                        body=None,
                        validators=Validators(
                            etag=response.headers.get("etag") or validators.etag,
                            last_modified=response.headers.get("last-modified")
                            or validators.last_modified,
                        ),
                        permanent_redirect=permanent_redirect,
                        elapsed=time.monotonic() - started,
                    )
                if not 200 <= status < 300:
                    raise _status_error(response)
                body = await self._read_capped(response, current)
                return Fetched(
                    url=url,
                    final_url=current,
                    status=status,
                    headers=_headers(response),
                    body=body,
                    validators=Validators(
                        etag=response.headers.get("etag"),
                        last_modified=response.headers.get("last-modified"),
                    ),
                    permanent_redirect=permanent_redirect,
                    elapsed=time.monotonic() - started,
                )
            finally:
                await response.aclose()
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    async def _read_capped(self, response: httpx.Response, url: str) -> bytes:
        """Read and decode the body, stopping as soon as it passes the cap.

        The cap counts decoded bytes, so a compressed body that inflates past it fails
        like a plain one; a declared Content-Length over the cap fails without reading.
        We inflate by hand, never more than the room left under the cap per step:
        httpx would inflate each network chunk whole (a 64 KB chunk of a gzip bomb is
        ~64 MB) before we could count it.
        """
        cap = self._poll.max_bytes
        too_big = f"body larger than {_size(cap)} cap"
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise FetchError(f"{too_big} (Content-Length {_size(int(declared))})")
        decoder = _BodyDecoder(response.headers.get("content-encoding", ""))
        chunks: list[bytes] = []
        total = 0
        try:
            async for raw in response.aiter_raw():
                for piece in decoder.feed(raw, cap - total + 1):
                    total += len(piece)
                    if total > cap:
                        raise FetchError(too_big)
                    chunks.append(piece)
            for piece in decoder.finish(cap - total + 1):
                total += len(piece)
                if total > cap:
                    raise FetchError(too_big)
                chunks.append(piece)
        except httpx.HTTPError as e:
            raise _map_httpx_error(e, url, self._poll.timeout) from e
        return b"".join(chunks)

    async def _fetch_file(self, url: str, validators: Validators) -> Fetched:
        started = time.monotonic()
        path = _file_path(url)
        cap = self._poll.max_bytes
        try:
            body, mtime = await asyncio.to_thread(_read_file, path, cap)
        except FileNotFoundError as e:
            raise FetchError(f"file not found: {path}") from e
        except IsADirectoryError as e:
            raise FetchError(f"not a file: {path}") from e
        except PermissionError as e:
            raise FetchError(f"permission denied reading {path}") from e
        except OSError as e:
            raise FetchError(f"cannot read {path}: {e.strerror or e}") from e
        last_modified = email.utils.formatdate(mtime, usegmt=True)
        kept = Validators(last_modified=last_modified)
        headers: dict[str, str] = {"last-modified": last_modified}
        content_type = _FILE_TYPES.get(path.suffix.lower())
        if content_type:
            headers["content-type"] = content_type
        # Exact match, not "not newer than": a file restored with an older mtime changed too.
        unchanged = validators.last_modified == last_modified
        if body is None and not unchanged:
            raise FetchError(f"body larger than {_size(cap)} cap")
        return Fetched(
            url=url,
            final_url=url,
            status=304 if unchanged else 200,
            headers=headers,
            body=None if unchanged else body,
            validators=kept,
            elapsed=time.monotonic() - started,
        )


class _BodyDecoder:
    """Undo a gzip or deflate Content-Encoding with bounded output per step.

    ``feed(data, room)`` yields decoded pieces totalling at most ``room`` bytes per call
    of zlib, whatever the compression ratio: ``max_length`` keeps the rest of the input
    in ``unconsumed_tail`` for the next step, so the caller sees the cap crossed after
    at most one byte too many. Several gzip members in a row (legal) are decoded one
    after another; anything else after the end of the stream is ignored, as browsers do.
    """

    def __init__(self, content_encoding: str) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        self._coding = codings[0] if len(codings) == 1 else ",".join(codings)
        if self._coding not in ("", "gzip", "x-gzip", "deflate"):
            raise FetchError(f"unsupported Content-Encoding {content_encoding!r}")
        self._inflater: zlib._Decompress | None = None
        self._done = False  # the stream ended; ignore whatever follows

    def _new_inflater(self, first: bytes) -> zlib._Decompress:
        if self._coding == "deflate":
            # "deflate" should be zlib-wrapped, but many servers send raw deflate.
            zlib_header = len(first) >= 2 and (first[0] << 8 | first[1]) % 31 == 0
            zlib_header = zlib_header and first[0] & 0x0F == 8
            return zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)
        return zlib.decompressobj(zlib.MAX_WBITS | 32)  # a gzip or zlib header, detected

    def feed(self, data: bytes, room: int) -> Iterator[bytes]:
        if not self._coding:
            if data:
                yield data
            return
        try:
            while data and not self._done:
                if self._inflater is None:
                    self._inflater = self._new_inflater(data)
                out = self._inflater.decompress(data, max(1, room))  # 0 would mean no limit
                room -= len(out)
                if out:
                    yield out
                if not self._inflater.eof:
                    data = self._inflater.unconsumed_tail
                    continue
                data = self._inflater.unused_data
                if self._coding != "deflate" and data[:2] == b"\x1f\x8b":
                    self._inflater = None  # another gzip member
                else:
                    self._done = True
        except zlib.error as e:
            raise FetchError(f"could not decode the {self._coding} body: {e}") from e

    def finish(self, room: int) -> Iterator[bytes]:
        if self._inflater is None or self._done:
            return
        try:
            out = self._inflater.flush(max(1, room))
        except zlib.error as e:
            raise FetchError(f"could not decode the {self._coding} body: {e}") from e
        if out:
            yield out
        if not self._inflater.eof:
            raise FetchError(f"the {self._coding} body ended early (truncated)")


# --- helpers -------------------------------------------------------------------------


def _url_kind(url: str) -> str:
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("http", "https"):
        return "http"
    if scheme == "file" or (not scheme and Path(url).is_absolute()):
        return "file"
    if len(scheme) == 1 and Path(url).is_absolute():  # a Windows drive letter, "C:\..."
        return "file"
    raise FetchError(f"unsupported URL (not http, https, file: or an absolute path): {url}")


def _file_path(url: str) -> Path:
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        return Path(url)
    if parts.netloc not in ("", "localhost"):
        raise FetchError(f"file URL names another host ({parts.netloc}): {url}")
    return Path(url2pathname(unquote(parts.path)))


def _read_file(path: Path, cap: int) -> tuple[bytes | None, float]:
    """Read at most ``cap`` bytes; None for the body means the file is over the cap."""
    with path.open("rb") as f:
        mtime = os.fstat(f.fileno()).st_mtime  # of the file we read, even if replaced since
        data = f.read(cap + 1)
    return (None if len(data) > cap else data), mtime


def _redirect_target(response: httpx.Response, current: str) -> str:
    location = response.headers.get("location")
    if not location:
        raise FetchError(
            f"HTTP {response.status_code} redirect without a Location header",
            status=response.status_code,
        )
    location = location.strip()
    try:
        target = httpx.URL(current).join(location)
    except httpx.InvalidURL as e:
        raise FetchError(f"redirect to an invalid URL {location!r}") from e
    if target.scheme not in ("http", "https"):
        # Quote the Location as sent: httpx would show file:///x as file:/x.
        raise FetchError(f"redirect to non-HTTP URL {location}", status=response.status_code)
    return str(target)


def _status_error(response: httpx.Response) -> FetchError:
    status = response.status_code
    reason = _reason(status, response.reason_phrase)
    if status == 410:
        return FetchError(
            f"HTTP 410 {reason}: the feed was removed; "
            "remove the source or point it at the feed's new URL",
            status=410,
        )
    if status in (429, 503):
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        message = f"HTTP {status} {reason}"
        if retry_after is not None:
            message += f" (retry after {retry_after:.0f} s)"
        return FetchError(message, status=status, retry_after=retry_after)
    return FetchError(f"HTTP {status} {reason}", status=status)


def _reason(status: int, phrase: str) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return phrase or "error"


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delta seconds or an HTTP date), >= 0."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" parses naive; HTTP dates are GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _headers(response: httpx.Response) -> dict[str, str]:
    return {name.lower(): value for name, value in response.headers.items()}


def _size(n: int) -> str:
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= factor:
            return f"{n // factor} {unit}" if n % factor == 0 else f"{n / factor:.1f} {unit}"
    return f"{n} bytes"


def _map_httpx_error(e: httpx.HTTPError, url: str, timeout: float) -> FetchError:
    """One short, actionable reason per failure, instead of httpx's internals."""
    host = urlsplit(url).hostname or url
    if isinstance(e, httpx.TimeoutException):
        return FetchError(f"timed out after {timeout:g} s")
    if isinstance(e, httpx.ConnectError):
        cause = _root_os_error(e)
        if isinstance(cause, socket.gaierror):
            return FetchError(f"DNS lookup failed for {host}")
        if isinstance(cause, ssl.SSLCertVerificationError):
            return FetchError(f"TLS certificate verification failed for {host}: {cause.reason}")
        if isinstance(cause, ssl.SSLError):
            return FetchError(f"TLS handshake with {host} failed: {cause.reason or cause}")
        if isinstance(cause, ConnectionRefusedError) or (
            isinstance(cause, OSError) and cause.errno == errno.ECONNREFUSED
        ):
            return FetchError(f"connection refused by {host}")
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return FetchError(f"network unreachable for {host}")
        return FetchError(f"could not connect to {host}: {e}")
    if isinstance(e, httpx.DecodingError):
        return FetchError(f"could not decode the compressed body: {e}")
    if isinstance(e, httpx.RemoteProtocolError):
        return FetchError(f"{host} broke the HTTP protocol: {e}")
    if isinstance(e, httpx.ReadError | httpx.WriteError):
        return FetchError(f"connection to {host} failed: {e or type(e).__name__}")
    if isinstance(e, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return FetchError(f"invalid URL {url}: {e}")
    return FetchError(f"{type(e).__name__}: {e}")


def _root_os_error(e: BaseException) -> BaseException | None:
    """The innermost OS-level error under httpx/httpcore/anyio wrappers, if any."""
    seen: set[int] = set()
    todo: list[BaseException] = [e]
    found: BaseException | None = None
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, OSError):
            found = current
            if isinstance(current, socket.gaierror | ssl.SSLError | ConnectionRefusedError):
                return current
        if isinstance(current, BaseExceptionGroup):
            todo.extend(current.exceptions)
        for nxt in (current.__cause__, current.__context__):
            if nxt is not None:
                todo.append(nxt)
    return found
