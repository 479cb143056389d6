"""A guide trip (助盲出行) to an event: linked to the sign-up; when its volunteer gives it back or
nobody claims it, the absence is excused automatically (escort_failed); a completed escort or the
person's own excuse is left alone; cancelling the sign-up cancels the trip."""

from datetime import timedelta
from typing import Any

import pytest
from events_support import (
    MY_ATTENDANCE,
    Person,
    at,
    cancel,
    create_event,
    excuse,
    kinds,
    my_signups,
    notifications,
    signed_up,
)
from route_support import API, RecordingSms, problem_code

from backend.core.clock import FakeClock

TRIPS = f"{API}/trips"


def guide_trip(person: Person, event: dict[str, Any], **changes: Any) -> Any:
    """Ask for a guide to the event, an hour before it starts."""
    return person.post(
        TRIPS,
        json={
            "from_place": "人民广场地铁站 1 号口",
            "to_place": "阳光之家",
            "start_at": (at(event["start_at"]) - timedelta(hours=1)).isoformat(),
            "district": "310101",
            "needs": ["sighted_guide"],
            "contact_phone": "13800000001",
            "event_id": event["id"],
            **changes,
        },
    )


@pytest.fixture
def trip(aunt: Person, event: dict[str, Any]) -> dict[str, Any]:
    """张阿姨 signed up, with a guide trip asked for."""
    signed_up(aunt, event["id"])
    response = guide_trip(aunt, event)
    assert response.status_code == 201, response.text
    return response.json()


def act(person: Person, trip: dict[str, Any], action: str) -> dict[str, Any]:
    response = person.post(f"{TRIPS}/{trip['id']}/{action}")
    assert response.status_code == 200, response.text
    return response.json()


def test_the_trip_and_the_sign_up_are_linked(
    aunt: Person, trip: dict[str, Any], event: dict[str, Any]
):
    assert trip["event_id"] == event["id"]
    signup = my_signups(aunt)[0]
    assert signup["guide_trip_id"] == trip["id"] and signup["version"] == 2


def test_an_ordinary_trip_has_no_event(aunt: Person, event: dict[str, Any]):
    response = guide_trip(aunt, event, event_id=None)

    assert response.status_code == 201 and response.json()["event_id"] is None


def test_a_trip_to_an_event_needs_a_sign_up(aunt: Person, event: dict[str, Any]):
    none = guide_trip(aunt, event)
    missing = guide_trip(aunt, event, event_id="evt-nothing")
    signed_up(aunt, event["id"])
    cancel(aunt, event["id"])
    cancelled = guide_trip(aunt, event)

    for response in (none, missing, cancelled):
        assert response.status_code == 409 and problem_code(response) == "not_signed_up"


def test_a_released_escort_excuses_the_absence(
    aunt: Person,
    volunteer: Person,
    trip: dict[str, Any],
    event: dict[str, Any],
    clock: FakeClock,
    sms: RecordingSms,
):
    act(volunteer, trip, "claim")
    clock.advance(minutes=10)

    act(volunteer, trip, "release")

    signup = my_signups(aunt)[0]
    assert signup["excuse"] == {
        "reason": "escort_failed",
        "note": None,
        "auto": True,
        "at": "2025-01-01T08:10:00Z",
    }
    excused = notifications(aunt)[0]
    assert excused["kind"] == "event_excused" and excused["trip_id"] is None
    assert excused["data"] == {
        "event_id": event["id"],
        "title": event["title"],
        "start_at": event["start_at"],
        "reason": "escort_failed",
    }
    assert not any("阳光之家手工编织小组" in text for text in sms.texts), "in-app only"
    clock.now = at(event["end_at"])
    assert aunt.get(MY_ATTENDANCE).json()["summary"]["excused"] == 1


def test_an_escort_nobody_claimed_excuses_the_absence(
    aunt: Person, trip: dict[str, Any], event: dict[str, Any], clock: FakeClock
):
    clock.now = at(trip["start_at"])

    signup = my_signups(aunt)[0]  # any request runs the expiry, then the marking

    assert signup["excuse"]["reason"] == "escort_failed" and signup["excuse"]["auto"] is True
    assert kinds(aunt)[:2] == ["event_excused", "trip_expired"]
    clock.now = at(event["end_at"])
    assert aunt.get(MY_ATTENDANCE).json()["items"][0]["attendance"] == "excused"


def test_a_completed_escort_excuses_nothing(
    aunt: Person, volunteer: Person, trip: dict[str, Any], event: dict[str, Any], clock: FakeClock
):
    act(volunteer, trip, "claim")
    clock.now = at(trip["start_at"])
    act(volunteer, trip, "start")
    act(volunteer, trip, "complete")
    clock.now = at(event["end_at"])

    record = aunt.get(MY_ATTENDANCE).json()

    assert record["items"][0]["attendance"] == "no_show"
    assert record["items"][0]["excuse"] is None
    assert "event_excused" not in kinds(aunt)


def test_the_persons_own_excuse_stands(
    aunt: Person, volunteer: Person, trip: dict[str, Any], event: dict[str, Any]
):
    excuse(aunt, event["id"], "health", "发烧")
    act(volunteer, trip, "claim")

    act(volunteer, trip, "release")

    assert my_signups(aunt)[0]["excuse"]["reason"] == "health"
    assert "event_excused" not in kinds(aunt)


def test_a_released_escort_after_the_marking_turns_the_no_show_into_an_excuse(
    aunt: Person, volunteer: Person, trip: dict[str, Any], event: dict[str, Any], clock: FakeClock
):
    act(volunteer, trip, "claim")
    clock.now = at(event["end_at"])
    assert aunt.get(MY_ATTENDANCE).json()["summary"]["no_show"] == 1

    act(volunteer, trip, "release")  # after the start: the trip expires at once

    summary = aunt.get(MY_ATTENDANCE).json()["summary"]
    assert (summary["no_show"], summary["excused"]) == (0, 1)


def test_cancelling_the_sign_up_cancels_the_claimed_trip_and_tells_the_volunteer(
    aunt: Person, volunteer: Person, trip: dict[str, Any], event: dict[str, Any]
):
    act(volunteer, trip, "claim")

    cancel(aunt, event["id"])

    assert aunt.get(f"{TRIPS}/{trip['id']}").json()["state"] == "cancelled"
    assert kinds(volunteer)[0] == "trip_cancelled"
    assert "event_excused" not in kinds(aunt)


def test_cancelling_the_sign_up_leaves_a_completed_trip_alone(
    aunt: Person, volunteer: Person, staff: Person, clock: FakeClock
):
    event = create_event(staff, cancel_deadline=None)
    signed_up(aunt, event["id"])
    trip = guide_trip(aunt, event).json()
    act(volunteer, trip, "claim")
    clock.now = at(trip["start_at"])
    act(volunteer, trip, "start")
    act(volunteer, trip, "complete")

    assert cancel(aunt, event["id"]).status_code == 200
    assert aunt.get(f"{TRIPS}/{trip['id']}").json()["state"] == "completed"
