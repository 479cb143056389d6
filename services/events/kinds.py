"""Outbox kinds of community events (阳光201): sign-up, cancel, excuse, check-in, the door, appeals.

Same three parts as every kind (``services.sync.kinds``). The snapshots they touch:

* ``signups``: ``GET /me/signups``, soonest event first, cancelled ones included; at most one
  row per event (the server reactivates the same row when someone signs up again);
* ``attendance``: ``GET /me/attendance``, a dict: ``items`` (ended, marked events, newest first),
  ``summary`` (counts by attendance, and pending appeals) and ``blocks_signup`` (always false);
* ``door``: ``GET /door/today`` for staff (else ``[]``): today's events, each with its door code,
  counts and attendees.

Every row an overlay adds or changes carries ``"sending": True`` until the server's answer
replaces it; a sign-up made here shows with ``state: "sending"`` until the answer says confirmed
or waitlisted. Overlays are safe over a snapshot that already holds the action's effect (a
refresh may land after the server acted but before the sender stored its answer): a sign-up is
not added twice, a check-in keeps its first time, and no count moves twice.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from services.api import ApiResponse
from services.events.states import HOLDING, SENDING
from services.sync.kinds import ActionKind, Request, Snapshots
from services.sync.store import read_snapshot, save_snapshot
from services.trips.time import parse_instant

EVENT_SIGNUP = "event_signup"
EVENT_CANCEL = "event_cancel"
EVENT_EXCUSE = "event_excuse"
EVENT_CHECKIN = "event_checkin"
DOOR_CHECKIN = "door_checkin"
DOOR_UNDO = "door_undo"
ATTENDANCE_APPEAL = "attendance_appeal"

SIGNUPS, ATTENDANCE, DOOR = "signups", "attendance", "door"
SUMMARY_KEYS = ("attended", "excused", "no_show", "appeals_pending")

Row = dict[str, Any]


def empty_attendance() -> dict[str, Any]:
    """What ``GET /me/attendance`` says for someone with no record yet."""
    return {"items": [], "summary": dict.fromkeys(SUMMARY_KEYS, 0), "blocks_signup": False}


# What the server fills in that a sign-up made here cannot know yet (SignupPublic's other fields).
_NOT_YET_KNOWN: Row = {
    "waitlist_position": None,
    "personal_code": None,
    "checked_in_at": None,
    "attendance": None,
    "excuse": None,
    "appeal": None,
    "guide_trip_id": None,
    "version": 0,
}


# -- the person's sign-ups: one row per event, soonest event first -------------------------------


def signup_for(signups: Iterable[Row], event_id: str) -> Row | None:
    return next((s for s in signups if s["event_id"] == event_id), None)


def put_signup(signups: list[Row], signup: Row) -> list[Row]:
    """``signups`` with ``signup`` in place of the row for its event, or added where it sorts."""
    if signup_for(signups, signup["event_id"]) is not None:
        return [signup if s["event_id"] == signup["event_id"] else s for s in signups]
    return sorted([*signups, signup], key=lambda s: parse_instant(s["start_at"]))


def _change_signup(snapshots: Snapshots, event_id: str, **fields: Any) -> None:
    signups = snapshots.get(SIGNUPS) or []
    snapshots[SIGNUPS] = [
        {**s, **fields, SENDING: True} if s["event_id"] == event_id else s for s in signups
    ]


def _store_signup(db: sqlite3.Connection, signup: Row) -> None:
    save_snapshot(db, SIGNUPS, put_signup(read_snapshot(db, SIGNUPS) or [], signup))


def _signups_path(payload: dict[str, Any], rest: str = "") -> str:
    return f"/events/{payload['event_id']}/signups{rest}"


def _signup_settle(db: sqlite3.Connection, payload: dict[str, Any], response: ApiResponse) -> None:
    _store_signup(db, response.body)


# -- sign up -------------------------------------------------------------------------------------
# payload: {"event_id", "signup_id" (the client's UUID), "event_title", "start_at", "end_at",
#           "requested_at"}: the event's facts so the row shows in "my sign-ups" at once.


def _signup_request(payload: dict[str, Any]) -> Request:
    return Request("POST", _signups_path(payload), json={"id": payload["signup_id"]})


def _signup_overlay(snapshots: Snapshots, payload: dict[str, Any]) -> None:
    signups = snapshots.get(SIGNUPS) or []
    held = signup_for(signups, payload["event_id"])
    if held is not None and (held["id"] == payload["signup_id"] or held["state"] in HOLDING):
        return  # the server has it already, or the person holds a sign-up: it answers with that
    requested_at = payload.get("requested_at")
    shown = {
        **_NOT_YET_KNOWN,
        **(held or {}),  # signing up again after cancelling: the same row, queued again
        "id": held["id"] if held is not None else payload["signup_id"],
        "event_id": payload["event_id"],
        "event_title": payload.get("event_title") or (held or {}).get("event_title"),
        "start_at": payload.get("start_at") or (held or {}).get("start_at"),
        "end_at": payload.get("end_at") or (held or {}).get("end_at"),
        "state": SENDING,
        "waitlist_position": None,
        "created_at": (held or {}).get("created_at") or requested_at,
        "updated_at": requested_at,
        SENDING: True,
    }
    snapshots[SIGNUPS] = put_signup(signups, shown)


# -- cancel my sign-up ---------------------------------------------------------------------------
# payload: {"event_id"}


def _cancel_request(payload: dict[str, Any]) -> Request:
    return Request("DELETE", _signups_path(payload, "/me"))


def _cancel_overlay(snapshots: Snapshots, payload: dict[str, Any]) -> None:
    _change_signup(snapshots, payload["event_id"], state="cancelled", waitlist_position=None)


# -- an excuse for not coming --------------------------------------------------------------------
# payload: {"event_id", "reason", "note", "at"}


def _excuse_request(payload: dict[str, Any]) -> Request:
    body = {"reason": payload["reason"], "note": payload.get("note")}
    return Request("POST", _signups_path(payload, "/me/excuse"), json=body)


def _excuse_overlay(snapshots: Snapshots, payload: dict[str, Any]) -> None:
    excuse = {
        "reason": payload["reason"],
        "note": payload.get("note"),
        "auto": False,
        "at": payload.get("at"),
    }
    _change_signup(snapshots, payload["event_id"], excuse=excuse)


# -- check-ins: the attendee with the event's code, staff at the door, undo ----------------------
# event_checkin: {"event_id", "code", "at"}; door_checkin: {"event_id", "code" | None,
# "signup_id" | None, "at"} (a personal code typed or scanned, or a row picked by name);
# door_undo: {"event_id", "signup_id"}. "at" is when the person acted: kept on the server.


def _event_checkin_request(payload: dict[str, Any]) -> Request:
    body = {"code": payload["code"], "at": payload.get("at")}
    return Request("POST", f"/events/{payload['event_id']}/checkin", json=body)


def _event_checkin_overlay(snapshots: Snapshots, payload: dict[str, Any]) -> None:
    shown = signup_for(snapshots.get(SIGNUPS) or [], payload["event_id"])
    if shown is None:
        return
    first = shown.get("checked_in_at") or payload.get("at")  # a second check-in keeps the first
    _change_signup(snapshots, payload["event_id"], checked_in_at=first, attendance="attended")


def _attendee_path(payload: dict[str, Any]) -> str:
    return f"/events/{payload['event_id']}/attendees/{payload['signup_id']}/checkin"


def _door_checkin_request(payload: dict[str, Any]) -> Request:
    if payload.get("signup_id"):
        return Request("POST", _attendee_path(payload), json={"at": payload.get("at")})
    return _event_checkin_request(payload)


def _is_attendee(attendee: Row, payload: dict[str, Any]) -> bool:
    if payload.get("signup_id"):
        return attendee["signup_id"] == payload["signup_id"]
    return bool(payload.get("code")) and attendee.get("personal_code") == payload["code"]


def _change_attendee(snapshots: Snapshots, payload: dict[str, Any], checked_in: bool) -> None:
    """Check an attendee of a door event in (at the payload's time) or out, moving the count
    only when the row really changes: an overlay over an answer that already holds it is a no-op
    for the count."""
    door = snapshots.get(DOOR) or []
    changed_door = []
    for entry in door:
        if entry["event"]["id"] != payload["event_id"]:
            changed_door.append(entry)
            continue
        delta = 0
        attendees = []
        for attendee in entry["attendees"]:
            if _is_attendee(attendee, payload):
                was_in = attendee.get("checked_in_at") is not None
                if checked_in:
                    first = attendee.get("checked_in_at") or payload.get("at")
                    attendee = {**attendee, "checked_in_at": first, "attendance": "attended"}
                else:
                    attendee = {**attendee, "checked_in_at": None, "attendance": None}
                attendee[SENDING] = True
                delta += int(checked_in) - int(was_in)
            attendees.append(attendee)
        counts = dict(entry.get("counts") or {})
        counts["checked_in"] = max(0, int(counts.get("checked_in", 0)) + delta)
        changed_door.append({**entry, "attendees": attendees, "counts": counts})
    snapshots[DOOR] = changed_door


def _door_checkin_overlay(snapshots: Snapshots, payload: dict[str, Any]) -> None:
    _change_attendee(snapshots, payload, checked_in=True)


def _door_undo_request(payload: dict[str, Any]) -> Request:
    return Request("DELETE", _attendee_path(payload))


def _door_undo_overlay(snapshots: Snapshots, payload: dict[str, Any]) -> None:
    _change_attendee(snapshots, payload, checked_in=False)


_CHECKIN_FIELDS = ("state", "checked_in_at", "attendance", "version")


def _checkin_settle(db: sqlite3.Connection, payload: dict[str, Any], response: ApiResponse) -> None:
    """Store a CheckinPublic answer: on the person's own sign-up, and on the door list."""
    answer = response.body
    fields = {key: answer[key] for key in _CHECKIN_FIELDS if key in answer}
    signups = read_snapshot(db, SIGNUPS)
    if signups is not None and any(s["id"] == answer["signup_id"] for s in signups):
        save_snapshot(
            db,
            SIGNUPS,
            [{**s, **fields} if s["id"] == answer["signup_id"] else s for s in signups],
        )
    door = read_snapshot(db, DOOR)
    if door is not None:
        save_snapshot(db, DOOR, [_door_with_answer(entry, answer, fields) for entry in door])


def _door_with_answer(entry: Row, answer: Row, fields: Row) -> Row:
    if entry["event"]["id"] != answer["event_id"]:
        return entry
    attendees = [
        {**a, **fields} if a["signup_id"] == answer["signup_id"] else a for a in entry["attendees"]
    ]
    counts = answer.get("counts") or entry.get("counts")
    return {**entry, "attendees": attendees, "counts": counts}


# -- appeal a no-show ----------------------------------------------------------------------------
# payload: {"signup_id", "reason", "text", "at"}


def _appeal_request(payload: dict[str, Any]) -> Request:
    body = {"reason": payload["reason"], "text": payload["text"]}
    return Request("POST", f"/me/attendance/{payload['signup_id']}/appeal", json=body)


def _summary_after(summary: Row, old: Row, new: Row) -> Row:
    """The attendance summary once ``old`` (a marked sign-up) has become ``new``."""
    counts = {key: int(summary.get(key, 0)) for key in SUMMARY_KEYS}
    for row, sign in ((old, -1), (new, 1)):
        if row.get("attendance") in counts:
            counts[row["attendance"]] += sign
        if (row.get("appeal") or {}).get("state") == "pending":
            counts["appeals_pending"] += sign
    return {**summary, **{key: max(0, n) for key, n in counts.items()}}


def _with_record(attendance: Row, record: Row) -> Row:
    """``attendance`` with ``record`` in place of the item with its id, the summary moved."""
    items = attendance.get("items") or []
    old = next((i for i in items if i["id"] == record["id"]), None)
    if old is None:
        return attendance
    summary = _summary_after(attendance.get("summary") or {}, old, record)
    return {
        **attendance,
        "items": [record if i["id"] == record["id"] else i for i in items],
        "summary": summary,
    }


def _appeal_overlay(snapshots: Snapshots, payload: dict[str, Any]) -> None:
    attendance = snapshots.get(ATTENDANCE) or empty_attendance()
    record = next((i for i in attendance["items"] if i["id"] == payload["signup_id"]), None)
    if record is None or record.get("appeal") is not None:
        return  # not shown, or the server holds an appeal already
    appeal = {
        "reason": payload["reason"],
        "text": payload["text"],
        "state": "pending",
        "note": None,
        "at": payload.get("at"),
        "decided_at": None,
    }
    snapshots[ATTENDANCE] = _with_record(attendance, {**record, "appeal": appeal, SENDING: True})
    signups = snapshots.get(SIGNUPS) or []
    snapshots[SIGNUPS] = [
        {**s, "appeal": appeal, SENDING: True} if s["id"] == payload["signup_id"] else s
        for s in signups
    ]


def _appeal_settle(db: sqlite3.Connection, payload: dict[str, Any], response: ApiResponse) -> None:
    record = response.body
    attendance = read_snapshot(db, ATTENDANCE)
    if attendance is not None:
        save_snapshot(db, ATTENDANCE, _with_record(attendance, record))
    signups = read_snapshot(db, SIGNUPS)
    if signups is not None and any(s["id"] == record["id"] for s in signups):
        save_snapshot(db, SIGNUPS, put_signup(signups, record))


EVENT_KINDS: tuple[ActionKind, ...] = (
    ActionKind(EVENT_SIGNUP, _signup_request, _signup_overlay, _signup_settle),
    ActionKind(EVENT_CANCEL, _cancel_request, _cancel_overlay, _signup_settle),
    ActionKind(EVENT_EXCUSE, _excuse_request, _excuse_overlay, _signup_settle),
    ActionKind(EVENT_CHECKIN, _event_checkin_request, _event_checkin_overlay, _checkin_settle),
    ActionKind(DOOR_CHECKIN, _door_checkin_request, _door_checkin_overlay, _checkin_settle),
    ActionKind(DOOR_UNDO, _door_undo_request, _door_undo_overlay, _checkin_settle),
    ActionKind(ATTENDANCE_APPEAL, _appeal_request, _appeal_overlay, _appeal_settle),
)
