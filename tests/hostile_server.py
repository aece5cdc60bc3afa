"""A real HTTP server on 127.0.0.1 that plays every hostile feed host at once.

Each path is one case (a gzip bomb, a server that never answers, an entity bomb, a feed
of 10,000 items...). The tests and ``bench/hostile_report.py`` both use it, so the table
in the report and the assertions in the tests are about the same bytes.
"""

from __future__ import annotations

import contextlib
import threading
import time
import zlib
from collections.abc import Callable
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = "TOP-SECRET-6f1d7c2e"  # written into a local file an XXE would try to read


def rss(items: str, *, prolog: str = '<?xml version="1.0" encoding="utf-8"?>\n') -> bytes:
    return (
        f'{prolog}<rss version="2.0"><channel><title>t</title><link>https://x.example/</link>'
        f"<description>d</description>{items}</channel></rss>"
    ).encode()


def item(n: int | str, title: str | None = None, extra: str = "", *, case: str = "") -> str:
    """One RSS item; ``case`` keeps links apart, so cases do not join each other's items."""
    return (
        f"<item><title>{title if title is not None else f'item {n}'}</title>"
        f"<guid>g{n}</guid><link>https://x.example/{case}{n}</link>{extra}</item>"
    )


GOOD = rss("".join(item(i) for i in range(3)))


@cache
def gzip_bomb(mib: int) -> bytes:
    """``mib`` MiB of zeros, gzipped (about 1 KB per MiB)."""
    co = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = b"\0" * (1 << 20)
    return b"".join(co.compress(zeros) for _ in range(mib)) + co.flush()


def billion_laughs() -> bytes:
    ents = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [{ents}]><rss version="2.0"><channel><title>t'
        "</title><item><title>&l9;</title><guid>a</guid><description>&l9;</description>"
        "</item></channel></rss>"
    ).encode()


def quadratic_blowup() -> bytes:
    big = "A" * 50_000
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "{big}">\n]>\n<rss version="2.0">'
        "<channel><title>t</title><item><guid>a</guid><title>"
        + "&a;" * 20_000
        + "</title></item></channel></rss>"
    ).encode()


def xxe(target: str, *, parameter: bool = False) -> bytes:
    if parameter:
        doctype = f'<!DOCTYPE rss [<!ENTITY % p SYSTEM "{target}"> %p;]>'
    else:
        doctype = f'<!DOCTYPE rss [<!ENTITY x SYSTEM "{target}">]>'
    return (
        (
            f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>t</title>'
            "<item><title>before &x; after</title><guid>xxe</guid><link>https://x.example/xxe</link>"
            "<description>&x;</description></item></channel></rss>"
        )
        .replace("&x;", "" if parameter else "&x;")
        .encode()
    )


def many_items(n: int = 10_000) -> bytes:
    return rss("".join(item(i, case="many/") for i in range(n)))


def huge_title() -> bytes:
    return rss(item("big", "كلمة " * 200_000, case="huge/") + item("small", case="huge/"))


def odd_dates() -> bytes:
    dates = {
        "future": "Fri, 31 Dec 9999 23:59:59 GMT",
        "epoch": "Thu, 01 Jan 1970 00:00:00 GMT",
        "y1900": "Mon, 01 Jan 1900 00:00:00 GMT",
        "y0001": "Mon, 01 Jan 0001 00:00:00 GMT",
        "zero": "0000-00-00 00:00:00",
        "ok": "Sat, 28 Nov 2026 10:00:00 GMT",
    }
    return rss(
        "".join(item(k, k, f"<pubDate>{v}</pubDate>", case="dates/") for k, v in dates.items())
    )


def bare_items() -> bytes:
    return rss(
        "<item></item><item><description>only a bare description</description></item>"
        "<item><title></title><link></link><guid></guid></item>"
    )


def duplicate_guids() -> bytes:
    return rss(
        item(1, "first", case="dup/")
        + item(1, "second", case="dup/")
        + item(2, "third", case="dup/")
        + item(2, "fourth", case="dup2/")
    )


def control_chars() -> bytes:
    title = "bell\x07 and\x00nul and \x1b[31mescape \x85\x9f"
    return rss(item(1, title, "<description>a\x0bb\x0cc</description>", case="ctl/"))


def not_feeds() -> dict[str, tuple[bytes, str]]:
    return {
        "/page.html": (b"<!doctype html><html><body><p>hello</p></body></html>", "text/html"),
        "/empty": (b"", "application/rss+xml"),
        "/binary": (bytes(range(256)) * 40, "application/octet-stream"),
        "/invalid-utf8": (
            rss(item(1, "caf\xe9", case="bad-utf8/")).replace(b"caf\xc3\xa9", b"caf\xe9\xff\xfe"),
            "",
        ),
    }


ARABIC = "إضراب عمال الموانئ"


def encodings() -> dict[str, tuple[bytes, str]]:
    """Arabic text in every way servers get the charset wrong; path -> (body, type)."""
    doc = rss(item(1, ARABIC, case="{case}/"), prolog="").decode()
    utf16 = '<?xml version="1.0" encoding="utf-16"?>' + doc
    cp1256 = '<?xml version="1.0" encoding="windows-1256"?>' + doc
    utf8 = '<?xml version="1.0" encoding="utf-8"?>' + doc
    cases = {
        "/utf16-bom": (utf16, "utf-16", "application/rss+xml"),
        "/utf16le-nobom": (utf16, "utf-16-le", "application/rss+xml"),
        # windows-1256 bytes, but the header says UTF-8 (and the prolog windows-1256)
        "/cp1256-as-utf8": (cp1256, "cp1256", "application/rss+xml; charset=utf-8"),
        # UTF-8 bytes, but the header says windows-1256
        "/utf8-as-cp1256": (utf8, "utf-8", "application/rss+xml; charset=windows-1256"),
        # windows-1256 bytes with no declaration at all
        "/cp1256-undeclared": (doc, "cp1256", "application/rss+xml"),
    }
    out = {
        path: (text.replace("{case}", path[1:]).encode(codec), ctype)
        for path, (text, codec, ctype) in cases.items()
    }
    # UTF-8, declared, but for three stray bytes inside one description (a CMS that cut a
    # letter in half): every title must still be read as UTF-8, not the whole feed as a
    # legacy code page.
    stray = rss(
        item(1, ARABIC, "<description>الميزان STRAY في المجلس</description>",
             case="utf8-stray-bytes/"),
    ).replace(b"STRAY", b"\xff\xfe\xd8")  # fmt: skip
    out["/utf8-stray-bytes"] = (stray, "application/rss+xml; charset=utf-8")
    return out


Handler = Callable[["_Host"], None]


class _Host(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self.server.log(self.path)
        route = self.server.routes.get(self.path.split("?")[0])
        if route is None and self.path.startswith("/hops/"):
            left = int(self.path.rsplit("/", 1)[1])
            route = (lambda h: h.send(200, GOOD)) if left == 0 else _redirect(f"/hops/{left - 1}")
        if route is None:
            self.send(404, b"not here", "text/plain")
            return
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, TimeoutError):
            route(self)

    def send(self, status: int, body: bytes, content_type: str = "", **headers: str) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    routes: dict[str, Handler]
    requests: list[str]
    lock: threading.Lock

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up on bombs and endless bodies is the expected outcome

    def log(self, path: str) -> None:
        with self.lock:
            self.requests.append(path)


def _static(body: bytes, content_type: str = "application/rss+xml", **headers: str) -> Handler:
    return lambda h: h.send(200, body, content_type, **headers)


def _redirect(location: str, status: int = 302) -> Handler:
    return lambda h: h.send(status, b"moved", "text/plain", Location=location)


def _chunked_forever(h: _Host) -> None:
    """No Content-Length, and no end: only the size cap stops it."""
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    chunk = b"<!-- " + b"x" * 65_000 + b" -->"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))


def _declares_too_much(h: _Host) -> None:
    h.send_response(200)
    h.send_header("Content-Length", str(1 << 30))
    h.end_headers()
    h.wfile.write(b"<rss")
    h.wfile.flush()
    time.sleep(5)


def _silent(h: _Host) -> None:
    """Accepts the request and never answers."""
    time.sleep(30)


def _drip(h: _Host) -> None:
    """Headers at once, then a byte a second: every read is quick, the fetch never ends."""
    h.send_response(200)
    h.send_header("Content-Length", str(len(GOOD)))
    h.end_headers()
    for byte in GOOD:
        h.wfile.write(bytes([byte]))
        h.wfile.flush()
        time.sleep(1)


class HostileServer:
    """``with HostileServer(secret_file) as s: s.url("/bomb")``; ``s.requests`` logs paths."""

    def __init__(self, secret_file: str = "/nonexistent", *, bomb_mib: int = 256) -> None:
        self.httpd = _Server(("127.0.0.1", 0), _Host)
        self.httpd.routes = {}
        self.httpd.requests = []
        self.httpd.lock = threading.Lock()
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.routes = self.httpd.routes
        self.routes.update(
            {
                "/good.rss": _static(GOOD),
                "/bomb.gz": _static(gzip_bomb(bomb_mib), Content_Encoding="gzip"),
                "/chunked-forever": _chunked_forever,
                "/declares-1gb": _declares_too_much,
                "/silent": _silent,
                "/drip": _drip,
                "/loop-a": _redirect("/loop-b"),
                "/loop-b": _redirect("/loop-a"),
                "/to-file": _redirect("file:///etc/passwd", 301),
                "/to-javascript": _redirect("javascript:alert(1)"),
                "/six-hops": _redirect("/hops/5"),
                "/billion-laughs": _static(billion_laughs()),
                "/quadratic": _static(quadratic_blowup()),
                "/xxe-file": _static(xxe(f"file://{secret_file}")),
                "/xxe-http": _static(xxe(self.url("/xxe-target"))),
                "/xxe-param": _static(xxe(self.url("/xxe-target"), parameter=True)),
                "/xxe-target": _static(SECRET.encode(), "text/plain"),
                "/many-items": _static(many_items()),
                "/huge-title": _static(huge_title()),
                "/odd-dates": _static(odd_dates()),
                "/bare-items": _static(bare_items()),
                "/dup-guids": _static(duplicate_guids()),
                "/control-chars": _static(control_chars()),
            }
        )
        for path, (body, ctype) in {**not_feeds(), **encodings()}.items():
            self.routes[path] = _static(body, ctype)

    @property
    def requests(self) -> list[str]:
        with self.httpd.lock:
            return list(self.httpd.requests)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> HostileServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
