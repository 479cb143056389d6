"""A process-wide loop that sessions can follow: each round publishes a snapshot.

The catalogue's SyncRunner and the OutboxRunner are both this shape: one task per process,
started from the first session's event loop; a snapshot with a ``generation`` that bumps on
every round, so a session waiting with ``wait_for_change`` never misses one; and ``wake`` to
run the next round now instead of at the end of the delay.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Generic, Protocol, TypeVar


class Snapshot(Protocol):
    @property
    def generation(self) -> int: ...


S = TypeVar("S", bound=Snapshot)


class BackgroundLoop(Generic[S]):
    task_name = "background"

    def __init__(self, initial: S) -> None:
        self.snapshot = initial
        self._changed: asyncio.Condition | None = None
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None

    async def run_forever(self) -> None:
        """Subclasses: round after round, ``publish`` then ``sleep``."""
        raise NotImplementedError

    def ensure_started(self) -> None:
        """Start the loop in the running event loop (the first session's)."""
        if self._task is None or self._task.done():
            self._changed = asyncio.Condition()
            self._wake = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(
                self.run_forever(), name=self.task_name
            )

    def wake(self) -> None:
        if self._wake is not None:
            self._wake.set()

    async def wait_for_change(self, seen_generation: int) -> S:
        assert self._changed is not None, "ensure_started() first"
        async with self._changed:
            await self._changed.wait_for(lambda: self.snapshot.generation != seen_generation)
            return self.snapshot

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def publish(self, snapshot: S) -> None:
        assert self._changed is not None
        async with self._changed:
            self.snapshot = snapshot
            self._changed.notify_all()

    async def sleep(self, delay: float) -> None:
        """Until ``delay`` passes or someone calls ``wake``; a wake during the round counts."""
        assert self._wake is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=delay)
        self._wake.clear()
