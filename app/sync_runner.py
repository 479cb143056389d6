"""Keeps the local catalogue current: pulls at start-up, on a timer, and soon after going offline.

One runner per process; each app session watches it with ``wait_for_change`` from its own task,
so state changes happen in that session's context.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from app.background import BackgroundLoop
from app.state import SyncStatus
from services.errors import OfflineError, ProblemError
from services.sync import CatalogSync, PullResult

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncSnapshot:
    generation: int  # bumps on every attempt, so watchers never miss one
    status: SyncStatus
    last_result: PullResult | None


class SyncRunner(BackgroundLoop[SyncSnapshot]):
    task_name = "catalog-sync"

    def __init__(self, sync: CatalogSync, interval: float, offline_retry: float = 5.0) -> None:
        super().__init__(SyncSnapshot(0, SyncStatus.CONNECTING, None))
        self.sync = sync
        self.interval = interval
        self.offline_retry = min(offline_retry, interval)

    def sync_now(self) -> None:
        self.wake()

    async def run_forever(self) -> None:
        while True:
            status, result = await self._attempt()
            await self.publish(SyncSnapshot(self.snapshot.generation + 1, status, result))
            await self.sleep(self.interval if status is SyncStatus.ONLINE else self.offline_retry)

    async def _attempt(self) -> tuple[SyncStatus, PullResult | None]:
        try:
            return SyncStatus.ONLINE, await asyncio.to_thread(self.sync.pull)
        except OfflineError as exc:
            logger.info("catalogue sync: offline (%s)", exc)
        except ProblemError as exc:
            logger.warning("catalogue sync refused: %s", exc)
            if exc.status < 500:
                return SyncStatus.ONLINE, None
        return SyncStatus.OFFLINE, None
