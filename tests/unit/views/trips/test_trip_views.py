"""The trip, volunteer and message screens build in every state they can be in.

Flet drops an exception raised while a screen is built (the person just sees nothing happen),
so every state is built here: signed out, loading, each trip state for the person who asked and
for the volunteer, waiting to be sent, confirming, the registration form, pending, verified.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any

import flet as ft
import pytest
from control_tree import find, identifiers, screen_actions, texts, walk

from app.i18n import set_language
from app.routes import resolve
from app.state import AppState
from app.trips.actions import TripActions
from app.trips.forms import OpenTripFilter
from services.catalog import District
from services.clock import SHANGHAI, shanghai_day, utc_now
from services.personal import PersonalView
from views.notifications.screen import notifications_view
from views.trips.mine import trips_view
from views.trips.new import trip_new_view
from views.trips.volunteer import volunteer_view

ME = {
    "id": 1,
    "name": "张阿姨",
    "phone": "13800000001",
    "address": "黄浦区示例路 100 弄",
    "facts": {"district": "310101"},
}
STATES = ("open", "claimed", "in_progress", "completed", "cancelled", "expired")
SOON = (datetime.now(UTC) + timedelta(days=1)).isoformat()


def trip(trip_id: str, state: str, role: str | None = "resident", **extra: Any) -> dict[str, Any]:
    claimed = state in ("claimed", "in_progress", "completed")
    return {
        "id": trip_id,
        "state": state,
        "my_role": role,
        "from_place": "黄浦区示例路 100 弄",
        "to_place": "瑞金医院",
        "start_at": SOON,
        "district": "310101",
        "needs": ["sighted_guide"],
        "notes": "北门见",
        "resident_name": "张阿姨" if role else None,
        "contact_phone": "13800000001" if role else None,
        "volunteer": {"name": "李志愿", "phone": "13800000002"} if claimed and role else None,
        "code_word": "月亮 茶杯" if claimed and role else None,
        "my_rating": None,
        "rating_of_me": None,
        **extra,
    }


def this_morning() -> datetime:
    """10:00 today in Shanghai: the form's first day is today whatever the hour of the run."""
    today = shanghai_day(utc_now())
    return datetime.combine(today, time(10), SHANGHAI).astimezone(UTC)


def make(state: AppState) -> tuple[SimpleNamespace, TripActions]:
    told: list[str] = []
    trips = TripActions(
        state,
        SimpleNamespace(clock=this_morning),  # no service is called while building a screen
        told.append,
        lambda: None,
        lambda _route: None,
        lambda _texts: None,
    )
    return screen_actions(trips=trips), trips


def signed_in(**personal: Any) -> AppState:
    state = AppState(signed_in=True, personal=PersonalView(me=ME, **personal))
    state.districts = [
        District(id="huangpu", code="310101", name="黄浦区"),
        District(id="xuhui", code="310104", name="徐汇区"),
    ]
    return state


def build(view: Any, path: str, state: AppState) -> set[str]:
    route, _ = resolve(path)
    actions, _ = make(state)
    return identifiers(view(path, route, state, actions))


@pytest.mark.parametrize(
    ("view", "path"),
    [
        (trips_view, "/trips"),
        (trip_new_view, "/trips/new"),
        (volunteer_view, "/volunteer"),
        (notifications_view, "/notifications"),
    ],
)
def test_signed_out_screens_offer_sign_in(view: Any, path: str) -> None:
    found = build(view, path, AppState())
    assert "nav-login" in found
    assert resolve(path)[0].identifier in found
    loading = build(view, path, AppState(signed_in=True))  # signed in, profile not here yet
    assert resolve(path)[0].identifier in loading and "nav-login" not in loading


@pytest.mark.parametrize("trip_state", STATES)
def test_my_trips_show_each_state_with_the_right_actions(trip_state: str) -> None:
    found = build(trips_view, "/trips", signed_in(trips=[trip("t1", trip_state)]))
    assert {"screen-trips", "trip-t1", "nav-trip-new"} <= found
    assert ("trip-cancel-t1" in found) is (trip_state in ("open", "claimed"))
    assert ("trip-say-code-t1" in found) is (trip_state in ("claimed", "in_progress", "completed"))
    assert ("trip-rate-t1-5" in found) is (trip_state == "completed")


def test_cancel_asks_first_and_a_rated_trip_is_not_rated_again() -> None:
    state = signed_in(
        trips=[
            trip("t1", "claimed"),
            trip("t2", "completed", my_rating={"stars": 4, "comment": None}),
        ]
    )
    state.confirming = "cancel:t1"
    found = build(trips_view, "/trips", state)
    assert {"trip-cancel-t1-confirm", "trip-cancel-t1-keep", "trip-cancel-t1-question"} <= found
    assert "trip-rate-t2-5" not in found


def test_a_request_not_sent_yet_shows_as_waiting() -> None:
    state = signed_in(trips=[trip("t1", "open", sending=True)], waiting=1)
    found = build(trips_view, "/trips", state)
    assert {"trip-t1", "outbox-waiting"} <= found


def test_request_form_has_every_field_and_offers_home_and_recent_places() -> None:
    past = trip("old", "completed", to_place="第六人民医院")
    state = signed_in(trips=[past])
    found = build(trip_new_view, "/trips/new", state)
    assert {
        "screen-trip-new",
        "trip-from",
        "trip-to",
        "trip-time",
        "trip-submit",
        "trip-when",
        "trip-day-0",
        "trip-day-6",
        "trip-time-earlier",
        "trip-time-later",
        "trip-need-sighted_guide",
        "trip-need-wheelchair",
        "trip-need-sign_language",
        "trip-phone",
        "trip-notes",
        "trip-district-change",
        "trip-from-recent-0",
        "trip-to-recent-1",
    } <= found
    assert "trip-district-310104" not in found  # the district is known: only shown on request


def test_check_and_send_reads_what_is_chosen_just_before_the_button() -> None:
    """Reached with one heading jump from the day chosen (issue 16, item 12). It says only
    what choosing changes, which draws the screen again; typed places would be stale."""
    set_language("zh_CN")
    state = signed_in()
    actions, trips = make(state)
    route, _ = resolve("/trips/new")

    def review() -> str:
        return texts(find(trip_new_view("/trips/new", route, state, actions), "trip-review"))

    assert review().startswith("出发时间：今天") and review().endswith("需要：引路陪同。")
    trips.choose_day(trips.offered_days()[1])
    trips.toggle_need("sign_language")
    assert review().startswith("出发时间：明天")
    assert "需要：引路陪同和手语。" in review()
    trips.type_into("to_place", "瑞金医院门诊楼")
    assert "瑞金" not in review()
    screen = trip_new_view("/trips/new", route, state, actions)
    in_order = [n.identifier for n in walk(screen) if isinstance(n, ft.Semantics) and n.identifier]
    # Nothing to stop at between the review and the button: the notes come before it.
    assert (
        in_order.index("trip-submit") > in_order.index("trip-review") > in_order.index("trip-notes")
    )


def test_each_need_switch_says_whether_it_is_on() -> None:
    set_language("zh_CN")
    state = signed_in()
    actions, _trips = make(state)
    route, _ = resolve("/trips/new")
    screen = trip_new_view("/trips/new", route, state, actions)
    assert texts(find(screen, "trip-need-sighted_guide")).endswith("已打开")  # the default need
    assert texts(find(screen, "trip-need-sign_language")).endswith("已关闭")


def test_request_form_while_changing_district_and_after_a_bad_time() -> None:
    state = signed_in()
    state.trips.changing_district = True
    actions, trips = make(state)
    trips.request_form().time_text = "25:99"
    state.tell("bad time", error=True)
    route, _ = resolve("/trips/new")
    found = identifiers(trip_new_view("/trips/new", route, state, actions))
    assert {"trip-district-310101", "trip-district-310104", "trip-status"} <= found


def test_volunteer_registration_form() -> None:
    found = build(volunteer_view, "/volunteer", signed_in(volunteer=None))
    assert {
        "volunteer-name",
        "volunteer-id-number",
        "volunteer-phone",
        "volunteer-skill-sighted_guide",
        "volunteer-availability-weekend",
        "volunteer-district-310104",
        "volunteer-register",
    } <= found


def test_pending_volunteer_sees_no_open_trips() -> None:
    state = signed_in(volunteer={"status": "pending"}, open_trips=[trip("o1", "open", None)])
    found = build(volunteer_view, "/volunteer", state)
    assert "open-trip-o1" not in found and "volunteer-register" not in found


@pytest.mark.parametrize("trip_state", ("claimed", "in_progress", "completed"))
def test_verified_volunteer_sees_open_trips_and_the_next_step_of_each_of_theirs(
    trip_state: str,
) -> None:
    volunteer = {"status": "verified", "districts": ["310101"], "skills": ["sighted_guide"]}
    state = signed_in(
        volunteer=volunteer,
        open_trips=[trip("o1", "open", None), trip("far", "open", None, district="310104")],
        trips=[trip("v1", trip_state, "volunteer")],
    )
    found = build(volunteer_view, "/volunteer", state)
    assert {"open-trip-o1", "claim-o1", "filter-my-districts", "filter-days-7", "trip-v1"} <= found
    assert "open-trip-far" not in found  # not in the volunteer's districts
    assert ("trip-start-v1" in found) is (trip_state == "claimed")
    assert ("trip-release-v1" in found) is (trip_state == "claimed")
    assert ("trip-complete-v1" in found) is (trip_state == "in_progress")
    assert ("trip-rate-v1-1" in found) is (trip_state == "completed")

    state.trips.open_filter = OpenTripFilter(my_districts_only=False, within_days=None)
    state.confirming = "release:v1"
    found = build(volunteer_view, "/volunteer", state)
    assert "open-trip-far" in found


def test_messages_screen_lists_each_kind() -> None:
    data = {"start_at": SOON, "from_place": "家", "to_place": "医院", "volunteer_name": "李志愿"}
    kinds = [
        "trip_claimed",
        "trip_released",
        "trip_cancelled",
        "trip_expired",
        "trip_started",
        "trip_completed",
        "volunteer_verified",
        "something_new",
    ]
    items = [
        {"id": n, "kind": kind, "trip_id": "t1", "data": {**data, "code_word": "月亮 茶杯"},
         "created_at": SOON, "read_at": None if n % 2 else SOON}
        for n, kind in enumerate(kinds, start=1)
    ]  # fmt: skip
    found = build(notifications_view, "/notifications", signed_in(notifications=items))
    assert {"notifications-read", *(f"notification-{n}" for n in range(1, 9))} <= found
