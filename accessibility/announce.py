"""Spoken status changes: the platform screen reader announces them (WCAG 4.1.3)."""

from __future__ import annotations

import asyncio
import logging
import time

import flet as ft

logger = logging.getLogger(__name__)


# Seconds between two announcements. Sooner, Chromium handed Orca only the second of them:
# a trip's confirmation followed at once by "本设备无法朗读" was never heard (issue 16, item 12).
# Also the seconds after arriving on a screen: Orca is busy reading the new screen for a
# while, and an announcement made meanwhile was gone (Flutter removes it after 300 ms) before
# Orca got to it: "已登录。欢迎您" after signing in was lost in about one run in six.
SPACING = 1.0


class Announcer:
    """One per session; create it inside the session (services register with the page).

    Announcements are said in the order they come, each at least ``spacing`` seconds after
    the one before and after the last move to another screen (``arrived``), so a screen
    reader hears every one, after the new screen's name."""

    def __init__(self, spacing: float = SPACING) -> None:
        self._service = ft.SemanticsService()
        self._spacing = spacing
        self._turn = asyncio.Lock()
        self._last: float | None = None

    async def features(self) -> ft.AccessibilityFeatures | None:
        """The platform's accessibility flags; also proves the client has applied our setup."""
        try:
            return await self._service.get_accessibility_features()
        except Exception:  # an old or limited client: nothing to learn, nothing to break
            logger.debug("accessibility features unavailable", exc_info=True)
            return None

    def arrived(self) -> None:
        """The app has just moved to another screen (callable from any thread)."""
        self._last = time.monotonic()

    async def say(self, message: str, *, urgent: bool = False) -> None:
        assertiveness = ft.Assertiveness.ASSERTIVE if urgent else ft.Assertiveness.POLITE
        async with self._turn:
            # Re-read after each wait: a move to another screen meanwhile starts the wait anew.
            while (
                self._last is not None
                and (wait := self._last + self._spacing - time.monotonic()) > 0
            ):
                await asyncio.sleep(wait)
            try:
                await self._service.announce_message(message, assertiveness=assertiveness)
            except Exception:
                logger.warning("announcement failed", exc_info=True)  # its words may be personal
            self._last = time.monotonic()
