"""Appeals: a no-show may be appealed once; staff accept (it becomes excused) or decline, and the
person is told either way."""

from datetime import timedelta
from typing import Any

import pytest
from events_support import (
    EVENTS,
    MY_ATTENDANCE,
    Person,
    at,
    check_in,
    excuse,
    kinds,
    notifications,
    signed_up,
)
from route_support import API, problem_code

from backend.core.clock import FakeClock


def appeal(
    person: Person, signup_id: str, reason: str = "health", text: str = "那天突然发烧"
) -> Any:
    return person.post(
        f"{API}/me/attendance/{signup_id}/appeal", json={"reason": reason, "text": text}
    )


def decide(staff: Person, event_id: str, signup_id: str, accept: bool, note: str | None) -> Any:
    return staff.post(
        f"{EVENTS}/{event_id}/signups/{signup_id}/appeal/decision",
        json={"accept": accept, "note": note},
    )


@pytest.fixture
def no_show(aunt: Person, event: dict[str, Any], clock: FakeClock) -> dict[str, Any]:
    """张阿姨's sign-up, marked no-show."""
    signup = signed_up(aunt, event["id"])
    clock.now = at(event["end_at"]) + timedelta(hours=1)
    assert aunt.get(MY_ATTENDANCE).json()["summary"]["no_show"] == 1
    return signup


def test_appealing_a_no_show_makes_it_pending(
    aunt: Person, no_show: dict[str, Any], clock: FakeClock
):
    response = appeal(aunt, no_show["id"], "escort_failed", " 志愿者没来 ")

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["attendance"] == "no_show"
    assert body["appeal"] == {
        "reason": "escort_failed",
        "text": "志愿者没来",
        "state": "pending",
        "note": None,
        "at": "2025-01-02T11:00:00Z",
        "decided_at": None,
    }
    assert aunt.get(MY_ATTENDANCE).json()["summary"]["appeals_pending"] == 1


def test_an_accepted_appeal_excuses_the_absence_and_tells_the_person(
    aunt: Person, staff: Person, no_show: dict[str, Any], event: dict[str, Any]
):
    appeal(aunt, no_show["id"])

    response = decide(staff, event["id"], no_show["id"], True, "已核实")

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["attendance"] == "excused"
    assert body["excuse"]["reason"] == "health" and body["excuse"]["auto"] is False
    assert body["appeal"]["state"] == "accepted" and body["appeal"]["note"] == "已核实"
    summary = aunt.get(MY_ATTENDANCE).json()["summary"]
    assert summary == {"attended": 0, "excused": 1, "no_show": 0, "appeals_pending": 0}
    told = notifications(aunt)[0]
    assert told["kind"] == "event_appeal_decided"
    assert told["data"] | {"start_at": ""} == {
        "event_id": event["id"],
        "title": event["title"],
        "start_at": "",
        "accepted": True,
        "note": "已核实",
    }


def test_a_declined_appeal_keeps_the_no_show_and_is_final(
    aunt: Person, staff: Person, no_show: dict[str, Any], event: dict[str, Any]
):
    appeal(aunt, no_show["id"])

    declined = decide(staff, event["id"], no_show["id"], False, None)
    again = appeal(aunt, no_show["id"])
    twice = decide(staff, event["id"], no_show["id"], True, None)

    assert declined.status_code == 200
    assert declined.json()["attendance"] == "no_show"
    assert declined.json()["appeal"]["state"] == "declined"
    assert again.status_code == 409 and problem_code(again) == "appeal_exists"
    assert twice.status_code == 409 and problem_code(twice) == "no_appeal"
    assert kinds(aunt)[0] == "event_appeal_decided"


def test_an_appeal_is_once(aunt: Person, no_show: dict[str, Any]):
    appeal(aunt, no_show["id"])

    response = appeal(aunt, no_show["id"], "other", "再说一次")

    assert response.status_code == 409 and problem_code(response) == "appeal_exists"


def test_only_a_no_show_can_be_appealed(
    aunt: Person, person: Any, event: dict[str, Any], clock: FakeClock
):
    came, excused = person("13900000001"), person("13900000002")
    came_signup = signed_up(came, event["id"])
    excused_signup = signed_up(excused, event["id"])
    excuse(excused, event["id"], "health")
    upcoming = signed_up(aunt, event["id"])  # waitlisted
    clock.now = at(event["start_at"])
    check_in(came, event["id"], event["event_code"])
    clock.now = at(event["end_at"])

    for who, signup in ((came, came_signup), (excused, excused_signup), (aunt, upcoming)):
        response = appeal(who, signup["id"])
        assert response.status_code == 409 and problem_code(response) == "not_no_show"


def test_nothing_pending_is_no_appeal(
    staff: Person, no_show: dict[str, Any], event: dict[str, Any]
):
    response = decide(staff, event["id"], no_show["id"], True, None)

    assert response.status_code == 409 and problem_code(response) == "no_appeal"


def test_someone_elses_sign_up_cannot_be_appealed(stranger: Person, no_show: dict[str, Any]):
    response = appeal(stranger, no_show["id"])

    assert response.status_code == 404 and problem_code(response) == "not_found"


@pytest.mark.parametrize("text", ["", "   ", "字" * 501])
def test_an_appeal_needs_a_text_of_1_to_500_characters(
    aunt: Person, no_show: dict[str, Any], text: str
):
    response = appeal(aunt, no_show["id"], text=text)

    assert response.status_code == 422 and problem_code(response) == "validation_error"
