"""Work done around every trips, volunteers and notifications request.

Before it: unclaimed trips whose start time has come expire (``backend.trips.expiry``).
After it: text messages committed meanwhile, by this request or another, are sent
(``backend.notify.sms``). This is a request-scoped dependency listed on the router, so it is set
up before the request's own session and torn down after it: on success once the response has
gone out, on error before the problem document is sent. Either way the request's transaction
has already committed or rolled back, so only committed texts exist to be sent.
"""

import logging
from collections.abc import Iterator

from fastapi import Depends, Request

from backend.notify.sms import deliver_pending
from backend.trips.expiry import sweep

logger = logging.getLogger(__name__)


def housekeeping(request: Request) -> Iterator[None]:
    state = request.app.state
    sweep(state.session_factory, state.clock())
    try:
        yield
    finally:
        try:
            deliver_pending(state.session_factory, state.sms, state.clock)
        except Exception:  # the request's outcome stands; the texts wait for the next one
            logger.exception("sending text messages failed")


HOUSEKEEPING = [Depends(housekeeping)]
