"""GET /api/v1/catalog/changes: paging, updates, tombstones and cursor expiry."""

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from backend import crud
from backend.core.config import Settings

CHANGES = "/api/v1/catalog/changes"
SEED_COUNT = 6  # items in the conftest seed dir
Pull = Callable[..., tuple[list[dict[str, Any]], str]]


def _keys(changes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(change["kind"], change["id"]) for change in changes]


def test_full_pull_without_cursor_returns_every_seeded_item_once(
    client: TestClient, seed_items: dict[str, list[dict[str, Any]]]
):
    page = client.get(CHANGES).json()

    assert page["has_more"] is False
    assert len(page["changes"]) == SEED_COUNT
    assert len(set(_keys(page["changes"]))) == SEED_COUNT
    assert Counter(c["kind"] for c in page["changes"]) == {
        "district": 2,
        "service": 2,
        "policy": 1,
        "institution": 1,
    }
    pudong = next(c for c in page["changes"] if c["id"] == "pudong")
    assert pudong == {
        "kind": "district",
        "id": "pudong",
        "version": 1,
        "deleted": False,
        "data": seed_items["districts.json"][1],
    }


@pytest.mark.parametrize("limit", [1, 3, 4, SEED_COUNT, 1000])
def test_paging_by_limit_delivers_each_item_exactly_once(client: TestClient, limit: int):
    pages = []
    cursor = None
    while True:
        params = {"limit": limit} | ({"cursor": cursor} if cursor else {})
        page = client.get(CHANGES, params=params).json()
        pages.append(page)
        assert len(page["changes"]) <= limit
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break

    assert all(page["has_more"] for page in pages[:-1])
    assert all(len(page["changes"]) == limit for page in pages[:-1])
    assert len(pages) == -(-SEED_COUNT // limit)  # no empty trailing page when a page fills up
    keys = [key for page in pages for key in _keys(page["changes"])]
    assert len(keys) == SEED_COUNT == len(set(keys))


def test_polling_at_the_head_is_a_no_op(client: TestClient, pull: Pull):
    _, cursor = pull()

    page = client.get(CHANGES, params={"cursor": cursor}).json()

    assert page == {"changes": [], "next_cursor": cursor, "has_more": False}


def test_update_appears_after_the_cursor_once_with_its_latest_state(session: Session, pull: Pull):
    _, cursor = pull()
    crud.upsert_item(session, "service", "svc-rehab", {"id": "svc-rehab", "name": "康复 v2"})
    crud.upsert_item(session, "service", "svc-rehab", {"id": "svc-rehab", "name": "康复 v3"})
    session.commit()

    changes, cursor_after = pull(cursor)

    assert changes == [
        {
            "kind": "service",
            "id": "svc-rehab",
            "version": 3,
            "deleted": False,
            "data": {"id": "svc-rehab", "name": "康复 v3"},
        }
    ]
    assert pull(cursor_after) == ([], cursor_after)


def test_unchanged_upsert_is_not_a_change(
    session: Session, pull: Pull, seed_items: dict[str, list[dict[str, Any]]]
):
    _, cursor = pull()
    policy = seed_items["policies.json"][0]
    crud.upsert_item(session, "policy", policy["id"], dict(reversed(policy.items())))
    session.commit()

    assert pull(cursor) == ([], cursor)


def test_new_kinds_flow_through_the_feed(session: Session, pull: Pull):
    _, cursor = pull()
    crud.upsert_item(session, "event", "evt-1", {"id": "evt-1", "capacity": 20})
    crud.upsert_item(session, "rule", "rule-1", {"id": "rule-1", "needs": ["card"]})
    session.commit()

    changes, _ = pull(cursor)

    assert _keys(changes) == [("event", "evt-1"), ("rule", "rule-1")]


def test_delete_appears_as_a_tombstone_without_data(session: Session, pull: Pull):
    _, cursor = pull()
    crud.delete_item(session, "institution", "inst-sunshine-home")
    session.commit()

    changes, _ = pull(cursor)
    full, _ = pull()

    tombstone = {
        "kind": "institution",
        "id": "inst-sunshine-home",
        "version": 2,
        "deleted": True,
        "data": None,
    }
    assert changes == [tombstone]
    assert tombstone in full


def test_purged_tombstones_expire_older_cursors_but_a_fresh_pull_works(
    client: TestClient, session: Session, pull: Pull
):
    _, old_cursor = pull()
    crud.delete_item(session, "service", "svc-bus-pass")
    session.commit()
    _, cursor_after_delete = pull(old_cursor)
    crud.purge_tombstones(session, crud.get_meta(session).last_seq)
    session.commit()

    expired = client.get(CHANGES, params={"cursor": old_cursor})
    current = client.get(CHANGES, params={"cursor": cursor_after_delete})
    full, _ = pull()

    assert expired.status_code == 410
    assert expired.headers["content-type"] == "application/problem+json"
    assert expired.json()["code"] == "cursor_expired"
    assert expired.json()["type"] == "urn:sunshine:problem:cursor_expired"
    assert current.status_code == 200  # a cursor at the horizon lost nothing
    assert len(full) == SEED_COUNT - 1
    assert ("service", "svc-bus-pass") not in _keys(full)


def test_paging_a_fresh_pull_after_a_purge_never_expires_itself(
    client: TestClient, session: Session, pull: Pull
):
    # Live items keep their old, low seqs while the horizon moves past them.
    crud.delete_item(session, "service", "svc-bus-pass")
    crud.purge_tombstones(session, crud.get_meta(session).last_seq)
    session.commit()

    changes, cursor = pull(limit=1)
    crud.upsert_item(session, "event", "evt-1", {"id": "evt-1"})
    session.commit()
    later, _ = pull(cursor, limit=1)

    assert len(changes) == SEED_COUNT - 1
    assert _keys(later) == [("event", "evt-1")]


def test_fully_purged_catalogue_can_still_be_polled(
    client: TestClient, session: Session, pull: Pull
):
    for change in client.get(CHANGES).json()["changes"]:
        crud.delete_item(session, change["kind"], change["id"])
    crud.purge_tombstones(session, crud.get_meta(session).last_seq)
    session.commit()

    changes, cursor = pull()
    polled = client.get(CHANGES, params={"cursor": cursor})

    assert changes == []
    assert polled.status_code == 200
    assert polled.json() == {"changes": [], "next_cursor": cursor, "has_more": False}


def test_cursor_from_another_database_expires(
    client: TestClient, make_app: Callable[..., FastAPI], settings: Settings, tmp_path: Path
):
    other = TestClient(make_app(settings, db_url=f"sqlite:///{tmp_path / 'other.sqlite3'}"))
    foreign_cursor = other.get(CHANGES).json()["next_cursor"]

    response = client.get(CHANGES, params={"cursor": foreign_cursor})

    assert response.status_code == 410
    assert response.json()["code"] == "cursor_expired"


def test_cursor_ahead_of_the_database_expires(client: TestClient, session: Session):
    meta = crud.get_meta(session)

    response = client.get(CHANGES, params={"cursor": f"{meta.epoch}.{meta.last_seq + 1}"})

    assert response.status_code == 410
    assert response.json()["code"] == "cursor_expired"


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "abc",
        "0123456789abcdef",
        "0123456789abcdef.",
        "0123456789abcdef.-1",
        "0123456789abcdef.01",
        "0123456789ABCDEF.1",
        "0123456789abcdef.1.2.3",
        "0123456789abcdef.1.",
        " 0123456789abcdef.1",
        "x" * 500,
    ],
)
def test_malformed_cursor_is_400_invalid_cursor(client: TestClient, cursor: str):
    response = client.get(CHANGES, params={"cursor": cursor})

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "invalid_cursor"
    assert body["status"] == 400
    assert body["instance"] == CHANGES


@pytest.mark.parametrize("limit", ["0", "1001", "-5", "ten"])
def test_limit_out_of_range_is_422_validation_error(client: TestClient, limit: str):
    response = client.get(CHANGES, params={"limit": limit})

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "validation_error"
    assert [error["loc"] for error in body["errors"]] == [["query", "limit"]]
    assert "input" not in body["errors"][0]
