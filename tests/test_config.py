"""feeds.yaml: what loads, and what an operator is told when it does not."""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import sys
import textwrap
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from aggregator.config import load_settings, parse_duration, parse_size
from aggregator.errors import ConfigError, ConfigProblem
from aggregator.models import Rule, Settings

REPO = Path(__file__).resolve().parents[1]

VALID = """\
site:
  title: "منبر اليسار"
  base_url: "https://news.example.org/"
  language: ar
storage:
  path: aggregator.db
poll:
  interval: 15m
  timeout: 30s
  max_bytes: 10MB
categories:
  politics: {title: "سياسة"}
  labour: {title: "عمال ونقابات"}
sources:
  - name: "one"
    url: https://one.example.org/rss
    categories: [politics]
  - name: "two"
    url: https://two.example.org/rss
    categories: [labour, politics]
    interval: 1h
rules:
  - add: labour
    any: ["إضراب", "strike"]
  - drop: true
    any: ["إعلان ممول"]
"""


def write(tmp_path: Path, text: str, name: str = "feeds.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(path: Path) -> list[ConfigProblem]:
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert info.value.problems, "ConfigError must carry at least one problem"
    return list(info.value.problems)


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing ``needle``."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def only(found: list[ConfigProblem], field: str) -> ConfigProblem:
    matching = [p for p in found if p.field == field]
    assert len(matching) == 1, f"expected one problem for {field}, got {found}"
    return matching[0]


# --- what loads ----------------------------------------------------------------------


def test_shipped_feeds_yaml_loads() -> None:
    settings = load_settings(REPO / "feeds.yaml")
    assert settings.site.language == "ar"
    assert settings.site.base_url == "http://localhost:8080"
    assert [c.name for c in settings.categories] == ["politics", "labour", "women", "secularism"]
    assert all(c.title for c in settings.categories)
    assert settings.sources, "the shipped config must poll real sources"
    assert any("ahewar.org" in s.url for s in settings.sources)
    covered = {c for s in settings.sources for c in s.categories}
    assert covered == {"politics", "labour", "women", "secularism"}
    assert {r.action for r in settings.rules} == {"add", "drop"}
    assert settings.storage.path == str(REPO / "aggregator.db")


def test_valid_config_converts_every_section(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, VALID))
    assert settings.site.title == "منبر اليسار"
    assert settings.site.base_url == "https://news.example.org"  # trailing slash dropped
    assert settings.poll.interval == 900.0
    assert settings.poll.timeout == 30.0
    assert settings.poll.max_bytes == 10 * 1024 * 1024
    assert settings.sources[0].interval is None
    assert settings.source_interval(settings.sources[0]) == 900.0
    assert settings.source_interval(settings.sources[1]) == 3600.0
    assert settings.sources[1].categories == ("labour", "politics")
    assert settings.rules == (
        Rule(action="add", category="labour", any=("إضراب", "strike")),
        Rule(action="drop", any=("إعلان ممول",)),
    )
    assert settings.category("labour") is not None
    assert settings.path == str(tmp_path / "feeds.yaml")


def test_optional_sections_take_their_defaults(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        site: {title: "t"}
        categories: {politics: {title: "p"}}
        sources: []
        """,
    )
    settings = load_settings(path)
    assert settings.sources == ()
    assert settings.rules == ()
    assert settings.site.max_items == 50
    assert settings.poll.concurrency == 16 and settings.poll.per_host == 2
    assert settings.storage.retention_days == 180
    assert settings.dedupe.enabled is True and settings.dedupe.window_hours == 72.0


def test_dedupe_window_is_converted_to_hours(tmp_path: Path) -> None:
    text = VALID + "dedupe:\n  enabled: false\n  window: 2d\n"
    settings = load_settings(write(tmp_path, text))
    assert settings.dedupe.enabled is False
    assert settings.dedupe.window_hours == 48.0


def test_settings_are_immutable(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, VALID))
    assert isinstance(settings, Settings)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.site.title = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.sources = ()  # type: ignore[misc]
    assert isinstance(settings.sources, tuple) and isinstance(settings.categories, tuple)


def test_relative_paths_resolve_against_the_config_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conf_dir = tmp_path / "etc" / "aggregator"
    conf_dir.mkdir(parents=True)
    path = write(
        conf_dir,
        """\
        site: {title: "t"}
        storage: {path: data/agg.db}
        categories: {politics: {title: "p"}}
        sources:
          - {name: local, url: feeds/local.xml, categories: [politics]}
          - {name: up, url: ../shared.xml, categories: [politics]}
          - {name: abs, url: ABS/a.xml, categories: [politics]}
          - {name: fileurl, url: "file://ABS/b.xml", categories: [politics]}
        """.replace("ABS", str(tmp_path / "srv")),
    )
    for feed in ("etc/aggregator/feeds/local.xml", "etc/shared.xml", "srv/a.xml", "srv/b.xml"):
        (tmp_path / feed).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / feed).write_text("<rss/>")
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    monkeypatch.chdir(elsewhere)
    relative_config = os.path.relpath(path, elsewhere)

    settings = load_settings(relative_config)

    assert settings.storage.path == str(conf_dir / "data" / "agg.db")
    urls = [s.url for s in settings.sources]
    assert urls == [
        str(conf_dir / "feeds" / "local.xml"),
        str(tmp_path / "etc" / "shared.xml"),
        str(tmp_path / "srv" / "a.xml"),
        f"file://{tmp_path}/srv/b.xml",
    ]
    assert settings.path == relative_config


# --- durations and sizes -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30.0), ("15m", 900.0), ("1.5h", 5400.0), ("2d", 172800.0), (" 10 m ", 600.0)],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("15", "unit"),
        ("15x", "unit"),
        ("M", "not a duration"),
        ("", "not a duration"),
        ("3 days", "unit"),
        ("15M", "lower case"),
    ],
)
def test_parse_duration_rejects(text: str, hint: str) -> None:
    with pytest.raises(ValueError, match=hint):
        parse_duration(text)


def test_parse_duration_rejects_a_bare_number_asking_for_a_unit() -> None:
    with pytest.raises(ValueError, match="no unit"):
        parse_duration(15)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("800B", 800),
        ("512KB", 512 * 1024),
        ("10MB", 10 * 1024**2),
        ("1GB", 1024**3),
        ("1.5 MB", int(1.5 * 1024**2)),
        ("2mb", 2 * 1024**2),
    ],
)
def test_parse_size(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["10", "10TB", "ten MB", "", "MB"])
def test_parse_size_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_size(text)


# --- one problem at a time: the right field and line ---------------------------------


def test_unknown_key_is_named_with_a_suggestion(tmp_path: Path) -> None:
    text = VALID.replace("  timeout: 30s\n", "  timeout: 30s\n  intervall: 5m\n")
    found = problems(write(tmp_path, text))
    problem = only(found, "poll.intervall")
    assert problem.line == line_of(text, "intervall")
    assert "unknown key 'intervall'" in problem.message
    assert "did you mean 'interval'" in problem.message


def test_unknown_top_level_section(tmp_path: Path) -> None:
    text = VALID + "logging: {level: debug}\n"
    problem = only(problems(write(tmp_path, text)), "logging")
    assert problem.line == line_of(text, "logging:")
    assert "site, storage, poll" in problem.message


def test_unknown_category_in_a_source(tmp_path: Path) -> None:
    text = VALID.replace("categories: [labour, politics]", "categories: [labour, sport]")
    problem = only(problems(write(tmp_path, text)), "sources[1].categories[1]")
    assert problem.line == line_of(text, "[labour, sport]")
    assert problem.message.startswith("unknown category 'sport'")
    assert "add it under categories:" in problem.message
    assert "politics, labour" in problem.message


def test_unknown_category_in_a_rule(tmp_path: Path) -> None:
    text = VALID.replace("- add: labour", "- add: workers")
    problem = only(problems(write(tmp_path, text)), "rules[0].add")
    assert problem.line == line_of(text, "add: workers")


@pytest.mark.parametrize(
    ("url", "hint"),
    [
        ("htp://one.example.org/rss", "not supported"),
        ("https:///rss", "no host"),
        ("https://one.example.org:99999/rss", "port"),
        ("https://one example.org/rss", "spaces"),
        ("one.example.org/rss", "https://one.example.org/rss"),
    ],
)
def test_bad_source_url(tmp_path: Path, url: str, hint: str) -> None:
    text = VALID.replace("url: https://one.example.org/rss", f'url: "{url}"')
    problem = only(problems(write(tmp_path, text)), "sources[0].url")
    assert problem.line == line_of(text, url)
    assert hint in problem.message


def test_bad_base_url(tmp_path: Path) -> None:
    text = VALID.replace('"https://news.example.org/"', "news.example.org")
    problem = only(problems(write(tmp_path, text)), "site.base_url")
    assert problem.line == line_of(text, "base_url")
    assert "http" in problem.message


@pytest.mark.parametrize(
    ("value", "hint"),
    [("15", "no unit"), ("15 minutes", "unknown duration unit"), ("0s", "greater than zero")],
)
def test_bad_duration(tmp_path: Path, value: str, hint: str) -> None:
    text = VALID.replace("interval: 15m", f"interval: {value}")
    problem = only(problems(write(tmp_path, text)), "poll.interval")
    assert problem.line == line_of(text, f"interval: {value}")
    assert hint in problem.message


def test_bad_source_interval(tmp_path: Path) -> None:
    text = VALID.replace("interval: 1h", "interval: soon")
    problem = only(problems(write(tmp_path, text)), "sources[1].interval")
    assert problem.line == line_of(text, "interval: soon")


def test_bad_size(tmp_path: Path) -> None:
    text = VALID.replace("max_bytes: 10MB", "max_bytes: 10TB")
    problem = only(problems(write(tmp_path, text)), "poll.max_bytes")
    assert problem.line == line_of(text, "max_bytes")
    assert "KB" in problem.message and "MB" in problem.message


def test_duplicate_source_name_names_both_lines(tmp_path: Path) -> None:
    text = VALID.replace('name: "two"', 'name: "one"')
    problem = only(problems(write(tmp_path, text)), "sources[1].name")
    needle = 'name: "one"'
    assert problem.line == line_of(text, needle, 2)
    assert f"line {line_of(text, needle, 1)}" in problem.message


def test_duplicate_source_url_names_both_lines(tmp_path: Path) -> None:
    # Scheme and host are case-insensitive: this is the same feed.
    text = VALID.replace("https://two.example.org/rss", "HTTPS://ONE.example.org/rss")
    problem = only(problems(write(tmp_path, text)), "sources[1].url")
    assert problem.line == line_of(text, "HTTPS://ONE")
    assert f"line {line_of(text, 'https://one.example.org')}" in problem.message


def test_missing_site_title(tmp_path: Path) -> None:
    text = VALID.replace('  title: "منبر اليسار"\n', "")
    problem = only(problems(write(tmp_path, text)), "site.title")
    assert problem.line == line_of(text, "site:")
    assert "required" in problem.message and "title:" in problem.message


def test_missing_site_section(tmp_path: Path) -> None:
    text = VALID.split("storage:", 1)[1]
    text = "storage:" + text
    problem = only(problems(write(tmp_path, text)), "site.title")
    assert "site:" in problem.message


def test_yaml_syntax_error_gives_its_line(tmp_path: Path) -> None:
    text = VALID.replace('labour: {title: "عمال ونقابات"}', 'labour: {title: "عمال ونقابات"')
    found = problems(write(tmp_path, text))
    assert len(found) == 1
    assert found[0].field == "yaml"
    assert found[0].line is not None
    # The parser notices the missing brace at the next line, and names where it began.
    assert found[0].line in (line_of(text, "labour:"), line_of(text, "labour:") + 1)
    assert f"line {line_of(text, 'labour:')}" in found[0].message


def test_tab_indentation_is_a_syntax_error(tmp_path: Path) -> None:
    text = VALID.replace("  language: ar", "\tlanguage: ar")
    found = problems(write(tmp_path, text))
    assert [p.line for p in found] == [line_of(text, "\tlanguage")]
    assert "tabs" in found[0].message


@pytest.mark.parametrize(
    ("old", "new", "field", "expected"),
    [
        ("language: ar", "language: ar\n  max_items: lots", "site.max_items", "whole number"),
        (
            "max_bytes: 10MB",
            "max_bytes: 10MB\n  concurrency: many",
            "poll.concurrency",
            "whole number",
        ),
        ("categories: [politics]", "categories: politics", "sources[0].categories", "list"),
        ('title: "سياسة"', "title: [a, b]", "categories.politics.title", "text"),
        ("drop: true", "drop: yes please", "rules[1].drop", "drop: true"),
    ],
)
def test_wrong_type_names_the_field_and_the_expected_type(
    tmp_path: Path, old: str, new: str, field: str, expected: str
) -> None:
    text = VALID.replace(old, new, 1)
    problem = only(problems(write(tmp_path, text)), field)
    assert problem.line == line_of(text, new.splitlines()[-1].strip())
    assert expected in problem.message


def test_max_items_out_of_range(tmp_path: Path) -> None:
    text = VALID.replace("language: ar", "language: ar\n  max_items: 5000")
    problem = only(problems(write(tmp_path, text)), "site.max_items")
    assert "1 to 1000" in problem.message


def test_reserved_category_all(tmp_path: Path) -> None:
    text = VALID.replace(
        'labour: {title: "عمال ونقابات"}', 'labour: {title: "عمال ونقابات"}\n  all: {title: "الكل"}'
    )
    problem = only(problems(write(tmp_path, text)), "categories.all")
    assert problem.line == line_of(text, "all: {title")
    assert "reserved" in problem.message and "combined" in problem.message


def test_bad_category_slug(tmp_path: Path) -> None:
    text = VALID.replace("  politics: {", "  Politics News: {")
    found = problems(write(tmp_path, text))
    problem = only(found, "categories.Politics News")
    assert problem.line == line_of(text, "Politics News")


def test_rule_without_keywords(tmp_path: Path) -> None:
    text = VALID.replace('    any: ["إعلان ممول"]\n', "")
    problem = only(problems(write(tmp_path, text)), "rules[1]")
    assert problem.line == line_of(text, "- drop: true")
    assert "any:" in problem.message


def test_sources_must_be_a_list(tmp_path: Path) -> None:
    text = VALID.split("sources:", 1)[0] + "sources:\nrules: []\n"
    problem = only(problems(write(tmp_path, text)), "sources")
    assert problem.line == line_of(text, "sources:")
    assert "sources: []" in problem.message


def test_categories_are_required(tmp_path: Path) -> None:
    path = write(tmp_path, 'site: {title: "t"}\nsources: []\n')
    problem = only(problems(path), "categories")
    assert "required" in problem.message


def test_duplicate_yaml_key_is_reported(tmp_path: Path) -> None:
    text = VALID.replace("  timeout: 30s\n", "  timeout: 30s\n  interval: 5m\n")
    found = problems(write(tmp_path, text))
    problem = only(found, "poll.interval")
    assert problem.line == line_of(text, "interval: 5m")
    assert f"line {line_of(text, 'interval: 15m')}" in problem.message


# --- every problem at once -----------------------------------------------------------


def test_every_problem_is_reported_in_one_pass(tmp_path: Path) -> None:
    text = (
        VALID.replace("interval: 15m", "interval: 15")
        .replace("max_bytes: 10MB", "max_bytes: lots")
        .replace("categories: [politics]", "categories: [sport]")
        .replace("url: https://two.example.org/rss", "url: ftp://two.example.org/rss")
        .replace("  language: ar\n", "  language: ar\n  colour: red\n")
        .replace(
            '  labour: {title: "عمال ونقابات"}\n',
            '  labour: {title: "عمال ونقابات"}\n  all: {title: "x"}\n',
        )
    )
    path = write(tmp_path, text)
    found = problems(path)
    assert {p.field for p in found} == {
        "poll.interval",
        "poll.max_bytes",
        "sources[0].categories[0]",
        "sources[1].url",
        "site.colour",
        "categories.all",
    }
    assert all(p.file == str(path) for p in found)
    assert [p.line for p in found] == sorted(p.line or 0 for p in found)
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    rendered = str(info.value)
    assert len(rendered.splitlines()) == 6
    assert f"{path}:{line_of(text, 'colour')}: site.colour: unknown key 'colour'" in rendered


# --- the file itself -----------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    found = problems(path)
    assert len(found) == 1
    assert found[0].file == str(path)
    assert "no such file" in found[0].message and "AGGREGATOR_CONFIG" in found[0].message


@pytest.mark.parametrize("text", ["", "\n\n", "# nothing yet\n"])
def test_empty_file(tmp_path: Path, text: str) -> None:
    found = problems(write(tmp_path, text))
    assert len(found) == 1
    assert "empty" in found[0].message


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    found = problems(write(tmp_path, "- site\n- sources\n"))
    assert len(found) == 1 and "mapping" in found[0].message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_bytes('site: {title: "عربي"}\n'.encode("cp1256"))
    found = problems(path)
    assert len(found) == 1 and "UTF-8" in found[0].message


# --- local files and the same feed twice -------------------------------------------------


def test_a_local_file_source_that_does_not_exist(tmp_path: Path) -> None:
    (tmp_path / "here.xml").write_text("<rss/>")
    text = VALID.replace(
        '  - name: "two"\n',
        "  - {name: here, url: here.xml, categories: [politics]}\n"
        "  - {name: typo, url: feeds/gone.xml, categories: [politics]}\n"
        f"  - {{name: url, url: 'file://{tmp_path}/nope.rss', categories: [politics]}}\n"
        f"  - {{name: dir, url: '{tmp_path}', categories: [politics]}}\n"
        '  - name: "two"\n',
    )
    config = write(tmp_path, text)
    found = problems(config)
    typo = only(found, "sources[2].url")
    assert typo.line == line_of(text, "name: typo")
    assert str(config) == typo.file
    assert f"the file {tmp_path / 'feeds' / 'gone.xml'} does not exist" in typo.message
    assert f"a relative one starts at {tmp_path}" in typo.message
    assert only(found, "sources[3].url").line == line_of(text, "name: url")
    assert f"{tmp_path / 'nope.rss'} does not exist" in only(found, "sources[3].url").message
    assert "is a directory" in only(found, "sources[4].url").message
    assert [p.field for p in found] == ["sources[2].url", "sources[3].url", "sources[4].url"]


def test_the_same_feed_as_http_and_https_is_a_warning(tmp_path: Path) -> None:
    from aggregator.cli import main
    from aggregator.config import check_settings

    text = VALID.replace(
        "    interval: 1h\n",
        "    interval: 1h\n"
        "  - {name: again, url: 'http://www.two.example.org/rss?utm_source=x', "
        "categories: [labour]}\n",
    )
    config = write(tmp_path, text)
    settings, warnings = check_settings(config)
    assert len(settings.sources) == 3  # it loads: a warning, not an error
    [warning] = warnings
    assert warning.line == line_of(text, "name: again") and warning.field == "sources[2].url"
    assert "same feed as 'https://two.example.org/rss' at line" in warning.message
    assert "import-opml" in warning.message
    assert str(warning).startswith(f"{config}:{warning.line}: sources[2].url: ")
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        assert main(["check", "--config", str(config)]) == 0
    assert err.getvalue() == f"warning: {warning}\n"
    assert out.getvalue().strip().endswith("; 1 warning(s)")
    # the same URL written twice stays an error, with no warning on top
    twice = VALID.replace(
        "    interval: 1h\n",
        "    interval: 1h\n"
        "  - {name: again, url: 'https://two.example.org/rss', categories: [labour]}\n",
    )
    assert [p.field for p in problems(write(tmp_path, twice))] == ["sources[2].url"]


# --- site.timezone -------------------------------------------------------------------


def test_timezone_defaults_to_utc_and_takes_an_iana_name(tmp_path: Path) -> None:
    assert load_settings(write(tmp_path, VALID)).site.timezone == "UTC"
    text = VALID.replace("language: ar", "language: ar\n  timezone: Asia/Beirut")
    assert load_settings(write(tmp_path, text)).site.timezone == "Asia/Beirut"


@pytest.mark.parametrize("zone", ["Beirut", "Asia/Bayrut", "../../etc/passwd", "EST+5", ""])
def test_an_unknown_timezone_is_a_problem_with_its_line(tmp_path: Path, zone: str) -> None:
    text = VALID.replace("language: ar", f'language: ar\n  timezone: "{zone}"')
    problem = only(problems(write(tmp_path, text)), "site.timezone")
    assert problem.line == line_of(text, "timezone:")
    assert "Asia/Beirut" in problem.message  # says what to write instead


def test_named_zones_work_without_a_system_zone_database(tmp_path: Path) -> None:
    """Slim containers and Windows have no /usr/share/zoneinfo: the tzdata package is a
    dependency, so a named zone still loads."""
    code = (
        "import zoneinfo; zoneinfo.reset_tzpath([]); print(zoneinfo.ZoneInfo('Africa/Cairo').key)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "Africa/Cairo", out.stderr
