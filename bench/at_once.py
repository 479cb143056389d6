"""Release many HTTP clients at the same moment: the races of the claim and sign-up benches."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import httpx

API = "/api/v1"
T = TypeVar("T")


def all_at_once(
    clients: list[httpx.Client],
    act: Callable[[httpx.Client, int], T],
    join_timeout: float | None = None,
) -> list[T]:
    """``act(client, n)`` for every client, released together by a barrier; results in client
    order. Each connection is opened first, so the race is between requests, not handshakes."""
    barrier = threading.Barrier(len(clients))
    results: list[T | None] = [None] * len(clients)

    def run(n: int) -> None:
        clients[n].get(f"{API}/health").raise_for_status()
        barrier.wait()
        results[n] = act(clients[n], n)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(join_timeout)
    missing = [n for n, result in enumerate(results) if result is None]
    if missing:
        raise RuntimeError(f"requests never returned: clients {missing}")
    return [result for result in results if result is not None]
