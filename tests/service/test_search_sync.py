"""The search index follows catalogue deltas from the real backend, item by item.

Catalogue changes are made in the backend's own database with ``backend.crud``; the client pulls
them over HTTP and the index, listening to ``CatalogSync``, must show them at the next search.
"""

from __future__ import annotations

from sync_support import BackendServer

from backend import crud
from services.api import ApiClient
from services.search import CatalogSearch
from services.sync import CatalogSync, LocalStore


def ids(search: CatalogSearch, query: str) -> list[str]:
    return [hit.id for hit in search.search(query).hits]


def test_a_delta_updates_the_index_without_a_rebuild(
    backend: BackendServer, make_api, store: LocalStore
) -> None:
    search = CatalogSearch(store)
    sync = CatalogSync(make_api(backend.url), store, listeners=[search.catalog_changed])
    sync.pull()
    assert ids(search, "cjrz") == ["svc-card"]  # loaded from the store on first use
    rebuilds = []
    search.index.rebuild = lambda items: rebuilds.append(items)  # type: ignore[method-assign]

    with backend.session() as session:
        crud.upsert_item(
            session,
            "service",
            "svc-card",
            {"id": "svc-card", "name": "残疾人证换领", "popularity": 90},
        )
        crud.upsert_item(
            session,
            "service",
            "svc-guide",
            {"id": "svc-guide", "name": "助盲出行", "popularity": 30},
        )
        crud.delete_item(session, "service", "svc-aids")
        session.commit()
    sync.pull()

    assert rebuilds == []  # only the three changed items were re-read
    assert ids(search, "huanling") == ["svc-card"]
    assert "svc-card" not in ids(search, "shenling")
    assert ids(search, "zhumang") == ["svc-guide"]
    assert ids(search, "辅助器具") == []


def test_a_full_resync_rebuilds_so_silent_deletions_leave_the_index(
    backend: BackendServer, make_api, store: LocalStore
) -> None:
    api: ApiClient = make_api(backend.url)
    search = CatalogSearch(store)
    CatalogSync(api, store, listeners=[search.catalog_changed]).pull()
    assert ids(search, "fuzhu")[0] == "svc-aids"
    with backend.session() as session:
        crud.delete_item(session, "service", "svc-aids")
        session.commit()
        # The tombstone is purged, so our cursor expires (410) and we resync from scratch.
        crud.purge_tombstones(session, crud.get_meta(session).last_seq)
        session.commit()

    result = CatalogSync(api, store, listeners=[search.catalog_changed]).pull()

    assert result.full_resync
    assert "svc-aids" not in ids(search, "fuzhu")
    assert ids(search, "cjrz") == ["svc-card"]
