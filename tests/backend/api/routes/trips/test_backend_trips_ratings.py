"""Ratings after a completed trip, who sees the code word and the other's details, and the
activity each action leaves on the actor's account."""

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from route_support import API, activity_keys, problem_code
from sqlalchemy.orm import Session
from trips_support import TRIPS, act, ask, done, get_trip, notifications, trip_body

from backend.core.clock import FakeClock


@pytest.fixture
def completed(
    client: TestClient, resident: dict[str, str], volunteer: dict[str, str], clock: FakeClock
) -> str:
    trip_id = ask(client, resident, clock)["id"]
    for action in ("claim", "start", "complete"):
        done(client, volunteer, trip_id, action)
    return trip_id


def test_each_rates_the_other_once_and_sees_both_ratings(
    client: TestClient, resident: dict[str, str], volunteer: dict[str, str], completed: str
):
    by_resident = done(client, resident, completed, "rate", json={"stars": 5, "comment": "很耐心"})
    by_volunteer = done(client, volunteer, completed, "rate", json={"stars": 4})

    assert by_resident["my_rating"] == {"stars": 5, "comment": "很耐心"}
    assert by_resident["rating_of_me"] is None, "the volunteer had not rated yet"
    assert by_volunteer["my_rating"] == {"stars": 4, "comment": None}
    assert by_volunteer["rating_of_me"] == {"stars": 5, "comment": "很耐心"}
    seen = get_trip(client, resident, completed).json()
    assert seen["my_rating"]["stars"] == 5 and seen["rating_of_me"]["stars"] == 4
    assert seen["state"] == "completed"


def test_rating_again_is_already_rated_but_a_replay_is_200(
    client: TestClient, resident: dict[str, str], completed: str
):
    key = str(uuid.uuid4())
    first = act(client, resident, completed, "rate", json={"stars": 3}, key=key)

    replay = act(client, resident, completed, "rate", json={"stars": 3}, key=key)
    again = act(client, resident, completed, "rate", json={"stars": 1})

    assert first.status_code == replay.status_code == 200
    assert replay.headers["idempotent-replayed"] == "true"
    assert again.status_code == 409 and problem_code(again) == "already_rated"
    assert get_trip(client, resident, completed).json()["my_rating"] == {
        "stars": 3,
        "comment": None,
    }


@pytest.mark.parametrize(
    "body",
    [
        {"stars": 0},
        {"stars": 6},
        {"stars": "5"},
        {"stars": True},
        {"stars": 4.5},
        {"stars": 4, "comment": "x" * 201},
        {"comment": "好"},
        {"stars": 4, "volunteer": 1},
    ],
)
def test_a_bad_rating_is_422(
    client: TestClient, resident: dict[str, str], completed: str, body: dict[str, Any]
):
    response = act(client, resident, completed, "rate", json=body)

    assert response.status_code == 422 and problem_code(response) == "validation_error"
    assert get_trip(client, resident, completed).json()["my_rating"] is None


# --- what each person sees -------------------------------------------------------------------


def test_the_code_word_and_contacts_are_shown_only_to_the_two_people(
    client: TestClient,
    resident: dict[str, str],
    volunteer: dict[str, str],
    second_volunteer: dict[str, str],
    stranger: dict[str, str],
    clock: FakeClock,
):
    trip_id = ask(client, resident, clock)["id"]
    as_seen_open = get_trip(client, second_volunteer, trip_id).json()
    code = done(client, volunteer, trip_id, "claim")["code_word"]

    for headers, role in ((resident, "resident"), (volunteer, "volunteer")):
        trip = get_trip(client, headers, trip_id).json()
        assert trip["my_role"] == role and trip["code_word"] == code
        assert trip["resident_name"] == "张阿姨" and trip["contact_phone"] == "13800000001"
        assert trip["volunteer"] == {"name": "李志愿", "phone": "13800000002"}
    assert as_seen_open["code_word"] is None and as_seen_open["contact_phone"] is None
    assert as_seen_open["resident_name"] is None and as_seen_open["my_role"] is None
    for outsider in (second_volunteer, stranger):
        assert get_trip(client, outsider, trip_id).status_code == 404
        assert client.get(f"{TRIPS}/mine", headers=outsider).json() == {"items": []}
        assert [n for n in notifications(client, outsider) if n["trip_id"]] == []
    assert client.get(f"{TRIPS}/open", headers=second_volunteer).json() == {"items": []}
    for action in ("start", "complete"):
        done(client, volunteer, trip_id, action)
    assert get_trip(client, resident, trip_id).json()["code_word"] == code, "kept after"


def test_another_residents_trip_is_404_everywhere(
    client: TestClient, resident: dict[str, str], stranger: dict[str, str], clock: FakeClock
):
    trip_id = ask(client, resident, clock)["id"]

    assert get_trip(client, stranger, trip_id).status_code == 404
    for action in ("cancel", "start", "complete", "release", "rate"):
        body = {"stars": 1} if action == "rate" else None
        response = act(client, stranger, trip_id, action, json=body)
        assert response.status_code == 404 and problem_code(response) == "not_found", action
    assert get_trip(client, resident, trip_id).json()["version"] == 1


@pytest.mark.parametrize("path", ["/mine", "/open", "/00000000-0000-4000-8000-000000000000"])
def test_reading_trips_needs_sign_in(client: TestClient, path: str):
    response = client.get(TRIPS + path)

    assert response.status_code == 401 and problem_code(response) == "unauthorized"


@pytest.mark.parametrize("action", ["claim", "cancel", "start", "complete", "release", "rate"])
def test_acting_needs_sign_in(client: TestClient, action: str):
    response = client.post(f"{TRIPS}/{uuid.uuid4()}/{action}", json={"stars": 1})

    assert response.status_code == 401 and problem_code(response) == "unauthorized"


def test_a_trip_id_that_is_not_a_uuid_is_422(client: TestClient, resident: dict[str, str]):
    response = client.get(f"{TRIPS}/42", headers=resident)

    assert response.status_code == 422 and problem_code(response) == "validation_error"


# --- activity --------------------------------------------------------------------------------


def test_each_action_is_logged_on_the_actors_account_with_its_key(
    client: TestClient,
    resident: dict[str, str],
    volunteer: dict[str, str],
    clock: FakeClock,
    session: Session,
):
    key = str(uuid.uuid4())
    response = client.post(
        TRIPS, headers={**resident, "Idempotency-Key": key}, json=trip_body(clock)
    )
    trip_id = response.json()["id"]
    keys = {}
    for action in ("claim", "start", "complete"):
        keys[action] = str(uuid.uuid4())
        done(client, volunteer, trip_id, action, key=keys[action])
    keys["rate"] = str(uuid.uuid4())
    done(client, volunteer, trip_id, "rate", json={"stars": 5}, key=keys["rate"])

    def log(headers: dict[str, str]) -> list[tuple[str, str | None, str | None]]:
        user_id = client.get(f"{API}/me", headers=headers).json()["id"]
        return activity_keys(session, user_id)

    assert log(resident) == [("trip_requested", trip_id, key)]
    assert log(volunteer) == [
        ("trip_rated", trip_id, keys["rate"]),
        ("trip_completed", trip_id, keys["complete"]),
        ("trip_started", trip_id, keys["start"]),
        ("trip_claimed", trip_id, keys["claim"]),
    ]
