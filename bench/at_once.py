"""Release many HTTP clients at the same moment: the races of the claim and sign-up benches."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import httpx

API = "/api/v1"
T = TypeVar("T")
# One TLS context for every client the benches and tests make: httpx loads the CA bundle for
# each client otherwise, ~25 ms of CPU apiece (5 s for a race of 200).
TLS = httpx.create_ssl_context()


def http_client(url: str, timeout: float) -> httpx.Client:
    return httpx.Client(base_url=url, timeout=timeout, verify=TLS)


def all_at_once(
    clients: list[httpx.Client],
    act: Callable[[httpx.Client, int], T],
    join_timeout: float | None = None,
) -> list[T]:
    """``act(client, n)`` for every client, released together by a barrier; results in client
    order. Each connection is opened first, so the race is between requests, not handshakes.
    One client failing before the start breaks the barrier, so the others stop at once instead
    of waiting for it forever; the first failure is raised."""
    barrier = threading.Barrier(len(clients), timeout=join_timeout)
    results: list[T | None] = [None] * len(clients)
    failures: list[BaseException] = []

    def run(n: int) -> None:
        try:
            resend_once(lambda: clients[n].get(f"{API}/health")).raise_for_status()
            barrier.wait()
            results[n] = act(clients[n], n)
        except threading.BrokenBarrierError:
            pass  # another client failed; its failure is the one reported
        except BaseException as exc:
            failures.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(join_timeout)
    if failures:
        raise RuntimeError(f"{len(failures)} client(s) failed") from failures[0]
    missing = [n for n, result in enumerate(results) if result is None]
    if missing:
        raise RuntimeError(f"requests never returned: clients {missing}")
    return [result for result in results if result is not None]


def resend_once(send: Callable[[], httpx.Response]) -> httpx.Response:
    """Send; if the connection breaks (the server closed a keep-alive connection idle while the
    others got ready), send again: the caller reuses its Idempotency-Key, so the server acts
    at most once, exactly as the app's outbox would resend."""
    try:
        return send()
    except httpx.TransportError:
        return send()
