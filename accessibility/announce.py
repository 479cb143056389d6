"""Spoken status changes: the platform screen reader announces them (WCAG 4.1.3)."""

from __future__ import annotations

import logging

import flet as ft

logger = logging.getLogger(__name__)


class Announcer:
    """One per session; create it inside the session (services register with the page)."""

    def __init__(self) -> None:
        self._service = ft.SemanticsService()

    async def features(self) -> ft.AccessibilityFeatures | None:
        """The platform's accessibility flags; also proves the client has applied our setup."""
        try:
            return await self._service.get_accessibility_features()
        except Exception:  # an old or limited client: nothing to learn, nothing to break
            logger.debug("accessibility features unavailable", exc_info=True)
            return None

    async def say(self, message: str, *, urgent: bool = False) -> None:
        assertiveness = ft.Assertiveness.ASSERTIVE if urgent else ft.Assertiveness.POLITE
        try:
            await self._service.announce_message(message, assertiveness=assertiveness)
        except Exception:
            logger.warning("announcement failed: %s", message, exc_info=True)
