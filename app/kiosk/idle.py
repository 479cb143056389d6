"""Kiosk idle reset: after ``warn_after`` seconds without input a spoken, visible countdown; at
``reset_after`` the session is wiped (DESIGN.md §5: the reset warns first and can be extended).

The clock only runs while there is something to forget: a kiosk standing at its home screen
after a wipe does not keep counting down at nobody.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import flet as ft

# Flet events that are not a person's input: the session's own life, and the route change the
# client reports after the app navigates (a person's navigation is a tap or a key first, which
# counts; without this, the wipe's own return home would start the clock at an empty kiosk).
NOT_INPUT = frozenset({"connect", "disconnect", "close", "route_change"})
TICK = 0.5  # seconds between looks at the clock; the countdown shows whole seconds


@dataclass(frozen=True)
class IdlePhase:
    """Where the idle clock stands: ``seconds_left`` is None while no warning is due."""

    seconds_left: int | None = None
    expired: bool = False


class IdleClock:
    def __init__(
        self,
        warn_after: float,
        reset_after: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if reset_after <= warn_after:
            raise ValueError("the reset must come after the warning")
        self.warn_after = warn_after
        self.reset_after = reset_after
        self._clock = clock
        self._last_input = clock()
        self.in_use = False  # anything to forget since the last wipe?

    def touch(self) -> None:
        """Someone used the screen: the session is in use and the wait starts again."""
        self._last_input = self._clock()
        self.in_use = True

    def wiped(self) -> None:
        self._last_input = self._clock()
        self.in_use = False

    def phase(self) -> IdlePhase:
        if not self.in_use:
            return IdlePhase()
        idle = self._clock() - self._last_input
        if idle >= self.reset_after:
            return IdlePhase(seconds_left=0, expired=True)
        if idle >= self.warn_after:
            return IdlePhase(seconds_left=math.ceil(self.reset_after - idle))
        return IdlePhase()


def watch_input(page: ft.Page, on_input: Callable[[], None]) -> None:
    """Call ``on_input`` for every event the person's client sends (a tap, a key, typing).

    Flet has no public "any input" hook, and wrapping every handler the screens make would
    miss the ones added later; the session's single event entry point sees them all. A test
    (tests/unit/test_kiosk_idle.py) fails if a Flet upgrade renames it.
    """
    session: Any = page.session
    dispatch = session.dispatch_event

    async def dispatch_and_note(control_id: int, event_name: str, event_data: Any) -> None:
        if event_name not in NOT_INPUT:
            on_input()
        await dispatch(control_id, event_name, event_data)

    session.dispatch_event = dispatch_and_note


async def follow_idle_clock(
    idle: IdleClock,
    show: Callable[[int | None], Awaitable[None]],
    expire: Callable[[], Awaitable[None]],
) -> None:
    """For the life of the session: show the countdown while it runs, expire at zero."""
    shown: int | None = None
    while True:
        phase = idle.phase()
        if phase.expired:
            await expire()
            shown = None
        elif phase.seconds_left != shown:
            shown = phase.seconds_left
            await show(shown)
        await asyncio.sleep(TICK)
