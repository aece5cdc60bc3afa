"""Page dates: aggregator.dates (a table) against dateparser, on the dates Arabic pages write.

    .venv/bin/pip install dateparser   # only for this comparison; not a dependency
    .venv/bin/python bench/bench_dates.py

Prints each one's start-up (import and a first date, in a fresh interpreter, best of 3),
its cost per date, and the dates the two read differently (None: not read).
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

NOW = datetime(2026, 5, 10, 12, 0, tzinfo=UTC)
CAIRO = ZoneInfo("Africa/Cairo")
DATES = [
    "2024-05-03T08:30:00+03:00",
    "الجمعة، 3 مايو 2024 - 08:30 م",
    "٣ أيار ٢٠٢٤",
    "الخميس 2 كانون الثاني 2025 الساعة 10:15",
    "15 تشرين الأول 2025",
    "03/05/2024",
    "3-5-2024 14:20",
    "منذ 3 ساعات",
    "منذ ساعة",
    "قبل ساعتين",
    "منذ ٥ دقائق",
    "منذ يومين",
    "أمس 09:00",
    "3 hours ago",
    "12 أفريل 2025",
    "نشر في 24 شوال 1445 هـ الموافق 3 مايو 2024م",
]


FIRST = {
    "aggregator.dates": "from datetime import UTC, datetime; "
    "aggregator.dates.parse_date('منذ 3 ساعات', now=datetime.now(UTC))",
    "dateparser": "dateparser.parse('منذ 3 ساعات', languages=['ar', 'en'])",
}


def import_time(module: str) -> float:
    """Importing ``module`` and reading a first date (dateparser loads its language data
    on first use), in a fresh interpreter."""
    best = float("inf")
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", f"import time; t = time.perf_counter(); import {module}; "
             f"{FIRST[module]}; print(time.perf_counter() - t)"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        best = min(best, float(out.stdout))
    return best


def per_date(parse, rounds: int) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        for text in DATES:
            parse(text)
    return (time.perf_counter() - started) / (rounds * len(DATES))


def main() -> None:
    from aggregator.dates import parse_date

    ours = lambda text: parse_date(text, now=NOW, tz=CAIRO)  # noqa: E731
    print(f"aggregator.dates: start-up {import_time('aggregator.dates') * 1000:.0f} ms, "
          f"{per_date(ours, 200) * 1e6:.1f} us a date")  # fmt: skip
    try:
        import dateparser
    except ImportError:
        print("dateparser: not installed (pip install dateparser to compare)")
        return
    settings = {
        "RELATIVE_BASE": NOW.astimezone(CAIRO).replace(tzinfo=None),
        "TIMEZONE": "Africa/Cairo",
        "TO_TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "DATE_ORDER": "DMY",
    }

    def theirs(text: str) -> datetime | None:
        return dateparser.parse(text, languages=["ar", "en"], settings=settings)

    theirs(DATES[0])  # its first call loads the language data: not counted per date
    startup = import_time("dateparser") * 1000
    print(f"dateparser {dateparser.__version__}: start-up {startup:.0f} ms, "
          f"{per_date(theirs, 5) * 1e6:.1f} us a date")  # fmt: skip
    for text in DATES:
        a, b = ours(text), theirs(text)
        b = b.astimezone(UTC) if b else None
        if a != b:
            print(f"  differ: {text!r}: ours {a}, dateparser {b}")


if __name__ == "__main__":
    main()
