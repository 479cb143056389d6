"""Work done around every trips, volunteers, events, door and notifications request.

Before it: unclaimed trips whose start time has come expire (``backend.trips.expiry``), then
ended events are marked attended / excused / no-show (``backend.events.marking``; after the
expiry, so an escort that never came excuses the absence first), and counts of attempts whose
window has ended, lapsed sign-in codes and lapsed idempotency records are deleted.
After it: text messages committed meanwhile, by this request or another of this process, are
sent (``backend.notify.sms``).

Both are throttled, because they cost more than most requests themselves (measured by
``bench/load.py``: half the database round trips under load): the sweeps run at most once per
``SWEEP_EVERY`` of the app's clock in each process (a FakeClock that jumps runs them at once),
and texts are looked for only when this process committed one (``TextsWaiting``) and after
each sweep (which retries failed ones and finds any another process left). The dependency is
``async`` and goes to a worker thread only for that work, not on every request. It is
request-scoped and listed on the router, so it is set up before the request's own session
and torn down after it: on success once the response has gone out, on error before the
problem document is sent. Either way the request's transaction has already committed or
rolled back, so only committed texts exist to be sent.
"""

import logging
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from typing import Any

import anyio.to_thread
from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from backend import crud, idempotency
from backend.core import attempts
from backend.events import crud as event_crud
from backend.events.marking import mark_due_events
from backend.notify.sms import deliver_pending
from backend.seed import begin_write
from backend.trips import crud as trip_crud
from backend.trips.expiry import expire_due_trips

logger = logging.getLogger(__name__)

SWEEP_EVERY = timedelta(seconds=1)
TEXT_SENDERS = 2


Due = Callable[[Session, datetime], bool]
Work = Callable[[Session, datetime], int]

# In this order: an escort that never came excuses the absence before the event is marked.
SWEEPS: tuple[tuple[Due, Work], ...] = (
    (trip_crud.any_due, expire_due_trips),
    (event_crud.any_due_for_marking, mark_due_events),
    (attempts.any_ended, attempts.purge_attempts),
    (crud.any_expired_codes, crud.purge_expired_codes),
    (idempotency.any_lapsed, idempotency.purge_lapsed),
)


def sweep(sessions: sessionmaker[Session], now: datetime, due: Due, work: Work) -> int:
    """Do ``work`` in a write transaction of its own if ``due`` says there is any; a cheap read
    otherwise (nearly every request). Returns what ``work`` counted."""
    with sessions() as session:
        if not due(session, now):
            return 0
        begin_write(session)
        done = work(session, now)
        session.commit()
        return done


def sweeps_due(state: Any, now: datetime) -> bool:
    """True at most once per ``SWEEP_EVERY`` (and whenever the clock went back)."""
    last: datetime | None = getattr(state, "swept_at", None)
    if last is not None and last <= now < last + SWEEP_EVERY:
        return False
    state.swept_at = now
    return True


def sweep_all(sessions: sessionmaker[Session], now: datetime) -> None:
    for due, work in SWEEPS:
        sweep(sessions, now, due, work)


async def housekeeping(request: Request) -> AsyncIterator[None]:
    state = request.app.state
    now = state.clock()
    swept = sweeps_due(state, now)
    if swept:
        await run_in_threadpool(sweep_all, state.session_factory, now)
    try:
        yield
    finally:
        if state.texts_waiting.take() or swept:
            # In threads of their own: a slow gateway never holds the routes' worker threads.
            await anyio.to_thread.run_sync(_send_texts, state, limiter=_text_senders(state))


def _text_senders(state: Any) -> anyio.CapacityLimiter:
    """Two threads per process send texts (made on first use, in the server's event loop)."""
    if getattr(state, "text_senders", None) is None:
        state.text_senders = anyio.CapacityLimiter(TEXT_SENDERS)
    return state.text_senders


def _send_texts(state: Any) -> None:
    try:
        deliver_pending(state.session_factory, state.sms, state.clock)
    except Exception:  # the request's outcome stands; the texts wait for the next one
        logger.exception("sending text messages failed")


HOUSEKEEPING = [Depends(housekeeping)]
