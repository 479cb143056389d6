"""Storage rows of events and their sign-ups (registered on ``Base.metadata``), and their states."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.sealed import Sealed
from backend.models import Base, UTCDateTime


class SignupState(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class Attendance(StrEnum):
    ATTENDED = "attended"
    NO_SHOW = "no_show"
    EXCUSED = "excused"


class ExcuseReason(StrEnum):
    HEALTH = "health"
    ESCORT_FAILED = "escort_failed"  # recorded only automatically (backend.events.escort)
    WEATHER = "weather"
    OTHER = "other"


class AppealState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Event(Base):
    """One event at a venue (a catalogue institution). ``event_code`` is secret: staff read it
    out at the door; it never leaves the server except to staff. ``marked_at`` is set once the
    attendance of its confirmed sign-ups has been recorded after the end."""

    __tablename__ = "events"
    __table_args__ = (
        # The marking sweep: ended events not yet marked.
        Index("ix_events_marked_at_end_at", "marked_at", "end_at"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(String(1000))
    institution_id: Mapped[str] = mapped_column(String(128))
    room: Mapped[str] = mapped_column(String(100), default="")
    district: Mapped[str] = mapped_column(String(6))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int] = mapped_column(Integer)
    signup_deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    cancel_deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    provides: Mapped[list[str]] = mapped_column(JSON)
    event_code: Mapped[str] = mapped_column(String(4))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    example_data: Mapped[bool] = mapped_column(default=False)


class EventSignup(Base):
    """One person's place (or wait) at one event; at most one row per (event, person).

    Signing up again after cancelling reactivates the row at the end of the queue. ``queue_seq``
    orders the wait-list; ``version`` grows with every change.
    """

    __tablename__ = "event_signups"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id", name="uq_event_signups_person"),
        UniqueConstraint("event_id", "personal_code", name="uq_event_signups_code"),
        Index("ix_event_signups_event_state", "event_id", "state", "queue_seq"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(16))
    queue_seq: Mapped[int] = mapped_column(Integer)
    personal_code: Mapped[str] = mapped_column(String(6))
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    attendance: Mapped[str | None] = mapped_column(String(16))
    excuse_reason: Mapped[str | None] = mapped_column(String(16))
    excuse_note: Mapped[str | None] = mapped_column(Sealed("event_signups.excuse_note"))
    excuse_auto: Mapped[bool] = mapped_column(default=False)
    excused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    appeal_reason: Mapped[str | None] = mapped_column(String(16))
    appeal_text: Mapped[str | None] = mapped_column(Sealed("event_signups.appeal_text"))
    appeal_state: Mapped[str | None] = mapped_column(String(16))
    appeal_note: Mapped[str | None] = mapped_column(Sealed("event_signups.appeal_note"))
    appealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    appeal_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    guide_trip_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)
