"""Text messages: the gateway interface, the logging stand-in, and delivery after commit.

A notification row carries its SMS (``sms_phone``, ``sms_text``) and is written in the same
transaction as the change it reports, so a rolled-back request leaves nothing to send and an
idempotent replay makes no new row. ``deliver_pending`` runs after the request (see
``backend.api.housekeeping``) and sends what is committed and unsent. Each text is claimed by a
conditional UPDATE before it is sent, so two requests finishing together never both send it.
``TextsWaiting`` tells a request whether there is anything to look for: a transaction of this
process that wrote a text has committed since the last look.
"""

import logging
import threading
from datetime import datetime
from typing import Any, Protocol

import httpx
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session, sessionmaker

from backend.core.clock import Clock
from backend.core.config import Settings
from backend.core.security import mask_phone
from backend.notify.models import Notification
from backend.seed import begin_write

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5  # a text the gateway refused this often is logged and given up
BATCH = 50


class SmsProvider(Protocol):
    """Sends one text; raises if the gateway did not accept it. Closed when the app stops."""

    def send(self, phone: str, text: str) -> None: ...

    def close(self) -> None: ...


class LoggingSmsProvider:
    """Sends nothing and says so in the log: dev mode only (production settings refuse it).
    Never the text itself: texts carry code words, routes and names (a developer reads the
    sign-in code from the auth route's own dev-mode line)."""

    def send(self, phone: str, text: str) -> None:
        logger.info(
            "SMS to %s not sent (dev mode: no gateway), %d characters", mask_phone(phone), len(text)
        )

    def close(self) -> None:
        pass


class HttpSmsProvider:
    """Posts each text as JSON ``{"phone", "text"}`` to the gateway with a bearer token; any
    answer but 2xx is a failure (the text is retried later). The adapter for a particular
    operator's API sits behind this URL."""

    def __init__(self, url: str, token: str, timeout: float = 10.0) -> None:
        self._url = url
        self._client = httpx.Client(
            timeout=timeout, headers={"Authorization": f"Bearer {token}"}, follow_redirects=False
        )

    def send(self, phone: str, text: str) -> None:
        self._client.post(self._url, json={"phone": phone, "text": text}).raise_for_status()

    def close(self) -> None:
        self._client.close()


class TextsWaiting:
    """Set when a transaction of ``sessions`` that wrote a text (a notification with an SMS)
    commits; ``take`` answers whether it was set and clears it. Texts of other processes are
    sent by those processes, failed ones by the next sweep (``backend.api.housekeeping``)."""

    _WROTE = "sunshine_wrote_text"  # session.info: this transaction wrote a text

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._flag = threading.Event()
        event.listen(sessions, "after_flush", self._after_flush)
        event.listen(sessions, "after_commit", self._after_commit)
        event.listen(sessions, "after_rollback", self._after_rollback)

    def take(self) -> bool:
        if not self._flag.is_set():
            return False
        self._flag.clear()  # a text committed from here on sets it again
        return True

    def _after_flush(self, session: Session, _context: Any) -> None:
        if any(isinstance(row, Notification) and row.sms_phone for row in session.new):
            session.info[self._WROTE] = True

    def _after_commit(self, session: Session) -> None:
        if session.info.pop(self._WROTE, False):
            self._flag.set()

    def _after_rollback(self, session: Session) -> None:
        session.info.pop(self._WROTE, None)


def build_sms_provider(settings: Settings) -> SmsProvider:
    """The provider ``settings.sms_provider`` names."""
    if settings.sms_provider == "http":
        return HttpSmsProvider(settings.sms_gateway_url, settings.sms_gateway_token)
    return LoggingSmsProvider()


def _pending(session: Session, limit: int) -> list[int]:
    return list(
        session.scalars(
            select(Notification.id)
            .where(
                Notification.sms_phone.is_not(None),
                Notification.sms_sent_at.is_(None),
                Notification.sms_attempts < MAX_ATTEMPTS,
            )
            .order_by(Notification.id)
            .limit(limit)
        )
    )


def _claim(session: Session, notification_id: int, now: datetime) -> tuple[str, str] | None:
    """Mark one text as sent (first caller wins); its (phone, text) if we won."""
    claimed = session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.sms_sent_at.is_(None))
        .values(sms_sent_at=now, sms_attempts=Notification.sms_attempts + 1)
        .returning(Notification.sms_phone, Notification.sms_text)
        .execution_options(synchronize_session=False)
    ).first()
    if claimed is None or claimed[0] is None or claimed[1] is None:
        return None
    return claimed[0], claimed[1]


def deliver_pending(sessions: sessionmaker[Session], sms: SmsProvider, clock: Clock) -> int:
    """Send every committed, unsent text; returns how many were sent.

    Reads first and takes the write lock only when something waits, so the requests that
    have nothing to send (nearly all) never queue for it.
    """
    sent = 0
    with sessions() as session:
        while ids := _pending(session, BATCH):
            begin_write(session)
            claimed = [(n, c) for n in ids if (c := _claim(session, n, clock())) is not None]
            session.commit()  # claimed before sending: a crash now loses a text, never repeats it
            for notification_id, (phone, text) in claimed:
                try:
                    sms.send(phone, text)
                    sent += 1
                except Exception:
                    logger.exception("SMS to %s failed; will retry", mask_phone(phone))
                    _unclaim(session, notification_id)
            session.rollback()  # end the read transaction, so the next round sees new rows
            if len(ids) < BATCH:
                break
    return sent


def _unclaim(session: Session, notification_id: int) -> None:
    begin_write(session)
    session.execute(
        update(Notification)
        .where(Notification.id == notification_id)
        .values(sms_sent_at=None)
        .execution_options(synchronize_session=False)
    )
    session.commit()
