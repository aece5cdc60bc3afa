"""Public Telegram channels, end to end: a t.me/s page (tests/data/pages/telegram-channel.html,
modelled on Telegram's web preview: text, photo, forwarded, reply, video, album and
service messages, the "load older" link) served by a real HTTP server standing in for t.me
(``type: telegram`` on another host, as a mirror), polled, republished and read back."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

import feedparser
import pytest
from conftest import DATA
from feedserver import FeedServer, Route

from aggregator import telegram
from aggregator.cli import main
from aggregator.models import Media
from aggregator.store import Store

PAGES = DATA / "pages"
CHANNEL = (PAGES / "telegram-channel.html").read_bytes()
NOW = datetime(2026, 9, 14, 12, 0, tzinfo=UTC)


def message(channel: str, number: int, text: str, when: datetime) -> str:
    """One message as the preview writes it (the fixture's markup, fewer attributes)."""
    return f"""
      <div class="tgme_widget_message_wrap js-widget_message_wrap">
        <div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="{channel}/{number}">
          <div class="tgme_widget_message_bubble">
            <div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" href="https://t.me/{channel}"><span dir="auto">عمال العرب</span></a></div>
            <div class="tgme_widget_message_text js-message_text" dir="auto">{escape(text)}</div>
            <div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info short js-message_info">
              <span class="tgme_widget_message_views">1K</span><span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="https://t.me/{channel}/{number}"><time datetime="{when.isoformat()}" class="time">{when:%H:%M}</time></a></span>
            </div></div>
          </div>
        </div>
      </div>"""  # noqa: E501


def channel_page(channel: str, numbers: range, before: int | None) -> bytes:
    """A preview page showing messages ``numbers`` (oldest first), linking to older ones."""
    more = (
        f'<div class="tgme_widget_message_centered js-messages_more_wrap"><a href="/s/{channel}'
        f'?before={before}" class="tme_messages_more js-messages_more" data-before="{before}">'
        "</a></div>"
        if before
        else ""
    )
    body = "".join(
        message(channel, n, f"رسالة رقم {n} عن إضراب العمال", NOW - timedelta(hours=3000 - n))
        for n in numbers
    )
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>عمال العرب – Telegram</title>'
        '</head><body class="widget_frame_base tgme_webpreview"><main class="tgme_main">'
        '<div class="tgme_channel_info"><div class="tgme_channel_info_header_title"><span '
        'dir="auto">عمال العرب</span></div></div><section class="tgme_channel_history '
        f'js-message_history">{more}{body}</section></main></body></html>'
    ).encode()


def write_config(tmp_path: Path, sources: list[tuple[str, str]], extra: str = "") -> Path:
    lines = [
        "site:",
        '  title: "منبر"',
        '  base_url: "http://feeds.example.org"',
        "storage:",
        "  path: test.db",
        "poll:",
        "  timeout: 10s",
        "categories:",
        '  politics: {title: "سياسة"}',
        '  labour: {title: "عمال ونقابات"}',
        "sources:",
    ]
    for name, url in sources:
        lines += [f'  - name: "{name}"', f"    url: {url}", "    categories: [labour]"]
        if "127.0.0.1" in url and "/s/" in url:
            lines.append("    type: telegram")
    config = tmp_path / "feeds.yaml"
    config.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return config


def html(body: bytes) -> Route:
    return Route(body=body, content_type="text/html; charset=utf-8")


def older(numbers: range, before: int | None) -> Route:
    """A page of the channel "arabworkers" with these messages."""
    return html(channel_page("arabworkers", numbers, before))


def paths(server: FeedServer) -> list[str]:
    return [r.path for r in server.requests]


# --- reading one page ------------------------------------------------------------------------


def test_each_message_becomes_an_item_with_its_permalink_text_photo_and_author() -> None:
    page = telegram.parse_channel(
        CHANNEL, url="https://t.me/s/arabworkers", headers={"content-type": "text/html"}, now=NOW
    )
    assert page.feed.title == "عمال العرب"
    assert page.feed.link == "https://t.me/arabworkers"
    assert page.ids == (1201, 1202, 1203, 1204, 1205, 1206)
    assert page.before == 1201
    items = {i.link: i for i in page.feed.items}
    # the service message (1203, "Channel photo updated") is no item
    assert list(items) == [f"https://t.me/arabworkers/{n}" for n in (1201, 1202, 1204, 1205, 1206)]
    text = items["https://t.me/arabworkers/1201"]
    assert text.guid == "https://t.me/arabworkers/1201"
    assert text.title == "🔴 نقابة المعلمين في الأردن تدعو إلى وقفة أمام البرلمان"  # first line
    assert text.published == datetime(2026, 9, 14, 6, 10, tzinfo=UTC)
    assert text.image is None and text.author is None
    # the whole text: line breaks and links kept, the link's onclick and the emoji's
    # background image gone, hashtags' relative links made absolute
    assert (
        "<b>نقابة المعلمين في الأردن تدعو إلى وقفة أمام البرلمان</b><br><br>دعت"
        in text.content_html
    )
    assert (
        '<a href="https://teachers.example/statement/55" rel="noopener noreferrer">موقع النقابة</a>'
        in text.content_html
    )
    assert "onclick" not in text.content_html and "background-image" not in text.content_html
    assert 'href="https://t.me/s/arabworkers?q=%23' in text.content_html
    photo = items["https://t.me/arabworkers/1202"]
    assert photo.title == "نقابة المعلمين تعلن إضراباً شاملاً في القاهرة بدءاً من الأحد"
    assert photo.image == Media(
        url="https://cdn4.telesco.pe/file/c3RyaWtlLWNhaXJvLXRlYWNoZXJz.jpg", medium="image"
    )
    forwarded = items["https://t.me/arabworkers/1204"]
    assert forwarded.author == "دار الخدمات النقابية والعمالية"
    # a long first line: its first sentence
    assert forwarded.title == "عمال شركة الحديد والصلب يرفضون قرار التصفية"
    video = items["https://t.me/arabworkers/1205"]
    assert (
        video.title == "فيديو: عمال النظافة في بيروت يواصلون اعتصامهم لليوم الخامس"
    )  # not the reply's
    assert "تغطية مباشرة" not in video.content_html
    assert video.author == "سامر"  # the post's signature
    assert video.image == Media(
        url="https://cdn4.telesco.pe/file/dmlkZW8tdGh1bWI.jpg", medium="image"
    )
    assert video.enclosures == (
        Media(url="https://cdn4.telesco.pe/file/dmlkZW8tc2l0LWlu.mp4?token=abc", type="video/mp4",
              medium="video"),
    )  # fmt: skip
    album = items["https://t.me/arabworkers/1206"]
    assert album.title == "" and album.image == Media(
        url="https://cdn4.telesco.pe/file/YWxidW0tb25l.jpg", medium="image"
    )


@pytest.mark.parametrize(
    ("url", "name", "preview"),
    [
        ("https://t.me/s/arabworkers", "arabworkers", "https://t.me/s/arabworkers"),
        ("https://t.me/arabworkers", "arabworkers", "https://t.me/s/arabworkers"),
        ("https://telegram.me/arabworkers/", "arabworkers", "https://t.me/s/arabworkers"),
        ("https://t.me/joinchat/AAAAAE", None, "https://t.me/joinchat/AAAAAE"),
        ("https://t.me/arabworkers/1201", None, "https://t.me/arabworkers/1201"),
        ("https://t.me/+AbCdEf", None, "https://t.me/+AbCdEf"),
    ],
)
def test_channel_addresses(url: str, name: str | None, preview: str) -> None:
    assert telegram.is_telegram_url(url)
    assert telegram.channel_name(url) == name
    assert telegram.preview_url(url) == preview


# --- polling -----------------------------------------------------------------------------------


def test_a_first_poll_reads_older_pages_back_within_bounds_and_republishes(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    server = feed_server
    server.routes["/s/arabworkers"] = Route(body=CHANNEL, content_type="text/html; charset=utf-8")
    server.routes["/s/arabworkers?before=1201"] = older(range(1181, 1201), 1181)
    server.routes["/s/arabworkers?before=1181"] = older(range(1161, 1181), 1161)
    server.routes["/s/arabworkers?before=1161"] = older(range(1141, 1161), 1141)
    config = write_config(tmp_path, [("عمال العرب", server.url("/s/arabworkers"))])
    assert main(["poll", "--config", str(config)]) == 0
    # three pages at most: the newest and two older ones; not the fourth
    assert paths(server) == [
        "/s/arabworkers",
        "/s/arabworkers?before=1201",
        "/s/arabworkers?before=1181",
    ]
    out = tmp_path / "public"
    assert main(["build", "--config", str(config), "--out", str(out)]) == 0
    feed = feedparser.parse((out / "feeds" / "labour.atom").read_bytes())
    links = [e.link for e in feed.entries]
    assert len(links) == 45  # 5 of the first page (no service message) + 2 x 20
    assert links[:5] == [f"https://t.me/arabworkers/{n}" for n in (1206, 1205, 1204, 1202, 1201)]
    assert links[5:] == [f"https://t.me/arabworkers/{n}" for n in range(1200, 1160, -1)]
    entries = {e.link: e for e in feed.entries}
    strike = entries["https://t.me/arabworkers/1202"]
    assert strike.title == "نقابة المعلمين تعلن إضراباً شاملاً في القاهرة بدءاً من الأحد"
    assert strike.published_parsed[:5] == (2026, 9, 14, 8, 5)
    assert entries["https://t.me/arabworkers/1204"].author == "دار الخدمات النقابية والعمالية"
    body = entries["https://t.me/arabworkers/1201"].content[0].value
    assert "<br" in body and 'href="https://teachers.example/statement/55"' in body


def test_later_polls_stop_at_the_newest_message_already_stored(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    server = feed_server
    server.routes["/s/arabworkers"] = Route(body=CHANNEL, content_type="text/html")
    server.routes["/s/arabworkers?before=1201"] = older(range(1190, 1201), None)
    config = write_config(tmp_path, [("عمال العرب", server.url("/s/arabworkers"))])
    assert main(["poll", "--config", str(config)]) == 0
    assert paths(server) == ["/s/arabworkers", "/s/arabworkers?before=1201"]  # nothing older

    # Two new messages: the page still reaches what is stored; no older page is read.
    server.requests.clear()
    server.routes["/s/arabworkers"] = older(range(1189, 1209), 1189)
    assert main(["poll", "--all", "--config", str(config)]) == 0
    assert paths(server) == ["/s/arabworkers"]

    # Twelve new ones, more than the page shows: read back to the stored ones, no further.
    server.requests.clear()
    server.routes["/s/arabworkers?before=1211"] = older(range(1191, 1211), 1191)
    server.routes["/s/arabworkers"] = older(range(1211, 1221), 1211)
    assert main(["poll", "--all", "--config", str(config)]) == 0
    assert paths(server) == ["/s/arabworkers", "/s/arabworkers?before=1211"]
    with Store(tmp_path / "test.db", readonly=True) as store:
        links = set(store.latest_links(server.url("/s/arabworkers"), 500))
    assert {f"https://t.me/arabworkers/{n}" for n in range(1207, 1221)} <= links


def test_preview_off_deleted_channel_and_rate_limit_are_clear_source_errors(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server = feed_server
    # t.me/s/NAME of a channel without a preview, or of no channel, redirects to t.me/NAME
    moved = {"validators": False, "status": 302}
    server.routes["/s/closedchannel"] = Route(headers={"Location": "/closedchannel"}, **moved)
    server.routes["/closedchannel"] = html((PAGES / "telegram-disabled.html").read_bytes())
    server.routes["/s/goneforgood"] = Route(headers={"Location": "/goneforgood"}, **moved)
    server.routes["/goneforgood"] = html((PAGES / "telegram-missing.html").read_bytes())
    server.routes["/s/busychannel"] = Route(
        status=429, headers={"Retry-After": "3600"}, body=b"Too Many Requests"
    )
    config = write_config(
        tmp_path,
        [
            ("مغلقة", server.url("/s/closedchannel")),
            ("محذوفة", server.url("/s/goneforgood")),
            ("مزدحمة", server.url("/s/busychannel")),
        ],
    )
    assert main(["poll", "--config", str(config)]) == 1  # every source failed
    out = capsys.readouterr().out
    assert "FAILED مغلقة: the channel @closedchannel has its web preview turned off" in out
    assert "FAILED محذوفة: no public channel @goneforgood (deleted, renamed, or private)" in out
    assert "FAILED مزدحمة: HTTP 429 Too Many Requests (retry after 3600 s)" in out
    with Store(tmp_path / "test.db", readonly=True) as store:
        states = {s.name: s for s in store.source_states()}
    for state in states.values():
        assert state.error_count == 1
        assert state.next_poll is not None and state.last_poll is not None
    busy = states["مزدحمة"]
    assert busy.next_poll - busy.last_poll >= timedelta(hours=1)  # Retry-After honoured
    closed = states["مغلقة"]
    assert closed.next_poll - closed.last_poll >= timedelta(minutes=15)


def test_try_source_shows_a_channels_messages(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    feed_server.routes["/s/arabworkers"] = Route(body=CHANNEL, content_type="text/html")
    config = write_config(tmp_path, [("عمال العرب", feed_server.url("/s/arabworkers"))])
    assert main(["try-source", "عمال العرب", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "عمال العرب: a Telegram channel" in out
    assert "5 item(s); nothing stored (a dry run)" in out
    assert "image:  https://cdn4.telesco.pe/file/c3RyaWtlLWNhaXJvLXRlYWNoZXJz.jpg" in out
    assert "media:  https://cdn4.telesco.pe/file/dmlkZW8tc2l0LWlu.mp4?token=abc" in out
    assert "author: دار الخدمات النقابية والعمالية" in out
    # the first poll would read older pages too: the page served has none (404 here)
    assert "warning: older messages not read" in out
    assert not (tmp_path / "test.db").exists()


# --- one story, told on a channel and in a feed ------------------------------------------------

STRIKE_TEXT = (
    "أعلنت نقابة المعلمين في القاهرة إضراباً شاملاً عن العمل يبدأ يوم الأحد، احتجاجاً على "
    "تجميد الأجور منذ 12 شهراً. وقالت النقابة في بيان إن الإضراب سيستمر حتى تستجيب وزارة "
    "التربية لمطالبها."
)


def test_the_same_story_on_a_channel_and_in_a_feed_is_one_story(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    feed_server.routes["/s/arabworkers"] = Route(body=CHANNEL, content_type="text/html")
    told = datetime(2026, 9, 14, 8, 45, tzinfo=UTC)  # 40 minutes after the channel's message
    feed_server.routes["/daily.rss"] = Route(
        body=(
            "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Daily"
            "</title><link>https://daily.example/</link><description>d</description><item>"
            "<guid>d-1</guid><link>https://daily.example/news/1001</link>"
            "<title>عاجل: نقابة المعلمين تعلن اضرابا شاملا في القاهره بدءا من الاحد</title>"
            f"<description>{escape(STRIKE_TEXT)}</description>"
            f"<pubDate>{format_datetime(told)}</pubDate></item></channel></rss>"
        ).encode()
    )
    config = write_config(
        tmp_path,
        [
            ("عمال العرب", feed_server.url("/s/arabworkers")),
            ("Daily", feed_server.url("/daily.rss")),
        ],
    )
    # One at a time, so the channel's message comes first and leads the story.
    assert main(["poll", "--source", "عمال العرب", "--config", str(config)]) == 0
    assert main(["poll", "--source", "Daily", "--config", str(config)]) == 0
    out = tmp_path / "public"
    assert main(["build", "--config", str(config), "--out", str(out)]) == 0
    items = json.loads((out / "feeds" / "labour.json").read_text(encoding="utf-8"))["items"]
    strikes = [i for i in items if "إضراب" in i["title"] or "اضرابا" in i["title"]]
    assert len(strikes) == 1
    story = strikes[0]
    assert story["url"] == "https://t.me/arabworkers/1202"
    names = [s["name"] for s in story["_aggregator"]["sources"]]
    assert names == ["عمال العرب", "Daily"]
    assert "https://daily.example/news/1001" in story["content_html"]  # "also published by"
