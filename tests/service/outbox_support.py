"""What the outbox tests share: a clock the test moves, and what the server holds for a person."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from sqlalchemy import select
from sync_support import BackendServer

from backend.crud import get_user_by_phone
from backend.models import ActivityEntry, InboxItem


class Clock:
    """Real time plus a jump forward whenever the test lets time pass (thread-safe)."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset += max(0.0, seconds)

    def advance_to(self, when: float | None) -> None:
        if when is not None:
            self.advance(when - self())


def server_user_id(backend: BackendServer, phone: str) -> int:
    """Read in a transaction of its own, never held open while the server writes."""
    with backend.session() as session:
        return get_user_by_phone(session, phone).id


def server_keys(backend: BackendServer, phone: str) -> list[str | None]:
    user_id = server_user_id(backend, phone)
    with backend.session() as session:
        return list(
            session.scalars(
                select(ActivityEntry.request_key)
                .where(ActivityEntry.user_id == user_id)
                .order_by(ActivityEntry.id)
            )
        )


def give_inbox_items(backend: BackendServer, phone: str, count: int) -> list[int]:
    """Policies pushed to this person (政策找人), written behind the server's back."""
    user_id = server_user_id(backend, phone)
    with backend.session() as session:
        items = [
            InboxItem(
                user_id=user_id,
                title=f"政策推送 {n}",
                body="您可能符合条件，欢迎咨询。",
                created_at=datetime.now(UTC),
            )
            for n in range(count)
        ]
        session.add_all(items)
        session.commit()
        return [item.id for item in items]
