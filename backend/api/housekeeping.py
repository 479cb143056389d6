"""Work done around every trips, volunteers, events, door and notifications request.

Before it: unclaimed trips whose start time has come expire (``backend.trips.expiry``), then
ended events are marked attended / excused / no-show (``backend.events.marking``; after the
expiry, so an escort that never came excuses the absence first).
After it: text messages committed meanwhile, by this request or another, are sent
(``backend.notify.sms``). This is a request-scoped dependency listed on the router, so it is set
up before the request's own session and torn down after it: on success once the response has
gone out, on error before the problem document is sent. Either way the request's transaction
has already committed or rolled back, so only committed texts exist to be sent.
"""

import logging
from collections.abc import Iterator

from fastapi import Depends, Request

from backend.events import marking
from backend.notify.sms import deliver_pending
from backend.trips import expiry

logger = logging.getLogger(__name__)


def housekeeping(request: Request) -> Iterator[None]:
    state = request.app.state
    now = state.clock()
    expiry.sweep(state.session_factory, now)
    marking.sweep(state.session_factory, now)
    try:
        yield
    finally:
        try:
            deliver_pending(state.session_factory, state.sms, state.clock)
        except Exception:  # the request's outcome stands; the texts wait for the next one
            logger.exception("sending text messages failed")


HOUSEKEEPING = [Depends(housekeeping)]
