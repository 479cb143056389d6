"""Guide trips (助盲出行) to events: linking one to a sign-up, and a failed escort excusing
the absence.

When the volunteer gives the trip back, or nobody claims it by its start, the person cannot
be blamed for missing the event: their sign-up gets the excuse ``escort_failed`` (recorded
automatically) and they are told in-app. A trip the person cancelled, or one completed, excuses
nothing.
"""

from datetime import datetime

from sqlalchemy.orm import Session

from backend.core.problems import ProblemError
from backend.events import crud
from backend.events.models import Attendance, EventSignup, ExcuseReason, SignupState
from backend.models import User
from backend.notify.models import NotificationKind
from backend.notify.notifications import notify_event
from backend.trips.models import Trip

LIVE = frozenset({SignupState.CONFIRMED.value, SignupState.WAITLISTED.value})


def signup_for_trip(session: Session, user: User, event_id: str) -> EventSignup:
    """The caller's live sign-up a guide trip is asked for; ``409 not_signed_up`` otherwise."""
    signup = crud.signup_of(session, event_id, user.id)
    if signup is None or signup.state not in LIVE:
        raise ProblemError(
            409,
            "not_signed_up",
            "Not signed up",
            "Sign up for the event before asking for a guide to get there.",
        )
    return signup


def link(signup: EventSignup, trip: Trip, now: datetime) -> None:
    signup.guide_trip_id = trip.id
    crud.touch(signup, now)


def escort_failed(session: Session, trip: Trip, now: datetime) -> bool:
    """Excuse the sign-up this trip was for, if it still counts; True if it did."""
    if trip.event_id is None:
        return False
    signup = crud.signup_of(session, trip.event_id, trip.requester_id)
    if signup is None or signup.guide_trip_id != trip.id or signup.state not in LIVE:
        return False
    if signup.checked_in_at is not None:
        return False  # got there anyway
    if signup.excuse_reason is not None and not signup.excuse_auto:
        return False  # the person's own excuse stands
    if signup.excuse_reason == ExcuseReason.ESCORT_FAILED:
        return False  # already excused by this failure
    event = crud.get_event(session, trip.event_id)
    if event is None:
        return False
    crud.set_excuse(signup, ExcuseReason.ESCORT_FAILED, None, now, auto=True)
    if signup.attendance == Attendance.NO_SHOW:  # marked meanwhile: the failure explains it
        signup.attendance = Attendance.EXCUSED.value
    notify_event(
        session,
        signup.user_id,
        NotificationKind.EVENT_EXCUSED,
        event,
        now,
        sms_phone=None,
        reason=ExcuseReason.ESCORT_FAILED.value,
    )
    return True
