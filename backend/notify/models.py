"""The notification row and its wire shapes."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.sealed import Sealed, SealedJSON
from backend.models import ROW_ID_MAX, Base, UTCDateTime
from backend.trips import models as _trips  # noqa: F401  (the table trip_id refers to)


class NotificationKind(StrEnum):
    TRIP_CLAIMED = "trip_claimed"
    TRIP_RELEASED = "trip_released"
    TRIP_CANCELLED = "trip_cancelled"
    TRIP_EXPIRED = "trip_expired"
    TRIP_STARTED = "trip_started"
    TRIP_COMPLETED = "trip_completed"
    VOLUNTEER_VERIFIED = "volunteer_verified"
    EVENT_PROMOTED = "event_promoted"
    EVENT_NO_SHOW = "event_no_show"
    EVENT_EXCUSED = "event_excused"
    EVENT_APPEAL_DECIDED = "event_appeal_decided"
    PROXY_STARTED = "proxy_started"  # before consents were confirmed (kept in old inboxes)
    PROXY_REQUESTED = "proxy_requested"
    PROXY_CONFIRMED = "proxy_confirmed"


class Notification(Base):
    """One message in a user's inbox; ``sms_*`` is its text message, if it has one.

    The SMS is written with the change that caused it and sent only after that transaction
    commits (``backend.notify.sms.deliver_pending``): ``sms_sent_at`` NULL means not sent yet.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        # Delivery looks for unsent texts after every request; keep that a tiny index scan.
        Index(
            "ix_notifications_sms_pending",
            "id",
            sqlite_where=text("sms_phone IS NOT NULL AND sms_sent_at IS NULL"),
            postgresql_where=text("sms_phone IS NOT NULL AND sms_sent_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    trip_id: Mapped[str | None] = mapped_column(ForeignKey("trips.id", ondelete="CASCADE"))
    data: Mapped[dict[str, Any]] = mapped_column(SealedJSON("notifications.data"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sms_phone: Mapped[str | None] = mapped_column(Sealed("notifications.sms_phone"))
    sms_text: Mapped[str | None] = mapped_column(Sealed("notifications.sms_text"))
    sms_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sms_attempts: Mapped[int] = mapped_column(default=0)


# --- wire ------------------------------------------------------------------------------------


class NotificationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: NotificationKind
    trip_id: str | None
    data: dict[str, Any] = Field(
        description=(
            "trip_claimed: volunteer_name, code_word, start_at, from_place, to_place; "
            "trip_released, trip_cancelled, trip_expired: start_at, from_place, to_place; "
            "trip_started, trip_completed: volunteer_name; volunteer_verified: nothing. "
            "Events (trip_id null): event_promoted, event_no_show: event_id, title, start_at; "
            "event_excused: the same and reason; event_appeal_decided: the same and accepted, "
            "note. Acting on behalf (trip_id null): proxy_requested (to the resident, who is "
            "asked to confirm), proxy_started (older inboxes): consent_id, helper_name; "
            "proxy_confirmed (to the helper): consent_id, resident_name."
        )
    )
    created_at: datetime
    read_at: datetime | None


class NotificationList(BaseModel):
    items: list[NotificationPublic]


class NotificationsRead(BaseModel):
    model_config = ConfigDict(extra="forbid")

    up_to_id: int = Field(
        strict=True,  # JSON false or "3" is not an id
        ge=0,
        le=ROW_ID_MAX,
        description="Mark my notifications up to this id read.",
    )


class UnreadPublic(BaseModel):
    unread: int = Field(description="My notifications still unread.")
