"""/me: ETag / If-Match, own records only, demo seed, and Idempotency-Key semantics."""

import json
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from me_support import DEV_CODE, ME, auth
from route_support import activity_keys
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.core.clock import FakeClock
from backend.core.config import DEFAULT_SEED_DIR, Settings
from backend.demo_users import DEMO_USERS, RESIDENT_PHONE
from backend.idempotency import request_fingerprint
from backend.models import IdempotencyRecord, InboxItem, User


def problem_code(response: Any) -> str:
    assert response.headers["content-type"] == "application/problem+json", response.text
    return response.json()["code"]


# --- profile -------------------------------------------------------------------------------


def test_me_shows_the_demo_profile_with_masked_id_and_etag(
    client: TestClient, aunt: dict[str, str]
):
    response = client.get(ME, headers=aunt)

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "张阿姨" and body["roles"] == ["resident"]
    assert body["id_number"] == "310***********0028"
    assert body["example_data"] is True
    assert response.headers["etag"] == f'"{body["version"]}"' == '"1"'


def test_volunteer_demo_user_has_both_roles(client: TestClient, volunteer: dict[str, str]):
    assert client.get(ME, headers=volunteer).json()["roles"] == ["resident", "volunteer"]


def test_patch_me_needs_if_match(client: TestClient, aunt: dict[str, str]):
    response = client.patch(ME, headers=aunt, json={"address": "新地址"})

    assert response.status_code == 428
    assert problem_code(response) == "precondition_required"


def test_patch_me_with_a_stale_etag_is_412(client: TestClient, aunt: dict[str, str]):
    ok = client.patch(ME, headers={**aunt, "If-Match": '"1"'}, json={"address": "A"})
    assert ok.status_code == 200

    stale = client.patch(ME, headers={**aunt, "If-Match": '"1"'}, json={"address": "B"})

    assert stale.status_code == 412
    assert problem_code(stale) == "precondition_failed"
    assert stale.headers["etag"] == '"2"'
    assert client.get(ME, headers=aunt).json()["address"] == "A"


def test_patch_me_changes_contact_fields_and_bumps_the_version(
    client: TestClient, aunt: dict[str, str]
):
    response = client.patch(
        ME,
        headers={**aunt, "If-Match": '"1"'},
        json={"address": "上海市静安区新地址 1 号", "emergency_contact": None},
    )

    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"2"'
    body = response.json()
    assert body["version"] == 2
    assert body["address"] == "上海市静安区新地址 1 号" and body["emergency_contact"] is None
    again = client.get(ME, headers=aunt)
    assert again.json() == body and again.headers["etag"] == '"2"'


@pytest.mark.parametrize(
    "payload",
    [
        {"name": "冒名"},
        {"phone": "13900000000"},
        {"roles": ["staff"]},
        {"id_number": "110101199003070000"},
        {"version": 9},
        {"address": "x" * 201},
        {},
    ],
)
def test_patch_me_rejects_anything_but_contact_fields(
    client: TestClient, aunt: dict[str, str], payload: dict[str, Any]
):
    response = client.patch(ME, headers={**aunt, "If-Match": '"1"'}, json=payload)

    assert response.status_code == 422
    assert problem_code(response) == "validation_error"
    assert client.get(ME, headers=aunt).json()["version"] == 1


# --- records -------------------------------------------------------------------------------


def test_demo_records_reference_real_catalogue_services(client: TestClient, aunt: dict[str, str]):
    real = {s["id"] for s in json.loads((DEFAULT_SEED_DIR / "services.json").read_text())}
    referenced = {
        row["service_id"]
        for demo in DEMO_USERS
        for key in ("service_records", "benefits", "inbox")
        for row in demo[key]
        if row["service_id"]
    }
    assert referenced and referenced <= real

    for path, count in [
        ("/service-records", 2),
        ("/visits", 2),
        ("/benefits", 1),
        ("/inbox", 2),
    ]:
        response = client.get(ME + path, headers=aunt)
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        assert len(items) == count
        assert all(item["example_data"] for item in items)


def test_new_user_starts_with_empty_lists(client: TestClient, clock: FakeClock):
    headers = auth(client, "15000000000")

    for path in ("/service-records", "/visits", "/benefits", "/inbox"):
        assert client.get(ME + path, headers=headers).json() == {"items": []}


def test_demo_users_are_seeded_once(make_app: Callable[..., FastAPI], settings: Settings):
    make_app(settings)
    app = make_app(settings)

    with app.state.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(User)) == len(DEMO_USERS)


def inbox_ids(client: TestClient, headers: dict[str, str]) -> list[int]:
    return [item["id"] for item in client.get(ME + "/inbox", headers=headers).json()["items"]]


def test_reply_to_an_inbox_item(client: TestClient, aunt: dict[str, str], clock: FakeClock):
    item_id = inbox_ids(client, aunt)[0]

    response = client.post(
        f"{ME}/inbox/{item_id}/reply", headers=aunt, json={"answer": "need_help", "note": "请联系"}
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["answer"] == "need_help" and body["answer_note"] == "请联系"
    assert body["answered_at"].startswith("2025-01-01T08:00:00")
    stored = next(
        i for i in client.get(ME + "/inbox", headers=aunt).json()["items"] if i["id"] == item_id
    )
    assert stored == body


@pytest.mark.parametrize("payload", [{"answer": "maybe"}, {}, {"answer": "interested", "x": 1}])
def test_reply_with_a_bad_answer_is_422(
    client: TestClient, aunt: dict[str, str], payload: dict[str, Any]
):
    item_id = inbox_ids(client, aunt)[0]

    response = client.post(f"{ME}/inbox/{item_id}/reply", headers=aunt, json=payload)

    assert response.status_code == 422 and problem_code(response) == "validation_error"


# --- authorisation -------------------------------------------------------------------------

ME_ENDPOINTS = [
    ("GET", ME, None),
    ("PATCH", ME, {"address": "x"}),
    ("GET", ME + "/service-records", None),
    ("GET", ME + "/visits", None),
    ("GET", ME + "/benefits", None),
    ("GET", ME + "/inbox", None),
    ("GET", ME + "/activity", None),
    ("POST", ME + "/inbox/1/reply", {"answer": "interested"}),
]


def test_every_me_endpoint_requires_sign_in(client: TestClient):
    for method, path, body in ME_ENDPOINTS:
        response = client.request(method, path, json=body, headers={"If-Match": '"1"'})
        assert response.status_code == 401, (method, path)
        assert problem_code(response) == "unauthorized"


def test_user_b_never_sees_or_changes_user_a_data(
    client: TestClient, aunt: dict[str, str], volunteer: dict[str, str], session: Session
):
    aunt_items = inbox_ids(client, aunt)
    client.post(f"{ME}/inbox/{aunt_items[0]}/reply", headers=aunt, json={"answer": "need_help"})
    aunt_me = client.get(ME, headers=aunt).json()
    aunt_lists = {
        path: client.get(ME + path, headers=aunt).json()
        for path in ("/service-records", "/visits", "/benefits", "/inbox", "/activity")
    }
    assert aunt_lists["/activity"]["items"], "A has done something B must not see"

    # Every /me endpoint, called by B, answers about B only.
    for method, path, body in ME_ENDPOINTS:
        if "/inbox/" in path:
            continue
        response = client.request(method, path, json=body, headers={**volunteer, "If-Match": '"1"'})
        assert response.status_code == 200, (method, path, response.text)
        text = response.text
        assert aunt_me["name"] not in text and RESIDENT_PHONE not in text, (method, path)
        for item in aunt_lists.get(path.removeprefix(ME), {"items": []})["items"]:
            assert item not in response.json().get("items", []), (method, path)

    # B replying to A's inbox items: 404, exactly like a missing item, and nothing changes.
    missing = client.post(
        f"{ME}/inbox/999999/reply", headers=volunteer, json={"answer": "interested"}
    )
    for item_id in aunt_items:
        response = client.post(
            f"{ME}/inbox/{item_id}/reply", headers=volunteer, json={"answer": "interested"}
        )
        assert response.status_code == 404
        assert problem_code(response) == "not_found"
        assert response.json()["detail"] == missing.json()["detail"]
    session.expire_all()
    rows = session.execute(
        select(InboxItem.id, InboxItem.answer).where(InboxItem.id.in_(aunt_items))
    )
    assert dict(rows.all()) == {i: "need_help" if i == aunt_items[0] else None for i in aunt_items}
    assert client.get(ME, headers=aunt).json() == aunt_me
    for path, before in aunt_lists.items():
        assert client.get(ME + path, headers=aunt).json() == before


# --- idempotency ---------------------------------------------------------------------------


def key() -> str:
    return str(uuid.uuid4())


def test_same_key_and_body_replays_the_first_response(
    client: TestClient, aunt: dict[str, str], session: Session
):
    headers = {**aunt, "If-Match": '"1"', "Idempotency-Key": key()}

    first = client.patch(ME, headers=headers, json={"address": "甲"})
    second = client.patch(ME, headers=headers, json={"address": "甲"})

    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()
    assert second.headers["etag"] == first.headers["etag"] == '"2"'
    assert second.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert client.get(ME, headers=aunt).json()["version"] == 2, "applied once"


def test_replayed_inbox_reply_is_applied_once(
    client: TestClient, aunt: dict[str, str], clock: FakeClock
):
    item_id = inbox_ids(client, aunt)[0]
    headers = {**aunt, "Idempotency-Key": key()}
    path = f"{ME}/inbox/{item_id}/reply"

    first = client.post(path, headers=headers, json={"answer": "interested"})
    clock.advance(hours=23)
    headers.update(auth(client, RESIDENT_PHONE))  # the access token expired meanwhile
    second = client.post(path, headers=headers, json={"answer": "interested"})

    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"


def test_activity_lists_each_applied_action_once_newest_first(
    client: TestClient, aunt: dict[str, str], session: Session
):
    item_id = inbox_ids(client, aunt)[0]
    reply_key, patch_key = key(), key()
    reply = {**aunt, "Idempotency-Key": reply_key}
    for _ in range(2):  # the second is a replay: no second effect, no second entry
        client.post(f"{ME}/inbox/{item_id}/reply", headers=reply, json={"answer": "interested"})
    patch = {**aunt, "Idempotency-Key": patch_key, "If-Match": '"1"'}
    assert client.patch(ME, headers=patch, json={"address": "乙"}).status_code == 200
    client.post(f"{ME}/inbox/{item_id}/reply", headers=aunt, json={"answer": "need_help"})

    items = client.get(f"{ME}/activity", headers=aunt).json()["items"]

    assert [(i["action"], i["target"]) for i in items] == [
        ("inbox_replied", str(item_id)),
        ("profile_changed", "address"),
        ("inbox_replied", str(item_id)),
    ]
    assert all(i["acted_for_me_by"] is None for i in items)
    assert all("request_key" not in i for i in items), "a key could be replayed: never shown"
    stored = activity_keys(session, client.get(ME, headers=aunt).json()["id"])
    assert [key for _action, _target, key in stored] == [None, patch_key, reply_key]


def test_records_are_kept_at_least_24_hours(
    client: TestClient, aunt: dict[str, str], clock: FakeClock, session: Session
):
    idem = key()
    client.patch(
        ME, headers={**aunt, "If-Match": '"1"', "Idempotency-Key": idem}, json={"address": "甲"}
    )

    record = session.scalars(select(IdempotencyRecord)).one()
    assert record.state == "done" and record.status == 200
    assert record.expires_at - record.started_at >= timedelta(hours=24)


def test_a_key_lapsed_after_24_hours_acts_anew_and_a_sweep_purges_it(
    client: TestClient, aunt: dict[str, str], clock: FakeClock, session: Session
):
    idem = key()
    client.patch(
        ME, headers={**aunt, "If-Match": '"1"', "Idempotency-Key": idem}, json={"address": "甲"}
    )
    clock.advance(hours=25)
    aunt = auth(client, RESIDENT_PHONE)  # the access token has lapsed too

    # Lapsed, not yet purged: the key is free again, whatever it was used for before.
    again = client.patch(
        ME, headers={**aunt, "If-Match": '"2"', "Idempotency-Key": idem}, json={"address": "乙"}
    )
    assert again.status_code == 200 and "idempotent-replayed" not in again.headers
    assert again.json()["address"] == "乙"

    # The sweep that runs around a request (here a look at notifications) deletes lapsed ones.
    clock.advance(hours=25)
    aunt = auth(client, RESIDENT_PHONE)
    assert client.get("/api/v1/me/notifications", headers=aunt).status_code == 200
    session.expire_all()
    assert session.scalars(select(IdempotencyRecord)).all() == []


def test_same_key_with_another_body_is_422(client: TestClient, aunt: dict[str, str]):
    headers = {**aunt, "If-Match": '"1"', "Idempotency-Key": key()}
    client.patch(ME, headers=headers, json={"address": "甲"})

    response = client.patch(ME, headers=headers, json={"address": "乙"})

    assert response.status_code == 422
    assert problem_code(response) == "idempotency_key_reused"
    assert client.get(ME, headers=aunt).json()["address"] == "甲"


def test_key_still_in_progress_is_409(
    client: TestClient, aunt: dict[str, str], clock: FakeClock, session: Session
):
    idem = key()
    user_id = client.get(ME, headers=aunt).json()["id"]
    body = {"address": "甲"}
    session.add(
        IdempotencyRecord(
            scope=f"user:{user_id}",
            key=idem,
            request_hash=request_fingerprint("PATCH", ME, json.dumps(body).encode(), '"1"'),
            state="in_progress",
            started_at=clock(),
            expires_at=clock() + timedelta(hours=24),
        )
    )
    session.commit()

    response = client.patch(
        ME, headers={**aunt, "If-Match": '"1"', "Idempotency-Key": idem}, json=body
    )

    assert response.status_code == 409
    assert problem_code(response) == "idempotency_in_progress"
    assert response.headers["retry-after"] == "1"
    assert client.get(ME, headers=aunt).json()["version"] == 1, "not applied"

    # A claim abandoned by a crashed request is taken over after a while.
    clock.advance(minutes=5)
    retried = client.patch(
        ME, headers={**aunt, "If-Match": '"1"', "Idempotency-Key": idem}, json=body
    )
    assert retried.status_code == 200, retried.text


def test_failed_request_releases_its_key(client: TestClient, aunt: dict[str, str]):
    idem = key()
    stale = client.patch(
        ME, headers={**aunt, "If-Match": '"7"', "Idempotency-Key": idem}, json={"address": "甲"}
    )
    assert stale.status_code == 412

    # The failed request changed nothing and was not stored: a retry runs it again.
    again = client.patch(
        ME, headers={**aunt, "If-Match": '"7"', "Idempotency-Key": idem}, json={"address": "甲"}
    )
    assert again.status_code == 412 and "idempotent-replayed" not in again.headers


def test_keys_are_per_user(client: TestClient, aunt: dict[str, str], volunteer: dict[str, str]):
    idem = key()
    a = client.patch(
        ME, headers={**aunt, "If-Match": '"1"', "Idempotency-Key": idem}, json={"address": "甲"}
    )
    b = client.patch(
        ME,
        headers={**volunteer, "If-Match": '"1"', "Idempotency-Key": idem},
        json={"address": "甲"},
    )

    assert a.status_code == b.status_code == 200
    assert "idempotent-replayed" not in b.headers
    assert b.json()["name"] == "李志愿"


def test_idempotency_key_must_be_a_uuid(client: TestClient, aunt: dict[str, str]):
    response = client.patch(
        ME,
        headers={**aunt, "If-Match": '"1"', "Idempotency-Key": "not-a-uuid"},
        json={"address": "x"},
    )

    assert response.status_code == 422 and problem_code(response) == "validation_error"


def test_a_replayed_sign_in_gets_no_tokens_and_ends_the_first_pair(
    client: TestClient, clock: FakeClock
):
    headers = {"Idempotency-Key": key()}
    body = {"phone": RESIDENT_PHONE, "code": DEV_CODE}

    first = client.post("/api/v1/auth/token", headers=headers, json=body)
    second = client.post("/api/v1/auth/token", headers=headers, json=body)

    assert first.status_code == 200
    assert second.status_code == 401 and problem_code(second) == "invalid_code"
    assert "access_token" not in second.text
    old = {"Authorization": f"Bearer {first.json()['access_token']}"}
    assert client.get(ME, headers=old).status_code == 401, "a copy of the request ends it"
    refreshed = client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first.json()["refresh_token"]}
    )
    assert refreshed.status_code == 401


def test_replayed_code_request_sends_no_second_code(client: TestClient, clock: FakeClock):
    headers = {"Idempotency-Key": key()}

    first = client.post("/api/v1/auth/code", headers=headers, json={"phone": "13700000000"})
    second = client.post("/api/v1/auth/code", headers=headers, json={"phone": "13700000000"})

    assert first.status_code == second.status_code == 202
    assert second.headers["idempotent-replayed"] == "true"  # not 429 rate_limited
