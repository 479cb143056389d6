"""Group commit: many requests for the same thing, served in batches of one transaction each.

When 200 people sign up for one event at the same moment, each request alone would take the
event's lock, count its places, publish its counts and commit, one after the other: the lock
is held for the whole request, and on PostgreSQL the queue for it, not the CPU, sets the pace.
Here requests for one key (an event's id) queue up instead; while a batch runs in a worker
thread, the requests arriving meanwhile wait (without holding a thread) and form the next
batch, which takes the lock, counts and commits once for all of them.

The queueing happens on the event loop, so it needs no locks of its own: ``submit`` is called
from async code, and the only code running in threads is ``run_batch``. Batches for different
keys run side by side; for one key, one at a time, in arrival order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import anyio.to_thread

K = TypeVar("K", bound=Hashable)
J = TypeVar("J")
R = TypeVar("R")

MAX_BATCH = 100
"""At most this many requests in one transaction, so none holds the lock for long."""


@dataclass
class _Queue(Generic[J, R]):
    waiting: list[tuple[J, asyncio.Future[R]]] = field(default_factory=list)
    server: asyncio.Task[None] | None = None  # held here: the loop keeps only weak references


class GroupCommit(Generic[K, J, R]):
    """``await submit(key, job)`` returns the job's result from ``run_batch(key, jobs)``.

    ``run_batch`` returns one outcome per job, in order: a result, or the exception that job
    alone raises (a refusal). If ``run_batch`` itself raises, every job of the batch raises it.
    """

    def __init__(
        self,
        run_batch: Callable[[K, Sequence[J]], Sequence[R | BaseException]],
        max_batch: int = MAX_BATCH,
    ) -> None:
        self.run_batch = run_batch
        self._max_batch = max_batch
        self._queues: dict[tuple[asyncio.AbstractEventLoop, K], _Queue[J, R]] = {}

    async def submit(self, key: K, job: J) -> R:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[R] = loop.create_future()
        # Per event loop (a server has one; a test client may run one per request): a batch's
        # task settles only its own loop's futures.
        place = (loop, key)
        queue = self._queues.get(place)
        if queue is None:  # nobody is serving this key: this request starts the batches
            queue = self._queues[place] = _Queue()
            queue.waiting.append((job, future))
            queue.server = loop.create_task(self._serve(place, queue))
        else:
            queue.waiting.append((job, future))
        return await future

    def waiting(self, key: K) -> int:
        """How many requests wait for ``key``'s next batch (the running one not counted)."""
        return sum(len(q.waiting) for (_, k), q in list(self._queues.items()) if k == key)

    async def _serve(self, place: tuple[asyncio.AbstractEventLoop, K], queue: _Queue[J, R]) -> None:
        try:
            while queue.waiting:
                batch = queue.waiting[: self._max_batch]
                del queue.waiting[: self._max_batch]
                await self._run(place[1], batch)
        finally:
            del self._queues[place]
            for _, future in queue.waiting:  # only if serving was cancelled (shutdown)
                if not future.done():
                    future.set_exception(RuntimeError("the server is stopping"))

    async def _run(self, key: K, batch: list[tuple[J, asyncio.Future[R]]]) -> None:
        jobs = [job for job, _ in batch]
        try:
            outcomes = await anyio.to_thread.run_sync(self.run_batch, key, jobs)
        except BaseException as exc:  # the whole batch failed: each of its requests says so
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise  # cancellation and the like end the serving task too
            return
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            if future.done():  # its request was cancelled (the client went away)
                continue
            if isinstance(outcome, BaseException):
                future.set_exception(outcome)
            else:
                future.set_result(outcome)
