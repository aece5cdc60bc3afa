"""OPML in and out: real readers' exports become feeds.yaml sources, and back, losing nothing.

Fixtures in tests/data/opml/ are written the way Feedly, Inoreader, NetNewsWire,
Thunderbird and newsboat export (folders or none, nested folders, title vs text, type
attributes or not, Arabic titles, a tracking parameter on a URL we already have).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import DATA

from aggregator.cli import main
from aggregator.config import load_settings
from aggregator.config_edit import NewSource, add_to_config
from aggregator.errors import ConfigError
from aggregator.opml import import_opml, read_opml, slugify

OPML = DATA / "opml"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A copy of the shipped feeds.yaml: comments, aligned columns, seven sources."""
    target = tmp_path / "feeds.yaml"
    shutil.copy(REPO / "feeds.yaml", target)
    return target


def sources_by_url(path: Path) -> dict[str, tuple[str, tuple[str, ...], float | None]]:
    return {s.url: (s.name, s.categories, s.interval) for s in load_settings(path).sources}


def test_feedly_folders_map_to_categories_by_title_and_slug(config: Path) -> None:
    before = sources_by_url(config)
    plan = import_opml(config, OPML / "feedly.opml")
    after = sources_by_url(config)
    # BBC and ahewar lt=7 are already there (same URLs): left exactly as written.
    assert {k: after[k] for k in before} == before
    assert len(after) == len(before) + 2
    assert after["https://labornotes.org/feed"] == ("Labour Notes", ("labour",), None)
    assert after["https://feeds.arstechnica.com/arstechnica/index"][1] == ("tech-science",)
    settings = load_settings(config)
    assert settings.category("tech-science").title == "Tech & Science"
    assert len(plan.skipped) == 3  # BBC, ahewar lt=7, revsoc: already subscribed


def test_inoreader_canonical_duplicate_and_a_feed_in_two_folders(config: Path) -> None:
    plan = import_opml(config, OPML / "inoreader.xml")
    after = sources_by_url(config)
    # http://ahewar.org/...&utm_source=… is the https://www. feed we already have.
    assert any("already in feeds.yaml" in s and "utm_source" in s for s in plan.skipped)
    assert not [u for u in after if "utm_source" in u]
    # "المرأة" is the women category's title; "ثقافة" is new, with a transliterated slug.
    assert after["https://jinsiyat.example.org/feed/"] == ("جندر", ("women", "thqafh"), None)
    assert after["https://www.jadaliyya.com/Rss"] == ("جدلية", ("thqafh",), None)
    assert load_settings(config).category("thqafh").title == "ثقافة"


def test_netnewswire_text_only_diacritics_and_top_level_feeds(config: Path) -> None:
    plan = import_opml(config, OPML / "netnewswire.opml")
    after = sources_by_url(config)
    # "العِلْمانيّة" (with diacritics) is the secularism category's title.
    assert after["https://ffrf.org/news/releases/feed"] == (
        "Freethought Today",
        ("secularism",),
        None,
    )
    # Outside every folder: the first category, unless --category says otherwise.
    assert after["https://daringfireball.net/feeds/main"][1] == ("politics",)
    assert len(plan.sources) == 2


def test_thunderbird_nested_folders_use_the_nearest_known_category(config: Path) -> None:
    import_opml(config, OPML / "thunderbird.opml")
    after = sources_by_url(config)
    assert after["https://union.example.org/rss.xml"][1] == ("labour",)
    assert after["https://strikes.example.org/atom.xml"][1] == ("labour",)  # labour/أرشيف
    # Directly in the account folder: that folder becomes a category.
    assert after["https://planet.debian.org/rss20.xml"][1] == ("blogs-news-feeds",)


def test_newsboat_flat_list_names_from_the_host_and_refuses_other_schemes(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import-opml", str(OPML / "newsboat.opml"), "--config", str(config),
                 "--category", "labour"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    after = sources_by_url(config)
    assert after["https://lwn.net/headlines/newrss"] == ("LWN.net", ("labour",), None)
    assert after["https://example.net/no-type-no-title.xml"][0] == "example.net"
    assert "skipped gopher://old.example/feed" in out
    assert "skipped https://www.france24.com/ar/rss: already in feeds.yaml" in out


def test_import_keeps_every_comment_and_line_and_adds_nothing_twice(config: Path) -> None:
    original = config.read_text(encoding="utf-8").splitlines()
    for name in ("feedly.opml", "inoreader.xml", "netnewswire.opml", "thunderbird.opml"):
        import_opml(config, OPML / name)
    edited = config.read_text(encoding="utf-8")
    # Every original line survives byte for byte, in order (aligned columns included).
    lines = iter(edited.splitlines())
    assert all(any(line == candidate for candidate in lines) for line in original)
    count = len(load_settings(config).sources)
    for name in ("feedly.opml", "inoreader.xml", "netnewswire.opml", "thunderbird.opml"):
        plan = import_opml(config, OPML / name)
        assert plan.sources == [] and plan.categories == []
    assert len(load_settings(config).sources) == count
    assert config.read_text(encoding="utf-8") == edited


def test_round_trip_through_export_loses_nothing(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Give one source an Arabic folder of its own and a file source, to carry those too.
    (tmp_path / "a.xml").write_text("<rss/>", encoding="utf-8")  # a file source must exist
    add_to_config(config, sources=[NewSource("أرشيف محلي", str(tmp_path / "a.xml"), ("women",))])
    import_opml(config, OPML / "inoreader.xml")
    original = load_settings(config)
    assert main(["export-opml", "--config", str(config)]) == 0
    exported = tmp_path / "export.opml"
    exported.write_text(capsys.readouterr().out, encoding="utf-8")

    fresh = tmp_path / "fresh" / "feeds.yaml"
    fresh.parent.mkdir()
    fresh.write_text(
        "# a new installation\nsite: {title: x, base_url: 'http://x.example'}\n"
        "categories:\n  misc: {title: Misc}  # kept\nsources: []\n",
        encoding="utf-8",
    )
    import_opml(fresh, exported)
    restored = load_settings(fresh)
    assert {c.name: (c.title, c.description) for c in original.categories}.items() <= {
        c.name: (c.title, c.description) for c in restored.categories
    }.items()
    want = {s.url: (s.name, set(s.categories), s.interval) for s in original.sources}
    got = {s.url: (s.name, set(s.categories), s.interval) for s in restored.sources}
    assert got == want
    assert any(s.interval == 1800 for s in restored.sources)  # interval: 30m carried
    assert "# a new installation" in fresh.read_text(encoding="utf-8")


def test_a_bad_edit_never_reaches_the_file(config: Path) -> None:
    before = config.read_bytes()
    with pytest.raises(ConfigError) as caught:
        add_to_config(config, sources=[NewSource("x", "https://x.example/f", ("sport",))])
    assert "unknown category 'sport'" in str(caught.value)
    assert str(config) in str(caught.value)
    assert config.read_bytes() == before
    assert not [p for p in config.parent.iterdir() if p.name.startswith(".feeds.yaml")]


def test_unreadable_opml_says_what_to_do(config: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body>not opml</body></html>", encoding="utf-8")
    broken = tmp_path / "broken.opml"
    broken.write_text("<opml><body><outline", encoding="utf-8")
    for path, words in ((page, "not OPML"), (broken, "export it again")):
        with pytest.raises(Exception) as caught:
            import_opml(config, path)
        assert words in str(caught.value)
    assert main(["import-opml", str(tmp_path / "missing.opml"), "--config", str(config)]) == 1


def test_slugs_and_outline_reading() -> None:
    assert slugify("Tech & Science") == "tech-science"
    assert slugify("ثقافة") == "thqafh"
    assert slugify("Économie") == "economie"
    assert slugify("!!!") == "category"
    feeds = read_opml((OPML / "thunderbird.opml").read_bytes())
    assert [f.folders[-1].title for f in feeds] == [
        "عمال ونقابات",
        "أرشيف",
        "Blogs & News Feeds",
    ]
