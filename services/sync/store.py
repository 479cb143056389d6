"""The local SQLite store: the catalogue the app reads from, whether or not it is online.

WAL so readers never wait for the writer; busy_timeout so a second process waits instead of
failing; one connection guarded by a lock, so this process has exactly one writer. A page of
catalogue changes and the cursor that covers it commit in the same transaction: after a crash
the store is never ahead of or behind its cursor.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from services.api import CatalogChange

SCHEMA = """
CREATE TABLE IF NOT EXISTS catalog_items (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL,
    resync_gen INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, id)
);
CREATE TABLE IF NOT EXISTS sync_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS personal_data (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    owner TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_attempt_at REAL NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    rejection_code TEXT,
    reported INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS outbox_status ON outbox (status, seq);
"""

CURSOR_KEY = "catalog_cursor"
OWNER_KEY = "owner"  # personal_data: the signed-in user's id; absent when nobody is signed in
RESYNC_GEN_KEY = "catalog_resync_gen"
RESYNC_ACTIVE_KEY = "catalog_resync_active"


class LocalStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.execute("PRAGMA synchronous=NORMAL")
        # Deleted personal data is overwritten, not left in free pages for anyone to read.
        self._db.execute("PRAGMA secure_delete=ON")
        with self._transaction() as db:
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """The one writer's transaction: everything inside commits together or not at all."""
        with self._transaction() as db:
            yield db

    def read(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def wipe_personal(self) -> None:
        """Forget everything about the signed-in person, including unsent actions and the WAL."""
        with self._transaction() as db:
            db.execute("DELETE FROM personal_data")
            db.execute("DELETE FROM outbox")
        with self._lock:
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # -- sync state -------------------------------------------------------------------------

    def _state(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def _set_state(self, db: sqlite3.Connection, key: str, value: str | None) -> None:
        if value is None:
            db.execute("DELETE FROM sync_state WHERE key = ?", (key,))
        else:
            db.execute(
                "INSERT INTO sync_state (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def cursor(self) -> str | None:
        with self._lock:
            return self._state(CURSOR_KEY)

    def resync_active(self) -> bool:
        with self._lock:
            return self._state(RESYNC_ACTIVE_KEY) is not None

    def begin_full_resync(self) -> None:
        """Forget the cursor and start a new generation; old rows stay readable until the end."""
        with self._transaction() as db:
            generation = int(self._state(RESYNC_GEN_KEY) or 0) + 1
            self._set_state(db, RESYNC_GEN_KEY, str(generation))
            self._set_state(db, RESYNC_ACTIVE_KEY, "1")
            self._set_state(db, CURSOR_KEY, None)

    def apply_page(self, changes: Iterable[CatalogChange], next_cursor: str, *, last: bool) -> int:
        """Apply one page of changes and its cursor atomically; returns rows touched."""
        touched = 0
        with self._transaction() as db:
            generation = int(self._state(RESYNC_GEN_KEY) or 0)
            for change in changes:
                touched += 1
                if change.deleted or change.data is None:
                    db.execute(
                        "DELETE FROM catalog_items WHERE kind = ? AND id = ?",
                        (change.kind, change.id),
                    )
                    continue
                # Versions never go backwards, except for a row a full resync reaches first:
                # the server's snapshot wins, even from a new database whose versions restart.
                db.execute(
                    "INSERT INTO catalog_items (kind, id, version, data, resync_gen) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET "
                    "version = excluded.version, data = excluded.data, "
                    "resync_gen = excluded.resync_gen "
                    "WHERE excluded.version >= catalog_items.version "
                    "OR excluded.resync_gen > catalog_items.resync_gen",
                    (
                        change.kind,
                        change.id,
                        change.version,
                        json.dumps(change.data, ensure_ascii=False),
                        generation,
                    ),
                )
            self._set_state(db, CURSOR_KEY, next_cursor)
            if last and self._state(RESYNC_ACTIVE_KEY) is not None:
                # A full resync only sees live items: whatever it did not touch was deleted
                # on the server while our cursor was too old to hear about it.
                db.execute("DELETE FROM catalog_items WHERE resync_gen < ?", (generation,))
                self._set_state(db, RESYNC_ACTIVE_KEY, None)
        return touched

    # -- reads --------------------------------------------------------------------------------

    def items(self, kind: str) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT data FROM catalog_items WHERE kind = ? ORDER BY id", (kind,)
            ).fetchall()
        return [json.loads(row[0]) for row in rows]

    def item(self, kind: str, item_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT data FROM catalog_items WHERE kind = ? AND id = ?", (kind, item_id)
            ).fetchone()
        return None if row is None else json.loads(row[0])

    def version(self, kind: str, item_id: str) -> int | None:
        with self._lock:
            row = self._db.execute(
                "SELECT version FROM catalog_items WHERE kind = ? AND id = ?", (kind, item_id)
            ).fetchone()
        return None if row is None else int(row[0])

    def count(self, kind: str | None = None) -> int:
        with self._lock:
            if kind is None:
                row = self._db.execute("SELECT COUNT(*) FROM catalog_items").fetchone()
            else:
                row = self._db.execute(
                    "SELECT COUNT(*) FROM catalog_items WHERE kind = ?", (kind,)
                ).fetchone()
        return int(row[0])


# -- the signed-in person's rows, inside a caller's transaction ---------------------------------


def read_personal(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute("SELECT value FROM personal_data WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def write_personal(db: sqlite3.Connection, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO personal_data (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def read_snapshot(db: sqlite3.Connection, key: str) -> Any:
    """The server's last answer stored under ``key`` (JSON), or None."""
    value = read_personal(db, key)
    return None if value is None else json.loads(value)


def save_snapshot(db: sqlite3.Connection, key: str, value: Any) -> None:
    write_personal(db, key, json.dumps(value, ensure_ascii=False))
