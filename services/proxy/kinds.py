"""Outbox kinds of acting on behalf (代办): the resident confirms or withdraws a consent, the
helper ends one.

Same three parts as every kind (``services.sync.kinds``). The snapshots they touch:

* ``consents``: ``GET /me/consents``, every consent the resident granted, newest first, each
  with the ``actions`` done under it;
* ``proxy_consents``: ``GET /proxy/consents``, the helper's live consents (pending or active).

Both are fetched only while the person acts as themselves (``services.personal``), and both kinds
are queued as the person themselves, never as someone they act for. A row an overlay changes
carries ``"sending": True`` until the server's answer replaces it.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from services.api import ApiResponse
from services.proxy.states import ACTIVE, LIVE, PENDING
from services.sync.kinds import ActionKind, Request, Snapshots
from services.sync.store import read_snapshot, save_snapshot

CONSENT_CONFIRM = "consent_confirm"
CONSENT_WITHDRAW = "consent_withdraw"
CONSENT_END = "consent_end"
CONSENTS, PROXY_CONSENTS = "consents", "proxy_consents"
Row = dict[str, Any]


def _mark(
    snapshots: Snapshots, key: str, consent_id: str, state: str, was: tuple[str, ...] = LIVE
) -> None:
    """The consent shown in ``state`` while its action is sent, if it is still in one of ``was``."""
    snapshots[key] = [
        {**c, "state": state, "sending": True} if c["id"] == consent_id and c["state"] in was
        else c
        for c in snapshots.get(key) or []
    ]  # fmt: skip


def _put(rows: list[Row], answer: Row) -> list[Row]:
    return [answer if c["id"] == answer["id"] else c for c in rows]


# -- the resident confirms ----------------------------------------------------------------------


def _confirm_request(payload: dict[str, Any]) -> Request:
    return Request("POST", f"/me/consents/{payload['consent_id']}/confirm")


def _confirm_overlay(snapshots: Snapshots, payload: dict[str, Any]) -> None:
    _mark(snapshots, CONSENTS, payload["consent_id"], ACTIVE, was=(PENDING,))


def _settle_granted(db: sqlite3.Connection, payload: dict[str, Any], response: ApiResponse) -> None:
    save_snapshot(db, CONSENTS, _put(read_snapshot(db, CONSENTS) or [], response.body))


# -- the resident withdraws (or refuses one pending) ----------------------------------------------


def _withdraw_request(payload: dict[str, Any]) -> Request:
    return Request("POST", f"/me/consents/{payload['consent_id']}/withdraw")


def _withdraw_overlay(snapshots: Snapshots, payload: dict[str, Any]) -> None:
    _mark(snapshots, CONSENTS, payload["consent_id"], "withdrawn")


# -- the helper ends ----------------------------------------------------------------------------


def _end_request(payload: dict[str, Any]) -> Request:
    return Request("POST", f"/proxy/consents/{payload['consent_id']}/end")


def _end_overlay(snapshots: Snapshots, payload: dict[str, Any]) -> None:
    _mark(snapshots, PROXY_CONSENTS, payload["consent_id"], "ended")


def _end_settle(db: sqlite3.Connection, payload: dict[str, Any], response: ApiResponse) -> None:
    # The helper's list holds live consents only, as GET /proxy/consents does.
    rows = _put(read_snapshot(db, PROXY_CONSENTS) or [], response.body)
    save_snapshot(db, PROXY_CONSENTS, [c for c in rows if c["state"] in LIVE])


PROXY_KINDS = (
    ActionKind(CONSENT_CONFIRM, _confirm_request, _confirm_overlay, _settle_granted),
    ActionKind(CONSENT_WITHDRAW, _withdraw_request, _withdraw_overlay, _settle_granted),
    ActionKind(CONSENT_END, _end_request, _end_overlay, _end_settle),
)
