"""After the end: confirmed sign-ups are marked attended, excused or no-show (told by SMS that it
never blocks signing up, and how to appeal); waitlisted ones get nothing; marking happens once.
Excuses: until the end, replacing earlier ones; escort_failed is the server's alone."""

from datetime import timedelta
from typing import Any

import pytest
from events_support import (
    MY_ATTENDANCE,
    Person,
    at,
    cancel,
    check_in,
    create_event,
    excuse,
    kinds,
    my_signups,
    notifications,
    sign_up,
    signed_up,
    undo,
)
from fastapi import FastAPI
from route_support import RecordingSms, SentSms, problem_code

from backend.core.clock import FakeClock
from backend.events.models import Event

NO_SHOW_SMS = (
    "【阳光申办】活动“阳光之家手工编织小组”（1月2日 16:00）未收到您的签到，已记为缺席。"
    "这不影响您以后报名活动；如有原因，可在“我的活动”中提交申诉。"
)


@pytest.fixture
def three(person: Any, event: dict[str, Any], clock: FakeClock) -> list[Person]:
    """One who comes, one excused, one who does not come; and one waiting."""
    people = [person(f"1390000000{n}") for n in range(4)]
    event_id = event["id"]
    signed_up(people[0], event_id)
    signed_up(people[1], event_id)
    signed_up(people[2], event_id)  # waits
    clock.now = at(event["start_at"]) - timedelta(minutes=10)
    assert check_in(people[0], event_id, event["event_code"]).status_code == 200
    return people


def test_marking_records_attended_and_no_show_and_leaves_the_waiting_alone(
    three: list[Person], event: dict[str, Any], clock: FakeClock, sms: RecordingSms
):
    came, missed, waiting, _ = three
    clock.now = at(event["end_at"])

    attendance = came.get(MY_ATTENDANCE).json()

    assert [s["attendance"] for s in attendance["items"]] == ["attended"]
    assert attendance["summary"] == {
        "attended": 1,
        "excused": 0,
        "no_show": 0,
        "appeals_pending": 0,
    }
    assert attendance["blocks_signup"] is False
    missed_record = missed.get(MY_ATTENDANCE).json()
    assert missed_record["summary"]["no_show"] == 1
    assert missed_record["items"][0]["attendance"] == "no_show"
    assert notifications(missed)[0]["kind"] == "event_no_show"
    assert notifications(missed)[0]["data"] == {
        "event_id": event["id"],
        "title": "阳光之家手工编织小组",
        "start_at": "2025-01-02T08:00:00Z",
    }
    assert sms.sent == [SentSms("13900000001", NO_SHOW_SMS, committed=True)]
    assert my_signups(waiting)[0]["attendance"] is None
    assert waiting.get(MY_ATTENDANCE).json()["items"] == []
    assert kinds(waiting) == [] and kinds(came) == []


def test_an_excuse_marks_excused_without_a_text(
    three: list[Person], event: dict[str, Any], clock: FakeClock, sms: RecordingSms
):
    _, excused, _, _ = three
    assert excuse(excused, event["id"], "weather", "暴雨").status_code == 200
    clock.now = at(event["end_at"]) + timedelta(minutes=1)

    record = excused.get(MY_ATTENDANCE).json()

    assert record["summary"] == {"attended": 0, "excused": 1, "no_show": 0, "appeals_pending": 0}
    item = record["items"][0]
    assert item["attendance"] == "excused"
    assert item["excuse"] == {
        "reason": "weather",
        "note": "暴雨",
        "auto": False,
        "at": "2025-01-02T07:50:00Z",
    }
    assert sms.sent == [] and kinds(excused) == []


def test_nothing_is_marked_before_the_end(
    three: list[Person], event: dict[str, Any], clock: FakeClock
):
    _, missed, _, _ = three
    clock.now = at(event["end_at"]) - timedelta(seconds=1)

    assert missed.get(MY_ATTENDANCE).json()["items"] == []
    assert my_signups(missed)[0]["attendance"] is None


def test_marking_happens_once(
    three: list[Person], event: dict[str, Any], clock: FakeClock, sms: RecordingSms, app: FastAPI
):
    _, missed, _, _ = three
    clock.now = at(event["end_at"])
    missed.get(MY_ATTENDANCE)
    version = my_signups(missed)[0]["version"]
    clock.advance(hours=3)

    missed.get(MY_ATTENDANCE)
    missed.get(MY_ATTENDANCE)

    assert kinds(missed) == ["event_no_show"] and len(sms.sent) == 1
    assert my_signups(missed)[0]["version"] == version
    with app.state.session_factory() as session:
        marked = session.get(Event, event["id"])
        assert marked is not None and marked.marked_at == at(event["end_at"])


def test_a_no_show_never_blocks_signing_up_for_the_next_event(
    three: list[Person], event: dict[str, Any], clock: FakeClock, staff: Person
):
    _, missed, _, _ = three
    clock.now = at(event["end_at"])
    assert missed.get(MY_ATTENDANCE).json()["summary"]["no_show"] == 1
    later = create_event(staff, title="下一次活动")

    assert sign_up(missed, later["id"]).status_code == 201


def test_a_staff_undo_after_the_marking_marks_the_sign_up_again(
    three: list[Person], event: dict[str, Any], clock: FakeClock, staff: Person
):
    came, *_ = three
    signup_id = my_signups(came)[0]["id"]
    clock.now = at(event["end_at"]) + timedelta(hours=1)
    came.get(MY_ATTENDANCE)

    undone = undo(staff, event["id"], signup_id)

    assert undone.json()["attendance"] == "no_show"
    assert kinds(came) == ["event_no_show"]


# --- excuses ------------------------------------------------------------------------------------


def test_a_later_excuse_replaces_the_earlier(aunt: Person, event: dict[str, Any], clock: FakeClock):
    signed_up(aunt, event["id"])
    excuse(aunt, event["id"], "health", "感冒")
    clock.advance(hours=1)

    response = excuse(aunt, event["id"], "other", None)

    assert response.status_code == 200, response.text
    assert response.json()["excuse"] == {
        "reason": "other",
        "note": None,
        "auto": False,
        "at": "2025-01-01T09:00:00Z",
    }


@pytest.mark.parametrize(
    ("before_end", "status"),
    [(timedelta(seconds=1), 200), (timedelta(0), 409)],
    ids=["a second before the end", "at the end"],
)
def test_an_excuse_can_be_given_until_the_end(
    aunt: Person, event: dict[str, Any], clock: FakeClock, before_end: timedelta, status: int
):
    signed_up(aunt, event["id"])
    clock.now = at(event["end_at"]) - before_end

    response = excuse(aunt, event["id"])

    assert response.status_code == status, response.text
    if status == 409:
        assert problem_code(response) == "excuse_closed"


def test_a_waitlisted_person_may_give_an_excuse(person: Any, event: dict[str, Any]):
    people = [person(f"1390000000{n}") for n in range(3)]
    for p in people:
        signed_up(p, event["id"])

    response = excuse(people[2], event["id"], "health")

    assert response.status_code == 200 and response.json()["excuse"]["reason"] == "health"


def test_escort_failed_cannot_be_given_by_a_person(aunt: Person, event: dict[str, Any]):
    signed_up(aunt, event["id"])

    response = excuse(aunt, event["id"], "escort_failed")

    assert response.status_code == 422 and problem_code(response) == "validation_error"


def test_an_excuse_needs_a_live_sign_up(aunt: Person, event: dict[str, Any]):
    none = excuse(aunt, event["id"])
    signed_up(aunt, event["id"])
    cancel(aunt, event["id"])
    cancelled = excuse(aunt, event["id"])

    assert none.status_code == 404 and problem_code(none) == "not_signed_up"
    assert cancelled.status_code == 409 and problem_code(cancelled) == "signup_cancelled"
