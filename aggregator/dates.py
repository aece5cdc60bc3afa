"""Dates as web pages write them, Arabic first: text -> an aware UTC datetime, or None.

Feeds carry machine dates (RFC 822, ISO 8601) and feedparser reads them. Pages carry
what a person reads: "الجمعة 3 مايو 2024 - 08:30 م", "3 أيار 2024", "٠٣/٠٥/٢٠٢٤",
"منذ 3 ساعات". This module reads:

- ISO 8601 (``<time datetime>``) and RFC 822 dates, as they are;
- month names in the Egyptian and Gulf series (يناير ... ديسمبر), the Levantine and Iraqi
  one (كانون الثاني ... كانون الأول), the Maghreb ones (جانفي, أفريل, جوان, غشت, شتنبر ...)
  and English, spelled with or without hamzas (the text is normalized like the rules');
- Arabic-Indic and Persian digits;
- day-first numeric dates (03/05/2024, 3-5-24, 03.05.2024; 2024/05/03 is year-first);
- a time of day, with ص / م (or am / pm) when it follows the time;
- relative dates ("منذ 3 ساعات", "قبل ساعتين", "منذ يوم", "أمس", "اليوم 08:30",
  "3 hours ago", "yesterday"), against ``now``: the time of the fetch.

A small table, not dateparser: dateparser misses the Levantine and Maghreb month
names and "منذ ساعة", starts several times slower and reads each date about a hundred
times slower (bench/bench_dates.py). Dates without a zone are in ``tz`` (the page's time
zone, from the config).
A date without a time of day is that day's start, except today's: an item dated today is
dated when it was first seen, so that today's items keep their order on the page.
"""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from aggregator.text import ascii_digits, normalize_text

__all__ = ["parse_date"]


def _months(table: dict[int, tuple[str, ...]]) -> dict[str, int]:
    return {normalize_text(name): month for month, names in table.items() for name in names}


# One word each; the Levantine names of January, October, November and December are two
# (كانون الثاني, تشرين الأول, ...): see _TWO_WORD_MONTHS.
_MONTHS = _months(
    {
        1: ("يناير", "جانفي", "january", "jan"),
        2: ("فبراير", "فيفري", "شباط", "february", "feb"),
        3: ("مارس", "آذار", "march", "mar"),
        4: ("أبريل", "إبريل", "أفريل", "نيسان", "april", "apr"),
        5: ("مايو", "ماي", "أيار", "may"),
        6: ("يونيو", "يونيه", "جوان", "حزيران", "june", "jun"),
        7: ("يوليو", "يوليه", "جويلية", "يوليوز", "تموز", "july", "jul"),
        8: ("أغسطس", "أوت", "غشت", "آب", "august", "aug"),
        9: ("سبتمبر", "شتنبر", "أيلول", "september", "sep", "sept"),
        10: ("أكتوبر", "october", "oct"),
        11: ("نوفمبر", "نونبر", "november", "nov"),
        12: ("ديسمبر", "دجنبر", "december", "dec"),
    }
)
_FIRST = frozenset(normalize_text(w) for w in ("الأول", "أول"))
_SECOND = frozenset(normalize_text(w) for w in ("الثاني", "ثاني"))
_TWO_WORD_MONTHS = {
    (normalize_text("كانون"), "second"): 1,
    (normalize_text("تشرين"), "first"): 10,
    (normalize_text("تشرين"), "second"): 11,
    (normalize_text("كانون"), "first"): 12,
}

# Relative dates: unit words (normalized) -> (seconds, the count the word itself says:
# 1 for a singular, 2 for a dual, None for a plural that needs a number).
_UNITS: dict[str, tuple[int, int | None]] = {}
for _seconds, _forms in (
    (1, (("ثانية", 1), ("ثانيتين", 2), ("ثوان", None), ("ثواني", None))),
    (60, (("دقيقة", 1), ("دقيقتين", 2), ("دقائق", None))),
    (3600, (("ساعة", 1), ("ساعتين", 2), ("ساعات", None))),
    (86400, (("يوم", 1), ("يومين", 2), ("أيام", None))),
    (7 * 86400, (("أسبوع", 1), ("أسبوعين", 2), ("أسابيع", None))),
    (30 * 86400, (("شهر", 1), ("شهرين", 2), ("أشهر", None), ("شهور", None))),
):
    for _word, _count in _forms:
        _UNITS[normalize_text(_word)] = (_seconds, _count)
for _seconds, _word in (
    (1, "second"), (60, "minute"), (3600, "hour"), (86400, "day"), (7 * 86400, "week"),
    (30 * 86400, "month"),
):  # fmt: skip
    _UNITS[_word] = (_seconds, 1)
    _UNITS[_word + "s"] = (_seconds, None)
_AGO_BEFORE = frozenset(normalize_text(w) for w in ("منذ", "قبل"))
_NUMBER_WORDS = {
    normalize_text(w): n
    for n, words in {
        1: ("واحد", "واحدة", "a", "an", "one"),
        2: ("اثنين", "اثنتين", "two"),
        3: ("ثلاث", "ثلاثة", "three"),
        4: ("أربع", "أربعة", "four"),
        5: ("خمس", "خمسة", "five"),
        6: ("ست", "ستة", "six"),
        7: ("سبع", "سبعة", "seven"),
        8: ("ثماني", "ثمانية", "eight"),
        9: ("تسع", "تسعة", "nine"),
        10: ("عشر", "عشرة", "ten"),
    }.items()
    for w in words
}
_TODAY = frozenset(normalize_text(w) for w in ("اليوم", "today"))
_YESTERDAY = frozenset(normalize_text(w) for w in ("أمس", "الأمس", "البارحة", "yesterday"))
_NOW = frozenset(normalize_text(w) for w in ("الآن", "now", "الان"))

_ISO_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$"
)
_TIME_RE = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?![\d:])")
# What follows a time of day: morning (ص, صباحاً, am) or afternoon and evening (م, مساءً...).
_AM_RE = re.compile(r"^\s*(?:ص\b|صباح|a\.?m\b)", re.I)
_PM_RE = re.compile(r"^\s*(?:م\b|مساء|ظهر|عصر|ليل|p\.?m\b)", re.I)
_NUMERIC_RE = re.compile(r"(?<!\d)(\d{1,4})([/.-])(\d{1,2})\2(\d{2,4})(?!\d)")
_YEAR_RE = re.compile(r"^((?:19|20)\d\d)(?!\d)")
_OFFSET_RE = re.compile(r"(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.I)


def parse_date(text: str, *, now: datetime, tz: tzinfo = UTC) -> datetime | None:
    """The moment ``text`` names, in UTC, or None when it names none.

    ``now`` (aware) is when the page was fetched: relative dates count back from it.
    ``tz`` is the page's zone, for dates written without an offset."""
    raw = " ".join(ascii_digits(text).split())
    if not raw or len(raw) > 200:
        return None
    if _ISO_RE.match(raw) and len(raw) > 10:
        return _iso(raw, tz)
    if "," in raw and raw[:3].isascii() and raw[:1].isalpha():
        rfc = _rfc822(raw)
        if rfc is not None:
            return rfc
    zone = _offset(raw) or tz
    local_now = now.astimezone(zone)

    clock = _TIME_RE.search(raw)
    at: time | None = None
    rest = raw
    if clock is not None:
        at = _time_of_day(clock, raw[clock.end() :])
        rest = raw[: clock.start()] + " " + raw[clock.end() :]
    words = normalize_text(rest).split()

    ago = _relative(words)
    if ago is not None:
        return (now - ago).astimezone(UTC)
    if set(words) & _NOW and len(words) <= 2:
        return now.astimezone(UTC)

    day = _numeric_day(rest) or _named_day(words, local_now)
    if day is None:
        if set(words) & _TODAY:
            day = local_now.date()
        elif set(words) & _YESTERDAY:
            day = local_now.date() - timedelta(days=1)
            if at is None:
                return (now - timedelta(days=1)).astimezone(UTC)
        else:
            return None
    if at is None:
        if day == local_now.date():
            return now.astimezone(UTC)  # today, no time: when first seen
        at = time(0, 0)
    try:
        moment = datetime.combine(day, at, tzinfo=zone)
    except (ValueError, OverflowError):
        return None
    return moment.astimezone(UTC)


def _iso(raw: str, tz: tzinfo) -> datetime | None:
    text = raw[:-1] + "+00:00" if raw.endswith("Z") else raw
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(UTC)


def _rfc822(raw: str) -> datetime | None:
    try:
        moment = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _offset(raw: str) -> tzinfo | None:
    """ "GMT+3", "UTC+03:00": a zone the text names itself."""
    match = _OFFSET_RE.search(raw)
    if match is None:
        return None
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    if delta > timedelta(hours=14):
        return None
    return timezone(-delta if sign == "-" else delta)


def _time_of_day(match: re.Match[str], after: str) -> time | None:
    hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    if _PM_RE.match(after) and 1 <= hour < 12:
        hour += 12
    elif _AM_RE.match(after) and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _relative(words: list[str]) -> timedelta | None:
    """ "منذ 3 ساعات", "قبل ساعتين", "منذ ثلاثة أيام", "3 hours ago": how long ago."""
    arabic = bool(set(words) & _AGO_BEFORE)
    english = "ago" in words
    if not (arabic or english):
        return None
    for i, word in enumerate(words):
        unit = _UNITS.get(word)
        if unit is None:
            continue
        seconds, implied = unit
        before = words[i - 1] if i else ""
        count = int(before) if before.isdigit() else _NUMBER_WORDS.get(before, implied)
        if count is None:
            return None
        return timedelta(seconds=seconds * count)
    return None


def _numeric_day(raw: str) -> date | None:
    match = _NUMERIC_RE.search(raw)
    if match is None:
        return None
    a, _sep, b, c = match.groups()
    if len(a) == 4:  # 2024/05/03: year first
        year, month, day = int(a), int(b), int(c)
    else:
        day, month, year = int(a), int(b), int(c)
        if len(c) == 2:
            year += 2000
        if month > 12 and day <= 12:  # only readable month first (05/23/2024)
            day, month = month, day
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _named_day(words: list[str], local_now: datetime) -> date | None:
    """ "3 مايو 2024", "الخميس 2 كانون الثاني 2025", "May 3, 2024", "3 أيار" (this year)."""
    for i, word in enumerate(words):
        month = _MONTHS.get(word)
        width = 1
        if month is None and i + 1 < len(words):
            nxt = words[i + 1]
            which = "first" if nxt in _FIRST else "second" if nxt in _SECOND else None
            month = _TWO_WORD_MONTHS.get((word, which)) if which else None
            width = 2
        if month is None:
            continue
        before = words[i - 1] if i else ""
        after = words[i + width : i + width + 2]
        day = _day_number(before)
        year = None
        if day is None and after and _day_number(after[0]) is not None:
            day, after = _day_number(after[0]), after[1:]  # English: "May 3, 2024"
        if day is None:
            continue
        for token in after:
            found = _YEAR_RE.match(token)  # "2024", or "2024م" (AD)
            if found:
                year = int(found.group(1))
                break
        if year is None:
            year = local_now.year
            try:
                if date(year, month, day) > local_now.date() + timedelta(days=2):
                    year -= 1  # "28 ديسمبر" read in January: last year's
            except ValueError:
                return None
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return None


def _day_number(token: str) -> int | None:
    token = token.removesuffix("th").removesuffix("st").removesuffix("nd").removesuffix("rd")
    if token.isdigit() and 1 <= int(token) <= 31 and len(token) <= 2:
        return int(token)
    return None
