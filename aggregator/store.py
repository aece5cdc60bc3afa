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

import contextlib
import hashlib
import logging
import os
import re
import sqlite3
import time
import uuid
import zlib
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlite_utils

from aggregator.dedupe import (
    MIN_SHARED_BANDS,
    content_hash,
    search_text,
    story_keys_of,
    story_signature,
)
from aggregator.errors import AggregatorError, DatabaseLocked, StorageError
from aggregator.models import (
    Candidate,
    MergedStory,
    Output,
    ParsedItem,
    RelatedItem,
    SaveResult,
    Source,
    SourceRef,
    SourceState,
    StoredItem,
    StoryMatch,
    StoryMatcher,
    StoryMember,
    StoryPeer,
    StorySignature,
    Validators,
)
from aggregator.text import clitic_forms, normalize_text

# 2: full-text search (search_docs, items_fts), backfilled on open;
# 3: slim story index (story_words, story_keys), rebuilt from schema 2's on open;
# 4: the story index covers every stored item, ordered by publication time (story_n), with
#    the words and keys of aggregator.text: rebuilt from the items on open
# 5: sources.site_url; items with nothing to show (stored from cut-off bodies) dropped
SCHEMA_VERSION = 5
# The schema whose migration last rebuilt the story index: bump both when the words or
# keys dedupe computes change, or stored items stop matching new ones.
STORY_INDEX_SCHEMA = 4
BUSY_TIMEOUT_MS = 15_000
# story_n: items published in the same second get consecutive numbers within the second.
_N_PER_SECOND = 1 << 16
# Queued search texts are indexed in batches of this many: one FTS5 transaction per poll
# source would spend most of a first poll merging segments, and one for a whole first poll
# builds the index in memory (200 MB at 47,000 items).
SEARCH_BATCH = 2_000
log = logging.getLogger("aggregator.store")

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
    gone INTEGER NOT NULL DEFAULT 0, -- 410: not polled until the config entry changes
    site_url TEXT                   -- the feed's own <link>: the source's web site
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
-- Near-duplicate stories. An item that joins an earlier item's story gets a row here and
-- no item_categories rows of its own: the story's first item (its representative) carries
-- the union of their categories, so a feed shows the story once and stays one index scan.
CREATE TABLE IF NOT EXISTS story_members (
    item_id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL,         -- the representative's id
    position INTEGER NOT NULL,      -- 1, 2, ...: the order items joined the story
    matched_id TEXT NOT NULL,       -- the item it was found similar to
    similarity REAL NOT NULL,
    rule TEXT NOT NULL,             -- which dedupe rule fired
    at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS story_members_story ON story_members(story_id);
CREATE INDEX IF NOT EXISTS story_members_at ON story_members(at);
"""
# Near-duplicate stories' index: each item's compared words and its LSH band keys, kept as
# long as the item (retention prunes both). ``n`` orders items by publication time (see
# ``story_n``), so the items within a window of one date are one index range of every
# band key, however long the store keeps its items. Kept small on purpose: an item writes
# a dozen keys at random places of the key index.
STORY_DDL = """
CREATE TABLE IF NOT EXISTS story_words (
    id INTEGER PRIMARY KEY,         -- arrival order: words are appended, never moved
    n INTEGER NOT NULL UNIQUE,      -- story_n(published): publication time, then arrival
    item_id TEXT NOT NULL UNIQUE,
    features BLOB NOT NULL          -- dedupe.StoryText.encode(), zlib-compressed
);
CREATE TABLE IF NOT EXISTS story_keys (
    band INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (band, n)
) WITHOUT ROWID;
"""
DDL += STORY_DDL + """
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
-- normalized (aggregator.text.normalize_text), and queries are normalized the same way:
-- single-spaced words, so the plain ascii tokenizer cuts the same words unicode61 would,
-- at three quarters of its cost (schema 5).
CREATE TABLE IF NOT EXISTS search_docs (
    id INTEGER PRIMARY KEY,
    item_id TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS search_pending (   -- queued for items_fts, flushed after a poll
    doc_id INTEGER PRIMARY KEY,
    text TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS items_fts USING fts5(text, tokenize = 'ascii');
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
    moment = moment.astimezone(UTC)
    # The year by hand: strftime writes year 5 as "5", which would neither sort nor parse.
    return f"{moment.year:04d}-" + moment.strftime("%m-%dT%H:%M:%SZ")


def from_text(text: str | None) -> datetime | None:
    if not text:
        return None
    if len(text) != 20 or text[-1] != "Z":  # written by to_text: the checks below suffice
        raise ValueError(f"not a stored time: {text!r}")
    # fromisoformat, not strptime: the same result at a twentieth of the cost.
    return datetime.fromisoformat(text[:-1]).replace(tzinfo=UTC)


def story_n(published: datetime) -> int:
    """Where an item published at ``published`` sorts in the story index: its second since
    the epoch, times room for the items published in that same second."""
    return int(published.timestamp()) * _N_PER_SECOND


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that never writes, even on a database the user may only read.

    Reading a WAL database needs its -shm file, which SQLite creates beside it; in a
    directory the user may not write, and with no -shm left there, that fails ("unable
    to open database file"). Nobody can be writing it then, so it is opened immutable:
    read as the file stands, with no locks and no -shm."""
    uri = "file:" + quote(str(path.resolve())) + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        conn.close()
        if not path.is_file() or os.access(path.parent, os.W_OK):
            raise
        conn = sqlite3.connect(uri + "&immutable=1", uri=True, check_same_thread=False)
    return conn


def _pack(features: str) -> bytes:
    """Story words compressed: Arabic text is two bytes a letter and shrinks threefold."""
    return zlib.compress(features.encode("utf-8"), 1)


def _unpack(stored: bytes | str) -> str:
    return stored if isinstance(stored, str) else zlib.decompress(stored).decode("utf-8")


def _age(started: float) -> float:
    return time.monotonic() - started


def _entry_hash(source: Source) -> str:
    text = repr((source.name, source.url, sorted(source.categories), source.interval))
    if source.kind != "feed":  # (a feed's stays what it was before sources had kinds)
        text += repr((source.kind, source.scrape))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _refusal(path: str, e: sqlite3.Error, doing: str = "database") -> StorageError:
    """The StorageError for what SQLite said, with what the operator can do about it.

    A lock held by another process is its own kind (``DatabaseLocked``): nothing is
    wrong with the path or the disk, and waiting once per source would be pointless."""
    code = (getattr(e, "sqlite_errorcode", 0) or 0) & 0xFF  # the primary result code
    where = Path(path).parent
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return DatabaseLocked(
            f"database {path} is locked: another process holds it ({e}, after waiting "
            f"{BUSY_TIMEOUT_MS / 1000:g} s)",
            hint="another `aggregator poll` or `run`, or a sqlite3 shell in a transaction, "
            "is writing to it: let it finish or stop it, then run this again",
        )
    if code == sqlite3.SQLITE_FULL:
        hint = (
            f"the disk holding {where} is full: free some space there; what was stored "
            "before is kept, and the next poll fetches the rest"
        )
    elif code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM):
        hint = _unwritable(where)
    elif code == sqlite3.SQLITE_IOERR:  # e.g. no room for its -wal and -shm files
        hint = (
            f"SQLite could not write in {where}: check that its disk is not full (df) and "
            "that this user may write there"
        )
    else:
        hint = (
            "check the database path (--db, $AGGREGATOR_DB or storage.path in the config), "
            "that its directory exists and is writable, and that the disk is not full"
        )
    return StorageError(f"{doing} {path}: {e}", hint=hint)


def _unwritable(where: Path) -> str:
    return (
        f"this user may not write {where} or the database files in it: run the command "
        "as the user that owns them (the service's user), or point --db at a directory "
        "this user may write"
    )


def _make_parent(path: Path) -> None:
    """The database's directory, created if missing; a refusal names it and says why."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StorageError(
            f"cannot create the directory {path.parent} for database {path}: {e.strerror or e}",
            hint=_unwritable(path.parent),
        ) from e


def item_id_for(first_key: str) -> str:
    """An item's id: a name-based UUID of the first key it was seen under, fixed at insert."""
    return f"urn:uuid:{uuid.uuid5(ITEM_NAMESPACE, first_key)}"


class Store:
    """One SQLite database. Not thread-safe: use one Store per thread or process."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = str(path)
        self._queued_for_search = 0
        try:
            if readonly:
                conn = _connect_read_only(Path(self.path))
            else:
                _make_parent(Path(self.path))
                conn = sqlite3.connect(self.path, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.db = sqlite_utils.Database(conn)
            self._depth = 0  # nesting of _write blocks
            self._group_seconds = 0.0  # > 0 inside grouped_commits
            self._group_started: float | None = None  # when the open group began
            self._group_sources: list[str] = []  # sources whose writes the open group holds
            self._undone: dict[str, StorageError] = {}  # source url -> why it was undone
            if not readonly:
                self._migrate()
        except sqlite3.Error as e:
            raise _refusal(self.path, e, "cannot open database") from e

    # --- lifecycle ---------------------------------------------------------------------

    def _migrate(self) -> None:
        self.db.execute("PRAGMA journal_mode = WAL")
        # NORMAL is durable across application crashes in WAL mode; only a power cut may
        # lose the last commits, never corrupt the file.
        self.db.execute("PRAGMA synchronous = NORMAL")
        # A first poll writes hundreds of MB: checkpoint (copy the WAL into the database and
        # fsync) every 64 MB rather than every 4 MB; an 8 MB page cache (16 MB was no faster
        # for a 1,000-source first poll, and cost 8 MB of the 80 MB memory target).
        self.db.execute("PRAGMA wal_autocheckpoint = 16384")
        self.db.execute("PRAGMA cache_size = -8192")
        try:
            # executescript commits as it goes; every statement is IF NOT EXISTS, so a
            # crash part-way leaves a schema the next start completes.
            self.db.conn.executescript(DDL)
        except sqlite3.Error as e:
            raise _refusal(self.path, e, "cannot create the schema in") from e
        with self._write():
            version = self._meta("schema_version")
            if version is None:
                self._set_meta("schema_version", str(SCHEMA_VERSION))
            elif int(version) < SCHEMA_VERSION:
                # In this same transaction, so a crash part-way simply redoes it.
                if int(version) < 2:  # written before search existed: index every item
                    self._backfill_search()
                if int(version) < 5:
                    self._add_column("sources", "site_url", "TEXT")
                    self._drop_empty_items()
                    self._retokenize_search()
                if int(version) < STORY_INDEX_SCHEMA:  # after the drop: not indexed
                    self._rebuild_story_index()
                self._set_meta("schema_version", str(SCHEMA_VERSION))
            elif int(version) > SCHEMA_VERSION:
                raise StorageError(
                    f"{self.path} was written by a newer aggregator (schema {version}); "
                    "upgrade the aggregator or use another --db"
                )
        self.flush_search_index()  # texts queued before a crash, or by the backfill

    def _add_column(self, table: str, column: str, declaration: str) -> None:
        columns = {row[1] for row in self.db.conn.execute(f"PRAGMA table_info({table})")}
        if column not in columns:
            self.db.conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")

    def _retokenize_search(self) -> None:
        """Schema 5's tokenizer for the search index: the same words, cut more cheaply."""
        conn = self.db.conn
        sql = conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'items_fts'"
        ).fetchone()
        if sql is None or "ascii" in sql[0]:
            return
        conn.execute("CREATE VIRTUAL TABLE items_fts_new USING fts5(text, tokenize = 'ascii')")
        conn.execute("INSERT INTO items_fts_new(rowid, text) SELECT rowid, text FROM items_fts")
        conn.execute("DROP TABLE items_fts")
        conn.execute("ALTER TABLE items_fts_new RENAME TO items_fts")

    def _drop_empty_items(self) -> None:
        """Items with no link, no title and no text, which versions before schema 5 stored
        from cut-off feed bodies: published as a blank headline (or their id) at the top of
        every feed, for good. Dropped like a ``drop`` rule drops an item, so their keys stay
        and they are never stored again."""
        conn = self.db.conn
        empty = (
            "SELECT id FROM items WHERE dropped = 0 AND coalesce(link, '') = '' "
            "AND trim(title) = '' AND trim(summary_html) = '' AND trim(content_html) = ''"
        )
        conn.execute(f"DELETE FROM item_categories WHERE item_id IN ({empty})")
        dropped = conn.execute(f"UPDATE items SET dropped = 1 WHERE id IN ({empty})").rowcount
        if dropped:
            self._items_changed()
            log.warning(
                "%s: dropped %d empty item(s) stored by an older version from cut-off feeds",
                self.path,
                dropped,
            )

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One transaction; any sqlite error becomes a StorageError and nothing is kept.

        BEGIN IMMEDIATE takes the write lock up front, waiting (busy_timeout) for another
        writer: a deferred transaction that reads first and writes later cannot wait, and
        fails at once with "database is locked" when someone else holds the lock.

        Inside ``grouped_commits`` the outermost write is a savepoint of a transaction that
        stays open until it is old enough: still all or nothing per write, and a database
        error undoes the whole group (see ``take_undone``)."""
        conn = self.db.conn
        outermost = self._depth == 0
        self._depth += 1
        try:
            if conn.in_transaction:
                with self.db.atomic():  # nested, or within a group: a savepoint
                    yield
            else:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                if self._group_seconds and outermost:
                    self._group_started = time.monotonic()
                    return
                conn.execute("COMMIT")
            started = self._group_started
            if outermost and started is not None and self._group_seconds <= _age(started):
                self._commit_group()
        except sqlite3.Error as e:
            error = _refusal(self.path, e)
            self._roll_back(error)
            raise error from e
        finally:
            self._depth -= 1

    def _commit_group(self) -> None:
        self._group_started = None
        if self.db.conn.in_transaction:
            self.db.conn.execute("COMMIT")
        self._group_sources.clear()

    def _roll_back(self, error: StorageError) -> None:
        """Roll back the open transaction; in a group, its sources' updates are undone."""
        if self.db.conn.in_transaction:
            self.db.conn.execute("ROLLBACK")
        self._group_started = None
        for url in self._group_sources:
            self._undone[url] = error
        self._group_sources.clear()

    def _in_group(self, source_url: str) -> None:
        if self._group_started is not None:
            self._group_sources.append(source_url)

    def take_undone(self) -> dict[str, StorageError]:
        """Sources whose stored poll a failed group commit undid, with the error: their
        outcome must be reported (and recorded) as not stored."""
        undone, self._undone = self._undone, {}
        return undone

    @contextmanager
    def grouped_commits(self, seconds: float = 1.0) -> Iterator[None]:
        """Let successive writes share one transaction for up to ``seconds``.

        Why: each commit rewrites every index page it touched, and a first poll's writes
        (item keys, search and story band rows) land on random pages, so committing per
        source rewrote the same pages a thousand times (40 s of a 1,000-source first poll).
        Each write is still atomic (a savepoint) and a failing write undoes only itself,
        but a database error (a full disk shows at commit time) undoes the open group;
        ``take_undone`` names its sources, which simply stay due. A crash loses at most
        the last ``seconds`` of whole writes, the same way."""
        self._group_seconds = seconds
        try:
            yield
        finally:
            self._group_seconds = 0.0
            try:
                self._commit_group()
            except sqlite3.Error as e:
                self._roll_back(_refusal(self.path, e))

    def _rows(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[dict]:
        try:
            return list(
                self.db.query(sql, dict(params) if isinstance(params, Mapping) else list(params))
            )
        except sqlite3.Error as e:
            raise _refusal(self.path, e) from e

    def _meta(self, key: str) -> str | None:
        rows = self._rows("SELECT value FROM meta WHERE key = ?", [key])
        return rows[0]["value"] if rows else None

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    def _items_changed(self) -> None:
        """Count a change to what is published, inside the transaction that made it.

        Rendered outputs remember the count they were rendered at (``render_key``), so
        they are brought up to date whenever they are behind the items: after a poll that
        stored items but was stopped before it rendered, too."""
        self.db.conn.execute(
            "INSERT INTO meta(key, value) VALUES ('items_version', '1') ON CONFLICT(key) "
            "DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)"
        )

    def items_version(self) -> int:
        """How many times what is published changed in this database (see _items_changed)."""
        return int(self._meta("items_version") or 0)

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
                # A changed config entry is the operator's answer to a 410 or a move;
                # new selectors must read the page again, even if it has not changed.
                self.db.execute(
                    "UPDATE sources SET entry_hash = ?, gone = 0, error_count = 0, "
                    "next_poll = NULL, fetch_url = url, moved_to = NULL, body_hash = NULL, "
                    "etag = NULL, last_modified = NULL "
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
        stories: StoryMatcher | None = None,
        site_url: str | None = None,
    ) -> SaveResult:
        """Store a successful poll: items, poll state and history, in one transaction.

        ``candidates`` is None when the body was not parsed (304 or the same body hash).
        ``stories`` decides near-duplicates: a new item with a story signature joins the
        earlier story it matches instead of being published on its own. ``site_url`` is
        the feed's own link (the source's web site), kept when given.
        """
        with self._write():
            result = (
                self._save_candidates(source, candidates, now, stories)
                if candidates is not None
                else SaveResult()
            )
            if candidates is None:
                outcome = "not_modified" if http_status == 304 else "unchanged"
            else:
                outcome = "new" if result.new_ids or result.updated_ids else "unchanged"
            site_moved = 0
            if site_url is not None:  # items name their sources' sites: a change shows
                site_moved = self.db.conn.execute(
                    "UPDATE sources SET site_url = ? WHERE url = ? AND site_url IS NOT ?",
                    [site_url, source.url, site_url],
                ).rowcount
            if result.touched_categories or result.new_ids or result.updated_ids or site_moved:
                self._items_changed()
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
        self._in_group(source.url)
        if self._queued_for_search >= SEARCH_BATCH:
            # The poll itself is stored; texts stay queued until a flush succeeds.
            with contextlib.suppress(StorageError):
                self.flush_search_index()
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
        self._in_group(source.url)

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
        self,
        source: Source,
        candidates: Sequence[Candidate],
        now: datetime,
        stories: StoryMatcher | None = None,
    ) -> SaveResult:
        new_ids: list[str] = []
        updated_ids: list[str] = []
        joined_ids: list[str] = []
        merged_ids: list[str] = []
        dropped_ids: list[str] = []
        new_by_category: dict[str, int] = defaultdict(int)
        touched: set[str] = set()
        conn = self.db.conn
        handled: set[str] = set()  # items this batch already saved: the first entry wins
        for candidate in candidates:
            if not candidate.keys or candidate.unchanged:
                continue
            item_id = self._find_item(candidate.keys)
            if item_id is not None and item_id in handled:
                # The same item twice in one feed (a repeated guid or link): keep the first,
                # or each poll would flip the item between the two versions.
                conn.executemany(
                    "INSERT OR IGNORE INTO item_keys(key, item_id) VALUES (?, ?)",
                    [(key, item_id) for key in candidate.keys],
                )
                continue
            digest = candidate.digest or content_hash(candidate.item)
            if item_id is None:
                moment = candidate.item.published or now
                signature = None if candidate.dropped else candidate.story
                match = None
                if signature is not None and stories is not None:
                    match = self._match_story(signature, moment, stories)
                item_id = self._insert_item(source, candidate, digest, now, story=match)
                handled.add(item_id)
                if signature is not None:
                    self._index_story(item_id, moment, signature)
                if match is not None:
                    # Not new to subscribers: the story they already have gains an outlet.
                    merged_ids.append(item_id)
                    touched.update(self._categories_of(match.story_id))
                    continue
                (dropped_ids if candidate.dropped else new_ids).append(item_id)
                if not candidate.dropped:
                    for category in candidate.categories:
                        new_by_category[category] += 1
                    touched.update(candidate.categories)
                continue
            handled.add(item_id)
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
            # A story's member publishes nothing itself: its categories go to the story.
            target_id, published = self._story_of(item_id, published)
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
                self._index_for_search(item_id, _search_text(candidate))
                if candidate.story is not None:
                    self._reindex_story(item_id, candidate.story)
                updated_ids.append(item_id)
                changed = True
            if candidate.dropped and not dropped:
                touched.update(self._categories_of(item_id))
                conn.execute("UPDATE items SET dropped = 1 WHERE id = ?", [item_id])
                conn.execute("DELETE FROM item_categories WHERE item_id = ?", [item_id])
            elif not dropped and not candidate.dropped:
                before = set(self._categories_of(target_id))
                conn.executemany(
                    "INSERT OR IGNORE INTO item_categories(category, published, item_id) "
                    "VALUES (?, ?, ?)",
                    [(c, published, target_id) for c in candidate.categories],
                )
                if changed or not candidate.categories <= before:
                    touched.update(before | candidate.categories)
        return SaveResult(
            new_ids=tuple(new_ids),
            updated_ids=tuple(updated_ids),
            joined_ids=tuple(joined_ids),
            merged_ids=tuple(merged_ids),
            dropped_ids=tuple(dropped_ids),
            new_by_category=dict(new_by_category),
            touched_categories=frozenset(touched),
        )

    # --- near-duplicate stories --------------------------------------------------------

    _PEERS_PER_ITEM = 24  # the peers sharing most band keys; verifying more finds nothing

    def _match_story(
        self, signature: StorySignature, published: datetime, stories: StoryMatcher
    ) -> StoryMatch | None:
        """Ask ``stories`` about the items published within its window of ``published``
        that share at least MIN_SHARED_BANDS band keys with ``signature``.

        One statement: an index range per band key (``n`` orders by publication time),
        counted in SQL, so the cost is the window's rows of those keys, never the store's
        size or age. What is compared depends only on the two items' words and dates."""
        bands = sorted(set(signature.bands))
        if not bands:
            return None
        low = story_n(published - stories.window)
        high = story_n(published + stories.window) + _N_PER_SECOND - 1
        rows = self.db.conn.execute(
            "SELECT w.item_id, coalesce(m.story_id, w.item_id), w.features FROM ("
            "  SELECT n, count(*) AS shared FROM story_keys"
            f"  WHERE band IN ({','.join('?' * len(bands))}) AND n BETWEEN ? AND ?"
            "  GROUP BY n HAVING count(*) >= ? ORDER BY shared DESC, n LIMIT ?"
            ") c JOIN story_words w ON w.n = c.n "
            "JOIN items i ON i.id = w.item_id AND i.dropped = 0 "
            "LEFT JOIN story_members m ON m.item_id = w.item_id "
            "ORDER BY c.shared DESC, c.n",
            [*bands, low, high, MIN_SHARED_BANDS, self._PEERS_PER_ITEM],
        ).fetchall()
        if not rows:
            return None
        peers = [
            StoryPeer(item_id=item_id, story_id=story_id, features=_unpack(features))
            for item_id, story_id, features in rows
        ]
        return stories.match(signature, peers)

    def _index_story(self, item_id: str, published: datetime, signature: StorySignature) -> None:
        conn = self.db.conn
        base = story_n(published)
        (last,) = conn.execute(
            "SELECT max(n) FROM story_words WHERE n BETWEEN ? AND ?",
            [base, base + _N_PER_SECOND - 1],
        ).fetchone()
        n = base if last is None else last + 1
        conn.execute(
            "INSERT INTO story_words(n, item_id, features) VALUES (?, ?, ?)",
            [n, item_id, _pack(signature.features)],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO story_keys(band, n) VALUES (?, ?)",
            [(band, n) for band in sorted(set(signature.bands))],
        )

    def _reindex_story(self, item_id: str, signature: StorySignature) -> None:
        """An edited item's new words and keys, in place of its old ones (same ``n``)."""
        conn = self.db.conn
        row = conn.execute(
            "SELECT n, features FROM story_words WHERE item_id = ?", [item_id]
        ).fetchone()
        if row is None:
            return
        n, old = row
        conn.executemany(
            "DELETE FROM story_keys WHERE band = ? AND n = ?",
            [(band, n) for band in set(story_keys_of(_unpack(old)))],
        )
        conn.execute(
            "UPDATE story_words SET features = ? WHERE n = ?", [_pack(signature.features), n]
        )
        conn.executemany(
            "INSERT OR IGNORE INTO story_keys(band, n) VALUES (?, ?)",
            [(band, n) for band in sorted(set(signature.bands))],
        )

    def _rebuild_story_index(self) -> None:
        """Index every stored item's words anew (after an upgrade changed how words are
        read, or how far back the index reaches): what decide would compute for it."""
        conn = self.db.conn
        for table in ("story_keys", "story_words", "story_bands", "story_features"):
            conn.execute(f"DROP TABLE IF EXISTS {table}")
        for statement in STORY_DDL.split(";"):
            if statement.strip():
                conn.execute(statement)
        rows = conn.execute(
            "SELECT id, title, summary_html, content_html, published FROM items "
            "WHERE dropped = 0 ORDER BY published, id"
        )
        for item_id, title, summary, content, published in rows.fetchall():
            item = ParsedItem(
                guid=None, link=None, title=title, summary_html=summary, content_html=content,
                author=None, published=None, updated=None,
            )  # fmt: skip
            moment = from_text(published) or datetime.now(UTC)
            self._index_story(item_id, moment, story_signature(item))

    def _story_members(self, story_ids: Sequence[str]) -> dict[str, list[dict]]:
        """Each story's joined items (not its representative), in the order they joined."""
        members: dict[str, list[dict]] = defaultdict(list)
        marks = ",".join("?" * len(story_ids))
        for row in self._rows(
            "SELECT m.story_id, m.item_id, m.similarity, m.rule, m.at, i.title, i.link "
            "FROM story_members m JOIN items i ON i.id = m.item_id "
            f"WHERE m.story_id IN ({marks}) ORDER BY m.position",
            list(story_ids),
        ):
            members[row["story_id"]].append(row)
        return members

    def _story_of(self, item_id: str, published: str) -> tuple[str, str]:
        """The item that publishes ``item_id``'s story, and its date: itself if it leads."""
        row = self.db.conn.execute(
            "SELECT m.story_id, i.published FROM story_members m "
            "JOIN items i ON i.id = m.story_id WHERE m.item_id = ?",
            [item_id],
        ).fetchone()
        return (row[0], row[1]) if row else (item_id, published)

    def _forget_story_words(self, item_ids: str, params: Sequence[Any]) -> None:
        """Delete the story words and keys of the items ``item_ids`` (a subquery) selects:
        each item's keys are read back from its words, and deleted by the key index."""
        conn = self.db.conn
        doomed = conn.execute(
            f"SELECT n, features FROM story_words WHERE item_id IN ({item_ids})", params
        ).fetchall()
        conn.executemany(
            "DELETE FROM story_keys WHERE band = ? AND n = ?",
            [(band, n) for n, features in doomed for band in set(story_keys_of(_unpack(features)))],
        )
        conn.executemany("DELETE FROM story_words WHERE n = ?", [(n,) for n, _ in doomed])

    def recent_stories(self, since: datetime, limit: int = 200) -> list[MergedStory]:
        """Stories that gained an item since ``since``, newest merge first: what the
        near-duplicate layer merged and why, for `aggregator stories`."""
        rows = self._rows(
            "SELECT story_id, max(at) AS last FROM story_members WHERE at >= ? "
            "GROUP BY story_id ORDER BY last DESC, story_id LIMIT ?",
            [to_text(since), limit],
        )
        ids = [row["story_id"] for row in rows]
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        home = (
            "SELECT s.item_id, s.source_url, coalesce(src.name, s.source_url) AS name "
            "FROM item_sources s LEFT JOIN sources src ON src.url = s.source_url "
            "WHERE s.position = 0 AND s.item_id IN ({})"
        )
        members = self._story_members(ids)
        every = ids + [row["item_id"] for rows_ in members.values() for row in rows_]
        sources = {
            row["item_id"]: SourceRef(name=row["name"], url=row["source_url"])
            for row in self._rows(home.format(",".join("?" * len(every))), every)
        }
        leads = {
            row["id"]: row
            for row in self._rows(
                f"SELECT id, title, link, published FROM items WHERE id IN ({marks})", ids
            )
        }
        unknown = SourceRef(name="?", url="")
        return [
            MergedStory(
                id=story_id,
                title=leads[story_id]["title"],
                link=leads[story_id]["link"],
                published=from_text(leads[story_id]["published"]) or datetime.now(UTC),
                source=sources.get(story_id),
                members=tuple(
                    StoryMember(
                        item_id=m["item_id"],
                        title=m["title"],
                        link=m["link"],
                        source=sources.get(m["item_id"], unknown),
                        similarity=m["similarity"],
                        rule=m["rule"],
                        at=from_text(m["at"]) or datetime.now(UTC),
                    )
                    for m in members[story_id]
                ),
            )
            for story_id in ids
            if story_id in leads
        ]

    def known_content(self, source_url: str, limit: int = 2_000) -> dict[str, str]:
        """Every key of the items ``source_url`` carries (its latest ``limit``), mapped to
        the item's content hash: the parse workers skip the costly decisions (story
        signature, search text) for items stored before and unchanged since."""
        return dict(
            self.db.conn.execute(
                "SELECT k.key, i.content_hash FROM (SELECT item_id FROM item_sources "
                "WHERE source_url = ? ORDER BY first_seen DESC LIMIT ?) s "
                "JOIN items i ON i.id = s.item_id JOIN item_keys k ON k.item_id = s.item_id",
                [source_url, limit],
            ).fetchall()
        )

    def latest_links(self, source_url: str, limit: int = 200) -> list[str]:
        """The links of the items ``source_url`` brought most recently (a Telegram
        channel's poll reads back to the newest message among them)."""
        return [
            row[0]
            for row in self.db.conn.execute(
                "SELECT i.link FROM (SELECT item_id FROM item_sources WHERE source_url = ? "
                "ORDER BY first_seen DESC LIMIT ?) s JOIN items i ON i.id = s.item_id "
                "WHERE i.link IS NOT NULL",
                [source_url, limit],
            )
        ]

    def _find_item(self, keys: Sequence[str]) -> str | None:
        """The stored item known under the strongest of ``keys``, if any."""
        marks = ",".join("?" * len(keys))
        found = dict(
            self.db.conn.execute(
                f"SELECT key, item_id FROM item_keys WHERE key IN ({marks})", list(keys)
            ).fetchall()
        )
        return next((found[key] for key in keys if key in found), None)

    def _insert_item(
        self,
        source: Source,
        candidate: Candidate,
        digest: str,
        now: datetime,
        *,
        story: StoryMatch | None = None,
    ) -> str:
        """Insert a new item; one that joins ``story`` lends its categories to the story's
        representative instead of being published on its own."""
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
        self._index_for_search(item_id, _search_text(candidate))
        conn.execute(
            "INSERT INTO item_sources(item_id, source_url, position, guid, first_seen) "
            "VALUES (?, ?, 0, ?, ?)",
            [item_id, source.url, item.guid, to_text(now)],
        )
        if story is not None:
            conn.execute(
                "INSERT OR REPLACE INTO story_members(item_id, story_id, position, matched_id, "
                "similarity, rule, at) VALUES (?, ?, (SELECT count(*) + 1 FROM story_members "
                "WHERE story_id = ?), ?, ?, ?, ?)",
                [
                    item_id,
                    story.story_id,
                    story.story_id,
                    story.item_id,
                    story.similarity,
                    story.rule,
                    to_text(now),
                ],
            )
            lead_id, lead_published = self._story_of(item_id, published)
            conn.executemany(
                "INSERT OR IGNORE INTO item_categories(category, published, item_id) "
                "VALUES (?, ?, ?)",
                [(c, lead_published, lead_id) for c in sorted(candidate.categories)],
            )
        elif not candidate.dropped:
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
            # A story's members are published through its representative, not on their own.
            rows = self._rows(
                f"SELECT {_ITEM_COLUMNS} FROM items WHERE dropped = 0 AND NOT EXISTS "
                "(SELECT 1 FROM story_members m WHERE m.item_id = items.id) "
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
        """Attach categories, sources and story members to item rows with a few queries,
        not a few per item. A story's sources are its representative's, then those of each
        item that joined it, in the order they joined, each outlet once."""
        if not rows:
            return []
        ids = [row["id"] for row in rows]
        marks = ",".join("?" * len(ids))
        members = self._story_members(ids)
        member_ids = [row["item_id"] for group in members.values() for row in group]
        every = ids + member_ids
        marks_every = ",".join("?" * len(every))
        categories: dict[str, list[str]] = defaultdict(list)
        for row in self._rows(
            f"SELECT item_id, category FROM item_categories WHERE item_id IN ({marks}) "
            "ORDER BY category",
            ids,
        ):
            categories[row["item_id"]].append(row["category"])
        sources: dict[str, list[SourceRef]] = defaultdict(list)
        for row in self._rows(
            "SELECT s.item_id, s.source_url, coalesce(src.name, s.source_url) AS name, "
            "src.site_url FROM item_sources s LEFT JOIN sources src ON src.url = s.source_url "
            f"WHERE s.item_id IN ({marks_every}) ORDER BY s.item_id, s.position",
            every,
        ):
            sources[row["item_id"]].append(
                SourceRef(name=row["name"], url=row["source_url"], site=row["site_url"])
            )
        related: dict[str, list[RelatedItem]] = defaultdict(list)
        for story_id, group in members.items():
            seen = {ref.url for ref in sources[story_id]}
            for member in group:
                own = sources.get(member["item_id"], [])
                if own:
                    related[story_id].append(
                        RelatedItem(
                            id=member["item_id"],
                            title=member["title"],
                            link=member["link"],
                            source=own[0],
                        )
                    )
                for ref in own:
                    if ref.url not in seen:
                        seen.add(ref.url)
                        sources[story_id].append(ref)
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
                related=tuple(related[row["id"]]),
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

    def _index_for_search(self, item_id: str, text: str) -> None:
        """Queue one item's normalized words for the search index; call inside a transaction.

        The full-text index itself is updated in bulk by ``flush_search_index`` (after a
        poll, before feeds are rendered): FTS5 merges its segments on every commit, and a
        thousand small commits cost many times one large one."""
        conn = self.db.conn
        cursor = conn.execute("INSERT OR IGNORE INTO search_docs(item_id) VALUES (?)", [item_id])
        if cursor.rowcount:
            doc_id = cursor.lastrowid
        else:  # re-indexing an edited item: its old words go now
            (doc_id,) = conn.execute(
                "SELECT id FROM search_docs WHERE item_id = ?", [item_id]
            ).fetchone()
            conn.execute("DELETE FROM items_fts WHERE rowid = ?", [doc_id])
        conn.execute(
            "INSERT OR REPLACE INTO search_pending(doc_id, text) VALUES (?, ?)", [doc_id, text]
        )
        self._queued_for_search += 1

    def flush_search_index(self) -> int:
        """Move queued texts into the full-text index in one transaction."""
        if not self.db.conn.execute("SELECT 1 FROM search_pending LIMIT 1").fetchone():
            return 0
        with self._write():
            conn = self.db.conn
            conn.execute(
                "INSERT INTO items_fts(rowid, text) SELECT p.doc_id, p.text "
                "FROM search_pending p JOIN search_docs d ON d.id = p.doc_id"
            )
            self._queued_for_search = 0
            return int(conn.execute("DELETE FROM search_pending").rowcount)

    def _backfill_search(self) -> None:
        rows = self.db.conn.execute(
            "SELECT id, title, summary_html, content_html FROM items "
            "WHERE id NOT IN (SELECT item_id FROM search_docs)"
        ).fetchall()
        for item_id, title, summary, content in rows:
            self._index_for_search(item_id, search_text(title, summary, content))

    def search_items(
        self, query: str, limit: int, *, category: str | None = None
    ) -> list[StoredItem]:
        """The newest ``limit`` published entries matching ``query`` (see ``fts_query``).

        A story is one entry, as in the category feeds: an item that joined a story is
        found by its own words, and shown as the story's representative (the lead).
        Raises ``SearchError`` when the query has no words to look for."""
        match = fts_query(query)
        sql = (
            f"SELECT {_ITEM_COLUMNS} FROM items WHERE dropped = 0 AND id IN ("
            "  SELECT coalesce(m.story_id, d.item_id) FROM items_fts f"
            "  JOIN search_docs d ON d.id = f.rowid"
            "  LEFT JOIN story_members m ON m.item_id = d.item_id"
            "  WHERE items_fts MATCH ?)"
        )
        params: list[Any] = [match]
        if category is not None:
            sql += " AND id IN (SELECT item_id FROM item_categories WHERE category = ?)"
            params.append(category)
        sql += " ORDER BY published DESC, id DESC LIMIT ?"
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
            conn.execute(f"DELETE FROM story_members WHERE item_id IN ({doomed})", [cutoff])
            self._forget_story_words(doomed, [cutoff])
            deleted = conn.execute(
                "DELETE FROM items WHERE published < ? AND id NOT IN (SELECT id FROM keep)",
                [cutoff],
            ).rowcount
            conn.execute("DELETE FROM polls WHERE at < ?", [cutoff])
            if deleted:
                self._items_changed()
        return int(deleted)

    def last_maintenance(self) -> datetime | None:
        return from_text(self._meta("last_maintenance"))

    def set_last_maintenance(self, moment: datetime) -> None:
        with self._write():
            self._set_meta("last_maintenance", to_text(moment))

    def checkpoint(self) -> None:
        """Fold the WAL back into the database file so it does not grow without bound."""
        try:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as e:
            raise _refusal(self.path, e, "checkpoint failed: database") from e

    # --- published outputs -------------------------------------------------------------

    def save_outputs(
        self, files: Mapping[str, tuple[bytes, str]], now: datetime, *, render_key: str = ""
    ) -> list[str]:
        """Store rendered files; only a changed body gets a new ETag and Last-Modified.
        ``render_key`` names the configuration they were rendered with (``render_key``)."""
        changed: list[str] = []
        with self._write():
            self._set_meta("render_key", render_key)
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

    def render_key(self) -> str | None:
        return self._meta("render_key")

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


class SearchError(AggregatorError):
    """A search query with nothing to look for, or one SQLite could not run."""


_QUERY_TOKEN = re.compile(r'"[^"]*"?|\S+')
MAX_QUERY_WORDS = 16


def _search_text(candidate: Candidate) -> str:
    if candidate.search_text is not None:
        return candidate.search_text
    item = candidate.item
    return search_text(item.title, item.summary_html, item.content_html)


def _fts_phrase(words: list[str], prefix: bool) -> str:
    return '"' + " ".join(words) + '"' + ("*" if prefix else "")


def fts_query(query: str) -> str:
    """An FTS5 MATCH expression for what a reader typed; never an FTS syntax error.

    Words must all occur (AND); ``"several words"`` is a phrase; ``OR`` (in capitals)
    between two terms means either; ``word*`` matches words starting with it. Every term
    is normalized like the indexed text (diacritics, alef forms, case) and quoted, so no
    character a reader types is FTS syntax. An Arabic word (the first of a phrase) also
    matches in every clitic spelling the rules accept (``aggregator.text.clitic_forms``)."""
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
        if not prefix and len(variants := clitic_forms(words[0])) > 1:
            phrases = (_fts_phrase([v, *words[1:]], False) for v in variants)
            term = "(" + " OR ".join(phrases) + ")"
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
