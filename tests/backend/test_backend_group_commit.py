"""GroupCommit: requests for one key arriving while a batch runs form the next batch; each
request gets its own outcome; a failed batch fails its requests only; keys run side by side."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest

from backend.core.group_commit import GroupCommit
from tests.async_support import run_async

WAIT = 30.0  # seconds: a bound for conditions that should hold at once, never a sleep


class Refused(Exception):
    pass


class Recorder:
    """A ``run_batch`` that records its batches and holds each until ``go`` is set."""

    def __init__(self, *, hold: bool = True) -> None:
        self.batches: list[tuple[str, list[int]]] = []
        self.running = threading.Semaphore(0)  # released as each batch starts
        self.go = threading.Event()
        if not hold:
            self.go.set()
        self.fail_next = False

    def __call__(self, key: str, jobs: Sequence[int]) -> list[int | BaseException]:
        self.batches.append((key, list(jobs)))
        self.running.release()
        assert self.go.wait(WAIT)
        if self.fail_next:
            self.fail_next = False
            raise RuntimeError("the transaction failed")
        return [Refused(job) if job < 0 else job * 10 for job in jobs]


async def started(recorder: Recorder) -> None:
    """Until the next batch is running in its thread."""
    assert await asyncio.to_thread(recorder.running.acquire, timeout=WAIT)


async def queued(together: GroupCommit, key: str, count: int) -> None:
    """Until ``count`` requests wait for ``key``'s next batch."""
    async with asyncio.timeout(WAIT):
        while together.waiting(key) < count:
            await asyncio.sleep(0)


def one_then_the_rest(recorder: Recorder, together: GroupCommit, jobs: list[int]) -> list[int]:
    """The first job's batch held running until the rest all wait for the next; their results."""

    async def scenario() -> list[int]:
        first = asyncio.create_task(together.submit("event", jobs[0]))
        await started(recorder)
        later = [asyncio.create_task(together.submit("event", n)) for n in jobs[1:]]
        await queued(together, "event", len(later))
        recorder.go.set()
        return await asyncio.gather(first, *later)

    return run_async(scenario())


def test_requests_arriving_during_a_batch_form_the_next_one():
    recorder = Recorder()
    together = GroupCommit(recorder)

    assert one_then_the_rest(recorder, together, [1, 2, 3, 4]) == [10, 20, 30, 40]
    assert recorder.batches == [("event", [1]), ("event", [2, 3, 4])]


def test_a_refusal_reaches_only_its_own_request():
    together = GroupCommit(Recorder(hold=False))

    async def scenario() -> list[int | BaseException]:
        return await asyncio.gather(
            *(together.submit("event", n) for n in (1, -2, 3)), return_exceptions=True
        )

    first, refused, third = run_async(scenario())
    assert (first, third) == (10, 30)
    assert isinstance(refused, Refused) and refused.args == (-2,)


def test_a_failed_batch_fails_its_requests_and_the_next_batch_still_runs():
    recorder = Recorder()
    recorder.fail_next = True
    together = GroupCommit(recorder)

    async def scenario() -> tuple[list[int | BaseException], int]:
        doomed = [asyncio.create_task(together.submit("event", n)) for n in (1, 2)]
        await started(recorder)
        next_one = asyncio.create_task(together.submit("event", 3))
        await queued(together, "event", 1)
        recorder.go.set()
        return await asyncio.gather(*doomed, return_exceptions=True), await next_one

    failed, served = run_async(scenario())
    assert all(isinstance(f, RuntimeError) for f in failed) and len(failed) == 2
    assert served == 30
    assert [jobs for _, jobs in recorder.batches] == [[1, 2], [3]]


def test_different_keys_run_side_by_side():
    recorder = Recorder()
    together = GroupCommit(recorder)

    async def scenario() -> list[int]:
        tasks = [asyncio.create_task(together.submit(key, n)) for key, n in (("a", 1), ("b", 2))]
        await started(recorder)
        await started(recorder)  # both running before either may finish
        recorder.go.set()
        return await asyncio.gather(*tasks)

    assert run_async(scenario()) == [10, 20]
    assert sorted(recorder.batches) == [("a", [1]), ("b", [2])]


@pytest.mark.parametrize(("max_batch", "sizes"), [(1, [1, 1, 1, 1]), (2, [1, 2, 1])])
def test_a_batch_holds_at_most_max_batch_requests(max_batch: int, sizes: list[int]):
    recorder = Recorder()
    together = GroupCommit(recorder, max_batch=max_batch)

    assert one_then_the_rest(recorder, together, [0, 1, 2, 3]) == [0, 10, 20, 30]
    assert [len(jobs) for _, jobs in recorder.batches] == sizes


def test_each_event_loop_has_its_own_batches():
    """A test client may run each request on an event loop of its own: a batch settles only
    its own loop's requests, so two loops asking for one key run two batches."""
    recorder = Recorder()
    together = GroupCommit(recorder)

    def on_a_loop_of_its_own(job: int) -> int:
        return asyncio.run(asyncio.wait_for(together.submit("event", job), WAIT))

    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(on_a_loop_of_its_own, 1)
        assert recorder.running.acquire(timeout=WAIT)
        second = pool.submit(on_a_loop_of_its_own, 2)
        assert recorder.running.acquire(timeout=WAIT), "the second loop's batch runs too"
        recorder.go.set()
        assert (first.result(WAIT), second.result(WAIT)) == (10, 20)
    assert [jobs for _, jobs in recorder.batches] == [[1], [2]]
