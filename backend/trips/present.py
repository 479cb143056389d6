"""What each person may see of a trip.

The requester and the volunteer on the trip see each other (names, phones, the code word);
a verified volunteer browsing open trips sees only where, when and what help is needed.
Anyone else may not see the trip at all: ``role_on`` answers None and the route says 404.
"""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.core.on_behalf import on_behalf
from backend.models import User
from backend.trips import crud
from backend.trips.models import Trip, TripRating, Volunteer
from backend.trips.states import TripRole, TripState
from backend.trips.volunteers import get_volunteer
from backend.trips.wire import RatingPublic, TripPublic, VolunteerContact


def role_on(
    trip: Trip, user_id: int, *, verified_volunteer: bool, on_behalf: bool = False
) -> TripRole | None:
    """How ``user_id`` stands to ``trip``, or None if they may not see it. A helper acting
    for ``user_id`` (``on_behalf``) sees only the trips they asked for."""
    if trip.requester_id == user_id:
        return TripRole.RESIDENT
    if on_behalf:
        return None
    if trip.volunteer_id == user_id:
        return TripRole.VOLUNTEER
    if trip.state == TripState.OPEN and verified_volunteer:
        return TripRole.BYSTANDER
    return None


def viewer_role(session: Session, trip: Trip, user_id: int) -> TripRole | None:
    """``role_on`` for this request's viewer: their volunteer standing, and whether a helper
    acts for them."""
    volunteer = get_volunteer(session, user_id)
    return role_on(
        trip,
        user_id,
        verified_volunteer=volunteer is not None and volunteer.verified,
        on_behalf=on_behalf(session),
    )


def present(session: Session, trip: Trip, viewer_id: int, role: TripRole) -> TripPublic:
    return present_all(session, [trip], viewer_id, [role])[0]


def present_all(
    session: Session, trips: Sequence[Trip], viewer_id: int, roles: Sequence[TripRole]
) -> list[TripPublic]:
    """Many trips at once: the people and ratings they mention are loaded in three queries."""
    involved = [t for t, r in zip(trips, roles, strict=True) if r is not TripRole.BYSTANDER]
    users = _users(session, {t.requester_id for t in involved})
    volunteers = _volunteers(session, {t.volunteer_id for t in involved if t.volunteer_id})
    ratings = crud.ratings_by_or_of(session, [t.id for t in involved], viewer_id)
    return [
        _one(trip, role, viewer_id, users, volunteers, ratings)
        for trip, role in zip(trips, roles, strict=True)
    ]


def _users(session: Session, ids: set[int]) -> dict[int, User]:
    rows = session.scalars(select(User).where(User.id.in_(ids))) if ids else []
    return {row.id: row for row in rows}


def _volunteers(session: Session, ids: set[int]) -> dict[int, Volunteer]:
    rows = session.scalars(select(Volunteer).where(Volunteer.user_id.in_(ids))) if ids else []
    return {row.user_id: row for row in rows}


def _rating(rating: TripRating | None) -> RatingPublic | None:
    return None if rating is None else RatingPublic(stars=rating.stars, comment=rating.comment)


def _one(
    trip: Trip,
    role: TripRole,
    viewer_id: int,
    users: dict[int, User],
    volunteers: dict[int, Volunteer],
    ratings: list[TripRating],
) -> TripPublic:
    on_it = role is not TripRole.BYSTANDER
    volunteer = volunteers.get(trip.volunteer_id) if on_it and trip.volunteer_id else None
    requester = users.get(trip.requester_id) if on_it else None
    mine = [r for r in ratings if r.trip_id == trip.id]
    return TripPublic(
        id=trip.id,
        state=TripState(trip.state),
        my_role=None if not on_it else role.value,  # type: ignore[arg-type]  # the two literals
        from_place=trip.from_place,
        to_place=trip.to_place,
        start_at=trip.start_at,
        district=trip.district,
        needs=trip.needs,  # type: ignore[arg-type]  # validated on the way in
        notes=trip.notes,
        resident_name=requester.name if requester is not None else None,
        contact_phone=trip.contact_phone if on_it else None,
        volunteer=(
            VolunteerContact(name=volunteer.real_name, phone=volunteer.phone)
            if volunteer is not None
            else None
        ),
        code_word=trip.code_word if on_it else None,
        my_rating=_rating(next((r for r in mine if r.rater_id == viewer_id), None)),
        rating_of_me=_rating(next((r for r in mine if r.ratee_id == viewer_id), None)),
        created_at=trip.created_at,
        updated_at=trip.updated_at,
        claimed_at=trip.claimed_at,
        started_at=trip.started_at,
        completed_at=trip.completed_at,
        cancelled_at=trip.cancelled_at,
        event_id=trip.event_id,
        version=trip.version,
    )
