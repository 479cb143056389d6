"""Drains the outbox at start-up, on a timer, on reconnect and right after each action.

One runner per process, like the catalogue's SyncRunner; sessions follow it through
``wait_for_change`` and announce what changed (the waiting count, refused actions).
After a drain that leaves nothing waiting, the person's data is fetched again, so records the
server added (a visit, a benefit) appear without any action.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from app.background import BackgroundLoop
from services.client import PersonalServices
from services.errors import SunshineError
from services.sync.outbox import Rejection
from services.sync.sender import DrainResult, DrainStop

logger = logging.getLogger(__name__)

SOONEST_RETRY = 1.0  # seconds; a Retry-After of 0 must not spin


@dataclass(frozen=True)
class OutboxSnapshot:
    generation: int
    waiting: int = 0
    session_expired: bool = False  # tokens refused: the person must sign in again
    rejections: list[Rejection] = field(default_factory=list)  # refused in this drain


class OutboxRunner(BackgroundLoop[OutboxSnapshot]):
    """``wake()``: drain now -- an action was taken, the network came back, someone signed in."""

    task_name = "outbox"

    def __init__(self, services: PersonalServices, interval: float) -> None:
        super().__init__(OutboxSnapshot(0))
        self.services = services
        self.interval = interval
        self._server_answers = False

    def server_answers(self) -> None:
        """The server answers again (the catalogue runner is back online): everything waiting
        is due now, however long its pause had grown, and the next drain starts at once."""
        self._server_answers = True
        self.wake()

    async def run_forever(self) -> None:
        while True:
            if self._server_answers:
                self._server_answers = False
                await asyncio.to_thread(self.services.sender.server_answers)
            result = await asyncio.to_thread(self._drain_and_refresh)
            rejections = await asyncio.to_thread(self._take_rejections)
            await self.publish(
                OutboxSnapshot(
                    self.snapshot.generation + 1,
                    waiting=result.waiting,
                    session_expired=result.stopped is DrainStop.SIGNED_OUT and result.waiting > 0,
                    rejections=rejections,
                )
            )
            await self.sleep(self.delay(result))

    def _drain_and_refresh(self) -> DrainResult:
        try:
            result = self.services.sender.drain()
        except Exception:  # a bug must not stop sending for the rest of the app's life
            logger.exception("outbox drain failed; trying again later")
            return DrainResult(
                0, 0, DrainStop.OFFLINE, self.services.sender.waiting(), self._now() + 30
            )
        if result.stopped is DrainStop.EMPTY and self.services.account.signed_in:
            try:
                self.services.personal.refresh()
            except SunshineError as exc:
                logger.info("personal data refresh failed: %s", type(exc).__name__)
        return result

    def _take_rejections(self) -> list[Rejection]:
        owner = self.services.account.owner()
        return [] if owner is None else self.services.outbox.take_rejections(owner)

    def _now(self) -> float:
        return self.services.sender.clock()  # the clock the sender's retry times are on

    def delay(self, result: DrainResult) -> float:
        """Seconds until the next drain after ``result``."""
        if result.retry_at is None:
            return self.interval
        return min(self.interval, max(SOONEST_RETRY, result.retry_at - self._now()))
