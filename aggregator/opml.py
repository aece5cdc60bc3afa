"""Read a feed reader's OPML export into ``feeds.yaml`` sources, asking nothing.

Feed readers agree on little beyond ``<outline xmlUrl=…>``: Feedly and Inoreader write one
level of folders with ``title`` and ``text``; NetNewsWire writes ``text`` only; Thunderbird
wraps everything in an account folder; newsboat's export and hand-written lists have no
folders at all; some omit ``type="rss"``. So the rules are:

- An outline with ``xmlUrl`` is a feed, at any depth; any other outline is a folder.
- A feed's category is its innermost folder that names an existing category (by slug, or
  by title once both are normalized like the rules normalize text: case, diacritics, alef
  and ya forms); if no enclosing folder does, its innermost folder becomes a new category.
  Feeds outside every folder go to ``default_category`` (the first configured one unless
  the caller says otherwise).
- A new category's slug is the folder's ``slug`` attribute when our own export wrote one
  (so a round trip keeps slugs), else derived from its title: ASCII letters and digits
  kept, Arabic letters transliterated, everything else a hyphen (``"Tech & Science"`` ->
  ``tech-science``, ``"ثقافة"`` -> ``thqafh``), made unique with ``-2``, ``-3``...
- A feed already in ``feeds.yaml`` (the same URL, or the same URL once canonicalized:
  http/https, ``www.``, tracking parameters) is left exactly as the operator wrote it; a
  feed listed in several folders becomes one source in several categories.
- A source's name is the outline's ``title``, else its ``text``, else the feed's host; a
  name already taken gets the host appended, then a number.
- ``interval`` (our export writes it) is kept when it is a valid duration.

Parsing uses the standard library's expat, which refuses entity expansion bombs.
"""

from __future__ import annotations

import os
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from aggregator.config import feed_key, load_settings, parse_duration
from aggregator.config_edit import NewCategory, NewSource, add_to_config
from aggregator.errors import AggregatorError
from aggregator.models import Settings
from aggregator.text import normalize_text

__all__ = ["Folder", "ImportPlan", "OpmlFeed", "import_opml", "plan_import", "read_opml", "slugify"]

_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_RESERVED = {"all"}
_MAX_SLUG = 40

# A plain, reversible-enough transliteration: slugs only need to be readable and stable.
# fmt: off
_ARABIC_LATIN = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ء": "", "ؤ": "w", "ئ": "y",
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "ع": "a", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ک": "k", "ل": "l", "م": "m",
    "ن": "n", "ه": "h", "ة": "h", "و": "w", "ي": "y", "ى": "a", "ی": "y", "پ": "p",
    "چ": "ch", "ژ": "zh", "گ": "g",
}
# fmt: on


@dataclass(frozen=True)
class Folder:
    title: str
    slug: str | None = None  # our own export's slug attribute
    description: str = ""


@dataclass(frozen=True)
class OpmlFeed:
    """One feed outline, with the folders around it (outermost first)."""

    url: str
    name: str
    folders: tuple[Folder, ...]  # outermost first
    interval: str | None = None


@dataclass
class ImportPlan:
    """What an import adds, and what it skipped and why (for the command's report)."""

    categories: list[NewCategory] = field(default_factory=list)
    sources: list[NewSource] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_opml(data: bytes, *, file: str = "OPML") -> list[OpmlFeed]:
    """Every feed outline in document order."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise AggregatorError(
            f"{file} is not readable OPML ({e}): export it again from the feed reader, "
            "or check that it is the .opml/.xml file and not a web page"
        ) from e
    if _local(root.tag) != "opml":
        raise AggregatorError(
            f"{file} is XML but not OPML (its root is <{_local(root.tag)}>): export the "
            "subscriptions from the feed reader as OPML"
        )
    body = next((child for child in root if _local(child.tag) == "body"), None)
    if body is None:
        raise AggregatorError(f"{file} has no <body>: it lists no subscriptions")
    return list(_walk(body, ()))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _attr(element: ET.Element, name: str) -> str:
    """An attribute by name, case-insensitively (``xmlurl`` appears in the wild)."""
    for key, value in element.attrib.items():
        if _local(key) == name.lower():
            return " ".join(value.split())
    return ""


def _walk(parent: ET.Element, folders: tuple[Folder, ...]) -> Iterator[OpmlFeed]:
    for outline in parent:
        if _local(outline.tag) != "outline":
            continue
        url = _attr(outline, "xmlUrl")
        title = _attr(outline, "title") or _attr(outline, "text")
        if url:
            interval = _attr(outline, "interval") or None
            yield OpmlFeed(url=url, name=title, folders=folders, interval=interval)
            # A feed outline with children (rare) still has its children read.
            yield from _walk(outline, folders)
        else:
            folder = Folder(title, _attr(outline, "slug") or None, _attr(outline, "description"))
            yield from _walk(outline, (*folders, folder) if title else folders)


def slugify(title: str) -> str:
    """A category slug for a folder title (see the module docstring)."""
    out: list[str] = []
    for char in unicodedata.normalize("NFKC", title).casefold():
        if char in _ARABIC_LATIN:
            out.append(_ARABIC_LATIN[char])
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        ascii_part = "".join(c for c in decomposed if c.isascii() and c.isalnum())
        out.append(ascii_part if ascii_part else "-")
    slug = re.sub(r"-+", "-", "".join(out)).strip("-_")[:_MAX_SLUG].strip("-_")
    return slug or "category"


def _same_title(a: str, b: str) -> bool:
    return bool(a) and normalize_text(a) == normalize_text(b)


def _config_url(url: str) -> str:
    """A ``file:`` URL as the plain path feeds.yaml keeps (our export writes file URLs)."""
    parts = urlsplit(url)
    if parts.scheme.lower() == "file" and parts.netloc in ("", "localhost"):
        return unquote(parts.path)
    return url


def plan_import(
    settings: Settings, feeds: list[OpmlFeed], *, default_category: str | None = None
) -> ImportPlan:
    """Decide what to add; pure, so the rules above are tested without files."""
    plan = ImportPlan()
    if default_category is not None and settings.category(default_category) is None:
        known = ", ".join(c.name for c in settings.categories)
        raise AggregatorError(
            f"--category {default_category!r} is not a category in {settings.path}: "
            f"use one of {known}, or add it under categories: first"
        )
    fallback = default_category or (settings.categories[0].name if settings.categories else None)
    slugs = {c.name for c in settings.categories}
    folder_slug: dict[str, str] = {}  # normalized folder title -> slug (existing or new)

    def category_for(folders: tuple[Folder, ...]) -> str | None:
        for folder in reversed(folders):
            for category in settings.categories:
                if folder.slug == category.name or folder.title.casefold() == category.name:
                    return category.name
                if _same_title(folder.title, category.title):
                    return category.name
        if not folders:
            return fallback
        folder = folders[-1]
        title = folder.title
        if normalize_text(title) in folder_slug:
            return folder_slug[normalize_text(title)]
        slug = folder.slug if folder.slug and _SLUG_RE.match(folder.slug) else slugify(title)
        base, n = slug, 2
        while slug in slugs or slug in _RESERVED:
            slug = f"{base}-{n}"
            n += 1
        slugs.add(slug)
        folder_slug[normalize_text(title)] = slug
        plan.categories.append(NewCategory(slug=slug, title=title, description=folder.description))
        return slug

    existing = {feed_key(s.url): s.name for s in settings.sources}
    names = {s.name for s in settings.sources}
    added: dict[str, int] = {}  # url key -> index in plan.sources
    for feed in feeds:
        feed = replace(feed, url=_config_url(feed.url))
        key = feed_key(feed.url)
        if key in existing:
            plan.skipped.append(f"{feed.url}: already in feeds.yaml as {existing[key]!r}")
            continue
        problem = _url_problem(feed.url)
        if problem:
            plan.skipped.append(f"{feed.url}: {problem}")
            continue
        category = category_for(feed.folders)
        if category is None:
            plan.skipped.append(f"{feed.url}: no category to put it in (feeds.yaml has none)")
            continue
        if key in added:
            index = added[key]
            source = plan.sources[index]
            if category not in source.categories:
                plan.sources[index] = NewSource(
                    name=source.name,
                    url=source.url,
                    categories=(*source.categories, category),
                    interval=source.interval,
                )
            continue
        name = _unique_name(feed.name or _host(feed.url), feed.url, names)
        names.add(name)
        added[key] = len(plan.sources)
        plan.sources.append(
            NewSource(
                name=name,
                url=feed.url,
                categories=(category,),
                interval=_interval(feed.interval),
            )
        )
    return plan


def _url_problem(url: str) -> str | None:
    if url.startswith("/"):
        return None  # a local file
    parts = urlsplit(url)
    if parts.scheme.lower() in ("http", "https"):
        return None if parts.hostname else "not a usable URL (no host)"
    if parts.scheme.lower() == "file":
        return None
    return f"{parts.scheme or 'no'} scheme is not supported (http, https or file only)"


def _host(url: str) -> str:
    return (urlsplit(url).hostname or url).removeprefix("www.")


def _unique_name(name: str, url: str, taken: set[str]) -> str:
    name = " ".join(name.split())
    if name not in taken:
        return name
    candidate = f"{name} ({_host(url)})"
    n = 2
    while candidate in taken:
        candidate = f"{name} ({_host(url)} {n})"
        n += 1
    return candidate


def _interval(value: str | None) -> str | None:
    if not value:
        return None
    try:
        seconds = parse_duration(value)
    except ValueError:
        return None
    return value if seconds > 0 else None


def import_opml(
    config_path: str | os.PathLike[str],
    opml_path: str | os.PathLike[str],
    *,
    default_category: str | None = None,
) -> ImportPlan:
    """Add the feeds of ``opml_path`` to the config; returns what was added and skipped.

    The config is validated before and after; on any problem the file is not touched."""
    settings = load_settings(config_path)
    file = Path(opml_path)
    try:
        data = file.read_bytes()
    except OSError as e:
        raise AggregatorError(
            f"cannot read {file} ({e.strerror or e}): check the path to the OPML export"
        ) from e
    plan = plan_import(settings, read_opml(data, file=str(file)), default_category=default_category)
    add_to_config(config_path, categories=plan.categories, sources=plan.sources)
    return plan
