"""Storage rows of acting on behalf (registered on ``Base.metadata``) and the consent's states."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.models import Base, UTCDateTime


class Lasts(StrEnum):
    DAY = "day"
    MONTH = "month"


class ConsentState(StrEnum):
    PENDING = "pending"  # redeemed; the resident has not confirmed it on their own device yet
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"  # by the resident
    ENDED = "ended"  # by the helper
    EXPIRED = "expired"  # its time ran out


class ProxyKind(StrEnum):
    """What a helper did for the resident: one kind per route allowed while acting."""

    PROFILE_EDIT = "profile_edit"
    INBOX_REPLY = "inbox_reply"
    NOTIFICATIONS_READ = "notifications_read"
    TRIP_REQUEST = "trip_request"
    TRIP_CANCEL = "trip_cancel"
    TRIP_RATE = "trip_rate"
    EVENT_SIGNUP = "event_signup"
    EVENT_CANCEL = "event_cancel"
    EVENT_CHECKIN = "event_checkin"
    EVENT_EXCUSE = "event_excuse"
    EVENT_APPEAL = "event_appeal"


class ConsentCode(Base):
    """A one-time code a resident made to let one helper act for them; only its sha256 is kept.

    Live while unused, unexpired and not superseded by the resident's next code.
    """

    __tablename__ = "consent_codes"
    __table_args__ = (Index("ix_consent_codes_hash", "code_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    lasts: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    superseded: Mapped[bool] = mapped_column(default=False)
    request_key: Mapped[str | None] = mapped_column(String(36))  # the Idempotency-Key, if any


class Consent(Base):
    """One resident's consent that one helper act for them.

    Redeeming a code makes it pending: it works only once the resident confirms it on their
    own device (``confirmed_at``), so a guessed code alone gives nobody anything. Unconfirmed,
    it expires at ``expires_at`` (minutes away); confirmed, it lasts until the new
    ``expires_at`` unless the resident withdraws it or the helper ends it first (``ended_at``
    and ``end_reason``).
    """

    __tablename__ = "consents"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    helper_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    lasts: Mapped[str] = mapped_column(String(8))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(16))  # "withdrawn" | "ended"
    version: Mapped[int] = mapped_column(default=1)

    def state(self, now: datetime) -> ConsentState:
        if self.end_reason is not None:
            return ConsentState(self.end_reason)
        if self.expires_at <= now:
            return ConsentState.EXPIRED
        if self.confirmed_at is None:
            return ConsentState.PENDING
        return ConsentState.ACTIVE


class ProxyAction(Base):
    """One change a helper made for the resident, written in the change's own transaction."""

    __tablename__ = "proxy_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consent_id: Mapped[str] = mapped_column(
        ForeignKey("consents.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    target: Mapped[dict[str, Any]] = mapped_column(JSON)
    request_key: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
