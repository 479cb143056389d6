"""Trip queries and changes. Each takes a Session; the caller owns the transaction (commit).

Changes of state go through a conditional UPDATE (claims, expiry) or a row locked with
``FOR UPDATE`` (the rest): on SQLite every writing request already holds the database's write
lock (BEGIN IMMEDIATE), and on PostgreSQL two requests cannot both act on the same old state.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from backend.trips.models import Skill, Trip, TripRating, skills_mask
from backend.trips.states import TripState

LIST_LIMIT = 200
ALL_SKILLS = skills_mask(list(Skill))


@dataclass(frozen=True)
class OpenTripFilter:
    """The optional filters of GET /trips/open."""

    districts: tuple[str, ...] = ()
    starts_after: datetime | None = None
    starts_before: datetime | None = None
    skills_mask: int | None = None  # only trips whose needs are all among these skills


def get_trip(session: Session, trip_id: str, *, for_update: bool = False) -> Trip | None:
    """The trip as committed now (never a copy cached earlier in the session)."""
    query = select(Trip).where(Trip.id == trip_id).execution_options(populate_existing=True)
    if for_update:
        query = query.with_for_update()
    return session.scalars(query).one_or_none()


def new_trip(
    *,
    trip_id: str,
    requester_id: int,
    from_place: str,
    to_place: str,
    start_at: datetime,
    district: str,
    needs: list[str],
    contact_phone: str,
    notes: str | None,
    now: datetime,
    event_id: str | None = None,
) -> Trip:
    """An open trip (not yet added to a session)."""
    return Trip(
        id=trip_id,
        requester_id=requester_id,
        volunteer_id=None,
        state=TripState.OPEN.value,
        from_place=from_place,
        to_place=to_place,
        start_at=start_at,
        district=district,
        needs=list(needs),
        needs_mask=skills_mask(needs),
        contact_phone=contact_phone,
        notes=notes,
        event_id=event_id,
        created_at=now,
        updated_at=now,
        version=1,
    )


def list_mine(session: Session, user_id: int, *, requested_only: bool = False) -> list[Trip]:
    """Trips I asked for or am the volunteer of (only the first with ``requested_only``),
    newest start first."""
    mine = Trip.requester_id == user_id
    if not requested_only:
        mine = or_(mine, Trip.volunteer_id == user_id)
    return list(
        session.scalars(
            select(Trip).where(mine).order_by(Trip.start_at.desc(), Trip.id).limit(LIST_LIMIT)
        )
    )


def list_open(
    session: Session, viewer_id: int, now: datetime, filters: OpenTripFilter
) -> list[Trip]:
    """Open trips still ahead, not the viewer's own, soonest first."""
    query = select(Trip).where(
        Trip.state == TripState.OPEN.value, Trip.start_at > now, Trip.requester_id != viewer_id
    )
    if filters.districts:
        query = query.where(Trip.district.in_(filters.districts))
    if filters.starts_after is not None:
        query = query.where(Trip.start_at > filters.starts_after)
    if filters.starts_before is not None:
        query = query.where(Trip.start_at < filters.starts_before)
    if filters.skills_mask is not None:
        missing = ALL_SKILLS & ~filters.skills_mask  # skills the viewer lacks
        query = query.where(Trip.needs_mask.op("&")(missing) == 0)
    return list(session.scalars(query.order_by(Trip.start_at, Trip.id).limit(LIST_LIMIT)))


def claim(session: Session, trip_id: str, volunteer_id: int, code_word: str, now: datetime) -> bool:
    """First wins: one conditional UPDATE, so of any number of concurrent claims exactly one
    finds the trip still open (PostgreSQL re-checks the WHERE after waiting for the row lock;
    SQLite runs writers one at a time). True if this one won."""
    result = session.execute(
        update(Trip)
        .where(Trip.id == trip_id, Trip.state == TripState.OPEN.value, Trip.start_at > now)
        .values(
            state=TripState.CLAIMED.value,
            volunteer_id=volunteer_id,
            code_word=code_word,
            claimed_at=now,
            updated_at=now,
            version=Trip.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]  # a CursorResult for UPDATE


def expire_due(session: Session, now: datetime) -> list[str]:
    """Expire every open trip whose start time has come; returns the ids this call expired.

    The UPDATE re-checks ``state = 'open'``, so a trip claimed or expired by a concurrent
    request meanwhile is left alone and not reported twice.
    """
    due = session.scalars(
        select(Trip.id).where(Trip.state == TripState.OPEN.value, Trip.start_at <= now)
    ).all()
    expired = []
    for trip_id in due:
        result = session.execute(
            update(Trip)
            .where(Trip.id == trip_id, Trip.state == TripState.OPEN.value, Trip.start_at <= now)
            .values(state=TripState.EXPIRED.value, updated_at=now, version=Trip.version + 1)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            expired.append(trip_id)
    return expired


def any_due(session: Session, now: datetime) -> bool:
    """Is some open trip past its start time? (A read: no write lock unless there is.)"""
    return (
        session.scalars(
            select(Trip.id).where(Trip.state == TripState.OPEN.value, Trip.start_at <= now).limit(1)
        ).first()
        is not None
    )


def move(trip: Trip, state: TripState, now: datetime) -> None:
    """Put a locked trip into ``state``, stamping the time the state records."""
    trip.state = state.value
    trip.updated_at = now
    trip.version += 1
    if state is TripState.IN_PROGRESS:
        trip.started_at = now
    elif state is TripState.COMPLETED:
        trip.completed_at = now
    elif state is TripState.CANCELLED:
        trip.cancelled_at = now
    elif state is TripState.OPEN:  # released: the volunteer and the code word go with them
        trip.volunteer_id = None
        trip.code_word = None
        trip.claimed_at = None


def ratings_by_or_of(session: Session, trip_ids: list[str], user_id: int) -> list[TripRating]:
    """Ratings on these trips that ``user_id`` gave or received."""
    if not trip_ids:
        return []
    return list(
        session.scalars(
            select(TripRating).where(
                TripRating.trip_id.in_(trip_ids),
                or_(TripRating.rater_id == user_id, TripRating.ratee_id == user_id),
            )
        )
    )


def has_rated(session: Session, trip_id: str, rater_id: int) -> bool:
    return (
        session.scalars(
            select(TripRating.id).where(
                TripRating.trip_id == trip_id, TripRating.rater_id == rater_id
            )
        ).first()
        is not None
    )
