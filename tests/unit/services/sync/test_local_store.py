"""LocalStore (services/sync/store.py): WAL, atomic pages, monotonic versions, full resync."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from services.api import CatalogChange
from services.sync.store import PERSONAL_VALUE, LocalStore


def change(
    item_id: str, version: int = 1, data: dict[str, Any] | None = None, *, kind: str = "service"
) -> CatalogChange:
    """A live item (data defaults to a name derived from id and version)."""
    payload = data if data is not None else {"id": item_id, "name": f"{item_id} v{version}"}
    return CatalogChange(kind=kind, id=item_id, version=version, deleted=False, data=payload)


def tombstone(item_id: str, version: int, *, kind: str = "service") -> CatalogChange:
    return CatalogChange(kind=kind, id=item_id, version=version, deleted=True, data=None)


def test_store_is_in_wal_mode_as_seen_from_a_second_connection(
    store: LocalStore, path: Path
) -> None:
    store.apply_page([change("a")], "c1", last=True)
    other = sqlite3.connect(path)
    try:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        # and a second reader sees committed rows
        assert other.execute("SELECT COUNT(*) FROM catalog_items").fetchone()[0] == 1
    finally:
        other.close()


def test_empty_store_has_no_cursor_and_no_resync(store: LocalStore) -> None:
    assert store.cursor() is None
    assert store.resync_active() is False
    assert store.count() == 0
    assert store.items("service") == []
    assert store.item("service", "a") is None
    assert store.version("service", "a") is None


def test_apply_page_stores_rows_and_cursor_and_counts_by_kind(store: LocalStore) -> None:
    touched = store.apply_page(
        [change("b"), change("a"), change("310101", kind="district")], "c1", last=True
    )

    assert touched == 3
    assert store.cursor() == "c1"
    assert store.count() == 3
    assert store.count("service") == 2
    assert store.count("district") == 1
    assert [item["id"] for item in store.items("service")] == ["a", "b"]
    assert store.item("service", "a") == {"id": "a", "name": "a v1"}
    assert store.version("service", "a") == 1


def test_apply_page_is_atomic_when_a_change_fails_mid_transaction(store: LocalStore) -> None:
    store.apply_page([change("a"), change("b")], "c1", last=True)
    unserialisable = change("bad", data={"id": "bad", "when": object()})  # json.dumps raises

    with pytest.raises(TypeError):
        store.apply_page(
            [change("a", 2), tombstone("b", 2), change("c"), unserialisable, change("d")],
            "c2",
            last=True,
        )

    assert store.cursor() == "c1"
    assert store.count() == 2
    assert store.version("service", "a") == 1
    assert store.item("service", "a") == {"id": "a", "name": "a v1"}
    assert store.item("service", "b") is not None
    assert store.item("service", "c") is None
    # the failed transaction released the writer: the next page goes through
    assert store.apply_page([change("c")], "c3", last=True) == 1
    assert store.cursor() == "c3"


def test_failed_page_is_invisible_to_another_connection(store: LocalStore, path: Path) -> None:
    store.apply_page([change("a")], "c1", last=True)
    with pytest.raises(TypeError):
        store.apply_page([change("b"), change("x", data={"x": {1, 2}})], "c2", last=True)

    other = sqlite3.connect(path)
    try:
        assert other.execute("SELECT id FROM catalog_items").fetchall() == [("a",)]
        cursor = other.execute("SELECT value FROM sync_state WHERE key = 'catalog_cursor'")
        assert cursor.fetchone() == ("c1",)
    finally:
        other.close()


def test_version_never_goes_backwards(store: LocalStore) -> None:
    store.apply_page([change("a", 3)], "c1", last=True)

    store.apply_page([change("a", 2, {"id": "a", "name": "older"})], "c2", last=True)

    assert store.version("service", "a") == 3
    assert store.item("service", "a") == {"id": "a", "name": "a v3"}
    assert store.cursor() == "c2"  # the cursor still moves on


def test_newer_version_replaces_and_same_page_keeps_the_newest(store: LocalStore) -> None:
    store.apply_page([change("a", 1)], "c1", last=True)

    store.apply_page([change("a", 4), change("a", 3)], "c2", last=True)

    assert store.version("service", "a") == 4
    assert store.item("service", "a") == {"id": "a", "name": "a v4"}


def test_tombstone_removes_the_item_and_unknown_tombstone_is_harmless(store: LocalStore) -> None:
    store.apply_page([change("a"), change("b")], "c1", last=True)

    store.apply_page([tombstone("a", 2), tombstone("never-had", 5)], "c2", last=True)

    assert store.item("service", "a") is None
    assert store.count() == 1
    assert store.cursor() == "c2"


def test_begin_full_resync_keeps_old_rows_readable_until_the_last_page(store: LocalStore) -> None:
    store.apply_page([change("a"), change("b"), change("c"), change("d")], "c1", last=True)

    store.begin_full_resync()

    assert store.cursor() is None
    assert store.resync_active() is True
    assert store.count() == 4

    store.apply_page([change("a", 2)], "r1", last=False)

    assert store.cursor() == "r1"
    assert store.resync_active() is True
    assert store.count() == 4  # b, c, d were not seen yet but stay readable
    assert store.item("service", "c") == {"id": "c", "name": "c v1"}
    assert store.version("service", "a") == 2

    store.apply_page([change("b"), tombstone("d", 2)], "r2", last=True)

    assert store.resync_active() is False
    assert store.cursor() == "r2"
    assert [item["id"] for item in store.items("service")] == ["a", "b"]  # c was stale, d deleted


def test_full_resync_state_survives_reopening_the_store(store: LocalStore, path: Path) -> None:
    store.apply_page([change("a"), change("b")], "c1", last=True)
    store.begin_full_resync()
    store.apply_page([change("a")], "r1", last=False)
    store.close()

    reopened = LocalStore(path)
    try:
        assert reopened.resync_active() is True
        assert reopened.cursor() == "r1"
        reopened.apply_page([], "r2", last=True)
        assert reopened.resync_active() is False
        assert [item["id"] for item in reopened.items("service")] == ["a"]  # b went stale
    finally:
        reopened.close()


def test_second_resync_before_the_first_finished_still_drops_stale_rows(
    store: LocalStore,
) -> None:
    store.apply_page([change("a"), change("b"), change("c")], "c1", last=True)
    store.begin_full_resync()
    store.apply_page([change("a"), change("b")], "r1", last=False)

    store.begin_full_resync()  # that resync's cursor expired too
    store.apply_page([change("a")], "s1", last=True)

    assert [item["id"] for item in store.items("service")] == ["a"]
    assert store.resync_active() is False


def test_full_resync_takes_the_servers_item_even_with_a_lower_version(store: LocalStore) -> None:
    """After a 410 from a new backend database, versions restart: the snapshot still wins."""
    store.apply_page([change("a", 5), change("b", 2)], "old-epoch", last=True)

    store.begin_full_resync()
    store.apply_page(
        [change("a", 1, {"id": "a", "name": "new database"}), change("b", 3)], "new", last=True
    )

    assert store.item("service", "a") == {"id": "a", "name": "new database"}
    assert store.version("service", "a") == 1
    assert store.version("service", "b") == 3
    assert store.count() == 2


# -- schema upgrades and kiosk mode -------------------------------------------------------------

OLD_SCHEMA = """
CREATE TABLE catalog_items (kind TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
    data TEXT NOT NULL, resync_gen INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (kind, id));
CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE personal_data (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
    owner TEXT NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL, status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, next_attempt_at REAL NOT NULL DEFAULT 0,
    created_at REAL NOT NULL, rejection_code TEXT, reported INTEGER NOT NULL DEFAULT 0);
CREATE INDEX outbox_status ON outbox (status, seq);
INSERT INTO sync_state VALUES ('catalog_cursor', 'old-cursor');
INSERT INTO personal_data VALUES ('owner', 'user-1');
"""


def test_a_store_made_before_service_usage_existed_opens_and_keeps_its_rows(path: Path) -> None:
    path.parent.mkdir(parents=True)
    old = sqlite3.connect(path)
    old.executescript(OLD_SCHEMA)
    old.close()

    store = LocalStore(path)
    try:
        assert store.kiosk is False
        assert store.cursor() == "old-cursor"
        assert store.read(f"SELECT {PERSONAL_VALUE} FROM personal_data") == [("user-1",)]
        assert store.read("SELECT COUNT(*) FROM service_usage") == [(0,)]
    finally:
        store.close()


def test_a_kiosk_store_keeps_the_catalogue_on_disk_for_other_connections(path: Path) -> None:
    store = LocalStore(path, personal_in_memory=True)
    try:
        assert store.kiosk is True
        store.apply_page([change("a")], "c1", last=True)
        with store.transaction() as db:
            db.execute("INSERT INTO personal_data (key, value) VALUES ('owner', 'user-1')")
        other = sqlite3.connect(path)
        try:
            assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert other.execute("SELECT id FROM catalog_items").fetchall() == [("a",)]
            assert other.execute("SELECT COUNT(*) FROM personal_data").fetchone() == (0,)
        finally:
            other.close()
        assert store.read("SELECT value FROM personal_data") == [("user-1",)]
    finally:
        store.close()


def test_a_kiosk_rolls_back_memory_and_disk_rows_together(path: Path) -> None:
    """One transaction spans the file and the memory tables: a failure undoes both."""
    store = LocalStore(path, personal_in_memory=True)
    try:
        with pytest.raises(RuntimeError), store.transaction() as db:
            db.execute("INSERT INTO personal_data (key, value) VALUES ('k', 'v')")
            db.execute("INSERT INTO sync_state (key, value) VALUES ('k', 'v')")
            raise RuntimeError("interrupted")
        assert store.read("SELECT COUNT(*) FROM personal_data") == [(0,)]
        assert store.read("SELECT COUNT(*) FROM sync_state WHERE key = 'k'") == [(0,)]
    finally:
        store.close()


def test_an_own_device_after_a_kiosk_run_has_its_tables_and_no_leftovers(path: Path) -> None:
    kiosk = LocalStore(path, personal_in_memory=True)
    with kiosk.transaction() as db:
        db.execute("INSERT INTO personal_data (key, value) VALUES ('owner', 'walk-in')")
    kiosk.close()

    device = LocalStore(path)
    try:
        assert device.read("SELECT COUNT(*) FROM personal_data") == [(0,)]
        assert device.read("SELECT name FROM temp.sqlite_master") == []
    finally:
        device.close()
