"""What the unit tests of outbox kinds and commands share: a signed-in person's data over a real
store with no server at all (an unroutable URL: anything that tried to send would fail), and
one kind's overlay and settle applied by name."""

from __future__ import annotations

from typing import Any

import httpx

from app.features import OUTBOX_KINDS
from services.account.account import Account
from services.account.tokens import MemoryTokenStore
from services.api import ApiClient, ApiResponse
from services.personal import PersonalData
from services.sync.outbox import Outbox
from services.sync.store import OWNER_KEY, LocalStore, read_snapshot, save_snapshot, write_personal

OWNER = "7"


def signed_in_personal(store: LocalStore, owner: str = OWNER) -> PersonalData:
    api = ApiClient("http://127.0.0.1:9", timeout=0.1)  # never reached: nothing is sent here
    personal = PersonalData(
        store, Outbox(store), Account(api, MemoryTokenStore(), store), OUTBOX_KINDS
    )
    with store.transaction() as db:
        write_personal(db, OWNER_KEY, owner)
    return personal


def overlay(kind: str, shots: dict[str, Any], payload: dict[str, Any]) -> dict[str, Any]:
    OUTBOX_KINDS[kind].overlay(shots, payload)
    return shots


def settle(store: LocalStore, kind: str, payload: dict[str, Any], body: Any) -> None:
    with store.transaction() as db:
        OUTBOX_KINDS[kind].settle(db, payload, ApiResponse(200, body, httpx.Headers()))


def stored(store: LocalStore, key: str) -> Any:
    with store.transaction() as db:
        return read_snapshot(db, key)


def save(store: LocalStore, **values: Any) -> None:
    with store.transaction() as db:
        for key, value in values.items():
            save_snapshot(db, key, value)
