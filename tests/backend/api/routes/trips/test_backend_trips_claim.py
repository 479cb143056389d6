"""Claiming: first wins, the winner may retry, everyone else learns why not; the open list."""

import uuid
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from route_support import RecordingSms, auth, problem_code, register_volunteer
from trips_support import TRIPS, act, ask, done, get_trip, notifications

from backend.core.clock import FakeClock
from backend.demo_users import VOLUNTEER_PHONE

OPEN = f"{TRIPS}/open"


def test_the_first_claim_wins_and_the_second_is_trip_taken(
    client: TestClient,
    resident: dict[str, str],
    volunteer: dict[str, str],
    second_volunteer: dict[str, str],
    clock: FakeClock,
):
    trip_id = ask(client, resident, clock)["id"]

    first = act(client, volunteer, trip_id, "claim")
    second = act(client, second_volunteer, trip_id, "claim")

    assert first.status_code == 200, first.text
    won = first.json()
    assert won["state"] == "claimed" and won["my_role"] == "volunteer"
    assert won["volunteer"] == {"name": "李志愿", "phone": "13800000002"}
    assert won["claimed_at"].startswith("2025-01-01T08:00:00")
    words = won["code_word"].split(" ")
    assert len(words) == 2 and words[0] != words[1]
    assert second.status_code == 409 and problem_code(second) == "trip_taken"
    assert get_trip(client, resident, trip_id).json()["volunteer"]["name"] == "李志愿"


def test_the_winner_retrying_gets_200_with_the_same_key_replayed_or_a_new_key(
    client: TestClient,
    resident: dict[str, str],
    volunteer: dict[str, str],
    clock: FakeClock,
    sms: RecordingSms,
):
    trip_id = ask(client, resident, clock)["id"]
    key = str(uuid.uuid4())
    first = act(client, volunteer, trip_id, "claim", key=key)

    replay = act(client, volunteer, trip_id, "claim", key=key)
    fresh = act(client, volunteer, trip_id, "claim")

    assert first.status_code == replay.status_code == fresh.status_code == 200
    assert replay.headers["idempotent-replayed"] == "true" and replay.json() == first.json()
    assert "idempotent-replayed" not in fresh.headers
    assert fresh.json()["code_word"] == first.json()["code_word"], "no new code word"
    assert fresh.json()["version"] == first.json()["version"]
    assert [n["kind"] for n in notifications(client, resident)] == ["trip_claimed"]
    assert len(sms.sent) == 1


def test_claiming_my_own_trip_is_own_trip(
    client: TestClient, second_volunteer: dict[str, str], clock: FakeClock
):
    trip_id = ask(client, second_volunteer, clock, contact_phone="13700000002")["id"]

    response = act(client, second_volunteer, trip_id, "claim")

    assert response.status_code == 409 and problem_code(response) == "own_trip"


def test_a_trip_needing_a_skill_i_lack_is_skills_missing(
    client: TestClient, resident: dict[str, str], volunteer: dict[str, str], clock: FakeClock
):
    trip_id = ask(client, resident, clock, needs=["sighted_guide", "sign_language"])["id"]

    response = act(client, volunteer, trip_id, "claim")

    assert response.status_code == 409 and problem_code(response) == "skills_missing"
    assert get_trip(client, resident, trip_id).json()["state"] == "open"


def test_claiming_an_unknown_trip_is_404(client: TestClient, volunteer: dict[str, str]):
    response = act(client, volunteer, str(uuid.uuid4()), "claim")

    assert response.status_code == 404 and problem_code(response) == "not_found"


def test_a_trip_whose_start_time_came_is_trip_expired(
    client: TestClient, resident: dict[str, str], clock: FakeClock
):
    start = clock() + timedelta(minutes=15)
    trip_id = ask(client, resident, clock, start_at=start.isoformat())["id"]
    clock.advance(minutes=15)

    response = act(client, auth(client, VOLUNTEER_PHONE), trip_id, "claim")  # a fresh token

    assert response.status_code == 409 and problem_code(response) == "trip_expired"


@pytest.mark.parametrize(
    "phone", ["15000000000", "13800000009"], ids=["plain resident", "staff, not volunteer"]
)
def test_only_verified_volunteers_claim_and_see_open_trips(
    client: TestClient, resident: dict[str, str], clock: FakeClock, phone: str
):
    trip_id = ask(client, resident, clock)["id"]
    headers = auth(client, phone)

    claim = act(client, headers, trip_id, "claim")
    listing = client.get(OPEN, headers=headers)
    seen = get_trip(client, headers, trip_id)

    assert claim.status_code == 403 and problem_code(claim) == "volunteer_not_verified"
    assert listing.status_code == 403 and problem_code(listing) == "volunteer_not_verified"
    assert seen.status_code == 404 and problem_code(seen) == "not_found"


def test_a_pending_volunteer_is_not_verified(
    client: TestClient, app: FastAPI, resident: dict[str, str], clock: FakeClock
):
    app.state.settings = app.state.settings.model_copy(update={"auto_verify_volunteers": False})
    pending = register_volunteer(client, "13700000005")
    trip_id = ask(client, resident, clock)["id"]

    assert problem_code(act(client, pending, trip_id, "claim")) == "volunteer_not_verified"
    assert problem_code(client.get(OPEN, headers=pending)) == "volunteer_not_verified"


# --- the open list ---------------------------------------------------------------------------


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [t["id"] for t in response.json()["items"]]


def test_the_open_list_has_open_trips_ahead_soonest_first_without_my_own(
    client: TestClient,
    resident: dict[str, str],
    volunteer: dict[str, str],
    second_volunteer: dict[str, str],
    clock: FakeClock,
):
    later = ask(client, resident, clock, start_at=(clock() + timedelta(days=2)).isoformat())
    sooner = ask(client, resident, clock, start_at=(clock() + timedelta(hours=1)).isoformat())
    taken = ask(client, resident, clock)
    done(client, second_volunteer, taken["id"], "claim")
    cancelled = ask(client, resident, clock)
    done(client, resident, cancelled["id"], "cancel")
    mine = ask(client, volunteer, clock, contact_phone="13800000002")

    listed = client.get(OPEN, headers=volunteer)

    assert ids(listed) == [sooner["id"], later["id"]]
    shown = listed.json()["items"][0]
    assert shown["my_role"] is None
    assert shown["resident_name"] is None and shown["contact_phone"] is None
    assert shown["volunteer"] is None and shown["code_word"] is None
    assert shown["from_place"] == sooner["from_place"] and shown["needs"] == ["sighted_guide"]
    assert mine["id"] in ids(client.get(OPEN, headers=second_volunteer))


def test_the_open_list_filters_by_district_time_and_my_skills(
    client: TestClient, resident: dict[str, str], volunteer: dict[str, str], clock: FakeClock
):
    now = clock()
    huangpu = ask(client, resident, clock, district="310101")
    xuhui = ask(
        client, resident, clock, district="310104", start_at=(now + timedelta(days=1)).isoformat()
    )
    signing = ask(client, resident, clock, district="310105", needs=["sign_language"], start_at=(now + timedelta(days=2)).isoformat())  # fmt: skip

    def listed(**params: Any) -> list[str]:
        return ids(client.get(OPEN, headers=volunteer, params=params))

    assert listed() == [huangpu["id"], xuhui["id"], signing["id"]]
    assert listed(district=["310104", "310105"]) == [xuhui["id"], signing["id"]]
    assert listed(district="310101") == [huangpu["id"]]
    assert listed(starts_after=(now + timedelta(hours=3)).isoformat()) == [
        xuhui["id"],
        signing["id"],
    ]
    assert listed(starts_before=(now + timedelta(hours=25)).isoformat()) == [
        huangpu["id"],
        xuhui["id"],
    ]
    assert listed(fits_my_skills="true") == [huangpu["id"], xuhui["id"]]
    assert listed(fits_my_skills="false", district="310105") == [signing["id"]]


@pytest.mark.parametrize(
    "params",
    [
        {"district": "320101"},
        {"starts_after": "2025-01-02T08:00:00"},  # naive
        {"starts_before": "soon"},
        {"fits_my_skills": "maybe"},
    ],
)
def test_bad_open_list_filters_are_422(
    client: TestClient, volunteer: dict[str, str], params: dict[str, str]
):
    response = client.get(OPEN, headers=volunteer, params=params)

    assert response.status_code == 422 and problem_code(response) == "validation_error"


# --- mine ------------------------------------------------------------------------------------


def test_mine_lists_trips_i_asked_for_and_go_on_newest_start_first(
    client: TestClient,
    resident: dict[str, str],
    volunteer: dict[str, str],
    second_volunteer: dict[str, str],
    clock: FakeClock,
):
    asked = ask(client, resident, clock, start_at=(clock() + timedelta(hours=1)).isoformat())
    going = ask(
        client, second_volunteer, clock, start_at=(clock() + timedelta(hours=5)).isoformat()
    )
    done(client, volunteer, going["id"], "claim")
    released = ask(client, second_volunteer, clock)
    done(client, volunteer, released["id"], "claim")
    done(client, volunteer, released["id"], "release")

    items = client.get(f"{TRIPS}/mine", headers=volunteer).json()["items"]

    assert [(t["id"], t["my_role"]) for t in items] == [(going["id"], "volunteer")]
    assert ids(client.get(f"{TRIPS}/mine", headers=resident)) == [asked["id"]]
    assert ids(client.get(f"{TRIPS}/mine", headers=second_volunteer)) == [
        going["id"],
        released["id"],
    ]
