"""The server's notion of "now", injectable so tests move time instead of sleeping.

Routes get it through ``ClockDep`` (``backend.api.deps``), which reads ``app.state.clock``; a test
sets ``app.state.clock = FakeClock(...)`` and calls ``advance()``.
"""

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
