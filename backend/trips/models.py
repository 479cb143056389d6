"""Storage rows of trips, their ratings and volunteers (registered on ``Base.metadata``)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.sealed import Sealed
from backend.models import Base, UTCDateTime


class Skill(StrEnum):
    """What a volunteer can do, and what a trip needs."""

    SIGHTED_GUIDE = "sighted_guide"
    SIGN_LANGUAGE = "sign_language"
    WHEELCHAIR = "wheelchair"


class Availability(StrEnum):
    WEEKDAY_DAYTIME = "weekday_daytime"
    WEEKDAY_EVENING = "weekday_evening"
    WEEKEND = "weekend"


class VolunteerStatus(StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    SUSPENDED = "suspended"  # by staff, with a reason: may not claim or start trips


def skills_mask(skills: list[str]) -> int:
    """One bit per skill, so "needs all among my skills" is ``needs & ~mine == 0`` in SQL."""
    order = list(Skill)
    return sum(1 << order.index(Skill(s)) for s in set(skills))


class Volunteer(Base):
    """A user's volunteer registration; ``status`` decides whether they may claim trips."""

    __tablename__ = "volunteers"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    real_name: Mapped[str] = mapped_column(Sealed("volunteers.real_name"))
    id_number: Mapped[str] = mapped_column(Sealed("volunteers.id_number"))
    phone: Mapped[str] = mapped_column(Sealed("volunteers.phone"))
    skills: Mapped[list[str]] = mapped_column(JSON)
    skills_mask: Mapped[int] = mapped_column(Integer)
    districts: Mapped[list[str]] = mapped_column(JSON)
    availability: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspended_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    suspended_reason: Mapped[str | None] = mapped_column(Sealed("volunteers.suspended_reason"))
    example_data: Mapped[bool] = mapped_column(default=False)

    @property
    def verified(self) -> bool:
        return self.status == VolunteerStatus.VERIFIED


class Trip(Base):
    """A trip a resident asked a volunteer to go on with them.

    ``state`` moves only through ``backend.trips.states``; ``version`` grows with every change.
    ``volunteer_id`` stays set after completion or cancellation (the volunteer keeps seeing the
    trip) and is cleared when the volunteer releases it.
    """

    __tablename__ = "trips"
    __table_args__ = (
        # The open list and the expiry sweep: open trips by start time.
        Index("ix_trips_state_start_at", "state", "start_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    requester_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    volunteer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    state: Mapped[str] = mapped_column(String(16))
    from_place: Mapped[str] = mapped_column(Sealed("trips.from_place"))
    to_place: Mapped[str] = mapped_column(Sealed("trips.to_place"))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    district: Mapped[str] = mapped_column(String(6))
    needs: Mapped[list[str]] = mapped_column(JSON)
    needs_mask: Mapped[int] = mapped_column(Integer)
    contact_phone: Mapped[str] = mapped_column(Sealed("trips.contact_phone"))
    notes: Mapped[str | None] = mapped_column(Sealed("trips.notes"))
    code_word: Mapped[str | None] = mapped_column(Sealed("trips.code_word"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)
    # The event (backend.events) this trip gets the requester to, if any.
    event_id: Mapped[str | None] = mapped_column(String(64))


class TripRating(Base):
    """One person's rating of the other after a completed trip; at most one per rater."""

    __tablename__ = "trip_ratings"
    __table_args__ = (UniqueConstraint("trip_id", "rater_id", name="uq_trip_ratings_rater"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trip_id: Mapped[str] = mapped_column(ForeignKey("trips.id", ondelete="CASCADE"), index=True)
    rater_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    ratee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    stars: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Sealed("trip_ratings.comment"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
