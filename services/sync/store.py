"""The local SQLite store: the catalogue the app reads from, whether or not it is online.

WAL so readers never wait for the writer; busy_timeout so a second process waits instead of
failing; one connection guarded by a lock, so this process has exactly one writer. A page of
catalogue changes and the cursor that covers it commit in the same transaction: after a crash
the store is never ahead of or behind its cursor.

Kiosk mode (``personal_in_memory=True``): the catalogue stays on disk -- it is public, and a
kiosk must open offline -- but the person's rows (``personal_data``, ``outbox``,
``service_usage``) live in TEMP tables of the same schema, kept in memory
(``temp_store=MEMORY``), so nothing of the person at the screen is ever written to a file.
SQLite resolves an unqualified table name in ``temp`` before ``main``, so every query in the
client reads and writes the memory tables without knowing. Whatever an earlier, non-kiosk run
left in the file's own personal tables is deleted when a kiosk opens it.

The person's rows are sealed (``services.sync.sealing``) under the key the token store keeps
(``TokenStore.data_key``): ``personal_data.value`` and ``outbox.payload`` are written through
the SQL function ``seal`` and read through ``unseal`` (``PERSONAL_VALUE``, ``OUTBOX_PAYLOAD``),
so a copied data dir shows no name, phone, place or code word. Opening the store seals rows
an older version left plain, and drops rows sealed under a key it no longer has (the keyring
entry was lost: they could never be read again).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from services.api import CatalogChange
from services.sync.sealing import RowSealer, new_key

logger = logging.getLogger(__name__)

# The public side: what a kiosk keeps on disk.
CATALOG_SCHEMA = """
CREATE TABLE IF NOT EXISTS main.catalog_items (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL,
    resync_gen INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, id)
);
CREATE TABLE IF NOT EXISTS main.sync_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

# The person's side, created in ``{db}`` = main, or temp in kiosk mode. Every name is qualified:
# an unqualified CREATE INDEX would land in temp as soon as a temp ``outbox`` exists.
_PERSONAL_SCHEMA = """
CREATE TABLE IF NOT EXISTS {db}.personal_data (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS {db}.outbox (
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
CREATE INDEX IF NOT EXISTS {db}.outbox_status ON outbox (status, seq);
CREATE TABLE IF NOT EXISTS {db}.service_usage (
    owner TEXT NOT NULL,
    service_id TEXT NOT NULL,
    uses INTEGER NOT NULL,
    last_used REAL NOT NULL,
    PRIMARY KEY (owner, service_id)
);
"""
PERSONAL_TABLES = ("personal_data", "outbox", "service_usage")
# The sealed columns (table, column); each is sealed under the label "table.column".
SEALED_COLUMNS = (("personal_data", "value"), ("outbox", "payload"))
PERSONAL_VALUE = "unseal(value, 'personal_data.value')"  # in a SELECT: the plain value
SEALED_VALUE = "seal(?, 'personal_data.value')"  # in an INSERT or UPDATE: the value sealed
OUTBOX_PAYLOAD = "unseal(payload, 'outbox.payload')"
SEALED_PAYLOAD = "seal(?, 'outbox.payload')"
SCHEMA = CATALOG_SCHEMA + _PERSONAL_SCHEMA.format(db="main")

CURSOR_KEY = "catalog_cursor"
OWNER_KEY = "owner"  # personal_data: the signed-in user's id; absent when nobody is signed in
RESYNC_GEN_KEY = "catalog_resync_gen"
RESYNC_ACTIVE_KEY = "catalog_resync_active"


class LocalStore:
    def __init__(
        self, path: Path, *, personal_in_memory: bool = False, key: bytes | None = None
    ) -> None:
        """``personal_in_memory``: kiosk mode; ``key``: what the person's rows are sealed with
        (see the module's docstring). Without one, a key of this run's own: what it seals can
        be read until the app stops."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.kiosk = personal_in_memory
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        sealer = RowSealer(key if key is not None else new_key())
        self._db.create_function("seal", 2, sealer.seal)
        self._db.create_function("unseal", 2, sealer.unseal, deterministic=True)
        self._db.create_function("sealed_here", 2, sealer.sealed_here, deterministic=True)
        # First, before any temp table exists: temp tables, their journals and any sort
        # SQLite spills stay in memory, never in a temporary file.
        self._db.execute("PRAGMA temp_store=MEMORY")
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.execute("PRAGMA synchronous=NORMAL")
        # Deleted personal data is overwritten, not left in free pages for anyone to read.
        self._db.execute("PRAGMA secure_delete=ON")
        with self._transaction() as db:
            _run_script(db, SCHEMA)
            if self.kiosk:
                _run_script(db, _PERSONAL_SCHEMA.format(db="temp"))
                for table in PERSONAL_TABLES:  # a non-kiosk run's leftovers in the file
                    db.execute(f"DELETE FROM main.{table}")
                changed = True  # the file's personal tables were emptied
            else:
                changed = _seal_plain_rows_and_drop_unreadable(db)
        if changed:  # no plain or deleted rows left behind in the WAL
            self._checkpoint()

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
            for table in PERSONAL_TABLES:
                db.execute(f"DELETE FROM {table}")  # temp's in kiosk mode, else main's
        self._checkpoint()

    def _checkpoint(self) -> None:
        """Copy the WAL into the file and empty it, so deleted rows linger in neither."""
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


def _seal_plain_rows_and_drop_unreadable(db: sqlite3.Connection) -> bool:
    """Whether any row was sealed or dropped."""
    sealed = dropped = 0
    for table, column in SEALED_COLUMNS:
        label = f"{table}.{column}"
        sealed += db.execute(
            f"UPDATE main.{table} SET {column} = seal({column}, ?) WHERE {column} NOT LIKE 'sm4:%'",
            (label,),
        ).rowcount
        dropped += db.execute(
            f"DELETE FROM main.{table} WHERE NOT sealed_here({column}, ?)", (label,)
        ).rowcount
    if dropped:
        logger.warning(
            "%d personal rows were sealed under a key this device no longer has", dropped
        )
    return bool(sealed or dropped)


def _run_script(db: sqlite3.Connection, script: str) -> None:
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


# -- the signed-in person's rows, inside a caller's transaction ---------------------------------


def read_personal(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute(f"SELECT {PERSONAL_VALUE} FROM personal_data WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def write_personal(db: sqlite3.Connection, key: str, value: str) -> None:
    db.execute(
        f"INSERT INTO personal_data (key, value) VALUES (?, {SEALED_VALUE}) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def read_snapshot(db: sqlite3.Connection, key: str) -> Any:
    """The server's last answer stored under ``key`` (JSON), or None."""
    value = read_personal(db, key)
    return None if value is None else json.loads(value)


def save_snapshot(db: sqlite3.Connection, key: str, value: Any) -> None:
    write_personal(db, key, json.dumps(value, ensure_ascii=False))
