"""Spoken status changes: the platform screen reader announces them (WCAG 4.1.3)."""

from __future__ import annotations

import asyncio
import logging

import flet as ft

logger = logging.getLogger(__name__)


# Seconds between two announcements. Sooner, Chromium handed Orca only the second of them:
# a trip's confirmation followed at once by "本设备无法朗读" was never heard (issue 16, item 12).
SPACING = 1.0


class Announcer:
    """One per session; create it inside the session (services register with the page).

    Announcements are said in the order they come, each at least ``spacing`` seconds after
    the one before, so a screen reader hears every one."""

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

    async def say(self, message: str, *, urgent: bool = False) -> None:
        assertiveness = ft.Assertiveness.ASSERTIVE if urgent else ft.Assertiveness.POLITE
        async with self._turn:
            loop = asyncio.get_running_loop()
            if self._last is not None:
                await asyncio.sleep(max(0.0, self._last + self._spacing - loop.time()))
            try:
                await self._service.announce_message(message, assertiveness=assertiveness)
            except Exception:
                logger.warning("announcement failed", exc_info=True)  # its words may be personal
            self._last = loop.time()
