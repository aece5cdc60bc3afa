"""The SQLite store: the whole schema and every query live here and nowhere else.

Why this shape:
- An item is stored once. ``item_keys`` maps every identity key an item was seen under
  (a source-scoped guid, a canonical link, a content hash) to the item, so a later source
  carrying the same article finds it by any key and joins it instead of adding a copy.
- ``item_sources`` keeps every source that carried an item, in the order they joined; the
  first one is the item's "home" source, the only one allowed to edit it in place.
- ``item_categories`` repeats the item's date so the per-category feed query is one index
  range scan with ``LIMIT``, however large the store grows.
- Poll state (validators, body hash, error count, next poll) lives with the source, so a
  restarted daemon resumes where it stopped and backoff survives restarts.
- Rendered outputs are stored too: ``poll`` renders once per change, and ``serve``/``build``
  (possibly other processes) read the same bytes with the same ETag.
- WAL mode lets the server read while a poll writes; each source's update is one
  transaction, so a crash never leaves half an update.

Keep every SQL statement behind a plain method here: a second backend (PostgreSQL, for
many pollers) should be one module, not a rewrite.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from aggregator.dedupe import html_to_text, normalize_text
from aggregator.errors import StorageError
from aggregator.models import (
    Candidate,
    Output,
    SaveResult,
    Source,
    SourceRef,
    SourceState,
    StoredItem,
    Validators,
)

SCHEMA_VERSION = 2  # 2: full-text search (search_docs, items_fts), backfilled on open
BUSY_TIMEOUT_MS = 15_000
# A fixed namespace so an item's id is a pure function of the first key it was seen under.
ITEM_NAMESPACE = uuid.UUID("6f1d7c2e-4a57-5b8e-9a3c-2f0e8d1b7a44")

DDL = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE IF NOT EXISTS sources (
    url TEXT PRIMARY KEY,           -- as configured: the source's identity
    name TEXT NOT NULL,
    fetch_url TEXT NOT NULL,        -- where it is fetched now (differs after a recorded 301)
    entry_hash TEXT,                -- fingerprint of the config entry; a change lifts `gone`
    etag TEXT,
    last_modified TEXT,
    body_hash TEXT,
    last_poll TEXT,
    last_success TEXT,
    last_status INTEGER,
    last_error TEXT,
    error_count INTEGER NOT NULL DEFAULT 0,
    next_poll TEXT,                 -- NULL: due now
    moved_to TEXT,                  -- a 301 target seen once, not yet adopted
    gone INTEGER NOT NULL DEFAULT 0 -- 410: not polled until the config entry changes
);
CREATE TABLE IF NOT EXISTS items (
    id TEXT PRIMARY KEY,
    link TEXT,
    title TEXT NOT NULL,
    summary_html TEXT NOT NULL,
    content_html TEXT NOT NULL,
    author TEXT,
    published TEXT NOT NULL,        -- original date, or first seen; never changes
    first_seen TEXT NOT NULL,
    updated TEXT,
    content_hash TEXT NOT NULL,
    dropped INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS items_published ON items(published DESC, id DESC) WHERE dropped = 0;
CREATE TABLE IF NOT EXISTS item_keys (
    key TEXT PRIMARY KEY,
    item_id TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS item_keys_item ON item_keys(item_id);
CREATE TABLE IF NOT EXISTS item_sources (
    item_id TEXT NOT NULL,
    source_url TEXT NOT NULL,
    position INTEGER NOT NULL,      -- 0: the source that brought the item first
    guid TEXT,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (item_id, source_url)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS item_sources_source ON item_sources(source_url);
CREATE TABLE IF NOT EXISTS item_categories (
    category TEXT NOT NULL,
    published TEXT NOT NULL,
    item_id TEXT NOT NULL,
    PRIMARY KEY (category, published, item_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS item_categories_item ON item_categories(item_id);
CREATE TABLE IF NOT EXISTS polls (
    id INTEGER PRIMARY KEY,
    source_url TEXT NOT NULL,
    at TEXT NOT NULL,
    outcome TEXT NOT NULL,          -- new, unchanged, not_modified, error
    http_status INTEGER,
    new_items INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    elapsed REAL
);
CREATE INDEX IF NOT EXISTS polls_source ON polls(source_url, at);
-- Full-text search. FTS5 rows are keyed by search_docs.id, an INTEGER PRIMARY KEY (stable
-- across VACUUM, unlike the implicit rowid of items); the indexed text is already
-- normalized (dedupe.normalize_text), and queries are normalized the same way.
CREATE TABLE IF NOT EXISTS search_docs (
    id INTEGER PRIMARY KEY,
    item_id TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE IF NOT EXISTS items_fts USING fts5(
    text, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS outputs (
    path TEXT PRIMARY KEY,
    body BLOB NOT NULL,
    content_type TEXT NOT NULL,
    etag TEXT NOT NULL,
    last_modified TEXT NOT NULL
);
"""

_ITEM_COLUMNS = (
    "id, link, title, summary_html, content_html, author, published, first_seen, updated"
)


def to_text(moment: datetime) -> str:
    """Store times as fixed-width UTC text: it sorts chronologically and reads in a shell."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_text(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _content_hash(candidate: Candidate) -> str:
    item = candidate.item
    text = "\x1f".join(
        (item.title, item.summary_html, item.content_html, item.author or "", item.link or "")
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _entry_hash(source: Source) -> str:
    text = repr((source.name, source.url, sorted(source.categories), source.interval))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def item_id_for(first_key: str) -> str:
    """An item's id: a name-based UUID of the first key it was seen under, fixed at insert."""
    return f"urn:uuid:{uuid.uuid5(ITEM_NAMESPACE, first_key)}"


class Store:
    """One SQLite database. Not thread-safe: use one Store per thread or process."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = str(path)
        try:
            if readonly:
                uri = f"file:{Path(self.path).resolve()}?mode=ro"
                conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            else:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.db = sqlite_utils.Database(conn)
            if not readonly:
                self._migrate()
        except sqlite3.Error as e:
            raise StorageError(f"cannot open database {self.path}: {e}") from e

    # --- lifecycle ---------------------------------------------------------------------

    def _migrate(self) -> None:
        self.db.execute("PRAGMA journal_mode = WAL")
        # NORMAL is durable across application crashes in WAL mode; only a power cut may
        # lose the last commits, never corrupt the file.
        self.db.execute("PRAGMA synchronous = NORMAL")
        try:
            # executescript commits as it goes; every statement is IF NOT EXISTS, so a
            # crash part-way leaves a schema the next start completes.
            self.db.conn.executescript(DDL)
        except sqlite3.Error as e:
            raise StorageError(f"cannot create the schema in {self.path}: {e}") from e
        with self._write():
            version = self._meta("schema_version")
            if version is None:
                self._set_meta("schema_version", str(SCHEMA_VERSION))
            elif int(version) < 2:
                # Written before search existed: index every stored item once, in this
                # same transaction, so a crash part-way simply redoes it.
                self._backfill_search()
                self._set_meta("schema_version", str(SCHEMA_VERSION))
            elif int(version) > SCHEMA_VERSION:
                raise StorageError(
                    f"{self.path} was written by a newer aggregator (schema {version}); "
                    "upgrade the aggregator or use another --db"
                )

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One transaction; any sqlite error becomes a StorageError and nothing is kept."""
        try:
            with self.db.atomic():
                yield
        except sqlite3.Error as e:
            raise StorageError(f"database {self.path}: {e}") from e

    def _rows(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[dict]:
        try:
            return list(self.db.query(sql, params))
        except sqlite3.Error as e:
            raise StorageError(f"database {self.path}: {e}") from e

    def _meta(self, key: str) -> str | None:
        rows = self._rows("SELECT value FROM meta WHERE key = ?", [key])
        return rows[0]["value"] if rows else None

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    def integrity_check(self) -> str:
        return str(self._rows("PRAGMA integrity_check")[0]["integrity_check"])

    # --- sources and poll state --------------------------------------------------------

    def sync_sources(self, sources: Sequence[Source]) -> None:
        """Make the sources table know every configured source; keep removed ones' rows."""
        with self._write():
            for source in sources:
                entry = _entry_hash(source)
                self.db.execute(
                    "INSERT INTO sources(url, name, fetch_url, entry_hash) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(url) DO UPDATE SET name = excluded.name",
                    [source.url, source.name, source.url, entry],
                )
                # A changed config entry is the operator's answer to a 410 or a move.
                self.db.execute(
                    "UPDATE sources SET entry_hash = ?, gone = 0, error_count = 0, "
                    "next_poll = NULL, fetch_url = url, moved_to = NULL "
                    "WHERE url = ? AND entry_hash IS NOT ?",
                    [entry, source.url, entry],
                )

    def source_states(self) -> list[SourceState]:
        rows = self._rows(
            "SELECT s.*, (SELECT count(*) FROM item_sources i WHERE i.source_url = s.url) "
            "AS items FROM sources s ORDER BY s.name"
        )
        return [_source_state(row) for row in rows]

    def source_state(self, url: str) -> SourceState | None:
        """One source's poll state, without counting its items (the poller asks per poll)."""
        rows = self._rows("SELECT s.*, NULL AS items FROM sources s WHERE s.url = ?", [url])
        return _source_state(rows[0]) if rows else None

    def known_urls(self) -> set[str]:
        return {row["url"] for row in self._rows("SELECT url FROM sources")}

    def due_urls(self, now: datetime) -> set[str]:
        """Sources whose next poll has come (never polled counts), except gone ones.

        Cheap on purpose: the daemon asks every second."""
        return {
            row["url"]
            for row in self._rows(
                "SELECT url FROM sources WHERE gone = 0 AND (next_poll IS NULL OR next_poll <= ?)",
                [to_text(now)],
            )
        }

    def fetch_url(self, url: str) -> str:
        rows = self._rows("SELECT fetch_url FROM sources WHERE url = ?", [url])
        return rows[0]["fetch_url"] if rows else url

    def record_fetch(
        self,
        source: Source,
        *,
        now: datetime,
        http_status: int,
        validators: Validators,
        body_hash: str | None,
        candidates: Sequence[Candidate] | None,
        next_poll: datetime,
        fetch_url: str | None = None,
        moved_to: str | None = None,
        elapsed: float = 0.0,
    ) -> SaveResult:
        """Store a successful poll: items, poll state and history, in one transaction.

        ``candidates`` is None when the body was not parsed (304 or the same body hash).
        """
        with self._write():
            result = (
                self._save_candidates(source, candidates, now)
                if candidates is not None
                else SaveResult()
            )
            if candidates is None:
                outcome = "not_modified" if http_status == 304 else "unchanged"
            else:
                outcome = "new" if result.new_ids or result.updated_ids else "unchanged"
            self.db.execute(
                "UPDATE sources SET etag = ?, last_modified = ?, body_hash = ?, last_poll = ?, "
                "last_success = ?, last_status = ?, last_error = NULL, error_count = 0, "
                "next_poll = ?, fetch_url = coalesce(?, fetch_url), moved_to = ? "
                "WHERE url = ?",
                [
                    validators.etag,
                    validators.last_modified,
                    body_hash,
                    to_text(now),
                    to_text(now),
                    http_status,
                    to_text(next_poll),
                    fetch_url,
                    moved_to,
                    source.url,
                ],
            )
            new_count = len(result.new_ids)
            self._add_poll(source.url, now, outcome, http_status, new_count, None, elapsed)
            self._set_meta("last_poll", to_text(now))
        return result

    def record_error(
        self,
        source: Source,
        *,
        now: datetime,
        error: str,
        http_status: int | None,
        next_poll: datetime,
        gone: bool = False,
        elapsed: float = 0.0,
    ) -> None:
        with self._write():
            self.db.execute(
                "UPDATE sources SET last_poll = ?, last_status = ?, last_error = ?, "
                "error_count = error_count + 1, next_poll = ?, gone = ? WHERE url = ?",
                [to_text(now), http_status, error, to_text(next_poll), int(gone), source.url],
            )
            self._add_poll(source.url, now, "error", http_status, 0, error, elapsed)
            self._set_meta("last_poll", to_text(now))

    def _add_poll(
        self,
        url: str,
        now: datetime,
        outcome: str,
        status: int | None,
        new_items: int,
        error: str | None,
        elapsed: float,
    ) -> None:
        self.db.execute(
            "INSERT INTO polls(source_url, at, outcome, http_status, new_items, error, elapsed) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [url, to_text(now), outcome, status, new_items, error, round(elapsed, 4)],
        )

    def last_poll(self) -> datetime | None:
        return from_text(self._meta("last_poll"))

    # --- items -------------------------------------------------------------------------

    def _save_candidates(
        self, source: Source, candidates: Sequence[Candidate], now: datetime
    ) -> SaveResult:
        new_ids: list[str] = []
        updated_ids: list[str] = []
        joined_ids: list[str] = []
        new_by_category: dict[str, int] = defaultdict(int)
        touched: set[str] = set()
        conn = self.db.conn
        for candidate in candidates:
            if not candidate.keys:
                continue
            item_id = self._find_item(candidate.keys)
            digest = _content_hash(candidate)
            if item_id is None:
                item_id = self._insert_item(source, candidate, digest, now)
                new_ids.append(item_id)
                if not candidate.dropped:
                    for category in candidate.categories:
                        new_by_category[category] += 1
                    touched.update(candidate.categories)
                continue
            conn.executemany(
                "INSERT OR IGNORE INTO item_keys(key, item_id) VALUES (?, ?)",
                [(key, item_id) for key in candidate.keys],
            )
            row = conn.execute(
                "SELECT i.content_hash, i.published, i.dropped, s.position FROM items i "
                "LEFT JOIN item_sources s ON s.item_id = i.id AND s.source_url = ? "
                "WHERE i.id = ?",
                [source.url, item_id],
            ).fetchone()
            if row is None:
                continue  # pruned: its keys are kept so it is not stored again as new
            old_hash, published, dropped, position = row
            changed = False
            if position is None:
                conn.execute(
                    "INSERT INTO item_sources(item_id, source_url, position, guid, first_seen) "
                    "VALUES (?, ?, (SELECT coalesce(max(position), -1) + 1 FROM item_sources "
                    "WHERE item_id = ?), ?, ?)",
                    [item_id, source.url, item_id, candidate.item.guid, to_text(now)],
                )
                joined_ids.append(item_id)
                changed = True
            elif position == 0 and old_hash != digest:
                # The home source edited its item: same id, same date, new text.
                item = candidate.item
                conn.execute(
                    "UPDATE items SET link = ?, title = ?, summary_html = ?, content_html = ?, "
                    "author = ?, updated = ?, content_hash = ? WHERE id = ?",
                    [
                        item.link,
                        item.title,
                        item.summary_html,
                        item.content_html,
                        item.author,
                        to_text(item.updated or now),
                        digest,
                        item_id,
                    ],
                )
                self._index_for_search(
                    item_id, item.title, item.summary_html, item.content_html
                )
                updated_ids.append(item_id)
                changed = True
            if candidate.dropped and not dropped:
                touched.update(self._categories_of(item_id))
                conn.execute("UPDATE items SET dropped = 1 WHERE id = ?", [item_id])
                conn.execute("DELETE FROM item_categories WHERE item_id = ?", [item_id])
            elif not dropped and not candidate.dropped:
                before = set(self._categories_of(item_id))
                conn.executemany(
                    "INSERT OR IGNORE INTO item_categories(category, published, item_id) "
                    "VALUES (?, ?, ?)",
                    [(c, published, item_id) for c in candidate.categories],
                )
                if changed or not candidate.categories <= before:
                    touched.update(before | candidate.categories)
        return SaveResult(
            new_ids=tuple(new_ids),
            updated_ids=tuple(updated_ids),
            joined_ids=tuple(joined_ids),
            new_by_category=dict(new_by_category),
            touched_categories=frozenset(touched),
        )

    def _find_item(self, keys: Sequence[str]) -> str | None:
        """The stored item known under the strongest of ``keys``, if any."""
        marks = ",".join("?" * len(keys))
        found = dict(
            self.db.conn.execute(
                f"SELECT key, item_id FROM item_keys WHERE key IN ({marks})", list(keys)
            ).fetchall()
        )
        return next((found[key] for key in keys if key in found), None)

    def _insert_item(self, source: Source, candidate: Candidate, digest: str, now: datetime) -> str:
        conn = self.db.conn
        item = candidate.item
        item_id = item_id_for(candidate.keys[0])
        suffix = 1
        while conn.execute("SELECT 1 FROM items WHERE id = ?", [item_id]).fetchone():
            # Only after the item's keys were pruned and it came back: keep ids unique.
            item_id = item_id_for(f"{candidate.keys[0]}\n{suffix}")
            suffix += 1
        published = to_text(item.published or now)
        conn.execute(
            "INSERT INTO items(id, link, title, summary_html, content_html, author, published, "
            "first_seen, updated, content_hash, dropped) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                item_id,
                item.link,
                item.title,
                item.summary_html,
                item.content_html,
                item.author,
                published,
                to_text(now),
                to_text(item.updated) if item.updated else None,
                digest,
                int(candidate.dropped),
            ],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO item_keys(key, item_id) VALUES (?, ?)",
            [(key, item_id) for key in candidate.keys],
        )
        self._index_for_search(item_id, item.title, item.summary_html, item.content_html)
        conn.execute(
            "INSERT INTO item_sources(item_id, source_url, position, guid, first_seen) "
            "VALUES (?, ?, 0, ?, ?)",
            [item_id, source.url, item.guid, to_text(now)],
        )
        if not candidate.dropped:
            conn.executemany(
                "INSERT INTO item_categories(category, published, item_id) VALUES (?, ?, ?)",
                [(c, published, item_id) for c in sorted(candidate.categories)],
            )
        return item_id

    def _categories_of(self, item_id: str) -> list[str]:
        return [
            row[0]
            for row in self.db.conn.execute(
                "SELECT category FROM item_categories WHERE item_id = ?", [item_id]
            )
        ]

    def latest_items(self, category: str | None, limit: int) -> list[StoredItem]:
        """The newest ``limit`` items of a category (None: of every category), newest first."""
        if category is None:
            rows = self._rows(
                f"SELECT {_ITEM_COLUMNS} FROM items WHERE dropped = 0 "
                "ORDER BY published DESC, id DESC LIMIT ?",
                [limit],
            )
        else:
            rows = self._rows(
                f"SELECT {_ITEM_COLUMNS} FROM items WHERE id IN ("
                "  SELECT item_id FROM item_categories WHERE category = ?"
                "  ORDER BY published DESC, item_id DESC LIMIT ?"
                ") ORDER BY published DESC, id DESC",
                [category, limit],
            )
        return self._hydrate(rows)

    def items_by_ids(self, ids: Sequence[str]) -> list[StoredItem]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self._rows(f"SELECT {_ITEM_COLUMNS} FROM items WHERE id IN ({marks})", list(ids))
        by_id = {item.id: item for item in self._hydrate(rows)}
        return [by_id[i] for i in ids if i in by_id]

    def _hydrate(self, rows: list[dict]) -> list[StoredItem]:
        """Attach categories and sources to item rows with two queries, not two per item."""
        if not rows:
            return []
        ids = [row["id"] for row in rows]
        marks = ",".join("?" * len(ids))
        categories: dict[str, list[str]] = defaultdict(list)
        for row in self._rows(
            f"SELECT item_id, category FROM item_categories WHERE item_id IN ({marks}) "
            "ORDER BY category",
            ids,
        ):
            categories[row["item_id"]].append(row["category"])
        sources: dict[str, list[SourceRef]] = defaultdict(list)
        for row in self._rows(
            "SELECT s.item_id, s.source_url, coalesce(src.name, s.source_url) AS name "
            "FROM item_sources s LEFT JOIN sources src ON src.url = s.source_url "
            f"WHERE s.item_id IN ({marks}) ORDER BY s.item_id, s.position",
            ids,
        ):
            sources[row["item_id"]].append(SourceRef(name=row["name"], url=row["source_url"]))
        return [
            StoredItem(
                id=row["id"],
                link=row["link"],
                title=row["title"],
                summary_html=row["summary_html"],
                content_html=row["content_html"],
                author=row["author"],
                published=from_text(row["published"]) or datetime.now(UTC),
                first_seen=from_text(row["first_seen"]) or datetime.now(UTC),
                updated=from_text(row["updated"]),
                categories=tuple(categories[row["id"]]),
                sources=tuple(sources[row["id"]]),
            )
            for row in rows
        ]

    def count_items(self) -> int:
        return int(self._rows("SELECT count(*) AS n FROM items WHERE dropped = 0")[0]["n"])

    def iter_items(self, batch: int = 500) -> Iterator[StoredItem]:
        """Every stored item, oldest first, in batches so a large store streams."""
        after = ("", "")
        while True:
            rows = self._rows(
                f"SELECT {_ITEM_COLUMNS} FROM items WHERE dropped = 0 AND "
                "(published, id) > (?, ?) ORDER BY published, id LIMIT ?",
                [after[0], after[1], batch],
            )
            if not rows:
                return
            yield from self._hydrate(rows)
            after = (rows[-1]["published"], rows[-1]["id"])

    # --- full-text search --------------------------------------------------------------

    def _index_for_search(self, item_id: str, title: str, summary: str, content: str) -> None:
        """(Re)index one item's normalized title and text; call inside a transaction."""
        conn = self.db.conn
        conn.execute("INSERT OR IGNORE INTO search_docs(item_id) VALUES (?)", [item_id])
        (doc_id,) = conn.execute(
            "SELECT id FROM search_docs WHERE item_id = ?", [item_id]
        ).fetchone()
        conn.execute("DELETE FROM items_fts WHERE rowid = ?", [doc_id])
        conn.execute(
            "INSERT INTO items_fts(rowid, text) VALUES (?, ?)",
            [doc_id, search_text(title, summary, content)],
        )

    def _backfill_search(self) -> None:
        rows = self.db.conn.execute(
            "SELECT id, title, summary_html, content_html FROM items "
            "WHERE id NOT IN (SELECT item_id FROM search_docs)"
        ).fetchall()
        for item_id, title, summary, content in rows:
            self._index_for_search(item_id, title, summary, content)

    def search_items(
        self, query: str, limit: int, *, category: str | None = None
    ) -> list[StoredItem]:
        """The newest ``limit`` published items matching ``query`` (see ``fts_query``).

        Raises ``SearchError`` when the query has no words to look for."""
        match = fts_query(query)
        sql = (
            f"SELECT {', '.join('i.' + c.strip() for c in _ITEM_COLUMNS.split(','))} "
            "FROM items_fts f JOIN search_docs d ON d.id = f.rowid "
            "JOIN items i ON i.id = d.item_id "
            "WHERE items_fts MATCH ? AND i.dropped = 0"
        )
        params: list[Any] = [match]
        if category is not None:
            sql += " AND i.id IN (SELECT item_id FROM item_categories WHERE category = ?)"
            params.append(category)
        sql += " ORDER BY i.published DESC, i.id DESC LIMIT ?"
        params.append(limit)
        try:
            rows = [dict(r) for r in _dict_rows(self.db.conn.execute(sql, params))]
        except sqlite3.OperationalError as e:
            raise SearchError(f"cannot search for {query!r}: {e}") from e
        except sqlite3.Error as e:
            raise StorageError(f"database {self.path}: {e}") from e
        return self._hydrate(rows)

    # --- maintenance -------------------------------------------------------------------

    def prune(self, older_than: datetime, keep_newest: int, categories: Sequence[str]) -> int:
        """Delete items published before ``older_than``, except the newest ``keep_newest``
        of each published feed (so a quiet category never empties). Identity keys stay, so
        a pruned item that a source still carries is not stored again as new."""
        cutoff = to_text(older_than)
        with self._write():
            conn = self.db.conn
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS keep (id TEXT PRIMARY KEY)")
            conn.execute("DELETE FROM keep")
            conn.execute(
                "INSERT OR IGNORE INTO keep SELECT id FROM items WHERE dropped = 0 "
                "ORDER BY published DESC, id DESC LIMIT ?",
                [keep_newest],
            )
            for category in categories:
                conn.execute(
                    "INSERT OR IGNORE INTO keep SELECT item_id FROM item_categories "
                    "WHERE category = ? ORDER BY published DESC, item_id DESC LIMIT ?",
                    [category, keep_newest],
                )
            doomed = "SELECT id FROM items WHERE published < ? AND id NOT IN (SELECT id FROM keep)"
            conn.execute(f"DELETE FROM item_categories WHERE item_id IN ({doomed})", [cutoff])
            conn.execute(
                "DELETE FROM items_fts WHERE rowid IN (SELECT id FROM search_docs "
                f"WHERE item_id IN ({doomed}))",
                [cutoff],
            )
            conn.execute(f"DELETE FROM search_docs WHERE item_id IN ({doomed})", [cutoff])
            conn.execute(f"DELETE FROM item_sources WHERE item_id IN ({doomed})", [cutoff])
            deleted = conn.execute(
                "DELETE FROM items WHERE published < ? AND id NOT IN (SELECT id FROM keep)",
                [cutoff],
            ).rowcount
            conn.execute("DELETE FROM polls WHERE at < ?", [cutoff])
        return int(deleted)

    def checkpoint(self) -> None:
        """Fold the WAL back into the database file so it does not grow without bound."""
        try:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as e:
            raise StorageError(f"database {self.path}: checkpoint failed: {e}") from e

    # --- published outputs -------------------------------------------------------------

    def save_outputs(self, files: Mapping[str, tuple[bytes, str]], now: datetime) -> list[str]:
        """Store rendered files; only a changed body gets a new ETag and Last-Modified."""
        changed: list[str] = []
        with self._write():
            current = {
                row["path"]: row["etag"] for row in self._rows("SELECT path, etag FROM outputs")
            }
            for path, (body, content_type) in files.items():
                etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
                if current.get(path) == etag:
                    continue
                self.db.execute(
                    "INSERT INTO outputs(path, body, content_type, etag, last_modified) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET body = excluded.body, "
                    "content_type = excluded.content_type, etag = excluded.etag, "
                    "last_modified = excluded.last_modified",
                    [path, body, content_type, etag, to_text(now)],
                )
                changed.append(path)
            if changed:
                version = int(self._meta("outputs_version") or 0) + 1
                self._set_meta("outputs_version", str(version))
        return changed

    def outputs_version(self) -> int:
        return int(self._meta("outputs_version") or 0)

    def outputs(self) -> list[Output]:
        return [
            Output(
                path=row["path"],
                body=row["body"],
                content_type=row["content_type"],
                etag=row["etag"],
                last_modified=from_text(row["last_modified"]) or datetime.now(UTC),
            )
            for row in self._rows("SELECT * FROM outputs ORDER BY path")
        ]


class SearchError(StorageError):
    """A search query with nothing to look for, or one SQLite could not run."""


# Arabic clitics a word may carry (the rules' prefixes: و ف ب ل ك, the article, لل), so a
# search for اضراب also finds والإضراب and للإضراب, as the rules do.
# fmt: off
_ARABIC_PREFIXES = (
    "", "و", "ف", "ب", "ل", "ك", "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل",
    "وب", "ول", "فب", "فل", "وك",
)
# fmt: on
_ARABIC_WORD = re.compile("^[\u0621-\u064a\u0671-\u06d3]")
_QUERY_TOKEN = re.compile(r'"[^"]*"?|\S+')
MAX_QUERY_WORDS = 16


def search_text(title: str, summary_html: str, content_html: str) -> str:
    """What the search index holds for an item: its words, normalized like the rules'."""
    text = " ".join((title, html_to_text(summary_html), html_to_text(content_html)))
    return normalize_text(text)


def _fts_phrase(words: list[str], prefix: bool) -> str:
    return '"' + " ".join(words) + '"' + ("*" if prefix else "")


def fts_query(query: str) -> str:
    """An FTS5 MATCH expression for what a reader typed; never an FTS syntax error.

    Words must all occur (AND); ``"several words"`` is a phrase; ``OR`` (in capitals)
    between two terms means either; ``word*`` matches words starting with it. Every term
    is normalized like the indexed text (diacritics, alef forms, case) and quoted, so no
    character a reader types is FTS syntax. An Arabic word also matches with the clitic
    prefixes the rules accept."""
    terms: list[str] = []
    pending_or = False
    for token in _QUERY_TOKEN.findall(query):
        if token == "OR":
            pending_or = bool(terms)
            continue
        quoted = token.startswith('"')
        prefix = token.endswith("*") and not quoted
        words = normalize_text(token.strip('"').rstrip("*")).split()
        if not words:
            continue
        if not quoted and len(words) == 1 and _ARABIC_WORD.match(words[0]) and not prefix:
            word = words[0]
            stem = word[2:] if word.startswith("ال") and len(word) > 4 else word
            variants = dict.fromkeys(p + stem for p in _ARABIC_PREFIXES)
            term = "(" + " OR ".join(_fts_phrase([v], False) for v in variants) + ")"
        elif quoted:
            term = _fts_phrase(words, False)
        else:
            # "covid-19" normalizes to two words: they must occur together, as typed.
            term = _fts_phrase(words, prefix)
        if pending_or and terms:
            terms[-1] = f"({terms[-1]} OR {term})"
        else:
            terms.append(term)
        pending_or = False
        if len(terms) >= MAX_QUERY_WORDS:
            break
    if not terms:
        raise SearchError(
            "the search has no words to look for: write one or more words, e.g. q=إضراب"
        )
    return " AND ".join(terms)


def _dict_rows(cursor: sqlite3.Cursor) -> Iterator[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


def _source_state(row: Mapping[str, Any]) -> SourceState:
    return SourceState(
        url=row["url"],
        name=row["name"],
        last_poll=from_text(row["last_poll"]),
        last_success=from_text(row["last_success"]),
        last_status=row["last_status"],
        last_error=row["last_error"],
        error_count=row["error_count"],
        next_poll=from_text(row["next_poll"]),
        items=row["items"] or 0,
        validators=Validators(etag=row["etag"], last_modified=row["last_modified"]),
        body_hash=row["body_hash"],
        fetch_url=row["fetch_url"],
        moved_to=row["moved_to"],
        gone=bool(row["gone"]),
    )
