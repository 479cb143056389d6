"""What people do with trips: each checks, changes, notifies and logs in the caller's transaction.

Every function returns the trip and the caller's role on it (for ``present``), or raises a
``ProblemError``. A trip the caller may not see is ``404 not_found``, whatever its state:
its existence is not revealed. Claims are the exception the contract makes: a verified
volunteer learns that a trip was taken, cancelled or has expired.
"""

from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend import crud as accounts
from backend.core.problems import ProblemError
from backend.events import escort
from backend.models import User
from backend.notify.models import NotificationKind
from backend.notify.notifications import notify_trip
from backend.trips import crud
from backend.trips.code_words import new_code_word
from backend.trips.expiry import notify_expired
from backend.trips.models import Trip, TripRating, Volunteer, VolunteerStatus
from backend.trips.present import viewer_role
from backend.trips.states import (
    ACTORS,
    HELD,
    Outcome,
    TripAction,
    TripRole,
    TripState,
    decide,
)
from backend.trips.volunteers import get_volunteer, suspended, verified_volunteer
from backend.trips.wire import RatingRequest, TripRequest

EARLIEST = timedelta(minutes=15)  # a volunteer needs time to get there
LATEST = timedelta(days=30)

Acted = tuple[Trip, TripRole]

_LOGGED = {  # the activity entry each action leaves on the actor's account
    TripAction.CANCEL: "trip_cancelled",
    TripAction.START: "trip_started",
    TripAction.COMPLETE: "trip_completed",
    TripAction.RELEASE: "trip_released",
}
_DOERS = {
    frozenset({TripRole.RESIDENT}): "the resident who asked for it",
    frozenset({TripRole.VOLUNTEER}): "its volunteer",
    frozenset({TripRole.RESIDENT, TripRole.VOLUNTEER}): "the resident and the volunteer",
}


def _not_found() -> ProblemError:
    return ProblemError(404, "not_found", "Not Found", "No such trip.")


def _log(
    session: Session, user: User, action: str, trip: Trip, key: str | None, now: datetime
) -> None:
    accounts.record_activity(session, user, action, target=trip.id, request_key=key, now=now)


# --- asking for a trip ---------------------------------------------------------------------


def request_trip(
    session: Session, user: User, body: TripRequest, trip_id: str, now: datetime, key: str | None
) -> Acted:
    """A new open trip; ``422 trip_time_too_soon|too_far``, ``409 trip_exists``."""
    if body.start_at < now + EARLIEST:
        raise ProblemError(
            422,
            "trip_time_too_soon",
            "Start time too soon",
            "A trip must start at least 15 minutes from now, so a volunteer can get there.",
        )
    if body.start_at > now + LATEST:
        raise ProblemError(
            422,
            "trip_time_too_far",
            "Start time too far ahead",
            "A trip can be asked for at most 30 days ahead.",
        )
    if crud.get_trip(session, trip_id) is not None:
        raise _exists()
    signup = escort.signup_for_trip(session, user, body.event_id) if body.event_id else None
    trip = crud.new_trip(
        trip_id=trip_id,
        requester_id=user.id,
        from_place=body.from_place,
        to_place=body.to_place,
        start_at=body.start_at,
        district=body.district,
        needs=[n.value for n in body.needs],
        contact_phone=body.contact_phone,
        notes=body.notes,
        now=now,
        event_id=body.event_id,
    )
    session.add(trip)
    try:
        session.flush()
    except IntegrityError:  # the same id inserted concurrently (PostgreSQL)
        raise _exists() from None
    if signup is not None:
        escort.link(signup, trip, now)
    _log(session, user, "trip_requested", trip, key, now)
    return trip, TripRole.RESIDENT


def _exists() -> ProblemError:
    return ProblemError(
        409, "trip_exists", "Trip exists", "A trip with this id exists; make a new id per trip."
    )


# --- claiming ------------------------------------------------------------------------------


def claim(session: Session, user: User, trip_id: str, now: datetime, key: str | None) -> Acted:
    """First wins; see ``crud.claim``. The winner asking again is answered 200."""
    volunteer = verified_volunteer(session, user)
    trip = crud.get_trip(session, trip_id)
    if trip is None:
        raise _not_found()
    if trip.requester_id == user.id:
        raise ProblemError(409, "own_trip", "Your own trip", "You cannot take your own trip.")
    if trip.state == TripState.OPEN and trip.start_at > now:
        if trip.needs_mask & ~volunteer.skills_mask:
            raise ProblemError(
                409,
                "skills_missing",
                "Skills missing",
                "This trip needs help your volunteer registration does not offer.",
            )
        code_word = new_code_word()
        if crud.claim(session, trip_id, user.id, code_word, now):
            trip = crud.get_trip(session, trip_id)
            assert trip is not None
            _claimed(session, user, volunteer, trip, now, key)
            return trip, TripRole.VOLUNTEER
        trip = crud.get_trip(session, trip_id)  # lost the race: see who won
        assert trip is not None
    return trip, _refused_claim(trip, user, now)


def _claimed(
    session: Session, user: User, volunteer: Volunteer, trip: Trip, now: datetime, key: str | None
) -> None:
    notify_trip(
        session,
        trip.requester_id,
        NotificationKind.TRIP_CLAIMED,
        trip,
        now,
        sms_phone=trip.contact_phone,
        volunteer_name=volunteer.real_name,
        code_word=trip.code_word,
    )
    _log(session, user, "trip_claimed", trip, key, now)


def _refused_claim(trip: Trip, user: User, now: datetime) -> TripRole:
    """Why a trip that is not claimable now cannot be claimed; or VOLUNTEER if the caller holds it."""
    state = TripState(trip.state)
    if state in HELD:
        if trip.volunteer_id == user.id:
            return TripRole.VOLUNTEER
        raise ProblemError(
            409, "trip_taken", "Trip taken", "Another volunteer took this trip first."
        )
    if state is TripState.CANCELLED:
        raise ProblemError(
            409, "trip_cancelled", "Trip cancelled", "The resident cancelled this trip."
        )
    assert state is TripState.EXPIRED or (state is TripState.OPEN and trip.start_at <= now)
    raise ProblemError(409, "trip_expired", "Trip expired", "This trip's start time has passed.")


# --- cancel, start, complete, release --------------------------------------------------------


def _locked_for(session: Session, user: User, trip_id: str) -> Acted:
    """The trip, row-locked, and the caller's role on it; 404 if they may not see it."""
    trip = crud.get_trip(session, trip_id, for_update=True)
    role = viewer_role(session, trip, user.id) if trip is not None else None
    if trip is None or role is None:
        raise _not_found()
    return trip, role


def _check(action: TripAction, trip: Trip, role: TripRole) -> Outcome:
    outcome = decide(action, TripState(trip.state), role)
    if outcome is Outcome.FORBIDDEN:
        doer = _DOERS[ACTORS[action]]
        raise ProblemError(
            403, "forbidden", "Not your action", f"Only {doer} can {action.value} this trip."
        )
    if outcome is Outcome.ILLEGAL:
        state = trip.state.replace("_", " ")
        raise ProblemError(
            409,
            "illegal_transition",
            "Not possible now",
            f"You cannot {action.value} a trip that is {state}.",
        )
    return outcome


def act(
    session: Session, user: User, trip_id: str, action: TripAction, now: datetime, key: str | None
) -> Acted:
    """Cancel (the requester), start, complete or release (its volunteer)."""
    trip, role = _locked_for(session, user, trip_id)
    if _check(action, trip, role) is Outcome.ALREADY_DONE:
        return trip, role
    volunteer = get_volunteer(session, trip.volunteer_id) if trip.volunteer_id else None
    volunteer_name = volunteer.real_name if volunteer is not None else ""
    if action is TripAction.START and volunteer and volunteer.status == VolunteerStatus.SUSPENDED:
        raise suspended()  # completing or releasing a trip already held stays possible
    if action is TripAction.CANCEL:
        crud.move(trip, TripState.CANCELLED, now)
        if trip.volunteer_id is not None:
            notify_trip(
                session,
                trip.volunteer_id,
                NotificationKind.TRIP_CANCELLED,
                trip,
                now,
                sms_phone=volunteer.phone if volunteer is not None else None,
            )
    elif action is TripAction.START:
        crud.move(trip, TripState.IN_PROGRESS, now)
        notify_trip(
            session,
            trip.requester_id,
            NotificationKind.TRIP_STARTED,
            trip,
            now,
            sms_phone=None,
            volunteer_name=volunteer_name,
        )
    elif action is TripAction.COMPLETE:
        crud.move(trip, TripState.COMPLETED, now)
        notify_trip(
            session,
            trip.requester_id,
            NotificationKind.TRIP_COMPLETED,
            trip,
            now,
            sms_phone=None,
            volunteer_name=volunteer_name,
        )
    elif action is TripAction.RELEASE:
        _release(session, trip, now)
        role = TripRole.BYSTANDER  # no longer on it: answered like any volunteer browsing
    else:  # pragma: no cover - claim and rate have their own functions
        raise ValueError(action)
    _log(session, user, _LOGGED[action], trip, key, now)
    session.flush()
    return trip, role


def _release(session: Session, trip: Trip, now: datetime) -> None:
    """Back to open without the volunteer; expired at once if its start time has passed."""
    crud.move(trip, TripState.OPEN, now)
    notify_trip(
        session,
        trip.requester_id,
        NotificationKind.TRIP_RELEASED,
        trip,
        now,
        sms_phone=trip.contact_phone,
    )
    if trip.start_at <= now:
        crud.move(trip, TripState.EXPIRED, now)
        notify_expired(session, trip, now)
    escort.escort_failed(session, trip, now)  # the event's absence is excused


# --- rating --------------------------------------------------------------------------------


def rate(
    session: Session, user: User, trip_id: str, body: RatingRequest, now: datetime, key: str | None
) -> Acted:
    """The requester rates the volunteer and the volunteer the requester, once each."""
    trip, role = _locked_for(session, user, trip_id)
    _check(TripAction.RATE, trip, role)
    if crud.has_rated(session, trip.id, user.id):
        raise _already_rated()
    ratee = trip.volunteer_id if role is TripRole.RESIDENT else trip.requester_id
    assert ratee is not None  # a completed trip has its volunteer
    session.add(
        TripRating(
            trip_id=trip.id,
            rater_id=user.id,
            ratee_id=ratee,
            stars=body.stars,
            comment=body.comment,
            created_at=now,
        )
    )
    try:
        session.flush()
    except IntegrityError:  # rated concurrently (PostgreSQL)
        raise _already_rated() from None
    _log(session, user, "trip_rated", trip, key, now)
    return trip, role


def _already_rated() -> ProblemError:
    return ProblemError(409, "already_rated", "Already rated", "You have rated this trip.")
