"""The event outbox kinds (services/events/kinds.py): each shows at once and settles right.

``overlay`` is applied to plain dicts (the server's last answers), also to answers that already
hold the action's effect (a refresh landed after the server acted, before the sender stored its
answer): nothing is added twice and no count moves twice. ``settle`` stores the server's answer
in a real LocalStore, as the sender does. Then the whole path over a real store: EventCommands
queues, PersonalData.view() shows it, a refused action leaves the view by leaving the queue.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from personal_support import OWNER, overlay, save, settle, signed_in_personal, stored
from server_rows import attendee_row, signup_row

from app.features import OUTBOX_KINDS
from services.api import CatalogChange
from services.catalog import Catalog
from services.events.commands import EventCommands, door_event, my_signup
from services.events.kinds import EVENT_KINDS, empty_attendance, put_signup
from services.personal import PersonalData, _keep_newer_door
from services.sync.store import LocalStore

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
ACTED = "2026-11-20T02:05:00+00:00"
CREATED = "2026-11-18T00:00:00Z"


def signup(event_id: str, state: str = "confirmed", **fields: Any) -> dict[str, Any]:
    row = signup_row(
        event_id,
        state,
        title="茶话会",
        start_at="2026-11-20T02:00:00Z",
        end_at="2026-11-20T04:00:00Z",
        queue_place=2,
    )
    return {**row, "created_at": CREATED, "updated_at": CREATED, **fields}


def attendee(signup_id: str, **fields: Any) -> dict[str, Any]:
    return attendee_row(signup_id, "张阿姨", "0001", f"{signup_id[-1] * 6}", **fields)


def door_entry(event_id: str, attendees: list[dict], checked_in: int = 0) -> dict[str, Any]:
    return {
        "event": {
            "id": event_id,
            "start_at": "2026-11-20T02:00:00Z",
            "end_at": "2026-11-20T04:00Z",
        },
        "event_code": "2047",
        "counts": {"confirmed": len(attendees), "waitlisted": 0, "checked_in": checked_in},
        "attendees": attendees,
    }


def snapshots(**values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "me": {"id": 7, "name": "张阿姨", "roles": ["resident"], "version": 1},
        "signups": [],
        "attendance": empty_attendance(),
        "door": [],
    }
    return copy.deepcopy({**base, **values})


def test_the_seven_kinds_are_registered():
    names = [kind.name for kind in EVENT_KINDS]
    assert names == [
        "event_signup",
        "event_cancel",
        "event_excuse",
        "event_checkin",
        "door_checkin",
        "door_undo",
        "attendance_appeal",
    ]
    assert all(OUTBOX_KINDS[name].name == name for name in names)


@pytest.mark.parametrize(
    ("kind", "payload", "method", "path", "body"),
    [
        ("event_signup", {"event_id": "e1", "signup_id": "u1"}, "POST", "/events/e1/signups",
         {"id": "u1"}),
        ("event_cancel", {"event_id": "e1"}, "DELETE", "/events/e1/signups/me", None),
        ("event_excuse", {"event_id": "e1", "reason": "health", "note": None, "at": ACTED},
         "POST", "/events/e1/signups/me/excuse", {"reason": "health", "note": None}),
        ("event_checkin", {"event_id": "e1", "code": "2047", "at": ACTED}, "POST",
         "/events/e1/checkin", {"code": "2047", "at": ACTED}),
        ("door_checkin", {"event_id": "e1", "code": "482913", "signup_id": None, "at": ACTED},
         "POST", "/events/e1/checkin", {"code": "482913", "at": ACTED}),
        ("door_checkin", {"event_id": "e1", "code": None, "signup_id": "s1", "at": ACTED},
         "POST", "/events/e1/attendees/s1/checkin", {"at": ACTED}),
        ("door_undo", {"event_id": "e1", "signup_id": "s1"}, "DELETE",
         "/events/e1/attendees/s1/checkin", None),
        ("attendance_appeal", {"signup_id": "s1", "reason": "other", "text": "病了", "at": ACTED},
         "POST", "/me/attendance/s1/appeal", {"reason": "other", "text": "病了"}),
    ],
)  # fmt: skip
def test_each_kind_sends_the_contracts_request(
    kind: str, payload: dict, method: str, path: str, body: Any
):
    request = OUTBOX_KINDS[kind].request(payload)
    assert (request.method, request.path, request.json) == (method, path, body)


# -- sign-up, cancel, excuse ---------------------------------------------------------------------

SIGNUP = {
    "event_id": "new",
    "signup_id": "u-new",
    "event_title": "读书会",
    "start_at": "2026-11-21T02:00:00+00:00",
    "end_at": "2026-11-21T04:00:00+00:00",
    "requested_at": NOW.isoformat(),
}


def test_a_sign_up_shows_as_sending_in_event_order():
    early = signup("early", start_at="2026-11-20T02:00:00Z")
    late = signup("late", start_at="2026-11-25T02:00:00Z")
    shots = overlay("event_signup", snapshots(signups=[early, late]), SIGNUP)
    assert [s["event_id"] for s in shots["signups"]] == ["early", "new", "late"]  # soonest first
    assert shots["signups"][1] == {
        "id": "u-new",
        "event_id": "new",
        "event_title": "读书会",
        "start_at": SIGNUP["start_at"],
        "end_at": SIGNUP["end_at"],
        "state": "sending",
        "waitlist_position": None,
        "personal_code": None,
        "checked_in_at": None,
        "attendance": None,
        "excuse": None,
        "appeal": None,
        "guide_trip_id": None,
        "created_at": NOW.isoformat(),
        "updated_at": NOW.isoformat(),
        "version": 0,
        "sending": True,
    }


@pytest.mark.parametrize(
    "held",
    [
        signup("new", "waitlisted", id="u-new"),  # the server has it already
        signup("new", "confirmed"),  # a sign-up held with another key: the server answers it
        signup("new", "waitlisted"),
    ],
)
def test_a_sign_up_the_server_already_holds_is_not_shown_twice(held: dict):
    shots = overlay("event_signup", snapshots(signups=[held]), SIGNUP)
    assert shots["signups"] == [held]


def test_signing_up_again_reuses_the_cancelled_row_as_the_server_does():
    cancelled = signup("new", "cancelled", personal_code="482913", version=3)
    shots = overlay("event_signup", snapshots(signups=[cancelled]), SIGNUP)
    [shown] = shots["signups"]
    assert (shown["id"], shown["state"], shown["sending"], shown["created_at"]) == (
        "su-new",
        "sending",
        True,
        cancelled["created_at"],
    )


@pytest.mark.parametrize(
    ("kind", "payload", "before", "changed"),
    [
        ("event_cancel", {"event_id": "e"}, signup("e", "waitlisted"),
         {"state": "cancelled", "waitlist_position": None}),
        ("event_cancel", {"event_id": "e"}, signup("e", "cancelled"),  # cancelled already
         {"state": "cancelled"}),
        ("event_excuse", {"event_id": "e", "reason": "weather", "note": "雨大", "at": ACTED},
         signup("e"), {"excuse": {"reason": "weather", "note": "雨大", "auto": False, "at": ACTED}}),
        ("event_excuse", {"event_id": "e", "reason": "health", "note": None, "at": ACTED},
         signup("e", excuse={"reason": "escort_failed", "note": None, "auto": True, "at": "x"}),
         {"excuse": {"reason": "health", "note": None, "auto": False, "at": ACTED}}),
        ("event_checkin", {"event_id": "e", "code": "2047", "at": ACTED}, signup("e"),
         {"checked_in_at": ACTED, "attendance": "attended"}),
        ("event_checkin", {"event_id": "e", "code": "2047", "at": ACTED},
         signup("e", checked_in_at="2026-11-20T01:55:00Z", attendance="attended"),
         {"checked_in_at": "2026-11-20T01:55:00Z"}),  # the first time is kept
    ],
)  # fmt: skip
def test_a_change_to_my_sign_up_shows_at_once_marked_sending(
    kind: str, payload: dict, before: dict, changed: dict
):
    other = signup("other")
    shots = overlay(kind, snapshots(signups=[before, other]), payload)
    assert shots["signups"] == [{**before, **changed, "sending": True}, other]


def test_a_change_to_a_sign_up_not_shown_changes_nothing():
    mine = signup("e")
    for kind, payload in [
        ("event_cancel", {"event_id": "gone"}),
        ("event_excuse", {"event_id": "gone", "reason": "other", "note": None}),
        ("event_checkin", {"event_id": "gone", "code": "2047", "at": ACTED}),
    ]:
        assert overlay(kind, snapshots(signups=[mine]), payload)["signups"] == [mine]


# -- the door ------------------------------------------------------------------------------------


def test_a_door_check_in_by_code_shows_the_time_acted_and_counts_one_more():
    first, second = attendee("s1"), attendee("s2")
    other_event = door_entry("other", [attendee("s3")])
    payload = {"event_id": "e", "code": "222222", "signup_id": None, "at": ACTED}
    shots = overlay("door_checkin", snapshots(door=[door_entry("e", [first, second]), other_event]),
                    payload)  # fmt: skip
    entry = shots["door"][0]
    assert entry["attendees"] == [
        first,
        {**second, "checked_in_at": ACTED, "attendance": "attended", "sending": True},
    ]
    assert entry["counts"] == {"confirmed": 2, "waitlisted": 0, "checked_in": 1}
    assert shots["door"][1] == other_event


def test_a_door_check_in_by_row_picked():
    payload = {"event_id": "e", "code": None, "signup_id": "s1", "at": ACTED}
    shots = overlay("door_checkin", snapshots(door=[door_entry("e", [attendee("s1")])]), payload)
    [shown] = shots["door"][0]["attendees"]
    assert (shown["checked_in_at"], shown["sending"]) == (ACTED, True)
    assert shots["door"][0]["counts"]["checked_in"] == 1


def test_a_door_check_in_the_server_already_holds_keeps_its_time_and_count():
    held = attendee("s1", checked_in_at="2026-11-20T01:58:00Z", attendance="attended", version=2)
    payload = {"event_id": "e", "code": "111111", "signup_id": None, "at": ACTED}
    shots = overlay("door_checkin", snapshots(door=[door_entry("e", [held], 1)]), payload)
    [shown] = shots["door"][0]["attendees"]
    assert shown["checked_in_at"] == "2026-11-20T01:58:00Z"
    assert shots["door"][0]["counts"]["checked_in"] == 1  # not counted twice


def test_undo_clears_the_check_in_and_counts_one_less():
    held = attendee("s1", checked_in_at=ACTED, attendance="attended")
    shots = overlay(
        "door_undo",
        snapshots(door=[door_entry("e", [held], 1)]),
        {"event_id": "e", "signup_id": "s1"},
    )
    [shown] = shots["door"][0]["attendees"]
    assert (shown["checked_in_at"], shown["attendance"], shown["sending"]) == (None, None, True)
    assert shots["door"][0]["counts"]["checked_in"] == 0


def test_undo_over_an_answer_that_already_undid_it_moves_no_count():
    shots = overlay(
        "door_undo",
        snapshots(door=[door_entry("e", [attendee("s1"), attendee("s2", checked_in_at=ACTED)], 1)]),
        {"event_id": "e", "signup_id": "s1"},
    )
    assert shots["door"][0]["counts"]["checked_in"] == 1


def test_check_in_then_undo_both_waiting_show_in_order():
    shots = snapshots(door=[door_entry("e", [attendee("s1")])])
    overlay("door_checkin", shots, {"event_id": "e", "code": None, "signup_id": "s1", "at": ACTED})
    overlay("door_undo", shots, {"event_id": "e", "signup_id": "s1"})
    [shown] = shots["door"][0]["attendees"]
    assert (shown["checked_in_at"], shots["door"][0]["counts"]["checked_in"]) == (None, 0)


def test_a_door_action_for_an_event_not_listed_changes_nothing():
    entry = door_entry("e", [attendee("s1")])
    payload = {"event_id": "gone", "code": None, "signup_id": "s1", "at": ACTED}
    assert overlay("door_checkin", snapshots(door=[entry]), payload)["door"] == [entry]
    assert overlay("door_checkin", snapshots(), payload)["door"] == []


# -- appeals -------------------------------------------------------------------------------------


def record(signup_id: str, attendance: str, appeal: dict | None = None) -> dict[str, Any]:
    return {**signup(signup_id, id=signup_id), "attendance": attendance, "appeal": appeal}


APPEAL = {"signup_id": "a", "reason": "escort_failed", "text": "志愿者没来", "at": ACTED}


def test_an_appeal_shows_as_pending_and_counts():
    attendance = {
        "items": [record("a", "no_show"), record("b", "attended")],
        "summary": {"attended": 1, "excused": 0, "no_show": 1, "appeals_pending": 0},
        "blocks_signup": False,
    }
    shots = overlay(
        "attendance_appeal",
        snapshots(attendance=attendance, signups=[record("a", "no_show")]),
        APPEAL,
    )
    appeal = {"reason": "escort_failed", "text": "志愿者没来", "state": "pending", "note": None,
              "at": ACTED, "decided_at": None}  # fmt: skip
    assert shots["attendance"]["items"][0] == {**record("a", "no_show"), "appeal": appeal,
                                               "sending": True}  # fmt: skip
    assert shots["attendance"]["summary"] == {
        "attended": 1,
        "excused": 0,
        "no_show": 1,
        "appeals_pending": 1,
    }
    assert shots["attendance"]["blocks_signup"] is False
    assert shots["signups"][0]["appeal"] == appeal


def test_an_appeal_the_server_already_holds_is_not_counted_twice():
    held = record("a", "no_show", {"reason": "health", "state": "pending"})
    attendance = {
        "items": [held],
        "summary": {"attended": 0, "excused": 0, "no_show": 1, "appeals_pending": 1},
        "blocks_signup": False,
    }
    shots = overlay("attendance_appeal", snapshots(attendance=attendance), APPEAL)
    assert shots["attendance"] == attendance


def test_an_appeal_for_a_record_not_shown_changes_nothing():
    shots = overlay("attendance_appeal", snapshots(), APPEAL)
    assert shots["attendance"] == empty_attendance()


# -- settles -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["event_signup", "event_cancel", "event_excuse"])
def test_a_settled_sign_up_answer_replaces_the_row_for_its_event(store: LocalStore, kind: str):
    first, second = signup("a"), signup("b", start_at="2026-11-22T02:00:00Z")
    save(store, signups=[first, second])
    answer = {**second, "id": "su-b", "state": "waitlisted", "waitlist_position": 1, "version": 2}
    settle(store, kind, {**SIGNUP, "event_id": "b", "reason": "other"}, answer)
    assert stored(store, "signups") == [first, answer]


def test_a_settled_new_sign_up_takes_its_place_in_event_order(store: LocalStore):
    save(store, signups=[signup("late", start_at="2026-11-29T00:00:00Z")])
    answer = signup("new", "confirmed", id="u-new", start_at="2026-11-21T02:00:00Z")
    settle(store, "event_signup", SIGNUP, answer)
    assert [s["event_id"] for s in stored(store, "signups")] == ["new", "late"]
    assert "sending" not in stored(store, "signups")[0]


def checkin_answer(signup_id: str, event_id: str = "e", **fields: Any) -> dict[str, Any]:
    return {
        "signup_id": signup_id,
        "event_id": event_id,
        "name": "张阿姨",
        "state": "confirmed",
        "checked_in_at": ACTED,
        "attendance": "attended",
        "already_checked_in": False,
        "counts": {"confirmed": 2, "waitlisted": 0, "checked_in": 1},
        "version": 2,
        **fields,
    }


def test_a_settled_door_check_in_stores_the_row_and_the_servers_count(store: LocalStore):
    save(store, door=[door_entry("e", [attendee("s1"), attendee("s2")]),
                      door_entry("f", [attendee("s3")])])  # fmt: skip
    payload = {"event_id": "e", "code": None, "signup_id": "s2", "at": ACTED}
    settle(store, "door_checkin", payload, checkin_answer("s2"))
    entry, other = stored(store, "door")
    assert entry["attendees"][1] == {
        **attendee("s2"),
        "checked_in_at": ACTED,
        "attendance": "attended",
        "version": 2,
    }
    assert entry["attendees"][0] == attendee("s1")
    assert entry["counts"] == {"confirmed": 2, "waitlisted": 0, "checked_in": 1}
    assert other == door_entry("f", [attendee("s3")])


def test_a_settled_undo_stores_the_cleared_row(store: LocalStore):
    save(store, door=[door_entry("e", [attendee("s1", checked_in_at=ACTED)], 1)])
    answer = checkin_answer(
        "s1",
        checked_in_at=None,
        attendance=None,
        version=3,
        counts={"confirmed": 1, "waitlisted": 0, "checked_in": 0},
    )
    settle(store, "door_undo", {"event_id": "e", "signup_id": "s1"}, answer)
    [entry] = stored(store, "door")
    assert (entry["attendees"][0]["checked_in_at"], entry["counts"]["checked_in"]) == (None, 0)


def test_a_settled_own_check_in_stores_the_time_on_my_sign_up(store: LocalStore):
    save(store, signups=[signup("e"), signup("f")])
    answer = checkin_answer("su-e", checked_in_at="2026-11-20T01:59:00Z", already_checked_in=True)
    settle(store, "event_checkin", {"event_id": "e", "code": "2047", "at": ACTED}, answer)
    mine, other = stored(store, "signups")
    assert (mine["checked_in_at"], mine["attendance"], mine["version"]) == (
        "2026-11-20T01:59:00Z",
        "attended",
        2,
    )
    assert other == signup("f")
    assert stored(store, "door") is None  # not staff: no door list to touch


def test_a_settled_appeal_replaces_the_record_and_moves_the_summary(store: LocalStore):
    attendance = {
        "items": [record("a", "no_show"), record("b", "no_show")],
        "summary": {"attended": 0, "excused": 0, "no_show": 2, "appeals_pending": 0},
        "blocks_signup": False,
    }
    save(store, attendance=attendance, signups=[record("a", "no_show")])
    answer = record("a", "no_show", {"reason": "health", "text": "病了", "state": "pending",
                                     "note": None, "at": ACTED, "decided_at": None})  # fmt: skip
    settle(store, "attendance_appeal", APPEAL, answer)
    saved = stored(store, "attendance")
    assert saved["items"] == [answer, record("b", "no_show")]
    assert saved["summary"]["appeals_pending"] == 1
    assert stored(store, "signups") == [answer]


def test_put_signup_keeps_one_row_per_event():
    rows = [signup("a", start_at="2026-11-21T00:00:00Z"), signup("b", start_at="2026-11-23T00:00Z")]
    replaced = put_signup(rows, {**rows[1], "id": "other-id", "state": "cancelled"})
    assert [(s["event_id"], s["state"]) for s in replaced] == [
        ("a", "confirmed"),
        ("b", "cancelled"),
    ]


def test_a_refresh_keeps_a_door_row_an_action_stored_after_the_fetch_left():
    stored_door = [door_entry("e", [attendee("s1", checked_in_at=ACTED, version=3)], 1)]
    fetched = [door_entry("e", [attendee("s1", version=2), attendee("s2", version=1)], 0)]
    [merged] = _keep_newer_door(stored_door, fetched)
    assert [a["version"] for a in merged["attendees"]] == [3, 1]
    assert merged["counts"]["checked_in"] == 1
    newer = [door_entry("e", [attendee("s1", version=4)], 0)]
    assert _keep_newer_door(stored_door, newer) == newer  # the fetch is newer: as fetched
    assert _keep_newer_door(None, fetched) == fetched


# -- a guide trip for an event shows on the sign-up ----------------------------------------------


def test_a_guide_trip_request_shows_on_the_sign_up_and_settles_there(store: LocalStore):
    trip = {"id": "t1", "from_place": "家", "to_place": "阳光之家", "event_id": "e",
            "start_at": "2026-11-20T01:00:00Z"}  # fmt: skip
    shots = overlay("trip_request", snapshots(signups=[signup("e"), signup("f")], trips=[]),
                    {"trip": trip})  # fmt: skip
    assert [(s["guide_trip_id"], s.get("sending")) for s in shots["signups"]] == [
        ("t1", True),
        (None, None),
    ]
    plain = overlay("trip_request", snapshots(signups=[signup("e")], trips=[]),
                    {"trip": {**trip, "id": "t2", "event_id": None}})  # fmt: skip
    assert plain["signups"] == [signup("e")]

    save(store, signups=[signup("e")], trips=[])
    settle(store, "trip_request", {"trip": trip}, {**trip, "state": "open", "version": 1})
    assert stored(store, "signups")[0]["guide_trip_id"] == "t1"
    assert "sending" not in stored(store, "signups")[0]


# -- the whole path over a real store ------------------------------------------------------------

EVENT = {
    "id": "e",
    "title": "茶话会",
    "start_at": "2026-11-20T02:30:00Z",
    "end_at": "2026-11-20T04:00:00Z",
    "signup_deadline": "2026-11-20T02:00:00Z",
    "cancel_deadline": "2026-11-20T02:00:00Z",
    "capacity": 10,
}


@pytest.fixture
def personal(store: LocalStore) -> Iterator[PersonalData]:
    personal = signed_in_personal(store)
    store.apply_page([CatalogChange(kind="event", id="e", version=1, deleted=False, data=EVENT)],
                     "c1", last=True)  # fmt: skip
    save(
        store,
        me={"id": 7, "name": "王社工", "roles": ["resident", "staff"], "version": 1},
        signups=[],
        door=[door_entry("e", [attendee("s1"), attendee("s2")])],
    )
    yield personal
    personal.account.api.close()


def test_every_action_shows_in_the_view_at_once(personal: PersonalData, store: LocalStore):
    actions = EventCommands(personal, Catalog(store), now=lambda: NOW)
    signup_id = actions.sign_up("e")
    actions.door_check_in("e", "111 111")
    actions.door_check_in_person("e", "s2")
    actions.door_undo("e", "s2")

    view = personal.view()
    assert view.waiting == 4
    mine = my_signup(view, "e")
    assert mine is not None
    assert (mine["id"], mine["state"], mine["event_title"]) == (signup_id, "sending", "茶话会")
    entry = door_event(view, "e")
    assert entry is not None
    assert [(a["signup_id"], a["checked_in_at"]) for a in entry["attendees"]] == [
        ("s1", NOW.isoformat()),
        ("s2", None),
    ]
    assert entry["counts"]["checked_in"] == 1


def test_a_refused_action_leaves_the_view(personal: PersonalData, store: LocalStore):
    actions = EventCommands(personal, Catalog(store), now=lambda: NOW)
    action_id = actions.door_check_in("e", "111111")
    personal.outbox.mark_rejected(action_id, "checkin_closed", "409 checkin_closed")
    entry = door_event(personal.view(), "e")
    assert entry is not None
    assert entry["attendees"][0]["checked_in_at"] is None
    assert entry["counts"]["checked_in"] == 0
    [rejection] = personal.outbox.take_rejections(OWNER)
    assert (rejection.kind, rejection.code) == ("door_checkin", "checkin_closed")
