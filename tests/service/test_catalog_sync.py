"""Catalogue delta sync against the real reference backend over real HTTP (DESIGN.md §3-§4).

The server is never mocked: catalogue changes are made in the backend's own SQLite database with
``backend.crud`` and committed, and network failures are injected by a transport wrapped around
the real ``httpx.HTTPTransport``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from sync_support import (
    SMALL_SEED,
    SMALL_SEED_COUNT,
    BackendServer,
    FlakyTransport,
    store_snapshot,
    write_seed_dir,
)

from backend import crud
from backend.core.config import DEFAULT_SEED_DIR
from services.api import ApiClient
from services.catalog import Catalog
from services.errors import CursorExpiredError, OfflineError
from services.sync import CatalogSync, LocalStore, PullResult

MakeApi = Callable[..., ApiClient]
MakeStore = Callable[[str], LocalStore]


def expire_cursors_by_deleting(backend: BackendServer, kind: str, item_id: str) -> None:
    """Delete an item and purge its tombstone, so every cursor from before the delete expires."""
    with backend.session() as session:
        crud.delete_item(session, kind, item_id)
        session.commit()
        crud.purge_tombstones(session, crud.get_meta(session).last_seq)
        session.commit()


# --- 1. first pull, paging ----------------------------------------------------------------------


def test_first_pull_lands_every_item_exactly_once_and_saves_the_cursor(
    backend: BackendServer, make_api: MakeApi, store: LocalStore
) -> None:
    transport = FlakyTransport()

    result = CatalogSync(make_api(backend.url, transport), store).pull()

    assert result == PullResult(changes=SMALL_SEED_COUNT, pages=1, full_resync=False)
    assert len(transport.served) == SMALL_SEED_COUNT
    assert len({(kind, item_id) for kind, item_id, _ in transport.served}) == SMALL_SEED_COUNT
    assert store.count() == SMALL_SEED_COUNT
    assert store_snapshot(store) == backend.live_items()
    assert all(version == 1 for version, _ in store_snapshot(store).values())
    assert store.cursor() is not None


def test_paging_by_three_lands_the_same_catalogue_over_several_pages(
    backend: BackendServer, make_api: MakeApi, make_store: MakeStore
) -> None:
    one_page = make_store("one-page")
    CatalogSync(make_api(backend.url), one_page).pull()
    paged = make_store("paged")
    transport = FlakyTransport()

    result = CatalogSync(make_api(backend.url, transport), paged, page_size=3).pull()

    assert result == PullResult(changes=SMALL_SEED_COUNT, pages=4, full_resync=False)  # 3+3+3+1
    assert transport.requests == 4
    served = Counter((kind, item_id) for kind, item_id, _ in transport.served)
    assert set(served.values()) == {1}
    assert len(served) == SMALL_SEED_COUNT
    assert store_snapshot(paged) == store_snapshot(one_page) == backend.live_items()
    assert paged.cursor() is not None
    assert paged.cursor() == one_page.cursor()  # both stand at the end of the same feed


# --- 2. the delta --------------------------------------------------------------------------------


def test_pull_with_nothing_new_is_one_empty_page_and_keeps_the_cursor(
    backend: BackendServer, api: ApiClient, store: LocalStore
) -> None:
    CatalogSync(api, store).pull()
    cursor = store.cursor()

    result = CatalogSync(api, store).pull()

    assert result == PullResult(changes=0, pages=1, full_resync=False)
    assert store.cursor() == cursor
    assert store.count() == SMALL_SEED_COUNT


def test_saved_cursor_survives_reopening_the_store(
    backend: BackendServer, api: ApiClient, tmp_path: Path
) -> None:
    path = tmp_path / "reopened" / "store.sqlite3"
    first = LocalStore(path)
    CatalogSync(api, first).pull()
    cursor = first.cursor()
    first.close()

    reopened = LocalStore(path)
    try:
        assert reopened.cursor() == cursor
        assert CatalogSync(api, reopened).pull() == PullResult(0, 1, False)
        assert store_snapshot(reopened) == backend.live_items()
    finally:
        reopened.close()


# --- 3. updates and deletes ------------------------------------------------------------------


def test_server_update_arrives_with_new_version_and_data_and_delete_removes_the_item(
    backend: BackendServer, make_api: MakeApi, store: LocalStore
) -> None:
    CatalogSync(make_api(backend.url), store).pull()
    renamed = {"id": "svc-card", "name": "残疾人证新办", "common": True, "popularity": 95}
    with backend.session() as session:
        crud.upsert_item(session, "service", "svc-card", {**renamed, "name": "草稿"})
        crud.upsert_item(session, "service", "svc-card", renamed)  # two edits -> version 3
        crud.delete_item(session, "institution", "inst-home")
        session.commit()
    transport = FlakyTransport()

    result = CatalogSync(make_api(backend.url, transport), store).pull()

    assert result == PullResult(changes=2, pages=1, full_resync=False)
    assert sorted(transport.served) == [("institution", "inst-home", 2), ("service", "svc-card", 3)]
    assert store.version("service", "svc-card") == 3
    assert store.item("service", "svc-card") == renamed
    assert Catalog(store).service("svc-card").name == "残疾人证新办"
    assert store.item("institution", "inst-home") is None
    assert store.version("institution", "inst-home") is None
    assert store.count() == SMALL_SEED_COUNT - 1
    assert store_snapshot(store) == backend.live_items()


# --- 4. 410 after purged deletions -----------------------------------------------------------


def test_expired_cursor_triggers_full_resync_that_drops_items_deleted_meanwhile(
    backend: BackendServer, api: ApiClient, store: LocalStore
) -> None:
    sync = CatalogSync(api, store)
    sync.pull()
    old_cursor = store.cursor()
    with backend.session() as session:
        crud.upsert_item(session, "policy", "pol-protection-law", {"id": "pol-protection-law"})
        session.commit()
    expire_cursors_by_deleting(backend, "service", "svc-aids")
    with pytest.raises(CursorExpiredError):  # the delete is no longer on record for our cursor
        api.catalog_changes(old_cursor)

    result = sync.pull()

    assert result.full_resync is True
    assert store.item("service", "svc-aids") is None
    assert store.item("policy", "pol-protection-law") == {"id": "pol-protection-law"}
    assert store.version("policy", "pol-protection-law") == 2
    assert store_snapshot(store) == backend.live_items()
    assert store.count() == SMALL_SEED_COUNT - 1
    assert store.resync_active() is False
    assert store.cursor() not in (None, old_cursor)
    assert sync.pull() == PullResult(0, 1, False)  # the new cursor is a good one


# --- 5. interrupted full resync --------------------------------------------------------------


def test_full_resync_interrupted_after_one_page_keeps_old_rows_and_resumes_without_stale_rows(
    backend: BackendServer, make_api: MakeApi, store: LocalStore
) -> None:
    CatalogSync(make_api(backend.url), store, page_size=3).pull()
    before = store_snapshot(store)
    with backend.session() as session:
        crud.upsert_item(session, "service", "svc-bus", {"id": "svc-bus", "name": "免费乘车 2"})
        crud.upsert_item(session, "policy", "pol-new", {"id": "pol-new", "title": "新政策"})
        session.commit()
    expire_cursors_by_deleting(backend, "service", "svc-aids")
    # Request 1 answers 410, request 2 is the first resync page, then the network goes.
    flaky = FlakyTransport(fail_after=2)

    with pytest.raises(OfflineError):
        CatalogSync(make_api(backend.url, flaky), store, page_size=3).pull()

    assert flaky.requests == 2
    assert len(flaky.served) == 3  # exactly one resync page landed...
    assert store.resync_active() is True
    assert store.cursor() is not None  # ...with its cursor
    for kind, item_id, version in flaky.served:
        assert store.version(kind, item_id) == version
    # Old rows stay readable until the resync's last page: nothing vanished, the stale row too.
    assert store.item("service", "svc-aids") == before[("service", "svc-aids")][1]
    assert set(before) <= set(store_snapshot(store))
    assert len(Catalog(store).districts()) == 3

    # The app restarts (a new store object on the same file) and syncs with a good network.
    path = store.path
    store.close()
    resumed = LocalStore(path)
    try:
        assert resumed.resync_active() is True
        result = CatalogSync(make_api(backend.url), resumed, page_size=3).pull()

        assert result.full_resync is False  # it carried on from the saved cursor, no new 410
        assert store_snapshot(resumed) == backend.live_items()
        assert resumed.item("service", "svc-aids") is None
        assert resumed.item("policy", "pol-new") == {"id": "pol-new", "title": "新政策"}
        assert resumed.resync_active() is False
    finally:
        resumed.close()


# --- 6. the cursor commits with its rows -----------------------------------------------------


@pytest.mark.parametrize("pages_before_failure", [0, 1, 2, 3])
def test_pull_failing_midway_keeps_cursor_in_step_with_rows_and_resumes_without_dups_or_gaps(
    backend: BackendServer, make_api: MakeApi, store: LocalStore, pages_before_failure: int
) -> None:
    flaky = FlakyTransport(fail_after=pages_before_failure)

    with pytest.raises(OfflineError):
        CatalogSync(make_api(backend.url, flaky), store, page_size=3).pull()

    landed = {(kind, item_id) for kind, item_id, _ in flaky.served}
    assert len(landed) == len(flaky.served) == 3 * pages_before_failure
    assert set(store_snapshot(store)) == landed
    assert (store.cursor() is None) == (pages_before_failure == 0)

    rest = FlakyTransport()
    result = CatalogSync(make_api(backend.url, rest), store, page_size=3).pull()

    remaining = {(kind, item_id) for kind, item_id, _ in rest.served}
    assert len(rest.served) == SMALL_SEED_COUNT - len(landed)  # no duplicates...
    assert remaining.isdisjoint(landed)
    assert remaining | landed == set(backend.live_items())  # ...and no gaps
    assert result.changes == SMALL_SEED_COUNT - len(landed)
    assert result.full_resync is False
    assert store_snapshot(store) == backend.live_items()


def test_dropped_response_mid_pull_leaves_only_whole_pages(
    backend: BackendServer, make_api: MakeApi, store: LocalStore
) -> None:
    """The server answered page 2 but the answer never arrived: page 2 is simply asked again."""
    dropping = FlakyTransport(drop_response_of=2)

    with pytest.raises(OfflineError):
        CatalogSync(make_api(backend.url, dropping), store, page_size=3).pull()

    assert len(dropping.served) == 3
    first_page = {(kind, item_id) for kind, item_id, _ in dropping.served}
    assert set(store_snapshot(store)) == first_page

    rest = FlakyTransport()
    CatalogSync(make_api(backend.url, rest), store, page_size=3).pull()

    assert len(rest.served) == SMALL_SEED_COUNT - 3
    assert store_snapshot(store) == backend.live_items()


# --- 7. backend down, then back --------------------------------------------------------------


def test_backend_down_pull_is_offline_store_still_serves_and_catches_up_when_back(
    backend: BackendServer, api: ApiClient, store: LocalStore
) -> None:
    sync = CatalogSync(api, store)
    sync.pull()
    cursor = store.cursor()
    backend.stop()

    with pytest.raises(OfflineError):
        sync.pull()

    assert store.cursor() == cursor
    catalog = Catalog(store)
    assert [d.code for d in catalog.districts()] == ["310101", "310104", "310115"]
    assert [s.id for s in catalog.common_services()] == ["svc-card", "svc-bus"]
    assert catalog.service("svc-rehab").name == "社区康复服务"

    # The catalogue changes on the server while it is down.
    new_service = {"id": "svc-new", "name": "助盲出行", "common": True, "popularity": 99}
    with backend.session() as session:
        crud.upsert_item(session, "service", "svc-new", new_service)
        crud.delete_item(session, "district", "310115")
        session.commit()
    backend.start()  # same port, same database

    result = sync.pull()  # the very same client reconnects

    assert result == PullResult(changes=2, pages=1, full_resync=False)
    assert store_snapshot(store) == backend.live_items()
    catalog = Catalog(store)
    assert [d.code for d in catalog.districts()] == ["310101", "310104"]
    assert [s.id for s in catalog.common_services()] == ["svc-new", "svc-card", "svc-bus"]


# --- 8. a different backend database behind the same URL -------------------------------------


def test_new_backend_database_at_same_url_expires_cursor_and_resync_replaces_catalogue(
    backend: BackendServer, api: ApiClient, store: LocalStore, tmp_path: Path
) -> None:
    sync = CatalogSync(api, store)
    old_epoch = api.health()["epoch"]
    with backend.session() as session:  # the client will hold svc-card at version 3
        crud.upsert_item(session, "service", "svc-card", {"id": "svc-card", "name": "旧 2"})
        crud.upsert_item(session, "service", "svc-card", {"id": "svc-card", "name": "旧 3"})
        session.commit()
    sync.pull()
    assert store.version("service", "svc-card") == 3
    old_cursor = store.cursor()

    # Another catalogue: svc-card is back at version 1 with other data, some items are gone,
    # one is new.
    other = {name: list(items) for name, items in SMALL_SEED.items()}
    other["districts.json"] = other["districts.json"][:2]
    other["services.json"] = [
        {"id": "svc-card", "name": "残疾人证（新库）", "common": True, "popularity": 10},
        {"id": "svc-other", "name": "另一项服务", "common": True, "popularity": 20},
    ]
    backend.stop()
    backend.start(
        db_path=tmp_path / "other-backend.sqlite3",
        seed_dir=write_seed_dir(tmp_path / "other-seed", other),
    )
    assert api.health()["epoch"] != old_epoch
    with pytest.raises(CursorExpiredError):
        api.catalog_changes(old_cursor)

    result = sync.pull()

    assert result.full_resync is True
    assert store_snapshot(store) == backend.live_items()
    assert store.item("service", "svc-card") == other["services.json"][0]
    assert store.version("service", "svc-card") == 1
    assert store.item("service", "svc-aids") is None
    assert [d.code for d in Catalog(store).districts()] == ["310101", "310104"]
    assert store.resync_active() is False


# --- 9. the real seed catalogue ----------------------------------------------------------------


def test_real_seed_catalogue_lands_completely(
    real_seed_backend: BackendServer, make_api: MakeApi, store: LocalStore
) -> None:
    def seed_file(name: str) -> list[dict]:
        return json.loads((DEFAULT_SEED_DIR / name).read_text(encoding="utf-8"))

    result = CatalogSync(make_api(real_seed_backend.url), store, page_size=50).pull()

    assert result.pages > 1
    expected = {
        "district": seed_file("districts.json"),
        "service": seed_file("services.json"),
        "policy": seed_file("policies.json"),
        "institution": seed_file("institutions.json"),
        "rule": seed_file("rules.json"),
    }
    assert len(expected["district"]) == 16
    assert len(expected["service"]) >= 30
    assert len(expected["policy"]) >= 10
    assert len(expected["institution"]) >= 20
    for kind, items in expected.items():
        assert store.count(kind) == len(items), kind
        assert store.items(kind) == sorted(items, key=lambda item: item["id"]), kind
    # Events are published from their table with times placed relative to the first start.
    events = {event["id"] for event in seed_file("events.json")}
    assert {event["id"] for event in store.items("event")} == events
    assert store.count() == sum(len(items) for items in expected.values()) + len(events)
    assert store_snapshot(store) == real_seed_backend.live_items()

    catalog = Catalog(store)
    districts = catalog.districts()
    assert len(districts) == 16
    assert [d.order for d in districts] == list(range(1, 17))
    assert [d.code for d in districts] == [
        d["code"] for d in sorted(expected["district"], key=lambda d: d["order"])
    ]
    assert districts[0].name == "黄浦区"
    common = catalog.common_services()
    assert common
    assert all(s.common for s in common)
    assert catalog.service(common[0].id) == common[0]
