"""Sends the outbox to the server, strictly in order, one item at a time (DESIGN.md §4).

How each failure is treated:

=============================================  =================================================
connection refused / reset before sending       retry; the request never arrived, and is
                                                tried again within seconds (so the queue goes
                                                as soon as the server is back)
read timeout, answer dropped after sending      resend with the *same* Idempotency-Key: if the
                                                server acted, it replays its first answer
5xx, 408, 429, ``409 idempotency_in_progress``  back off with jitter; honour Retry-After
401                                             refresh the tokens, keep the item, send again
any other 4xx (409, 412, 422, ...)              ``rejected``: the item leaves the queue (and the
                                                view), the person is told, the next item goes
=============================================  =================================================

Within one drain, stamina retries a failing item a few times with exponential backoff and
jitter (or the server's Retry-After). If it still fails, the item keeps its place, a later
``next_attempt_at`` is stored (so a restart keeps the backoff) and the drain stops: the items
behind it wait, because sending them first would break the order the person acted in. A
transient failure therefore never loses or reorders anything; only a refusal -- an item the
server will never accept -- is taken out, so one bad item never blocks the rest.

A request that never reached the server (no network, connection refused) says nothing about the
server's load, so its pause stays short (``pause_unreached_max``): after a long time offline the
queue still goes within seconds of the connection returning. When the app learns by other means
that the server answers again (the catalogue pull succeeded), ``server_answers`` makes every
waiting item due at once, whatever its pause had grown to.

Items queued while the person acted for a resident (owner ``user~consent``) go in the same
order with that consent's ``X-Act-For``, even after acting stopped; their answers are stored only
while the person still acts as the one they were queued as.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import stamina

from services.account.account import Account, principal_in
from services.errors import (
    NotSentError,
    OfflineError,
    ProblemError,
    SignedOutError,
    SunshineError,
)
from services.personal import PersonalData
from services.sync.outbox import Outbox, OutboxItem
from services.sync.store import OWNER_KEY, read_personal

logger = logging.getLogger(__name__)

# The server keeps Idempotency-Keys for 24 h; resending an older action could act twice.
GIVE_UP_AFTER = 23 * 3600.0
EXPIRED_CODE = "outbox_expired"
UNKNOWN_KIND_CODE = "unknown_action"


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # tries of one item within one drain
    wait_initial: float = 0.5
    wait_max: float = 8.0
    wait_jitter: float = 0.5
    timeout: float = 30.0  # the most one item may hold a drain
    longest_retry_after: float = 30.0  # a longer Retry-After ends the drain instead
    pause_initial: float = 2.0  # between drains, doubling per failed attempt...
    pause_max: float = 300.0  # ...up to this
    pause_unreached_max: float = 3.0  # ...or this, when the request never reached the server


class DrainStop(StrEnum):
    EMPTY = "empty"  # everything sent (or refused)
    WAITING = "waiting"  # the head item backs off until its next_attempt_at
    OFFLINE = "offline"
    SIGNED_OUT = "signed_out"  # tokens refused: the person must sign in again


class ItemOutcome(StrEnum):
    SENT = "sent"
    REFUSED = "refused"


Stop = tuple[DrainStop, float | None]  # why a drain stops, and when the head may go next


@dataclass(frozen=True)
class DrainResult:
    sent: int
    rejected: int
    stopped: DrainStop
    waiting: int  # items still in the queue
    retry_at: float | None = None  # when the head item may be tried again


class OutboxSender:
    def __init__(
        self,
        account: Account,
        outbox: Outbox,
        personal: PersonalData,
        policy: RetryPolicy | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.account = account
        self.outbox = outbox
        self.personal = personal
        self.policy = policy or RetryPolicy()
        self.clock = clock
        self._lock = threading.Lock()  # one sender at a time, whoever asks

    def drain(self) -> DrainResult:
        with self._lock:
            return self._drain()

    def _drain(self) -> DrainResult:
        sent = rejected = 0
        owner = self.account.owner()
        if owner is None or self.account.tokens.load() is None:
            return DrainResult(0, 0, DrainStop.SIGNED_OUT, 0 if owner is None else self.waiting())
        while True:
            item = self.outbox.head(owner)
            if item is None:
                stopped, retry_at = DrainStop.EMPTY, None
                break
            now = self.clock()
            if now - item.created_at > GIVE_UP_AFTER:
                self.outbox.mark_rejected(item.id, EXPIRED_CODE, "not accepted within 23 h")
                rejected += 1
                continue
            if item.next_attempt_at > now:
                stopped, retry_at = DrainStop.WAITING, item.next_attempt_at
                break
            outcome = self._send(item)
            if outcome is ItemOutcome.SENT:
                sent += 1
            elif outcome is ItemOutcome.REFUSED:
                rejected += 1
            else:
                stopped, retry_at = outcome
                break
        if rejected:
            self._reload_after_rejection()
        return DrainResult(sent, rejected, stopped, self.waiting(), retry_at)

    def waiting(self) -> int:
        """Actions of the signed-in person not yet accepted or refused."""
        owner = self.account.owner()
        return 0 if owner is None else self.outbox.waiting_count(owner)

    def _send(self, item: OutboxItem) -> ItemOutcome | Stop:
        kind = self.personal.kinds.get(item.kind)
        if kind is None:
            self.outbox.mark_rejected(item.id, UNKNOWN_KIND_CODE, f"unknown kind {item.kind}")
            return ItemOutcome.REFUSED
        request = kind.request(item.payload)
        policy = self.policy
        attempts = item.attempts
        try:
            for attempt in stamina.retry_context(
                on=self._retry_hook,
                attempts=policy.attempts,
                timeout=policy.timeout,
                wait_initial=policy.wait_initial,
                wait_max=policy.wait_max,
                wait_jitter=policy.wait_jitter,
            ):
                with attempt:
                    self.outbox.mark_in_flight(item.id)
                    attempts += 1
                    response = self.account.call(
                        request.method,
                        request.path,
                        json=request.json,
                        key=item.id,
                        headers=request.headers,
                        principal=item.owner,  # as queued, even if acting changed since
                    )
        except SignedOutError as exc:
            self.outbox.mark_waiting(item.id, f"signed out: {exc}", 0.0)
            return DrainStop.SIGNED_OUT, None
        except OfflineError as exc:
            retry_at = self.clock() + self._pause(
                attempts, reached=not isinstance(exc, NotSentError)
            )
            self.outbox.mark_waiting(item.id, f"{type(exc).__name__}: {exc}", retry_at)
            return DrainStop.OFFLINE, retry_at
        except ProblemError as exc:
            if not exc.transient:
                logger.info("outbox item %s refused: %s %s", item.kind, exc.status, exc.code)
                self.outbox.mark_rejected(item.id, exc.code, str(exc))
                return ItemOutcome.REFUSED
            retry_at = self.clock() + max(exc.retry_after or 0.0, self._pause(attempts))
            self.outbox.mark_waiting(item.id, str(exc), retry_at)
            return DrainStop.WAITING, retry_at
        with self.outbox.store.transaction() as db:
            # Signed out while the request was out: the wipe stands, nothing is written back.
            if read_personal(db, OWNER_KEY) is not None:
                # The snapshots are those of whoever the person acts as now: an answer about
                # someone else (queued while acting for them) is theirs, not to be stored here.
                if principal_in(db) == item.owner:
                    kind.settle(db, item.payload, response)
                self.outbox.mark_done(db, item.id)
        return ItemOutcome.SENT

    def _retry_hook(self, exc: Exception) -> bool | float:
        """stamina's question: try again now? True, False, or after this many seconds."""
        if isinstance(exc, OfflineError):
            return True
        if isinstance(exc, ProblemError) and exc.transient:
            if exc.retry_after is None:
                return True
            return exc.retry_after if exc.retry_after <= self.policy.longest_retry_after else False
        return False

    def server_answers(self) -> int:
        """The server answers again: every waiting item is due now. Returns how many were
        waiting out a pause."""
        return self.outbox.make_due(self.clock())

    def _pause(self, attempts: int, *, reached: bool = True) -> float:
        """Wait before the next drain tries this item: exponential, with full jitter; capped
        low when the request never ``reached`` the server."""
        policy = self.policy
        longest = policy.pause_max if reached else policy.pause_unreached_max
        ceiling = min(longest, policy.pause_initial * 2 ** max(0, attempts - 1))
        return random.uniform(policy.pause_initial / 2, max(policy.pause_initial, ceiling))

    def _reload_after_rejection(self) -> None:
        """The view already dropped the refused action; fetch what the server now holds."""
        try:
            self.personal.refresh()
        except SunshineError as exc:
            logger.info("reload after a refused action failed: %s", type(exc).__name__)
