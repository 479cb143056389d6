"""The kinds of action the outbox carries: how each is sent, shown early, and settled.

Each kind is three small functions over plain data:

* ``request``: the HTTP request for a payload (the sender adds token and Idempotency-Key);
* ``overlay``: apply the payload to a copy of the server's last answer, so the person sees the
  action at once, before it is sent ("optimistic");
* ``settle``: store the server's answer as the new snapshot, in the transaction that marks the
  action done.

New features add a kind (here, or in a module of their own such as ``trip_actions``) and
register it in ``ACTION_KINDS``.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from services.api import ApiResponse
from services.events.kinds import EVENT_ACTION_KINDS
from services.proxy.kinds import PROXY_ACTION_KINDS
from services.sync.kinds import ActionKind, Request, Snapshots
from services.sync.store import read_snapshot, save_snapshot
from services.trips.kinds import TRIP_ACTION_KINDS

# -- profile: contact fields and matching facts, with If-Match ---------------------------------

PROFILE_EDIT = "profile_edit"
CONTACT_FIELDS = ("address", "emergency_contact")


def _profile_request(payload: dict[str, Any]) -> Request:
    return Request(
        "PATCH",
        "/me",
        json=payload["changes"],
        headers={"If-Match": f'"{payload["base_version"]}"'},
    )


def _profile_overlay(snapshots: Snapshots, payload: dict[str, Any]) -> None:
    me = snapshots.get("me")
    if me is None:
        return
    changes = dict(payload["changes"])
    facts = changes.pop("facts", None)
    me = {**me, **changes}
    if facts:  # merged key by key, as the server does; None is "unknown"
        me["facts"] = {**(me.get("facts") or {}), **facts}
    snapshots["me"] = me


def _profile_settle(db: sqlite3.Connection, payload: dict[str, Any], response: ApiResponse) -> None:
    save_snapshot(db, "me", response.body)
    # Edits queued after this one were made on top of it: they build on the version it made,
    # not on the one this edit replaced (else our own edits would conflict with each other).
    old, new = payload["base_version"], response.body["version"]
    rows = db.execute(
        "SELECT id, payload FROM outbox WHERE kind = ? AND status IN ('pending', 'in_flight')",
        (PROFILE_EDIT,),
    ).fetchall()
    for action_id, raw in rows:
        queued = json.loads(raw)
        if queued["base_version"] == old:
            queued["base_version"] = new
            db.execute(
                "UPDATE outbox SET payload = ? WHERE id = ?",
                (json.dumps(queued, ensure_ascii=False, sort_keys=True), action_id),
            )


# -- 政策找人 inbox: answer a pushed policy -----------------------------------------------------

INBOX_REPLY = "inbox_reply"
INBOX_ANSWERS = ("interested", "not_interested", "need_help")


def _inbox_request(payload: dict[str, Any]) -> Request:
    body = {"answer": payload["answer"], "note": payload.get("note")}
    return Request("POST", f"/me/inbox/{payload['item_id']}/reply", json=body)


def _inbox_overlay(snapshots: Snapshots, payload: dict[str, Any]) -> None:
    snapshots["inbox"] = [
        {**item, "answer": payload["answer"], "answer_note": payload.get("note")}
        if item["id"] == payload["item_id"]
        else item
        for item in snapshots.get("inbox") or []
    ]


def _inbox_settle(db: sqlite3.Connection, payload: dict[str, Any], response: ApiResponse) -> None:
    answered = response.body
    inbox = read_snapshot(db, "inbox") or []
    save_snapshot(db, "inbox", [answered if i["id"] == answered["id"] else i for i in inbox])


ACTION_KINDS: dict[str, ActionKind] = {
    kind.name: kind
    for kind in (
        ActionKind(PROFILE_EDIT, _profile_request, _profile_overlay, _profile_settle),
        ActionKind(INBOX_REPLY, _inbox_request, _inbox_overlay, _inbox_settle),
        *TRIP_ACTION_KINDS,
        *EVENT_ACTION_KINDS,
        *PROXY_ACTION_KINDS,
    )
}
