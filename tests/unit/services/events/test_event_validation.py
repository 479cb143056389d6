"""Every refusal EventCommands can give before anything is queued (services/events/commands.py), no server.

Each check goes by what the person sees: the catalogue's deadlines by the device's clock, their
sign-up as shown, their attendance record, today's door list. A refusal names a field and the
code the server would answer with (one sentence table serves both); nothing refused is queued.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from personal_support import signed_in_personal
from server_rows import signup_row

from services.api import CatalogChange
from services.catalog import Catalog
from services.errors import InputError, SignedOutError
from services.events.commands import EventCommands
from services.personal import PersonalData
from services.sync.store import OUTBOX_PAYLOAD, LocalStore, save_snapshot
from services.trips.commands import TripCommands, TripDraft
from services.validation import APPEAL_TEXT_LIMIT, EXCUSE_NOTE_LIMIT

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
ME = {"id": 7, "name": "张阿姨", "phone": "13800000001", "roles": ["resident"], "version": 1}


def at(**delta: float) -> str:
    return (NOW + timedelta(**delta)).isoformat()


def event(event_id: str, start: str, end: str, signup_closes: str, cancel_closes: str) -> dict:
    return {
        "id": event_id,
        "title": f"活动 {event_id}",
        "summary": "",
        "institution_id": "inst-home",
        "room": "二楼活动室",
        "district": "310101",
        "start_at": start,
        "end_at": end,
        "capacity": 20,
        "signup_deadline": signup_closes,
        "cancel_deadline": cancel_closes,
        "provides": ["现场手语翻译"],
        "confirmed": 3,
        "waitlisted": 0,
        "places_left": 17,
    }


EVENTS = [
    event("open", at(days=2), at(days=2, hours=2), at(days=1), at(days=1)),
    event("signup-closed", at(days=2), at(days=2, hours=2), at(hours=-1), at(hours=-1)),
    event("started", at(minutes=-30), at(minutes=90), at(minutes=-30), at(minutes=-30)),
    event("late", at(hours=5), at(hours=7), at(hours=1), at(hours=-1)),
    event("late-queue", at(hours=5), at(hours=7), at(hours=1), at(hours=-1)),
    event("soon", at(hours=3), at(hours=5), at(hours=1), at(hours=1)),
    event("ended", at(hours=-5), at(hours=-3), at(hours=-6), at(hours=-6)),
    event("now", at(minutes=-30), at(minutes=90), at(hours=-1), at(hours=-1)),
    event("queue", at(minutes=30), at(hours=2), at(minutes=-10), at(minutes=-10)),
    event("left", at(days=3), at(days=3, hours=2), at(days=2), at(days=2)),
    event("now-none", at(minutes=-30), at(minutes=90), at(hours=-1), at(hours=-1)),
    event("now-left", at(minutes=-30), at(minutes=90), at(hours=-1), at(hours=-1)),
    event("open-checked", at(hours=2), at(hours=4), at(hours=1), at(hours=1)),
    event("at-end", at(hours=-2), at(), at(hours=-3), at(hours=-3)),
]


def signup(event_id: str, state: str, **fields: Any) -> dict[str, Any]:
    shown = next(e for e in EVENTS if e["id"] == event_id)
    return signup_row(
        event_id,
        state,
        title=shown["title"],
        start_at=shown["start_at"],
        end_at=shown["end_at"],
        queue_place=1,
        **fields,
    )


SIGNUPS = [
    signup("started", "confirmed"),
    signup("late", "confirmed"),
    signup("late-queue", "waitlisted"),
    signup("soon", "confirmed"),
    signup("ended", "confirmed"),
    signup("now", "confirmed"),
    signup("queue", "waitlisted"),
    signup("left", "cancelled"),
    signup("now-left", "cancelled"),
    signup("open-checked", "confirmed", checked_in_at=at(minutes=-5)),
    signup("at-end", "confirmed"),
]


def record(signup_id: str, attendance: str, appeal: dict | None = None) -> dict[str, Any]:
    return {"id": signup_id, "event_id": "x", "attendance": attendance, "appeal": appeal}


ATTENDANCE = {
    "items": [
        record("no-show", "no_show"),
        record("appealed", "no_show", {"reason": "health", "state": "pending"}),
        record("declined", "no_show", {"reason": "other", "state": "declined"}),
        record("came", "attended"),
        record("excused", "excused"),
    ],
    "summary": {"attended": 1, "excused": 1, "no_show": 3, "appeals_pending": 1},
    "blocks_signup": False,
}


def door_entry(event_id: str, start: str, end: str) -> dict[str, Any]:
    return {
        "event": {"id": event_id, "title": "茶话会", "start_at": start, "end_at": end},
        "event_code": "2047",
        "counts": {"confirmed": 1, "waitlisted": 1, "checked_in": 0},
        "attendees": [
            {"signup_id": "s1", "name": "张阿姨", "phone_tail": "0001", "personal_code": "482913",
             "state": "confirmed", "waitlist_position": None, "checked_in_at": None,
             "attendance": None, "excuse_reason": None, "version": 1},
            {"signup_id": "s2", "name": "李志强", "phone_tail": "5678", "personal_code": "119204",
             "state": "waitlisted", "waitlist_position": 1, "checked_in_at": None,
             "attendance": None, "excuse_reason": None, "version": 1},
        ],
    }  # fmt: skip


DOOR = [
    door_entry("door-now", at(minutes=-10), at(hours=2)),
    door_entry("door-soon", at(hours=2), at(hours=4)),
    door_entry("door-over", at(hours=-4), at(hours=-2)),
    door_entry("door-long-ago", at(hours=-27), at(hours=-25)),
]


@pytest.fixture
def personal(store: LocalStore) -> Iterator[PersonalData]:
    """A signed-in person's snapshots and the catalogue over a real store; no server at all (an
    unroutable URL: anything that tried to send would fail)."""
    personal = signed_in_personal(store)
    changes = [CatalogChange(kind="event", id=e["id"], version=1, deleted=False, data=e)
               for e in EVENTS]  # fmt: skip
    store.apply_page(changes, "c1", last=True)
    with store.transaction() as db:
        save_snapshot(db, "me", ME)
        save_snapshot(db, "signups", SIGNUPS)
        save_snapshot(db, "attendance", ATTENDANCE)
        save_snapshot(db, "door", DOOR)
    yield personal
    personal.account.api.close()


@pytest.fixture
def actions(personal: PersonalData, store: LocalStore) -> EventCommands:
    return EventCommands(personal, Catalog(store), now=lambda: NOW)


def queued(actions: EventCommands | TripCommands) -> list[tuple[str, dict[str, Any]]]:
    rows = actions.personal.store.read(f"SELECT kind, {OUTBOX_PAYLOAD} FROM outbox ORDER BY seq")
    return [(kind, json.loads(payload)) for kind, payload in rows]


def refusal(call: Any, *args: Any, **kwargs: Any) -> tuple[str, str, dict[str, int]]:
    with pytest.raises(InputError) as caught:
        call(*args, **kwargs)
    return caught.value.field, caught.value.code, caught.value.params


# -- refusals, one row per code and cause ---------------------------------------------------------


@pytest.mark.parametrize(
    ("act", "args", "field", "code"),
    [
        # sign up
        ("sign_up", ("nowhere",), "event", "not_found"),  # not in the catalogue here
        ("sign_up", ("signup-closed",), "event", "signup_closed"),  # past its deadline
        ("sign_up", ("started",), "event", "signup_closed"),  # under way
        # cancel
        ("cancel", ("open",), "event", "not_signed_up"),
        ("cancel", ("left",), "event", "signup_cancelled"),
        ("cancel", ("late",), "event", "cancel_closed"),  # confirmed, after the cancel deadline
        ("cancel", ("started",), "event", "cancel_closed"),
        ("cancel", ("open-checked",), "event", "cancel_closed"),  # checked in already
        # excuse
        ("excuse", ("open", "health"), "event", "not_signed_up"),
        ("excuse", ("left", "health"), "event", "signup_cancelled"),
        ("excuse", ("ended", "health"), "event", "excuse_closed"),  # after the end: appeal
        ("excuse", ("at-end", "health"), "event", "excuse_closed"),  # at the end already
        ("excuse", ("soon", "other", "字" * (EXCUSE_NOTE_LIMIT + 1)), "note", "note_too_long"),
        # check in with the event's code
        ("check_in", ("now", ""), "code", "code_empty"),
        ("check_in", ("now", "20 4"), "code", "code_wrong"),
        ("check_in", ("now", "482913"), "code", "code_wrong"),  # a personal code, not the event's
        ("check_in", ("now-none", "2047"), "event", "not_signed_up"),
        ("check_in", ("now-left", "2047"), "event", "signup_cancelled"),
        ("check_in", ("nowhere", "2047"), "event", "not_found"),  # neither signed up nor listed
        # ...in the server's order: the window, then the code, then the sign-up
        ("check_in", ("soon", "20"), "event", "checkin_not_open"),
        ("check_in", ("now-none", "20"), "code", "code_wrong"),
        ("check_in", ("soon", " "), "code", "code_empty"),  # nothing typed: said first
        ("check_in", ("queue", "2047"), "event", "signup_waitlisted"),
        ("check_in", ("soon", "2047"), "event", "checkin_not_open"),  # 3 h before the start
        ("check_in", ("ended", "2047"), "event", "checkin_closed"),
        # appeal
        ("appeal", ("nowhere", "health", "生病了"), "signup", "not_found"),
        ("appeal", ("came", "health", "生病了"), "signup", "not_no_show"),
        ("appeal", ("excused", "health", "生病了"), "signup", "not_no_show"),
        ("appeal", ("appealed", "health", "生病了"), "signup", "appeal_exists"),
        ("appeal", ("declined", "health", "生病了"), "signup", "appeal_exists"),  # once only
        ("appeal", ("no-show", "health", " \n "), "text", "appeal_text_empty"),
        ("appeal", ("no-show", "health", "字" * (APPEAL_TEXT_LIMIT + 1)), "text",
         "appeal_text_too_long"),
        # staff at the door, by code
        ("door_check_in", ("nowhere", "482913"), "event", "not_found"),  # not today's
        ("door_check_in", ("door-now", ""), "code", "code_empty"),
        ("door_check_in", ("door-now", "4829"), "code", "code_wrong"),
        ("door_check_in", ("door-now", "sunshine-checkin:door-soon:482913"), "code",
         "code_wrong"),  # another event's QR code
        ("door_check_in", ("door-now", "999999"), "code", "code_unknown"),
        ("door_check_in", ("door-now", "119 204"), "attendee", "signup_waitlisted"),
        ("door_check_in", ("door-soon", "482913"), "event", "checkin_not_open"),
        ("door_check_in", ("door-over", "482913"), "event", "checkin_closed"),
        ("door_check_in", ("door-over", "999999"), "event", "checkin_closed"),  # window first
        # staff at the door, by the row picked
        ("door_check_in_person", ("nowhere", "s1"), "event", "not_found"),
        ("door_check_in_person", ("door-now", "s9"), "attendee", "not_signed_up"),
        ("door_check_in_person", ("door-now", "s2"), "attendee", "signup_waitlisted"),
        ("door_check_in_person", ("door-soon", "s1"), "event", "checkin_not_open"),
        ("door_check_in_person", ("door-over", "s1"), "event", "checkin_closed"),
        ("door_undo", ("nowhere", "s1"), "event", "not_found"),
        ("door_undo", ("door-now", "s9"), "attendee", "not_signed_up"),
        ("door_undo", ("door-long-ago", "s1"), "event", "checkin_closed"),  # a day after the end
    ],
)  # fmt: skip
def test_an_action_that_cannot_be_taken_is_refused_and_not_queued(
    actions: EventCommands, act: str, args: tuple, field: str, code: str
):
    assert refusal(getattr(actions, act), *args)[:2] == (field, code)
    assert queued(actions) == []


def test_the_limits_are_the_servers():
    assert (EXCUSE_NOTE_LIMIT, APPEAL_TEXT_LIMIT) == (200, 500)


def test_too_long_texts_say_the_limit(actions: EventCommands):
    assert refusal(actions.excuse, "soon", "other", "字" * 201)[2] == {"limit": 200, "typed": 201}
    assert refusal(actions.appeal, "no-show", "other", "字" * 501)[2] == {
        "limit": 500,
        "typed": 501,
    }


@pytest.mark.parametrize("reason", ["escort_failed", "bored", ""])
def test_an_excuse_the_screen_never_offers_is_a_programming_error(
    actions: EventCommands, reason: str
):
    with pytest.raises(ValueError):
        actions.excuse("soon", reason)
    assert queued(actions) == []


def test_nothing_is_queued_for_someone_signed_out(actions: EventCommands, store: LocalStore):
    with store.transaction() as db:
        db.execute("DELETE FROM personal_data")
    with pytest.raises(SignedOutError):
        actions.sign_up("open")
    assert queued(actions) == []


def test_a_guide_trip_for_an_event_needs_a_sign_up_for_it(personal: PersonalData):
    trips = TripCommands(personal, now=lambda: NOW)
    draft = TripDraft("家", "阳光之家", date(2026, 11, 22), "9:00", "310101", ["sighted_guide"],
                      "13800000001", event_id="open")  # fmt: skip
    assert refusal(trips.request_trip, draft) == ("event", "not_signed_up", {})
    left = replace(draft, event_id="left")
    assert refusal(trips.request_trip, left) == ("event", "not_signed_up", {})
    assert queued(trips) == []
    trip_id = trips.request_trip(replace(draft, event_id="late-queue"))
    [(kind, payload)] = queued(trips)
    assert (kind, payload["trip"]["id"], payload["trip"]["event_id"]) == (
        "trip_request",
        trip_id,
        "late-queue",
    )
    plain = trips.request_trip(replace(draft, event_id=None))
    assert "event_id" not in queued(trips)[1][1]["trip"]
    assert plain


# -- what is queued when the checks pass ---------------------------------------------------------


def test_a_sign_up_is_queued_with_the_events_facts(actions: EventCommands):
    signup_id = actions.sign_up("open")
    assert queued(actions) == [
        (
            "event_signup",
            {
                "event_id": "open",
                "signup_id": signup_id,
                "event_title": "活动 open",
                "start_at": "2026-11-22T02:00:00+00:00",
                "end_at": "2026-11-22T04:00:00+00:00",
                "requested_at": NOW.isoformat(),
            },
        )
    ]
    # A second tap: the sign-up shown (being sent) is the answer, nothing more is queued.
    assert actions.sign_up("open") == signup_id
    assert len(queued(actions)) == 1


def test_signing_up_again_after_cancelling_is_queued(actions: EventCommands):
    signup_id = actions.sign_up("left")
    [(kind, payload)] = queued(actions)
    assert (kind, payload["signup_id"]) == ("event_signup", signup_id)


def test_holding_a_place_already_queues_nothing(actions: EventCommands):
    assert actions.sign_up("soon") == "su-soon"
    assert queued(actions) == []


def test_each_action_queues_what_the_server_takes(actions: EventCommands):
    actions.cancel("late-queue")  # waitlisted: may leave after the cancel deadline, until the start
    actions.excuse("soon", "health", " 发烧 ")
    actions.check_in("now", "２０ ４７")
    actions.appeal("no-show", "escort_failed", " 志愿者没来 ")
    actions.door_check_in("door-now", "sunshine-checkin:door-now:482913")
    actions.door_check_in_person("door-now", "s1")
    actions.door_undo("door-now", "s1")
    actions.door_undo("door-over", "s1")  # ended, but within a day: a late undo is taken
    now = NOW.isoformat()
    assert queued(actions) == [
        ("event_cancel", {"event_id": "late-queue"}),
        ("event_excuse", {"event_id": "soon", "reason": "health", "note": "发烧", "at": now}),
        ("event_checkin", {"event_id": "now", "code": "2047", "at": now}),
        ("attendance_appeal",
         {"signup_id": "no-show", "reason": "escort_failed", "text": "志愿者没来", "at": now}),
        ("door_checkin", {"event_id": "door-now", "code": "482913", "signup_id": None, "at": now}),
        ("door_checkin", {"event_id": "door-now", "code": None, "signup_id": "s1", "at": now}),
        ("door_undo", {"event_id": "door-now", "signup_id": "s1"}),
        ("door_undo", {"event_id": "door-over", "signup_id": "s1"}),
    ]  # fmt: skip


def test_a_later_excuse_and_a_cancel_before_the_deadline_are_taken(actions: EventCommands):
    actions.excuse("now", "weather")  # under way: until the end
    actions.excuse("now", "other", "换了")  # replaces the first
    actions.cancel("soon")  # confirmed, before its cancel deadline
    assert [kind for kind, _ in queued(actions)] == ["event_excuse", "event_excuse", "event_cancel"]
