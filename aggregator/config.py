"""Load ``feeds.yaml`` into immutable ``Settings``, or say everything that is wrong with it.

An operator edits this file by hand and restarts a daemon; a config that fails one
problem at a time costs a restart per typo. So validation walks the whole document once,
collects every problem with the file, the line and the dotted field (``sources[2].url``),
and raises one ``ConfigError`` carrying them all. Each message says what is wrong and
what to write instead.

Lines come from the YAML node tree (``yaml.compose``): values are checked on the plain
data from ``yaml.safe_load`` and a side table maps each field path to the line of its key.
Relative paths (the database, file sources) are resolved against the config file's
directory, so a service started from any working directory reads the same files.

This module is the only one that imports YAML.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import zoneinfo
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from aggregator import telegram
from aggregator.dedupe import canonical_url
from aggregator.errors import ConfigError, ConfigProblem
from aggregator.models import (
    Category,
    DedupeSettings,
    PollSettings,
    Rule,
    ScrapeRules,
    Settings,
    Site,
    Source,
    Storage,
)

__all__ = [
    "CONFIG_KEYS",
    "check_settings",
    "feed_key",
    "load_settings",
    "parse_duration",
    "parse_size",
]

# --- units -----------------------------------------------------------------------------

_DURATION_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-zA-Z]*)\s*$")
_SIZE_UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}
_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-zA-Z]*)\s*$")


def parse_duration(text: str) -> float:
    """Seconds in ``"15m"``, ``"30s"``, ``"1.5h"`` or ``"2d"``.

    A bare number is refused rather than guessed: ``interval: 15`` could mean seconds
    or minutes, and guessing wrong polls a site 60 times too often.
    """
    if isinstance(text, bool) or not isinstance(text, str | int | float):
        raise ValueError(f"expected a duration such as '15m', got {_describe(text)}")
    if isinstance(text, int | float):
        raise ValueError(
            f"{text!r} has no unit: write it with one of s, m, h, d, e.g. '{text}s' or '{text}m'"
        )
    match = _DURATION_RE.match(text)
    if not match:
        raise ValueError(
            f"{text!r} is not a duration: write a number and a unit (s, m, h, d), "
            "e.g. '30s', '15m', '1.5h', '2d'"
        )
    number, unit = match.groups()
    if not unit:
        raise ValueError(
            f"{text!r} has no unit: add one of s, m, h, d, e.g. '{number}s' or '{number}m'"
        )
    if unit not in _DURATION_UNITS:
        raise ValueError(
            f"unknown duration unit {unit!r} in {text!r}: use s (seconds), m (minutes), "
            "h (hours) or d (days), in lower case"
        )
    return float(number) * _DURATION_UNITS[unit]


def parse_size(text: str) -> int:
    """Bytes in ``"10MB"``, ``"512KB"``, ``"1GB"`` or ``"800B"`` (1 KB = 1024 bytes)."""
    if isinstance(text, bool) or not isinstance(text, str | int | float):
        raise ValueError(f"expected a size such as '10MB', got {_describe(text)}")
    if isinstance(text, int | float):
        raise ValueError(
            f"{text!r} has no unit: write it with one of B, KB, MB, GB, e.g. '{text}MB'"
        )
    match = _SIZE_RE.match(text)
    if not match:
        raise ValueError(
            f"{text!r} is not a size: write a number and a unit (B, KB, MB, GB), "
            "e.g. '512KB' or '10MB'"
        )
    number, unit = match.groups()
    if not unit:
        raise ValueError(f"{text!r} has no unit: add one of B, KB, MB, GB, e.g. '{number}MB'")
    factor = _SIZE_UNITS.get(unit.upper())
    if factor is None:
        raise ValueError(f"unknown size unit {unit!r} in {text!r}: use B, KB, MB or GB")
    return int(round(float(number) * factor))


# --- loading ---------------------------------------------------------------------------

_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_HOSTLIKE_RE = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?$", re.IGNORECASE)
_FILE_SUFFIXES = (".xml", ".rss", ".atom", ".json", ".rdf", ".txt", ".feed", ".yaml")
_RESERVED_CATEGORIES = {"all": "it is the combined feed of every category (/feeds/all.rss)"}

# libyaml's loader when PyYAML has it: the pure-Python one takes ~0.5 s on a config with a
# thousand sources, and every command (each `poll` from cron) reads the config first.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_SECTIONS = ("site", "storage", "poll", "categories", "sources", "rules", "dedupe")
_SITE_KEYS = (
    "title",
    "base_url",
    "language",
    "max_items",
    "description",
    "websub_hub",
    "max_limit",
    "timezone",
)
_STORAGE_KEYS = ("path", "retention_days")
_POLL_KEYS = ("interval", "timeout", "max_bytes", "concurrency", "per_host")
_CATEGORY_KEYS = ("title", "description")
_SOURCE_KEYS = ("name", "url", "categories", "interval", "type", "scrape")
_SOURCE_TYPES = ("feed", "page", "telegram")
_SCRAPE_KEYS = (
    "item", "title", "link", "date", "summary", "image", "author", "follow", "timezone"
)  # fmt: skip
_RULE_KEYS = ("add", "drop", "any", "all")
_DEDUPE_KEYS = ("enabled", "window", "threshold")

# Every key feeds.yaml accepts, by section (for categories and sources: per entry). The
# README's configuration reference is checked against this by tests/test_docs.py.
CONFIG_KEYS: dict[str, tuple[str, ...]] = {
    "site": _SITE_KEYS,
    "storage": _STORAGE_KEYS,
    "poll": _POLL_KEYS,
    "categories": _CATEGORY_KEYS,
    "sources": _SOURCE_KEYS,
    "rules": _RULE_KEYS,
    "dedupe": _DEDUPE_KEYS,
}

_DEFAULT_BASE_URL = "http://localhost:8080"

FieldPath = tuple[str | int, ...]


class _Bad:
    """Marks a value that failed a check; its problem is already recorded."""


_BAD = _Bad()


def load_settings(path: str | os.PathLike[str]) -> Settings:
    """Read, validate and convert ``path``; raise ``ConfigError`` with every problem."""
    return _load(path, warn=False)[0]


def feed_key(url: str) -> str:
    """What makes two subscriptions the same feed (as `import-opml` sees it): the URL
    canonicalized like an article link (http/https, ``www.``, tracking parameters)."""
    return canonical_url(url) if "://" in url else url


def check_settings(
    path: str | os.PathLike[str],
) -> tuple[Settings, tuple[ConfigProblem, ...]]:
    """``load_settings``, plus the warnings: things that work but are probably not meant
    (`aggregator check` prints them and still exits 0). Only `check` looks for them: it
    costs a URL canonicalization per source, which every other command would pay."""
    return _load(path, warn=True)


def _load(
    path: str | os.PathLike[str], *, warn: bool
) -> tuple[Settings, tuple[ConfigProblem, ...]]:
    file = os.fspath(path)
    try:
        raw = Path(file).read_bytes()
    except FileNotFoundError as e:
        raise ConfigError(
            [
                ConfigProblem(
                    file,
                    None,
                    "file",
                    f"no such file ({os.path.abspath(file)}): create it (start from the shipped "
                    "feeds.yaml), or point --config or AGGREGATOR_CONFIG at the right file",
                )
            ]
        ) from e
    except OSError as e:
        raise ConfigError(
            [
                ConfigProblem(
                    file,
                    None,
                    "file",
                    f"cannot read it ({e.strerror or e}): check the path and its permissions",
                )
            ]
        ) from e
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise ConfigError(
            [
                ConfigProblem(
                    file,
                    line,
                    "file",
                    "is not UTF-8 text: save it as UTF-8 (Arabic text included)",
                )
            ]
        ) from e

    checker = _Checker(file, base_dir=Path(os.path.abspath(file)).parent, warn=warn)
    try:
        node = yaml.compose(text, Loader=_LOADER)
        data = yaml.load(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        what = e.problem or e.context or "unreadable"
        if e.context and e.problem and e.context_mark:
            what += f" ({e.context}, which starts at line {e.context_mark.line + 1})"
        raise ConfigError(
            [
                ConfigProblem(
                    file,
                    mark.line + 1 if mark else None,
                    "yaml",
                    f"not valid YAML: {what}; check the indentation (spaces, not tabs) around "
                    "this line and quote values that contain ': ' or ' #'",
                )
            ]
        ) from e
    except yaml.YAMLError as e:
        raise ConfigError(
            [
                ConfigProblem(
                    file,
                    None,
                    "yaml",
                    f"not valid YAML: {e}; fix the syntax",
                )
            ]
        ) from e

    if node is not None:
        checker.index(node, ())
    if data is None:
        checker.problem(
            (),
            "the file is empty: it needs at least site:, categories: and "
            "sources: (start from the shipped feeds.yaml)",
            line=1,
        )
        raise ConfigError(checker.problems)
    if not isinstance(data, Mapping):
        checker.problem(
            (),
            f"the top level must be a mapping of sections "
            f"({', '.join(_SECTIONS)}), not {_describe(data)}",
            line=1,
        )
        raise ConfigError(checker.problems)

    settings = checker.settings(data)
    if checker.problems or settings is None:
        raise ConfigError(sorted(checker.problems, key=lambda p: p.line or 0))
    return settings, tuple(checker.warnings)


# --- the checker -----------------------------------------------------------------------


class _Checker:
    """Collects problems while converting plain YAML data into settings records."""

    def __init__(self, file: str, *, base_dir: Path, warn: bool = False) -> None:
        self.file = file
        self.base_dir = base_dir
        self.warn = warn  # look for warnings too
        self.lines: dict[str, int] = {}
        self.problems: list[ConfigProblem] = []
        self.warnings: list[ConfigProblem] = []

    # where things are

    def index(self, node: yaml.Node, path: FieldPath) -> None:
        """Record the line of every key and list item, and flag duplicate keys."""
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<":
                    continue
                key = key_node.value
                line = key_node.start_mark.line + 1
                if key in seen:
                    # YAML keeps the last value, so later lines must point at it.
                    self.problem(
                        (*path, key),
                        f"duplicate key {key!r} (first at line {seen[key]}): YAML keeps only "
                        "this last one and ignores the first; remove or merge one of them",
                        line=line,
                    )
                seen[key] = line
                self.lines[_field((*path, key))] = line
                self.index(value_node, (*path, key))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.lines[_field((*path, i))] = item.start_mark.line + 1
                self.index(item, (*path, i))

    def line(self, path: FieldPath) -> int | None:
        for end in range(len(path), 0, -1):
            found = self.lines.get(_field(path[:end]))
            if found is not None:
                return found
        return None

    def problem(self, path: FieldPath, message: str, *, line: int | None = None) -> None:
        self.problems.append(
            ConfigProblem(
                self.file,
                line if line is not None else self.line(path),
                _field(path) or "(top level)",
                message,
            )
        )

    # shapes

    def mapping(
        self, value: Any, path: FieldPath, allowed: tuple[str, ...], *, hint: str = ""
    ) -> dict[str, Any] | None:
        """A mapping with only ``allowed`` keys; unknown keys are reported, then ignored."""
        if not isinstance(value, Mapping):
            self.problem(
                path, f"expected a mapping (key: value lines){hint}, got {_describe(value)}"
            )
            return None
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                self.problem(
                    (*path, str(key)),
                    f"key {key!r} is not text: quote it, or check the indentation",
                )
                continue
            if key not in allowed:
                self.problem((*path, key), _unknown_key(key, allowed))
                continue
            out[key] = item
        return out

    def required(self, section: Mapping[str, Any], path: FieldPath, key: str, example: str) -> bool:
        if key in section and section[key] is not None:
            return True
        where = _field(path) or "the top level"
        self.problem(
            (*path, key),
            f"is required: add `{key}: {example}` under {where}",
            line=self.line(path) if path else self.line((*path, key)),
        )
        return False

    # scalars

    def text(self, value: Any, path: FieldPath, *, allow_empty: bool = False) -> str | _Bad:
        if isinstance(value, str):
            if not allow_empty and not value.strip():
                self.problem(path, "is empty: write some text")
                return _BAD
            return value
        self.problem(
            path, f"expected text, got {_describe(value)}; quote it if it is meant as text"
        )
        return _BAD

    def integer(
        self, value: Any, path: FieldPath, *, low: int, high: int | None = None
    ) -> int | _Bad:
        span = f"from {low} to {high}" if high is not None else f"of at least {low}"
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(path, f"expected a whole number {span}, got {_describe(value)}")
            return _BAD
        if value < low or (high is not None and value > high):
            self.problem(path, f"{value} is out of range: use a whole number {span}")
            return _BAD
        return value

    def boolean(self, value: Any, path: FieldPath) -> bool | _Bad:
        if isinstance(value, bool):
            return value
        self.problem(path, f"expected true or false, got {_describe(value)}")
        return _BAD

    def duration(self, value: Any, path: FieldPath) -> float | _Bad:
        return self._unit(value, path, parse_duration, "duration")

    def size(self, value: Any, path: FieldPath) -> int | _Bad:
        return self._unit(value, path, parse_size, "size")

    def _unit(self, value: Any, path: FieldPath, parse: Callable[[Any], Any], what: str) -> Any:
        try:
            parsed = parse(value)
        except ValueError as e:
            self.problem(path, str(e))
            return _BAD
        if not math.isfinite(parsed) or parsed <= 0:
            self.problem(path, f"{value!r} must be a {what} greater than zero")
            return _BAD
        return parsed

    def web_url(self, value: Any, path: FieldPath, *, example: str) -> str | _Bad:
        """An absolute http(s) URL with a host."""
        url = self.text(value, path)
        if isinstance(url, _Bad):
            return url
        reason = _web_url_problem(url.strip())
        if reason:
            self.problem(
                path,
                f"{url!r} is not a usable web address ({reason}): write an "
                f"absolute http(s) URL such as {example}",
            )
            return _BAD
        return url.strip()

    # sections

    def settings(self, data: Mapping[str, Any]) -> Settings | None:
        top = self.mapping(data, (), _SECTIONS)
        if top is None:
            return None
        site = self.site(top.get("site"))
        storage = self.storage(top.get("storage"))
        poll = self.poll(top.get("poll"))
        categories, known = self.categories(top)
        sources = self.sources(top, known)
        rules = self.rules(top.get("rules"), known)
        dedupe = self.dedupe(top.get("dedupe"))
        if (
            site is None
            or storage is None
            or poll is None
            or categories is None
            or sources is None
            or rules is None
            or dedupe is None
        ):
            return None
        return Settings(
            site=site,
            storage=storage,
            poll=poll,
            categories=categories,
            sources=sources,
            rules=rules,
            dedupe=dedupe,
            path=self.file,
        )

    def site(self, value: Any) -> Site | None:
        path: FieldPath = ("site",)
        if value is None:
            self.problem(
                ("site", "title"),
                'is required: add a site: section with title: "…" (shown in every published feed)',
            )
            return None
        section = self.mapping(value, path, _SITE_KEYS)
        if section is None:
            return None
        defaults = Site(title="", base_url=_DEFAULT_BASE_URL)
        title: Any = _BAD
        if self.required(section, path, "title", '"My news portal"'):
            title = self.text(section["title"], (*path, "title"))
        base_url: Any = _DEFAULT_BASE_URL
        if section.get("base_url") is not None:
            base_url = self.web_url(
                section["base_url"], (*path, "base_url"), example="https://news.example.org"
            )
            if isinstance(base_url, str):
                parts = urlsplit(base_url)
                if parts.query or parts.fragment:
                    self.problem(
                        (*path, "base_url"),
                        f"{base_url!r} has a query or fragment: give only the "
                        "address the feeds are served under, e.g. "
                        "https://news.example.org",
                    )
                    base_url = _BAD
                else:
                    base_url = base_url.rstrip("/")
        language: Any = defaults.language
        if section.get("language") is not None:
            language = self.text(section["language"], (*path, "language"))
            if isinstance(language, str) and not _LANGUAGE_RE.match(language):
                self.problem(
                    (*path, "language"),
                    f"{language!r} is not a language tag: write one such as ar, en or ar-EG",
                )
                language = _BAD
        max_items: Any = defaults.max_items
        if section.get("max_items") is not None:
            max_items = self.integer(section["max_items"], (*path, "max_items"), low=1, high=1000)
        description: Any = defaults.description
        if section.get("description") is not None:
            description = self.text(
                section["description"], (*path, "description"), allow_empty=True
            )
        websub_hub: Any = None
        if section.get("websub_hub") is not None:
            websub_hub = self.web_url(
                section["websub_hub"],
                (*path, "websub_hub"),
                example="https://pubsubhubbub.appspot.com/",
            )
        max_limit: Any = defaults.max_limit
        if section.get("max_limit") is not None:
            max_limit = self.integer(
                section["max_limit"], (*path, "max_limit"), low=1, high=100_000
            )
        timezone: Any = defaults.timezone
        if section.get("timezone") is not None:
            timezone = self.timezone(section["timezone"], (*path, "timezone"))
        values = (
            title, base_url, language, max_items, description, websub_hub, max_limit, timezone
        )  # fmt: skip
        if any(isinstance(v, _Bad) for v in values):
            return None
        return Site(
            title=title,
            base_url=base_url,
            language=language,
            max_items=max_items,
            description=description,
            websub_hub=websub_hub,
            max_limit=max_limit,
            timezone=timezone,
        )

    def timezone(self, value: Any, path: FieldPath) -> str | _Bad:
        """An IANA time zone name, checked against the zone database (the system's, or
        the tzdata package where the system has none)."""
        name = self.text(value, path, allow_empty=True)
        if isinstance(name, _Bad):
            return name
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.problem(
                path,
                f"{name!r} is not a time zone: write an IANA name such as Asia/Beirut, "
                "Africa/Cairo, Europe/Paris or UTC",
            )
            return _BAD
        return name

    def storage(self, value: Any) -> Storage | None:
        path: FieldPath = ("storage",)
        defaults = Storage()
        section = {} if value is None else self.mapping(value, path, _STORAGE_KEYS)
        if section is None:
            return None
        db: Any = defaults.path
        if section.get("path") is not None:
            db = self.text(section["path"], (*path, "path"))
        retention: Any = defaults.retention_days
        if section.get("retention_days") is not None:
            retention = self.integer(section["retention_days"], (*path, "retention_days"), low=1)
        if isinstance(db, _Bad) or isinstance(retention, _Bad):
            return None
        return Storage(path=self.local_path(db), retention_days=retention)

    def poll(self, value: Any) -> PollSettings | None:
        path: FieldPath = ("poll",)
        defaults = PollSettings()
        section = {} if value is None else self.mapping(value, path, _POLL_KEYS)
        if section is None:
            return None
        got: dict[str, Any] = {
            "interval": defaults.interval,
            "timeout": defaults.timeout,
            "max_bytes": defaults.max_bytes,
            "concurrency": defaults.concurrency,
            "per_host": defaults.per_host,
        }
        for key in ("interval", "timeout"):
            if section.get(key) is not None:
                got[key] = self.duration(section[key], (*path, key))
        if section.get("max_bytes") is not None:
            got["max_bytes"] = self.size(section["max_bytes"], (*path, "max_bytes"))
        for key in ("concurrency", "per_host"):
            if section.get(key) is not None:
                got[key] = self.integer(section[key], (*path, key), low=1)
        if any(isinstance(v, _Bad) for v in got.values()):
            return None
        return PollSettings(**got)

    def categories(
        self, top: Mapping[str, Any]
    ) -> tuple[tuple[Category, ...] | None, tuple[str, ...] | None]:
        """The categories, and the names sources may use (None: do not check them).

        A category whose body is wrong still counts as known, so one typo in a title
        does not also flag every source that uses the category.
        """
        path: FieldPath = ("categories",)
        example = '{politics: {title: "سياسة"}}'
        if not self.required(top, (), "categories", example):
            return None, None
        section = top["categories"]
        if not isinstance(section, Mapping):
            self.problem(
                path,
                f"expected a mapping of category slugs to {{title: …}}, got "
                f"{_describe(section)}; write e.g. categories: {example}",
            )
            return None, None
        if not section:
            self.problem(path, f"needs at least one category, e.g. categories: {example}")
            return None, None
        out: list[Category] = []
        known: list[str] = []
        ok = True
        for slug, body in section.items():
            here: FieldPath = (*path, str(slug))
            if not isinstance(slug, str) or not _SLUG_RE.match(slug):
                self.problem(
                    here,
                    f"{slug!r} is not a usable category name: use lower-case "
                    "letters, digits, '-' and '_', starting with a letter or "
                    "digit (it becomes /feeds/<name>.rss)",
                )
                ok = False
                continue
            if slug in _RESERVED_CATEGORIES:
                self.problem(
                    here, f"{slug!r} is reserved: {_RESERVED_CATEGORIES[slug]}; choose another name"
                )
                ok = False
                continue
            known.append(slug)
            fields = self.mapping(body, here, _CATEGORY_KEYS, hint=f', e.g. {slug}: {{title: "…"}}')
            if fields is None:
                ok = False
                continue
            title: Any = _BAD
            if self.required(fields, here, "title", '"…"'):
                title = self.text(fields["title"], (*here, "title"))
            description: Any = ""
            if fields.get("description") is not None:
                description = self.text(
                    fields["description"], (*here, "description"), allow_empty=True
                )
            if isinstance(title, _Bad) or isinstance(description, _Bad):
                ok = False
                continue
            out.append(Category(name=slug, title=title, description=description))
        return (tuple(out) if ok else None), tuple(known)

    def sources(
        self, top: Mapping[str, Any], known: tuple[str, ...] | None
    ) -> tuple[Source, ...] | None:
        path: FieldPath = ("sources",)
        if "sources" not in top:
            self.problem(
                path,
                "is required: add a sources: list (write `sources: []` if there are none yet)",
                line=1,
            )
            return None
        items = top["sources"]
        if not isinstance(items, list):
            hint = " (write `sources: []` for none yet)" if items is None else ""
            self.problem(
                path,
                f"expected a list of sources (lines starting with '- name:'), "
                f"got {_describe(items)}{hint}",
            )
            return None
        out: list[Source] = []
        ok = True
        names: dict[str, int] = {}
        urls: dict[str, int] = {}
        feeds: dict[str, tuple[int, str]] = {}  # feed_key -> line and URL as written
        for i, item in enumerate(items):
            source, name, url = self.source(item, (*path, i), known)
            if source is None:
                ok = False
            for seen, what, value in ((names, "name", name), (urls, "url", url)):
                if value is None:
                    continue
                key = _url_key(value) if what == "url" else value
                line = self.line((*path, i, what)) or 0
                if key in seen:
                    self.problem(
                        (*path, i, what),
                        f"duplicate source {what} {value!r}: the source at line "
                        f"{seen[key]} has the same {what}; remove one, or "
                        f"give each source its own {what}",
                    )
                    ok = False
                else:
                    seen[key] = line
            if self.warn and url is not None:
                line = self.line((*path, i, "url")) or 0
                twin = feeds.setdefault(feed_key(url), (line, url))
                if twin[0] != line and _url_key(twin[1]) != _url_key(url):
                    self.warnings.append(
                        ConfigProblem(
                            self.file,
                            line,
                            _field((*path, i, "url")),
                            f"{url!r} is probably the same feed as {twin[1]!r} at line "
                            f"{twin[0]} (they differ only in http/https, www. or tracking "
                            "parameters): every item would be fetched twice, and "
                            "`import-opml` counts them as one; keep one of them",
                        )
                    )
            if source is not None:
                out.append(source)
        return tuple(out) if ok else None

    def source(
        self, value: Any, path: FieldPath, known: tuple[str, ...] | None
    ) -> tuple[Source | None, str | None, str | None]:
        """The source, plus its name and URL when those alone are valid (for duplicates)."""
        fields = self.mapping(value, path, _SOURCE_KEYS, hint=" with name:, url: and categories:")
        if fields is None:
            return None, None, None
        name: Any = _BAD
        if self.required(fields, path, "name", '"Site name"'):
            name = self.text(fields["name"], (*path, "name"))
        url: Any = _BAD
        if self.required(fields, path, "url", "https://example.org/rss"):
            url = self.source_url(fields["url"], (*path, "url"))
        categories: Any = _BAD
        if self.required(fields, path, "categories", f"[{(known or ('politics',))[0]}]"):
            categories = self.category_list(fields["categories"], (*path, "categories"), known)
        interval: Any = None
        if fields.get("interval") is not None:
            interval = self.duration(fields["interval"], (*path, "interval"))
        kind, rules = self.source_kind(fields, path, url)
        good_name = name.strip() if isinstance(name, str) else None
        good_url = url if isinstance(url, str) else None
        if any(isinstance(v, _Bad) for v in (name, url, categories, interval, kind, rules)):
            return None, good_name, good_url
        source = Source(
            name=name.strip(),
            url=url,
            categories=categories,
            interval=interval,
            kind=kind,
            scrape=rules,
        )
        return source, good_name, good_url

    def source_kind(self, fields: Mapping[str, Any], path: FieldPath, url: Any) -> tuple[Any, Any]:
        """What the source is: a page with ``scrape:``, a Telegram channel (``type:
        telegram``, or a t.me address), else a feed; and its scrape rules."""
        given: Any = None
        if fields.get("type") is not None:
            given = self.text(fields["type"], (*path, "type"))
            if isinstance(given, str) and given not in _SOURCE_TYPES:
                self.problem(
                    (*path, "type"),
                    f"unknown type {given!r}: use feed, page (with scrape:) or telegram",
                )
                return _BAD, None
        rules: Any = None
        if fields.get("scrape") is not None:
            rules = self.scrape(fields["scrape"], (*path, "scrape"))
            if given not in (None, "page"):
                self.problem(
                    (*path, "type"),
                    f"type: {given} takes no scrape: block; remove one of them (a source with "
                    "scrape: is a web page)",
                )
                return _BAD, rules
            return "page", rules
        if given == "page":
            self.problem(
                (*path, "type"),
                "type: page needs a scrape: block saying where the entries are, e.g. "
                'scrape: {item: "article", title: "h2", link: "h2 a@href"}',
            )
            return _BAD, None
        telegram_host = isinstance(url, str) and telegram.is_telegram_url(url)
        if given == "telegram" or (given is None and telegram_host):
            if telegram_host and telegram.channel_name(url) is None:
                self.problem(
                    (*path, "url"),
                    f"{url!r} is not a public channel's address: write "
                    "https://t.me/s/CHANNEL (invite links and private channels have no "
                    "public preview)",
                )
                return _BAD, None
            return "telegram", None
        return given or "feed", None

    def scrape(self, value: Any, path: FieldPath) -> ScrapeRules | _Bad:
        from aggregator import scrape

        example = ' such as {item: "article", title: "h2", link: "h2 a@href"}'
        fields = self.mapping(value, path, _SCRAPE_KEYS, hint=example)
        if fields is None:
            return _BAD
        ok = True
        selectors: dict[str, Any] = {}
        for key in ("item", "title"):
            if not self.required(fields, path, key, '"article"' if key == "item" else '"h2"'):
                ok = False
        for key in ("item", "title", "link", "date", "summary", "image", "author"):
            if fields.get(key) is None:
                continue
            here = (*path, key)
            text = self.text(fields[key], here)
            if isinstance(text, _Bad):
                ok = False
                continue
            selector = scrape.split_selector(text)
            if key == "item" and selector.attr:
                self.problem(here, f"{text!r}: item selects elements, not an attribute: "
                             f"write {selector.css!r}")  # fmt: skip
                ok = False
                continue
            if selector.css or key == "item":
                problem = scrape.css_problem(selector.css)
                if problem:
                    self.problem(
                        here,
                        f'{problem}: write a CSS selector such as "h2 a", optionally '
                        'with @attribute ("h2 a@href"), as in the browser\'s inspector',
                    )
                    ok = False
                    continue
            selectors[key] = selector
        follow: Any = False
        if fields.get("follow") is not None:
            follow = self.boolean(fields["follow"], (*path, "follow"))
            if follow is True and "link" not in selectors and fields.get("link") is None:
                self.problem(
                    (*path, "follow"),
                    "follow: true needs link: (the entry's own page is fetched from it)",
                )
                ok = False
        zone: Any = "UTC"
        if fields.get("timezone") is not None:
            zone = self.timezone(fields["timezone"], (*path, "timezone"))
        if not ok or isinstance(follow, _Bad) or isinstance(zone, _Bad):
            return _BAD
        return ScrapeRules(
            item=selectors["item"].css,
            title=selectors["title"],
            link=selectors.get("link"),
            date=selectors.get("date"),
            summary=selectors.get("summary"),
            image=selectors.get("image"),
            author=selectors.get("author"),
            follow=follow,
            timezone=zone,
        )

    def source_url(self, value: Any, path: FieldPath) -> str | _Bad:
        text = self.text(value, path)
        if isinstance(text, _Bad):
            return text
        url = text.strip()
        scheme_match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://", url)
        if scheme_match:
            scheme = scheme_match.group(1).lower()
            if scheme in ("http", "https"):
                reason = _web_url_problem(url)
                if reason:
                    self.problem(
                        path,
                        f"{url!r} is not a usable feed address ({reason}): "
                        "write e.g. https://example.org/rss",
                    )
                    return _BAD
                return url
            if scheme == "file":
                parts = urlsplit(url)
                if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
                    self.problem(
                        path,
                        f"{url!r} is not a usable file URL: write "
                        "file:///absolute/path/feed.xml, or just the path",
                    )
                    return _BAD
                return self.existing_file(url, unquote(parts.path), path)
            self.problem(
                path,
                f"{url!r} uses {scheme}://, which is not supported: use "
                "http://, https://, file:// or a file path",
            )
            return _BAD
        first = url.split("/", 1)[0]
        candidate = self.base_dir / os.path.expanduser(url)
        if (
            _HOSTLIKE_RE.match(first)
            and not first.lower().endswith(_FILE_SUFFIXES)
            and not candidate.exists()
        ):
            self.problem(
                path,
                f"{url!r} looks like a web address without its scheme: write "
                f"https://{url} (or ./{url} if it is a local file)",
            )
            return _BAD
        return self.existing_file(self.local_path(url), self.local_path(url), path)

    def existing_file(self, url: str, file: str, path: FieldPath) -> str | _Bad:
        """A local-file source must be there (a typo would fail every poll, silently)."""
        if os.path.isfile(file):
            return url
        what = "is a directory" if os.path.isdir(file) else "does not exist"
        self.problem(
            path,
            f"the file {file} {what}: fix the path (a relative one starts at "
            f"{self.base_dir}), or remove the source",
        )
        return _BAD

    def category_list(
        self, value: Any, path: FieldPath, known: tuple[str, ...] | None
    ) -> tuple[str, ...] | _Bad:
        if isinstance(value, str):
            self.problem(
                path, f"expected a list of categories, got text: write categories: [{value}]"
            )
            return _BAD
        if not isinstance(value, list):
            self.problem(
                path, f"expected a list of categories such as [politics], got {_describe(value)}"
            )
            return _BAD
        if not value:
            self.problem(path, "is empty: list at least one category, e.g. [politics]")
            return _BAD
        out: list[str] = []
        ok = True
        for i, slug in enumerate(value):
            checked = self.known_category(slug, (*path, i), known)
            if isinstance(checked, _Bad):
                ok = False
            elif checked not in out:
                out.append(checked)
        return tuple(out) if ok else _BAD

    def known_category(
        self, value: Any, path: FieldPath, known: tuple[str, ...] | None
    ) -> str | _Bad:
        if not isinstance(value, str):
            self.problem(path, f"expected a category name, got {_describe(value)}")
            return _BAD
        if known is not None and value not in known:
            close = difflib.get_close_matches(value, known, n=1)
            guess = f"did you mean {close[0]!r}? " if close else ""
            self.problem(
                path,
                f"unknown category {value!r}: {guess}add it under categories: "
                f"or use one of {', '.join(known)}",
            )
            return _BAD
        return value

    def rules(self, value: Any, known: tuple[str, ...] | None) -> tuple[Rule, ...] | None:
        path: FieldPath = ("rules",)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(
                path,
                f"expected a list of rules (lines starting with '- add:' or "
                f"'- drop:'), got {_describe(value)}",
            )
            return None
        out: list[Rule] = []
        ok = True
        for i, item in enumerate(value):
            rule = self.rule(item, (*path, i), known)
            if rule is None:
                ok = False
            else:
                out.append(rule)
        return tuple(out) if ok else None

    def rule(self, value: Any, path: FieldPath, known: tuple[str, ...] | None) -> Rule | None:
        fields = self.mapping(
            value, path, _RULE_KEYS, hint=' such as {add: labour, any: ["strike"]}'
        )
        if fields is None:
            return None
        has_add = fields.get("add") is not None
        has_drop = "drop" in fields
        ok = True
        category: Any = None
        if has_add and has_drop:
            self.problem(path, "has both add: and drop:; a rule does one thing, split it in two")
            return None
        if not has_add and not has_drop:
            self.problem(
                path,
                "needs an action: add: <category> to tag matching items, or "
                "drop: true to remove them",
            )
            return None
        if has_add:
            category = self.known_category(fields["add"], (*path, "add"), known)
            ok = not isinstance(category, _Bad)
        elif fields["drop"] is not True:
            self.problem(
                (*path, "drop"),
                f"expected true, got {_describe(fields['drop'])}: "
                "write drop: true, or remove the rule",
            )
            ok = False
        words: dict[str, tuple[str, ...]] = {}
        for key in ("any", "all"):
            if fields.get(key) is None:
                words[key] = ()
                continue
            got = self.keywords(fields[key], (*path, key))
            if isinstance(got, _Bad):
                ok = False
                words[key] = ()
            else:
                words[key] = got
        if ok and not words["any"] and not words["all"]:
            self.problem(
                path,
                "matches nothing: give keywords in any: [...] (one must "
                "appear) and/or all: [...] (every one must appear)",
            )
            ok = False
        if not ok:
            return None
        return Rule(
            action="add" if has_add else "drop",
            category=category,
            any=words["any"],
            all=words["all"],
        )

    def keywords(self, value: Any, path: FieldPath) -> tuple[str, ...] | _Bad:
        if isinstance(value, str):
            self.problem(path, f'expected a list of keywords, got text: write ["{value}"]')
            return _BAD
        if not isinstance(value, list):
            self.problem(path, f"expected a list of keywords, got {_describe(value)}")
            return _BAD
        out: list[str] = []
        ok = True
        for i, word in enumerate(value):
            if not isinstance(word, str):
                self.problem(
                    (*path, i), f"expected a keyword as text, got {_describe(word)}; quote it"
                )
                ok = False
            elif not word.strip():
                self.problem(
                    (*path, i), "is an empty keyword, which would match everything; remove it"
                )
                ok = False
            else:
                out.append(word)
        return tuple(out) if ok else _BAD

    def dedupe(self, value: Any) -> DedupeSettings | None:
        path: FieldPath = ("dedupe",)
        defaults = DedupeSettings()
        section = {} if value is None else self.mapping(value, path, _DEDUPE_KEYS)
        if section is None:
            return None
        enabled: Any = defaults.enabled
        if section.get("enabled") is not None:
            enabled = self.boolean(section["enabled"], (*path, "enabled"))
        window: Any = defaults.window_hours * 3600.0
        if section.get("window") is not None:
            window = self.duration(section["window"], (*path, "window"))
        threshold: Any = defaults.threshold
        if section.get("threshold") is not None:
            threshold = self.fraction(section["threshold"], (*path, "threshold"))
        if isinstance(enabled, _Bad) or isinstance(window, _Bad) or isinstance(threshold, _Bad):
            return None
        return DedupeSettings(
            enabled=enabled, window_hours=window / 3600.0, threshold=float(threshold)
        )

    def fraction(self, value: Any, path: FieldPath) -> float | _Bad:
        """A similarity from 0 to 1 (exclusive of 0: that would merge everything)."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(
                path, f"expected a number from 0 to 1 (such as 0.32), got {_describe(value)}"
            )
            return _BAD
        if not 0 < value <= 1:
            self.problem(path, f"{value} is out of range: use a number above 0 and at most 1")
            return _BAD
        return float(value)

    # paths

    def local_path(self, text: str) -> str:
        """Absolute path for ``text``, relative ones taken from the config's directory."""
        if text == ":memory:":
            return text
        expanded = Path(os.path.expanduser(text))
        if not expanded.is_absolute():
            expanded = self.base_dir / expanded
        return os.path.normpath(expanded)


# --- helpers ---------------------------------------------------------------------------


def _field(path: FieldPath) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def _describe(value: Any) -> str:
    """Name a YAML value the way the operator wrote it, for 'expected X, got Y'."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"text ({shown!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    return f"{type(value).__name__} ({value})"


def _unknown_key(key: str, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    guess = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown key {key!r}: {guess}remove it, or use one of {', '.join(allowed)}"


def _web_url_problem(url: str) -> str | None:
    """Why ``url`` is not an absolute http(s) URL with a host, or None if it is."""
    if any(c.isspace() for c in url):
        return "it contains spaces"
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return "it must start with http:// or https://"
    if not parts.hostname:
        return "it has no host name"
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return "its port is not a number from 0 to 65535"
    return None


def _url_key(url: str) -> str:
    """What makes two source URLs the same feed: case-insensitive scheme and host."""
    if "://" not in url:
        return url
    parts = urlsplit(url)
    return parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()).geturl()
