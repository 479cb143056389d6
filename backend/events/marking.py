"""After an event: each confirmed sign-up is marked attended, excused or no-show, once.

Lazily, like trip expiry: ``mark_due_events`` runs before every events, door, me and trips request (see
``backend.api.housekeeping``), reading only unless some event has ended unmarked. A no-show is
told at once (in-app and SMS) that it never stops them signing up, and how to appeal: a missed
event must never shut anyone out silently. Waitlisted people never had a place: nothing is
recorded for them.
"""

from datetime import datetime

from sqlalchemy.orm import Session

from backend.events import crud
from backend.events.models import Attendance, Event, EventSignup
from backend.models import User
from backend.notify.models import NotificationKind
from backend.notify.notifications import notify_event


def mark_one(session: Session, event: Event, signup: EventSignup, now: datetime) -> None:
    """Mark one confirmed sign-up of an ended event."""
    if signup.checked_in_at is not None:
        attendance = Attendance.ATTENDED
    elif signup.excuse_reason is not None:
        attendance = Attendance.EXCUSED
    else:
        attendance = Attendance.NO_SHOW
    if signup.attendance == attendance.value:
        return
    signup.attendance = attendance.value
    crud.touch(signup, now)
    if attendance is Attendance.NO_SHOW:
        person = session.get(User, signup.user_id)
        notify_event(
            session,
            signup.user_id,
            NotificationKind.EVENT_NO_SHOW,
            event,
            now,
            sms_phone=person.phone if person is not None else None,
        )


def mark_due_events(session: Session, now: datetime) -> int:
    """Mark every ended, unmarked event in the caller's (write) transaction; returns how many."""
    marked = 0
    for event_id in crud.due_for_marking(session, now):
        if not crud.claim_marking(session, event_id, now):
            continue  # a concurrent sweep marked it
        event = crud.get_event(session, event_id)
        assert event is not None  # just updated in this transaction
        for signup in crud.confirmed_signups(session, event_id):
            mark_one(session, event, signup, now)
        marked += 1
    session.flush()
    return marked
