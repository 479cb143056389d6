"""The trip outbox kinds (services/trips/kinds.py): each shows at once and settles right.

``overlay`` is applied to plain dicts (the server's last answers); ``settle`` stores the server's
answer in a real LocalStore, as the sender does in the transaction that marks the action done.
Then the whole path over a real store: TripCommands queues, PersonalData.view() shows the action
on top of the snapshots, and a refused action leaves the view by leaving the queue.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from personal_support import OWNER, overlay, save, settle, signed_in_personal, stored
from server_rows import trip_row

from app.features import OUTBOX_KINDS
from services.personal import PersonalData
from services.sync.store import LocalStore
from services.trips.commands import (
    TripCommands,
    TripDraft,
    VolunteerForm,
    filter_open_trips,
    my_requests,
    my_volunteering,
    recent_places,
    unread_notifications,
)
from services.trips.kinds import TRIP_KINDS, mask_id_number, put_trip

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
ME = {"id": 7, "name": "李志愿", "phone": "13800000002", "version": 3}


def trip(trip_id: str, state: str = "open", my_role: str | None = None, **fields: Any) -> dict:
    unset = ("notes", "resident_name", "contact_phone", "volunteer", "code_word")
    return trip_row(
        trip_id,
        state,
        my_role,
        **{**dict.fromkeys(unset), "my_rating": None, "rating_of_me": None, "version": 1, **fields},
    )


def snapshots(**values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "me": ME,
        "trips": [],
        "open_trips": [],
        "volunteer": None,
        "notifications": [],
    }
    return copy.deepcopy({**base, **values})


def test_the_nine_kinds_are_registered():
    names = [kind.name for kind in TRIP_KINDS]
    assert names == [
        "trip_request",
        "trip_cancel",
        "trip_claim",
        "trip_start",
        "trip_complete",
        "trip_release",
        "trip_rate",
        "volunteer_register",
        "notifications_read",
    ]
    assert all(OUTBOX_KINDS[name].name == name for name in names)


# -- requests: what is sent ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "payload", "method", "path", "body"),
    [
        ("trip_request", {"trip": {"id": "t1", "from_place": "家"}}, "POST", "/trips",
         {"id": "t1", "from_place": "家"}),
        ("trip_cancel", {"trip_id": "t1"}, "POST", "/trips/t1/cancel", None),
        ("trip_claim", {"trip_id": "t1", "trip": {}}, "POST", "/trips/t1/claim", None),
        ("trip_start", {"trip_id": "t1"}, "POST", "/trips/t1/start", None),
        ("trip_complete", {"trip_id": "t1"}, "POST", "/trips/t1/complete", None),
        ("trip_release", {"trip_id": "t1"}, "POST", "/trips/t1/release", None),
        ("trip_rate", {"trip_id": "t1", "stars": 4, "comment": None}, "POST", "/trips/t1/rate",
         {"stars": 4, "comment": None}),
        ("volunteer_register", {"form": {"real_name": "李志愿"}}, "POST", "/volunteers",
         {"real_name": "李志愿"}),
        ("notifications_read", {"up_to_id": 9, "read_at": "x"}, "POST", "/me/notifications/read",
         {"up_to_id": 9}),
    ],
)  # fmt: skip
def test_each_kind_sends_the_contracts_request(
    kind: str, payload: dict, method: str, path: str, body: Any
):
    request = OUTBOX_KINDS[kind].request(payload)
    assert (request.method, request.path, request.json) == (method, path, body)


# -- overlays: the action shows at once -------------------------------------------------------

ASKED = {
    "id": "new",
    "from_place": "家",
    "to_place": "瑞金医院",
    "start_at": "2026-11-22T06:00:00+00:00",
    "district": "310101",
    "needs": ["sighted_guide"],
    "contact_phone": "13800000001",
    "notes": None,
}


def test_a_requested_trip_shows_as_open_and_sending_in_start_order():
    later = trip("later", start_at="2026-11-25T06:00:00Z")
    earlier = trip("earlier", start_at="2026-11-21T06:00:00Z")
    shots = overlay(
        "trip_request",
        snapshots(trips=[later, earlier]),
        {"trip": ASKED, "requested_at": NOW.isoformat()},
    )
    assert [t["id"] for t in shots["trips"]] == ["later", "new", "earlier"]  # newest start first
    shown = shots["trips"][1]
    assert shown == {
        **ASKED,
        "state": "open",
        "my_role": "resident",
        "resident_name": "李志愿",
        "volunteer": None,
        "code_word": None,
        "my_rating": None,
        "rating_of_me": None,
        "created_at": NOW.isoformat(),
        "updated_at": NOW.isoformat(),
        "claimed_at": None,
        "started_at": None,
        "completed_at": None,
        "cancelled_at": None,
        "version": 0,
        "sending": True,
    }


def test_a_request_the_server_already_holds_is_not_shown_twice():
    held = trip("new", my_role="resident")
    shots = overlay("trip_request", snapshots(trips=[held]), {"trip": ASKED})
    assert shots["trips"] == [held]


def test_a_claim_moves_the_trip_from_open_to_mine_as_claimed_and_sending():
    free = trip("free", resident_name=None)
    other = trip("other", start_at="2026-11-24T06:00:00Z")
    shots = overlay(
        "trip_claim",
        snapshots(open_trips=[free, other], trips=[trip("old", "completed", "volunteer")]),
        {"trip_id": "free", "trip": free},
    )
    assert [t["id"] for t in shots["open_trips"]] == ["other"]
    claimed = next(t for t in shots["trips"] if t["id"] == "free")
    assert claimed == {
        **free,
        "state": "claimed",
        "my_role": "volunteer",
        "volunteer": None,  # not registered here: no name to show
        "code_word": None,
        "sending": True,
    }


def test_a_claim_names_me_as_the_volunteer_as_the_server_will():
    free = trip("free")
    registered = {"real_name": "李志愿", "phone": "13800000002", "status": "verified"}
    shots = overlay(
        "trip_claim",
        snapshots(open_trips=[free], volunteer=registered),
        {"trip_id": "free", "trip": free},
    )
    assert shots["trips"][0]["volunteer"] == {"name": "李志愿", "phone": "13800000002"}


def test_a_claim_still_shows_after_a_refresh_took_the_trip_off_the_open_list():
    free = trip("free")
    shots = overlay("trip_claim", snapshots(open_trips=[]), {"trip_id": "free", "trip": free})
    assert [(t["id"], t["state"], t["sending"]) for t in shots["trips"]] == [
        ("free", "claimed", True)
    ]


def test_a_claim_the_server_already_holds_is_not_shown_twice():
    mine = trip("free", "claimed", "volunteer", code_word="月亮 茶杯")
    shots = overlay(
        "trip_claim", snapshots(trips=[mine]), {"trip_id": "free", "trip": trip("free")}
    )
    assert shots["trips"] == [{**mine, "sending": True}]  # the code word kept


@pytest.mark.parametrize(
    ("kind", "before", "changed"),
    [
        ("trip_cancel", trip("t", "claimed", "resident"), {"state": "cancelled"}),
        ("trip_start", trip("t", "claimed", "volunteer"), {"state": "in_progress"}),
        ("trip_complete", trip("t", "in_progress", "volunteer"), {"state": "completed"}),
        (
            "trip_release",
            trip("t", "claimed", "volunteer", code_word="月亮 茶杯",
                 volunteer={"name": "李志愿", "phone": "13800000002"}),
            {"state": "open", "code_word": None, "volunteer": None},
        ),
    ],
)  # fmt: skip
def test_a_step_changes_the_state_and_marks_the_trip_sending(
    kind: str, before: dict, changed: dict
):
    untouched = trip("other", "claimed", "resident")
    shots = overlay(kind, snapshots(trips=[before, untouched]), {"trip_id": "t"})
    assert shots["trips"] == [{**before, **changed, "sending": True}, untouched]


def test_a_rating_shows_as_mine_at_once():
    done = trip("t", "completed", "resident")
    shots = overlay(
        "trip_rate", snapshots(trips=[done]), {"trip_id": "t", "stars": 5, "comment": "准时"}
    )
    assert shots["trips"] == [
        {**done, "my_rating": {"stars": 5, "comment": "准时"}, "sending": True}
    ]


def test_a_step_on_a_trip_not_shown_changes_nothing():
    mine = trip("t", "claimed", "resident")
    for kind in ("trip_cancel", "trip_start", "trip_complete", "trip_release"):
        assert overlay(kind, snapshots(trips=[mine]), {"trip_id": "gone"})["trips"] == [mine]


FORM = {
    "real_name": "李志愿",
    "id_number": "310104199001011233",
    "phone": "13800000002",
    "skills": ["sighted_guide"],
    "districts": ["310101"],
    "availability": ["weekend"],
}


def test_a_registration_shows_as_pending_with_the_id_number_masked():
    shots = overlay(
        "volunteer_register", snapshots(), {"form": FORM, "requested_at": NOW.isoformat()}
    )
    assert shots["volunteer"] == {
        **FORM,
        "id_number": "310***********1233",
        "user_id": None,
        "status": "pending",
        "created_at": NOW.isoformat(),
        "verified_at": None,
        "sending": True,
    }
    assert mask_id_number("11010519491231002X") == "110***********002X"


def test_a_registration_over_an_existing_one_keeps_the_servers():
    verified = {**FORM, "id_number": "310***********1233", "status": "verified"}
    shots = overlay("volunteer_register", snapshots(volunteer=verified), {"form": FORM})
    assert shots["volunteer"] == verified


def notification(n: int, read_at: str | None = None) -> dict[str, Any]:
    return {"id": n, "kind": "trip_claimed", "trip_id": "t", "data": {}, "read_at": read_at}


def test_reading_notifications_marks_those_up_to_the_id():
    items = [notification(5), notification(4), notification(3, "earlier"), notification(2)]
    shots = overlay(
        "notifications_read", snapshots(notifications=items), {"up_to_id": 4, "read_at": "now"}
    )
    assert [(n["id"], n["read_at"], n.get("sending")) for n in shots["notifications"]] == [
        (5, None, None),
        (4, "now", True),
        (3, "earlier", None),  # read before: kept as it was
        (2, "now", True),
    ]
    assert [n["id"] for n in unread_notifications(shots["notifications"])] == [5]


# -- settles: the server's answer goes into the right snapshot --------------------------------


def test_a_settled_request_replaces_the_overlay_row_with_the_servers(store: LocalStore):
    save(store, trips=[trip("earlier", my_role="resident")])
    answer = trip("new", my_role="resident", start_at="2026-11-24T06:00:00Z", version=1)
    settle(store, "trip_request", {"trip": ASKED}, answer)
    assert [t["id"] for t in stored(store, "trips")] == ["new", "earlier"]
    assert stored(store, "trips")[0] == answer  # no "sending": the server's own


@pytest.mark.parametrize("kind", ["trip_cancel", "trip_start", "trip_complete", "trip_rate"])
def test_a_settled_step_replaces_the_trip_by_id(store: LocalStore, kind: str):
    first, second = trip("a", "claimed", "resident"), trip("b", "claimed", "volunteer")
    save(store, trips=[first, second])
    answer = {**second, "state": "in_progress", "version": 2}
    settle(store, kind, {"trip_id": "b", "stars": 5}, answer)
    assert stored(store, "trips") == [first, answer]


def test_a_settled_claim_is_mine_and_off_the_open_list(store: LocalStore):
    save(store, trips=[], open_trips=[trip("free"), trip("other")])
    answer = trip("free", "claimed", "volunteer", code_word="月亮 茶杯", version=2)
    settle(store, "trip_claim", {"trip_id": "free", "trip": trip("free")}, answer)
    assert stored(store, "trips") == [answer]
    assert [t["id"] for t in stored(store, "open_trips")] == ["other"]


def test_a_settled_release_leaves_my_trips_and_is_open_again(store: LocalStore):
    mine = trip("t", "claimed", "volunteer", code_word="月亮 茶杯")
    soon = trip("soon", start_at="2026-11-21T06:00:00Z")
    late = trip("late", start_at="2026-11-29T06:00:00Z")
    save(store, trips=[mine], open_trips=[soon, late])
    answer = trip("t", "open", None, version=3)
    settle(store, "trip_release", {"trip_id": "t"}, answer)
    assert stored(store, "trips") == []
    assert [t["id"] for t in stored(store, "open_trips")] == ["soon", "t", "late"]  # soonest first


def test_a_release_that_expired_the_trip_does_not_offer_it(store: LocalStore):
    save(store, trips=[trip("t", "claimed", "volunteer")], open_trips=[])
    settle(store, "trip_release", {"trip_id": "t"}, trip("t", "expired", None))
    assert (stored(store, "trips"), stored(store, "open_trips")) == ([], [])


def test_a_settled_registration_is_the_servers(store: LocalStore):
    answer = {**FORM, "id_number": "310***********1233", "status": "verified", "user_id": 7}
    settle(store, "volunteer_register", {"form": FORM}, answer)
    assert stored(store, "volunteer") == answer


def test_settled_reading_marks_the_stored_notifications(store: LocalStore):
    save(store, notifications=[notification(3), notification(2), notification(1, "before")])
    settle(store, "notifications_read", {"up_to_id": 2, "read_at": "now"}, {"unread": 1})
    assert [(n["id"], n["read_at"]) for n in stored(store, "notifications")] == [
        (3, None),
        (2, "now"),
        (1, "before"),
    ]
    assert "sending" not in stored(store, "notifications")[1]


def test_put_trip_keeps_the_servers_order():
    trips = [trip("b", start_at="2026-11-25T00:00:00Z"), trip("a", start_at="2026-11-22T00:00Z")]
    assert [t["id"] for t in put_trip(trips, {**trips[1], "state": "claimed"})] == ["b", "a"]
    added = put_trip(trips, trip("c", start_at="2026-11-23T08:00:00+08:00"), soonest_first=False)
    assert [t["id"] for t in added] == ["b", "c", "a"]


# -- the whole path over a real store: queue, view, refusal -------------------------------------


@pytest.fixture
def personal(store: LocalStore) -> Iterator[PersonalData]:
    personal = signed_in_personal(store)
    save(
        store,
        me=ME,
        volunteer={**FORM, "status": "verified"},
        trips=[trip("asked", "open", "resident")],
        open_trips=[trip("free", start_at="2026-11-21T06:00:00Z"), trip("other")],
        notifications=[notification(2), notification(1)],
    )
    yield personal
    personal.account.api.close()


@pytest.fixture
def actions(personal: PersonalData) -> TripCommands:
    return TripCommands(personal, now=lambda: NOW)


def test_every_action_shows_in_the_view_at_once(personal: PersonalData, actions: TripCommands):
    draft = TripDraft(
        "家", "瑞金医院", date(2026, 11, 23), "14点", "310101", ["wheelchair"], "13800000002"
    )
    new_id = actions.request_trip(draft)
    actions.claim_trip("free")
    actions.cancel_trip("asked")
    actions.mark_notifications_read(2)

    view = personal.view()
    assert view.waiting == 4
    assert [t["id"] for t in view.open_trips] == ["other"]
    shown = {t["id"]: (t["state"], t["my_role"], t.get("sending")) for t in view.trips}
    assert shown == {
        new_id: ("open", "resident", True),
        "free": ("claimed", "volunteer", True),
        "asked": ("cancelled", "resident", True),
    }
    assert [t["id"] for t in my_volunteering(view.trips)] == ["free"]
    assert {t["id"] for t in my_requests(view.trips)} == {new_id, "asked"}
    assert unread_notifications(view.notifications) == []


def test_actions_build_on_each_other_in_the_view(personal: PersonalData, actions: TripCommands):
    actions.claim_trip("free")
    actions.start_trip("free")  # allowed: the claim shows, though not sent yet
    actions.complete_trip("free")
    actions.rate_trip("free", 5, " 很好 ")
    [shown] = [t for t in personal.view().trips if t["id"] == "free"]
    assert (shown["state"], shown["my_rating"]) == ("completed", {"stars": 5, "comment": "很好"})


def test_a_refused_claim_leaves_the_view(personal: PersonalData, actions: TripCommands):
    action_id = actions.claim_trip("free")
    personal.outbox.mark_rejected(action_id, "trip_taken", "409 trip_taken")

    view = personal.view()
    assert view.waiting == 0
    assert "free" not in {t["id"] for t in view.trips}
    # Back on the open list from the snapshot until the reload after a refusal refreshes it.
    assert "free" in {t["id"] for t in view.open_trips}
    [rejection] = personal.outbox.take_rejections(OWNER)
    assert (rejection.kind, rejection.code, rejection.payload["trip_id"]) == (
        "trip_claim",
        "trip_taken",
        "free",
    )


def test_a_registration_then_shows_as_pending(personal: PersonalData, store: LocalStore):
    save(store, volunteer=None)
    actions = TripCommands(personal, now=lambda: NOW)
    actions.register_volunteer(VolunteerForm(**FORM))
    volunteer = personal.view().volunteer
    assert volunteer is not None
    assert (volunteer["status"], volunteer["id_number"], volunteer["sending"]) == (
        "pending",
        "310***********1233",
        True,
    )


# -- helpers for the screens -----------------------------------------------------------------


def test_recent_places_are_the_own_requests_places_most_recent_first():
    trips = [
        trip("1", my_role="resident", from_place="家", to_place="公园", created_at="2026-11-19T00:00:00Z"),
        trip("2", my_role="volunteer", from_place="别人家", to_place="车站", created_at="2026-11-20T00:00:00Z"),
        trip("3", my_role="resident", from_place="家", to_place="医院", created_at="2026-11-18T00:00:00Z"),
        trip("4", my_role="resident", from_place="图书馆", to_place="家", created_at="2026-11-17T00:00:00Z"),
        trip("5", my_role="resident", from_place="超市", to_place="银行", created_at="2026-11-16T00:00:00Z"),
    ]  # fmt: skip
    assert recent_places(trips) == ["家", "公园", "医院", "图书馆", "超市"]
    assert recent_places(trips, limit=2) == ["家", "公园"]
    assert recent_places([]) == []


def test_filter_open_trips():
    now = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
    trips = [
        trip("past", start_at="2026-11-19T23:59:00Z"),
        trip("soon", start_at="2026-11-20T06:00:00Z", district="310101", needs=["sighted_guide"]),
        trip("wheel", start_at="2026-11-21T06:00:00Z", district="310104", needs=["wheelchair"]),
        trip("both", start_at="2026-11-23T06:00:00Z", needs=["sighted_guide", "wheelchair"]),
        trip("far", start_at="2026-12-10T06:00:00Z", district="310115"),
    ]

    def ids(**choices: Any) -> list[str]:
        chosen = {"districts": None, "within_days": None, "skills": None, **choices}
        return [t["id"] for t in filter_open_trips(trips, now=now, **chosen)]

    assert ids() == ["soon", "wheel", "both", "far"]  # a passed start is never offered
    assert ids(districts={"310101"}) == ["soon", "both"]
    assert ids(districts={"310104", "310115"}) == ["wheel", "far"]
    assert ids(within_days=1) == ["soon"]
    assert ids(within_days=3) == ["soon", "wheel"]
    assert ids(skills={"sighted_guide"}) == ["soon", "far"]
    assert ids(skills={"sighted_guide", "wheelchair"}) == ["soon", "wheel", "both", "far"]
    assert ids(districts={"310101"}, within_days=7, skills={"sighted_guide"}) == ["soon"]
    assert ids(districts=set()) == []


def test_a_refresh_keeps_a_trip_an_action_stored_after_the_fetch_left():
    from services.personal import _keep_newer  # the refresh's merge, over plain lists

    stored = [trip("a", "claimed", version=3), trip("b", version=1)]
    fetched = [trip("a", "open", version=2), trip("b", "cancelled", version=2), trip("c")]
    merged = _keep_newer(stored, fetched)
    assert [(t["id"], t["state"]) for t in merged] == [
        ("a", "claimed"),  # stored later than fetched: kept
        ("b", "cancelled"),  # fetched is newer
        ("c", "open"),
    ]
    items = [{"id": 1, "title": "no version"}]
    assert _keep_newer([{"id": 1, "title": "old"}], items) == items  # lists without versions
    assert _keep_newer(None, items) == items
