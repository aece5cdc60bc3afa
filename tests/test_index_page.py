"""The index page and a category page in a real browser (headless Chromium).

Driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: no port, no
websocket library), so the test sees what a reader sees: the computed direction, the
layout on a phone-sized screen, console errors, and the subscribe links as the browser
resolves them. Each page's screenshot is kept under test-artifacts/ (git-ignored).

Skipped, with the reason, only where no Chromium can be found (`.ci/run` installs it).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import httpx
import pytest

from aggregator.cli import main

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
DESKTOP = {"width": 1200, "height": 900, "deviceScaleFactor": 1, "mobile": False}


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """Just enough of the DevTools protocol: one page, commands, and the events seen."""

    def __init__(self, binary: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="chromium-profile-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire_fds() -> None:  # runs in the child: the protocol lives on fds 3 and 4
            # Lifted above 4 first, so moving one pipe cannot clobber the other.
            high_r = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.proc = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                f"--user-data-dir={self.profile}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            preexec_fn=wire_fds,
            # Kept open past preexec_fn (which moved the pipes onto them).
            pass_fds=(3, 4),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.send("Browser.close", session=False)
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            # Never a read that can block past the deadline: a hung browser fails the test.
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium exited")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def send(self, method: str, params: dict | None = None, *, session: bool = True) -> dict:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + 30
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 20) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events:
                if event["method"] == method:
                    self.events.remove(event)
                    return event
            reply = self._read_message(deadline)
            if "method" in reply:
                self.events.append(reply)

    def open_page(self) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)
        attached = self.send(
            "Target.attachToTarget",
            {"targetId": target["targetId"], "flatten": True},
            session=False,
        )
        self.session = attached["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")

    def load(self, url: str, screen: dict[str, Any]) -> None:
        self.send("Emulation.setDeviceMetricsOverride", screen)
        self.events.clear()
        self.send("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return result["result"].get("value")

    def screenshot(self, path: Path) -> None:
        shot = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))

    def console_errors(self) -> list[str]:
        errors = []
        for event in self.events:
            params = event.get("params", {})
            if event["method"] == "Runtime.exceptionThrown":
                errors.append(json.dumps(params.get("exceptionDetails", {}))[:300])
            elif event["method"] == "Runtime.consoleAPICalled" and params.get("type") == "error":
                errors.append(json.dumps(params.get("args", []))[:300])
            elif event["method"] == "Log.entryAdded":
                entry = params.get("entry", {})
                if entry.get("level") == "error":
                    errors.append(f"{entry.get('source')}: {entry.get('text')} {entry.get('url')}")
        return errors


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    binary = find_chromium()
    if binary is None:
        pytest.skip(
            "no Chromium found (looked for chromium, chromium-browser, google-chrome): "
            "install it with `apt-get install -y chromium` (.ci/run does) to run these tests"
        )
    b = Browser(binary)
    try:
        b.open_page()
        yield b
    finally:
        b.close()


# Measured in the page by the test (the page itself has no script).
LAYOUT = """(() => {
  const body = document.body, h1 = document.querySelector('h1');
  const headline = document.querySelector('ol.headlines li a.title');
  const r = (el) => el ? el.getBoundingClientRect().toJSON() : null;
  return {
    dir: document.documentElement.dir,
    lang: document.documentElement.lang,
    direction: getComputedStyle(body).direction,
    textAlign: getComputedStyle(h1).textAlign,
    h1: r(h1), headline: r(headline),
    viewport: document.documentElement.clientWidth,
    scrollWidth: document.documentElement.scrollWidth,
    scripts: document.scripts.length,
    resources: performance.getEntriesByType('resource').map(e => e.name),
    buttons: [...document.querySelectorAll('a.button')].map(a => a.href),
    alternates: [...document.querySelectorAll('link[rel=alternate]')].map(l => [l.type, l.href]),
    headlines: document.querySelectorAll('ol.headlines li').length,
    fontSize: parseFloat(getComputedStyle(headline || body).fontSize),
    tapHeight: Math.min(...[...document.querySelectorAll('a.button')]
      .map(a => a.getBoundingClientRect().height)),
  };
})()"""


def check_feed(url: str) -> int:
    """Fetch a subscribe link and read it as a feed; returns its number of items."""
    response = httpx.get(url)
    assert response.status_code == 200, url
    if url.endswith(".json"):
        data = json.loads(response.content)
        assert data["version"] == "https://jsonfeed.org/version/1.1", url
        return len(data["items"])
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, (url, parsed.get("bozo_exception"))
    assert parsed.version in ("rss20", "atom10"), url
    return len(parsed.entries)


@pytest.mark.parametrize(("path", "name"), [("/", "index"), ("/c/labour", "category-labour")])
def test_page_in_chromium_is_rtl_phone_friendly_and_every_feed_link_works(
    browser: Browser,
    served: str,  # noqa: F811
    path: str,
    name: str,
) -> None:
    browser.load(served + path, PHONE)
    page = browser.evaluate(LAYOUT)
    browser.screenshot(ARTIFACTS / f"{name}-phone.png")
    assert browser.console_errors() == []
    assert (page["dir"], page["lang"], page["direction"]) == ("rtl", "ar", "rtl")
    # Laid out right to left: the title and the first headline hug the right edge.
    viewport = page["viewport"]
    assert viewport - page["h1"]["right"] < 40, page["h1"]
    assert page["headline"] and viewport - page["headline"]["right"] < 60, page["headline"]
    # Usable on a phone: no sideways scrolling, readable text, buttons big enough to tap.
    assert page["scrollWidth"] <= viewport
    assert page["fontSize"] >= 16
    assert page["tapHeight"] >= 30
    # No script, nothing from elsewhere.
    assert page["scripts"] == 0
    origin = served.rstrip("/")
    assert all(r.startswith(origin) or r.startswith("data:") for r in page["resources"])
    # Every subscribe button and every advertised feed is a feed a reader can read.
    links = set(page["buttons"]) | {href for _type, href in page["alternates"]}
    assert len(page["buttons"]) >= 6
    assert all(href.startswith(origin) for href in links)
    counts = {href: check_feed(href) for href in sorted(links)}
    assert any(count > 0 for count in counts.values())
    assert page["headlines"] > 0

    browser.load(served + path, DESKTOP)
    browser.screenshot(ARTIFACTS / f"{name}-desktop.png")
    assert browser.console_errors() == []


def test_built_pages_link_to_each_other_as_static_files(
    browser: Browser,
    served: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    out = tmp_path / "public"
    assert main(["build", "--config", str(tmp_path / "feeds.yaml"), "--out", str(out)]) == 0
    browser.load((out / "index.html").as_uri(), PHONE)
    hrefs = browser.evaluate("[...document.querySelectorAll('nav a, a.more, a.button')]"
                             ".map(a => a.href)")  # fmt: skip
    assert browser.console_errors() == []
    local = [h for h in hrefs if h.startswith("file:")]
    assert local and all(Path(h.removeprefix("file://")).is_file() for h in local), local
    browser.load((out / "c" / "women.html").as_uri(), PHONE)
    assert browser.evaluate("getComputedStyle(document.body).direction") == "rtl"
    back = browser.evaluate("[...document.querySelectorAll('a.button')].map(a => a.href)")
    assert all(Path(h.removeprefix("file://")).is_file() for h in back), back


def test_category_pages_are_served_with_and_without_html(served: str) -> None:  # noqa: F811
    for path in ("/c/labour", "/c/labour.html"):
        r = httpx.get(served + path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert 'dir="rtl"' in r.text and 'aria-current="page"' in r.text
        assert "<script" not in r.text.lower()
    assert httpx.get(served + "/c/sport").status_code == 404
    assert httpx.get(served + "/c/").status_code == 404
