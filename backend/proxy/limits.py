"""How many consent codes are judged: per helper, per client address, and for the whole service.

Counted in the database (``backend.core.attempts``) before a code is judged, so parallel
requests and several server processes share one count and at most the limit is ever judged.
A guesser spread over many accounts and addresses still meets the service-wide count of
wrong codes: past it, redeeming pauses for everyone until its window ends (and is logged),
because with ten live codes among 10⁶ each wrong guess is worth that much to an attacker.
"""

import logging
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from backend.core.attempts import Attempt, attempts_made, count_attempt, forget_attempts
from backend.proxy import errors

logger = logging.getLogger(__name__)

PER_HELPER = 5  # wrong codes in HELPER_WINDOW
HELPER_WINDOW = timedelta(minutes=10)
PER_ADDRESS = 30  # codes tried from one address in SERVICE_WINDOW (a service point's NAT)
WRONG_FOR_SERVICE = 300  # wrong codes from anyone in SERVICE_WINDOW
SERVICE_WINDOW = timedelta(hours=1)

_HELPER = "consent_guesses_helper"
_ADDRESS = "consent_guesses_address"
_SERVICE = "consent_wrong_service"
_EVERYONE = "all"


def count_try(session: Session, helper_id: int, address: str, now: datetime) -> Attempt:
    """Count a code about to be judged; raises ``429`` (the caller commits the count first,
    see ``refused``) when the helper, the address or the service has had its tries."""
    if attempts_made(session, _SERVICE, _EVERYONE, now) >= WRONG_FOR_SERVICE:
        raise errors.redeeming_paused(SERVICE_WINDOW)
    by_address = count_attempt(session, _ADDRESS, address, now, SERVICE_WINDOW)
    if by_address.count > PER_ADDRESS:
        raise errors.too_many_attempts(by_address.ends_at - now)
    by_helper = count_attempt(session, _HELPER, str(helper_id), now, HELPER_WINDOW)
    if by_helper.count > PER_HELPER:
        raise errors.too_many_attempts(by_helper.ends_at - now)
    return by_helper


def count_wrong(session: Session, now: datetime) -> None:
    wrong = count_attempt(session, _SERVICE, _EVERYONE, now, SERVICE_WINDOW)
    if wrong.count == WRONG_FOR_SERVICE:
        logger.warning("%d wrong consent codes within an hour: redeeming paused", wrong.count)


def forget_helper(session: Session, helper_id: int) -> None:
    """A right code: only the helper's wrong ones count against them."""
    forget_attempts(session, _HELPER, str(helper_id))
