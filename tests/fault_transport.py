"""A fault-injecting httpx transport: the real network, made as unreliable as a bad mobile link.

Used by the outbox fault tests (tests/service/test_outbox_faults.py, which import it from here)
and by ``bench/sync.py``; it is test and measuring equipment, never shipped in ``services``.

Each request independently meets a fault with probability ``rate`` (a seeded ``random.Random``,
so a run can be repeated); the fault kind is drawn by ``weights``. The kinds, and what the server
sees of them:

=======================  ===================================================================
``refuse``               ``httpx.ConnectError`` before sending: the server sees nothing
``connect_timeout``      ``httpx.ConnectTimeout`` before sending: the server sees nothing
``proxy_500``            a load balancer's bare ``500``: the server sees nothing
``proxy_503``            a load balancer's ``503`` with ``Retry-After``: the server sees nothing
``proxy_429``            a gateway's ``429`` with ``Retry-After``: the server sees nothing
``portal_redirect``      a captive portal's ``302`` to its login page: the server sees nothing
``portal_page``          a captive portal's login page as ``200`` HTML: the server sees nothing
``drop_after_apply``     sent and answered, then the connection resets (``httpx.ReadError``)
``timeout_after_apply``  sent and answered, but too late (``httpx.ReadTimeout``)
``abandoned``            sent, and given up on at once (``httpx.ReadTimeout``) while the server
                         may still be working on it: a quick resend can meet the server's own
                         ``409 idempotency_in_progress``
``applied_502``          sent and applied, but the gateway answers ``502``
``applied_504``          sent and applied, but the gateway answers ``504``
=======================  ===================================================================

``injected`` counts every kind (``pass`` included); ``reached_server`` counts the requests
that reached the real server; ``answered`` counts, by status, the server's own answers that got
through. ``rate`` may be changed at any time (faults up, faults off).
"""

from __future__ import annotations

import contextlib
import random
import threading
from collections import Counter
from collections.abc import Mapping, Sequence

import httpx

PASS = "pass"
NOT_SENT = (
    "refuse",
    "connect_timeout",
    "proxy_500",
    "proxy_503",
    "proxy_429",
    "portal_redirect",
    "portal_page",
)
SENT = ("drop_after_apply", "timeout_after_apply", "abandoned", "applied_502", "applied_504")
FAULT_KINDS = NOT_SENT + SENT
EVEN_WEIGHTS: Mapping[str, float] = dict.fromkeys(FAULT_KINDS, 1.0)

_GATEWAY_PAGE = "<html><body><h1>{status}</h1>nginx</body></html>"
_PORTAL_PAGE = "<html><body>欢迎使用免费 Wi-Fi，请先登录</body></html>".encode()


class FaultTransport(httpx.BaseTransport):
    """Wraps a real transport (default ``httpx.HTTPTransport()``) and injects faults."""

    def __init__(
        self,
        rate: float = 0.0,
        *,
        rng: random.Random | None = None,
        weights: Mapping[str, float] = EVEN_WEIGHTS,
        retry_after: Sequence[str] = ("0",),
        inner: httpx.BaseTransport | None = None,
    ) -> None:
        unknown = set(weights) - set(FAULT_KINDS)
        assert not unknown, f"unknown fault kinds: {unknown}"
        self.rate = rate
        self.rng = rng or random.Random(0)
        self.weights = dict(weights)
        self.retry_after = tuple(retry_after)  # Retry-After values for 503 and 429, drawn
        self._inner = inner or httpx.HTTPTransport()
        # Abandoned requests finish on their own; a separate pool keeps them off ours.
        self._abandoned_transport = httpx.HTTPTransport()
        self._lock = threading.Lock()
        self._abandoned: list[threading.Thread] = []
        self.injected: Counter[str] = Counter()
        self.reached_server = 0
        self.answered: Counter[int] = Counter()  # the server's own answers that got through
        # By URL path: requests the server may have acted on whose answer never came back.
        self.lost_answers: Counter[str] = Counter()
        self.requests = 0

    def reset_counts(self) -> None:
        with self._lock:
            self.injected.clear()
            self.answered.clear()
            self.lost_answers.clear()
            self.reached_server = self.requests = 0

    @property
    def faults(self) -> int:
        return sum(n for kind, n in self.injected.items() if kind != PASS)

    def _choose(self) -> tuple[str, str]:
        with self._lock:
            self.requests += 1
            kind = PASS
            if self.rate > 0 and self.rng.random() < self.rate:
                kinds = list(self.weights)
                kind = self.rng.choices(kinds, [self.weights[k] for k in kinds])[0]
            self.injected[kind] += 1
            if kind in SENT or kind == PASS:
                self.reached_server += 1
            return kind, self.rng.choice(self.retry_after)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        kind, retry_after = self._choose()
        if kind in SENT:
            with self._lock:
                self.lost_answers[request.url.path] += 1
        if kind == PASS:
            response = self._inner.handle_request(request)
            with self._lock:
                self.answered[response.status_code] += 1
            return response
        if kind == "refuse":
            raise httpx.ConnectError("injected: connection refused", request=request)
        if kind == "connect_timeout":
            raise httpx.ConnectTimeout("injected: connect timed out", request=request)
        if kind == "proxy_500":
            return _gateway(500, request)
        if kind == "proxy_503":
            return _gateway(503, request, retry_after)
        if kind == "proxy_429":
            return _gateway(429, request, retry_after)
        if kind == "portal_redirect":
            headers = {"Location": "http://portal.wifi.example/login", "Content-Type": "text/html"}
            return httpx.Response(302, headers=headers, content=_PORTAL_PAGE, request=request)
        if kind == "portal_page":
            headers = {"Content-Type": "text/html"}
            return httpx.Response(200, headers=headers, content=_PORTAL_PAGE, request=request)
        if kind == "abandoned":
            self._abandon(request)
            raise httpx.ReadTimeout("injected: gave up waiting", request=request)
        response = self._inner.handle_request(request)  # the server acts on it
        response.read()
        response.close()
        if kind == "drop_after_apply":
            raise httpx.ReadError("injected: connection reset by peer", request=request)
        if kind == "timeout_after_apply":
            raise httpx.ReadTimeout("injected: read timed out", request=request)
        if kind == "applied_502":
            return _gateway(502, request)
        assert kind == "applied_504", kind
        return _gateway(504, request)

    def _abandon(self, request: httpx.Request) -> None:
        """Send ``request`` in the background; nobody waits for its answer."""
        content = request.read()
        copy = httpx.Request(request.method, request.url, headers=request.headers, content=content)

        def send() -> None:
            # If the server went away meanwhile, the request is simply lost.
            with contextlib.suppress(httpx.TransportError):
                self._abandoned_transport.handle_request(copy).close()

        thread = threading.Thread(target=send, name="abandoned-request", daemon=True)
        with self._lock:
            self._abandoned = [t for t in self._abandoned if t.is_alive()]
            self._abandoned.append(thread)
        thread.start()

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until every abandoned request has had its answer (or failed)."""
        with self._lock:
            threads = list(self._abandoned)
        for thread in threads:
            thread.join(timeout)

    def close(self) -> None:
        self.settle()
        self._abandoned_transport.close()
        self._inner.close()


def _gateway(status: int, request: httpx.Request, retry_after: str | None = None) -> httpx.Response:
    """An error page from something in front of the server: HTML, not problem+json."""
    headers = {"Content-Type": "text/html"}
    if retry_after is not None:
        headers["Retry-After"] = retry_after
    body = _GATEWAY_PAGE.format(status=status).encode()
    return httpx.Response(status, headers=headers, content=body, request=request)
