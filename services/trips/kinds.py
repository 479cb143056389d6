"""Outbox kinds of 助盲出行: trips, volunteer registration and reading notifications.

Same three parts as every kind (``services.sync.kinds``). The snapshots they touch:

* ``trips``: ``GET /trips/mine``, newest start first: the person's requests and the trips they
  volunteer on;
* ``open_trips``: ``GET /trips/open``, soonest first: what a verified volunteer may claim;
* ``volunteer``: ``GET /volunteers/me`` (None when not registered);
* ``notifications``: ``GET /me/notifications``.

Every row an overlay adds or changes carries ``"sending": True`` until the server's answer
replaces it. Overlays are safe over a snapshot that already holds the action's effect (a refresh
may land after the server acted but before the sender stored its answer): nothing is added twice.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from services.api import ApiResponse
from services.events.kinds import SIGNUPS
from services.rows import find, without
from services.sync.kinds import ActionKind, Request, Snapshots
from services.sync.store import read_snapshot, save_snapshot
from services.trips.time import parse_instant

TRIP_REQUEST = "trip_request"
TRIP_CANCEL = "trip_cancel"
TRIP_CLAIM = "trip_claim"
TRIP_START = "trip_start"
TRIP_COMPLETE = "trip_complete"
TRIP_RELEASE = "trip_release"
TRIP_RATE = "trip_rate"
VOLUNTEER_REGISTER = "volunteer_register"
NOTIFICATIONS_READ = "notifications_read"

TRIPS, OPEN_TRIPS, VOLUNTEER, NOTIFICATIONS = "trips", "open_trips", "volunteer", "notifications"
SENDING = "sending"  # on rows the server has not confirmed yet

Trip = dict[str, Any]

# What the server fills in that a request made here cannot know yet (TripPublic's other fields).
_NOT_YET_KNOWN: Trip = {
    "volunteer": None,
    "code_word": None,
    "my_rating": None,
    "rating_of_me": None,
    "claimed_at": None,
    "started_at": None,
    "completed_at": None,
    "cancelled_at": None,
    "version": 0,
}


# -- lists of trips, kept in the server's order -------------------------------------------------


def put_trip(trips: list[Trip], trip: Trip, *, soonest_first: bool = False) -> list[Trip]:
    """``trips`` with ``trip`` in place of the one with its id, or added where its start sorts.

    ``trips`` is newest start first (``/trips/mine``); ``open_trips`` is soonest first.
    """
    if find(trips, trip["id"]) is not None:
        return [trip if t["id"] == trip["id"] else t for t in trips]
    return sorted(
        [*trips, trip], key=lambda t: parse_instant(t["start_at"]), reverse=not soonest_first
    )


def _change(snapshots: Snapshots, trip_id: str, **fields: Any) -> None:
    """Show a change to one of the person's trips, marked as sending."""
    trips = snapshots.get(TRIPS) or []
    snapshots[TRIPS] = [{**t, **fields, SENDING: True} if t["id"] == trip_id else t for t in trips]


def _store_trip(db: sqlite3.Connection, trip: Trip) -> None:
    save_snapshot(db, TRIPS, put_trip(read_snapshot(db, TRIPS) or [], trip))


def _trip_path(payload: dict[str, Any], verb: str) -> str:
    return f"/trips/{payload['trip_id']}/{verb}"


# -- request a trip ------------------------------------------------------------------------------
# payload: {"trip": <the POST /trips body, with the client's UUID>, "requested_at": ISO time}


def _request_request(payload: dict[str, Any]) -> Request:
    return Request("POST", "/trips", json=payload["trip"])


def _request_overlay(snapshots: Snapshots, payload: dict[str, Any]) -> None:
    trips = snapshots.get(TRIPS) or []
    asked = payload["trip"]
    _link_guide_trip(snapshots, asked, sending=True)
    if find(trips, asked["id"]) is not None:
        return  # the server has it already
    me = snapshots.get("me") or {}
    trip = {
        **_NOT_YET_KNOWN,
        **asked,
        "state": "open",
        "my_role": "resident",
        "resident_name": me.get("name"),
        "created_at": payload.get("requested_at"),
        "updated_at": payload.get("requested_at"),
        SENDING: True,
    }
    snapshots[TRIPS] = put_trip(trips, trip)


def _trip_settle(db: sqlite3.Connection, payload: dict[str, Any], response: ApiResponse) -> None:
    _store_trip(db, response.body)


def _link_guide_trip(snapshots: Snapshots, trip: Trip, *, sending: bool) -> None:
    """A guide trip to an event shows on the person's sign-up for it, as the server links it."""
    event_id = trip.get("event_id")
    if not event_id:
        return
    marks = {SENDING: True} if sending else {}
    snapshots[SIGNUPS] = [
        {**s, "guide_trip_id": trip["id"], **marks}
        if s["event_id"] == event_id and s.get("guide_trip_id") != trip["id"]
        else s
        for s in snapshots.get(SIGNUPS) or []
    ]


def _request_settle(db: sqlite3.Connection, payload: dict[str, Any], response: ApiResponse) -> None:
    _store_trip(db, response.body)
    signups = read_snapshot(db, SIGNUPS)
    if signups is not None and response.body.get("event_id"):
        linked = {SIGNUPS: signups}
        _link_guide_trip(linked, response.body, sending=False)
        save_snapshot(db, SIGNUPS, linked[SIGNUPS])


# -- a volunteer claims an open trip -------------------------------------------------------------
# payload: {"trip_id", "trip": the open trip as shown when claimed}: shown even if a refresh has
# taken it off the open list meanwhile (until the server says whether the claim won).


def _claim_request(payload: dict[str, Any]) -> Request:
    return Request("POST", _trip_path(payload, "claim"))


def _claim_overlay(snapshots: Snapshots, payload: dict[str, Any]) -> None:
    trip_id = payload["trip_id"]
    open_trips = snapshots.get(OPEN_TRIPS) or []
    shown = find(open_trips, trip_id) or payload.get("trip")
    snapshots[OPEN_TRIPS] = without(open_trips, trip_id)
    trips = snapshots.get(TRIPS) or []
    if find(trips, trip_id) is not None:
        _change(snapshots, trip_id)  # already ours on the server
    elif shown is not None:
        me = snapshots.get(VOLUNTEER) or {}  # as the server names the volunteer on a trip
        claimed = {
            **shown,
            "state": "claimed",
            "my_role": "volunteer",
            "volunteer": {"name": me.get("real_name"), "phone": me.get("phone")} if me else None,
            "code_word": None,  # the server draws it
            SENDING: True,
        }
        snapshots[TRIPS] = put_trip(trips, claimed)


def _claim_settle(db: sqlite3.Connection, payload: dict[str, Any], response: ApiResponse) -> None:
    _store_trip(db, response.body)
    open_trips = read_snapshot(db, OPEN_TRIPS)
    if open_trips is not None:
        save_snapshot(db, OPEN_TRIPS, without(open_trips, payload["trip_id"]))


# -- cancel, start, complete: a new state -------------------------------------------------------
# payload: {"trip_id"}


def _transition(
    verb: str, state: str
) -> tuple[Callable[[dict[str, Any]], Request], Callable[[Snapshots, dict[str, Any]], None]]:
    def request(payload: dict[str, Any]) -> Request:
        return Request("POST", _trip_path(payload, verb))

    def overlay(snapshots: Snapshots, payload: dict[str, Any]) -> None:
        _change(snapshots, payload["trip_id"], state=state)

    return request, overlay


_cancel_request, _cancel_overlay = _transition("cancel", "cancelled")
_start_request, _start_overlay = _transition("start", "in_progress")
_complete_request, _complete_overlay = _transition("complete", "completed")


# -- a volunteer releases a claimed trip: open again, and no longer theirs ----------------------
# payload: {"trip_id"}


def _release_request(payload: dict[str, Any]) -> Request:
    return Request("POST", _trip_path(payload, "release"))


def _release_overlay(snapshots: Snapshots, payload: dict[str, Any]) -> None:
    # Kept in the volunteer's list, marked sending, until the server confirms.
    _change(snapshots, payload["trip_id"], state="open", volunteer=None, code_word=None)


def _release_settle(db: sqlite3.Connection, payload: dict[str, Any], response: ApiResponse) -> None:
    trip_id = payload["trip_id"]
    save_snapshot(db, TRIPS, without(read_snapshot(db, TRIPS) or [], trip_id))
    released = response.body
    open_trips = read_snapshot(db, OPEN_TRIPS)
    if open_trips is not None and released.get("state") == "open":
        # Open to every verified volunteer again, this one included (as GET /trips/open says).
        save_snapshot(db, OPEN_TRIPS, put_trip(open_trips, released, soonest_first=True))


# -- rate the other person on a completed trip ---------------------------------------------------
# payload: {"trip_id", "stars", "comment"}


def _rate_request(payload: dict[str, Any]) -> Request:
    body = {"stars": payload["stars"], "comment": payload.get("comment")}
    return Request("POST", _trip_path(payload, "rate"), json=body)


def _rate_overlay(snapshots: Snapshots, payload: dict[str, Any]) -> None:
    rating = {"stars": payload["stars"], "comment": payload.get("comment")}
    _change(snapshots, payload["trip_id"], my_rating=rating)


# -- register as a volunteer ---------------------------------------------------------------------
# payload: {"form": <the POST /volunteers body>, "requested_at": ISO time}


def mask_id_number(number: str) -> str:
    """As the server shows it: the first 3 and last 4 characters."""
    return number[:3] + "*" * max(0, len(number) - 7) + number[-4:]


def _register_request(payload: dict[str, Any]) -> Request:
    return Request("POST", "/volunteers", json=payload["form"])


def _register_overlay(snapshots: Snapshots, payload: dict[str, Any]) -> None:
    if snapshots.get(VOLUNTEER) is not None:
        return  # registered already: the server will say so
    form = payload["form"]
    snapshots[VOLUNTEER] = {
        **form,
        "id_number": mask_id_number(form["id_number"]),
        "user_id": None,
        "status": "pending",
        "created_at": payload.get("requested_at"),
        "verified_at": None,
        SENDING: True,
    }


def _register_settle(
    db: sqlite3.Connection, payload: dict[str, Any], response: ApiResponse
) -> None:
    save_snapshot(db, VOLUNTEER, response.body)


# -- notifications read up to an id --------------------------------------------------------------
# payload: {"up_to_id", "read_at": ISO time}; the server answers {"unread": n}


def _read_request(payload: dict[str, Any]) -> Request:
    return Request("POST", "/me/notifications/read", json={"up_to_id": payload["up_to_id"]})


def _mark_read(
    notifications: list[dict[str, Any]], payload: dict[str, Any], **extra: Any
) -> list[dict[str, Any]]:
    up_to = payload["up_to_id"]
    return [
        {**n, "read_at": payload.get("read_at"), **extra}
        if n["id"] <= up_to and n.get("read_at") is None
        else n
        for n in notifications
    ]


def _read_overlay(snapshots: Snapshots, payload: dict[str, Any]) -> None:
    snapshots[NOTIFICATIONS] = _mark_read(snapshots.get(NOTIFICATIONS) or [], payload, sending=True)


def _read_settle(db: sqlite3.Connection, payload: dict[str, Any], response: ApiResponse) -> None:
    notifications = read_snapshot(db, NOTIFICATIONS)
    if notifications is not None:
        save_snapshot(db, NOTIFICATIONS, _mark_read(notifications, payload))


TRIP_KINDS: tuple[ActionKind, ...] = (
    ActionKind(TRIP_REQUEST, _request_request, _request_overlay, _request_settle),
    ActionKind(TRIP_CANCEL, _cancel_request, _cancel_overlay, _trip_settle),
    ActionKind(TRIP_CLAIM, _claim_request, _claim_overlay, _claim_settle),
    ActionKind(TRIP_START, _start_request, _start_overlay, _trip_settle),
    ActionKind(TRIP_COMPLETE, _complete_request, _complete_overlay, _trip_settle),
    ActionKind(TRIP_RELEASE, _release_request, _release_overlay, _release_settle),
    ActionKind(TRIP_RATE, _rate_request, _rate_overlay, _trip_settle),
    ActionKind(VOLUNTEER_REGISTER, _register_request, _register_overlay, _register_settle),
    ActionKind(NOTIFICATIONS_READ, _read_request, _read_overlay, _read_settle),
)
