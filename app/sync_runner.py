"""Keeps the local catalogue current: pulls at start-up, on a timer, and soon after going offline.

One runner per process; each app session watches it with ``wait_for_change`` from its own task,
so state changes happen in that session's context.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from app.state import SyncStatus
from services.errors import OfflineError, ProblemError
from services.sync import CatalogSync, PullResult

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncSnapshot:
    generation: int  # bumps on every attempt, so watchers never miss one
    status: SyncStatus
    last_result: PullResult | None


class SyncRunner:
    def __init__(self, sync: CatalogSync, interval: float, offline_retry: float = 5.0) -> None:
        self.sync = sync
        self.interval = interval
        self.offline_retry = min(offline_retry, interval)
        self.snapshot = SyncSnapshot(0, SyncStatus.CONNECTING, None)
        self._changed: asyncio.Condition | None = None
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None

    def ensure_started(self) -> None:
        """Start the loop in the running event loop (the first session's)."""
        if self._task is None or self._task.done():
            self._changed = asyncio.Condition()
            self._wake = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self._run(), name="catalog-sync")

    def sync_now(self) -> None:
        if self._wake is not None:
            self._wake.set()

    async def wait_for_change(self, seen_generation: int) -> SyncSnapshot:
        assert self._changed is not None, "ensure_started() first"
        async with self._changed:
            await self._changed.wait_for(lambda: self.snapshot.generation != seen_generation)
            return self.snapshot

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            status, result = await self._attempt()
            assert self._changed is not None and self._wake is not None
            async with self._changed:
                self.snapshot = SyncSnapshot(self.snapshot.generation + 1, status, result)
                self._changed.notify_all()
            delay = self.interval if status is SyncStatus.ONLINE else self.offline_retry
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)

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
