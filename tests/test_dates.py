"""Page dates (aggregator.dates): the shapes Arabic news pages write, read exactly.

Every case has a fixed fetch time and page zone: relative dates count back from the
fetch, and nothing depends on when the test runs."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from aggregator.dates import parse_date

NOW = datetime(2026, 5, 10, 12, 0, tzinfo=UTC)  # the fetch: 15:00 in Cairo (UTC+3 in May)
CAIRO = ZoneInfo("Africa/Cairo")
BEIRUT = ZoneInfo("Asia/Beirut")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


CASES = [
    # machine dates keep their own zone
    ("2024-05-03T08:30:00+03:00", utc(2024, 5, 3, 5, 30)),
    ("2024-05-03T08:30:00Z", utc(2024, 5, 3, 8, 30)),
    ("Fri, 03 May 2024 08:30:00 GMT", utc(2024, 5, 3, 8, 30)),
    ("GMT+3 2024-05-03 10:00", utc(2024, 5, 3, 7, 0)),
    # Egyptian / Gulf month names, a weekday, a time with م (pm) or ص (am)
    ("الجمعة، 3 مايو 2024 - 08:30 م", utc(2024, 5, 3, 17, 30)),
    ("12:30 ص 1 يناير 2025", utc(2024, 12, 31, 22, 30)),
    ("3 ابريل 2024", utc(2024, 4, 2, 22, 0)),  # no hamza; Cairo is UTC+2 before its summer time
    ("3 إبريل 2024", utc(2024, 4, 2, 22, 0)),
    ("15 يونيه 2024 11:00", utc(2024, 6, 15, 8, 0)),
    # Levantine months, two-word ones too, with Arabic-Indic digits
    ("٣ أيار ٢٠٢٤", utc(2024, 5, 2, 21, 0)),
    ("الخميس 2 كانون الثاني 2025 الساعة 10:15", utc(2025, 1, 2, 8, 15)),
    ("15 تشرين الأول 2025", utc(2025, 10, 14, 21, 0)),
    ("١٥ تشرين الاول ٢٠٢٥", utc(2025, 10, 14, 21, 0)),
    ("20 تشرين الثاني 2025", utc(2025, 11, 19, 22, 0)),
    ("1 كانون الأول 2025", utc(2025, 11, 30, 22, 0)),
    ("9 آب 2024", utc(2024, 8, 8, 21, 0)),
    # Maghreb months
    ("12 أفريل 2025", utc(2025, 4, 11, 22, 0)),
    ("5 جويلية 2025", utc(2025, 7, 4, 21, 0)),
    # a Hijri date first, the Gregorian one after it
    ("نشر في 24 شوال 1445 هـ الموافق 3 مايو 2024م", utc(2024, 5, 2, 21, 0)),
    # day-first numbers; year-first; two-digit years; only-possible month-first
    ("03/05/2024", utc(2024, 5, 2, 21, 0)),
    ("٠٣/٠٥/٢٠٢٤", utc(2024, 5, 2, 21, 0)),
    ("3-5-24 14:20", utc(2024, 5, 3, 11, 20)),
    ("03.05.2024", utc(2024, 5, 2, 21, 0)),
    ("2024/05/03", utc(2024, 5, 2, 21, 0)),
    ("05/23/2024", utc(2024, 5, 22, 21, 0)),
    # English
    ("May 3, 2024", utc(2024, 5, 2, 21, 0)),
    ("3 May 2024 09:00 pm", utc(2024, 5, 3, 18, 0)),
    # no year: this year, or last year's when that would be in the future
    ("3 مايو", utc(2026, 5, 2, 21, 0)),
    ("28 ديسمبر", utc(2025, 12, 27, 22, 0)),
    # relative to the fetch
    ("منذ 3 ساعات", utc(2026, 5, 10, 9, 0)),
    ("منذ ٣ ساعات", utc(2026, 5, 10, 9, 0)),
    ("منذ ساعة", utc(2026, 5, 10, 11, 0)),
    ("قبل ساعتين", utc(2026, 5, 10, 10, 0)),
    ("منذ 5 دقائق", utc(2026, 5, 10, 11, 55)),
    ("منذ دقيقة", utc(2026, 5, 10, 11, 59)),
    ("منذ يومين", utc(2026, 5, 8, 12, 0)),
    ("منذ ثلاثة أيام", utc(2026, 5, 7, 12, 0)),
    ("منذ أسبوع", utc(2026, 5, 3, 12, 0)),
    ("3 hours ago", utc(2026, 5, 10, 9, 0)),
    ("an hour ago", utc(2026, 5, 10, 11, 0)),
    ("أمس 21:40", utc(2026, 5, 9, 18, 40)),
    ("yesterday", utc(2026, 5, 9, 12, 0)),
    ("اليوم 08:30", utc(2026, 5, 10, 5, 30)),
    ("الآن", NOW),
    # a date without a time: that day's start; today's: the fetch itself (first seen)
    ("2026-05-10", NOW),
    ("10 مايو 2026", NOW),
    # nothing to read
    ("", None),
    ("اقرأ المزيد", None),
    ("منذ زمن", None),
    ("31 فبراير 2024", None),
    ("24 شوال 1445", None),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_page_dates(text: str, expected: datetime | None) -> None:
    assert parse_date(text, now=NOW, tz=CAIRO) == expected


def test_a_date_without_an_offset_is_in_the_pages_zone() -> None:
    assert parse_date("3 أيار 2024 10:00", now=NOW, tz=BEIRUT) == utc(2024, 5, 3, 7, 0)
    assert parse_date("3 أيار 2024 10:00", now=NOW) == utc(2024, 5, 3, 10, 0)  # UTC by default
