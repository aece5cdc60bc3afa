"""The pages' search: a plain GET form (no script) when served, leading to a result page
(/search?q=…) that lists the items and offers the same search as feeds; nothing about
search in a static build, where no server would answer it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import feedparser
import httpx
import pytest
from feedserver import FeedServer
from test_index_page import ARTIFACTS, PHONE, Browser, browser  # noqa: F401
from test_pipeline import STRIKE, TEACHERS, serve_site, write_config
from test_server import serving

from aggregator.cli import main

DESKTOP = {"width": 1366, "height": 900, "deviceScaleFactor": 1, "mobile": False}


class Page(HTMLParser):
    def __init__(self, body: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._skip = 0
        self.feed(body)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._skip += tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag == "style"

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)

    def all(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.tags if tag == name]


def search_feeds(page: Page) -> list[str]:
    """The subscribe buttons of the search (the footer's are the whole site's)."""
    hrefs = [a.get("href") or "" for a in page.all("a") if "button" in (a.get("class") or "")]
    return [href for href in hrefs if href.startswith("search.")]


@pytest.fixture(scope="module", params=["ar", "en"])
def site(request, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, str]]:
    """The fixture site polled once and served, in Arabic and in English: (url, config,
    language)."""
    tmp_path = tmp_path_factory.mktemp(f"search-{request.param}")
    with FeedServer() as feeds:
        serve_site(feeds)
        config = write_config(tmp_path, feeds)
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("language: ar", f"language: {request.param}"), "utf-8")
        assert main(["poll", "--config", str(config)]) == 0
    with serving(config) as url:
        yield url, config, request.param


@pytest.mark.parametrize("path", ["/", "/c/labour", "/c/labour.html"])
def test_served_pages_have_a_search_form_without_script(site, path: str) -> None:
    url, _config, _language = site
    page = Page(httpx.get(url + path).text)
    [form] = page.all("form")
    assert form["method"] == "get" and form["role"] == "search"
    action = httpx.URL(url + path).join(form["action"] or "")
    assert action.path == "/search"
    assert [i["name"] for i in page.all("input")] == ["q"]
    assert not page.all("script")
    assert "search.{rss" not in "".join(page.text)


def test_the_result_page_lists_items_and_offers_the_searchs_feeds(site) -> None:
    url, _config, language = site
    r = httpx.get(url + "/search", params={"q": "اضراب"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = Page(r.text)
    titles = {a.get("href"): a for a in page.all("a") if "title" in (a.get("class") or "")}
    text = "".join(page.text)
    assert STRIKE in text and TEACHERS in text
    assert len(titles) == 2
    assert page.all("input")[0]["value"] == "اضراب"  # the form keeps the query
    assert page.all("html")[0]["lang"] == language
    feeds = search_feeds(page)
    alternates = [a["href"] for a in page.all("link") if a.get("rel") == "alternate"]
    assert sorted(feeds) == sorted(alternates) and len(feeds) == 3
    for href in feeds:
        assert parse_qs(urlsplit(href).query)["q"] == ["اضراب"]
        body = httpx.get(f"{url}/{href}").content
        if href.startswith("search.json"):
            assert {i["title"] for i in json.loads(body)["items"]} == {STRIKE, TEACHERS}
        else:
            assert {e.title for e in feedparser.parse(body).entries} == {STRIKE, TEACHERS}


def test_the_result_page_with_a_category_and_without_results(site) -> None:
    url, _config, _language = site
    page = Page(httpx.get(url + "/search", params={"q": "اضراب", "category": "women"}).text)
    assert STRIKE in "".join(page.text) and TEACHERS not in "".join(page.text)
    feeds = search_feeds(page)
    assert len(feeds) == 3 and all("category=women" in href for href in feeds)
    nothing = httpx.get(url + "/search", params={"q": "zzzz"})
    assert nothing.status_code == 200 and not Page(nothing.text).all("li")


def test_the_search_page_without_words_or_with_a_bad_query(site) -> None:
    url, _config, _language = site
    empty = httpx.get(url + "/search")
    assert empty.status_code == 200 and Page(empty.text).all("form")
    for params in ({"q": "..."}, {"q": "اضراب", "category": "sport"}, {"q": "x" * 300}):
        r = httpx.get(url + "/search", params=params)
        assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
        page = Page(r.text)
        assert page.all("form") and any(p.get("role") == "alert" for p in page.all("p"))


def test_a_static_build_has_no_search_at_all(site, tmp_path: Path) -> None:
    _url, config, _language = site
    out = tmp_path / "public"
    assert main(["build", "--config", str(config), "--out", str(out)]) == 0
    for path in ("index.html", "c/labour.html"):
        page = Page((out / path).read_text(encoding="utf-8"))
        assert not page.all("form") and not page.all("input")
        text = "".join(page.text).lower()
        assert "search" not in text and "بحث" not in text, path
        hrefs = [a.get("href") or "" for a in page.all("a")]
        assert not any("search" in h for h in hrefs)


LAYOUT = """(() => {
  const r = (el) => el ? el.getBoundingClientRect().toJSON() : null;
  const form = document.querySelector('form.search');
  return {
    viewport: document.documentElement.clientWidth,
    scrollWidth: document.documentElement.scrollWidth,
    direction: getComputedStyle(document.body).direction,
    form: r(form), input: r(form && form.querySelector('input')),
    button: r(form && form.querySelector('button')),
    headlines: document.querySelectorAll('ol.headlines li').length,
    scripts: document.scripts.length,
    location: location.pathname + location.search,
  };
})()"""


def test_searching_from_the_page_in_chromium(browser: Browser, site) -> None:  # noqa: F811
    url, _config, language = site
    direction = "rtl" if language == "ar" else "ltr"
    for screen, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
        browser.load(url + "/", screen)
        before = browser.evaluate(LAYOUT)
        assert before["direction"] == direction and before["scripts"] == 0
        assert before["scrollWidth"] <= before["viewport"]
        assert before["input"]["height"] >= 30 and before["button"]["height"] >= 30
        assert before["input"]["width"] >= 150
        browser.screenshot(ARTIFACTS / f"search-form-{language}-{label}.png")
        # What a reader does: types words and presses the button (the page has no script;
        # the test's own evaluate stands in for the keyboard).
        browser.events.clear()
        browser.evaluate(
            "document.querySelector('form.search input').value = 'اضراب';"
            "document.querySelector('form.search button').click()"
        )
        browser.wait_for("Page.loadEventFired")
        after = browser.evaluate(LAYOUT)
        assert after["location"].startswith("/search?q=")
        assert after["headlines"] == 2
        assert after["scrollWidth"] <= after["viewport"]
        assert browser.console_errors() == []
        browser.screenshot(ARTIFACTS / f"search-results-{language}-{label}.png")
