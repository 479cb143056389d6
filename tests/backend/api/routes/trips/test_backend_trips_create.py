"""POST /trips: what a resident may ask for, and every way the request can be wrong."""

import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from route_support import problem_code
from trips_support import TRIPS, ask, trip_body

from backend.core.clock import FakeClock


def test_asking_for_a_trip_makes_an_open_trip_the_resident_sees_in_full(
    client: TestClient, resident: dict[str, str], clock: FakeClock
):
    start = clock() + timedelta(days=3)
    response = client.post(
        TRIPS,
        headers=resident,
        json=trip_body(
            clock,
            start_at=start.astimezone().isoformat(),  # any offset; stored and shown in UTC
            needs=["wheelchair", "sighted_guide"],
            contact_phone="+86 138-0000-0001",
            notes=" 北门等 ",
        ),
    )

    assert response.status_code == 201, response.text
    trip = response.json()
    uuid.UUID(trip["id"])
    assert trip["state"] == "open" and trip["my_role"] == "resident"
    assert datetime.fromisoformat(trip["start_at"]) == start
    assert trip["start_at"].endswith("Z")
    assert trip["needs"] == ["wheelchair", "sighted_guide"]
    assert trip["contact_phone"] == "13800000001", "normalised"
    assert trip["notes"] == "北门等"
    assert trip["resident_name"] == "张阿姨"
    assert trip["volunteer"] is None and trip["code_word"] is None
    assert trip["version"] == 1 and trip["claimed_at"] is None
    assert client.get(f"{TRIPS}/{trip['id']}", headers=resident).json() == trip
    assert client.get(f"{TRIPS}/mine", headers=resident).json() == {"items": [trip]}


def test_a_client_made_id_is_kept(client: TestClient, resident: dict[str, str], clock: FakeClock):
    trip_id = str(uuid.uuid4())

    assert ask(client, resident, clock, id=trip_id)["id"] == trip_id


def test_the_same_id_again_is_trip_exists_but_a_retry_with_the_same_key_is_replayed(
    client: TestClient, resident: dict[str, str], clock: FakeClock
):
    body = trip_body(clock, id=str(uuid.uuid4()))
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = client.post(TRIPS, headers={**resident, **key}, json=body)

    replay = client.post(TRIPS, headers={**resident, **key}, json=body)
    again = client.post(
        TRIPS, headers={**resident, "Idempotency-Key": str(uuid.uuid4())}, json=body
    )

    assert first.status_code == replay.status_code == 201
    assert replay.headers["idempotent-replayed"] == "true" and replay.json() == first.json()
    assert again.status_code == 409 and problem_code(again) == "trip_exists"
    assert len(client.get(f"{TRIPS}/mine", headers=resident).json()["items"]) == 1


@pytest.mark.parametrize(
    ("ahead", "code"),
    [
        (timedelta(minutes=14, seconds=59), "trip_time_too_soon"),
        (timedelta(0), "trip_time_too_soon"),
        (-timedelta(hours=1), "trip_time_too_soon"),
        (timedelta(days=30, seconds=1), "trip_time_too_far"),
        (timedelta(days=400), "trip_time_too_far"),
    ],
)
def test_a_start_time_too_soon_or_too_far_is_refused(
    client: TestClient, resident: dict[str, str], clock: FakeClock, ahead: timedelta, code: str
):
    body = trip_body(clock, start_at=(clock() + ahead).isoformat())

    response = client.post(TRIPS, headers=resident, json=body)

    assert response.status_code == 422 and problem_code(response) == code
    assert client.get(f"{TRIPS}/mine", headers=resident).json() == {"items": []}


@pytest.mark.parametrize("ahead", [timedelta(minutes=15), timedelta(days=30)])
def test_the_limits_themselves_are_allowed(
    client: TestClient, resident: dict[str, str], clock: FakeClock, ahead: timedelta
):
    assert ask(client, resident, clock, start_at=(clock() + ahead).isoformat())["state"] == "open"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start_at": "2025-01-01T12:00:00"}, "start_at"),  # naive: which time zone?
        ({"start_at": "tomorrow"}, "start_at"),
        ({"start_at": "0001-01-01T00:00:00+00:01"}, "start_at"),  # before year 1 in UTC
        ({"needs": []}, "needs"),
        ({"needs": ["sighted_guide", "sighted_guide"]}, "needs"),
        ({"needs": ["carry_bags"]}, "needs"),
        ({"needs": ["sighted_guide", "sign_language", "wheelchair", "sighted_guide"]}, "needs"),
        ({"needs": "sighted_guide"}, "needs"),
        ({"contact_phone": "12345"}, "contact_phone"),
        ({"contact_phone": "1380000000１"}, "contact_phone"),  # a full-width digit
        ({"district": "320101"}, "district"),
        ({"from_place": ""}, "from_place"),
        ({"to_place": "   "}, "to_place"),
        ({"to_place": "x" * 101}, "to_place"),
        ({"notes": "x" * 201}, "notes"),
        ({"id": "not-a-uuid"}, "id"),
        ({"volunteer_id": 2}, "volunteer_id"),
        ({"state": "claimed"}, "state"),
    ],
)
def test_bad_fields_are_422_naming_the_field(
    client: TestClient,
    resident: dict[str, str],
    clock: FakeClock,
    changes: dict[str, Any],
    field: str,
):
    response = client.post(TRIPS, headers=resident, json=trip_body(clock, **changes))

    assert response.status_code == 422 and problem_code(response) == "validation_error"
    assert [e["loc"][:2] for e in response.json()["errors"]] == [["body", field]]


def test_missing_fields_are_422(client: TestClient, resident: dict[str, str], clock: FakeClock):
    body = trip_body(clock)
    del body["district"], body["start_at"]

    response = client.post(TRIPS, headers=resident, json=body)

    assert response.status_code == 422
    assert {e["loc"][1] for e in response.json()["errors"]} == {"district", "start_at"}


def test_asking_needs_sign_in(client: TestClient, clock: FakeClock):
    response = client.post(TRIPS, json=trip_body(clock))

    assert response.status_code == 401 and problem_code(response) == "unauthorized"
