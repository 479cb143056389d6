"""The outbox: every action the person took, persisted until the server has it (DESIGN.md §4).

A row is written in the same transaction as the action's optimistic local change, so after a
crash either both exist or neither does. Its ``id`` is a UUID made when the person acted and is
sent as the Idempotency-Key on every attempt, so resending after a lost answer never acts twice.
Rows are sent strictly in ``seq`` order by one sender (``services.sync.sender``).

Status: ``pending`` → ``in_flight`` (an attempt is under way; a crash leaves it so, and it is
simply sent again) → ``done`` | ``rejected`` (the server refused it for good; the person is told).
The optimistic change is not a separate copy that must be undone by hand: what the person sees
is the server's last answer with every still-waiting action applied on top
(``services.personal``), so a rejected action disappears from the view by leaving the queue.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from services.sync.store import OUTBOX_PAYLOAD, SEALED_PAYLOAD, LocalStore


class OutboxStatus(StrEnum):
    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    DONE = "done"
    REJECTED = "rejected"


WAITING = (OutboxStatus.PENDING.value, OutboxStatus.IN_FLIGHT.value)
PRINCIPAL_SEPARATOR = "~"


def principal_of(owner: str, consent_id: str | None) -> str:
    """An item's owner: the signed-in user, or ``user~consent`` for what they do as a resident
    they act for (``services.account.account``)."""
    return owner if consent_id is None else f"{owner}{PRINCIPAL_SEPARATOR}{consent_id}"


def act_for_of(principal: str | None) -> str | None:
    """The consent a principal acts under (its ``X-Act-For``), or None for the user themselves."""
    if principal is None or PRINCIPAL_SEPARATOR not in principal:
        return None
    return principal.split(PRINCIPAL_SEPARATOR, 1)[1]


# Every principal of one signed-in user: what they queued as themselves and as anyone they
# acted for. Sending, counting and reporting go by the user; overlays by the exact principal.
_OF_USER = "(owner = ? OR substr(owner, 1, length(?) + 1) = ? || '~')"


def _user(owner: str) -> tuple[str, str, str]:
    return (owner, owner, owner)


_COLUMNS = (
    f"seq, id, owner, kind, {OUTBOX_PAYLOAD}, status, attempts, last_error, next_attempt_at, "
    "created_at"
)


@dataclass(frozen=True)
class OutboxItem:
    seq: int
    id: str  # the Idempotency-Key
    owner: str
    kind: str
    payload: dict[str, Any]
    status: OutboxStatus
    attempts: int
    last_error: str | None
    next_attempt_at: float
    created_at: float

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> OutboxItem:
        seq, id_, owner, kind, payload, status, attempts, error, next_at, created = row
        return cls(
            seq, id_, owner, kind, json.loads(payload), OutboxStatus(status), attempts, error,
            next_at, created,
        )  # fmt: skip


@dataclass(frozen=True)
class Rejection:
    """An action the server refused for good; the app tells the person, once."""

    id: str
    kind: str
    payload: dict[str, Any]
    code: str


class Outbox:
    def __init__(self, store: LocalStore, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock

    # -- writing ----------------------------------------------------------------------------

    def enqueue(
        self, db: sqlite3.Connection, owner: str, kind: str, payload: dict[str, Any]
    ) -> str:
        """Add an action inside the caller's transaction (the one holding its local change)."""
        action_id = str(uuid.uuid4())
        db.execute(
            "INSERT INTO outbox (id, owner, kind, payload, status, created_at) "
            f"VALUES (?, ?, ?, {SEALED_PAYLOAD}, ?, ?)",
            (
                action_id,
                owner,
                kind,
                json.dumps(payload, ensure_ascii=False, sort_keys=True),
                OutboxStatus.PENDING.value,
                self.clock(),
            ),
        )
        return action_id

    def mark_in_flight(self, action_id: str) -> None:
        with self.store.transaction() as db:
            db.execute(
                "UPDATE outbox SET status = ?, attempts = attempts + 1 WHERE id = ?",
                (OutboxStatus.IN_FLIGHT.value, action_id),
            )

    def mark_done(self, db: sqlite3.Connection, action_id: str) -> None:
        """Inside the transaction that stores the server's answer."""
        db.execute(
            "UPDATE outbox SET status = ?, last_error = NULL WHERE id = ?",
            (OutboxStatus.DONE.value, action_id),
        )

    def mark_waiting(self, action_id: str, error: str, next_attempt_at: float) -> None:
        with self.store.transaction() as db:
            db.execute(
                "UPDATE outbox SET status = ?, last_error = ?, next_attempt_at = ? WHERE id = ?",
                (OutboxStatus.PENDING.value, error[:500], next_attempt_at, action_id),
            )

    def make_due(self, now: float) -> int:
        """Every pending item (of anyone) may be tried at ``now``; how many were pausing."""
        with self.store.transaction() as db:
            return db.execute(
                "UPDATE outbox SET next_attempt_at = ? WHERE status = ? AND next_attempt_at > ?",
                (now, OutboxStatus.PENDING.value, now),
            ).rowcount

    def mark_rejected(self, action_id: str, code: str, error: str) -> None:
        with self.store.transaction() as db:
            db.execute(
                "UPDATE outbox SET status = ?, rejection_code = ?, last_error = ?, reported = 0 "
                "WHERE id = ?",
                (OutboxStatus.REJECTED.value, code, error[:500], action_id),
            )

    def take_rejections(self, owner: str) -> list[Rejection]:
        """Rejections not yet told to the person (of everything they queued, as themselves or
        for someone they acted for); each is returned exactly once."""
        with self.store.transaction() as db:
            rows = db.execute(
                f"SELECT id, kind, {OUTBOX_PAYLOAD}, rejection_code FROM outbox "
                f"WHERE {_OF_USER} AND status = ? AND reported = 0 ORDER BY seq",
                (*_user(owner), OutboxStatus.REJECTED.value),
            ).fetchall()
            db.execute(
                f"UPDATE outbox SET reported = 1 WHERE {_OF_USER} AND status = ? AND reported = 0",
                (*_user(owner), OutboxStatus.REJECTED.value),
            )
        return [Rejection(r[0], r[1], json.loads(r[2]), r[3] or "") for r in rows]

    def forget_finished(self, older_than: float) -> int:
        """Drop done rows, and rejected ones already reported, older than ``older_than``."""
        with self.store.transaction() as db:
            cursor = db.execute(
                "DELETE FROM outbox WHERE created_at < ? AND "
                "(status = ? OR (status = ? AND reported = 1))",
                (older_than, OutboxStatus.DONE.value, OutboxStatus.REJECTED.value),
            )
        return cursor.rowcount

    # -- reading ----------------------------------------------------------------------------

    def waiting(self, owner: str) -> list[OutboxItem]:
        """Actions of exactly this principal not yet accepted or refused, oldest first (what the
        view overlays: never one principal's actions on another's data)."""
        rows = self.store.read(
            f"SELECT {_COLUMNS} FROM outbox WHERE owner = ? AND status IN (?, ?) ORDER BY seq",
            (owner, *WAITING),
        )
        return [OutboxItem.from_row(r) for r in rows]

    def head(self, owner: str) -> OutboxItem | None:
        """The user's oldest waiting item, whichever principal it was queued as."""
        rows = self.store.read(
            f"SELECT {_COLUMNS} FROM outbox WHERE {_OF_USER} AND status IN (?, ?) "
            "ORDER BY seq LIMIT 1",
            (*_user(owner), *WAITING),
        )
        return OutboxItem.from_row(rows[0]) if rows else None

    def waiting_count(self, owner: str) -> int:
        """The user's waiting items, whichever principal they were queued as."""
        rows = self.store.read(
            f"SELECT COUNT(*) FROM outbox WHERE {_OF_USER} AND status IN (?, ?)",
            (*_user(owner), *WAITING),
        )
        return int(rows[0][0])

    def get(self, action_id: str) -> OutboxItem | None:
        rows = self.store.read(f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", (action_id,))
        return OutboxItem.from_row(rows[0]) if rows else None

    def statuses(self, owner: str) -> dict[str, OutboxStatus]:
        rows = self.store.read("SELECT id, status FROM outbox WHERE owner = ?", (owner,))
        return {r[0]: OutboxStatus(r[1]) for r in rows}
