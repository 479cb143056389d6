"""The services a person opens most, counted on this device only (the home's "frequent" section).

Nothing is sent to the server. Counts are kept per owner (the signed-in user's id; ``''`` when
nobody is signed in), in the store's ``service_usage`` table: on disk on a person's own device,
in memory on a kiosk, and wiped with the rest of the personal data on sign-out
(``LocalStore.wipe_personal``).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from services.sync.store import LocalStore

SIGNED_OUT = ""  # the owner of what is opened while nobody is signed in


def _owner_key(owner: str | None) -> str:
    return SIGNED_OUT if owner is None else owner


class ServiceUsage:
    def __init__(self, store: LocalStore, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock

    def record(self, owner: str | None, service_id: str, at: float | None = None) -> None:
        """One more use of ``service_id`` by ``owner`` (None: signed out), at ``at`` (epoch
        seconds; now by default). ``last_used`` never goes back for a late, older record."""
        moment = self.clock() if at is None else at
        with self.store.transaction() as db:
            db.execute(
                "INSERT INTO service_usage (owner, service_id, uses, last_used) "
                "VALUES (?, ?, 1, ?) ON CONFLICT (owner, service_id) DO UPDATE SET "
                "uses = service_usage.uses + 1, "
                "last_used = max(service_usage.last_used, excluded.last_used)",
                (_owner_key(owner), service_id, moment),
            )

    def frequent(self, owner: str | None, limit: int = 5) -> list[str]:
        """Service ids, most used first, then most recently used, then by id; at most ``limit``.
        A service used once counts. Ids may name services no longer in the catalogue:
        ``Catalog.services_for`` skips those."""
        if limit <= 0:
            return []
        rows = self.store.read(
            "SELECT service_id FROM service_usage WHERE owner = ? "
            "ORDER BY uses DESC, last_used DESC, service_id LIMIT ?",
            (_owner_key(owner), limit),
        )
        return [row[0] for row in rows]

    def forget(self, owner: str | None) -> None:
        """Forget every count of ``owner`` (None: those made while signed out)."""
        with self.store.transaction() as db:
            db.execute("DELETE FROM service_usage WHERE owner = ?", (_owner_key(owner),))
