"""Who may do what: staff routes refuse everyone else (403); a person sees only their own
sign-ups; the event's code never reaches the public, residents or the catalogue."""

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from events_support import (
    DOOR,
    EVENTS,
    MY_ATTENDANCE,
    MY_SIGNUPS,
    Person,
    at,
    check_in,
    event_body,
    my_signups,
    signed_up,
)
from fastapi import FastAPI
from fastapi.testclient import TestClient
from route_support import problem_code

from backend.core.clock import FakeClock
from backend.models import CatalogKind
from backend.staff import appoint

ANY_ID = "00000000-0000-4000-8000-000000000000"
YANGPU_CLERK = "13600000110"


def staff_requests(event_id: str, signup_id: str, clock: FakeClock) -> list[tuple[str, str, Any]]:
    return [
        ("POST", EVENTS, event_body(clock)),
        ("GET", DOOR, None),
        ("POST", f"{EVENTS}/{event_id}/attendees/{signup_id}/checkin", {"at": None}),
        ("DELETE", f"{EVENTS}/{event_id}/attendees/{signup_id}/checkin", None),
        (
            "POST",
            f"{EVENTS}/{event_id}/signups/{signup_id}/appeal/decision",
            {"accept": True, "note": None},
        ),
    ]


@pytest.mark.parametrize("index", range(5))
def test_every_staff_route_refuses_residents_and_volunteers(
    client: TestClient,
    aunt: Person,
    volunteer: Person,
    event: dict[str, Any],
    clock: FakeClock,
    index: int,
):
    signup = signed_up(aunt, event["id"])
    method, path, body = staff_requests(event["id"], signup["id"], clock)[index]

    for who in (aunt, volunteer):
        response = client.request(method, path, headers=who.write(), json=body)
        assert response.status_code == 403, (method, path, response.text)
        assert problem_code(response) == "forbidden"


@pytest.mark.parametrize("index", range(5))
def test_every_staff_route_needs_sign_in(
    client: TestClient, event: dict[str, Any], clock: FakeClock, index: int
):
    method, path, body = staff_requests(event["id"], ANY_ID, clock)[index]

    response = client.request(method, path, json=body)

    assert response.status_code == 401 and problem_code(response) == "unauthorized"


def test_a_person_sees_only_their_own_sign_ups(
    aunt: Person, stranger: Person, event: dict[str, Any], clock: FakeClock
):
    signed_up(aunt, event["id"])
    clock.now = at(event["end_at"])

    assert [s["event_id"] for s in my_signups(aunt)] == [event["id"]]
    assert stranger.get(MY_SIGNUPS).json() == {"items": []}
    assert stranger.get(MY_ATTENDANCE).json()["items"] == []
    assert len(aunt.get(MY_ATTENDANCE).json()["items"]) == 1


def test_the_event_code_never_reaches_the_public_residents_or_the_catalogue(
    client: TestClient,
    aunt: Person,
    staff: Person,
    event: dict[str, Any],
    clock: FakeClock,
    pull: Any,
):
    code = event["event_code"]
    signup = signed_up(aunt, event["id"])
    excused = aunt.post(
        f"{EVENTS}/{event['id']}/signups/me/excuse", json={"reason": "other", "note": None}
    ).json()
    clock.now = at(event["start_at"]) - timedelta(minutes=5)
    checked = check_in(aunt, event["id"], code).json()
    answers = {
        "public event": client.get(f"{EVENTS}/{event['id']}").json(),
        "sign-up": signup,
        "excuse": excused,
        "check-in": checked,
        "my sign-ups": aunt.get(MY_SIGNUPS).json(),
        "my attendance": aunt.get(MY_ATTENDANCE).json(),
        "catalogue": pull()[0],
    }

    assert "event_code" not in answers["public event"]
    for what, answer in answers.items():
        text = json.dumps(answer, ensure_ascii=False)
        assert "event_code" not in text, what
        assert f'"{code}"' not in text, what
    events = [c for c in answers["catalogue"] if c["kind"] == CatalogKind.EVENT.value]
    assert [c["id"] for c in events] == [event["id"]]
    assert "event_code" not in events[0]["data"]
    assert staff.get(DOOR).json()["items"][0]["event_code"] == code, "staff see it at the door"


def test_the_public_event_needs_no_sign_in_and_unknown_is_not_found(
    client: TestClient, event: dict[str, Any]
):
    assert client.get(f"{EVENTS}/{event['id']}").status_code == 200
    missing = client.get(f"{EVENTS}/evt-nothing")
    assert missing.status_code == 404 and problem_code(missing) == "not_found"


def test_a_malformed_sign_up_id_is_a_validation_error(staff: Person, event: dict[str, Any]):
    response = staff.post(f"{EVENTS}/{event['id']}/attendees/not-a-uuid/checkin")

    assert response.status_code == 422 and problem_code(response) == "validation_error"


def test_staff_cannot_check_someone_in_with_the_event_code_without_their_own_sign_up(
    staff: Person, aunt: Person, event: dict[str, Any], clock: FakeClock
):
    signed_up(aunt, event["id"])
    clock.now = at(event["start_at"])

    response = check_in(staff, event["id"], event["event_code"])

    assert response.status_code == 404 and problem_code(response) == "not_signed_up"
    assert my_signups(aunt)[0]["checked_in_at"] is None
    uuid.UUID(my_signups(aunt)[0]["id"])


# --- staff act only in their districts (issue 18, item 10) ---------------------------------

YANGPU = "310110"  # 王社工 runs 黄浦 (310101) and 徐汇 (310104), not 杨浦


@pytest.fixture
def yangpu_event(app: FastAPI, person: Any, clock: FakeClock) -> dict[str, Any]:
    """An event today in 杨浦, created by a clerk appointed there."""
    with app.state.session_factory() as session:
        appoint(session, YANGPU_CLERK, [YANGPU])
        session.commit()
    start = clock() + timedelta(hours=1)
    today = {
        "district": YANGPU,
        "start_at": start.isoformat(),
        "end_at": (start + timedelta(hours=2)).isoformat(),
        "signup_deadline": start.isoformat(),
        "cancel_deadline": start.isoformat(),
    }
    response = person(YANGPU_CLERK).post(EVENTS, json=event_body(clock, **today))
    assert response.status_code == 201, response.text
    return response.json()


def test_staff_create_events_only_in_their_districts(staff: Person, clock: FakeClock):
    elsewhere = staff.post(EVENTS, json=event_body(clock, district=YANGPU))
    mine = staff.post(EVENTS, json=event_body(clock, district="310104"))

    assert elsewhere.status_code == 403 and problem_code(elsewhere) == "not_your_district"
    assert mine.status_code == 201


def test_the_door_lists_only_events_of_the_staff_members_districts(
    staff: Person, person: Any, yangpu_event: dict[str, Any]
):
    assert yangpu_event["id"] not in {e["event"]["id"] for e in staff.get(DOOR).json()["items"]}
    theirs = person(YANGPU_CLERK).get(DOOR).json()["items"]
    assert yangpu_event["id"] in {e["event"]["id"] for e in theirs}


@pytest.mark.parametrize("request_index", [2, 3, 4])  # check in by name, undo, decide an appeal
def test_staff_run_no_door_outside_their_districts(
    staff: Person, aunt: Person, yangpu_event: dict[str, Any], clock: FakeClock, request_index: int
):
    signup = signed_up(aunt, yangpu_event["id"])
    method, path, body = staff_requests(yangpu_event["id"], signup["id"], clock)[request_index]

    response = staff.client.request(method, path, headers=staff.write(), json=body)

    assert response.status_code == 403 and problem_code(response) == "not_your_district"


def test_a_personal_code_is_only_staff_business_in_their_districts(
    staff: Person, aunt: Person, yangpu_event: dict[str, Any], clock: FakeClock
):
    signup = signed_up(aunt, yangpu_event["id"])
    clock.advance(minutes=45)  # the door opens 30 minutes before the start

    response = check_in(staff, yangpu_event["id"], signup["personal_code"])

    assert response.status_code == 422 and problem_code(response) == "code_wrong"
