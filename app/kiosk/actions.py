"""A kiosk session's end: the idle countdown, "continue", and the wipe ("finish", or time out).

The wipe leaves nothing of the person behind: tokens (also revoked on the server when it
answers), personal rows, unsent actions and service use (a kiosk keeps them in memory tables
only, services/sync/store.py), their display choices (back to the kiosk's defaults), and every
field of the session's state. Then the kiosk is at home for the next person.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Coroutine
from typing import Any

from app.context import AppContext
from app.kiosk.idle import IdleClock
from app.kiosk.messages import (
    continued_sentence,
    countdown_sentence,
    finishing_sentence,
    idle_warning_sentence,
    wiped_sentence,
)
from app.state import AppState, SyncStatus
from services.preferences import MemoryPreferencesStore, Preferences

Announce = Callable[[str], None]
RunTask = Callable[[Callable[[], Coroutine[Any, Any, None]]], Any]
SPOKEN_AT = 10  # seconds left when the countdown is said again
SEND_BEFORE_WIPE = 5.0  # seconds a finishing kiosk waits for waiting actions to be sent


class KioskActions:
    def __init__(
        self,
        state: AppState,
        ctx: AppContext,
        idle: IdleClock,
        announce: Announce,
        speak: Callable[[list[str]], None],
        apply_preferences: Callable[[Preferences], None],
        go: Callable[[str], None],
        run_task: RunTask,
    ) -> None:
        self.state = state
        self.ctx = ctx
        self.idle = idle
        self._announce = announce
        self._speak = speak
        self._apply_preferences = apply_preferences
        self._go = go
        self._run_task = run_task
        self._wiping = False
        # Routes this person reached through the app. The browser's history outlives a wipe
        # (nothing can clear it), so Back must not reopen the last person's screens.
        self._reached: set[str] = {"/", state.route}

    # -- where the person may go ----------------------------------------------------------------

    def going_to(self, route: str) -> None:
        """The app navigates there for this person."""
        self._reached.add(route)

    def may_show(self, route: str) -> bool:
        """False for a route only the browser's history knows (Back or Forward into what an
        earlier person opened): the kiosk goes home instead, and nothing is counted."""
        return route in self._reached

    # -- the countdown ------------------------------------------------------------------------

    async def show_countdown(self, seconds_left: int | None) -> None:
        before, self.state.kiosk.seconds_left = self.state.kiosk.seconds_left, seconds_left
        if seconds_left is None:
            return
        if before is None:
            self._say(idle_warning_sentence(seconds_left))
        elif seconds_left == SPOKEN_AT:
            self._say(countdown_sentence(seconds_left))

    def keep_going(self) -> None:
        self.idle.touch()
        self.state.kiosk.seconds_left = None
        self._say(continued_sentence())

    # -- the end ------------------------------------------------------------------------------

    def finish(self) -> None:
        self._run_task(self._finish)

    async def _finish(self) -> None:
        await self.wipe(timed_out=False)

    async def expire(self) -> None:
        await self.wipe(timed_out=True)

    async def wipe(self, *, timed_out: bool) -> None:
        if self._wiping:
            return
        self._wiping = True
        try:
            unsent = await self._send_what_waits()
            await asyncio.to_thread(self.ctx.personal.account.sign_out)
            self.ctx.speaker.stop()
            preferences = self._kiosk_preferences()
            self._apply_preferences(preferences)
            self.state.forget_session(preferences)
            self.idle.wiped()
            self._reached = {"/"}
            self._go("/")
            gc.collect()  # the last person's screens and answers go now, not at some later time
            self._say(wiped_sentence(unsent, timed_out))
        finally:
            self._wiping = False

    async def _send_what_waits(self) -> int:
        """Give actions still waiting a short chance to reach the server; how many did not."""
        services = self.ctx.personal
        waiting = await asyncio.to_thread(services.sender.waiting)
        if not waiting or self.state.sync_status is SyncStatus.OFFLINE:
            return waiting
        self.state.tell(finishing_sentence())
        try:
            result = await asyncio.wait_for(
                asyncio.to_thread(services.sender.drain), SEND_BEFORE_WIPE
            )
        except TimeoutError:
            return await asyncio.to_thread(services.sender.waiting)
        return result.waiting

    def _kiosk_preferences(self) -> Preferences:
        """The kiosk's own defaults again (a kiosk keeps preferences in memory only)."""
        store = self.ctx.preferences
        assert isinstance(store, MemoryPreferencesStore), "a kiosk never writes preferences"
        store.reset()
        return store.load()

    def _say(self, sentence: str) -> None:
        self._announce(sentence)
        self._speak([sentence])
