"""Outbox kind of the 政策找人 inbox: the person's answer to a policy pushed to them."""

from __future__ import annotations

import sqlite3
from typing import Any

from services.api import ApiResponse
from services.sync.kinds import ActionKind, Request, Snapshots
from services.sync.store import read_snapshot, save_snapshot

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


INBOX_KINDS: tuple[ActionKind, ...] = (
    ActionKind(INBOX_REPLY, _inbox_request, _inbox_overlay, _inbox_settle),
)
