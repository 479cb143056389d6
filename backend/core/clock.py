"""The server's notion of "now", injectable so tests move time instead of sleeping.

Routes get it through ``ClockDep`` (``backend.api.deps``), which reads ``app.state.clock``; a test
sets ``app.state.clock = FakeClock(...)`` and calls ``advance()``.
"""

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Aware UTC wall-clock time."""
    return datetime.now(UTC)


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2025, 1, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


class StartedClock:
    """Starts at ``start`` and runs on with the monotonic clock (``SUNSHINE_TEST_NOW``: a test
    process whose "now" is a chosen instant, while time still passes for timers and expiry)."""

    def __init__(self, start: datetime) -> None:
        self._start = start.astimezone(UTC)
        self._began = time.monotonic()

    def __call__(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._began)


def settings_clock(test_now: datetime | None) -> Clock:
    return system_clock if test_now is None else StartedClock(test_now)
