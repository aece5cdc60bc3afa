"""The words of an HTML fragment: what rules, search, story matching and excerpts read.

One conversion for all of them, so that a rule, a search and an excerpt see the same
text, and block elements (paragraphs, line breaks, list items, table cells) always part
words: "<p>2024.</p><p>التفاصيل</p>" is "2024. التفاصيل", never "2024.التفاصيل".

Titles are not made here: parse strips markup from titles with the sanitizer, because a
title must never carry markup, even markup that decoding an entity uncovers.
"""

from __future__ import annotations

import functools
import html
import re
from html.parser import HTMLParser

__all__ = ["html_to_text"]


class _TextExtractor(HTMLParser):
    _SKIP = frozenset({"script", "style", "template", "noscript", "svg", "math", "head"})
    _BREAKS = frozenset(
        {"p", "br", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
         "blockquote", "pre", "hr", "figure", "figcaption", "dl", "dt", "dd", "table",
         "caption", "ul", "ol", "section", "article", "aside", "header", "footer"}
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BREAKS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self._BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


_TAG_RE = re.compile(r"<[^>]*>")
# A tag of the markup our sanitizer writes: quoted attribute values may hold ">".
_CLEAN_TAG_RE = re.compile(r"""<(/?)([a-zA-Z][^\t\n\r\f />\x00]*)(?:[^>"']|"[^"]*"|'[^']*')*>""")
# What the regex below does not read the way HTMLParser does: comments, declarations,
# processing instructions, a stray "<", an ampersand that is not a whole entity.
_SUSPECT_RE = re.compile(r"<(?![a-zA-Z/])|</(?![a-zA-Z])|&(?!#?[a-zA-Z0-9]+;)")


def _tag_to_text(match: re.Match[str]) -> str:
    return " " if match.group(2).lower() in _TextExtractor._BREAKS else ""


def _regex_text(fragment: str) -> str | None:
    """The text of plain markup (what the sanitizer writes) without HTMLParser, or None
    when the fragment holds anything the parser might read differently."""
    if _SUSPECT_RE.search(fragment):
        return None
    lowered = fragment.lower()
    if any(f"<{tag}" in lowered for tag in _TextExtractor._SKIP):
        return None
    text = _CLEAN_TAG_RE.sub(_tag_to_text, fragment)
    return None if "<" in text else html.unescape(text)


@functools.lru_cache(maxsize=256)
def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment, single-spaced, with a space wherever a block ends.

    Cached: rules, search and story signatures each want the text of the same fields
    moments apart. Sanitized markup is read with a regex (a tenth of HTMLParser's cost,
    the same words); anything unusual goes through the parser."""
    if not fragment:
        return ""
    if "<" not in fragment and "&" not in fragment:
        return " ".join(fragment.split())
    quick = _regex_text(fragment)
    if quick is not None:
        return " ".join(quick.split())
    extractor = _TextExtractor()
    try:
        extractor.feed(fragment)
        extractor.close()
        text = "".join(extractor.parts)
    except Exception:  # HTMLParser is lenient, but text matters more than fidelity here
        text = html.unescape(_TAG_RE.sub(" ", fragment))
    return " ".join(text.split())
