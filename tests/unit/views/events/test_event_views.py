"""The event screens build in every state they can be in, and offer what fits it.

Flet drops an exception raised while a screen is built, so each state is built here: signed
out, loading, not signed up (open, full, closed), sending, confirmed before and after the
cancel deadline, in the check-in window, checked in, waitlisted, with a guide; the record with
each attendance and appeal; the door for staff, non-staff, no events, a search.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from control_tree import identifiers, screen_actions, walk
from server_rows import signup_row

from app.events.actions import EventActions
from app.routes import resolve
from app.state import AppState
from services.api import CatalogChange
from services.catalog import Catalog
from services.clock import utc_now
from services.personal import PersonalView
from services.sync.store import LocalStore
from views.events.attendance import attendance_view
from views.events.detail import event_view
from views.events.door import door_view
from views.events.upcoming import events_view

ME = {"id": 1, "name": "张阿姨", "phone": "13800000001", "roles": ["resident"]}
STAFF = {**ME, "id": 9, "name": "王社工", "roles": ["staff"]}
EVENT_ID = "evt-1"
VENUE = {
    "id": "inst-1",
    "name": "徐汇区残疾人综合服务中心",
    "address": "徐汇区示例路 1 号",
    "accessibility": ["无障碍出入口", "无障碍卫生间"],
}


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def event_data(start: datetime, **changes: Any) -> dict[str, Any]:
    return {
        "id": EVENT_ID,
        "title": "视障朋友读书会",
        "summary": "一起听书。",
        "institution_id": VENUE["id"],
        "room": "二楼活动室",
        "district": "310104",
        "start_at": iso(start),
        "end_at": iso(start + timedelta(hours=2)),
        "capacity": 30,
        "signup_deadline": iso(start - timedelta(hours=2)),
        "cancel_deadline": iso(start - timedelta(hours=3)),
        "provides": ["现场手语翻译"],
        "confirmed": 3,
        "waitlisted": 0,
        "places_left": 27,
        **changes,
    }


def catalog_with(store: LocalStore, *events: dict[str, Any]) -> Catalog:
    changes = [
        CatalogChange(kind="institution", id=VENUE["id"], version=1, deleted=False, data=VENUE)
    ]
    changes += [
        CatalogChange(kind="event", id=e["id"], version=1, deleted=False, data=e) for e in events
    ]
    store.apply_page(changes, "c1", last=True)
    return Catalog(store)


def signup(state: str, start: datetime, **changes: Any) -> dict[str, Any]:
    return {
        **signup_row(
            EVENT_ID,
            state,
            title="视障朋友读书会",
            start_at=iso(start),
            end_at=iso(start + timedelta(hours=2)),
            queue_place=4,
        ),
        "id": "s-1",
        **changes,
    }


def make(state: AppState, catalog: Catalog) -> tuple[SimpleNamespace, list[str]]:
    told: list[str] = []
    events = EventActions(
        state,
        SimpleNamespace(
            catalog=catalog, clock=utc_now
        ),  # no service is called while building a screen
        told.append,
        lambda: None,
        lambda _route: None,
        lambda _texts: None,
    )
    actions = screen_actions(events=events)
    return actions, told


def signed_in(me: dict[str, Any] = ME, **personal: Any) -> AppState:
    return AppState(signed_in=True, personal=PersonalView(me=me, **personal))


def build_event(state: AppState, catalog: Catalog) -> set[str]:
    actions, _told = make(state, catalog)
    route, _ = resolve(f"/event/{EVENT_ID}")
    return identifiers(event_view(f"/event/{EVENT_ID}", route, EVENT_ID, state, catalog, actions))


def build_events(state: AppState, catalog: Catalog) -> set[str]:
    actions, _told = make(state, catalog)
    route, _ = resolve("/events")
    return identifiers(events_view("/events", route, state, catalog, actions))


NOW = datetime.now(UTC)
DAYS_AHEAD = NOW + timedelta(days=3)
STARTING_SOON = NOW + timedelta(minutes=30)  # check-in open, deadlines passed


def test_signed_out_sees_the_events_and_is_sent_to_sign_in(tmp_path):
    catalog = catalog_with(LocalStore(tmp_path / "s.db"), event_data(DAYS_AHEAD))
    found = build_events(AppState(), catalog)
    assert {"screen-events", f"event-{EVENT_ID}", f"signup-{EVENT_ID}"} <= found
    assert "nav-attendance" not in found


def test_not_signed_up_can_sign_up_or_join_the_waiting_list(tmp_path):
    store = LocalStore(tmp_path / "s.db")
    catalog = catalog_with(store, event_data(DAYS_AHEAD, places_left=0, waitlisted=2))
    state = signed_in()
    assert f"signup-{EVENT_ID}" in build_events(state, catalog)
    assert f"signup-{EVENT_ID}" in build_event(state, catalog)


def test_sign_up_closed_offers_no_button(tmp_path):
    catalog = catalog_with(LocalStore(tmp_path / "s.db"), event_data(STARTING_SOON))
    assert f"signup-{EVENT_ID}" not in build_event(signed_in(), catalog)


@pytest.mark.parametrize("shown", ["sending", "confirmed", "waitlisted"])
def test_signed_up_before_the_deadline_can_cancel_and_ask_for_a_guide(tmp_path, shown):
    catalog = catalog_with(LocalStore(tmp_path / "s.db"), event_data(DAYS_AHEAD))
    sending = shown == "sending"  # not sent yet: no code, nothing to cancel or link a trip to
    mine = signup(shown, DAYS_AHEAD, sending=sending, personal_code=None if sending else "482913")
    state = signed_in(signups=[mine])
    found = build_event(state, catalog)
    offered = {
        f"event-say-code-{EVENT_ID}",
        f"event-qr-{EVENT_ID}",
        f"event-guide-{EVENT_ID}",
        f"signup-cancel-{EVENT_ID}",
    }
    assert "screen-event" in found
    assert not offered & found if sending else offered <= found
    state.confirming = f"cancel-signup:{EVENT_ID}"
    assert (f"signup-cancel-{EVENT_ID}-confirm" in build_event(state, catalog)) != sending


def test_confirmed_in_the_check_in_window_checks_in_or_gives_an_excuse(tmp_path):
    catalog = catalog_with(LocalStore(tmp_path / "s.db"), event_data(STARTING_SOON))
    state = signed_in(signups=[signup("confirmed", STARTING_SOON)])
    found = build_event(state, catalog)
    assert {f"checkin-code-{EVENT_ID}", f"checkin-{EVENT_ID}"} <= found
    assert {f"excuse-{EVENT_ID}-{r}" for r in ("health", "weather", "other")} <= found
    assert f"signup-cancel-{EVENT_ID}" not in found  # past the cancel deadline
    assert f"event-guide-{EVENT_ID}" not in found  # too late to find a guide
    assert f"checkin-{EVENT_ID}" in build_events(state, catalog)


def test_checked_in_with_an_excuse_and_a_guide_shows_them(tmp_path):
    catalog = catalog_with(LocalStore(tmp_path / "s.db"), event_data(STARTING_SOON))
    mine = signup(
        "confirmed",
        STARTING_SOON,
        checked_in_at=iso(NOW),
        excuse={"reason": "escort_failed", "note": None, "auto": True, "at": iso(NOW)},
        guide_trip_id="t-1",
    )
    trip = {"id": "t-1", "state": "claimed", "volunteer": {"name": "李志愿"}}
    found = build_event(signed_in(signups=[mine], trips=[trip]), catalog)
    assert f"checkin-{EVENT_ID}" not in found
    assert not {i for i in found if i.startswith("excuse-")}


def test_an_event_not_saved_here_says_so(tmp_path):
    catalog = catalog_with(LocalStore(tmp_path / "s.db"))
    assert "screen-event" in build_event(signed_in(), catalog)


@pytest.mark.parametrize("attendance", ["attended", "excused", "no_show"])
def test_the_record_builds_for_each_attendance_and_offers_an_appeal_for_absences(
    tmp_path, attendance
):
    catalog = catalog_with(LocalStore(tmp_path / "s.db"))
    past = NOW - timedelta(days=2)
    item = signup("confirmed", past, attendance=attendance)
    record = {
        "items": [item],
        "summary": {"attended": 0, "excused": 0, "no_show": 1, "appeals_pending": 0},
        "blocks_signup": False,
    }
    state = signed_in(attendance=record)
    actions, _told = make(state, catalog)
    route, _ = resolve("/events/record")
    found = identifiers(attendance_view("/events/record", route, state, actions))
    assert {"screen-attendance", "attendance-never-blocks", "record-s-1"} <= found
    assert ("appeal-s-1" in found) == (attendance == "no_show")
    state.confirming = "appeal:s-1"
    found = identifiers(attendance_view("/events/record", route, state, actions))
    if attendance == "no_show":
        assert {"appeal-text-s-1", "appeal-s-1-health", "appeal-s-1-escort_failed"} <= found


def test_a_pending_appeal_is_shown_not_offered_again(tmp_path):
    catalog = catalog_with(LocalStore(tmp_path / "s.db"))
    appeal = {"reason": "health", "text": "发烧", "state": "pending", "note": None, "at": iso(NOW)}
    item = signup("confirmed", NOW - timedelta(days=2), attendance="no_show", appeal=appeal)
    state = signed_in(attendance={"items": [item], "summary": {}})
    actions, _told = make(state, catalog)
    route, _ = resolve("/events/record")
    assert "appeal-s-1" not in identifiers(attendance_view("/events/record", route, state, actions))


def door_entry(start: datetime) -> dict[str, Any]:
    return {
        "event": event_data(start),
        "event_code": "2047",
        "counts": {"confirmed": 2, "waitlisted": 1, "checked_in": 1},
        "attendees": [
            {"signup_id": "a", "name": "张阿姨", "phone_tail": "0001", "personal_code": "482913",
             "state": "confirmed", "waitlist_position": None, "checked_in_at": iso(NOW)},
            {"signup_id": "b", "name": "陈先生", "phone_tail": "0003", "personal_code": "111222",
             "state": "confirmed", "waitlist_position": None, "checked_in_at": None},
            {"signup_id": "c", "name": "刘女士", "phone_tail": "0004", "personal_code": "333444",
             "state": "waitlisted", "waitlist_position": 1, "checked_in_at": None},
        ],
    }  # fmt: skip


def build_door(state: AppState, tmp_path) -> set[str]:
    actions, _told = make(state, catalog_with(LocalStore(tmp_path / "s.db")))
    route, _ = resolve("/door")
    return identifiers(door_view("/door", route, state, actions))


def test_the_door_lists_todays_attendees_with_check_in_and_undo(tmp_path):
    found = build_door(signed_in(STAFF, door=[door_entry(STARTING_SOON)]), tmp_path)
    assert {"screen-door", "door-count", "door-code", "door-checkin", "door-search"} <= found
    assert {"attendee-a", "door-undo-a", "attendee-b", "door-checkin-b", "attendee-c"} <= found
    assert "door-checkin-c" not in found  # waitlisted: no place to check in to


def test_the_door_search_narrows_the_list(tmp_path):
    state = signed_in(STAFF, door=[door_entry(STARTING_SOON)])
    state.events.door_query = "chen"
    found = build_door(state, tmp_path)
    assert "attendee-b" in found and "attendee-a" not in found


def test_the_door_for_non_staff_and_for_a_day_without_events(tmp_path):
    assert "door-code" not in build_door(signed_in(ME, door=[]), tmp_path)
    assert "door-code" not in build_door(signed_in(STAFF, door=[]), tmp_path)
    assert "screen-door" in build_door(AppState(), tmp_path)


def test_my_sign_up_for_an_event_not_synced_yet_is_named_from_the_sign_up(tmp_path):
    catalog = catalog_with(LocalStore(tmp_path / "s.db"))  # the event is not saved here yet
    state = signed_in(signups=[signup("confirmed", DAYS_AHEAD)])
    actions, _told = make(state, catalog)
    route, _ = resolve("/events")
    view = events_view("/events", route, state, catalog, actions)
    assert f"my-signup-{EVENT_ID}" in identifiers(view)
    labels = [c.content.content.value for c in walk(view) if is_my_signup(c)]
    assert labels and labels[0].startswith("视障朋友读书会")


def is_my_signup(control: Any) -> bool:
    return str(getattr(control, "identifier", "")).startswith("my-signup-")
