"""Outbox kind of the account: the person's own contact details and matching facts.

The three parts every kind has are described in ``services.sync.kinds``.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from services.api import ApiResponse
from services.sync.kinds import ActionKind, Request, Snapshots
from services.sync.store import OUTBOX_PAYLOAD, SEALED_PAYLOAD, save_snapshot

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
        f"SELECT id, {OUTBOX_PAYLOAD} FROM outbox "
        "WHERE kind = ? AND status IN ('pending', 'in_flight')",
        (PROFILE_EDIT,),
    ).fetchall()
    for action_id, raw in rows:
        queued = json.loads(raw)
        if queued["base_version"] == old:
            queued["base_version"] = new
            db.execute(
                f"UPDATE outbox SET payload = {SEALED_PAYLOAD} WHERE id = ?",
                (json.dumps(queued, ensure_ascii=False, sort_keys=True), action_id),
            )


ACCOUNT_KINDS: tuple[ActionKind, ...] = (
    ActionKind(PROFILE_EDIT, _profile_request, _profile_overlay, _profile_settle),
)
