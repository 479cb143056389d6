"""What each person sees: their own sign-ups, and (staff) the door list and check-in answers.

A person only ever reaches their own sign-ups (every query filters by them); staff see the
attendees of an event with a phone tail, never the whole number.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from pypinyin import lazy_pinyin
from sqlalchemy.orm import Session

from backend.events import crud
from backend.events.models import (
    AppealState,
    Attendance,
    Event,
    EventSignup,
    ExcuseReason,
    SignupState,
)
from backend.events.publish import projection
from backend.events.wire import (
    AppealPublic,
    Attendee,
    CheckinPublic,
    Counts,
    DoorEvent,
    ExcusePublic,
    SignupPublic,
)
from backend.models import User
from backend.notify.notifications import SHANGHAI
from backend.staff import runs


def _excuse(signup: EventSignup) -> ExcusePublic | None:
    if signup.excuse_reason is None or signup.excused_at is None:
        return None
    return ExcusePublic(
        reason=ExcuseReason(signup.excuse_reason),
        note=signup.excuse_note,
        auto=signup.excuse_auto,
        at=signup.excused_at,
    )


def _appeal(signup: EventSignup) -> AppealPublic | None:
    if signup.appeal_state is None or signup.appealed_at is None:
        return None
    return AppealPublic(
        reason=ExcuseReason(signup.appeal_reason or ExcuseReason.OTHER),
        text=signup.appeal_text or "",
        state=AppealState(signup.appeal_state),
        note=signup.appeal_note,
        at=signup.appealed_at,
        decided_at=signup.appeal_decided_at,
    )


def _attendance(signup: EventSignup) -> Attendance | None:
    return Attendance(signup.attendance) if signup.attendance is not None else None


def signup_public(signup: EventSignup, event: Event, position: int | None) -> SignupPublic:
    return SignupPublic(
        id=signup.id,
        event_id=event.id,
        event_title=event.title,
        start_at=event.start_at,
        end_at=event.end_at,
        state=SignupState(signup.state),
        waitlist_position=position if signup.state == SignupState.WAITLISTED else None,
        personal_code=signup.personal_code,
        checked_in_at=signup.checked_in_at,
        attendance=_attendance(signup),
        excuse=_excuse(signup),
        appeal=_appeal(signup),
        guide_trip_id=signup.guide_trip_id,
        created_at=signup.created_at,
        updated_at=signup.updated_at,
        version=signup.version,
    )


def present_all(session: Session, rows: Sequence[tuple[EventSignup, Event]]) -> list[SignupPublic]:
    """Many sign-ups at once: the wait-list positions they need come from one query."""
    positions = crud.waitlist_positions(
        session, {s.event_id for s, _ in rows if s.state == SignupState.WAITLISTED}
    )
    return [signup_public(s, e, positions.get(s.id)) for s, e in rows]


def present(
    session: Session, signup: EventSignup, event: Event, position: int | None = None
) -> SignupPublic:
    """One sign-up; its wait-list ``position`` is asked for unless the caller knows it."""
    if position is not None:
        return signup_public(signup, event, position)
    session.flush()  # positions count this transaction's changes
    return present_all(session, [(signup, event)])[0]


def checkin_public(
    session: Session, signup: EventSignup, event: Event, *, already: bool
) -> CheckinPublic:
    session.flush()
    person = session.get(User, signup.user_id)
    return CheckinPublic(
        signup_id=signup.id,
        event_id=event.id,
        name=person.name if person is not None else "",
        state=SignupState(signup.state),
        checked_in_at=signup.checked_in_at,
        attendance=_attendance(signup),
        already_checked_in=already,
        counts=crud.counts(session, event.id),
        version=signup.version,
    )


# --- the door ----------------------------------------------------------------------------------


def shanghai_day(now: datetime) -> tuple[datetime, datetime]:
    """Start and end (UTC) of today in Shanghai."""
    local = now.astimezone(SHANGHAI)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def _by_name(attendee: Attendee) -> tuple[list[str], str, str]:
    return lazy_pinyin(attendee.name), attendee.name, attendee.signup_id


def door_list(session: Session, staff: User, now: datetime) -> list[DoorEvent]:
    """Today's events in ``staff``'s districts (Shanghai date of the start), soonest first, each
    with its attendees."""
    events = [
        event
        for event in crud.events_starting_between(session, *shanghai_day(now))
        if runs(staff, event.district)
    ]
    rows = crud.live_signups_with_people(session, [e.id for e in events])
    attendees: dict[str, list[Attendee]] = {e.id: [] for e in events}
    waiting: dict[str, int] = {}
    for signup, person in rows:  # confirmed first, then waitlisted in queue order
        position = None
        if signup.state == SignupState.WAITLISTED:
            position = waiting[signup.event_id] = waiting.get(signup.event_id, 0) + 1
        attendees[signup.event_id].append(
            Attendee(
                signup_id=signup.id,
                name=person.name,
                phone_tail=person.phone[-4:],
                personal_code=signup.personal_code,
                state=SignupState(signup.state),
                waitlist_position=position,
                checked_in_at=signup.checked_in_at,
                attendance=_attendance(signup),
                excuse_reason=ExcuseReason(signup.excuse_reason) if signup.excuse_reason else None,
                version=signup.version,
            )
        )
    items = []
    for event in events:
        people = attendees[event.id]
        confirmed = sorted((a for a in people if a.state == SignupState.CONFIRMED), key=_by_name)
        waitlisted = [a for a in people if a.state == SignupState.WAITLISTED]
        counts = Counts(
            confirmed=len(confirmed),
            waitlisted=len(waitlisted),
            checked_in=sum(1 for a in confirmed if a.checked_in_at is not None),
        )
        items.append(
            DoorEvent(
                event=projection(event, counts),
                event_code=event.event_code,
                counts=counts,
                attendees=confirmed + waitlisted,
            )
        )
    return items
