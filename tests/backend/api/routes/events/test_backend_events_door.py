"""GET /door/today (staff): today's events in Shanghai, soonest first, with the code, counts and
the attendee list (confirmed by name, then the wait-list in order; no cancelled ones)."""

from datetime import datetime, timedelta
from typing import Any

from events_support import DOOR, Person, at, cancel, check_in_attendee, create_event, signed_up

from backend.core.clock import FakeClock

# The frozen clock is 2025-01-01 16:00 in Shanghai (08:00 UTC).


def starting(hours_from_now: float, clock: FakeClock) -> dict[str, Any]:
    start = clock() + timedelta(hours=hours_from_now)
    return {
        "start_at": start.isoformat(),
        "end_at": (start + timedelta(hours=1)).isoformat(),
        "signup_deadline": None,
        "cancel_deadline": None,
    }


def test_today_is_the_shanghai_date_and_the_soonest_comes_first(staff: Person, clock: FakeClock):
    late = create_event(staff, title="今晚", **starting(7.5, clock))  # 23:30
    create_event(staff, title="明天凌晨", **starting(8.5, clock))  # 00:30 tomorrow
    morning = create_event(staff, title="今早", **starting(-7, clock))  # 09:00 today
    create_event(staff, title="昨天", **starting(-17, clock))  # 23:00 yesterday

    items = staff.get(DOOR).json()["items"]

    assert [i["event"]["id"] for i in items] == [morning["id"], late["id"]]
    assert items[0]["event_code"] == morning["event_code"]
    assert "event_code" not in items[0]["event"]


def test_the_attendee_list_confirmed_by_name_then_the_wait_list(
    staff: Person, aunt: Person, volunteer: Person, person: Any, clock: FakeClock
):
    event = create_event(staff, capacity=3, **starting(1, clock))
    waiting = [person(f"1390000000{n}") for n in range(3)]
    aunt_signup = signed_up(aunt, event["id"])  # 张阿姨
    signed_up(volunteer, event["id"])  # 李志愿
    signed_up(staff, event["id"])  # 王社工
    first, second, third = (signed_up(p, event["id"]) for p in waiting)
    cancel(waiting[1], event["id"])
    check_in_attendee(staff, event["id"], aunt_signup["id"])

    door = staff.get(DOOR).json()["items"][0]

    assert door["counts"] == {"confirmed": 3, "waitlisted": 2, "checked_in": 1}
    assert (door["event"]["confirmed"], door["event"]["waitlisted"]) == (3, 2)
    assert [(a["name"], a["state"], a["waitlist_position"]) for a in door["attendees"]] == [
        ("李志愿", "confirmed", None),
        ("王社工", "confirmed", None),
        ("张阿姨", "confirmed", None),
        ("", "waitlisted", 1),
        ("", "waitlisted", 2),
    ]
    assert [a["signup_id"] for a in door["attendees"][3:]] == [first["id"], third["id"]]
    zhang = door["attendees"][2]
    assert zhang == {
        "signup_id": aunt_signup["id"],
        "name": "张阿姨",
        "phone_tail": "0001",
        "personal_code": aunt_signup["personal_code"],
        "state": "confirmed",
        "waitlist_position": None,
        "checked_in_at": "2025-01-01T08:00:00Z",
        "attendance": "attended",
        "excuse_reason": None,
        "version": aunt_signup["version"] + 1,
    }
    assert second["id"] not in {a["signup_id"] for a in door["attendees"]}


def test_an_empty_day(staff: Person):
    assert staff.get(DOOR).json() == {"items": []}


def test_the_day_turns_at_midnight_in_shanghai(staff: Person, clock: FakeClock):
    event = create_event(staff, **starting(8.5, clock))  # 00:30 tomorrow
    clock.now = datetime.fromisoformat("2025-01-01T16:00:00+00:00")  # midnight in Shanghai

    items = staff.get(DOOR).json()["items"]

    assert [i["event"]["id"] for i in items] == [event["id"]]
    assert at(items[0]["event"]["start_at"]) > clock()
