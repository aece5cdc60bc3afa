"""Reading a 150 KB news list page: lxml with cssselect against selectolax (lexbor).

    .venv/bin/pip install selectolax   # only for this comparison; not a dependency
    .venv/bin/python bench/bench_scrape.py

The page is tests/data/pages/news-list.html with its entries repeated to ~150 KB. Each
round parses the page, selects every entry and, in each, the title, link, date, summary
(as HTML) and image: what `aggregator.scrape` does per poll. Prints milliseconds a page
(best of 5 runs) and each module's import time in a fresh interpreter.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

PAGE = Path(__file__).resolve().parents[1] / "tests" / "data" / "pages" / "news-list.html"


def big_page() -> str:
    text = PAGE.read_text(encoding="utf-8")
    entries = re.findall(r"<article class=\"news-item\">.*?</article>", text, re.S)
    block = "\n".join(entries)
    copies = max(1, (150_000 - len(text.encode())) // len(block.encode()) + 1)
    return text.replace(entries[0], block * copies, 1)


def with_lxml(text: str) -> int:
    import lxml.html
    from lxml.cssselect import CSSSelector

    item, title, link = CSSSelector("article.news-item"), CSSSelector("h3"), CSSSelector("h3 a")
    date, summary, image = CSSSelector(".date"), CSSSelector(".summary"), CSSSelector("img")
    doc = lxml.html.document_fromstring(
        text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8")
    )
    n = 0
    for entry in item(doc):
        for select in (title, date):
            found = select(entry)
            n += len(found[0].text_content()) if found else 0
        found = link(entry)
        n += len(found[0].get("href") or "") if found else 0
        found = summary(entry)
        n += len(lxml.html.tostring(found[0], encoding="unicode")) if found else 0
        found = image(entry)
        n += len(found[0].get("data-src") or "") if found else 0
    return n


def with_selectolax(text: str) -> int:
    from selectolax.lexbor import LexborHTMLParser

    doc = LexborHTMLParser(text)
    n = 0
    for entry in doc.css("article.news-item"):
        for css in ("h3", ".date"):
            found = entry.css_first(css)
            n += len(found.text()) if found else 0
        found = entry.css_first("h3 a")
        n += len(found.attributes.get("href") or "") if found else 0
        found = entry.css_first(".summary")
        n += len(found.html or "") if found else 0
        found = entry.css_first("img")
        n += len(found.attributes.get("data-src") or "") if found else 0
    return n


def best(read, text: str, rounds: int = 20) -> float:
    times = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(rounds):
            read(text)
        times.append((time.perf_counter() - started) / rounds)
    return min(times)


def import_ms(statement: str) -> float:
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
            for _ in range(3)]  # fmt: skip
    return min(float(r.stdout) for r in runs) * 1000


def main() -> None:
    text = big_page()
    print(f"page: {len(text.encode()) / 1024:.0f} KB, {text.count('<article')} entries")
    print(f"lxml + cssselect: {best(with_lxml, text) * 1000:.2f} ms a page, import "
          f"{import_ms('import lxml.html, lxml.cssselect'):.0f} ms")  # fmt: skip
    try:
        import selectolax  # noqa: F401
    except ImportError:
        print("selectolax: not installed")
        return
    print(f"selectolax (lexbor): {best(with_selectolax, text) * 1000:.2f} ms a page, import "
          f"{import_ms('import selectolax.lexbor'):.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
