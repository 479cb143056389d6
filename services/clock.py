"""The client's one notion of "now", and Shanghai time, which every date shown or sent is in.

Shanghai has kept UTC+8 all year since 1991, so a fixed offset is exact and needs no time zone
database (which a phone build may not ship). Nothing here reads the device's zone: a phone set to
another zone still books, shows and announces Shanghai days and times.

``StartedClock`` is the test seam (``SUNSHINE_TEST_NOW``): the app starts at a chosen instant and
runs on from it, so timers and back-offs still work while "today" is the day a test chose.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def utc_iso(moment: datetime) -> str:
    """An instant as the outbox payloads carry it: ISO 8601 in UTC."""
    return moment.astimezone(UTC).isoformat()


def shanghai_day(moment: datetime) -> date:
    """The calendar day in Shanghai at ``moment`` (an aware datetime)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("moment must be an aware datetime")
    return moment.astimezone(SHANGHAI).date()


class StartedClock:
    """Starts at ``start`` and runs on with the monotonic clock."""

    def __init__(self, start: datetime, monotonic: Callable[[], float] = time.monotonic) -> None:
        if start.tzinfo is None or start.utcoffset() is None:
            raise ValueError("start must be an aware datetime")
        self._start = start.astimezone(UTC)
        self._monotonic = monotonic
        self._began = monotonic()

    def __call__(self) -> datetime:
        return self._start + timedelta(seconds=self._monotonic() - self._began)


def app_clock(start: datetime | None) -> Clock:
    """The system clock, or (tests only) one started at ``start``."""
    return utc_now if start is None else StartedClock(start)
