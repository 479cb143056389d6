"""Check-in at the door: by the event's code (the attendee), by a personal code or QR payload
(staff), or by name (staff picked the row); and staff's undo.

The window runs from 60 minutes before the start to the end, by the time the person acted
(``at``: a door check-in made offline and sent later keeps its time, never later than now). The
request itself is accepted until a day after the end, so a door tablet that was offline all
evening can still replay its queue the next morning.
"""

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from backend import crud as accounts
from backend.core.attempts import count_attempt, forget_attempts
from backend.events import crud, errors
from backend.events.codes import is_event_code, personal_code_in
from backend.events.marking import mark_one
from backend.events.models import Attendance, Event, EventSignup, SignupState
from backend.events.signups import locked_event
from backend.events.wire import CheckinRequest
from backend.models import User
from backend.staff import require_district, runs

OPENS_BEFORE_START = timedelta(minutes=60)
REPLAYS_UNTIL_AFTER_END = timedelta(hours=24)
# The event's code has 4 digits: wrong ones are counted per person and event, and after this
# many the code no longer checks them in (the staff at the door still can).
WRONG_CODES = 5
_ATTEMPTS = "event_code"

Checked = tuple[EventSignup, Event, bool]  # the sign-up, its event, already checked in before


def acted_at(event: Event, at: datetime | None, now: datetime) -> datetime:
    """When the check-in happened (``at``, at most now); 409 outside the window."""
    if now > event.end_at + REPLAYS_UNTIL_AFTER_END:
        raise errors.checkin_closed()
    when = min(at or now, now)
    if when < event.start_at - OPENS_BEFORE_START:
        raise errors.checkin_not_open()
    if when > event.end_at:
        raise errors.checkin_closed()
    return when


def check_in_by_code(
    session: Session,
    user: User,
    event_id: str,
    body: CheckinRequest,
    now: datetime,
    key: str | None,
) -> Checked:
    """The event's code checks the caller in; a personal code (staff only) its attendee.

    Only staff devices say when they acted (``at``: an offline door replaying its queue); a
    person's own check-in happens when the server gets it. Each code is counted before it is
    judged (backend.core.attempts): after ``WRONG_CODES`` wrong ones, ``429``.
    """
    event = locked_event(session, event_id)
    staff = runs(user, event.district)  # staff elsewhere check in here like anyone else
    when = acted_at(event, body.at if staff else None, now)
    subject = f"{event.id}:{user.id}"
    # The count lasts as long as the event takes check-ins.
    lasts = event.end_at + REPLAYS_UNTIL_AFTER_END - now
    tries = count_attempt(session, _ATTEMPTS, subject, now, lasts).count
    if tries > WRONG_CODES:
        session.commit()  # counted, not judged
        raise errors.code_tries_used_up()
    if is_event_code(body.code, event.event_code):
        signup = crud.signup_of(session, event.id, user.id)
        if signup is None:
            raise errors.not_signed_up()
    else:
        code = personal_code_in(body.code, event.id) if staff else None
        found = crud.signup_by_code(session, event.id, code) if code is not None else None
        if found is None:
            session.commit()  # the wrong code counts although the request fails
            raise errors.code_tries_used_up() if tries == WRONG_CODES else errors.code_wrong()
        signup = found
    forget_attempts(session, _ATTEMPTS, subject)  # a right code: only wrong ones count
    return _check_in(session, user, signup, event, when, now, key)


def check_in_attendee(
    session: Session,
    user: User,
    event_id: str,
    signup_id: str,
    at: datetime | None,
    now: datetime,
    key: str | None,
) -> Checked:
    """Staff check in the attendee whose row they picked (found by name at the door)."""
    event = locked_event(session, event_id)
    require_district(user, event.district)
    signup = _attendee(session, event, signup_id)
    return _check_in(session, user, signup, event, acted_at(event, at, now), now, key)


def undo(
    session: Session, user: User, event_id: str, signup_id: str, now: datetime, key: str | None
) -> Checked:
    """Staff take a check-in back (a wrong row tapped). After the marking, the sign-up is marked
    again as if it had never been checked in."""
    event = locked_event(session, event_id)
    require_district(user, event.district)
    signup = _attendee(session, event, signup_id)
    if now > event.end_at + REPLAYS_UNTIL_AFTER_END:
        raise errors.checkin_closed()
    if signup.checked_in_at is None:
        return signup, event, False
    signup.checked_in_at = None
    signup.checked_in_by = None
    signup.attendance = None
    crud.touch(signup, now)
    if event.marked_at is not None:
        mark_one(session, event, signup, now)
    _log(session, user, signup, "event_checkin_undone", event, key, now)
    return signup, event, False


def _attendee(session: Session, event: Event, signup_id: str) -> EventSignup:
    signup = crud.get_signup(session, signup_id)
    if signup is None or signup.event_id != event.id:
        raise errors.signup_not_found()
    return signup


def _check_in(
    session: Session,
    user: User,
    signup: EventSignup,
    event: Event,
    when: datetime,
    now: datetime,
    key: str | None,
) -> Checked:
    if signup.state == SignupState.CANCELLED:
        raise errors.signup_cancelled()
    if signup.state == SignupState.WAITLISTED:
        raise errors.signup_waitlisted()
    if signup.checked_in_at is not None:
        return signup, event, True  # the first time stands
    signup.checked_in_at = when
    signup.checked_in_by = user.id
    signup.attendance = Attendance.ATTENDED.value  # also a late replay after a no-show mark
    crud.touch(signup, now)
    _log(session, user, signup, "event_checked_in", event, key, now)
    return signup, event, False


def _log(
    session: Session,
    user: User,
    signup: EventSignup,
    action: str,
    event: Event,
    key: str | None,
    now: datetime,
) -> None:
    """On the attendee's own activity, as done by staff when staff did it."""
    person = user if signup.user_id == user.id else session.get(User, signup.user_id)
    if person is not None:
        accounts.record_activity(
            session, person, action, target=event.id, request_key=key, now=now, actor=user
        )
