"""DELETE /events/{id}/signups/me: a freed place goes to the first waitlisted person, who is told
(in-app and SMS); the cancellation deadline for a place, the start for a wait; a guide trip for
the event is cancelled with it."""

from datetime import timedelta
from typing import Any

import pytest
from events_support import (
    Person,
    at,
    cancel,
    check_in,
    create_event,
    kinds,
    my_signups,
    notifications,
    public_event,
    signed_up,
)
from fastapi.testclient import TestClient
from route_support import RecordingSms, SentSms, problem_code

from backend.core.clock import FakeClock


def test_cancelling_a_place_promotes_the_first_waitlisted_and_tells_them(
    client: TestClient, person: Any, event: dict[str, Any], sms: RecordingSms
):
    a, b, c, d = (person(f"1390000000{n}") for n in range(4))
    mine = signed_up(a, event["id"])
    signed_up(b, event["id"])
    first_waiting = signed_up(c, event["id"])
    signed_up(d, event["id"])

    response = cancel(a, event["id"])

    assert response.status_code == 200, response.text
    cancelled = response.json()
    assert cancelled["id"] == mine["id"] and cancelled["state"] == "cancelled"
    assert cancelled["version"] == mine["version"] + 1
    promoted = my_signups(c)[0]
    assert promoted["id"] == first_waiting["id"]
    assert (promoted["state"], promoted["waitlist_position"]) == ("confirmed", None)
    assert promoted["version"] == first_waiting["version"] + 1
    assert my_signups(d)[0]["waitlist_position"] == 1, "moved up"
    assert notifications(c)[0] | {"id": 0, "created_at": ""} == {
        "id": 0,
        "kind": "event_promoted",
        "trip_id": None,
        "data": {
            "event_id": event["id"],
            "title": "阳光之家手工编织小组",
            "start_at": "2025-01-02T08:00:00Z",
        },
        "created_at": "",
        "read_at": None,
    }
    assert sms.sent == [
        SentSms(
            "13900000002",
            "【阳光申办】有人取消了报名，您候补的活动“阳光之家手工编织小组”（1月2日 16:00）"
            "已为您转为正式报名，请按时参加。",
            committed=True,
        )
    ]
    assert kinds(d) == [] and kinds(b) == []
    shown = public_event(client, event["id"])
    assert (shown["confirmed"], shown["waitlisted"], shown["places_left"]) == (2, 1, 0)


def test_leaving_the_wait_list_promotes_nobody(
    client: TestClient, person: Any, event: dict[str, Any], sms: RecordingSms
):
    a, b, c = (person(f"1390000000{n}") for n in range(3))
    signed_up(a, event["id"])
    signed_up(b, event["id"])
    signed_up(c, event["id"])

    assert cancel(c, event["id"]).json()["state"] == "cancelled"

    assert [s["state"] for s in my_signups(a) + my_signups(b)] == ["confirmed", "confirmed"]
    assert sms.sent == []
    assert public_event(client, event["id"])["waitlisted"] == 0


def test_cancelling_with_nobody_waiting_frees_the_place(
    client: TestClient, aunt: Person, event: dict[str, Any]
):
    signed_up(aunt, event["id"])

    cancel(aunt, event["id"])

    assert public_event(client, event["id"])["places_left"] == 2


@pytest.mark.parametrize(
    ("after_deadline", "status"),
    [(timedelta(0), 200), (timedelta(seconds=1), 409)],
    ids=["at the deadline", "a second later"],
)
def test_a_confirmed_place_can_be_given_back_until_the_cancellation_deadline(
    aunt: Person, clock: FakeClock, event: dict[str, Any], after_deadline: timedelta, status: int
):
    signed_up(aunt, event["id"])
    clock.now = at(event["cancel_deadline"]) + after_deadline

    response = cancel(aunt, event["id"])

    assert response.status_code == status, response.text
    if status == 409:
        assert problem_code(response) == "cancel_closed"
        assert my_signups(aunt)[0]["state"] == "confirmed"


@pytest.mark.parametrize(
    ("before_start", "status"),
    [(timedelta(seconds=1), 200), (timedelta(0), 409)],
    ids=["a second before the start", "at the start"],
)
def test_a_wait_can_be_left_until_the_start_after_the_cancellation_deadline(
    person: Any, clock: FakeClock, event: dict[str, Any], before_start: timedelta, status: int
):
    a, b, c = (person(f"1390000000{n}") for n in range(3))
    for p in (a, b, c):
        signed_up(p, event["id"])
    clock.now = at(event["start_at"]) - before_start

    response = cancel(c, event["id"])

    assert response.status_code == status, response.text
    if status == 409:
        assert problem_code(response) == "cancel_closed"


def test_cancelling_twice_answers_the_cancelled_sign_up(aunt: Person, event: dict[str, Any]):
    signed_up(aunt, event["id"])
    first = cancel(aunt, event["id"]).json()

    again = cancel(aunt, event["id"])

    assert again.status_code == 200 and again.json() == first


def test_the_same_key_replays_the_cancellation(aunt: Person, event: dict[str, Any]):
    signed_up(aunt, event["id"])
    first = cancel(aunt, event["id"], key="8e9a9d0e-93a5-4f0f-9b3f-1f6a0c3c3d11")

    replay = cancel(aunt, event["id"], key="8e9a9d0e-93a5-4f0f-9b3f-1f6a0c3c3d11")

    assert replay.headers["idempotent-replayed"] == "true" and replay.json() == first.json()


def test_cancelling_without_a_sign_up_is_not_signed_up(aunt: Person, event: dict[str, Any]):
    response = cancel(aunt, event["id"])

    assert response.status_code == 404 and problem_code(response) == "not_signed_up"


def test_cancelling_for_no_such_event_is_not_found(aunt: Person):
    response = cancel(aunt, "evt-nothing")

    assert response.status_code == 404 and problem_code(response) == "not_found"


def test_a_checked_in_place_cannot_be_cancelled(aunt: Person, clock: FakeClock, staff: Person):
    event = create_event(staff, cancel_deadline=None)
    signed_up(aunt, event["id"])
    clock.now = at(event["start_at"]) - timedelta(minutes=30)
    assert check_in(aunt, event["id"], event["event_code"]).status_code == 200

    response = cancel(aunt, event["id"])

    assert response.status_code == 409 and problem_code(response) == "cancel_closed"
