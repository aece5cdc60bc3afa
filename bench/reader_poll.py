"""The peer: one poll of every feed with lemon24/reader, run in its own virtualenv.

    bench/.venv-reader/bin/python bench/reader_poll.py poll --db X --urls FILE [--workers 4]
    bench/.venv-reader/bin/python bench/reader_poll.py export --db X   # feed URL, link, title

Since reader 3.21 `update_feeds()` updates only feeds that are due, so every poll passes
`scheduled=False`: like `aggregator poll --all`, it fetches every feed.
"""

from __future__ import annotations

import argparse
import json
import sys

from reader import make_reader


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=("poll", "export"))
    parser.add_argument("--db", required=True)
    parser.add_argument("--urls")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    reader = make_reader(args.db)
    if args.command == "poll":
        with open(args.urls, encoding="utf-8") as f:
            urls = [line.strip() for line in f if line.strip()]
        for url in urls:
            reader.add_feed(url, exist_ok=True)
        errors = 0
        for result in reader.update_feeds_iter(scheduled=False, workers=args.workers):
            if isinstance(result.value, Exception):
                errors += 1
        counts = reader.get_entry_counts()
        print(json.dumps({"entries": counts.total, "errors": errors}))
    else:
        out = sys.stdout
        for entry in reader.get_entries():
            cells = (entry.feed_url, entry.link or "", entry.title or "")
            out.write("\t".join(c.replace("\t", " ").replace("\n", " ") for c in cells) + "\n")
    reader.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
